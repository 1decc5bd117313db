"""PII detection benchmark: throughput and precision/recall on planted spans.

Messages are Bitext customer-support requests (which carry order and invoice
numbers of their own) with planted emails, phones, cards, IBANs, IPs and
addresses, plus planted look-alikes that are NOT personal data (order and
tracking numbers, amounts, dates). A detection counts as correct when it has
the planted type and covers the planted text.

    .venv/bin/python bench/pii_bench.py [--n 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter
from pathlib import Path

import phonenumbers
from stdnum import iban, luhn

from casework.text.pii import detect_pii

DATA = (Path(__file__).resolve().parents[2] / "shared/datasets/bitext-customer-support"
        / "Bitext_Sample_Customer_Support_Training_Dataset.csv")
FIRST = ["john", "maria", "li", "anna", "pierre", "jose", "giulia", "sven", "fatima", "o'neil"]
LAST = ["smith", "garcia", "wang", "mueller", "dubois", "rossi", "jansen", "khan", "novak"]
DOMAINS = ["gmail.com", "example.org", "web.de", "orange.fr", "company.co.uk", "mail.example.com"]
REGIONS = ["US", "GB", "DE", "FR", "ES", "IT", "NL"]
STREETS = ["{n} Baker Street", "{n} Main St.", "Hauptstraße {n}", "{n} rue de la Paix",
           "Calle de Alcalá {n}", "via Roma {n}", "Kalverstraat {n}", "{n} Oak Avenue"]
TEMPLATES = {
    "EMAIL": ["my email is {}", "write to {} please", "contact: {}", "({})"],
    "PHONE": ["call me on {}", "my number is {}", "phone: {}", "reach me at {} after 5pm"],
    "CARD": ["card {} was charged twice", "I paid with {}", "my card number is {}"],
    "IBAN": ["IBAN {}", "refund to {} please", "my account IBAN: {}"],
    "IP": ["logged in from {}", "my IP is {}", "blocked at {} yesterday"],
    "ADDRESS": ["ship to {}", "I moved to {}", "my address is {}"],
}
DECOYS = ["ORD-{d7}", "order #{d8}", "order {d8}", "tracking 1Z999AA1{d8}784", "{amt} EUR",
          "on 2026-0{m}-1{m}", "invoice INV-{d6}", "ticket {d7}", "ref {d10}", "v{m}.{m}.{m}",
          "{m} items", "SKU 4{d7}", "at 10:3{m}", "{d8}"]


def rand_email(r: random.Random) -> str:
    sep = r.choice([".", "_", "", "-"])
    local = f"{r.choice(FIRST)}{sep}{r.choice(LAST)}{r.choice(['', str(r.randint(1, 99))])}"
    local = local.replace("'", "")
    email = f"{local}@{r.choice(DOMAINS)}"
    return email.upper() if r.random() < 0.1 else email


def rand_phone(r: random.Random) -> str:
    while True:
        region = r.choice(REGIONS)
        kind = r.choice([phonenumbers.PhoneNumberType.MOBILE,
                         phonenumbers.PhoneNumberType.FIXED_LINE])
        ex = phonenumbers.example_number_for_type(region, kind)
        if ex is None:
            continue
        nsn = str(ex.national_number)
        ex.national_number = int(nsn[:-4] + f"{r.randint(0, 9999):04d}")
        if not phonenumbers.is_valid_number(ex):
            continue
        fmt = r.choice([phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                        phonenumbers.PhoneNumberFormat.NATIONAL,
                        phonenumbers.PhoneNumberFormat.E164])
        return phonenumbers.format_number(ex, fmt)


def rand_card(r: random.Random) -> str:
    prefix, length = r.choice([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15),
                               ("37", 15), ("6011", 16), ("4", 13)])
    body = prefix + "".join(str(r.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    number = body + luhn.calc_check_digit(body)
    style = r.choice(["plain", "space", "dash"])
    if style == "plain":
        return number
    groups = [number[i:i + 4] for i in range(0, len(number), 4)]
    if length == 15:
        groups = [number[:4], number[4:10], number[10:]]
    return (" " if style == "space" else "-").join(groups)


def rand_iban(r: random.Random) -> str:
    while True:
        country, bban = r.choice([
            ("DE", "".join(str(r.randint(0, 9)) for _ in range(18))),
            ("NL", r.choice(["ABNA", "INGB", "RABO"]) + f"{r.randint(0, 10**10 - 1):010d}"),
            ("GB", r.choice(["WEST", "BARC", "NWBK"]) + f"{r.randint(0, 10**14 - 1):014d}"),
            ("AT", f"{r.randint(0, 10**16 - 1):016d}"),
        ])
        number = country + iban.calc_check_digits(country + "00" + bban) + bban
        if iban.is_valid(number):
            return iban.format(number) if r.random() < 0.6 else number


def rand_ip(r: random.Random) -> str:
    if r.random() < 0.8:
        return ".".join(str(r.randint(1, 254)) for _ in range(4))
    return "2001:db8:" + ":".join(f"{r.randint(0, 65535):x}" for _ in range(6))


def rand_address(r: random.Random) -> str:
    return r.choice(STREETS).format(n=r.randint(1, 250))


MAKERS = {"EMAIL": rand_email, "PHONE": rand_phone, "CARD": rand_card, "IBAN": rand_iban,
          "IP": rand_ip, "ADDRESS": rand_address}


def decoy(r: random.Random) -> str:
    return r.choice(DECOYS).format(
        d6=r.randint(10**5, 10**6 - 1), d7=r.randint(10**6, 10**7 - 1),
        d8=r.randint(10**7, 10**8 - 1), d10=r.randint(10**9, 10**10 - 1),
        amt=f"{r.randint(1, 999)}.{r.randint(0, 99):02d}", m=r.randint(1, 9))


def build(n: int, seed: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """`n` messages with their planted (type, start, end) spans."""
    r = random.Random(seed)
    with DATA.open(encoding="utf-8", newline="") as fh:
        base = [row["instruction"] for row in csv.DictReader(fh)]
    out = []
    for _ in range(n):
        text, planted = r.choice(base), []
        for _ in range(r.choice([0, 0, 1, 1, 2])):
            kind = r.choice(list(MAKERS))
            value = MAKERS[kind](r)
            phrase = r.choice(TEMPLATES[kind])
            start = len(text) + 2 + phrase.index("{}")
            text = f"{text}, {phrase.format(value)}"
            planted.append((kind, start, start + len(value)))
        if r.random() < 0.3:
            text = f"{text} ({decoy(r)})"
        out.append((text, planted))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    corpus = build(args.n, args.seed)
    texts = [t for t, _ in corpus]
    detect_pii(texts[0])  # warm-up
    t0 = time.perf_counter()
    found = [detect_pii(t) for t in texts]
    elapsed = time.perf_counter() - t0
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    errors: list[str] = []
    for (text, planted), spans in zip(corpus, found, strict=True):
        for kind, s, e in planted:
            if any(sp.type == kind and sp.start <= s and sp.end >= e for sp in spans):
                tp[kind] += 1
            else:
                fn[kind] += 1
                errors.append(f"MISS {kind} {text[s:e]!r} in {text!r}")
        for sp in spans:
            if not any(sp.type == k and sp.start <= s and sp.end >= e for k, s, e in planted):
                fp[sp.type] += 1
                errors.append(f"FALSE {sp.type} {sp.text!r} in {text!r}")
    print(f"{len(texts)} messages, {sum(len(t) for t in texts) / len(texts):.0f} chars avg, "
          f"{sum(len(p) for _, p in corpus)} planted spans")
    print(f"detection: {len(texts) / elapsed:,.0f} texts/s on one core ({elapsed:.2f} s)")
    print(f"{'type':<10}{'planted':>8}{'found':>8}{'false+':>8}{'precision':>11}{'recall':>8}")
    for kind in [*MAKERS, *sorted(set(fp) - set(MAKERS))]:
        n_tp, n_fn, n_fp = tp[kind], fn[kind], fp[kind]
        prec = n_tp / (n_tp + n_fp) if n_tp + n_fp else 1.0
        rec = n_tp / (n_tp + n_fn) if n_tp + n_fn else 1.0
        print(f"{kind:<10}{n_tp + n_fn:>8}{n_tp:>8}{n_fp:>8}{prec:>11.4f}{rec:>8.4f}")
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(f"{'all':<10}{all_tp + all_fn:>8}{all_tp:>8}{all_fp:>8}"
          f"{all_tp / max(1, all_tp + all_fp):>11.4f}{all_tp / max(1, all_tp + all_fn):>8.4f}")
    for line in errors[:15]:
        print(line)


if __name__ == "__main__":
    main()
