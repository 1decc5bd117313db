"""The English language pack: customer phrases around the core templates."""

from __future__ import annotations

from casework.demo.templates import en_account, en_money, en_orders
from casework.demo.templates.en_agent import AGENT
from casework.demo.templates.pack import CustomerWording, LanguagePack

CUSTOMER = CustomerWording(
    core={**en_orders.CORE, **en_money.CORE, **en_account.CORE},
    subjects={**en_orders.SUBJECTS, **en_money.SUBJECTS, **en_account.SUBJECTS},
    details={
        **en_orders.DETAILS,
        **en_money.DETAILS,
        **en_account.DETAILS,
        "*": ["Thanks in advance.", "Hope you can help."],
    },
    greetings=[
        "Hello,",
        "Hi,",
        "Dear Nordhaven team,",
        "Hi there,",
        "Good morning,",
        "Dear Sir or Madam,",
        "Hello Nordhaven,",
        "Hey,",
    ],
    closings=[
        "Thanks,",
        "Kind regards,",
        "Best,",
        "Cheers,",
        "Regards,",
        "Thank you,",
        "Many thanks,",
        "Best wishes,",
    ],
    frustration=[
        "This is the third time I'm writing about this.",
        "I already contacted you twice and nobody has replied.",
        "I have been waiting for an answer for days.",
        "Honestly, this is ridiculous.",
        "This is completely unacceptable.",
        "I am beyond frustrated at this point.",
    ],
    churn=[
        "If this isn't sorted by Friday I'll never order from you again.",
        "I'm seriously considering closing my account.",
        "I'll tell everyone I know to avoid Nordhaven.",
        "This will be my last order with you.",
        "I'll be leaving a review about this.",
    ],
    negative=[
        "This is a bit disappointing.",
        "Not great, to be honest.",
        "I'm quite annoyed about this.",
        "I expected better from you.",
    ],
    positive=[
        "I love your products, this is just a small hiccup.",
        "Thanks a lot in advance!",
        "Your service has always been great.",
        "Really happy with my other orders!",
        "Thank you so much for your help :)",
    ],
    human=[
        "I want to speak to a real person, not a bot.",
        "Please have a human call me back.",
        "Can I talk to an actual agent please?",
        "Stop sending me automated replies, I need a human.",
        "Is there a phone number where I can reach a person?",
        "Please pass this on to a real person.",
    ],
    legal=[
        "If I don't get my money back I will take legal action.",
        "I'll be contacting my lawyer about this.",
        "I'm going to report you to the consumer protection agency.",
        "I will file a claim at the small claims court.",
        "Consider this formal notice before I take legal steps.",
        "My solicitor will be in touch.",
    ],
    repeat=[
        "I already wrote to you about this last week (ticket #{previous_ticket}).",
        "Following up on my earlier request #{previous_ticket}, which was never resolved.",
        "Same issue as in ticket #{previous_ticket}.",
    ],
    contact=[
        "You can reach me on {phone}.",
        "My phone number is {phone}.",
        "Please call me back on {phone}.",
        "My email address is {email}.",
        "Delivery address: {address}.",
    ],
    impatient=[
        "Hello?? Any update?",
        "Still waiting for an answer.",
        "Is anyone reading these messages?",
        "Any news on this please?",
        "I sent this yesterday and have heard nothing.",
    ],
    thanks=[
        "Thank you!",
        "Great, thanks for the quick help.",
        "Perfect, thanks.",
        "Thanks, that's sorted then.",
        "Brilliant, much appreciated!",
        "ok thanks",
    ],
    provide={
        "order_number": [
            "Sure, it's {order}.",
            "Order number is {order}.",
            "{order}",
            "Sorry, here it is: {order}",
            "It's {order}, ordered on {order_date}.",
        ],
        "photos": [
            "Photos attached.",
            "Here are the pictures of the damage and the box.",
            "I've attached three photos.",
        ],
        "iban": [
            "My IBAN is {iban}, account holder {name}.",
            "{iban} - {name}",
            "Here you go: IBAN {iban}",
        ],
        "address": [
            "The full address is {new_address}.",
            "{new_address}",
            "It's {new_address}, thanks!",
        ],
        "email": ["It's {email}.", "The account is registered under {email}.", "{email}"],
        "device": [
            "{device}, app version {app_version}.",
            "I'm using {browser} on a laptop. Screenshot attached.",
            "It's a {device}.",
        ],
        "details": [
            "It's exactly as I described, nothing else to add really.",
            "It happened again this morning, same as before.",
            "I've attached a screenshot, hope that helps.",
        ],
        "payment": [
            "I used my credit card, no error message, the page just reloads.",
            "I paid by PayPal, no error.",
            "What else do you need? I've told you everything already.",
        ],
    },
    reopen={
        "*": [
            "Sorry, but this still isn't solved.",
            "That didn't work, the problem is back.",
            "I'm afraid nothing has changed since your last message.",
        ],
        "order_status": ["It still hasn't arrived.", "The tracking still hasn't moved."],
        "refund_request": [
            "I still haven't received the refund.",
            "The refund still isn't on my account.",
        ],
        "account_access": ["The link doesn't work either."],
    },
    background=[
        "I ordered this as a birthday present for my mother.",
        "I've been a customer for a few years and never had a problem before.",
        "We're moving house next month, so the timing really matters to me.",
        "I work shifts, so I'm often not at home during the day.",
        "I already read the FAQ on your website but couldn't find an answer there.",
        "Last time something similar happened it was sorted quickly, so I hope this will be too.",
        "I also tried calling, but the line was busy for over twenty minutes.",
        "My partner placed a similar order last month and everything was fine.",
        "To be honest I've been recommending you to friends, so this is a bit embarrassing.",
        "I'm travelling next week and won't be able to reply quickly.",
        "Please note that I'm writing from my work address as my private inbox is full.",
        "I've attached the order confirmation and a screenshot of my account page.",
    ],
    voicemail=[
        "Voicemail transcript: Hi, this is {name}. {core} Please call me back on {phone}.",
        "Voicemail transcript: Hello, {name} here. {core} My number is {phone}, thanks.",
        "Call summary (voicemail): {core} Callback number {phone}.",
    ],
)

PACK = LanguagePack(code="en", customer=CUSTOMER, agent=AGENT)
