"""The personal-data index is written when tickets are stored, holds keyed hashes only, and
an unchanged re-import leaves it as it was."""

from __future__ import annotations

import csv
from pathlib import Path

from privacy_support import dump_all
from sqlalchemy import select

from casework import Workspace
from casework.audit import load_key
from casework.ingest.runner import run_import
from casework.privacy.hashing import hash_of
from casework.privacy.requests import find
from casework.privacy.subject import SubjectQuery
from casework.store.tables import PiiIndexRow

ROWS = [
    {"external_id": "T-1", "subject": "Refund", "body": "Please call me on +44 7911 123456.",
     "customer_email": "Ana.Silva@example.com", "customer_name": "Ana Silva",
     "created_at": "2026-01-05T10:00:00Z", "status": "open"},
    {"external_id": "T-2", "subject": "Card", "body": "Charged twice on 4111 1111 1111 1111; "
     "my colleague ana.silva@example.com knows.", "customer_email": "bo@example.com",
     "customer_name": "Bo Berg", "created_at": "2026-01-06T10:00:00Z", "status": "open"},
]  # fmt: skip


def _csv(path: Path) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    return path


def test_import_indexes_hashes_and_find_needs_no_scan(workspace: Workspace, tmp_path: Path) -> None:
    run_import(workspace, _csv(tmp_path / "t.csv"), fmt="csv")
    key = load_key(workspace)
    with workspace.session() as s:
        rows = s.execute(select(PiiIndexRow.value_hash, PiiIndexRow.kind,
                                PiiIndexRow.object_type)).all()  # fmt: skip
    kinds = {(k, t) for _, k, t in rows}
    assert {("EMAIL", "message"), ("PHONE", "message"), ("CARD", "message"),
            ("EMAIL", "customer"), ("NAME", "customer")} <= kinds  # fmt: skip
    assert all(h.startswith("pii_") and len(h) == 36 for h, _, _ in rows)
    assert hash_of(key, "EMAIL", "ANA.SILVA@example.com") in {h for h, _, _ in rows}
    found = find(workspace, SubjectQuery(email="ana.silva@example.com"), files=False)
    assert len(found.ticket_ids) == 2  # her own ticket, and the one that mentions her
    by_phone = find(workspace, SubjectQuery(phone="07911 123456"), files=False)
    assert by_phone.ticket_ids == found.ticket_ids[:1]


def test_reimport_leaves_the_index_unchanged(sqlite_workspace: Workspace, tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv")
    run_import(sqlite_workspace, path, fmt="csv")
    before = dump_all(sqlite_workspace)["pii_index"]
    run_import(sqlite_workspace, path, fmt="csv")
    assert dump_all(sqlite_workspace)["pii_index"] == before
