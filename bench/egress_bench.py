"""Push many generated payloads with planted personal data through the egress guard.

    .venv/bin/python bench/egress_bench.py --payloads 100000

Each payload is a nested structure (dicts, lists, dict keys) of filler text with one
planted value: a Luhn-valid card number (Visa/Mastercard, written plain, spaced or
dashed), an email, or a mobile phone number (valid for its region, written in the
international or the national format). A leak is the planted value (its last eight digits,
for numbers) surviving in the guarded output. The same `--seed` gives the same
payloads; the test suite runs the hypothesis version of this (tests/privacy/test_egress.py).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import time
from typing import Any

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from casework.privacy.egress import EgressPolicy, guard

FILLER = string.ascii_letters + "  ,.!?:;()\n"


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    prefix = rng.choice(["4", "51", "52", "53", "54", "55"])
    digits = luhn_complete(
        prefix + "".join(rng.choice(string.digits) for _ in range(15 - len(prefix)))
    )
    sep = rng.choice(["", " ", "-"])
    return sep.join(digits[i : i + 4] for i in range(0, 16, 4)) if sep else digits


def planted_value(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(["card", "card", "email", "phone"])
    if kind == "card":
        return kind, card(rng)
    if kind == "email":
        user = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 10)))
        return kind, f"{user}.{rng.randint(1, 999)}@example{rng.randint(1, 99)}.com"
    return kind, phone(rng)


def phone(rng: random.Random) -> str:
    """A valid mobile number of a region the detector serves, international or national."""
    region = rng.choice(["GB", "DE", "FR", "ES", "IT", "NL", "US"])
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    while True:
        national = str(example.national_number)
        national = national[:-4] + "".join(rng.choice(string.digits) for _ in range(4))
        number = phonenumbers.parse(f"+{example.country_code}{national}")
        if phonenumbers.is_valid_number(number):
            style = rng.choice([PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.NATIONAL])
            return phonenumbers.format_number(number, style)


def filler(rng: random.Random) -> str:
    return "".join(rng.choice(FILLER) for _ in range(rng.randint(0, 30)))


def payload(rng: random.Random) -> tuple[Any, str, str]:
    kind, value = planted_value(rng)
    leaf: Any = f"{filler(rng)} {value} {filler(rng)}"
    for _ in range(rng.randint(0, 3)):
        shape = rng.choice(["list", "dict", "key"])
        if shape == "list":
            leaf = [filler(rng), leaf, filler(rng)]
        elif shape == "dict":
            leaf = {"note": leaf, "other": filler(rng)}
        else:
            leaf = {leaf if isinstance(leaf, str) else json.dumps(leaf): [filler(rng)]}
    return leaf, kind, value


def leaked(out: Any, kind: str, value: str) -> bool:
    text = json.dumps(out)
    if kind == "email":
        return value in text
    return re.sub(r"\D", "", value)[-8:] in re.sub(r"\D", "", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payloads", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    policy = EgressPolicy()
    leaks: dict[str, int] = {}
    kinds: dict[str, int] = {}
    started = time.perf_counter()
    for _ in range(args.payloads):
        data, kind, value = payload(rng)
        out = guard(data, "llm", policy=policy).payload
        kinds[kind] = kinds.get(kind, 0) + 1
        if leaked(out, kind, value):
            leaks[kind] = leaks.get(kind, 0) + 1
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "payloads": args.payloads,
                "by_kind": kinds,
                "leaked": sum(leaks.values()),
                "leaked_by_kind": leaks,
                "seconds": round(seconds, 1),
                "payloads_per_second": round(args.payloads / seconds),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
