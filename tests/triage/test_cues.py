"""Cue matching: six languages, word boundaries, folding, offsets, false friends, speed."""

from __future__ import annotations

import time

import pytest

from casework.triage.cues import KINDS, documents, find_cues, fold, languages

LANGS = ("en", "de", "fr", "es", "it", "nl")

# (language, kind, message, a word the hit must contain) -- hand-written, not from data.
EXAMPLES = [
    ("en", "human_request", "Can I speak to a real person please?", "real person"),
    ("de", "human_request", "Ich möchte mit einem Menschen sprechen.", "Menschen"),
    ("fr", "human_request", "Je voudrais parler à un conseiller.", "conseiller"),
    ("es", "human_request", "Quiero hablar con una persona, por favor.", "persona"),
    ("it", "human_request", "Vorrei parlare con un operatore.", "operatore"),
    ("nl", "human_request", "Ik wil graag een medewerker spreken.", "medewerker"),
    ("en", "legal", "If this isn't fixed I will contact my lawyer.", "lawyer"),
    ("de", "legal", "Ich werde meinen Anwalt einschalten.", "Anwalt"),
    ("fr", "legal", "Je vais contacter mon avocat.", "avocat"),
    ("es", "legal", "Voy a hablar con mi abogado.", "abogado"),
    ("it", "legal", "Mi rivolgerò al mio avvocato.", "avvocato"),
    ("nl", "legal", "Ik schakel mijn advocaat in.", "advocaat"),
    ("en", "fraud", "There is an unauthorised charge on my card.", "unauthorised charge"),
    ("de", "fraud", "Das ist Betrug, diese Abbuchung war nicht ich.", "Betrug"),
    ("fr", "fraud", "Je pense que c'est une fraude.", "fraude"),
    ("es", "fraud", "Creo que esto es una estafa.", "estafa"),
    ("it", "fraud", "Questa è una truffa.", "truffa"),
    ("nl", "fraud", "Dit is gewoon oplichting.", "oplichting"),
    ("en", "cancellation", "Please cancel my subscription.", "cancel my subscription"),
    ("de", "cancellation", "Ich möchte mein Abo kündigen.", "kündigen"),
    ("fr", "cancellation", "Je veux résilier mon abonnement.", "résilier"),
    ("es", "cancellation", "Quiero cancelar mi suscripción.", "cancelar"),
    ("it", "cancellation", "Vorrei disdire il mio abbonamento.", "disdire"),
    ("nl", "cancellation", "Ik wil mijn abonnement opzeggen.", "opzeggen"),
    ("en", "urgency", "Our website is down and nobody can pay.", "website is down"),
    ("de", "urgency", "Unsere Website ist down!", "Website ist down"),
    ("fr", "urgency", "Le site est en panne depuis ce matin.", "en panne"),
    ("es", "urgency", "La web está caída desde esta mañana.", "está caída"),
    ("it", "urgency", "Il sito è down da stamattina.", "è down"),
    ("nl", "urgency", "De website ligt plat.", "ligt plat"),
    ("en", "frustration", "This is the third time I'm writing about this.", "third time"),
    ("de", "frustration", "Ich schreibe Ihnen zum dritten Mal.", "dritten Mal"),
    ("fr", "frustration", "C'est la troisième fois que je vous écris.", "troisième fois"),
    ("es", "frustration", "Es la tercera vez que les escribo.", "tercera vez"),
    ("it", "frustration", "È la terza volta che vi scrivo.", "terza volta"),
    ("nl", "frustration", "Dit is de derde keer dat ik mail.", "derde keer"),
]


@pytest.mark.parametrize(("language", "kind", "text", "phrase"), EXAMPLES)
def test_each_language_finds_each_kind(language: str, kind: str, text: str,
                                       phrase: str) -> None:
    for lang in (language, None):  # the right language, and language unknown
        hits = [h for h in find_cues(text, lang) if h.kind == kind]
        assert hits, f"{kind} not found in {text!r} (language={lang})"
        assert any(phrase in h.phrase for h in hits)
        assert all(text[h.start:h.end] == h.phrase for h in hits)
    assert all(h.language == language for h in find_cues(text, language, kinds={kind}))


@pytest.mark.parametrize("language", LANGS)
def test_language_of_other_cue_file_is_not_used(language: str) -> None:
    other = "it" if language != "it" else "de"
    text = next(t for lang, k, t, _ in EXAMPLES if lang == other and k == "legal")
    assert not [h for h in find_cues(text, language) if h.kind == "legal"]


def test_every_language_file_covers_every_kind() -> None:
    assert set(LANGS) <= set(languages())
    for lang in LANGS:
        kinds = set(documents()[lang]["cues"])
        assert kinds == set(KINDS), (lang, set(KINDS) - kinds)


@pytest.mark.parametrize("text", [
    "There is an issue with my issued invoice",
    "Pursue the tissue issue",
    "Sue from billing said the issues are fixed",
])
def test_sue_never_matches_inside_words_or_as_a_name(text: str) -> None:
    assert not find_cues(text, "en", kinds={"legal"})


def test_sue_as_a_threat_is_legal() -> None:
    hits = find_cues("Fix it or I will sue you.", "en", kinds={"legal"})
    assert {h.phrase for h in hits} == {"I will sue", "sue you"}


@pytest.mark.parametrize("text", ["KÜNDIGUNG", "kundigung", "Kündigung", "Ku\u0308ndigung"])
def test_case_and_accents_are_folded(text: str) -> None:
    hits = find_cues(f"Hiermit die {text} meines Vertrags", "de", kinds={"cancellation"})
    assert hits and hits[0].phrase == text


def test_offsets_point_into_the_original_text_after_folding() -> None:
    text = "Straße: ﬁle ne marche pas — j'appelle mon AVOCAT demain"
    hit = find_cues(text, "fr", kinds={"legal"})[0]
    assert text[hit.start:hit.end] == hit.phrase == "AVOCAT"
    assert fold("Straße")[0] == "strasse"


def test_apostrophes_and_hyphens_are_ignored() -> None:
    assert find_cues("I cant log in", "en", kinds={"urgency"})
    assert find_cues("I can\u2019t log-in", "en", kinds={"urgency"})
    assert find_cues("Parler à quelqu\u2019un, s'il vous plaît", "fr", kinds={"human_request"})


def test_elongation_and_one_typo_in_long_words() -> None:
    assert find_cues("the site is dooown", "en", kinds={"urgency"})
    typo = find_cues("This is unaceptable", "en", kinds={"frustration"})
    assert typo and typo[0].fuzzy
    assert not find_cues("I am writing to you", "en", kinds={"negative"})  # ≠ waiting


def test_false_friends_need_a_known_language() -> None:
    german = "Ich frage zum dritten Mal nach"
    assert not [h for h in find_cues(german, None) if h.kind == "negative"]
    assert find_cues("El servicio fue muy mal", "es", kinds={"negative"})


def test_emoticon_parts_must_touch() -> None:
    assert find_cues("still no refund :(", "en", kinds={"negative"})[-1].phrase == ":("
    assert not [h for h in find_cues("see below: (a) and (b)", "en") if h.phrase == ": ("]


def test_overlapping_kinds_both_reported() -> None:
    kinds = {h.kind for h in find_cues("Cancel my account or I will sue you", "en")}
    assert {"cancellation", "legal"} <= kinds


def test_throughput_smoke() -> None:
    """Regression guard only (the measured figure is ~20,000/s): 2,000 texts in < 2 s."""
    texts = [f"Order {i}: I can't log in and this is the third time, I want a human"
             for i in range(2000)]
    find_cues(texts[0], None)
    started = time.perf_counter()
    for text in texts:
        find_cues(text, None)
    assert time.perf_counter() - started < 2.0


def test_repeated_scans_are_cached_and_equal_to_fresh_ones() -> None:
    """Triage and routing scan the same text several times; later scans reuse the first."""
    from casework.triage.cues import _cached_scan, scan

    text = "I want to cancel my account, this is a scam and I will call my lawyer"
    first = scan(text, "en")
    assert scan(text, "en") is first
    _cached_scan.cache_clear()
    fresh = scan(text, "en")
    assert fresh is not first and fresh == first
    assert scan(text, None) != first  # another language selection is another entry
