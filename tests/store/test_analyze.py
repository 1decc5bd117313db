"""Tables a backfill grows are re-analysed once they have doubled, so PostgreSQL keeps
planning index lookups (autovacuum may be off, as on the CI machine)."""

from __future__ import annotations

from sqlalchemy import text

from casework import Workspace
from casework.store.bulk import append_rows
from casework.store.repository import analyze_grown
from casework.store.tables import PiiIndexRow


def grow(ws: Workspace, rows: int) -> None:
    with ws.session() as s:
        start = int(s.scalar(text("SELECT count(*) FROM pii_index")))
        append_rows(
            s,
            PiiIndexRow,
            [
                {"value_hash": f"{i:040d}", "kind": "EMAIL", "object_type": "ticket",
                 "object_id": i, "ticket_id": i}
                for i in range(start, start + rows)
            ],
        )  # fmt: skip
        if not ws.is_sqlite:
            s.execute(text("SELECT pg_stat_force_next_flush()"))  # counts visible at commit


def analysed(ws: Workspace) -> int:
    with ws.session() as s:
        return int(
            s.scalar(
                text(
                    "SELECT analyze_count + autoanalyze_count FROM pg_stat_user_tables "
                    "WHERE relname = 'pii_index' AND schemaname = current_schema()"
                )
            )
        )


def test_a_table_is_analysed_when_it_has_doubled_and_not_before(workspace: Workspace) -> None:
    if workspace.is_sqlite:
        with workspace.session() as s:
            assert analyze_grown(s, ["pii_index"]) == []  # SQLite plans without help
        return
    with workspace.session() as s:
        s.execute(text("ANALYZE pii_index"))
    before = analysed(workspace)
    grow(workspace, 150)
    with workspace.session() as s:
        assert analyze_grown(s, ["pii_index"], floor=100) == ["pii_index"]
    assert analysed(workspace) == before + 1
    with workspace.session() as s:  # nothing changed since: nothing to do
        assert analyze_grown(s, ["pii_index"], floor=100) == []
    grow(workspace, 100)  # 250 rows, 100 new: not doubled yet
    with workspace.session() as s:
        assert analyze_grown(s, ["pii_index"], floor=100) == []
    grow(workspace, 60)  # 310 rows, 160 since the last ANALYZE at 150: doubled
    with workspace.session() as s:
        assert analyze_grown(s, ["pii_index"], floor=100) == ["pii_index"]
    assert analysed(workspace) == before + 2


def test_small_changes_stay_under_the_floor(workspace: Workspace) -> None:
    if not workspace.is_sqlite:  # earlier tests' writes count until the next ANALYZE
        with workspace.session() as s:
            s.execute(text("ANALYZE pii_index"))
    grow(workspace, 50)
    with workspace.session() as s:
        assert analyze_grown(s, ["pii_index"], floor=100) == []
