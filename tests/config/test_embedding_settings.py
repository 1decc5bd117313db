"""The workspace config chooses the embedding backend per use; a command's --mode wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casework import Workspace
from casework.cli import app
from casework.config import ConfigError
from casework.config.loader import default_config_text
from casework.config.versions import apply_config
from casework.knowledge.index_store import retrieval_backend, workspace_retriever

runner = CliRunner()


def _configure(ws: Workspace, embeddings: str) -> None:
    apply_config(ws, default_config_text() + "\nembeddings:\n" + embeddings, "lead")


def test_each_use_keeps_its_own_default_until_the_config_says_otherwise(
    sqlite_workspace: Workspace,
) -> None:
    ws = sqlite_workspace
    assert retrieval_backend(ws, "minilm") == "minilm"
    assert retrieval_backend(ws, "static") == "static"
    _configure(ws, "  retrieval: static\n")
    assert retrieval_backend(ws, "minilm") == "static"
    assert workspace_retriever(ws).embedder.name == "static"  # interactive search follows
    assert workspace_retriever(ws, "minilm").embedder.name == "minilm"  # --mode wins


def test_an_unknown_backend_is_refused_with_its_line(sqlite_workspace: Workspace) -> None:
    text = default_config_text() + "\nembeddings:\n  retrieval: bert\n"
    with pytest.raises(ConfigError, match=r"casework.yaml:\d+: embeddings.retrieval"):
        apply_config(sqlite_workspace, text, "lead")


def test_train_fits_the_intent_model_on_the_configured_backend(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    rows = [
        f'"{text.format(i=i)}",{label}'
        for i in range(20)
        for label, text in (
            ("order_status", "where is my order {i}, it has not arrived"),
            ("refund_request", "I want my money back for item {i}"),
            ("account_access", "I cannot log in, password {i} fails"),
        )
    ]
    csv = tmp_path / "labelled.csv"
    csv.write_text("text,category\n" + "\n".join(rows) + "\n")
    args = ["train", "--csv", str(csv), "-w", str(sqlite_workspace.path), "--json"]
    default = runner.invoke(app, args)
    assert default.exit_code == 0, default.output
    assert json.loads(default.stdout)["embedder"] == "static"
    _configure(sqlite_workspace, "  intent: minilm\n")
    configured = runner.invoke(app, args)
    assert configured.exit_code == 0, configured.output
    assert json.loads(configured.stdout)["embedder"] == "minilm"
    overridden = runner.invoke(app, [*args, "--mode", "static"])
    assert json.loads(overridden.stdout)["embedder"] == "static"
