"""Topic quality without labels: cluster Banking77's test set, score against its intents.

Usage: .venv/bin/python bench/topics_ami.py [../shared/datasets/banking77/test.csv]

Adjusted mutual information (noise counted as one more label, so leaving tickets
unassigned is not free) for each embedder, with the topic count, noise share and time.
"""

from __future__ import annotations

import csv
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_mutual_info_score

from casework.insights.topics import discover_topics
from casework.text.embedders import get_embedder

DEFAULT = Path(__file__).parents[1] / ".." / "shared" / "datasets" / "banking77" / "test.csv"


def main(path: Path) -> None:
    warnings.filterwarnings("ignore", category=FutureWarning)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts, intents = [r["text"] for r in rows], [r["category"] for r in rows]
    for name in ("static", "minilm"):
        embedder = get_embedder(name)
        started = time.perf_counter()
        vectors = embedder.embed(texts)
        embedded = time.perf_counter()
        model = discover_topics(texts, embedder, vectors)
        done = time.perf_counter()
        labels = model.labels
        print(
            json.dumps(
                {
                    "embedder": name,
                    "texts": len(texts),
                    "intents": len(set(intents)),
                    "topics": len(model.topics),
                    "noise_share": round(float(np.mean(labels < 0)), 3),
                    "ami": round(float(adjusted_mutual_info_score(intents, labels)), 3),
                    "ami_clustered_only": round(
                        float(
                            adjusted_mutual_info_score(
                                np.asarray(intents)[labels >= 0], labels[labels >= 0]
                            )
                        ),
                        3,
                    ),
                    "embed_s": round(embedded - started, 1),
                    "cluster_s": round(done - embedded, 1),
                }
            )
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
