"""English customer wording about accounts, privacy, bugs, products and complaints."""

from __future__ import annotations

from casework.demo.templates.pack import Templates

CORE: dict[str, Templates] = {
    "account_access": {
        "password_reset": [
            "I can't log in to my account. The password reset email never arrives. My email is "
            "{email}.",
            "I forgot my password and the reset link says it has expired.",
            "My account is locked after too many login attempts. Please unlock it.",
            "I don't receive the verification code by SMS on {phone}.",
            "I changed my email address and now I can't log in. Old email: {email}.",
            "The reset password link just takes me back to the login page.",
            "Login keeps failing even with the correct password. I'm using {browser}.",
            "It says no account exists for {email}, but I've ordered from you before.",
            "Please reset my password, I'm locked out.",
            "The app logs me out every time I close it and then my password doesn't work.",
            "I never get the 'forgot password' email. Checked spam too.",
        ],
        "suspicious_login": [
            "Someone changed the password of my account! I got an email about a login from {ip} "
            "that wasn't me.",
            "There is an order in my account that I didn't place. I think my account was hacked.",
            "I got a login notification from an unknown device. Please secure my account, my "
            "email is {email}.",
            "My account email was changed without my permission. I can't log in anymore!",
            "Someone used my saved card to order things in my account. Please block it "
            "immediately.",
        ],
    },
    "account_delete": {
        "delete_account": [
            "Please delete my account and all my personal data.",
            "I want to close my account. My email is {email}.",
            "Please remove my account, I no longer want to shop with you.",
            "Delete my data. Name: {name}, email: {email}.",
            "How do I delete my customer account? I can't find the option.",
            "I request erasure of my personal data under Article 17 GDPR.",
            "Please delete my saved address ({address}) and payment details from my account.",
            "I want my account deleted, but I have an open return - will that be a problem?",
            "Please confirm in writing once my data has been deleted.",
            "Please delete my duplicate account registered with {email}.",
            "I'm closing my account. Please delete everything, including my order history where "
            "legally possible.",
        ],
        "data_request": [
            "Under the GDPR I request a copy of all personal data you hold about me.",
            "I'd like to know what data you store about me and who you share it with (Art. 15 "
            "GDPR).",
            "Can you send me an export of my order history and personal data?",
            "I keep getting marketing texts on {phone} although I never agreed. What data do you "
            "have on me and where did you get it?",
            "Please stop sending me newsletters and tell me which of my data you keep. Email: "
            "{email}.",
        ],
    },
    "technical_issue": {
        "*": [
            "The checkout page freezes when I click 'Pay now'. Tried {browser} and my phone.",
            "Your app crashes every time I open the basket. {device}, app version {app_version}.",
            "I get 'Error 500' when I try to view my orders.",
            "The website doesn't load product images for me. Using {browser} on Windows.",
            "I can't add anything to my cart - the button does nothing.",
            "The app shows my basket as empty although I added items on the website.",
            "After the latest update the app won't start on my {device}.",
            "The promo banner covers the checkout button on mobile so I can't finish my order.",
            "I keep getting logged out during checkout and lose my cart.",
            "The search on your website returns no results for anything.",
            "The size filter doesn't work on the category pages.",
            "Your site says 'something went wrong' when I try to save my address.",
            "The app sends me push notifications in the middle of the night and I can't turn "
            "them off.",
            "The page keeps reloading in {browser} and I can't log in. My IP is {ip} if that "
            "helps.",
            "I can't upload photos for my return in the app - the spinner never stops.",
            "The order confirmation page crashed after payment. Did my order go through?",
        ],
    },
    "product_question": {
        "*": [
            "When will the {product} be back in stock?",
            "Is the {product} dishwasher safe?",
            "What are the dimensions of the {product}?",
            "Does the {product} come with a warranty? How long?",
            "Is the {product} suitable for induction hobs?",
            "What material is the {product} made of? Is it sustainably sourced?",
            "Can I get the {product} in a different colour?",
            "Does the {product} come with a European plug?",
            "Will you restock the {product} before Christmas?",
            "How do I clean the {product}?",
            "Does the {product} need to be assembled?",
            "Are spare parts available for the {product}?",
            "What's the difference between the {product} and the premium version?",
            "Is the {product} made in the EU?",
            "Can you recommend something similar to the {product}? It's sold out.",
            "Is the {product} true to size?",
            "quick question - is the {product} still available?",
        ],
    },
    "complaint": {
        "service": [
            "I am extremely disappointed with your service. Nobody answers my emails.",
            "This is the worst online shopping experience I've ever had.",
            "Your customer service is a joke. I've been waiting a week for a reply about order "
            "{order}.",
            "I want to file a formal complaint about how my order {order} was handled.",
            "I've been a customer for years and I've never been treated like this.",
            "Every single order I've made recently has had a problem. What is going on at "
            "{company}?",
            "I was promised a callback three times and nobody ever called.",
            "I'm very unhappy that you sent my order with {carrier}. They are unreliable and I "
            "was never asked.",
            "Your agent hung up on me when I called about {order}.",
            "I demand to speak to a manager about the way my case has been handled.",
            "I'm writing to complain about the repeated delays and lack of communication about "
            "order {order}.",
            "Your courier was rude and threw my parcel over the fence.",
        ],
        "quality": [
            "The quality of the {product} is terrible for {amount}. It fell apart after two uses.",
            "The {product} smells of chemicals and made my flat stink. Totally unacceptable.",
            "You advertise quality but the {product} looks nothing like the photos.",
            "Second {product} in a row that broke within a month. Your quality control is "
            "non-existent.",
        ],
    },
}

SUBJECTS: Templates = {
    "account_access": [
        "Can't log in",
        "Password reset",
        "Account locked",
        "Login problem",
        "Account access",
    ],
    "account_delete": [
        "Delete my account",
        "GDPR request",
        "Data request",
        "Account deletion",
        "Personal data",
    ],
    "technical_issue": [
        "Website error",
        "App not working",
        "Checkout problem",
        "Bug report",
        "Error on your site",
    ],
    "product_question": [
        "Question about a product",
        "Product question",
        "Stock question",
        "Question",
        "Availability",
    ],
    "complaint": [
        "Complaint",
        "Formal complaint",
        "Very unhappy",
        "Terrible service",
        "Disappointed",
    ],
}

DETAILS: Templates = {
    "account_access": ["I've tried three times now.", "I cleared my cookies already."],
    "account_delete": ["I'd appreciate a confirmation once it's done."],
    "technical_issue": [
        "I've attached a screenshot.",
        "It worked fine last week.",
        "Same problem on my partner's phone.",
    ],
    "product_question": ["I'd like to order it as a gift.", "Thanks for your help!"],
    "complaint": ["I expect a proper answer this time.", "I will share my experience online."],
}
