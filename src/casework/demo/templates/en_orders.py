"""English customer wording about orders, deliveries, returns and shipping."""

from __future__ import annotations

from casework.demo.templates.pack import Templates

CORE: dict[str, Templates] = {
    "order_status": {
        "where_is_order": [
            "I ordered the {product} on {order_date} and it still hasn't arrived. Order number "
            "{order}. Can you tell me where it is?",
            "Where is my order {order}? It's been {days} days.",
            "Could you please check the status of my order {order}? I haven't received any "
            "shipping update.",
            "I placed an order {days} days ago and have heard nothing since. When will it be "
            "delivered?",
            "My order ({order}) was supposed to arrive by now. Can you give me an update?",
            "Any news on order {order}? The website still says shipped but nothing has turned up.",
            "I'm still waiting for my {product}. Can you let me know when it will arrive?",
            "when will my parcel arrive? order {order}",
            "Can you tell me where my package is? I ordered on {order_date} and the estimated "
            "delivery date has passed.",
            "I need the {product} for a birthday this weekend. Will order {order} arrive in time?",
            "The tracking link in my confirmation email doesn't work. Where is order {order} "
            "right now?",
            "I haven't had a dispatch confirmation for my order from {order_date}. Has it even "
            "been sent?",
            "Just checking in on order {order}. Expected delivery was a few days ago.",
            "Please let me know the delivery status of my order. I used {email} at checkout.",
            "Is my order {order} lost? {days} days and still nothing.",
            "Order {order} - status please. Paid on {order_date}, no parcel yet.",
            "How long does delivery usually take? My {product} was ordered {days} days ago and "
            "is still not here.",
        ],
        "carrier_delay": [
            "My tracking number {tracking} with {carrier} hasn't updated in days. Where is my "
            "parcel?",
            "The {carrier} tracking just says 'label created' since {order_date}. Order {order}. "
            "What's going on?",
            "Since when do you ship with {carrier}? My parcel ({tracking}) has been stuck 'in "
            "transit' for over a week.",
            "{carrier} says the parcel is at the depot but nothing moves. Order {order}, "
            "tracking {tracking}.",
            "I called {carrier} about {tracking} and they told me to contact the sender. So: "
            "where is order {order}?",
            "The {carrier} tracking page shows no information at all for {tracking}. Can you "
            "check with them?",
            "My orders always used to come within 3 days. This one ({order}) has been with "
            "{carrier} for {days} days now.",
            "{carrier} claims they tried to deliver but nobody rang and there was no card. "
            "Order {order}.",
            "Parcel {tracking} shows 'delayed' on the {carrier} website. Any idea when it will "
            "actually arrive?",
            "Why is my order going with {carrier} now? It's {days} days since I ordered and "
            "their hotline is useless.",
            "Tracking for {order} hasn't moved since it was handed to {carrier}. Is it lost?",
            "where is my parcel?? {carrier} tracking {tracking} stuck for a week",
        ],
    },
    "delivery_problem": {
        "damaged_item": [
            "My {product} arrived damaged. The box was crushed and the item is broken. Order "
            "{order}.",
            "The {product} from order {order} came with a big crack. I'd like a replacement "
            "please.",
            "Unfortunately the {product} I received is scratched all over. What can you do?",
            "Item arrived broken. Photos attached. Order {order}.",
            "I just unpacked my {product} and it's damaged - looks like it was dropped in transit.",
            "The parcel was soaking wet when it arrived and the {product} inside is ruined.",
        ],
        "wrong_item": [
            "I received the wrong item. I ordered the {product} but got something completely "
            "different. Order {order}.",
            "You sent me the wrong colour. Order {order} - I ordered the {product} in grey and "
            "got beige.",
            "The box contained someone else's order! Mine was {order}.",
        ],
        "missing_item": [
            "My parcel arrived but the {product} is missing from it. Order {order}.",
            "Only one of the items from order {order} was in the box. Where is the rest?",
            "Half my order is missing. The packing slip lists the {product} but it's not in the "
            "package.",
        ],
        "not_received": [
            "Tracking says order {order} was delivered yesterday but I never got it.",
            "{carrier} marked my parcel as delivered but there's nothing at my door. I live at "
            "{address}.",
            "My order shows as delivered but none of my neighbours have it either. Order {order}.",
            "The parcel was apparently left with a neighbour but I have no idea which one. "
            "Tracking {tracking}.",
            "Delivered according to {carrier}, not received according to me. Order {order}.",
        ],
    },
    "return_request": {
        "*": [
            "I'd like to return the {product} from order {order}. How do I do that?",
            "Can you send me a return label for order {order}? The {product} doesn't fit in our "
            "space.",
            "The {product} isn't what I expected. How can I send it back?",
            "I want to return my order. Do I have to pay for the return shipping?",
            "How do I return an item? I bought the {product} on {order_date}.",
            "I'd like to exchange the {product} for a different colour. Order {order}.",
            "Is it too late to return something I bought on {order_date}? It's still unused in "
            "the box.",
            "Where do I find the return form? I can't see it in my account.",
            "The return label in my account gives an error when I try to print it. Order {order}.",
            "I don't have a printer - can I return the {product} without printing a label?",
            "I'd like to send back two items from order {order} but keep the rest.",
            "What is your return policy? I got the {product} as a gift and want to return it.",
            "Can I drop the return off at a parcel shop or does it have to be collected?",
            "The {product} is fine but I changed my mind. Can I still return it? Order {order}.",
            "I'd like to return the {product}, it's much smaller than in the photos.",
            "Please arrange a pickup for the return of order {order}, the {product} is too heavy "
            "to carry to a shop. My address is {address}.",
        ],
    },
    "cancel_order": {
        "*": [
            "Please cancel my order {order}. I ordered by mistake.",
            "Can I still cancel order {order}? I placed it an hour ago.",
            "I'd like to cancel my order, I found the {product} cheaper elsewhere.",
            "Cancel order {order} please.",
            "I accidentally ordered the {product} twice. Please cancel one of the orders.",
            "How do I cancel an order? There is no button in my account. Order {order}.",
            "Please stop the shipment of {order}, I no longer need it.",
            "I need to cancel {order} before it ships - is that still possible?",
            "I changed my mind about the {product}. Can you cancel my order from today?",
            "Cancel my order immediately. Order number {order}.",
            "I ordered the wrong size, please cancel {order} so I can reorder.",
            "Is it possible to cancel just one item in order {order}? I want to keep the rest.",
            "I placed an order this morning but want to cancel it. My email is {email}.",
            "Please cancel order {order} and refund the {amount} to my card.",
            "Can you cancel my order? It still says processing. Order {order}.",
            "hi can i still cancel my order from today? {order}",
        ],
    },
    "change_address": {
        "*": [
            "I made a mistake in my delivery address. Could you change it to {new_address}? "
            "Order {order}.",
            "Can I change the shipping address for order {order}? I'm moving next week.",
            "Please send order {order} to {new_address} instead.",
            "I entered my old address by mistake. The correct one is {new_address}.",
            "Is it possible to update the delivery address on an order that's already been placed?",
            "Wrong house number on order {order}! It should be {new_address}.",
            "Could you deliver order {order} to my office instead? Address: {new_address}.",
            "I won't be home next week, can you redirect my parcel to {new_address}?",
            "Please correct the postcode on my order {order}. Full address: {new_address}.",
            "How do I change my delivery address? I ordered earlier today.",
            "Change of address for {order} please: {new_address}",
            "The address on my order is wrong, it should be {new_address}. Phone for the "
            "courier: {phone}.",
            "I just moved from {address} to {new_address}. Can you update order {order}?",
            "Can you update my default address and the open order? New: {new_address}.",
            "My order is going to my old flat. Please change it to {new_address} asap.",
        ],
    },
    "shipping_cost": {
        "*": [
            "How much is shipping to {country_name}?",
            "Do you offer free shipping? What's the minimum order value?",
            "Why was I charged {amount} for shipping when your site says free delivery?",
            "How long does delivery to {country_name} usually take?",
            "Do you ship to Switzerland? And what does it cost?",
            "What does express delivery cost and how fast is it?",
            "Can I combine two orders to save on shipping?",
            "Why are the shipping costs so high for the {product}?",
            "Do you ship to the Canary Islands? Are there extra customs fees?",
            "What are your delivery times before Christmas?",
            "Do you deliver on Saturdays?",
            "Is shipping free for Plus members?",
            "The checkout shows {amount} shipping for one small item. Is that right?",
            "Can I choose the carrier for my delivery?",
            "Do you offer click & collect or pickup points to avoid delivery fees?",
            "what are the delivery costs for a big item like the {product}?",
        ],
    },
}

SUBJECTS: Templates = {
    "order_status": [
        "Where is my order?",
        "Order {order}",
        "Delivery status",
        "Order not arrived",
        "Status of order {order}",
        "Still waiting",
        "My parcel",
    ],
    "delivery_problem": [
        "Damaged item",
        "Problem with my delivery",
        "Order {order} - problem",
        "Wrong item received",
        "Parcel not received",
        "Broken on arrival",
    ],
    "return_request": [
        "Return",
        "Return label",
        "Returning order {order}",
        "How to return",
        "Exchange",
    ],
    "cancel_order": ["Cancel order", "Cancellation {order}", "Please cancel", "Cancel my order"],
    "change_address": [
        "Change delivery address",
        "Wrong address",
        "Address change {order}",
        "New address",
    ],
    "shipping_cost": ["Shipping costs", "Delivery question", "Shipping", "Delivery times"],
}

DETAILS: Templates = {
    "order_status": [
        "The confirmation email said 2-4 working days.",
        "I've checked with my neighbours and the post room already.",
        "It's a present so I really need it soon.",
        "I paid for the order straight away.",
    ],
    "delivery_problem": [
        "I've kept the packaging in case you need it.",
        "The outer box looked fine, so it must have been packed badly.",
        "This was meant to be a gift.",
        "I can send photos if needed.",
    ],
    "return_request": [
        "Everything is unused and in the original packaging.",
        "I still have the receipt.",
        "I'm within the 30 days, I think.",
    ],
    "cancel_order": ["It hasn't shipped yet according to my account.", "I don't need it anymore."],
    "change_address": ["The parcel hasn't been shipped yet.", "Sorry for the hassle!"],
    "shipping_cost": ["I'm ordering from {country_name}.", "It's for a fairly large order."],
}
