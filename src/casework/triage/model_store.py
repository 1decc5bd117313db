"""Versioned model files in the workspace.

Each trained model is saved as `models/<kind>/<version>.joblib` with a JSON
sidecar of its metadata (how it was trained, on what, with what hold-out
quality). `latest` names the active version; every stored result records the
version that produced it, so a decision can always be traced to its model.
A bundled default intent model (trained on the demo's data) ships as package
data, so triage works before a workspace has trained its own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import sklearn

FORMAT = 1


class ModelNotFound(LookupError):
    """No trained model of that kind: say how to get one."""


@dataclass
class StoredModel:
    kind: str
    version: str
    model: Any
    meta: dict[str, Any]


def save_model(folder: Path, kind: str, model: Any, meta: dict[str, Any]) -> StoredModel:
    """Write a model and make it the active one; returns its version."""
    target = folder / kind
    target.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    tmp = target / f".{stamp}.joblib.tmp"
    joblib.dump(model, tmp, compress=3)
    digest = hashlib.sha256(tmp.read_bytes()).hexdigest()[:8]
    version = f"{kind}-{stamp}-{digest}"
    tmp.rename(target / f"{version}.joblib")
    full_meta = {"format": FORMAT, "kind": kind, "version": version, "saved_at": stamp, **meta}
    (target / f"{version}.json").write_text(json.dumps(full_meta, indent=2, default=str))
    (target / "latest").write_text(version + "\n")
    return StoredModel(kind, version, model, full_meta)


def load_model(folder: Path, kind: str, version: str | None = None) -> StoredModel:
    """Load a version (default: the active one) from a workspace's model folder."""
    target = folder / kind
    if version is None:
        latest = target / "latest"
        if not latest.exists():
            raise ModelNotFound(f"no {kind} model in {folder}; run `casework train`")
        version = latest.read_text().strip()
    path = target / f"{version}.joblib"
    if not path.exists():
        raise ModelNotFound(f"{kind} model {version} not found in {target}")
    meta = json.loads((target / f"{version}.json").read_text())
    return StoredModel(kind, version, joblib.load(path), meta)


def load_bundled(kind: str) -> StoredModel:
    """The default model shipped with casework (built by scripts/build_default_models.py)."""
    base = resources.files("casework.triage").joinpath("default_models")
    meta_file = base.joinpath(f"{kind}.json")
    if not meta_file.is_file():
        raise ModelNotFound(
            f"casework ships no default {kind} model in this build; run `casework train`"
        )
    meta = json.loads(meta_file.read_text())
    built_with = meta.get("sklearn_version")
    if built_with and built_with != sklearn.__version__:
        raise ModelNotFound(
            f"the bundled {kind} model was built with scikit-learn {built_with} but "
            f"{sklearn.__version__} is installed; run `casework train` in a workspace, or "
            f"pip install 'scikit-learn=={built_with}'"
        )
    with resources.as_file(base.joinpath(f"{kind}.joblib")) as path:
        model = joblib.load(path)
    return StoredModel(kind, meta["version"], model, meta)
