"""Write Fivetran-schema Zendesk tables as CSV files, to measure the fivetran-zendesk import.

    .venv/bin/python bench/make_fivetran_csv.py --tickets 1000000 --changes 10 --out /tmp/ft-1m
    createdb -h 127.0.0.1 -U postgres ft_bench
    /usr/bin/time -v .venv/bin/casework import /tmp/ft-1m --format fivetran-zendesk \
        -w /tmp/ft-ws --database-url postgresql://postgres@127.0.0.1/ft_bench

Tables: `ticket` (N rows), `ticket_field_history` (N × `--changes` status
changes: created as new, then open/pending/hold spells, solved, closed),
`ticket_comment` (`--comments` per ticket, requester and agent alternating,
the second one private), `user` (one requester per ticket plus 50 agents),
`group`, `organization`, and one business-hours `schedule` (Mon–Fri 9–17,
New York) with a holiday and `ticket_schedule` rows for the first 1% of
tickets. Same `--seed`, same files.
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

TICKET_COLUMNS = [
    "id", "created_at", "updated_at", "subject", "description", "status", "priority", "type",
    "requester_id", "submitter_id", "assignee_id", "group_id", "organization_id", "via_channel",
    "_fivetran_deleted",
]  # fmt: skip
STATUS_CYCLE = ["open", "pending", "open", "hold", "open", "pending", "open"]
GROUPS = ["Orders", "Billing", "Returns", "Technical", "VIP"]
AGENTS = 50
SUBJECTS = ["Where is my order?", "Refund not received", "Wrong size", "Cannot log in"]


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _statuses(changes: int) -> list[str]:
    """`changes` status values: new, a cycle of unsolved spells, solved, closed."""
    if changes <= 1:
        return ["new"][:changes]
    middle = [STATUS_CYCLE[i % len(STATUS_CYCLE)] for i in range(max(0, changes - 3))]
    return (["new", *middle, "solved", "closed"])[:changes]


def write(out: Path, tickets: int, changes: int, comments: int, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with (out / "group.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "created_at", "_fivetran_deleted"])
        for i, name in enumerate(GROUPS, 1):
            w.writerow([900 + i, name, _time(start), "false"])
    with (out / "organization.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "created_at"])
        for i in range(1, 101):
            w.writerow([500 + i, f"Customer Org {i}", _time(start)])
    with (out / "schedule.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "time_zone", "start_time", "end_time", "created_at"])
        for day in range(1, 6):  # Monday … Friday, minutes since Sunday 00:00
            w.writerow([77, "Business hours", "Eastern Time (US & Canada)",
                        day * 1440 + 540, day * 1440 + 1020, _time(start)])  # fmt: skip
    with (out / "schedule_holiday.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "schedule_id", "name", "start_date", "end_date"])
        w.writerow([1, 77, "Independence Day", "2024-07-04", "2024-07-04"])
    with (out / "time_zone.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["time_zone", "standard_offset"])
        w.writerow(["Eastern Time (US & Canada)", "-05:00"])
    with (out / "daylight_time.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["time_zone", "year", "daylight_start_utc", "daylight_end_utc",
                    "daylight_offset"])  # fmt: skip
        w.writerow(["Eastern Time (US & Canada)", 2024, "2024-03-10 07:00:00",
                    "2024-11-03 06:00:00", 60])  # fmt: skip
    statuses = _statuses(changes)
    files = {
        name: (out / f"{name}.csv").open("w", newline="")
        for name in ("ticket", "ticket_field_history", "ticket_comment", "user", "ticket_schedule")
    }
    try:
        w_ticket = csv.writer(files["ticket"])
        w_history = csv.writer(files["ticket_field_history"])
        w_comment = csv.writer(files["ticket_comment"])
        w_user = csv.writer(files["user"])
        w_schedule = csv.writer(files["ticket_schedule"])
        w_ticket.writerow(TICKET_COLUMNS)
        w_history.writerow(["field_name", "ticket_id", "updated", "value", "user_id",
                            "_fivetran_synced"])  # fmt: skip
        w_comment.writerow(["id", "ticket_id", "user_id", "created", "body", "public",
                            "_fivetran_deleted"])  # fmt: skip
        w_user.writerow(["id", "name", "email", "phone", "role", "organization_id", "time_zone",
                         "_fivetran_deleted"])  # fmt: skip
        w_schedule.writerow(["ticket_id", "schedule_id", "created_at"])
        for a in range(1, AGENTS + 1):
            w_user.writerow([a, f"Agent {a}", f"agent{a}@shop.example", "", "agent", "",
                             "Eastern Time (US & Canada)", "false"])  # fmt: skip
        comment_id = 10_000_000
        for n in range(1, tickets + 1):
            ticket_id = 100_000 + n
            requester = 1_000_000 + n
            agent = rng.randint(1, AGENTS)
            group = 900 + rng.randint(1, len(GROUPS))
            created = start + timedelta(seconds=rng.randint(0, 300 * 86400))
            moments = [created]
            for _ in statuses[1:]:
                moments.append(moments[-1] + timedelta(seconds=rng.randint(60, 2 * 86400)))
            status = statuses[-1] if statuses else "new"
            w_user.writerow([requester, f"Customer {n}", f"customer{n}@mail.example", "",
                             "end-user", 500 + n % 100, "", "false"])  # fmt: skip
            w_ticket.writerow([ticket_id, _time(created), _time(moments[-1]), SUBJECTS[n % 4],
                               f"Ticket {n}: please help with my order.", status,
                               ("low", "normal", "high", "urgent")[n % 4], "question",
                               requester, requester, agent, group, 500 + n % 100, "email",
                               "false"])  # fmt: skip
            for value, moment in zip(statuses, moments, strict=True):
                w_history.writerow(["status", ticket_id, _time(moment), value,
                                    requester if value == "new" else agent,
                                    _time(moment)])  # fmt: skip
            for c in range(comments):
                comment_id += 1
                author = requester if c % 2 == 0 else agent
                when = created + timedelta(seconds=c * 900)
                w_comment.writerow([comment_id, ticket_id, author, _time(when),
                                    f"Message {c} on ticket {n}.",
                                    "false" if c == 1 else "true", "false"])  # fmt: skip
            if n <= max(1, tickets // 100):
                w_schedule.writerow([ticket_id, 77, _time(created)])
    finally:
        for f in files.values():
            f.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=10, help="status changes per ticket")
    parser.add_argument("--comments", type=int, default=2, help="comments per ticket")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write(args.out, args.tickets, args.changes, args.comments, args.seed)
    print(f"wrote {args.tickets} tickets × {args.changes} changes to {args.out}")


if __name__ == "__main__":
    main()
