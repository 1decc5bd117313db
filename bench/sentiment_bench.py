"""Sentiment benchmark: casework's lexicon vs VADER on Twitter US Airline Sentiment.

    .venv/bin/python bench/sentiment_bench.py [--data PATH] [--errors]

Evaluation only: the dataset is CC BY-NC-SA, so nothing here is trained on it and none
of its text goes into the product.  Texts are deduplicated, @mentions and URLs removed
(for both systems), and split 50/50 with a fixed seed, stratified by label: lexicon
tuning may look at aggregated errors on "dev" only; "test" is the figure to quote.
VADER (``pip install vaderSentiment``, or NLTK's copy) is the baseline; it is not a
casework dependency.  ``--errors`` prints the words most over-represented in missed
negatives on dev (counts only, no tweets).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from casework.triage.cues import find_cues
from casework.triage.sentiment import sentiment

LABELS = ("negative", "neutral", "positive")
DEFAULT_DATA = (Path(__file__).resolve().parents[1].parent
                / "shared/datasets/twitter-airline-sentiment/Tweets.csv")
_MENTION_URL = re.compile(r"@\w+|https?://\S+")


def load(path: Path, seed: int = 13) -> dict[str, list[tuple[str, str]]]:
    """Deduplicated (text, label) pairs split into dev/test, stratified by label."""
    seen: set[str] = set()
    by_label: dict[str, list[tuple[str, str]]] = {label: [] for label in LABELS}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = " ".join(_MENTION_URL.sub(" ", row["text"]).split())
            if text and text not in seen:
                seen.add(text)
                by_label[row["airline_sentiment"]].append((text, row["airline_sentiment"]))
    rng = random.Random(seed)
    split: dict[str, list[tuple[str, str]]] = {"dev": [], "test": []}
    for rows in by_label.values():
        rng.shuffle(rows)
        half = len(rows) // 2
        split["dev"] += rows[:half]
        split["test"] += rows[half:]
    return split


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """Accuracy, macro-F1 and negative-class precision/recall."""
    out: dict[str, float] = {"accuracy": sum(g == p for g, p in zip(gold, pred, strict=True))
                             / len(gold)}
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        n_pred, n_gold = pred.count(label), gold.count(label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if tp else 0.0)
        out[f"{label}_recall"], out[f"{label}_precision"] = recall, precision
    out["macro_f1"] = sum(f1s) / len(f1s)
    return out


def vader() -> tuple[str, Callable[[str], str]] | None:
    """VADER's classifier with its standard ±0.05 thresholds, if installed."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        name = "VADER (vaderSentiment)"
    except ImportError:
        try:
            from nltk.sentiment.vader import SentimentIntensityAnalyzer

            name = "VADER (nltk)"
        except ImportError:
            return None
    try:
        analyser = SentimentIntensityAnalyzer()
    except LookupError:  # nltk without its lexicon data
        return None

    def classify(text: str) -> str:
        compound = analyser.polarity_scores(text)["compound"]
        return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"

    return name, classify


def error_words(rows: Sequence[tuple[str, str]], predict: Callable[[str], str]) -> None:
    """Words over-represented in missed negatives vs all negatives (aggregates only)."""
    missed, negative = Counter[str](), Counter[str]()
    for text, label in rows:
        if label != "negative":
            continue
        words = set(re.findall(r"[a-z']{3,}", text.lower()))
        negative.update(words)
        if predict(text) != "negative":
            missed.update(words)
    ranked = sorted(((c / negative[w], c, w) for w, c in missed.items() if c >= 15),
                    reverse=True)
    print("words in missed negatives (share missed, count):")
    print(", ".join(f"{w} {share:.2f}/{c}" for share, c, w in ranked[:60]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", action="store_true", help="aggregated dev errors")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"dataset not found: {args.data}", file=sys.stderr)
        return 2
    split = load(args.data)
    systems: list[tuple[str, Callable[[str], str]]] = [
        ("casework lexicon (en)", lambda t: sentiment(t, "en").label),
        ("casework lexicon (language unknown)", lambda t: sentiment(t, None).label),
    ]
    baseline = vader()
    if baseline is None:
        print("VADER not installed (pip install vaderSentiment): baseline skipped")
    else:
        systems.append(baseline)
    sizes = ", ".join(f"{name} {len(rows)}" for name, rows in split.items())
    print(f"Twitter US Airline Sentiment, deduplicated: {sizes}")
    header = f"{'system':38} {'split':5} {'acc':>6} {'macroF1':>8} {'negRec':>7} {'negPrec':>8}"
    print(header + f" {'texts/s':>9}")
    for name, predict in systems:
        for split_name, rows in split.items():
            started = time.perf_counter()
            pred = [predict(text) for text, _ in rows]
            rate = len(rows) / (time.perf_counter() - started)
            s = scores([label for _, label in rows], pred)
            print(f"{name:38} {split_name:5} {s['accuracy']:6.3f} {s['macro_f1']:8.3f} "
                  f"{s['negative_recall']:7.3f} {s['negative_precision']:8.3f} {rate:9,.0f}")
    texts = [text for rows in split.values() for text, _ in rows]
    for language in ("en", None):
        find_cues("warm-up builds the matcher", language)
        started = time.perf_counter()
        hits = sum(len(find_cues(text, language)) for text in texts)
        rate = len(texts) / (time.perf_counter() - started)
        print(f"find_cues(language={language!r}): {rate:,.0f} texts/s over {len(texts)} "
              f"texts (mean {sum(map(len, texts)) / len(texts):.0f} chars), {hits} hits")
    if args.errors:
        error_words(split["dev"], systems[0][1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
