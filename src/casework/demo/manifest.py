"""The truth manifest: what the generator planted, for evaluations only.

Two files in the workspace folder:

* `demo-truth.json` — a small header: seed, period, counts, label vocabulary,
  the planted patterns (week-9 carrier spike, invoice-layout issue, knowledge
  gap, stale articles) and weekly ticket counts per intent.
* `demo-truth.jsonl` — one line per ticket, in ticket order (JSON Lines because
  5,000 tickets with their spans are several megabytes: stream it, don't load
  it as one document):
  `{"external_id", "created_at", "week", "channel", "customer", "intent",
  "topic", "queue", "priority", "sentiment", "frustrated", "language",
  "requests_human", "legal_threat", "repeat_of", "order_number",
  "mentions_order_number", "reopened", "transferred", "pii": [...],
  "entities": [...]}` where every `pii` item is `{"type", "message", "start",
  "end", "value"}`: `message` is the 0-based index into the stored ticket's
  messages (internal notes included) and `body[start:end] == value` holds
  exactly. `entities` has the same shape for order, tracking and invoice
  numbers and amounts.

Label meanings: `intent`/`topic` are what the customer's opening message asks
(topic is null for intents without sub-topics); `queue` is the queue that
should own the ticket (legal threats belong to complaints); `priority` is the
urgency a careful lead would set — the stored priority is the agents' noisy
version of it, and a quarter of tickets have none; `sentiment` and
`frustrated` describe the opening message; `requests_human` and
`legal_threat` mean the text says so; `mentions_order_number` is whether the
opening message contains the order number (the missing-information case when
false and `order_number` is set); `reopened` means the customer reported the
problem was not solved after it was marked solved.

Nothing in the store points at these files; casework's own decisions must
never read them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

HEADER_FILE = "demo-truth.json"
TICKETS_FILE = "demo-truth.jsonl"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class SpanTruth:
    type: str
    message: int
    start: int
    end: int
    value: str


@dataclass
class TicketTruth:
    external_id: str
    created_at: str
    week: int
    channel: str
    customer: str
    intent: str
    topic: str | None
    queue: str
    priority: str
    sentiment: str
    frustrated: bool
    language: str
    requests_human: bool
    legal_threat: bool
    repeat_of: str | None
    order_number: str | None
    mentions_order_number: bool
    reopened: bool
    transferred: bool
    pii: list[SpanTruth] = field(default_factory=list)
    entities: list[SpanTruth] = field(default_factory=list)


class ManifestWriter:
    """Streams ticket truths to the JSONL file as batches are written."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._stream: TextIO = (folder / TICKETS_FILE).open("w", encoding="utf-8")

    def add(self, truths: list[TicketTruth]) -> None:
        for truth in truths:
            self._stream.write(json.dumps(asdict(truth), ensure_ascii=False) + "\n")

    def finish(self, header: dict[str, Any]) -> Path:
        self._stream.close()
        path = self.folder / HEADER_FILE
        document = {"format_version": FORMAT_VERSION, "tickets_file": TICKETS_FILE, **header}
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
        return path

    def abort(self) -> None:
        self._stream.close()


def read_truth(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header and the per-ticket records, for evaluations and tests."""
    header = json.loads((folder / HEADER_FILE).read_text("utf-8"))
    with (folder / header["tickets_file"]).open(encoding="utf-8") as stream:
        tickets = [json.loads(line) for line in stream if line.strip()]
    return header, tickets
