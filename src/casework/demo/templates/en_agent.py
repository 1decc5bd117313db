"""How Nordhaven's agents write in English, plus the team's internal notes.

The gift-card answers are deliberately inconsistent (some agents say split
payment works, some say it does not): with no article to follow, that is what
a knowledge gap looks like in real conversations.
"""

from __future__ import annotations

from casework.demo.templates.pack import AgentWording, Templates

ASK_INFO: Templates = {
    "order_number": [
        "Could you send me your order number? It starts with ORD- and you'll find it in your "
        "order confirmation email.",
        "So I can look into this, could you please tell me the order number?",
        "I couldn't find an order under this email address. Could you send me the order number "
        "or the email you used at checkout?",
    ],
    "photos": [
        "Could you please send us a couple of photos of the item and the outer box? We need them "
        "to file a claim with the carrier.",
        "Sorry about this! Could you reply with a photo of the problem and of the shipping label "
        "on the box?",
    ],
    "iban": [
        "To send the refund by bank transfer I need the IBAN and the account holder's name. "
        "Could you reply with those?",
    ],
    "address": [
        "Could you please confirm the full new address, including the postcode?",
        "Happy to help - what's the complete address the parcel should go to?",
    ],
    "email": [
        "For security reasons, could you confirm the email address registered on your account?",
        "Before I make changes, please confirm the email address you use to log in.",
    ],
    "device": [
        "Could you tell me which device and browser or app version you're using, and send a "
        "screenshot of the error if possible?",
        "Sorry for the trouble! Which device are you on, and does the same happen in another "
        "browser?",
    ],
    "details": [
        "Could you give me a few more details so I can check this properly?",
        "Could you describe a bit more what happened, so I can pass it on correctly?",
    ],
    "payment": [
        "Could you tell me which payment method you used and whether you saw an error message?",
    ],
}

RESOLVE: Templates = {
    "order_status": [
        "I've checked your order {order}: it was handed to {carrier} on {ship_date} with "
        "tracking number {tracking}. The latest scan shows it at the regional depot, so it should "
        "reach you within 1-2 working days.",
        "Good news - your order {order} is on its way with {carrier} (tracking {tracking}). "
        "Delivery is expected within the next two working days.",
        "Your order {order} left our warehouse on {ship_date}. You can follow it here with "
        "tracking number {tracking}. If it hasn't arrived by the end of the week, just reply and "
        "we'll look into it straight away.",
    ],
    "order_status.carrier_delay": [
        "We recently moved our standard deliveries to {carrier}, and some parcels are taking "
        "longer than usual - I'm sorry about that. I've opened an investigation with {carrier} for "
        "{tracking}. If there's no movement within 3 working days we'll send a replacement free "
        "of charge.",
        "I can see your parcel {tracking} has been with {carrier} since {ship_date} without a new "
        "scan. I've filed a trace with them and refunded your shipping cost as an apology. I'll "
        "update you as soon as they reply.",
        "{carrier} has confirmed a backlog at their sorting centre, which is delaying your order "
        "{order}. It should move again within 2-3 working days. If not, we'll reship it "
        "immediately.",
    ],
    "delivery_problem.damaged_item": [
        "I'm sorry the {product} arrived like this. I've arranged a free replacement that will "
        "ship within 2 working days - there's no need to send the damaged one back.",
        "Thanks for the photos. You can choose: a free replacement of the {product}, or a full "
        "refund of {amount}. Just reply with what you prefer.",
    ],
    "delivery_problem.wrong_item": [
        "Thanks for letting us know. I've sent out the correct item today and emailed you a "
        "prepaid label for returning the wrong one.",
    ],
    "delivery_problem.missing_item": [
        "I'm sorry about the missing item. I've shipped the {product} separately today; you'll get "
        "a new tracking number by email.",
        "Part of your order was sent in a second parcel, which is on its way with {carrier}. If "
        "it hasn't arrived in 3 working days, let me know and I'll resend it.",
    ],
    "delivery_problem.not_received": [
        "I've opened a trace with {carrier} for your parcel. If it can't be found within 5 "
        "working days, we'll send a replacement or refund you in full - whichever you prefer.",
        "{carrier} confirmed the parcel was left with a neighbour at the same address. If you "
        "can't find it, reply and I'll send a replacement straight away.",
    ],
    "return_request": [
        "You can return the {product} within 30 days. I've emailed you a prepaid return label for "
        "order {order}; just drop the parcel at any parcel shop. Your refund is processed within "
        "5 working days after it reaches our warehouse.",
        "Returns are free within 30 days of delivery. Go to My account > Orders > {order} > "
        "Return item, and you'll get a QR code - no printer needed.",
        "I've registered the return for you and booked a pickup. The courier will contact you "
        "the day before to agree on a time.",
    ],
    "refund_request": [
        "I've checked and your return for {order} arrived at our warehouse. The refund of {amount} "
        "was issued today to your original payment method; depending on your bank it takes 3-5 "
        "working days to show.",
        "Your refund of {amount} has been processed. Refunds always go back to the original "
        "payment method, so please check your card or PayPal statement within the next few days.",
        "I'm sorry for the wait. The refund of {amount} for order {order} got stuck in our system; "
        "I've released it manually just now.",
    ],
    "cancel_order": [
        "I've cancelled order {order} for you. You'll receive a confirmation email shortly and the "
        "payment of {amount} will be refunded within 3-5 working days.",
        "Unfortunately order {order} has already been dispatched, so I can't cancel it anymore. "
        "Once it arrives you can return it free of charge within 30 days.",
        "Done - order {order} is cancelled and nothing will be charged.",
    ],
    "change_address": [
        "I've updated the delivery address for order {order}. It hasn't shipped yet, so it will "
        "go to the new address.",
        "Your order {order} had already been handed to {carrier}, but I've asked them to redirect "
        "it to the new address. This usually works; you'll get an update from them by email.",
    ],
    "shipping_cost": [
        "Standard delivery is free for orders over 49 EUR; below that it's 4.95 EUR. Express "
        "delivery costs 9.95 EUR and arrives in 1-2 working days.",
        "We deliver to all EU countries, the UK and Switzerland. Standard delivery takes 2-5 "
        "working days; for Switzerland and the UK customs fees may apply.",
        "Plus members always get free standard shipping, regardless of the order value.",
    ],
    "billing_question": [
        "I've sent a copy of the invoice to the email address on your account. You can also "
        "download all invoices under My account > Orders.",
        "I've corrected the invoice and attached the new version. Sorry for the inconvenience.",
    ],
    "billing_question.invoice_layout_vat": [
        "Thanks for flagging this. Since our new invoice layout, the VAT is shown in the 'Tax "
        "summary' box at the bottom of page 2 rather than on each line. I've attached invoice "
        "{invoice} with the net amount, VAT rate and VAT amount listed separately.",
        "Sorry for the confusion - the new invoices show the VAT per rate in the summary section, "
        "not per item. The total of {amount} includes 19% VAT. I've attached a corrected copy "
        "with the full breakdown for your records.",
        "You're not the first to ask about this! The VAT amount moved to the tax summary on the "
        "last page of the new invoice. I've sent you a copy with the VAT line highlighted.",
    ],
    "payment_failed": [
        "I've checked and there is no block on our side. Declines usually come from the card "
        "issuer's 3D Secure check; please try again or use another payment method such as PayPal. "
        "Any amount reserved by failed attempts is released by your bank within a few days.",
        "Your payment for order {order} went through in the end, so the order is confirmed and "
        "will ship shortly.",
    ],
    "payment_failed.charged_twice": [
        "You're right, I can see two payments of {amount} for order {order}. I've refunded the "
        "duplicate payment today; it will appear on your statement within 3-5 working days.",
        "I've checked with our payment provider: the second charge of {amount} was only a "
        "reservation and has now been released. It should disappear from your statement within "
        "a few days.",
    ],
    "discount_code": [
        "I've applied the discount manually and refunded the difference to your original payment "
        "method.",
        "The code {code} is only valid on full-price items, which is why it didn't apply to the "
        "{product}. As a one-off, I've added a 10% voucher to your account.",
        "That code expired last Sunday, I'm afraid - but here's a new 10% code you can use until "
        "the end of the month: THANKS10.",
    ],
    "gift_card": [
        "At the moment the checkout can only take one gift card per order. Enter the gift card "
        "code first, then choose card or PayPal for the remaining amount on the next step.",
        "Unfortunately it isn't possible to combine a gift card with another payment method. You "
        "could place two separate orders instead.",
        "Good question! I've asked our payments team how split payments work with gift cards and "
        "it should work if you apply the gift card before selecting PayPal.",
        "You can use your gift card for part of an order; the rest can be paid by card, but not "
        "with Klarna or PayPal, I'm afraid.",
    ],
    "gift_card.balance": [
        "I've checked your gift card: it still has a balance of {gift_amount} and is valid for 3 "
        "years from purchase. Any unused amount stays on the card.",
        "Gift cards are valid for 3 years. You can see the remaining balance by entering the code "
        "in the basket - it's shown before you pay.",
    ],
    "account_access": [
        "I've sent a new password reset link to your email address; it's valid for 60 minutes. "
        "If it doesn't arrive, please check your spam folder.",
        "I've unlocked your account. You can log in again now - if you've forgotten the password, "
        "use 'Forgot password' on the login page.",
    ],
    "account_access.suspicious_login": [
        "I've locked your account as a precaution and cancelled the order you didn't place. "
        "Please set a new password using the link I've just sent you.",
        "Thanks for acting quickly. I've signed out all devices, removed the saved card and "
        "restored your email address. Please choose a new password with the reset link.",
    ],
    "account_delete": [
        "I've submitted your deletion request. Your account and personal data will be deleted "
        "within 30 days; we have to keep invoices for 10 years for tax reasons.",
        "Your account has been closed and you've been unsubscribed from all marketing.",
    ],
    "account_delete.data_request": [
        "We've received your request. You'll get an export of the personal data we hold about "
        "you at the email address on your account within 30 days, as the GDPR requires.",
    ],
    "technical_issue": [
        "Thanks for reporting this. Our developers found a bug that has now been fixed. Please "
        "clear your browser cache and try again.",
        "This is a known issue with the current app version; an update is rolling out this week. "
        "In the meantime the website works normally.",
        "I've passed the details to our technical team. Your order did go through - you'll find "
        "it under My account > Orders.",
    ],
    "product_question": [
        "Thanks for your question about the {product}! It's expected back in stock in about two "
        "weeks; you can sign up for a restock alert on the product page.",
        "The {product} comes with a 2-year warranty, and spare parts are available for 5 years.",
        "Yes, the {product} works with all hob types, including induction, and it's dishwasher "
        "safe.",
        "The exact dimensions and materials of the {product} are listed under 'Details' on the "
        "product page; it ships fully assembled.",
    ],
    "complaint.quality": [
        "I'm sorry the {product} didn't live up to what you expected. I've refunded {amount} in "
        "full - there's no need to send it back.",
    ],
    "complaint": [
        "I'm very sorry about your experience - this isn't the service we want to give. I've "
        "passed your feedback to the team lead and added a 15 EUR voucher to your account as an "
        "apology.",
        "Thank you for taking the time to write to us. I've reviewed your case and refunded the "
        "shipping costs. I've also shared your feedback with the team involved.",
        "I understand your frustration and I apologise. I've escalated your complaint to our "
        "customer experience manager, who will call you within 2 working days.",
    ],
}

AGENT = AgentWording(
    greetings=["Hi {first_name},", "Hello {first_name},", "Dear {first_name},"],
    chat_greetings=[
        "Hi {first_name}! I'm {agent_first}, happy to help.",
        "Hello {first_name}, {agent_first} here from Nordhaven.",
        "Hi there, thanks for waiting!",
    ],
    closings=[
        "Best regards,\n{agent_name}\nNordhaven Customer Care",
        "Kind regards,\n{agent_first}\nNordhaven Support",
        "Have a lovely day!\n{agent_first} | Nordhaven Customer Care",
        "Let me know if there's anything else I can do.\n\nBest,\n{agent_first}",
    ],
    apologies=[
        "I'm really sorry for the trouble this has caused.",
        "I completely understand your frustration, and I apologise.",
        "Thank you for your patience, and sorry for the inconvenience.",
    ],
    ask_info=ASK_INFO,
    resolve=RESOLVE,
    holding=[
        "Thanks for your patience. I've contacted the team involved and will get back to you "
        "as soon as I hear from them, usually within 2 working days.",
        "I've forwarded this to the relevant department and will update you as soon as I "
        "have news.",
        "I'm looking into this with our warehouse right now and will be in touch shortly.",
    ],
    repeat_apologies=[
        "I'm sorry you had to write to us again about this.",
        "Apologies that this still isn't sorted after your last message.",
    ],
    escalated=[
        "Your case is now with our complaints team, who will make sure it is handled properly.",
        "I've taken over your case from my colleague in the complaints "
        "team and will see it through personally.",
    ],
    reopened=[
        "I'm sorry to hear it's still not sorted. I've escalated this and will personally "
        "follow up.",
        "Thanks for letting me know. I've checked again and taken care of it - you'll get a "
        "confirmation email shortly.",
    ],
    checking=[
        "One moment please, I'm checking that for you.",
        "Let me have a look - bear with me for a minute.",
        "Checking our system now.",
    ],
    reminder=[
        "Just checking in - we haven't heard back from you. If there's no reply in the next "
        "few days, we'll assume everything is sorted and close this request."
    ],
)

NOTES: Templates = {
    "transfer": [
        "Not for us - moving to {queue}.",
        "Reassigning to {queue}.",
        "This belongs in {queue}, moving it over.",
    ],
    "legal": [
        "Customer mentions legal action - escalating to Complaints, please handle with priority.",
        "Legal threat. Moving to Complaints and raising priority.",
    ],
    "phone": [
        "Called the customer back on the number from the voicemail; summary in my reply.",
        "Call-back done, customer confirmed the details by phone.",
        "Tried to call back, no answer - replying by email instead.",
    ],
    "repeat": [
        "Customer is a repeat contact, see the previous ticket.",
        "Second contact about the same issue - check the earlier ticket first.",
    ],
    "hold": ["Following up internally before replying.", "Waiting for the other team to confirm."],
    "order_status": [
        "Asked the warehouse for a status update on {order}.",
        "Asked {carrier} for a status update on {tracking}.",
    ],
    "order_status.carrier_delay": [
        "Another {carrier} delay - trace opened for {tracking}.",
        "{carrier} parcel stuck since {ship_date}. Trace opened, reship if no scan in 3 days.",
    ],
    "delivery_problem": [
        "Claim opened with {carrier} for {order}.",
        "Replacement requested from the warehouse for {order}.",
    ],
    "refund_request": [
        "Asked finance to check the refund for {order}.",
        "Checking with the returns team whether the parcel was scanned in.",
    ],
    "billing_question.invoice_layout_vat": [
        "Another invoice-layout VAT question. Sent breakdown manually; added to the finance "
        "tracker.",
        "New invoice layout confusing customers again (VAT in page-2 summary).",
    ],
    "payment_failed": ["Checking with the payments team (PSP dashboard)."],
    "payment_failed.charged_twice": ["Duplicate capture confirmed in PSP dashboard, refunded."],
    "gift_card.split_payment": [
        "Not sure about split payment with gift cards - no article on this. Asked payments team.",
        "Gift card + second payment method question again, no KB answer.",
    ],
    "account_access.suspicious_login": [
        "Possible account takeover - account locked, flagged to fraud team."
    ],
    "account_delete": ["Forwarded to the data protection officer."],
    "technical_issue": [
        "Bug ticket raised with the web team.",
        "Reproduced on staging, passed to the app team.",
    ],
    "cancel_order": ["Asked the warehouse to stop {order} before dispatch."],
    "change_address": ["Asked the warehouse to update the label for {order}."],
    "complaint": [
        "Customer very upset, offered 15 EUR goodwill voucher.",
        "Escalated to CX manager for a call-back.",
    ],
    "resolved": [
        "Resolved - see reply.",
        "Sorted, no further action needed.",
        "Done, customer informed.",
        "Solved with macro, tagged for the weekly review.",
    ],
    "*": [
        "Checked order history, nothing unusual.",
        "Replied with standard macro.",
        "Customer details verified.",
    ],
}
