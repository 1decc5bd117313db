"""Write a large generic-CSV export to measure import speed and memory.

    .venv/bin/python bench/make_large_csv.py --rows 200000 --out /tmp/tickets-200k.csv
    /usr/bin/time -v .venv/bin/casework import /tmp/tickets-200k.csv --format csv -w /tmp/ws

Each row carries about two support messages' worth of text (~450 characters
in `body`), a requester, tags, a queue and an extra column, so the file looks
like a real helpdesk dump (~130 MB for 200k rows). The output is the same for
the same `--seed`, so runs are comparable.

With `--pii` each row also carries a `customer_phone` (`+44 7911 …`, one per
customer), and about a third of the bodies quote the customer's email or phone,
so `casework privacy find` has personal data to find in the texts as well:

    .venv/bin/python bench/make_large_csv.py --rows 1000000 --pii --out /tmp/t-1m.csv
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

COLUMNS = [
    "external_id", "subject", "body", "status", "priority", "channel", "queue", "tags",
    "created_at", "updated_at", "customer_id", "customer_email", "customer_name", "order_number",
]  # fmt: skip
SUBJECTS = [
    "Where is my order?",
    "Refund not received",
    "Wrong size delivered",
    "Cannot log in",
    "Cancel my subscription",
    "Invoice needed",
    "Damaged item",
]
OPENINGS = ["Hello,", "Hi there,", "Good morning,", "Dear support team,", "Hey,"]
PROBLEMS = [
    "I ordered a pair of trail shoes two weeks ago and the tracking page still says the parcel "
    "is waiting at the depot.",
    "I returned the jacket on the 3rd using the prepaid label but the refund has not arrived "
    "on my card yet.",
    "The package arrived today but the box was crushed and one of the mugs inside is broken.",
    "Since the last app update I cannot sign in; the password reset email never arrives.",
    "Please cancel my monthly plan before the next renewal, I no longer need it.",
]
FOLLOW_UPS = [
    "Could you tell me what is going on and when I can expect it? I need it before the weekend "
    "because it is a birthday present.",
    "I already tried the chat yesterday and was told someone would email me within a day, but "
    "nobody did. This is getting frustrating.",
    "My order number is in the subject line. Please let me know if you need photos or anything "
    "else from me to sort this out quickly.",
]
FIRST = ["Ana", "Tom", "Lena", "Marco", "Sofia", "Jonas", "Priya", "Kenji", "Olga", "Luis"]
LAST = ["Silva", "Berg", "Novak", "Rossi", "Meyer", "Khan", "Sato", "Ivanova", "Garcia"]


def phone_of(customer: int) -> str:
    """A valid UK mobile number, distinct per customer (up to a million of them)."""
    return f"+44 7911 {customer % 1_000_000:06d}"


def rows(count: int, seed: int, pii: bool = False) -> Iterator[list[str]]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(count):
        created = start + timedelta(seconds=rng.randrange(0, 180 * 86400))
        customer = rng.randrange(1, count // 3 + 2)  # customers come back: ~3 tickets each
        first, last = FIRST[customer % len(FIRST)], LAST[customer // len(FIRST) % len(LAST)]
        body = " ".join(
            [rng.choice(OPENINGS), rng.choice(PROBLEMS), rng.choice(FOLLOW_UPS),
             rng.choice(PROBLEMS), rng.choice(FOLLOW_UPS), f"Thanks, {first}"]
        )  # fmt: skip
        email = f"{first.lower()}.{last.lower()}{customer}@example.com"
        if pii:
            quoted = rng.random()
            if quoted < 0.15:
                body += f" You can reach me at {email}."
            elif quoted < 0.3:
                body += f" Please call me back on {phone_of(customer)}."
        row = [
            f"T-{n:07d}",
            rng.choice(SUBJECTS),
            body,
            rng.choice(["new", "open", "pending", "solved", "closed"]),
            rng.choice(["low", "normal", "normal", "high", "urgent"]),
            rng.choice(["email", "web", "chat", "phone"]),
            rng.choice(["Orders & Delivery", "Returns", "Billing", "Accounts"]),
            "|".join(rng.sample(["shipping", "refund", "vip", "app", "damaged", "sub"], 2)),
            created.isoformat(),
            (created + timedelta(hours=rng.randrange(1, 96))).isoformat(),
            f"c-{customer}",
            email,
            f"{first} {last}",
            f"W-{rng.randrange(100000, 999999)}",
        ]
        yield [*row, phone_of(customer)] if pii else row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--out", type=Path, default=Path("tickets-large.csv"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--pii", action="store_true", help="add customer phones and quote emails/phones in bodies"
    )
    args = parser.parse_args()
    with args.out.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*COLUMNS, "customer_phone"] if args.pii else COLUMNS)
        writer.writerows(rows(args.rows, args.seed, args.pii))
    print(f"{args.rows} rows, {args.out.stat().st_size / 1e6:.1f} MB → {args.out}")


if __name__ == "__main__":
    main()
