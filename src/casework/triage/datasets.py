"""Labelled text sets: reading them from CSV and carving out unknown intents."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from casework.triage.intent import UNKNOWN


class DatasetError(ValueError):
    """A labelled file that cannot be read, with the file, line and column."""


@dataclass
class LabelledTexts:
    texts: list[str]
    labels: list[str]


def read_labelled_csv(
    path: Path, text_column: str = "text", label_column: str = "category"
) -> LabelledTexts:
    texts: list[str] = []
    labels: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {text_column, label_column} - set(reader.fieldnames or [])
        if missing:
            raise DatasetError(
                f"{path}:1: missing column(s) {', '.join(sorted(missing))}; "
                f"found {', '.join(reader.fieldnames or [])}"
            )
        for row in reader:
            text, label = (
                (row.get(text_column) or "").strip(),
                (row.get(label_column) or "").strip(),
            )
            if not label:
                raise DatasetError(f"{path}:{reader.line_num}: {label_column}: empty label")
            texts.append(text)
            labels.append(label)
    return LabelledTexts(texts, labels)


def hold_out_intents(
    train: LabelledTexts, test: LabelledTexts, count: int, seed: int = 0
) -> tuple[LabelledTexts, LabelledTexts, list[str]]:
    """Remove `count` intents from training and relabel them `unknown` in the test set."""
    classes = sorted(set(train.labels))
    hidden = sorted(np.random.default_rng(seed).choice(classes, size=count, replace=False).tolist())
    keep = [i for i, label in enumerate(train.labels) if label not in hidden]
    new_train = LabelledTexts([train.texts[i] for i in keep], [train.labels[i] for i in keep])
    new_test = LabelledTexts(
        test.texts, [UNKNOWN if label in hidden else label for label in test.labels]
    )
    return new_train, new_test, hidden
