"""Compare two periods (a pilot against its baseline) with bootstrap confidence intervals.

A lead needs to tell a real improvement from noise, so each metric's change
comes with a 95% percentile-bootstrap interval: medians are resampled over the
per-ticket values, rates over tickets (a ticket's trials stay together). The
per-ticket values are the weekly report's, from `MetricsAggregator.measurements`;
no metric is defined here. The seed is fixed so the same data gives the same
interval on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from casework.config.schema import WorkspaceConfig
from casework.insights.metrics import TICKET_METRICS, MetricsAggregator, QueueAge, iter_timelines

if TYPE_CHECKING:
    from casework import Workspace

RESAMPLES, SEED, LEVEL = 2_000, 20_260_901, 0.95
BLOCK_CELLS = 4_000_000  # resample x ticket indices drawn at once: memory stays flat
REAL, NOISE, NO_DATA = "real change", "within noise", "no data"

Array = npt.NDArray[np.float64]


def parse_range(text: str) -> tuple[datetime, datetime]:
    """`START..END` as ISO dates or datetimes (UTC unless stated); END is exclusive."""
    try:
        start_text, end_text = text.split("..")
        start, end = (datetime.fromisoformat(p.strip()) for p in (start_text, end_text))
    except ValueError as exc:
        raise ValueError(f"expected a range like 2026-09-01..2026-10-01, got {text!r}") from exc
    start, end = (d if d.tzinfo else d.replace(tzinfo=UTC) for d in (start, end))
    if end <= start:
        raise ValueError(f"the range {text!r} ends before it starts")
    return start, end


@dataclass
class PeriodSample:
    """One period's per-ticket values: what the bootstrap resamples."""

    start: datetime
    end: datetime
    values: dict[str, list[float]] = field(default_factory=dict)
    """Duration (minutes), count and `queue_age` (hours) key → one value per ticket."""
    trials: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    """Rate key → one (numerator, denominator) per ticket with a trial."""


def collect(ws: Workspace, start: datetime, end: datetime, config: WorkspaceConfig) -> PeriodSample:
    """Stream the period's tickets through the weekly report's per-ticket computation."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    aggregator = MetricsAggregator(start, end, config, dims=("all",))
    sample = PeriodSample(start, end)
    with ws.session() as session:
        for timeline in iter_timelines(session, start, end):
            for _, _, measurements in aggregator.measurements(timeline):
                per_ticket: dict[str, list[int]] = {}
                for m in measurements:
                    if m.kind == "rate":
                        counts = per_ticket.setdefault(m.key, [0, 0])
                        counts[0] += int(m.value)
                        counts[1] += 1
                    else:
                        sample.values.setdefault(m.key, []).append(m.value)
                for key, (num, den) in per_ticket.items():
                    sample.trials.setdefault(key, []).append((num, den))
        sample.values[QueueAge.name] = [hours for _, hours in QueueAge.ages(session, end)]
    return sample


@dataclass(frozen=True)
class Comparison:
    """One metric in both periods, the change and its interval."""

    metric: str
    unit: str
    before: float | None
    after: float | None
    n_before: int
    n_after: int
    low: float | None = None
    high: float | None = None

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def verdict(self) -> str:
        if self.low is None or self.high is None:
            return NO_DATA
        return REAL if self.low > 0 or self.high < 0 else NOISE

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "difference": self.difference, "verdict": self.verdict}


def _median_of(x: Array) -> Array:
    return np.asarray(np.median(x, axis=-1), dtype=float)


def _rate_of(x: Array) -> Array:
    """Rows of (numerator, denominator) per ticket → numerator sum / denominator sum."""
    num, den = x[..., 0].sum(axis=-1), x[..., 1].sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(den > 0, num / den, np.nan), dtype=float)


def _point(stat: Callable[[Array], Array], x: Array) -> float | None:
    value = float(stat(x)) if len(x) else np.nan
    return None if np.isnan(value) else value


def _replicates(
    x: Array, stat: Callable[[Array], Array], rng: np.random.Generator, resamples: int
) -> Array:
    """`stat` of `resamples` resamples of the rows of `x`, drawn in bounded blocks."""
    n = len(x)
    block = max(1, min(resamples, BLOCK_CELLS // n))
    out: list[Array] = []
    while (done := sum(len(o) for o in out)) < resamples:
        out.append(stat(x[rng.integers(0, n, size=(min(block, resamples - done), n))]))
    return np.concatenate(out)


def compare_values(
    metric: str, unit: str, before: Sequence[Any], after: Sequence[Any],
    rng: np.random.Generator, resamples: int = RESAMPLES,
) -> Comparison:  # fmt: skip
    """Medians of per-ticket values, or for `unit="rate"` the ratio of per-ticket
    (numerator, denominator) sums, with a percentile-bootstrap interval on the change.

    Rates resample tickets, not trials, so a ticket's trials stay together.
    """
    stat = _rate_of if unit == "rate" else _median_of
    a, b = (np.asarray(x, dtype=float) for x in (before, after))
    if unit == "rate":
        a, b = a.reshape(-1, 2), b.reshape(-1, 2)
    n_a, n_b = (int(x[:, 1].sum()) if unit == "rate" else len(x) for x in (a, b))
    point_a, point_b = _point(stat, a), _point(stat, b)
    if point_a is None or point_b is None:
        return Comparison(metric, unit, point_a, point_b, n_a, n_b)
    diffs = _replicates(b, stat, rng, resamples) - _replicates(a, stat, rng, resamples)
    diffs = diffs[~np.isnan(diffs)]
    tail = (1 - LEVEL) / 2 * 100
    low, high = (float(v) for v in np.percentile(diffs, [tail, 100 - tail]))
    return Comparison(metric, unit, point_a, point_b, n_a, n_b, low, high)


@dataclass
class CompareResult:
    before: tuple[datetime, datetime]
    after: tuple[datetime, datetime]
    rows: list[Comparison]
    resamples: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        spans = {
            k: [d.isoformat() for d in v]
            for k, v in (("before", self.before), ("after", self.after))
        }
        meta = {"confidence": LEVEL, "resamples": self.resamples, "seed": self.seed}
        return {**spans, **meta, "metrics": [row.to_dict() for row in self.rows]}


def compare_samples(
    before: PeriodSample, after: PeriodSample, resamples: int = RESAMPLES, seed: int = SEED
) -> CompareResult:
    """Every metric of the registry, in its order, compared between the two samples."""
    rng = np.random.default_rng(seed)
    rows = []
    for metric in TICKET_METRICS:
        if metric.kind == "rate":
            trials = before.trials.get(metric.name, []), after.trials.get(metric.name, [])
            rows.append(compare_values(metric.name, "rate", *trials, rng, resamples))
            continue
        unit = "minutes" if metric.kind == "duration" else "count"
        keys = [f"{metric.name}.{c}" for c in ("calendar", "business")]
        for key in keys if metric.kind == "duration" else [metric.name]:
            pair = before.values.get(key, []), after.values.get(key, [])
            rows.append(compare_values(key, unit, *pair, rng, resamples))
    pair = before.values.get(QueueAge.name, []), after.values.get(QueueAge.name, [])
    rows.append(compare_values(QueueAge.name, "hours", *pair, rng, resamples))
    span = (before.start, before.end), (after.start, after.end)
    return CompareResult(span[0], span[1], rows, resamples, seed)


def compare_periods(
    ws: Workspace, before: tuple[datetime, datetime], after: tuple[datetime, datetime]
) -> CompareResult:
    """Collect both periods from the store (with the config in force) and compare them."""
    from casework.config.versions import active_config

    config = active_config(ws)[1]
    return compare_samples(collect(ws, *before, config), collect(ws, *after, config))


def _fmt(unit: str, value: float | None, signed: bool = False) -> str:
    if value is None:
        return "–"
    sign = "+" if signed else ""
    if unit == "rate":
        return f"{value * 100:{sign}.1f} pp" if signed else f"{value:.1%}"
    if unit == "minutes":
        return f"{value / 60:{sign}.1f} h" if abs(value) >= 90 else f"{value:{sign}.0f} min"
    if unit == "hours":
        return f"{value:{sign}.1f} h"
    return f"{value:{sign}g}"


def to_markdown(result: CompareResult) -> str:
    """A table a lead can read: medians or rates, the change, its interval and the verdict."""

    def period(span: tuple[datetime, datetime]) -> str:
        return f"{span[0].date().isoformat()}..{span[1].date().isoformat()}"

    lines = [
        f"# Compare: before {period(result.before)} vs after {period(result.after)}",
        "",
        f"Medians (rates for rate metrics) per period; difference = after − before with a "
        f"{LEVEL:.0%} bootstrap interval ({result.resamples:,} resamples, seed {result.seed}). "
        "Definitions: docs/metrics.md.",
        "",
        "| metric | before | after | difference | 95% CI | n before / after | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result.rows:
        ci = "–"
        if row.low is not None and row.high is not None:
            ci = f"[{_fmt(row.unit, row.low, True)}, {_fmt(row.unit, row.high, True)}]"
        values = [_fmt(row.unit, v) for v in (row.before, row.after)]
        change = _fmt(row.unit, row.difference, True)
        cells = [f"`{row.metric}`", *values, change, ci, f"{row.n_before} / {row.n_after}"]
        lines.append("| " + " | ".join([*cells, row.verdict]) + " |")
    return "\n".join(lines) + "\n"
