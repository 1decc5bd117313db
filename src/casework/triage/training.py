"""Train the intent model on a workspace's labelled history or on a labelled CSV.

Helpdesks label history in a ticket field agents fill in ("contact reason",
"ticket type"); which field is named by the caller. The model learns from the
*redacted* text, so no e-mail address or card number ends up in its
vocabulary, and it records the languages it was trained on so that a ticket in
another language gets `unknown` instead of a confident guess.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import sklearn
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.store.tables import TicketRow
from casework.text.language import detect_language
from casework.text.pii import Redactor
from casework.triage.datasets import LabelledTexts
from casework.triage.intent import IntentClassifier
from casework.triage.model_store import StoredModel, save_model
from casework.workspace import Workspace

DEFAULT_LABEL_FIELD = "contact_reason"
MIN_LANGUAGE_SHARE = 0.02
MIN_LANGUAGE_EXAMPLES = 25


def ticket_text(subject: str, first_message: str) -> str:
    """What the intent model reads: the subject and the customer's opening message."""
    subject, first_message = subject.strip(), first_message.strip()
    if subject and not first_message.startswith(subject):
        return f"{subject}\n{first_message}"
    return first_message or subject


def tickets_with_messages(ws: Workspace, batch: int = 1000) -> Iterator[TicketRow]:
    """Every ticket with its messages, in id order, one batch in memory at a time."""
    last_id = 0
    while True:
        with ws.session() as s:
            rows = list(
                s.scalars(
                    select(TicketRow)
                    .where(TicketRow.id > last_id)
                    .order_by(TicketRow.id)
                    .limit(batch)
                    .options(selectinload(TicketRow.messages))
                ).unique()
            )
        if not rows:
            return
        last_id = rows[-1].id
        yield from rows


def redacted_opening(ticket: TicketRow) -> str:
    """The text models learn from: subject and first customer message, redacted per ticket."""
    first = next((m.body for m in ticket.messages if m.author_role == "customer"), "")
    return Redactor().redact(ticket_text(ticket.subject, first))[0]


def labelled_history(ws: Workspace, label_field: str = DEFAULT_LABEL_FIELD) -> LabelledTexts:
    """Redacted ticket texts with the label agents gave them, streamed in batches."""
    texts, labels = [], []
    for ticket in tickets_with_messages(ws):
        if ticket.custom_fields.get(label_field):
            texts.append(redacted_opening(ticket))
            labels.append(str(ticket.custom_fields[label_field]))
    return LabelledTexts(texts, labels)


def training_languages(texts: Sequence[str], sample: int = 20_000) -> list[str]:
    """Languages with enough training examples to count as "trained on".

    Enough means at least `MIN_LANGUAGE_EXAMPLES` examples or `MIN_LANGUAGE_SHARE`
    of the data: a few dozen labelled tickets in Italian teach the n-grams
    something, a stray Italian sentence among thousands does not.
    """
    step = max(1, len(texts) // sample)
    counts = Counter(detect_language(t).code for t in texts[::step])
    total = sum(counts.values()) or 1
    return sorted(
        code
        for code, n in counts.items()
        if code != "und" and (n * step >= MIN_LANGUAGE_EXAMPLES or n / total >= MIN_LANGUAGE_SHARE)
    )


def train_intent(
    ws: Workspace,
    data: LabelledTexts,
    mode: str = "static",
    source: str = "workspace history",
    unknown_label: str | None = None,
) -> StoredModel:
    """Fit, measure on the hold-out, and save a new active intent model version."""
    if len(data.texts) < 20:
        raise ValueError(
            f"only {len(data.texts)} labelled examples in {source}; at least 20 are needed"
        )
    model = IntentClassifier(embedder=mode, unknown_label=unknown_label).fit(
        data.texts, data.labels
    )
    meta: dict[str, Any] = {
        "trained_on": source,
        "sklearn_version": sklearn.__version__,
        "embedder": mode,
        "n_train": model.n_train_,
        "classes": [str(c) for c in model.classes_],
        "label_counts": dict(Counter(data.labels).most_common()),
        "languages": training_languages(data.texts),
        "holdout_accuracy": round(model.holdout_accuracy_, 4),
        "temperature": round(model.temperature_, 4),
        "unknown_threshold": round(model.unknown_threshold_, 4),
        "train_seconds": round(model.train_seconds_, 2),
    }
    return save_model(ws.path / "models", "intent", model, meta)
