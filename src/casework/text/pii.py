"""Personal-data detection and redaction: cheap regex candidates kept only when a real
validator accepts them (phonenumbers, Luhn + issuer ranges, IBAN mod-97, ipaddress, id
checksums). Presidio's pattern recognizers were 20x slower and took order numbers for
phones, so numbers right after an id word ("order 58213377", "ORD-1234567") are vetoed."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator, Sequence

import phonenumbers
from stdnum import iban, luhn
from stdnum.es import dni, nie
from stdnum.it import codicefiscale
from stdnum.us import ssn

from casework.text.person import PersonRecognizer
from casework.text.pii_types import PiiSpan as PiiSpan
from casework.text.pii_types import Recognizer as Recognizer

DEFAULT_PHONE_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "FR", "ES", "IT", "NL")


# (candidate, whole text, candidate start) -> normalised value, or None to reject.
Check = Callable[[str, str, int], str | None]

_SEPARATORS, _NATIONAL = " -./", phonenumbers.PhoneNumberFormat.NATIONAL
_DIGIT, _NON_DIGIT = re.compile(r"\d"), re.compile(r"\D")
# An identifier word directly before a number makes it an id, not personal data.
_ID_BEFORE = re.compile(
    r"(?i)(?:\b(?:order|ord|invoice|inv|ticket|case|ref|reference|tracking|track|parcel"
    r"|shipment|package|account|acct|customer|member|transaction|txn|booking|reservation"
    r"|confirmation|receipt|bill|sku|item|product|serial|model|id|pedido|commande"
    r"|bestellung|bestellnummer|rechnung|kundennummer|factura|facture|fattura|ordine"
    r"|bestelling|sendung)\W{0,3}(?:(?:number|num|no|nr|id|n[º°o])\W{0,3})?|#\s?"
    r"|\b[a-z]{1,4}\d{1,4}[ -])$"
)  # or a code it continues: "DE89 3704 0044 0532"
_PHONE_BEFORE = re.compile(
    r"(?i)\b(?:phone|tel|telephone|mobile|cell|call|ring|text|whatsapp|sms|fax|reach"
    r"|telefon|telefonnummer|handy|rufnummer|anrufen|t[ée]l[ée]phone|t[ée]l|portable"
    r"|appeler|joindre|tel[ée]fono|m[óo]vil|celular|llamar|telefono|cellulare|chiamare"
    r"|telefoon|mobiel|bellen)\b[^\d]{0,20}$"
)
_VERSION_BEFORE = re.compile(r"(?i)\b(?:version|ver|v|build|release|firmware|fw)\.?\s?$")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")


class RegexRecognizer:
    """Regex candidates kept when `check` accepts them (default: value = case-folded text).

    `prefilter` cheaply skips most texts (no digit, no "@"). With `trim` a rejected candidate
    is retried cut back at separators: "DE89 3704 0044 0532 0130 00 please" -> the IBAN."""

    def __init__(
        self,
        type: str,
        pattern: str,
        check: Check | None = None,
        *,
        priority: int = 50,
        trim: bool = False,
        prefilter: str | None = r"\d",
    ) -> None:
        self.type, self.priority, self.trim = type, priority, trim
        self.pattern = re.compile(pattern)
        self.prefilter = re.compile(prefilter) if prefilter else None
        self.check: Check = check or (lambda cand, text, start: " ".join(cand.casefold().split()))

    def find(self, text: str) -> Iterator[PiiSpan]:
        if self.prefilter is not None and not self.prefilter.search(text):
            return
        pos = 0  # not finditer: after a trimmed or rejected match, scan on from inside it
        while (m := self.pattern.search(text, pos)) is not None:
            pos = m.start() + 1
            for cand in _prefixes(m.group()) if self.trim else (m.group(),):
                value = self.check(cand, text, m.start())
                if value is not None:
                    yield PiiSpan(self.type, m.start(), m.start() + len(cand), cand, value)
                    pos = m.start() + len(cand)
                    break


def _prefixes(cand: str) -> Iterator[str]:
    """The candidate, then shorter versions cut at separators (longest first)."""
    yield cand
    for i in range(len(cand) - 1, 0, -1):
        if cand[i] in _SEPARATORS and cand[i - 1] not in _SEPARATORS:
            yield cand[:i].rstrip("(")


def phone_check(regions: Sequence[str] = DEFAULT_PHONE_REGIONS) -> Check:
    """International (+/00) numbers valid anywhere; national ones in `regions`.

    A national number must be written as that region dials it (a German one needs its 0):
    phonenumbers alone accepts most digit runs as German. Bare runs without a trunk 0 also
    need a phone word ("call me at 4155552671"). The value is the national significant
    number, so "+44 7911 123456" and "07911 123456" get the same placeholder."""

    def check(cand: str, text: str, start: int) -> str | None:
        digits = _NON_DIGIT.sub("", cand)
        if not 7 <= len(digits) <= 15 or _DATE.fullmatch(cand):
            return None
        before = text[max(0, start - 40) : start]
        if cand.lstrip("(").startswith("+"):
            num = _parse_valid(cand.lstrip("("), None)
        elif _ID_BEFORE.search(before) and not _in_national_layout(cand, regions):
            return None
        elif cand.startswith("00"):
            num = _parse_valid("+" + digits[2:], None)
        elif cand.isdigit() and cand[0] != "0" and not _PHONE_BEFORE.search(before):
            return None
        else:
            num = next(filter(None, (_parse_national(cand, digits, r) for r in regions)), None)
        return None if num is None else phonenumbers.national_significant_number(num)

    return check


def _in_national_layout(cand: str, regions: Sequence[str]) -> bool:
    """True when `cand` is written exactly as its region lays out a phone number.

    "Id 07911 123456" is a phone after an id word: ids are not grouped the way a
    region groups its phone numbers, so the grouping outweighs the word before it."""
    if not _NON_DIGIT.search(cand.strip("()")):
        return False
    for region in regions:
        num = _parse_valid(cand, region)
        if num is not None and phonenumbers.format_number(num, _NATIONAL) == cand:
            return True
    return False


def _parse_valid(number: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        num = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    return num if phonenumbers.is_valid_number(num) else None


def _parse_national(cand: str, digits: str, region: str) -> phonenumbers.PhoneNumber | None:
    num = _parse_valid(cand, region)
    national = num and _NON_DIGIT.sub("", phonenumbers.format_number(num, _NATIONAL))
    return num if num and digits in (national, f"{num.country_code}{national}") else None


_CARD_RANGES = (  # issuer prefix range, lengths: Luhn alone passes one random number in ten
    ("4", "4", (13, 16, 19)),
    ("51", "55", (16,)),
    ("2221", "2720", (16,)),  # Visa, MC
    ("34", "34", (15,)),
    ("37", "37", (15,)),
    ("300", "305", range(14, 20)),  # Amex, Diners
    ("36", "36", range(14, 20)),
    ("38", "39", range(14, 20)),
    ("3528", "3589", range(16, 20)),
    ("62", "62", range(16, 20)),
    ("6011", "6011", range(16, 20)),
    ("644", "649", range(16, 20)),
    ("65", "65", range(16, 20)),
    ("50", "50", range(12, 20)),
    ("56", "69", range(12, 20)),
)


def _check_card(cand: str, text: str, start: int) -> str | None:
    digits = _NON_DIGIT.sub("", cand)
    ok = any(lo <= digits[: len(lo)] <= hi and len(digits) in n for lo, hi, n in _CARD_RANGES)
    # No "labelled as an order id" escape here, unlike phones: a Luhn-valid number in
    # an issuer range is redacted even after "order"/"ticket" — over-redacting an id
    # costs little, leaking a card number costs a lot.
    return digits if ok and luhn.is_valid(digits) else None


def _check_iban(cand: str, text: str, start: int) -> str | None:
    if text[start + len(cand) : start + len(cand) + 1].isalnum():
        return None  # cut inside a word
    compact = iban.compact(cand)
    return compact if len(compact) >= 15 and iban.is_valid(compact) else None


def _check_ip(cand: str, text: str, start: int) -> str | None:
    if ":" not in cand and _VERSION_BEFORE.search(text[max(0, start - 12) : start]):
        return None
    try:
        return ipaddress.ip_address(cand).compressed if _DIGIT.search(cand) else None
    except ValueError:
        return None


def _check_national_id(cand: str, text: str, start: int) -> str | None:
    value = cand.upper().replace("-", "")
    return value if any(m.is_valid(value) for m in (ssn, dni, nie, codicefiscale)) else None


_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
# Word lengths are bounded (60 characters: "Kaiser-Friedrich-Wilhelm-Promenade-Nord" fits) so
# that no match attempt scans further than a few words:
# unbounded, "A-A-A-…" (20,000 characters) took 20 s, every start scanning to the end.
_CAP = r"[A-ZÀ-ÝÄÖÜ][\wÀ-ÿ'’.-]{0,60}"
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
_EIRCODE = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?[AC-FHKNPRTV-Y\d]{4}"  # Irish: "D02 X285"
_STREET_PARTICLE = r"de|du|des|la|le|les|del|della|di|van|von|der|den|am|an|im|auf|op|d'|l'"
_TAIL = (  # optional ", 10115 Berlin" / ", London NW1 6XE" / ", Springfield, IL 62704"
    rf"(?:,?\s(?:\d{{4}}\s?[A-Z]{{2}}|\d{{4,5}})\s{_CAP}"
    rf"|,\s{_CAP}(?:\s{_CAP})?,?\s(?:[A-Z]{{2}}\s\d{{5}}(?:-\d{{4}})?|{_UK_POSTCODE}|{_EIRCODE})\b)?"
)
_ADDRESS = "|".join(
    (
        # 221B Baker Street, 12 Main St. (English)
        rf"\b\d{{1,5}}[A-Za-z]?,?\s(?:{_CAP}\s){{1,4}}(?i:street|st|road|rd|avenue|ave|lane|ln"
        r"|boulevard|blvd|drive|dr|court|ct|place|pl|way|terrace|close|crescent|square|sq"
        rf"|highway|hwy|parkway|pkwy)\b\.?{_TAIL}",
        # Hauptstraße 12, Berliner Str. 5, Kalverstraat 92 (German, Dutch)
        r"\b[A-ZÄÖÜ][\wäöüß-]{0,60}?(?:(?i:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer"
        r"|straat|laan|plein|gracht|kade|singel|dijk)|\s(?:Straße|Strasse|Str\.|Weg|Platz"
        rf"|Allee|Gasse))\s?\d{{1,4}}(?:\s?[a-z])?\b{_TAIL}",
        # 12 rue de la Paix (French)
        r"\b\d{1,4}(?:\s?(?:bis|ter)|[a-z])?,?\s(?i:rue|avenue|boulevard|bd|place|chemin|allée|impasse"
        rf"|quai|route)\s(?:(?:de|du|des|la|le|les|d'|l')\s?)*{_CAP}(?:\s{_CAP}){{0,3}}{_TAIL}",
        # Calle de Alcalá 45, via Roma 10, Rua Augusta 5 (not "via UPS 3 days")
        r"\b(?:[Cc]alle|C/|[Aa]venida|[Aa]vda\.?|[Pp]laza|[Pp]aseo|[Vv]ia|[Vv]iale|[Pp]iazza"
        r"|[Cc]orso|[Rr]ua)\s(?:(?:de|del|la|dei|della|delle|di|da|do|dos)\s)*"
        r"[A-ZÀ-Ý][a-zà-ÿ'][\wÀ-ÿ'-]{0,60}(?:\s[A-ZÀ-Ý][\wÀ-ÿ'-]{0,60}){0,3},?\s(?:n\.?\s?|nº\s?)?"
        r"\d{1,4}\b(?!\s?(?:days?|hours?|weeks?|business|working|minutes?|items?|pcs|units?"
        rf"|[%€$£]))\w?{_TAIL}",
        r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b",  # a UK postcode alone, with its space
        # a house number, street and town with a UK postcode or an Irish Eircode:
        # "92 Harbour View, Galway H91 E2K3"
        rf"\b\d{{1,5}}[A-Za-z]?\s(?:{_CAP}\s){{1,3}}?{_CAP},\s(?:{_CAP}\s)?{_CAP}\s"
        rf"(?:{_UK_POSTCODE}|{_EIRCODE})\b",
    )
)

# Any street, then its number, a postcode and a town: "Kungsgatan 117, 211 20 Malmö",
# "Chaussée de Wavre 18, 1000 Bruxelles", "Am Mühlbach 8, 80331 München", "Meir 25, 3000
# Leuven". Shaped like "Windows 11, 2023 Edition" too, hence the vetoes in the check.
_TOWN = r"[A-ZÀ-ÝÄÖÜ][\wÀ-ÿ'’]{0,60}"  # no dot: "…, 2000 Antwerpen. My number" ends the town
_STREET_TOWN = (
    rf"\b{_CAP}(?:\s(?:(?:{_STREET_PARTICLE})\s)*{_CAP}){{0,3}}\s\d{{1,4}}[a-z]?,\s"
    rf"(?:\d{{4,5}}|\d{{3}}\s\d{{2}}|\d{{4}}\s?[A-Z]{{2}})\s{_TOWN}(?:[ -]{_TOWN})?"  # "Le Mans"
)
_NOT_STREET = frozenset((
    "order", "orders", "ord", "invoice", "ticket", "case", "ref", "re", "reference", "number",
    "no", "nr", "item", "items", "size", "model", "version", "release", "build", "update",
    "step", "page", "chapter", "room", "gate", "terminal", "flight", "seat", "platform",
    "windows", "office", "ios", "android", "macos", "iphone", "ipad", "galaxy", "pixel", "note",
    "series", "edition", "plan", "tier", "level", "option", "pack", "set", "account", "qty",
    "quantity", "product", "sku", "week", "day", "year", "month", "since", "on", "from", "until",
    "rechnung", "bestellung", "artikel", "betrag", "zimmer", "kunde", "kundennummer", "seite",
    "commande", "facture", "article", "pedido", "factura", "artículo", "ordine", "fattura",
    "articolo", "bestelling", "factuur", "artikel",
))  # fmt: skip
# A month before the number and a year where the postcode would be: "On March 12, 2024 I
# ordered" is a date, "Via XX Settembre 12, 00187 Roma" a street.
_MONTHS = frozenset((
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "januar", "februar", "märz", "mai", "juni", "juli",
    "oktober", "dezember", "janvier", "février", "mars", "avril", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre", "enero", "febrero", "marzo", "abril",
    "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre",
    "dicembre", "januari", "februari", "maart", "mei", "augustus",
))  # fmt: skip
_YEAR = re.compile(r"(?:19|20)\d\d")
_NOT_TOWN = frozenset((
    "items", "item", "edition", "version", "users", "user", "pieces", "piece", "units", "unit",
    "pcs", "days", "hours", "minutes", "weeks", "euros", "euro", "dollars", "pounds", "orders",
    "points", "miles", "km", "kg", "gb", "mb", "tb", "pro", "plus", "max", "mini", "ultra",
    # a sentence going on after a date: "January 5, 2024 The app crashes" (no articles: a
    # town may start with one, "72000 Le Mans", "7100 La Louvière")
    "i", "the", "we", "my", "it", "this", "that", "and", "but", "ich", "wir", "es", "je",
    "nous", "yo", "io", "een", "ik", "wij",
))  # fmt: skip


def _check_street_town(cand: str, text: str, start: int) -> str | None:
    words = cand.split()
    number = next(i for i, w in enumerate(words) if w[0].isdigit())
    street = [w.strip(".,").casefold() for w in words[:number]]
    if any(w in _NOT_STREET for w in street):
        return None
    if street and street[-1] in _MONTHS and _YEAR.fullmatch(words[number + 1].strip(",")):
        return None
    town = [w.strip(".,").casefold() for w in words[number + 1 :] if not w[0].isdigit()]
    if any(w in _NOT_TOWN for w in town):
        return None
    return " ".join(cand.casefold().split())


RECOGNIZERS: list[Recognizer] = [
    RegexRecognizer(
        "EMAIL",
        r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}\b",
        lambda cand, text, start: cand.casefold(),
        priority=10,
        prefilter="@",
    ),
    RegexRecognizer(
        "IBAN",
        r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){11,34}",
        _check_iban,
        priority=20,
        trim=True,
    ),
    RegexRecognizer(
        "CARD",
        r"(?<![\w.+-])\d(?:[ -]?\d){11,18}(?![\w]|[.-]\d)",
        _check_card,
        priority=20,
        trim=True,
    ),
    RegexRecognizer(
        "NATIONAL_ID",
        r"(?<![\w-])(?:\d{3}-\d{2}-\d{4}|[XYZxyz]?\d{7,8}-?[A-Za-z]"
        r"|[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z])(?![\w-])",
        _check_national_id,
        priority=30,
    ),
    RegexRecognizer(
        "IP",
        rf"(?<![\w.])(?:{_OCTET}\.){{3}}{_OCTET}(?![\w]|\.\d)"
        r"|(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])",
        _check_ip,
        priority=40,
        prefilter=r"\d[.:]|:\d",
    ),
    RegexRecognizer(
        "PHONE",
        r"(?<![\w+#@/.(-])(?<!\d[ .-])(?:(?:\+\s?|00)\d{1,3}[ .-]?|\(\+\d{1,3}\)\s?)?"
        r"(?:\(\d{1,5}\)[ .-]?)?\d(?:[ ./-]?\d){5,17}(?![\w@]|[./-]\d)",
        phone_check(),
        priority=50,
        trim=True,
    ),
    RegexRecognizer("ADDRESS", _ADDRESS, priority=60),
    RegexRecognizer("ADDRESS", _STREET_TOWN, _check_street_town, priority=61),
    PersonRecognizer(),
]


def register(recognizer: Recognizer) -> None:
    """Add a recognizer to the default registry used by detect_pii and Redactor."""
    RECOGNIZERS.append(recognizer)


def detect_pii(text: str, recognizers: Sequence[Recognizer] | None = None) -> list[PiiSpan]:
    """All personal data in `text`, sorted and non-overlapping. Recognizers run most specific
    first (lower priority) and later ones never see earlier finds: a card is not re-read as a
    phone, and phonenumbers runs far less often (3x faster)."""
    recs = sorted(
        RECOGNIZERS if recognizers is None else recognizers,
        key=lambda r: getattr(r, "priority", 50),
    )
    found: list[PiiSpan] = []
    masked = text
    for rec in recs:
        spans = [s for s in rec.find(masked) if "\0" not in s.text]
        if spans:  # overwrite the finds with NULs for the recognizers after this one
            found += spans
            chars = list(masked)
            for s in spans:
                chars[s.start : s.end] = "\0" * (s.end - s.start)
            masked = "".join(chars)
    return sorted(found, key=lambda s: s.start)


class Redactor:
    """Typed placeholders, consistent within one ticket (use one instance per ticket).

    The same normalised value (card digits without spaces, email case-folded, phone as
    national number) gets the same placeholder across all calls on this instance."""

    def __init__(self, recognizers: Sequence[Recognizer] | None = None) -> None:
        self.recognizers = recognizers
        self._by_value: dict[tuple[str, str], str] = {}
        self._originals: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def placeholder(self, span: PiiSpan) -> str:
        """The placeholder for this span's value, allocating the next number if new."""
        key = (span.type, span.normalized or span.text)
        found = self._by_value.get(key)
        if found is None:
            self._counts[span.type] = self._counts.get(span.type, 0) + 1
            found = self._by_value[key] = f"<{span.type}_{self._counts[span.type]}>"
            self._originals[found] = span.text
        return found

    def redact(self, text: str) -> tuple[str, list[PiiSpan]]:
        """The redacted text and the spans (offsets in the original text)."""
        spans = detect_pii(text, self.recognizers)
        parts, pos = [], 0
        for span in spans:
            parts += [text[pos : span.start], self.placeholder(span)]
            pos = span.end
        parts.append(text[pos:])
        return "".join(parts), spans

    def restore(self, text: str) -> str:
        """Put the original values back, e.g. into a draft written from redacted text."""
        return re.sub(r"<[A-Z_]+_\d+>", lambda m: self._originals.get(m[0], m[0]), text)


def redact(text: str) -> str:
    """Redact one text with a fresh Redactor."""
    return Redactor().redact(text)[0]
