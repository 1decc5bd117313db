"""Build the Banking77 FAQ-retrieval evaluation set.

One Markdown article per intent, titled with the intent in words
(``card_arrival`` -> "Card arrival"), whose body lists five example questions
taken from ``train.csv``; the queries are the ``test.csv`` utterances, each
answered by its intent's article. Why this shape: it measures retrieval on
paraphrases the articles never saw, which is what customers send.

    .venv/bin/python scripts/build_faq_eval.py /tmp/faq
    .venv/bin/casework eval retrieval --articles /tmp/faq/articles --queries /tmp/faq/queries.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "banking77"
EXAMPLES_PER_ARTICLE = 5


def intent_title(intent: str) -> str:
    """``card_arrival`` -> "Card arrival": the intent in words, as a help-centre title."""
    words = intent.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _rows(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return [(row["text"].strip(), row["category"].strip()) for row in csv.DictReader(stream)]


def build(data: Path, out: Path, seed: int = 0) -> tuple[int, int]:
    """Write ``out/articles/*.md`` and ``out/queries.csv``; return (articles, queries)."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for text, intent in _rows(data / "train.csv"):
        if text and text not in by_intent[intent]:
            by_intent[intent].append(text)
    rng = random.Random(seed)
    articles = out / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for intent in sorted(by_intent):
        examples = rng.sample(by_intent[intent], min(EXAMPLES_PER_ARTICLE, len(by_intent[intent])))
        body = "\n".join(f"- {example}" for example in examples)
        (articles / f"{intent}.md").write_text(
            f"---\nid: {intent}\ntitle: {intent_title(intent)}\nstatus: approved\n---\n\n{body}\n",
            encoding="utf-8",
        )
    queries = [(text, intent) for text, intent in _rows(data / "test.csv") if intent in by_intent]
    with (out / "queries.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["query", "article_id"])
        writer.writerows(queries)
    return len(by_intent), len(queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="Folder to write articles/ and queries.csv to.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Banking77 folder.")
    parser.add_argument("--seed", type=int, default=0, help="Seed for picking the examples.")
    args = parser.parse_args(argv)
    n_articles, n_queries = build(args.data, args.out_dir, args.seed)
    print(f"{n_articles} articles, {n_queries} queries -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
