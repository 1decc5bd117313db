"""Score routing and escalation against the demo's truth manifest.

Evaluation only: the manifest is read here and nothing computed here flows
back into a decision. Routing is replayed from the *stored* triage results
(as a config dry run would), three ways — rules alone with the default queue,
the queue model alone, rules then model — against each ticket's true final
queue. The queue model must be trained on the store's final queues, never on
the truth; when its metadata has `trained_until`, only later tickets count,
so the figures are on tickets the model never saw.

    python -m casework.routing.evaluate WORKSPACE [--holdout-weeks 3]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from casework.config.loader import default_config, load_config_file
from casework.config.schema import WorkspaceConfig
from casework.routing.facts import RoutingFacts, facts_from_stored
from casework.routing.queue_model import KIND, queue_model_meta, train_queue_model
from casework.routing.router import Router, RoutingDecision
from casework.routing.training import queue_history
from casework.store.tables import TicketRow, TriageResultRow
from casework.triage.model_store import StoredModel
from casework.workspace import Workspace

SENSITIVE = ("legal_threat", "requests_human", "complaint", "frustrated")


def _truths(folder: Path) -> dict[str, dict[str, Any]]:
    header = json.loads((folder / "demo-truth.json").read_text("utf-8"))
    with (folder / header["tickets_file"]).open(encoding="utf-8") as stream:
        rows = (json.loads(line) for line in stream if line.strip())
        return {row["external_id"]: row for row in rows}


def stored_facts(
    ws: Workspace, since: datetime | None = None, batch: int = 1000
) -> Iterator[tuple[TicketRow, RoutingFacts]]:
    """Each ticket with facts from its latest stored triage (tickets never triaged are skipped)."""
    last_id = 0
    while True:
        with ws.session() as s:
            query = select(TicketRow).where(TicketRow.id > last_id)
            if since is not None:
                query = query.where(TicketRow.created_at >= since)
            tickets = list(s.scalars(query.order_by(TicketRow.id).limit(batch)).unique())
            if not tickets:
                return
            last_id = tickets[-1].id
            rows = s.scalars(
                select(TriageResultRow)
                .where(TriageResultRow.ticket_id.in_([t.id for t in tickets]))
                .order_by(TriageResultRow.created_at, TriageResultRow.id)
            )
            latest = {row.ticket_id: row for row in rows}
        for ticket in tickets:
            row = latest.get(ticket.id)
            if row is None:
                continue
            customer = ticket.requester
            yield (
                ticket,
                facts_from_stored(
                    row,
                    channel=ticket.channel,
                    tags=ticket.tags or (),
                    customer_tier=customer.tier if customer else None,
                    customer_attributes=customer.attributes if customer else None,
                ),
            )


def _accuracy(truth: list[str], decisions: list[RoutingDecision]) -> dict[str, Any]:
    right = [t == d.queue for t, d in zip(truth, decisions, strict=True)]
    by: dict[str, list[bool]] = {}
    for ok, d in zip(right, decisions, strict=True):
        by.setdefault(d.decided_by.split(":")[0], []).append(ok)
    return {
        "accuracy": round(sum(right) / max(1, len(right)), 4),
        "decided_by": {k: {"share": round(len(v) / len(right), 4),
                           "accuracy": round(sum(v) / len(v), 4)} for k, v in sorted(by.items())},
    }  # fmt: skip


def _escalation(truths: list[dict[str, Any]], decisions: list[RoutingDecision]) -> dict[str, Any]:
    def sensitive(t: dict[str, Any]) -> dict[str, bool]:
        return {
            "legal_threat": t["legal_threat"],
            "requests_human": t["requests_human"],
            "complaint": t["intent"] == "complaint",
            "frustrated": t["frustrated"],
        }

    flags = [sensitive(t) for t in truths]
    escalated = [d.escalation.escalate for d in decisions]
    any_sensitive = [any(f.values()) for f in flags]
    report: dict[str, Any] = {
        "share_escalated": round(sum(escalated) / max(1, len(escalated)), 4),
        "truly_sensitive": sum(any_sensitive),
        "recall": round(sum(e for e, s in zip(escalated, any_sensitive, strict=True) if s)
                        / max(1, sum(any_sensitive)), 4),
        "escalated_not_sensitive_share": round(
            sum(e for e, s in zip(escalated, any_sensitive, strict=True) if not s)
            / max(1, len(escalated) - sum(any_sensitive)), 4),
    }  # fmt: skip
    for kind in SENSITIVE:
        hits = [e for e, f in zip(escalated, flags, strict=True) if f[kind]]
        report[f"recall_{kind}"] = round(sum(hits) / max(1, len(hits)), 4)
    triggers: Counter[str] = Counter()
    for d in decisions:
        triggers.update(
            {
                r.split(" (")[0].split(" '")[0].split(" -")[0].split(" 0")[0]
                for r in d.escalation.reasons
            }
        )
    report["triggers"] = dict(triggers.most_common())
    missed = [
        d for d, s in zip(decisions, any_sensitive, strict=True) if s and not d.escalation.escalate
    ]
    report["missed_examples"] = [d.escalation.summary.split("\n")[0] for d in missed[:5]]
    return report


def evaluate_routing(
    ws: Workspace,
    config: WorkspaceConfig,
    queue_model: StoredModel | None,
    since: datetime | None = None,
) -> dict[str, Any]:
    """Routing accuracy three ways, escalation recall and automation levels, on the demo."""
    started = time.perf_counter()
    trained_until = (queue_model.meta.get("trained_until") if queue_model else None) or None
    since = since or (datetime.fromisoformat(trained_until) if trained_until else None)
    truths = _truths(ws.path)
    pairs = [
        (truths[t.external_id], f) for t, f in stored_facts(ws, since) if t.external_id in truths
    ]
    truth_rows = [t for t, _ in pairs]
    facts = [f for _, f in pairs]
    queues = [t["queue"] for t in truth_rows]
    no_rules = config.model_copy(update={"rules": [], "routing_model_min_confidence": 0.0})
    routed_at = time.perf_counter()
    both = Router(config, 0, queue_model).route_many(facts)
    routing_seconds = time.perf_counter() - routed_at
    report: dict[str, Any] = {
        "tickets": len(facts),
        "since": since.isoformat() if since else None,
        "queue_model": queue_model.version if queue_model else None,
        "rules_only": _accuracy(queues, Router(config, 0, None).route_many(facts)),
        "rules_plus_model": _accuracy(queues, both),
    }
    if queue_model is not None:
        report["model_only"] = _accuracy(queues, Router(no_rules, 0, queue_model).route_many(facts))
    report["escalation"] = _escalation(truth_rows, both)
    levels = Counter(d.automation_level.value for d in both)
    report["automation_levels"] = {k: round(v / max(1, len(both)), 4) for k, v in levels.items()}
    report["routing_ms_per_ticket"] = round(1000 * routing_seconds / max(1, len(both)), 3)
    report["seconds"] = round(time.perf_counter() - started, 2)
    return report


def evaluate_with_holdout(
    ws: Workspace, config: WorkspaceConfig, holdout_weeks: int = 3
) -> dict[str, Any]:
    """Train a queue model on all but the last `holdout_weeks` and score on those weeks.

    The model learns from the store's final queues (and overrides), never from the
    truth file; the truth file only scores. 0 weeks trains and scores on everything.
    """
    with ws.session() as s:
        newest = s.scalar(select(func.max(TicketRow.created_at)))
    until = None
    if newest is not None and holdout_weeks:
        until = newest - timedelta(weeks=holdout_weeks)
    data = queue_history(ws, until)
    model = train_queue_model(data.texts, data.labels)
    meta = queue_model_meta(model, data.labels, trained_until=until.isoformat() if until else None)
    report = evaluate_routing(ws, config, StoredModel(KIND, "queue-eval", model, meta))
    report["queue_model_meta"] = {
        k: meta[k] for k in ("n_train", "holdout_accuracy", "trained_until", "train_seconds")
    }
    return report


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--holdout-weeks", type=int, default=3)
    parser.add_argument("--config", type=Path, help="workspace config (default: the bundled one)")
    args = parser.parse_args()
    config = load_config_file(args.config) if args.config else default_config()
    with Workspace(args.workspace) as ws:
        report = evaluate_with_holdout(ws, config, args.holdout_weeks)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    _main()
