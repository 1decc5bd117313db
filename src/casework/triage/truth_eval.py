"""Score stored triage results against the demo's truth manifest.

Evaluation only: this is the one place that reads the manifest, and nothing
it computes flows back into a decision. Intent, urgency, sentiment and
language are compared with the truth labels of each ticket's opening message;
personal-data detection is re-run on every message and compared span by span.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score, f1_score, recall_score
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.store.tables import AgentRow, TicketRow, TriageResultRow
from casework.text.pii import detect_pii
from casework.workspace import Workspace

# demo manifest type -> detector type
PII_TYPES = {
    "email": "EMAIL",
    "phone": "PHONE",
    "card_number": "CARD",
    "iban": "IBAN",
    "ip_address": "IP",
    "ip": "IP",
    "address": "ADDRESS",
    "person": "PERSON",
}
LEVELS = ["low", "normal", "high", "urgent"]


def _truths(folder: Path) -> Iterator[dict[str, Any]]:
    header = json.loads((folder / "demo-truth.json").read_text("utf-8"))
    with (folder / header["tickets_file"]).open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def _scores(truth: list[str], predicted: list[str], positive: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
    }
    if positive is not None:
        recall = recall_score(truth, predicted, labels=[positive], average="macro", zero_division=0)
        out[f"{positive}_recall"] = round(float(recall), 4)
    return out


def evaluate_against_truth(ws: Workspace, model_version: str | None = None) -> dict[str, Any]:
    """Quality of stored triage results and of PII detection on the demo workspace."""
    truths = {t["external_id"]: t for t in _truths(ws.path)}
    pairs: dict[str, list[tuple[str, str]]] = {
        k: [] for k in ("intent", "urgency", "sentiment", "language")
    }
    pii_counts: Counter[tuple[str, str]] = Counter()
    with ws.session() as s:
        staff = _staff_names(s.scalars(select(AgentRow.name)))
    version = model_version
    last_id = 0
    while True:
        with ws.session() as s:
            tickets = list(
                s.scalars(
                    select(TicketRow)
                    .where(TicketRow.source == "demo", TicketRow.id > last_id)
                    .order_by(TicketRow.id)
                    .limit(1000)
                    .options(selectinload(TicketRow.messages))
                ).unique()
            )
            if not tickets:
                break
            last_id = tickets[-1].id
            query = select(TriageResultRow).where(
                TriageResultRow.ticket_id.in_([t.id for t in tickets])
            )
            if version:
                query = query.where(TriageResultRow.model_version == version)
            results = {r.ticket_id: r for r in s.scalars(query)}
        for ticket in tickets:
            truth = truths.get(ticket.external_id)
            if truth is None:
                continue
            _count_pii(ticket, truth, pii_counts, staff)
            result = results.get(ticket.id)
            if result is None:
                continue
            version = version or result.model_version
            pairs["intent"].append((truth["intent"], result.intent))
            pairs["urgency"].append((truth["priority"], result.urgency))
            pairs["sentiment"].append((truth["sentiment"], result.sentiment))
            pairs["language"].append((truth["language"], result.language))
    report: dict[str, Any] = {"model_version": version, "triaged": len(pairs["intent"])}
    if pairs["intent"]:
        t, p = map(list, zip(*pairs["intent"], strict=True))
        report["intent"] = _scores(t, p)
        report["intent"]["unknown_rate"] = round(p.count("unknown") / len(p), 4)
        answered = [(a, b) for a, b in pairs["intent"] if b != "unknown"]
        report["intent"]["accuracy_when_answered"] = round(
            sum(a == b for a, b in answered) / max(1, len(answered)), 4
        )
        t, p = map(list, zip(*pairs["urgency"], strict=True))
        report["urgency"] = _scores(t, p)
        report["urgency"]["within_one_level"] = round(
            sum(abs(LEVELS.index(a) - LEVELS.index(b)) <= 1 for a, b in zip(t, p, strict=True))
            / len(t),
            4,
        )
        t, p = map(list, zip(*pairs["sentiment"], strict=True))
        report["sentiment"] = _scores(t, p, positive="negative")
        t, p = map(list, zip(*pairs["language"], strict=True))
        report["language"] = _scores(t, p)
    report["pii"] = _pii_report(pii_counts)
    return report


def _staff_names(names: Iterable[str]) -> frozenset[str]:
    """The agents' full and first names: personal data the manifest does not plant."""
    return frozenset(v for name in names if name.split() for v in (name, name.split()[0]))


def _count_pii(
    ticket: TicketRow,
    truth: dict[str, Any],
    counts: Counter[tuple[str, str]],
    staff: frozenset[str] = frozenset(),
) -> None:
    """Count true positives, misses and false alarms per type, span-overlap matching.

    The manifest plants the customer's personal data only; an agent's name found in a
    signature is personal data too, so it is counted apart (`staff`), not as a false
    alarm."""
    planted: dict[int, list[tuple[str, int, int]]] = {}
    for span in truth["pii"]:
        kind = PII_TYPES.get(span["type"], span["type"].upper())
        planted.setdefault(span["message"], []).append((kind, span["start"], span["end"]))
    for index, message in enumerate(ticket.messages):
        want = planted.get(index, [])
        found = [(s.type, s.start, s.end) for s in detect_pii(message.body)]
        for kind, start, end in want:
            hit = any(k == kind and s < end and start < e for k, s, e in found)
            counts[(kind, "tp" if hit else "fn")] += 1
        for kind, start, end in found:
            if not any(k == kind and s < end and start < e for k, s, e in want):
                staff_name = kind == "PERSON" and message.body[start:end] in staff
                counts[(kind, "staff" if staff_name else "fp")] += 1


def _pii_report(counts: Counter[tuple[str, str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in sorted({k for k, _ in counts}):
        tp, fn, fp = counts[(kind, "tp")], counts[(kind, "fn")], counts[(kind, "fp")]
        out[kind] = {
            "planted": tp + fn,
            "found": tp + fp,
            "recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        }
        if counts[(kind, "staff")]:
            out[kind]["staff_names_found"] = counts[(kind, "staff")]
    return out
