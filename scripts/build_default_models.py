"""Build the intent model casework ships, so `casework triage` works with no workspace.

It is trained exactly as a workspace trains its own: on the demo helpdesk's
labelled history (the contact reasons agents filed), never on the truth
manifest. Run from the checkout:

    .venv/bin/python scripts/build_default_models.py
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from casework import Workspace
from casework.demo import generate_demo
from casework.triage.training import labelled_history, train_intent

TARGET = Path(__file__).resolve().parents[1] / "src" / "casework" / "triage" / "default_models"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        ws = Workspace(Path(folder)).init()
        generate_demo(ws, seed=7)
        data = labelled_history(ws)
        stored = train_intent(
            ws, data, mode="static", source="demo helpdesk (seed 7), contact reasons"
        )
        source = ws.path / "models" / "intent" / f"{stored.version}.joblib"
        TARGET.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, TARGET / "intent.joblib")
        (TARGET / "intent.json").write_text(json.dumps(stored.meta, indent=2) + "\n")
        ws.close()
    size = (TARGET / "intent.joblib").stat().st_size / 1e6
    print(
        f"{stored.version}: {stored.meta['n_train']} examples, "
        f"hold-out accuracy {stored.meta['holdout_accuracy']}, {size:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
