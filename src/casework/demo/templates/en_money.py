"""English customer wording about money: refunds, invoices, payments, codes, gift cards.

`billing_question/invoice_layout_vat` is the planted recurring issue (the new
invoice layout hides the VAT line); `gift_card/split_payment` is the planted
knowledge gap (no article explains paying with a gift card plus another method).
"""

from __future__ import annotations

from casework.demo.templates.pack import Templates

CORE: dict[str, Templates] = {
    "refund_request": {
        "*": [
            "I returned my order {order} two weeks ago and still haven't got my refund.",
            "When will I receive my refund of {amount}? You received the return on {order_date}.",
            "I'd like a refund of {amount} for the {product}, it stopped working after a week.",
            "Please refund {amount} to my account. Order {order} was cancelled but I was charged.",
            "Where is my money? You confirmed the return of {order} but no refund yet.",
            "I want my money back for order {order}. The product is not as described.",
            "Can you refund the shipping costs? The delivery was a week late.",
            "Please transfer the refund to my bank account instead: {iban}.",
            "I was promised a refund of {amount} by your colleague on the phone. Nothing has "
            "arrived.",
            "My refund for {order} was only partial. I paid {amount} but got less back.",
            "Refund status for order {order} please.",
            "It has been more than 14 days since you received my return. Where is the refund of "
            "{amount}?",
            "I paid with PayPal - will the refund go back there or to my card?",
            "The refund for order {order} shows in your email but not on my bank statement. My "
            "IBAN is {iban}.",
            "You charged me {amount} for an item that was never delivered. I want a full refund.",
            "Could you process the refund for the {product} I sent back last week? Tracking "
            "{tracking}.",
            "refund of {amount} for {order} still missing",
        ],
    },
    "billing_question": {
        "invoice_layout_vat": [
            "Your new invoice layout is confusing. Where is the VAT amount? I need it for my "
            "expenses.",
            "The invoice for order {order} doesn't show the VAT line anymore. Can you send a "
            "correct invoice?",
            "Since the new invoice format I can't see the net amount and the tax separately. "
            "Invoice {invoice}.",
            "My accountant rejected invoice {invoice} because the VAT breakdown is missing.",
            "Why does the invoice now only show one total? I need the VAT listed separately.",
            "The new invoices look different - the VAT rate says 0% but I was charged {amount}. "
            "Is that correct?",
            "I don't understand the new invoice. There are two totals and neither matches what I "
            "paid ({amount}).",
            "The VAT line on invoice {invoice} is empty. Please fix it, I need a proper VAT "
            "invoice.",
            "Your invoices have changed and the tax is now hidden somewhere. Can you send the old "
            "format?",
            "Invoice {invoice}: the 'incl. VAT' line shows the wrong amount. The total was "
            "{amount}.",
            "Where has your VAT number gone from the invoices? Our finance team needs it.",
            "Can you explain the new invoice layout? I can't find how much VAT I paid on order "
            "{order}.",
            "The PDF invoice for {order} says 'VAT: see summary' but I can't find a summary.",
        ],
        "invoice_copy": [
            "Can you send me an invoice for order {order}? I can't find it in my account.",
            "I need a copy of my invoice for {order}, please send it to {email}.",
            "Could you issue the invoice for order {order} in my company's name?",
            "I was charged {amount} but the invoice says something else. Which is correct?",
            "How do I download the invoices for all my orders this year?",
            "The invoice has my old address on it ({address}). Can you correct it?",
        ],
    },
    "payment_failed": {
        "payment_declined": [
            "My payment keeps getting declined at checkout even though my card works everywhere "
            "else.",
            "I tried to pay with my card {card} and it says 'payment failed'. What's wrong?",
            "PayPal payment failed for my order but the money was taken from my account.",
            "The checkout says my card was declined. I have enough balance. Can you check?",
            "I can't complete my payment - it keeps sending me back to the cart.",
            "Payment failed three times. Is there a problem with your payment provider?",
            "The 3D Secure code never arrives on my phone, so the payment fails.",
            "My order {order} has said 'payment pending' for two days now. Did the payment go "
            "through?",
        ],
        "charged_twice": [
            "I was charged twice for order {order}! {amount} was taken two times from my account.",
            "There are two charges of {amount} on my card statement for the same order.",
            "Double charge on my credit card {card} for order {order}. Please refund one of them.",
            "Why did you charge me {amount} twice? I only placed one order.",
            "My bank shows the payment for {order} twice. Please fix this ASAP.",
            "The first payment failed, so I ordered again - and now I've paid {amount} twice.",
            "Two debits from my account {iban} for the same order {order}.",
            "The payment was taken twice from my card. Card number {card}, order {order}.",
        ],
    },
    "discount_code": {
        "*": [
            "The discount code {code} doesn't work at checkout. It says invalid.",
            "I got {code} in your newsletter but it's not accepted.",
            "I forgot to enter my promo code {code}. Can you still apply it to order {order}?",
            "Why does the code {code} not apply to the {product}?",
            "Is there a discount for first-time customers?",
            "My welcome discount wasn't applied to my first order {order}.",
            "The code {code} says expired but the email says it's valid until the end of the "
            "month.",
            "Can I use two discount codes on one order?",
            "I saw a 20% offer on Instagram but the price in the cart is the same. Code {code}.",
            "Do you have a student discount?",
            "The discount code was accepted but the total didn't change. Order {order}.",
            "I was promised a voucher as compensation for the late delivery. Where is it?",
            "Code {code} only took off 5% instead of 15%.",
            "I bought the {product} two days before your sale started. Can you refund the "
            "difference?",
            "The sign-up code from your newsletter never arrived at {email}.",
            "promo code {code} not working??",
        ],
    },
    "gift_card": {
        "split_payment": [
            "Can I pay part of my order with a gift card and the rest with my credit card?",
            "I have a gift card worth {gift_amount} but my basket is {amount}. How do I pay the "
            "difference?",
            "The checkout only lets me use the gift card OR PayPal. Can I combine them?",
            "How do I use a gift card together with another payment method?",
            "My gift card doesn't cover the full amount and the checkout won't let me add a "
            "second payment method.",
            "Can I split the payment between two gift cards?",
            "When I enter my gift card the remaining amount disappears and I can't pay. Is split "
            "payment possible?",
            "I want to use my {gift_amount} gift card and pay the remaining {amount} by card. How "
            "does that work?",
            "Is it possible to use a gift card in the app and pay the rest with Klarna?",
            "The gift card is applied but then it asks me to pay the full price again with "
            "PayPal??",
            "Gift card + credit card in one order - possible?",
            "I tried to use my gift card for part of the order but got 'payment method not "
            "combinable'. What now?",
        ],
        "balance": [
            "How can I check the remaining balance on my gift card?",
            "I used part of my gift card - is the rest still valid, and until when?",
            "My gift card code says 'already used' but I only spent {gift_amount} of it.",
            "Do your gift cards expire? I got one for my birthday last year.",
            "Can I use a gift card on an order I've already placed? Order {order}.",
        ],
    },
}

SUBJECTS: Templates = {
    "refund_request": [
        "Refund",
        "Where is my refund?",
        "Refund for order {order}",
        "Money back",
        "Refund not received",
    ],
    "billing_question": [
        "Invoice",
        "Question about my invoice",
        "Invoice {invoice}",
        "VAT on invoice",
        "Billing question",
        "New invoice format",
    ],
    "payment_failed": [
        "Payment problem",
        "Charged twice",
        "Payment failed",
        "Double payment",
        "Card declined",
    ],
    "discount_code": ["Discount code", "Promo code not working", "Voucher", "Code {code}"],
    "gift_card": ["Gift card", "Gift card question", "Paying with a gift card", "Voucher card"],
}

DETAILS: Templates = {
    "refund_request": [
        "I have the return receipt from the parcel shop.",
        "I returned it in the original packaging.",
        "You can send the money to {iban}.",
        "My card {card} has expired, so please refund to {iban} instead.",
    ],
    "billing_question": [
        "I need this for my tax return.",
        "I run a small business, so a correct invoice matters.",
    ],
    "payment_failed": [
        "I've already contacted my bank.",
        "I tried two different browsers.",
        "The card I used is {card}.",
        "It's my Visa card {card}, valid until next year.",
    ],
    "discount_code": ["I'm subscribed to the newsletter.", "It's my first order with you."],
    "gift_card": [
        "The gift card was a present from my sister.",
        "I'm trying to order the {product}.",
    ],
}
