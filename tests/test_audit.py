"""The audit log: a keyed hash chain that any edit, deletion, insertion or reordering breaks;
appends that stay contiguous under concurrency; idempotent redelivery; no raw personal data."""

from __future__ import annotations

import json
import stat
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from casework import Workspace
from casework.audit import (
    GENESIS,
    KEY_ENV,
    AuditEvent,
    AuditKeyError,
    append,
    append_many,
    dedup_key_for,
    key_path,
    load_key,
    pseudonym,
    verify,
)
from casework.cli import app
from casework.store.tables import AuditEventRow

VERSIONS = {"model": "intent-v3", "config": 2, "rule": "refund-over-500"}
runner = CliRunner()


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """conftest's `workspace`, but these tests write only audit_events, so only that table is
    cleared: truncating every table costs about half a second a test on PostgreSQL."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_workspace")
        return
    (tmp_path / "ws").mkdir()
    ws = Workspace(tmp_path / "ws", request.getfixturevalue("postgres_url"))
    with ws.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))
    yield ws
    ws.close()


@pytest.fixture(autouse=True)
def _file_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests use the workspace key file unless they set the variable themselves."""
    monkeypatch.delenv(KEY_ENV, raising=False)


def event(i: int, actor: str = "system:pipeline", **extra: Any) -> AuditEvent:
    details = {"queue": "billing", "n": i, "reasons": ("amount above 500 EUR",)}
    fields = ["intent", "amount", "customer.tier"]
    return AuditEvent(actor, "route", "ticket", str(i), VERSIONS, fields, details, **extra)


def fill(ws: Workspace, n: int = 10) -> bytes:
    key = load_key(ws)
    with ws.session() as s:
        assert append_many(s, key, [event(i) for i in range(1, n + 1)]) == n
    return key


def sql(ws: Workspace, statement: str, **params: Any) -> None:
    with ws.engine.begin() as conn:
        conn.execute(text(statement), params)


def rows(ws: Workspace) -> list[AuditEventRow]:
    with ws.session() as s:
        return list(s.scalars(select(AuditEventRow).order_by(AuditEventRow.seq)))


def json_param(ws: Workspace) -> str:
    return ":v" if ws.is_sqlite else "CAST(:v AS JSON)"


def test_appends_form_a_chain_that_verifies(workspace: Workspace) -> None:
    empty = verify(workspace)  # nothing to check, and no key needed (none is created)
    assert (empty.ok, empty.checked) == (True, 0) and not key_path(workspace).exists()
    key = load_key(workspace)
    when = datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
    with workspace.session() as s:
        first = append(s, key, event(1, occurred_at=when))
        assert first is not None and first.seq == 1 and first.prev_hash == GENESIS
        assert append_many(s, key, [event(i) for i in range(2, 13)]) == 11
    stored = rows(workspace)
    assert [r.seq for r in stored] == list(range(1, 13))
    assert all(b.prev_hash == a.hash for a, b in zip(stored, stored[1:], strict=False))
    assert stored[0].occurred_at == when
    assert stored[0].details == {"queue": "billing", "n": 1, "reasons": ["amount above 500 EUR"]}
    report = verify(workspace, batch_size=5)  # several pages
    assert (report.ok, report.checked, report.first_bad_seq) == (True, 12, None)
    assert report.head_hash == stored[-1].hash


def test_editing_one_event_is_detected_and_named(workspace: Workspace) -> None:
    fill(workspace)
    sql(workspace, f"UPDATE audit_events SET details = {json_param(workspace)} WHERE seq = 4",
        v='{"queue": "vip", "n": 4}')  # fmt: skip
    report = verify(workspace, batch_size=3)
    assert not report.ok and report.first_bad_seq == 4 and report.checked == 3
    assert "seq 4 (route ticket/4)" in report.reason and "hash mismatch" in report.reason
    # the same content with other spacing and key order, as jsonb or a dump tool might write it
    same = '{"reasons":["amount above 500 EUR"],  "n":4,"queue":"billing"}'
    sql(workspace, f"UPDATE audit_events SET details = {json_param(workspace)} WHERE seq = 4",
        v=same)  # fmt: skip
    assert verify(workspace).ok


TAMPERING = [
    ("DELETE FROM audit_events WHERE seq = 5", 6, "expected seq 5; 1 event(s) before it"),
    ("UPDATE audit_events SET hash = prev_hash WHERE seq = 7", 7, "hash mismatch"),
    ("UPDATE audit_events SET prev_hash = hash WHERE seq = 3", 3, "prev_hash"),
    ("UPDATE audit_events SET actor = 'agent:7' WHERE seq = 9", 9, "hash mismatch"),
    ("DELETE FROM audit_events WHERE seq = 1", 2, "expected seq 1"),
]


def test_deleting_or_rewriting_any_event_is_detected(workspace: Workspace) -> None:
    for tamper, bad_seq, why in TAMPERING:
        sql(workspace, "DELETE FROM audit_events")
        fill(workspace)
        sql(workspace, tamper)
        report = verify(workspace)
        assert not report.ok and report.first_bad_seq == bad_seq, tamper
        assert why in report.reason, report.reason


def test_garbage_written_by_a_tamperer_is_reported_not_a_crash(
    sqlite_workspace: Workspace,
) -> None:
    """SQLite stores anything in any column; verify must still name the event."""
    for tamper, bad_seq in [
        ("UPDATE audit_events SET occurred_at = 'yesterday' WHERE seq = 2", 2),
        ("UPDATE audit_events SET details = 'not json' WHERE seq = 3", 3),
        ("UPDATE audit_events SET hash = 'é' WHERE seq = 4", 4),
        ("UPDATE audit_events SET seq = 'five' WHERE seq = 5", 6),  # text sorts last
    ]:
        sql(sqlite_workspace, "DELETE FROM audit_events")
        fill(sqlite_workspace)
        sql(sqlite_workspace, tamper)
        report = verify(sqlite_workspace)
        assert not report.ok and report.first_bad_seq == bad_seq, tamper


def test_reordered_or_inserted_events_are_detected(workspace: Workspace) -> None:
    fill(workspace)
    for seq, temp in ((2, -2), (3, 2), (-2, 3)):  # swap events 2 and 3
        sql(workspace, "UPDATE audit_events SET seq = :t WHERE seq = :s", t=temp, s=seq)
    assert verify(workspace).first_bad_seq == 2
    sql(workspace, "DELETE FROM audit_events")
    fill(workspace)
    sql(workspace, "UPDATE audit_events SET seq = seq + 1000 WHERE seq > 5")
    sql(workspace, "UPDATE audit_events SET seq = seq - 999 WHERE seq > 1000")
    forged = next(r for r in rows(workspace) if r.seq == 5)  # link the forgery correctly
    with workspace.session() as s:
        s.add(AuditEventRow(seq=6, occurred_at=forged.occurred_at, actor="agent:mallory",
                            action="review.accept", object_type="ticket", object_id="5",
                            prev_hash=forged.hash, hash="f" * 64))  # fmt: skip
    report = verify(workspace)
    assert report.first_bad_seq == 6 and "review.accept ticket/5" in report.reason


def test_a_cut_off_tail_is_caught_only_against_a_recorded_head(workspace: Workspace) -> None:
    fill(workspace)
    head = verify(workspace).head_hash
    sql(workspace, "DELETE FROM audit_events WHERE seq = 10")
    report = verify(workspace)
    assert report.ok and report.checked == 9 and report.head_hash != head


def test_wrong_or_missing_key(workspace: Workspace) -> None:
    fill(workspace, 3)
    report = verify(workspace, key=b"another workspace key, 32 bytes!")
    assert report.first_bad_seq == 1 and "different audit key" in report.reason
    key_path(workspace).unlink()
    with pytest.raises(AuditKeyError, match="audit.key is missing"):
        verify(workspace)


def test_a_redelivered_event_adds_nothing(workspace: Workspace) -> None:
    key = load_key(workspace)
    keyed = [event(i, dedup_key=dedup_key_for("route", "ticket", str(i), VERSIONS)) for i in (1, 2)]
    with workspace.session() as s:
        assert append(s, key, keyed[0]) is not None
    with workspace.session() as s:
        assert append(s, key, keyed[0]) is None
        # a batch redelivered with one new event, which also appears twice in the batch
        new = event(3, dedup_key=dedup_key_for("route", "ticket", "3", VERSIONS))
        assert append_many(s, key, [keyed[0], keyed[1], new, new, event(4)]) == 3
        assert append_many(s, key, [keyed[0], keyed[1], new]) == 0
    assert [r.object_id for r in rows(workspace)] == ["1", "2", "3", "4"]
    assert verify(workspace).ok
    newer_model = {**VERSIONS, "model": "intent-v4"}
    assert dedup_key_for("route", "ticket", "3", newer_model) != new.dedup_key


def test_concurrent_appends_keep_one_contiguous_chain(workspace: Workspace) -> None:
    """Two threads × 50 events, meeting at a barrier before each of 10 rounds so they
    contend every time: one appends singly (5 in a transaction), one in batches of 5."""
    key = load_key(workspace)
    rounds = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def singles(r: int, s: Session) -> None:
        for i in range(5):
            append(s, key, event(r * 5 + i, actor="agent:1"))

    def batches(r: int, s: Session) -> None:
        append_many(s, key, [event(r * 5 + i, actor="agent:2") for i in range(5)])

    def run(work: Callable[[int, Session], None]) -> None:
        try:
            for r in range(10):
                rounds.wait()
                with workspace.session() as s:
                    work(r, s)
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
            rounds.abort()

    threads = [threading.Thread(target=run, args=(w,)) for w in (singles, batches)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    stored = rows(workspace)
    assert [r.seq for r in stored] == list(range(1, 101))
    assert sum(r.actor == "agent:1" for r in stored) == 50
    assert verify(workspace).ok


def test_pseudonyms_are_stable_keyed_and_keep_raw_data_out(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = "Jane.Doe@example.com"
    key = load_key(workspace)
    alias = pseudonym(workspace, email)
    assert alias == pseudonym(key, email) == pseudonym(Workspace(workspace.path), email)
    assert alias != pseudonym(b"k" * 32, email) and alias != pseudonym(key, "jane.doe@example.com")
    assert email not in alias and alias.startswith("psn_")
    with workspace.session() as s:
        append(s, key, AuditEvent("agent:7", "privacy.erase", "customer", "42",
                                  fields_read=["email"], details={"requester": alias}))  # fmt: skip
    with workspace.engine.connect() as conn:
        dump = json.dumps([list(r) for r in conn.execute(text("SELECT * FROM audit_events"))],
                          default=str)  # fmt: skip
    assert alias in dump and email.lower() not in dump.lower()
    monkeypatch.setenv(KEY_ENV, "x" * 40)
    assert pseudonym(workspace, email) != alias  # the variable wins over the file


def test_key_file_is_private_created_once_and_race_safe(sqlite_workspace: Workspace) -> None:
    keys: list[bytes] = []
    threads = [threading.Thread(target=lambda: keys.append(load_key(sqlite_workspace)))
               for _ in range(8)]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    path = key_path(sqlite_workspace)
    assert len(set(keys)) == 1 and len(keys[0]) == 32 and path.read_bytes() == keys[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["audit.key"]


def test_bad_keys_and_events_are_refused(
    sqlite_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "short")
    with pytest.raises(AuditKeyError, match="at least 32"):
        load_key(sqlite_workspace)
    monkeypatch.delenv(KEY_ENV)
    key_path(sqlite_workspace).parent.mkdir()
    key_path(sqlite_workspace).write_bytes(b"truncated")
    with pytest.raises(AuditKeyError, match="not 32"):
        load_key(sqlite_workspace)
    with pytest.raises(ValueError, match="object_id"):
        AuditEvent("system:pipeline", "route", "ticket", "x" * 65)
    with sqlite_workspace.session() as s, pytest.raises(ValueError):
        append(s, b"k" * 32, AuditEvent("a", "b", "c", "d", details={"score": float("nan")}))


def _cli(ws: Workspace, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    if not ws.is_sqlite:
        monkeypatch.setenv("CASEWORK_DATABASE_URL", ws.database_url)
    return runner.invoke(app, ["audit", *args, "--workspace", str(ws.path)])


def test_cli_verify_and_log(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(workspace, 6)
    intact = _cli(workspace, monkeypatch, "verify")
    assert intact.exit_code == 0, intact.output
    assert "6 events" in intact.output
    assert json.loads(_cli(workspace, monkeypatch, "verify", "--json").stdout)["ok"] is True

    listed = json.loads(_cli(workspace, monkeypatch, "log", "--limit", "2", "--json").stdout)
    assert [e["seq"] for e in listed] == [6, 5] and listed[0]["versions"] == VERSIONS
    one = _cli(workspace, monkeypatch, "log", "--object-type", "ticket", "--object-id", "3")
    assert one.exit_code == 0 and "ticket/3" in one.output and "ticket/4" not in one.output

    sql(workspace, "UPDATE audit_events SET object_id = '99' WHERE seq = 4")
    broken = _cli(workspace, monkeypatch, "verify")
    assert broken.exit_code == 1 and "seq 4 (route ticket/99)" in broken.output
    report = json.loads(_cli(workspace, monkeypatch, "verify", "--json").stdout)
    assert (report["ok"], report["first_bad_seq"], report["checked"]) == (False, 4, 3)

    key_path(workspace).unlink()
    missing = _cli(workspace, monkeypatch, "verify")
    assert missing.exit_code == 2 and "audit key" in missing.output
