"""Volumes per intent, queue and topic, and the spikes a lead should hear about.

Counting happens in the database (``GROUP BY`` series and UTC day): one number per
series and day reaches Python; ISO weeks are summed from days. The spike test:

* **daily** — count ``c`` against ``mu``, the mean on the same weekday over the previous
  ``baseline_weeks`` weeks (a regular Monday peak is baseline, not a spike). Flagged when
  the Poisson tail ``P(X >= c | mu)`` (``scipy.stats.poisson.sf``) < ``p_value``,
  ``c >= min_ratio * mu`` and ``c >= min_daily``; needs ``min_baseline_weeks`` weeks.
* **weekly** — a complete ISO week against the previous complete weeks, likewise.
* **emerging** — the last two complete weeks average ``emerging_ratio`` times an earlier
  weekly mean that was near zero (``<= emerging_floor``).

Flagged periods are left out of later baselines; the ratio condition guards against
Poisson's overconfidence on overdispersed counts; ``mu`` is floored at 0.5.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from scipy.stats import poisson
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sqlalchemy import ColumnElement, String, func, literal_column, select
from sqlalchemy.orm import Session

from casework.store.tables import QueueRow, TicketRow, TicketTopicRow, TriageResultRow

SeriesKey = tuple[str, str]  # (kind, key): ("intent", "order_status"), ("queue", "billing")
Counts = dict[SeriesKey, dict[date, int]]
NO_QUEUE = "(none)"


@dataclass(frozen=True)
class SpikeSettings:
    baseline_weeks: int = 6
    min_baseline_weeks: int = 3
    p_value: float = 0.001
    min_ratio: float = 2.0
    min_daily: int = 5
    min_weekly: int = 10
    emerging_ratio: float = 3.0
    emerging_floor: float = 2.0
    emerging_min: int = 10


@dataclass
class Alert:
    """One flagged series and period, with the evidence a person needs to judge it."""

    alert: str  # "spike" or "emerging"
    series_kind: str
    series_key: str
    granularity: str  # "day" or "week"
    period: str  # 2026-10-21 or 2026-W43
    start: date
    end: date  # exclusive
    count: int
    baseline: float
    ratio: float
    p_value: float
    example_ticket_ids: list[int] = field(default_factory=list)
    trigger_terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: str(v) if isinstance(v, date) else v for k, v in asdict(self).items()}


def _day(session: Session, column: Any) -> ColumnElement[str]:
    """'YYYY-MM-DD' of a UTC timestamp, per dialect (literal format: PostgreSQL's GROUP BY
    must see the same expression text, which bound parameters would break)."""
    if session.get_bind().dialect.name == "postgresql":
        utc = func.timezone(literal_column("'UTC'"), column)
        return func.to_char(utc, literal_column("'YYYY-MM-DD'"), type_=String)
    return func.substr(column, 1, 10, type_=String)  # SQLite stores ISO text, UTC


def latest_triage() -> Any:
    """Subquery of each ticket's newest triage row id: a re-triage replaces, never adds."""
    return (
        select(func.max(TriageResultRow.id).label("id"))
        .group_by(TriageResultRow.ticket_id)
        .subquery()
    )


def _window(stmt: Any, since: datetime | None, until: datetime | None) -> Any:
    """Restrict a ticket query to [since, until)."""
    stmt = stmt if since is None else stmt.where(TicketRow.created_at >= since)
    return stmt if until is None else stmt.where(TicketRow.created_at < until)


def daily_counts(
    session: Session, since: datetime | None = None, until: datetime | None = None
) -> Counts:
    """Tickets per series and UTC day; topics only when topic assignments exist."""
    day = _day(session, TicketRow.created_at).label("day")
    latest = latest_triage()
    queries: dict[str, Any] = {
        "intent": select(TriageResultRow.intent, day, func.count())
        .join(latest, latest.c.id == TriageResultRow.id)
        .join(TicketRow, TicketRow.id == TriageResultRow.ticket_id)
        .group_by(TriageResultRow.intent, day),
        "queue": select(QueueRow.key, day, func.count())
        .select_from(TicketRow)
        .outerjoin(QueueRow, QueueRow.id == TicketRow.queue_id)
        .group_by(QueueRow.key, day),
        "topic": select(TicketTopicRow.topic_id, day, func.count())
        .join(TicketRow, TicketRow.id == TicketTopicRow.ticket_id)
        .group_by(TicketTopicRow.topic_id, day),
    }
    counts: Counts = {}
    for kind, stmt in queries.items():
        for key, day_text, n in session.execute(_window(stmt, since, until)):
            series = (kind, NO_QUEUE if key is None else str(key))
            counts.setdefault(series, {})[date.fromisoformat(day_text)] = int(n)
    return counts


def weekly_counts(days: Mapping[date, int]) -> dict[date, int]:
    """Sum daily counts into ISO weeks, keyed by the week's Monday."""
    weeks: Counter[date] = Counter()
    for day, n in days.items():
        weeks[day - timedelta(days=day.weekday())] += n
    return dict(weeks)


def iso_week(monday: date) -> str:
    return "{}-W{:02d}".format(*monday.isocalendar()[:2])


def parse_iso_week(text: str) -> date:
    """'2026-W09' -> that week's Monday; ValueError says what was expected."""
    match = re.fullmatch(r"(\d{4})-W(\d{1,2})", text.strip())
    if not match:
        raise ValueError(f"expected an ISO week like 2026-W09, got {text!r}")
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def _test(c: int, samples: list[int], minimum: int, s: SpikeSettings) -> tuple[float, float]:
    """(baseline mean, p-value) when c is a spike, else (mean, nan)."""
    mu = sum(samples) / len(samples) if samples else math.inf  # no baseline: never flagged
    p = float(poisson.sf(c - 1, max(mu, 0.5)))
    flagged = p < s.p_value and c >= s.min_ratio * mu and c >= minimum
    return mu, p if flagged else math.nan


def _alert(
    kind: str, series: SeriesKey, gran: str, day: date, c: int, mu: float, p: float
) -> Alert:
    period, days = (day.isoformat(), 1) if gran == "day" else (iso_week(day), 7)
    end, ratio = day + timedelta(days), round(c / max(mu, 0.5), 2)
    return Alert(kind, *series, gran, period, day, end, c, round(mu, 2), ratio, p)


def detect(
    counts: Counts, first: date, last: date, settings: SpikeSettings | None = None
) -> list[Alert]:
    """Every spike and emerging series in [first, last] (pure: counts in, alerts out)."""
    s = settings or SpikeSettings()
    alerts: list[Alert] = []
    span = (last - first).days + 1
    first_monday = first + timedelta(days=(7 - first.weekday()) % 7)
    mondays = [first_monday + timedelta(weeks=i) for i in range(span // 7 + 1)]
    mondays = [m for m in mondays if m + timedelta(days=6) <= last]  # complete weeks only
    for series, days in sorted(counts.items()):
        flagged: set[date] = set()  # a spike never becomes the baseline of the next period
        for offset in range(7 * s.min_baseline_weeks, span):
            day = first + timedelta(days=offset)
            back = [day - timedelta(weeks=k) for k in range(1, s.baseline_weeks + 1)]
            samples = [days.get(b, 0) for b in back if b >= first and b not in flagged]
            c = days.get(day, 0)
            mu, p = _test(c, samples, s.min_daily, s)
            if not math.isnan(p):
                flagged.add(day)
                alerts.append(_alert("spike", series, "day", day, c, mu, p))
        weeks = weekly_counts(days)
        totals = [weeks.get(m, 0) for m in mondays]
        spiked: set[int] = set()
        for i in range(s.min_baseline_weeks, len(mondays)):
            prev = range(max(0, i - s.baseline_weeks), i)
            mu, p = _test(totals[i], [totals[j] for j in prev if j not in spiked], s.min_weekly, s)
            if not math.isnan(p):
                spiked.add(i)
                alerts.append(_alert("spike", series, "week", mondays[i], totals[i], mu, p))
        if len(totals) >= 4:
            earlier, recent = totals[:-2], totals[-2:]
            mean = sum(earlier) / len(earlier)
            grown = sum(recent) / 2 >= s.emerging_ratio * max(mean, 1.0)
            if mean <= s.emerging_floor and grown and sum(recent) >= s.emerging_min:
                p = float(poisson.sf(sum(recent) - 1, 2 * max(mean, 0.5)))
                alert = _alert("emerging", series, "week", mondays[-2], sum(recent), 2 * mean, p)
                alert.end, alert.period = mondays[-1] + timedelta(days=7), alert.period + "+1"
                alerts.append(alert)
    return alerts


_PLACEHOLDER = re.compile(r"<[A-Z_]+_\d+>")
_WORD = re.compile(r"[a-z][a-z0-9]{2,}")
_EXTRA = "hi hello hey thanks thank regards please hasn isn doesn didn don won wasn aren haven"
STOP = ENGLISH_STOP_WORDS | set(_EXTRA.split())


def tokens(text: str, bigrams: bool = False) -> list[str]:
    """Lower-case content words (placeholders and stop words dropped), plus bigrams."""
    words = [w for w in _WORD.findall(_PLACEHOLDER.sub(" ", text).lower()) if w not in STOP]
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)] if bigrams else []
    return words + pairs


def distinctive_terms(
    target: Iterable[str], background: Iterable[str], n: int = 5, bigrams: bool = False
) -> list[str]:
    """Terms over-represented in target: log-odds, informative Dirichlet prior (Monroe 2008),
    z > 1.96, in >= 10% (>= 3) of target texts so one customer's name is never a term."""
    texts = [tokens(text, bigrams) for text in target]
    mine, docs = Counter(w for t in texts for w in t), Counter(w for t in texts for w in set(t))
    other = Counter(w for text in background for w in tokens(text, bigrams))
    min_docs = max(3, math.ceil(0.1 * len(texts)))
    n1, n2, a0 = sum(mine.values()), sum(other.values()), 100.0  # a0: prior strength
    scored = []
    for word, y in mine.items():
        b = other[word]
        a = a0 * (y + b) / (n1 + n2)
        rest_mine, rest_other = n1 + a0 - y - a, n2 + a0 - b - a
        if rest_mine <= 0 or rest_other <= 0:
            continue  # one word makes up a whole side: no odds to compare
        delta = math.log((y + a) / rest_mine) - math.log((b + a) / rest_other)
        z = delta / math.sqrt(1 / (y + a) + 1 / (b + a))
        if z > 1.96 and docs[word] >= min_docs:
            scored.append((z, word))
    picked: list[str] = []
    for _, word in sorted(scored, reverse=True):
        clash = [p for p in picked if p in word or word in p]  # "gift" and "gift card"
        if clash and not (" " in word and all(p in word for p in clash)):
            continue
        picked = [p for p in picked if p not in clash] + [word]  # the bigram replaces
        if len(picked) == n:
            break
    return picked


def _series_texts(
    session: Session, series: SeriesKey, start: date, end: date, limit: int
) -> list[tuple[int, str]]:
    """(ticket id, redacted text) of one series' tickets created in [start, end)."""
    latest, (kind, key) = latest_triage(), series
    stmt = (
        select(TicketRow.id, TriageResultRow.redacted_text)
        .join(TriageResultRow, TriageResultRow.ticket_id == TicketRow.id)
        .join(latest, latest.c.id == TriageResultRow.id)
    )
    if kind == "intent":
        stmt = stmt.where(TriageResultRow.intent == key)
    elif kind == "queue":
        stmt = stmt.outerjoin(QueueRow, QueueRow.id == TicketRow.queue_id)
        stmt = stmt.where(QueueRow.key.is_(None) if key == NO_QUEUE else QueueRow.key == key)
    else:
        stmt = stmt.join(TicketTopicRow, TicketTopicRow.ticket_id == TicketRow.id)
        stmt = stmt.where(TicketTopicRow.topic_id == int(key))
    since, until = (datetime.combine(d, time(), UTC) for d in (start, end))
    stmt = _window(stmt, since, until).order_by(TicketRow.id).limit(limit)
    return [(int(row[0]), str(row[1])) for row in session.execute(stmt)]


def add_evidence(session: Session, alert: Alert, s: SpikeSettings, limit: int = 2000) -> None:
    """Fill example tickets and trigger terms (period texts vs the preceding weeks')."""
    series = (alert.series_kind, alert.series_key)
    period = _series_texts(session, series, alert.start, alert.end, limit)
    base_start = alert.start - timedelta(weeks=s.baseline_weeks)
    baseline = _series_texts(session, series, base_start, alert.start, limit)
    alert.example_ticket_ids = [i for i, _ in period[:5]]
    alert.trigger_terms = distinctive_terms((t for _, t in period), (t for _, t in baseline))


def find_alerts(
    session: Session, week: str | None = None, settings: SpikeSettings | None = None
) -> list[Alert]:
    """Spikes and emerging series (of one ISO week if given), strongest first, with evidence."""
    s = settings or SpikeSettings()
    since = until = None
    if week is not None:
        monday = parse_iso_week(week)
        since = datetime.combine(monday - timedelta(weeks=s.baseline_weeks + 1), time(), UTC)
        until = datetime.combine(monday + timedelta(days=7), time(), UTC)
    bounds = select(func.min(TicketRow.created_at), func.max(TicketRow.created_at))
    first, last = session.execute(_window(bounds, since, until)).one()
    if first is None:
        return []
    alerts = detect(daily_counts(session, since, until), first.date(), last.date(), s)
    if week is not None:
        alerts = [a for a in alerts if a.start < monday + timedelta(days=7) and a.end > monday]
    alerts.sort(key=lambda a: (a.p_value, -a.ratio))
    for alert in alerts:
        add_evidence(session, alert, s)
    return alerts
