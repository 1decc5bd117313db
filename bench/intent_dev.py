"""Intent model development on Banking77 *train only* (the test file is never read).

    .venv/bin/python bench/intent_dev.py [--data DIR] [--seeds 1 2 3] [--hold-out 10]
                                         [--closed] [--per-intent] [--json]

Why: hyper-parameters and the out-of-scope scorer of `triage/intent.py` must be chosen
without looking at `test.csv`. This script carves a stratified 75/25 split out of
`train.csv` per seed; with `--hold-out N` it also removes N intents (chosen by the same
seed) from the development-train part and relabels them `unknown` in the development-test
part, mirroring `casework eval intents --hold-out-intents N` one level down. It prints
in-scope accuracy, unknown recall/precision, the AUROC of the model's in-scope score and
the best unknown recall reachable at in-scope accuracy >= 0.90 (an oracle threshold on
development data: how good the score is, not what the model will do). `--closed` scores
plain accuracy with no intents held out. `--per-intent` adds each held-out intent's recall
and the known intents that absorbed its misses (`--seeds 0` holds out the same ten intents
as `casework eval intents --hold-out-intents 10`).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

from casework.triage.datasets import LabelledTexts, hold_out_intents, read_labelled_csv
from casework.triage.intent import UNKNOWN, IntentClassifier

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared/datasets/banking77"


def dev_split(train: LabelledTexts, seed: int) -> tuple[LabelledTexts, LabelledTexts]:
    """A stratified 75/25 split of the training file."""
    a, b, ya, yb = train_test_split(
        train.texts, train.labels, test_size=0.25, stratify=train.labels, random_state=seed
    )
    return LabelledTexts(list(a), list(ya)), LabelledTexts(list(b), list(yb))


def recall_at_floor(
    in_scope: np.ndarray, top_correct: np.ndarray, is_unknown: np.ndarray, floor: float
) -> float:
    """Best unknown recall over thresholds keeping in-scope accuracy >= floor."""
    best = 0.0
    for t in np.unique(in_scope):
        accepted = in_scope >= t
        acc = float(np.mean(top_correct[~is_unknown] & accepted[~is_unknown]))
        if acc >= floor:
            best = max(best, float(np.mean(~accepted[is_unknown])))
    return best


def per_intent(
    hidden: list[str], original: list[str], said: np.ndarray, top: np.ndarray
) -> dict[str, dict[str, Any]]:
    """Per held-out intent: its unknown recall and the known intents that absorbed it."""
    out = {}
    for name in hidden:
        rows = [i for i, label in enumerate(original) if label == name]
        absorbed = Counter(str(top[i]) for i in rows if not said[i]).most_common(2)
        out[name] = {
            "recall": round(float(np.mean(said[rows])), 2),
            "absorbed_by": dict(absorbed),
        }
    return dict(sorted(out.items(), key=lambda kv: kv[1]["recall"]))


def run(
    data: Path, seed: int, hold_out: int, mode: str, by_intent: bool = False
) -> dict[str, Any]:
    full = read_labelled_csv(data / "train.csv")
    dev_train, dev_test = dev_split(full, seed)
    original = list(dev_test.labels)
    hidden: list[str] = []
    if hold_out:
        dev_train, dev_test, hidden = hold_out_intents(dev_train, dev_test, hold_out, seed)
    model = IntentClassifier(embedder=mode)
    started = time.perf_counter()
    model.fit(dev_train.texts, dev_train.labels)
    seconds = time.perf_counter() - started
    truth = np.asarray(dev_test.labels, dtype=object)
    pred = np.asarray(model.predict(dev_test.texts), dtype=object)
    top = model.classes_[model.predict_proba(dev_test.texts).argmax(axis=1)]
    out: dict[str, Any] = {"seed": seed, "train_seconds": round(seconds, 1)}
    is_unknown = truth == UNKNOWN
    if not is_unknown.any():
        out["accuracy"] = round(float(np.mean(top == truth)), 4)
        return out
    said = pred == UNKNOWN
    score = model.in_scope_score(dev_test.texts)
    out.update(
        in_scope_accuracy=round(float(np.mean(pred[~is_unknown] == truth[~is_unknown])), 4),
        unknown_recall=round(float(np.mean(said[is_unknown])), 4),
        unknown_precision=round(float(np.mean(is_unknown[said])) if said.any() else 0.0, 4),
        closed_accuracy=round(float(np.mean(top[~is_unknown] == truth[~is_unknown])), 4),
        auroc=round(float(roc_auc_score(~is_unknown, score)), 4),
        oracle_recall_at_090=round(recall_at_floor(score, top == truth, is_unknown, 0.90), 4),
        threshold=round(model.unknown_threshold_, 4),
    )
    if by_intent:
        out["per_intent"] = per_intent(hidden, original, said, top)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--hold-out", type=int, default=10)
    parser.add_argument("--closed", action="store_true")
    parser.add_argument("--mode", default="static")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--per-intent", action="store_true", help="recall and absorbing intents per held-out one"
    )
    args = parser.parse_args()
    rows = [
        run(args.data, seed, 0 if args.closed else args.hold_out, args.mode, args.per_intent)
        for seed in args.seeds
    ]
    keys = [k for k in rows[0] if k not in ("seed", "per_intent")]
    mean = {k: round(float(np.mean([r[k] for r in rows])), 4) for k in keys}
    if args.json:
        print(json.dumps({"runs": rows, "mean": mean}, indent=2))
        return
    for r in rows:
        print(" ".join(f"{k}={v}" for k, v in r.items()), flush=True)
    print("mean " + " ".join(f"{k}={v}" for k, v in mean.items()))


if __name__ == "__main__":
    main()
