"""Set-based loading of Fivetran Zendesk tables: stage every row, then a few SQL statements.

The ticket importers upsert batches of whole tickets, which is right for
exports that nest a ticket's comments and history inside it. Fivetran's
tables are the opposite (a million tickets, ten million history rows, joined
by id), and one statement per table beats a million small batches by an
order of magnitude. So each validated row goes into a temporary staging table
(PostgreSQL `COPY`, SQLite `executemany`) and the store's tables are then
filled with `INSERT … SELECT … ON CONFLICT`, keyed as every importer keys them:
`(source, external_id)` for tickets and people, `(ticket, external_id)` for
messages, `(ticket, field, changed_at, new_value)` for history. A ticket whose
content hash is unchanged is not written, and neither is an unchanged message
or a history row already stored, so re-importing the same tables writes
nothing. The whole load is one transaction: it is stored whole or not at all
(bad rows are left out and reported, as everywhere).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.exc import DBAPIError

from casework.store.types import UTCDateTime

STAGING: dict[str, tuple[tuple[str, str], ...]] = {
    "stg_user": (
        ("line", "integer"),
        ("id", "text"),
        ("name", "text"),
        ("email", "text"),
        ("phone", "text"),
        ("role", "text"),
        ("org", "text"),
    ),
    "stg_ticket": (
        ("line", "integer"),
        ("id", "text"),
        ("subject", "text"),
        ("description", "text"),
        ("status", "text"),
        ("priority", "text"),
        ("type", "text"),
        ("channel", "text"),
        ("queue_key", "text"),
        ("queue_name", "text"),
        ("requester_id", "text"),
        ("assignee_id", "text"),
        ("created_at", "ts"),
        ("updated_at", "ts"),
        ("hash", "text"),
    ),
    "stg_history": (
        ("line", "integer"),
        ("ticket_id", "text"),
        ("field", "text"),
        ("value", "text"),
        ("changed_at", "ts"),
        ("actor", "text"),
    ),
    "stg_comment": (
        ("line", "integer"),
        ("id", "text"),
        ("ticket_id", "text"),
        ("user_id", "text"),
        ("body", "text"),
        ("public", "bool"),
        ("created_at", "ts"),
    ),
}

DEDUPLICATED = ("stg_user", "stg_ticket", "stg_comment")
"""Staging tables copied, one row per id, into `<name>1` before loading."""

SQLITE_BATCH = 5000


def _sqlite_time(value: datetime | None) -> str | None:
    """SQLAlchemy's SQLite storage format for `UTCDateTime` (naive UTC)."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class Stage:
    """Temporary staging tables on one connection, filled row by row, read by `load`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        kinds = {
            "text": "text",
            "integer": "integer",
            "bool": "boolean" if self.postgres else "integer",
            "ts": "timestamptz" if self.postgres else "text",
        }
        suffix = " ON COMMIT DROP" if self.postgres else ""
        if self.postgres:
            # Staging tables are temporary: they live in the session's temp_buffers
            # (8 MB by default), which can only grow before the session first
            # touches a temporary table, hence the savepoint.
            with suppress(DBAPIError), conn.begin_nested():
                conn.execute(text("SET LOCAL temp_buffers = '256MB'"))
            conn.execute(text("SET LOCAL synchronous_commit = off"))
            conn.execute(text("SET LOCAL work_mem = '512MB'"))  # the history sort
            conn.execute(text("SET LOCAL TIME ZONE 'UTC'"))
        self.drop()
        for table, columns in STAGING.items():
            body = ", ".join(f"{name} {kinds[kind]}" for name, kind in columns)
            conn.execute(text(f"CREATE TEMPORARY TABLE {table} ({body}){suffix}"))

    @contextmanager
    def writer(self, table: str) -> Iterator[Callable[[tuple[Any, ...]], None]]:
        """A function that stages one row of `table` (a tuple in `STAGING` order)."""
        names = [name for name, _ in STAGING[table]]
        if self.postgres:
            raw = self.conn.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cursor:
                statement = f"COPY {table} ({', '.join(names)}) FROM STDIN"
                with cursor.copy(statement) as copy:
                    yield copy.write_row
            return
        times = [i for i, (_, kind) in enumerate(STAGING[table]) if kind == "ts"]
        flags = [i for i, (_, kind) in enumerate(STAGING[table]) if kind == "bool"]
        batch: list[tuple[Any, ...]] = []
        dbapi = self.conn.connection.driver_connection
        assert dbapi is not None
        statement = f"INSERT INTO {table} VALUES ({', '.join('?' for _ in names)})"

        def write(row: tuple[Any, ...]) -> None:
            values = list(row)
            for i in times:
                values[i] = _sqlite_time(values[i])
            for i in flags:
                values[i] = int(values[i])
            batch.append(tuple(values))
            if len(batch) >= SQLITE_BATCH:
                dbapi.executemany(statement, batch)
                batch.clear()

        yield write
        if batch:
            dbapi.executemany(statement, batch)

    def history_view(self, bulk: bool) -> None:
        """`stg_history_all`: the staged history, plus `stg_history_bulk` when the
        history file went to PostgreSQL whole (see `fivetran_bulk`)."""
        select = "SELECT line, ticket_id, field, value, changed_at, actor FROM"
        union = f" UNION ALL {select} stg_history_bulk" if bulk else ""
        self.conn.execute(
            text(f"CREATE TEMPORARY VIEW stg_history_all AS {select} stg_history{union}")
        )

    def drop(self) -> None:
        """Drop the staging tables and views (PostgreSQL would drop the tables at commit)."""
        for view in ("stg_history_all", "stg_history_bulk"):
            self.conn.execute(text(f"DROP VIEW IF EXISTS {view}"))
        extra = ("raw_history", "stg_group")
        for table in [*STAGING, *(f"{name}1" for name in DEDUPLICATED), *extra]:
            self.conn.execute(text(f"DROP TABLE IF EXISTS {table}"))


def _distinct(postgres: bool) -> str:
    return "IS DISTINCT FROM" if postgres else "IS NOT"


def _statements(postgres: bool) -> Iterable[tuple[str, str]]:
    """(what, SQL) in order; `:source` and `:now` are bound."""
    differs = _distinct(postgres)
    empty_list = "CAST('[]' AS JSON)" if postgres else "'[]'"
    empty_map = "CAST('{}' AS JSON)" if postgres else "'{}'"
    yes = "true" if postgres else "1"
    no = "false" if postgres else "0"
    # Duplicates (a table exported twice over, a warehouse without primary
    # keys): the last row of an id wins, as when importing a file twice.
    keys = {"stg_user": "id", "stg_ticket": "id", "stg_comment": "ticket_id, id"}
    for table in DEDUPLICATED:
        key = keys[table]
        columns = ", ".join(name for name, _ in STAGING[table])
        yield (
            f"deduplicate {table}",
            f"CREATE TEMPORARY TABLE {table}1{' ON COMMIT DROP' if postgres else ''} AS "
            f"SELECT {columns} FROM (SELECT *, ROW_NUMBER() OVER "
            f"(PARTITION BY {key} ORDER BY line DESC) AS rn FROM {table}) ranked WHERE rn = 1",
        )
    yield "index staged users", "CREATE INDEX ix_stg_user1 ON stg_user1 (id)"
    yield "index staged tickets", "CREATE INDEX ix_stg_ticket1 ON stg_ticket1 (id)"
    yield (
        "queues",
        """INSERT INTO queues (key, name)
        SELECT queue_key, MIN(queue_name) FROM stg_ticket1
        WHERE queue_key IS NOT NULL GROUP BY queue_key
        ON CONFLICT (key) DO NOTHING""",
    )
    yield (
        "customers",
        f"""INSERT INTO customers (source, external_id, name, email, phone, organization,
            attributes)
        SELECT :source, r.id, u.name, u.email, u.phone, u.org, {empty_map}
        FROM (SELECT DISTINCT requester_id AS id FROM stg_ticket1
              WHERE requester_id IS NOT NULL) r
        LEFT JOIN stg_user1 u ON u.id = r.id
        WHERE true
        ON CONFLICT (source, external_id) DO UPDATE SET
            name = COALESCE(excluded.name, customers.name),
            email = COALESCE(excluded.email, customers.email),
            phone = COALESCE(excluded.phone, customers.phone),
            organization = COALESCE(excluded.organization, customers.organization)
        WHERE COALESCE(excluded.name, customers.name) {differs} customers.name
           OR COALESCE(excluded.email, customers.email) {differs} customers.email
           OR COALESCE(excluded.phone, customers.phone) {differs} customers.phone
           OR COALESCE(excluded.organization, customers.organization)
              {differs} customers.organization""",
    )
    yield (
        "agents",
        f"""INSERT INTO agents (source, external_id, name, email)
        SELECT :source, a.id, COALESCE(u.name, 'Zendesk user ' || a.id), u.email
        FROM (SELECT id FROM stg_user1 WHERE role IN ('agent', 'admin')
              UNION SELECT assignee_id FROM stg_ticket1 WHERE assignee_id IS NOT NULL) a
        LEFT JOIN stg_user1 u ON u.id = a.id
        WHERE true
        ON CONFLICT (source, external_id) DO UPDATE SET
            name = excluded.name, email = COALESCE(excluded.email, agents.email)
        WHERE excluded.name {differs} agents.name
           OR COALESCE(excluded.email, agents.email) {differs} agents.email""",
    )
    # New tickets get their row ids in the order of their external ids, the
    # order in which the window functions below emit messages and history, so
    # those rows' indexes (led by ticket_id) grow at one end instead of all over.
    yield (
        "tickets",
        f"""INSERT INTO tickets (source, external_id, subject, status, priority, type, channel,
            tags, queue_id, assignee_id, requester_id, created_at, updated_at, solved_at,
            satisfaction, custom_fields, content_hash, imported_at)
        SELECT :source, t.id, t.subject, t.status, t.priority, t.type, t.channel, {empty_list},
            q.id, a.id, c.id, t.created_at, t.updated_at, s.solved_at, NULL, {empty_map},
            t.hash, :now
        FROM stg_ticket1 t
        LEFT JOIN queues q ON q.key = t.queue_key
        LEFT JOIN agents a ON a.source = :source AND a.external_id = t.assignee_id
        LEFT JOIN customers c ON c.source = :source AND c.external_id = t.requester_id
        LEFT JOIN (SELECT ticket_id, MAX(changed_at) AS solved_at FROM stg_history_all
                   WHERE field = 'status' AND value IN ('solved', 'closed')
                   GROUP BY ticket_id) s ON s.ticket_id = t.id
        WHERE true
        ORDER BY t.id
        ON CONFLICT (source, external_id) DO UPDATE SET
            subject = excluded.subject, status = excluded.status,
            priority = excluded.priority, type = excluded.type, channel = excluded.channel,
            queue_id = excluded.queue_id, assignee_id = excluded.assignee_id,
            requester_id = excluded.requester_id, created_at = excluded.created_at,
            updated_at = excluded.updated_at,
            solved_at = COALESCE(excluded.solved_at, tickets.solved_at),
            content_hash = excluded.content_hash, imported_at = excluded.imported_at
        WHERE tickets.content_hash <> excluded.content_hash""",
    )
    role = (
        "CASE WHEN u.role IN ('agent', 'admin') THEN 'agent' "
        "WHEN u.id IS NOT NULL OR m.user_id = c.external_id THEN 'customer' ELSE 'agent' END"
    )
    yield (
        "messages",
        f"""INSERT INTO messages (ticket_id, external_id, position, author_role,
            author_external_id, author_name, agent_id, body, public, created_at)
        SELECT k.id, m.id,
            ROW_NUMBER() OVER (PARTITION BY m.ticket_id ORDER BY m.created_at, m.line) - 1,
            {role}, m.user_id, u.name,
            CASE WHEN {role} = 'agent' THEN a.id END, m.body, m.public, m.created_at
        FROM stg_comment1 m
        JOIN tickets k ON k.source = :source AND k.external_id = m.ticket_id
        LEFT JOIN customers c ON c.id = k.requester_id
        LEFT JOIN stg_user1 u ON u.id = m.user_id
        LEFT JOIN agents a ON a.source = :source AND a.external_id = m.user_id
        WHERE true
        ON CONFLICT (ticket_id, external_id) DO UPDATE SET
            position = excluded.position, author_role = excluded.author_role,
            author_external_id = excluded.author_external_id,
            author_name = excluded.author_name, agent_id = excluded.agent_id,
            body = excluded.body, public = excluded.public, created_at = excluded.created_at
        WHERE messages.position {differs} excluded.position
           OR messages.author_role {differs} excluded.author_role
           OR messages.author_external_id {differs} excluded.author_external_id
           OR messages.author_name {differs} excluded.author_name
           OR messages.agent_id {differs} excluded.agent_id
           OR messages.body {differs} excluded.body
           OR messages.public {differs} excluded.public
           OR messages.created_at {differs} excluded.created_at""",
    )
    yield (
        "descriptions",
        f"""INSERT INTO messages (ticket_id, external_id, position, author_role,
            author_external_id, author_name, agent_id, body, public, created_at)
        SELECT k.id, 'pos-0', 0, 'customer', t.requester_id, NULL, NULL, t.description,
            {yes}, t.created_at
        FROM stg_ticket1 t
        JOIN tickets k ON k.source = :source AND k.external_id = t.id
        WHERE t.description IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM stg_comment1 m WHERE m.ticket_id = t.id)
          AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.ticket_id = k.id)
        ON CONFLICT (ticket_id, external_id) DO NOTHING""",
    )
    yield (
        "replace approximate history",
        f"""DELETE FROM ticket_field_changes WHERE approximate = {yes}
        AND ticket_id IN (SELECT k.id FROM tickets k JOIN (SELECT DISTINCT ticket_id
            FROM stg_history_all) h ON k.source = :source AND k.external_id = h.ticket_id)""",
    )
    yield (
        "history",
        f"""INSERT INTO ticket_field_changes (ticket_id, field, old_value, new_value,
            changed_at, actor, approximate)
        SELECT k.id, h.field,
            LAG(h.value) OVER (PARTITION BY h.ticket_id, h.field ORDER BY h.changed_at, h.line),
            h.value, h.changed_at, h.actor, {no}
        FROM stg_history_all h
        JOIN tickets k ON k.source = :source AND k.external_id = h.ticket_id
        WHERE h.value IS NOT NULL OR NOT EXISTS (
            SELECT 1 FROM ticket_field_changes e WHERE e.ticket_id = k.id AND e.field = h.field
            AND e.changed_at = h.changed_at AND e.new_value IS NULL)
        ON CONFLICT (ticket_id, field, changed_at, new_value) DO NOTHING""",
    )


def ticket_counts(conn: Connection, source: str) -> tuple[int, int, int]:
    """(created, updated, unchanged) the load will report, counted before it writes."""
    row = conn.execute(
        text(
            """SELECT
                COALESCE(SUM(CASE WHEN k.id IS NULL THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN k.content_hash <> t.hash THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN k.content_hash = t.hash THEN 1 ELSE 0 END), 0)
            FROM stg_ticket1 t
            LEFT JOIN tickets k ON k.source = :source AND k.external_id = t.id"""
        ),
        {"source": source},
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


BULK_TICKETS = 50_000
"""From this many staged tickets on, a superuser's load skips per-row foreign-key checks."""

LOCKED = ("queues", "customers", "agents", "tickets", "messages", "ticket_field_changes")


def _trust_references(conn: Connection, staged: int, threshold: int) -> bool:
    """Skip per-row foreign-key triggers for a big load, when that is both possible and safe.

    PostgreSQL checks each foreign key of each inserted row with a trigger;
    for ten million history rows that is most of the load (measured: 2M rows
    with one foreign key 37 s, without 7.7 s). Every reference this load
    writes comes from a join to the referenced row in the same transaction,
    so the check can only fail if another transaction deletes that row
    meanwhile; the tables are therefore locked against other writers (readers
    carry on) for the rest of the transaction, and the triggers are disabled
    the way `pg_restore --disable-triggers` does (`session_replication_role =
    replica`, which only a superuser may set; others keep the checks). Unique
    constraints and `ON CONFLICT` are indexes, not triggers: unaffected.
    """
    if conn.dialect.name != "postgresql" or staged < threshold:
        return False
    superuser = text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not conn.execute(superuser).scalar():
        return False
    conn.execute(text(f"LOCK TABLE {', '.join(LOCKED)} IN SHARE ROW EXCLUSIVE MODE"))
    conn.execute(text("SET LOCAL session_replication_role = replica"))
    return True


def load(
    conn: Connection,
    source: str,
    step: Callable[[str], None] | None = None,
    bulk_threshold: int = BULK_TICKETS,
) -> tuple[int, int, int]:
    """Fill the store from the staging tables; returns (created, updated, unchanged) tickets."""
    postgres = conn.dialect.name == "postgresql"
    now = bindparam("now", datetime.now(UTC), type_=UTCDateTime())
    counts: tuple[int, int, int] | None = None
    trusted = False
    for what, sql in _statements(postgres):
        if what == "queues":
            if postgres:
                conn.execute(text("ANALYZE stg_user1, stg_ticket1, stg_comment1, stg_history"))
            counts = ticket_counts(conn, source)
            trusted = _trust_references(conn, sum(counts), bulk_threshold)
            if trusted and step is not None:
                step("without per-row foreign-key checks")
        if step is not None:
            step(what)
        statement = text(sql)
        params: dict[str, Any] = {}
        if ":source" in sql:
            params["source"] = source
        if ":now" in sql:
            statement = statement.bindparams(now)
        conn.execute(statement, params)
    if trusted:
        conn.execute(text("SET LOCAL session_replication_role = origin"))
    assert counts is not None
    return counts
