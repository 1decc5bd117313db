"""Nordhaven's help centre: 40 articles with owners, statuses and review dates.

Planted here: stale articles (last reviewed more than 180 days before the
reference date) — among them the tracking article that still names the old
carrier and the invoice article that still describes the old layout — drafts
that were never approved for exactly the two growing issues, and no article
at all about paying with a gift card plus another method (the knowledge gap).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from casework.demo.clock import REFERENCE_DATE
from casework.domain import Article, ArticleStatus

KNOWLEDGE_MANAGER = "Mia Sørensen"
STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class KBEntry:
    key: str
    title: str
    intents: tuple[str, ...]  # truth: which intents this article answers
    owner: str
    status: ArticleStatus
    reviewed_days_ago: int
    tags: tuple[str, ...]
    body: str
    language: str = "en"


A, D, X = ArticleStatus.approved, ArticleStatus.draft, ArticleStatus.archived
ORDERS, BILLING, RETURNS = "Hannah Berger", "Ravi Shah", "Marta Kowalska"
ACCOUNT, TECH, COMPLAINTS = "Pieter de Wit", "Arjun Mehta", "Daniel Reyes"

ENTRIES: tuple[KBEntry, ...] = (
    KBEntry("kb-001", "Where is my order? Tracking your parcel", ("order_status",), ORDERS, A, 262,
            ("tracking", "delivery", "order status"),
            "Every order ships within 1-2 working days. As soon as it leaves our warehouse you "
            "receive an email with your Parcelo tracking number. Enter it on parcelo.example to "
            "follow your parcel. Standard delivery takes 2-4 working days. If your tracking has "
            "not changed for 5 working days, contact us with your order number (ORD-…) and we "
            "will open an investigation with Parcelo."),
    KBEntry("kb-002", "Delivery times and shipping costs", ("shipping_cost", "order_status"),
            ORDERS, A, 41, ("shipping", "delivery times", "costs"),
            "Standard delivery is free for orders over 49 EUR; below that it costs 4.95 EUR. "
            "Delivery takes 2-5 working days within the EU. Orders placed before 2 pm on a "
            "working day usually leave our warehouse the same day. We do not deliver on Sundays "
            "or public holidays."),
    KBEntry("kb-003", "Express delivery", ("shipping_cost",), ORDERS, A, 58,
            ("express", "shipping"),
            "Express delivery costs 9.95 EUR and arrives within 1-2 working days with Expressa. "
            "Choose it at checkout; orders placed before 12 noon ship the same day. Express is "
            "not available for furniture and other bulky items."),
    KBEntry("kb-004", "Shipping to Switzerland, the UK and outside the EU", ("shipping_cost",),
            ORDERS, A, 97, ("international", "customs", "shipping"),
            "We ship to all EU countries, Switzerland, Norway and the UK. For deliveries outside "
            "the EU, customs duties and import VAT may be charged by the carrier on delivery. "
            "Delivery to the Canary Islands, Ceuta and Melilla is not possible at the moment."),
    KBEntry("kb-005", "My parcel says delivered, but I haven't received it",
            ("delivery_problem",), ORDERS, A, 33, ("delivered", "missing parcel", "neighbour"),
            "Sometimes parcels are left with a neighbour or in a safe place. Please check your "
            "letterbox, the tracking page for a delivery photo and ask your neighbours. If the "
            "parcel has not turned up after 2 working days, contact us: we open a trace with the "
            "carrier and, if the parcel cannot be found, send a replacement or a full refund."),
    KBEntry("kb-006", "Damaged or faulty items", ("delivery_problem", "complaint"), ORDERS, A, 20,
            ("damaged", "faulty", "replacement"),
            "We're sorry if something arrived damaged. Send us a photo of the item and of the "
            "outer box within 14 days of delivery, with your order number. We will send a free "
            "replacement or refund you in full; you don't need to return damaged items unless we "
            "ask you to."),
    KBEntry("kb-007", "Wrong or missing items in your parcel", ("delivery_problem",), ORDERS, A,
            66, ("wrong item", "missing item"),
            "If an item is missing or you received the wrong one, tell us your order number and "
            "which item is affected. Some orders ship in several parcels - check your shipping "
            "emails first. We ship missing items free of charge and send a prepaid label for "
            "wrong items."),
    KBEntry("kb-008", "How to return an item", ("return_request",), RETURNS, A, 14,
            ("returns", "return label"),
            "You can return any item within 30 days of delivery. Go to My account > Orders, "
            "choose the order and click 'Return item'. Print the prepaid label or show the QR "
            "code at a parcel shop. Returns are free within the EU."),
    KBEntry("kb-009", "Returning without a printer", ("return_request",), RETURNS, A, 120,
            ("returns", "QR code"),
            "No printer? Choose 'QR code' when you register your return. Show the code on your "
            "phone at any parcel shop and the staff will print the label for you."),
    KBEntry("kb-010", "Exchanging an item for another size or colour", ("return_request",),
            RETURNS, A, 75, ("exchange",),
            "We don't offer direct exchanges. Return the item for a refund and place a new order "
            "for the size or colour you want - that way you get it fastest."),
    KBEntry("kb-011", "Return policy", ("return_request", "refund_request"), RETURNS, A, 150,
            ("returns", "policy", "30 days"),
            "Our return window is 30 days from delivery, longer than the 14-day legal right of "
            "withdrawal. Items must be unused and, where possible, in their original packaging. "
            "Personalised items and opened hygiene products cannot be returned. Bulky items are "
            "collected from your home; we will contact you to arrange a date."),
    KBEntry("kb-012", "When will I get my refund?", ("refund_request",), RETURNS, A, 28,
            ("refund", "returns"),
            "We process refunds within 5 working days after your return reaches our warehouse. "
            "You'll get an email when it's done. The money goes back to the payment method you "
            "used; banks usually need another 3-5 working days to show it."),
    KBEntry("kb-013", "Refunds by bank transfer", ("refund_request",), RETURNS, A, 88,
            ("refund", "IBAN", "bank transfer"),
            "Refunds always go to the original payment method. Only if that is not possible (for "
            "example a closed card or payment on delivery) do we refund by bank transfer; we will "
            "then ask you for your IBAN and the account holder's name. Never send card details "
            "by email."),
    KBEntry("kb-014", "Cancelling an order", ("cancel_order",), ORDERS, A, 45,
            ("cancel", "order"),
            "You can cancel an order yourself under My account > Orders as long as its status is "
            "'Processing'. Once it has shipped, cancelling is no longer possible, but you can "
            "return it free of charge within 30 days. The payment is refunded within 3-5 working "
            "days after cancellation."),
    KBEntry("kb-015", "Changing your delivery address", ("change_address",), ORDERS, A, 301,
            ("address", "delivery"),
            "Contact us as soon as possible with your order number and the full new address. "
            "We can change the address while the order is still being prepared. After shipping, "
            "please use the carrier's redirection service."),
    KBEntry("kb-016", "Understanding your invoice", ("billing_question",), BILLING, A, 245,
            ("invoice", "VAT"),
            "Your invoice lists every item with its net price, the VAT rate and the VAT amount "
            "on the same line, followed by the gross total. Invoices are emailed when your order "
            "ships and can be downloaded under My account > Orders."),
    KBEntry("kb-017", "Invoice copies and company invoices", ("billing_question",), BILLING, A,
            52, ("invoice", "business"),
            "Download any invoice under My account > Orders > Invoice. For a company invoice, add "
            "your company name and VAT ID in your account before ordering; for past orders, "
            "contact us and we'll reissue the invoice."),
    KBEntry("kb-018", "Payment methods", ("payment_failed",), BILLING, A, 70,
            ("payment", "PayPal", "Klarna", "credit card"),
            "We accept Visa, Mastercard, American Express, PayPal, Klarna (pay later), iDEAL and "
            "Bancontact. Payment is taken when you place the order; with Klarna you pay within "
            "30 days."),
    KBEntry("kb-019", "Why was my payment declined?", ("payment_failed",), BILLING, A, 39,
            ("payment", "declined", "3D Secure"),
            "Most declines come from the card issuer's security check (3D Secure). Make sure you "
            "confirm the payment in your banking app, that your card is enabled for online "
            "payments and that the billing address matches. Amounts reserved by failed attempts "
            "are released by your bank automatically, usually within 7 days."),
    KBEntry("kb-020", "I was charged twice", ("payment_failed",), BILLING, A, 110,
            ("double charge", "payment"),
            "If you see two charges for one order, one is usually a reservation from a failed "
            "attempt that your bank releases within a few days. If both are still there after 7 "
            "days, send us your order number and a screenshot of your statement (please hide "
            "your card number) and we'll refund the duplicate immediately."),
    KBEntry("kb-021", "Using discount codes", ("discount_code",), BILLING, A, 25,
            ("discount", "promo code", "voucher"),
            "Enter your code in the basket under 'Add discount code'. One code per order; codes "
            "cannot be combined and do not apply to items that are already reduced. Forgot your "
            "code? Contact us within 14 days of ordering and we'll refund the difference."),
    KBEntry("kb-022", "Price changes and sales", ("discount_code",), BILLING, A, 160,
            ("sale", "price"),
            "Prices can change at any time. We don't refund the difference when an item goes on "
            "sale after you bought it, but you can return it within 30 days and order it again "
            "at the new price."),
    KBEntry("kb-023", "Resetting your password", ("account_access",), ACCOUNT, A, 12,
            ("password", "login"),
            "Click 'Forgot password?' on the login page and enter the email address of your "
            "account. The reset link is valid for 60 minutes. No email? Check your spam folder "
            "and make sure you use the address you registered with."),
    KBEntry("kb-024", "Locked account or suspicious activity", ("account_access",), ACCOUNT, A,
            47, ("security", "locked", "hacked"),
            "After 5 failed logins your account is locked for 30 minutes. If you see orders you "
            "didn't place or a login you don't recognise, contact us immediately: we lock the "
            "account, cancel unknown orders and help you set a new password."),
    KBEntry("kb-025", "Deleting your account", ("account_delete",), ACCOUNT, A, 390,
            ("delete account", "privacy"),
            "To delete your account, send us an email from the address registered with it. We "
            "delete your account within 30 days. Invoices are kept for 10 years as required by "
            "tax law."),
    KBEntry("kb-026", "Getting a copy of your personal data", ("account_delete",), ACCOUNT, A, 64,
            ("GDPR", "data request", "privacy"),
            "Under the GDPR you can ask which personal data we hold about you and get a copy. "
            "Send your request from the email address of your account; we answer within 30 "
            "days. You can also ask us to correct or delete your data."),
    KBEntry("kb-027", "Unsubscribing from newsletters and text messages", ("account_delete",),
            ACCOUNT, A, 140, ("newsletter", "unsubscribe", "SMS"),
            "Use the 'unsubscribe' link at the bottom of any newsletter, or untick the boxes "
            "under My account > Communication. For text messages, reply STOP."),
    KBEntry("kb-028", "Website and checkout problems", ("technical_issue",), TECH, A, 30,
            ("website", "checkout", "browser"),
            "Most problems go away after clearing your browser cache and cookies or trying "
            "another browser. Ad blockers can break the checkout - please disable them for our "
            "site. If the problem persists, send us a screenshot, your browser and device."),
    KBEntry("kb-029", "The Nordhaven app: known issues", ("technical_issue",), TECH, A, 9,
            ("app", "iOS", "Android"),
            "Make sure you have the latest version of the app. If the app crashes on start, "
            "reinstall it; your basket is saved in your account. Known issue: photo upload for "
            "returns can hang on Android 14 - use the website until the next update."),
    KBEntry("kb-030", "Product warranty", ("product_question", "complaint"), ORDERS, A, 200,
            ("warranty", "guarantee"),
            "All products come with the 2-year legal guarantee; electrical appliances have a "
            "3-year Nordhaven warranty. Contact us with your order number and a description or "
            "photo of the fault."),
    KBEntry("kb-031", "Caring for your products", ("product_question",), ORDERS, A, 130,
            ("care", "cleaning"),
            "Care instructions are on every product page under 'Details & care'. Cast iron: hand "
            "wash and oil lightly. Wood: wipe with a damp cloth, oil twice a year. Linen and "
            "wool: wash at 30 degrees, lay flat to dry."),
    KBEntry("kb-032", "Stock and restock alerts", ("product_question",), ORDERS, A, 55,
            ("stock", "availability"),
            "Sold out? Click 'Notify me' on the product page and we'll email you when it's back. "
            "Most items are restocked within 2-4 weeks; seasonal items may not return."),
    KBEntry("kb-033", "How to make a complaint", ("complaint",), COMPLAINTS, A, 95,
            ("complaint", "feedback"),
            "We take every complaint seriously. Write to us with your order number and what "
            "went wrong; a member of our complaints team will reply within 2 working days. If "
            "you are not satisfied with our answer, you can ask for the case to be reviewed by a "
            "team lead."),
    KBEntry("kb-034", "Nordhaven Plus", ("shipping_cost",), KNOWLEDGE_MANAGER, A, 80,
            ("plus", "membership", "free shipping"),
            "Plus members get free standard shipping on every order, early access to sales and "
            "extended 60-day returns. Plus costs 29 EUR a year and can be cancelled at any time."),
    KBEntry("kb-035", "SwiftPost deliveries: what to expect", ("order_status",), ORDERS, D, 0,
            ("SwiftPost", "tracking", "delivery"),
            "DRAFT - Since late October standard parcels ship with SwiftPost. Tracking numbers "
            "start with SP. The first scan can take up to 48 hours after dispatch. TODO: add "
            "what to do when tracking does not update."),
    KBEntry("kb-036", "The new invoice layout explained", ("billing_question",), BILLING, D, 0,
            ("invoice", "VAT", "layout"),
            "DRAFT - Our invoices have a new layout. VAT is no longer shown per line; you find "
            "the net amount, VAT rate and VAT amount in the 'Tax summary' box on the last page. "
            "TODO: screenshot, legal check."),
    KBEntry("kb-037", "Parcelo delivery FAQ", ("order_status",), ORDERS, X, 420,
            ("Parcelo", "delivery"),
            "Parcelo delivers Monday to Saturday. Missed a delivery? Parcelo tries again the "
            "next working day and then leaves the parcel at the nearest Parcelo point."),
    KBEntry("kb-038", "Summer Sale terms", ("discount_code",), BILLING, X, 150, ("sale",),
            "The Summer Sale runs until 31 August. Discounts apply automatically; codes cannot be "
            "combined with sale prices."),
    KBEntry("kb-039", "Artikel zurücksenden", ("return_request",), RETURNS, A, 60,
            ("Rücksendung", "Retoure"),
            "Sie können jeden Artikel innerhalb von 30 Tagen nach Lieferung zurücksenden. Unter "
            "Mein Konto > Bestellungen wählen Sie 'Artikel zurücksenden' und erhalten ein "
            "kostenloses Retourenetikett oder einen QR-Code.", "de"),
    KBEntry("kb-040", "Suivre ma commande", ("order_status",), ORDERS, A, 230,
            ("suivi", "livraison"),
            "Dès l'expédition, vous recevez un e-mail avec votre numéro de suivi Parcelo. La "
            "livraison standard prend 2 à 4 jours ouvrés.", "fr"),
)  # fmt: skip

KNOWLEDGE_GAP = {
    "intent": "gift_card",
    "topic": "split_payment",
    "question": "How do I pay with a gift card and another payment method?",
}


def build_articles() -> list[Article]:
    """The help centre as domain records (source "demo")."""
    articles: list[Article] = []
    for n, entry in enumerate(ENTRIES):
        reviewed = REFERENCE_DATE - timedelta(days=entry.reviewed_days_ago, hours=n % 9 + 8)
        created = reviewed - timedelta(days=120 + 17 * n)
        articles.append(
            Article(
                source="demo",
                external_id=entry.key,
                title=entry.title,
                body=entry.body,
                tags=list(entry.tags),
                owner=entry.owner,
                status=entry.status,
                language=entry.language,
                created_at=created,
                updated_at=reviewed,
                reviewed_at=None if entry.status == ArticleStatus.draft else reviewed,
            )
        )
    return articles


def stale_keys() -> list[str]:
    return [
        e.key
        for e in ENTRIES
        if e.status == ArticleStatus.approved and e.reviewed_days_ago > STALE_AFTER_DAYS
    ]
