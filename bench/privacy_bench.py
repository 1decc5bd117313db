"""Time data-subject requests on a large store: find and erase one customer.

    .venv/bin/python bench/make_large_csv.py --rows 1000000 --pii --out /tmp/t-1m.csv
    createdb -h 127.0.0.1 -U postgres casework_bench
    export CASEWORK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/casework_bench
    .venv/bin/casework import /tmp/t-1m.csv --format csv -w /tmp/ws-1m
    .venv/bin/casework privacy reindex -w /tmp/ws-1m     # only for a store imported before
    .venv/bin/python bench/privacy_bench.py -w /tmp/ws-1m --customers 5 --erase 3

Customers are spread over the id range (the same ones for the same `--seed`); each is
found by email, by phone and by customer id, then the first `--erase` of them are
erased. Erasing changes the store: run it on a copy you can drop. After the erasures
the audit chain is verified (it must stay intact).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from casework import Workspace
from casework.audit import verify
from casework.privacy.erase import erase
from casework.privacy.requests import find
from casework.privacy.subject import SubjectQuery
from casework.store.tables import CustomerRow, MessageRow, PiiIndexRow, TicketRow


def pick(ws: Workspace, n: int, seed: int) -> list[tuple[int, str, str]]:
    rng = random.Random(seed)
    with ws.session() as s:
        top = s.scalar(select(func.max(CustomerRow.id))) or 0
        chosen: list[tuple[int, str, str]] = []
        while len(chosen) < n and top:
            row = s.execute(
                select(CustomerRow.id, CustomerRow.email, CustomerRow.phone)
                .where(
                    CustomerRow.id >= rng.randrange(1, top + 1),
                    CustomerRow.email.is_not(None),
                    CustomerRow.phone.is_not(None),
                )
                .order_by(CustomerRow.id)
                .limit(1)
            ).first()
            if row is not None and row[0] not in {c[0] for c in chosen}:
                chosen.append((row[0], row[1], row[2]))
    return chosen


def timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-w", "--workspace", type=Path, required=True)
    parser.add_argument("--customers", type=int, default=5)
    parser.add_argument("--erase", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ws = Workspace(args.workspace).init()
    with ws.session() as s:
        sizes = {
            name: s.scalar(select(func.count()).select_from(t))
            for name, t in (
                ("tickets", TicketRow),
                ("messages", MessageRow),
                ("customers", CustomerRow),
                ("pii_index", PiiIndexRow),
            )
        }
    people = pick(ws, args.customers, args.seed)
    finds: dict[str, list[float]] = {"email": [], "phone": [], "customer": []}
    places: list[str] = []
    hits: list[int] = []
    for cid, email, phone in people:
        for kind, query in (
            ("email", SubjectQuery(email=email)),
            ("phone", SubjectQuery(phone=phone)),
            ("customer", SubjectQuery(customer=str(cid))),
        ):
            seconds, found = timed(lambda q=query: find(ws, q))
            finds[kind].append(seconds)
            places = [p.name for p in found.places]
            if kind == "email":
                hits.append(len(found.ticket_ids))
    erases: list[float] = []
    changed: dict[str, int] = {}
    for cid, email, _ in people[: args.erase]:
        seconds, report = timed(
            lambda e=email, c=cid: erase(
                ws,
                SubjectQuery(email=e),
                requested_by="bench",
                request_id=f"bench-{c}-{time.time_ns()}",
            )
        )
        erases.append(seconds)
        changed = report.changed
    chain = verify(ws) if erases else None
    result = {
        "store": sizes,
        "database": ws.engine.dialect.name,
        "customers": len(people),
        "tickets_per_customer": hits,
        "find_seconds": {
            k: {"median": round(statistics.median(v), 4), "max": round(max(v), 4)}
            for k, v in finds.items()
            if v
        },
        "erase_seconds": [round(s, 4) for s in erases],
        "last_erase_changed": changed,
        "audit_chain_ok": chain.ok if chain else None,
        "places_checked": places,
    }
    ws.close()
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"store: {sizes} on {result['database']}")
    for kind, stats in result["find_seconds"].items():
        print(f"find by {kind:8s}: median {stats['median']:.3f} s, max {stats['max']:.3f} s")
    print(
        f"erase: {', '.join(f'{s:.3f} s' for s in erases)}; "
        f"audit chain ok: {result['audit_chain_ok']}"
    )
    print(f"places checked ({len(places)}): {', '.join(places)}")


if __name__ == "__main__":
    main()
