"""Personal data that validates: Luhn card numbers, mod-97 IBANs, dialable phones.

Detectors downstream check checksums and number plans, so a planted card
number that fails Luhn would teach nothing. Every value is random, so none
belongs to a real person; formats vary the way customers really type them.
"""

from __future__ import annotations

import random
import unicodedata

from casework.demo.names import Country

# -- checksums --------------------------------------------------------------------------


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return bool(digits) and total % 10 == 0


def _luhn_complete(partial: str) -> str:
    for check in "0123456789":
        if luhn_valid(partial + check):
            return partial + check
    raise AssertionError("unreachable: one check digit always fits")


def iban_valid(iban: str) -> bool:
    compact = iban.replace(" ", "").upper()
    if len(compact) < 15 or not compact[:2].isalpha():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _iban_with_check(country: str, bban: str) -> str:
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


# -- cards --------------------------------------------------------------------------------


def card_number(rng: random.Random) -> str:
    """A Luhn-valid Visa, Mastercard or Amex number, formatted as typed."""
    kind = rng.choices(("visa", "mc", "amex"), weights=(6, 4, 1))[0]
    if kind == "amex":
        digits = _luhn_complete(rng.choice(("34", "37")) + _digits(rng, 12))
        style = rng.random()
        if style < 0.6:
            return f"{digits[:4]} {digits[4:10]} {digits[10:]}"
        return digits
    prefix = "4" if kind == "visa" else str(rng.randint(51, 55))
    digits = _luhn_complete(prefix + _digits(rng, 15 - len(prefix)))
    groups = [digits[i : i + 4] for i in range(0, 16, 4)]
    style = rng.random()
    if style < 0.55:
        return " ".join(groups)
    if style < 0.75:
        return "-".join(groups)
    return digits


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


# -- IBANs --------------------------------------------------------------------------------

NL_BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB")
BE_BANKS = ("001", "068", "143", "310", "320", "363", "630", "734", "735", "750", "973")
GB_BANKS = ("NWBK", "BARC", "LOYD", "HBUK", "MIDL")


def _es_ccc_digit(digits: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    value = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return str({10: 1, 11: 0}.get(value, value))


def _bban(rng: random.Random, country: str) -> str:
    if country == "DE":
        return _digits(rng, 8) + _digits(rng, 10)
    if country == "AT":
        return _digits(rng, 16)
    if country == "NL":
        return rng.choice(NL_BANKS) + _digits(rng, 10)
    if country == "GB":
        return rng.choice(GB_BANKS) + _digits(rng, 14)
    if country == "BE":
        first = rng.choice(BE_BANKS) + _digits(rng, 7)
        check = int(first) % 97 or 97
        return f"{first}{check:02d}"
    if country == "ES":
        bank, account = _digits(rng, 8), _digits(rng, 10)
        return bank + _es_ccc_digit("00" + bank) + _es_ccc_digit(account) + account
    if country == "FR":
        bank, branch, account = _digits(rng, 5), _digits(rng, 5), _digits(rng, 11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
        return f"{bank}{branch}{account}{key:02d}"
    raise ValueError(f"no IBAN layout for {country}")


IBAN_COUNTRIES = ("DE", "AT", "NL", "GB", "BE", "ES", "FR")


def iban(rng: random.Random, country: str) -> str:
    """A mod-97-valid IBAN for the customer's country (or a German one)."""
    code = country if country in IBAN_COUNTRIES else "DE"
    compact = _iban_with_check(code, _bban(rng, code))
    if rng.random() < 0.65:
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


# -- phones -------------------------------------------------------------------------------

GB_MOBILE = ("400", "800", "956", "722", "712", "725", "766", "412", "810", "883", "932", "971")


def phone_formats(rng: random.Random, country: Country) -> tuple[str, str, str, str]:
    """One mobile number of the country, written the ways people write it.

    The last form is always the compact international one (`+4915123456789`).
    """
    code = country.code
    if code in ("DE", "AT"):
        prefix = rng.choice(("151", "152", "160", "162", "170", "171", "172", "175", "176"))
        if code == "AT":
            prefix = rng.choice(("650", "660", "664", "676", "699"))
        sub = _digits(rng, 7 if prefix.startswith("17") and prefix != "176" else 8)
        if code == "AT":
            return (
                f"+43 {prefix} {sub}",
                f"0{prefix} {sub}",
                f"0{prefix}/{sub}",
                f"+43{prefix}{sub}",
            )
        return (f"+49 {prefix} {sub}", f"0{prefix} {sub}", f"0{prefix}/{sub}", f"+49{prefix}{sub}")
    if code in ("FR", "BE"):
        if code == "BE":
            sub = rng.choice(("470", "471", "472", "475", "476", "478", "479")) + _digits(rng, 6)
            return (
                f"+32 {sub[:3]} {sub[3:5]} {sub[5:7]} {sub[7:]}",
                f"0{sub}",
                f"0{sub[:3]}/{sub[3:5]}.{sub[5:7]}.{sub[7:]}",
                f"+32{sub}",
            )
        sub = "6" + rng.choice("124578") + _digits(rng, 7)
        pairs = " ".join(sub[i : i + 2] for i in range(1, 9, 2))
        return (
            f"+33 {sub[0]} {pairs}",
            f"0{sub[0]} {pairs}",
            f"0{sub[0]}.{pairs.replace(' ', '.')}",
            f"+33{sub}",
        )
    if code == "NL":
        sub = rng.choice("12345") + _digits(rng, 7)
        return (f"+31 6 {sub}", f"06 {sub}", f"06-{sub}", f"+316{sub}")
    if code == "ES":
        sub = "6" + _digits(rng, 8)
        return (
            f"+34 {sub[:3]} {sub[3:6]} {sub[6:]}",
            f"{sub[:3]} {sub[3:6]} {sub[6:]}",
            f"+34 {sub[:3]} {sub[3:5]} {sub[5:7]} {sub[7:]}",
            f"+34{sub}",
        )
    if code == "IT":
        sub = "3" + rng.choice("234") + _digits(rng, 8)
        return (
            f"+39 {sub[:3]} {sub[3:]}",
            f"{sub[:3]} {sub[3:6]} {sub[6:]}",
            f"+39 {sub[:3]} {sub[3:6]} {sub[6:]}",
            f"+39{sub}",
        )
    if code == "IE":
        sub = rng.choice(("83", "85", "86", "87", "89")) + _digits(rng, 7)
        return (
            f"+353 {sub[:2]} {sub[2:5]} {sub[5:]}",
            f"0{sub[:2]} {sub[2:5]} {sub[5:]}",
            f"0{sub[:2]}-{sub[2:]}",
            f"+353{sub}",
        )
    if code == "SE":
        sub = "7" + rng.choice("0236") + _digits(rng, 7)
        return (
            f"+46 {sub[:2]} {sub[2:5]} {sub[5:7]} {sub[7:]}",
            f"0{sub[:2]}-{sub[2:5]} {sub[5:7]} {sub[7:]}",
            f"0{sub}",
            f"+46{sub}",
        )
    # GB
    sub = "7" + rng.choice(GB_MOBILE) + _digits(rng, 6)
    return (f"+44 {sub[:4]} {sub[4:]}", f"0{sub[:4]} {sub[4:]}", f"0{sub}", f"+44{sub}")


def phone(rng: random.Random, country: Country) -> str:
    """A fresh number in a random written form (a work phone, a partner's phone…)."""
    return rng.choice(phone_formats(rng, country)[:3])


# -- e-mail, addresses, IPs ---------------------------------------------------------------

MAIL_PROVIDERS = {
    "DE": ("gmail.com", "web.de", "gmx.de", "t-online.de", "posteo.de", "outlook.de"),
    "AT": ("gmx.at", "gmail.com", "aon.at", "chello.at"),
    "FR": ("gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr"),
    "BE": ("gmail.com", "skynet.be", "telenet.be", "hotmail.be"),
    "NL": ("gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.nl", "outlook.com"),
    "ES": ("gmail.com", "hotmail.es", "yahoo.es", "telefonica.net"),
    "IT": ("gmail.com", "libero.it", "virgilio.it", "alice.it"),
    "GB": ("gmail.com", "outlook.com", "btinternet.com", "yahoo.co.uk", "icloud.com"),
    "IE": ("gmail.com", "eircom.net", "outlook.com", "icloud.com"),
    "SE": ("gmail.com", "telia.com", "outlook.com", "proton.me"),
}


def ascii_slug(text: str) -> str:
    """`Jörg O'Brien` → `joerg obrien`: how names turn into mailbox names."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c == " "))


def email(rng: random.Random, first: str, last: str, country: str) -> str:
    f, last_slug = ascii_slug(first).replace(" ", ""), ascii_slug(last).replace(" ", "")
    domain = rng.choice(MAIL_PROVIDERS.get(country, MAIL_PROVIDERS["GB"]))
    local = rng.choice(
        (
            f"{f}.{last_slug}",
            f"{f[0]}.{last_slug}",
            f"{f}{last_slug}{rng.randint(1, 99)}",
            f"{last_slug}.{f}",
            f"{f}_{last_slug}",
            f"{f}{rng.randint(1970, 2005)}",
        )
    )
    return f"{local}@{domain}"


def address(rng: random.Random, country: Country) -> str:
    """A one-line postal address in the country's usual order."""
    street = rng.choice(country.streets)
    number = str(rng.randint(1, 160))
    if rng.random() < 0.12:
        number += rng.choice("abc")
    postcode, city = rng.choice(country.cities)
    if country.code in ("GB", "IE"):
        return f"{number} {street}, {city} {postcode}"
    if country.code == "FR":
        return f"{number} {street}, {postcode} {city}"
    return f"{street} {number}, {postcode} {city}"


def ip_address(rng: random.Random) -> str:
    first = rng.choice((31, 46, 62, 77, 78, 80, 84, 89, 91, 93, 109, 176, 185, 212, 217))
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
