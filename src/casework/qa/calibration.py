"""How far the automatic scores agree with human QA reviewers, per criterion.

A team trusts an automatic criterion once it agrees with its reviewers about
as well as reviewers agree with each other. Cohen's kappa corrects agreement
for chance (quadratic weights on ordinal scales, where 0 vs 2 is a worse miss
than 1 vs 2); exact and adjacent (off by at most one) agreement are the plain
figures a lead reads first.
"""

from __future__ import annotations

import csv
import math
import warnings
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import cohen_kappa_score
from sqlalchemy import select

from casework.config.versions import active_config
from casework.qa.scoring import rubric_of, rubric_version
from casework.store.tables import QAScoreRow, TicketRow
from casework.workspace import Workspace

COLUMNS = ("ticket_external_id", "criterion", "score", "reviewer")


@dataclass(frozen=True)
class Review:
    ticket_external_id: str
    criterion: str
    score: int
    reviewer: str


@dataclass(frozen=True)
class ReviewProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ReviewsError(ValueError):
    """Every problem in a reviews file; nothing is used until the file is clean."""

    def __init__(self, problems: list[ReviewProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def read_reviews(path: Path, scales: dict[str, int]) -> list[Review]:
    """Parse a reviews CSV, checking criteria and score ranges against the rubric."""
    name = str(path)
    problems: list[ReviewProblem] = []
    reviews: list[Review] = []
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ReviewsError([ReviewProblem(name, 0, "file", exc.strerror or str(exc))]) from exc
    with stream:
        reader = csv.DictReader(stream)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            message = f"missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}"
            raise ReviewsError([ReviewProblem(name, 1, "header", message)])
        for row in reader:
            line = reader.line_num
            review, found = _parse_row(row, scales)
            problems += [ReviewProblem(name, line, f, m) for f, m in found]
            if review:
                reviews.append(review)
    if problems:
        raise ReviewsError(problems)
    return reviews


def _parse_row(row: dict[str, Any], scales: dict[str, int]) -> tuple[Review | None, list[Any]]:
    found: list[tuple[str, str]] = []
    values = {c: (row.get(c) or "").strip() for c in COLUMNS}
    for column in ("ticket_external_id", "reviewer"):
        if not values[column]:
            found.append((column, "empty"))
    criterion = values["criterion"]
    if criterion not in scales:
        found.append(
            ("criterion", f"unknown criterion {criterion!r}; rubric has {', '.join(scales)}")
        )
    score: int | None = None
    try:
        score = int(values["score"])
    except ValueError:
        found.append(("score", f"expected a whole number, got {values['score']!r}"))
    if score is not None and criterion in scales and not 0 <= score <= scales[criterion]:
        found.append(("score", f"{score} is outside 0..{scales[criterion]} for {criterion}"))
    if found or score is None:
        return None, found
    return Review(values["ticket_external_id"], criterion, score, values["reviewer"]), []


@dataclass
class Agreement:
    criterion: str
    n: int
    kappa: float | None
    weights: str
    exact: float | None
    adjacent: float | None


def agreement(criterion: str, pairs: list[tuple[int, int]], scale: int) -> Agreement:
    """Kappa (quadratic above pass/fail), exact and adjacent agreement of (auto, human) pairs."""
    weights = "quadratic" if scale > 1 else "none"
    if not pairs:
        return Agreement(criterion, 0, None, weights, None, None)
    auto = [a for a, _ in pairs]
    human = [h for _, h in pairs]
    with warnings.catch_warnings():  # one label on both sides: kappa is undefined (None)
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        kappa = cohen_kappa_score(
            auto, human, labels=list(range(scale + 1)), weights=None if scale == 1 else "quadratic"
        )
    n = len(pairs)
    return Agreement(
        criterion,
        n,
        None if math.isnan(kappa) else round(float(kappa), 3),
        weights,
        round(sum(a == h for a, h in pairs) / n, 3),
        round(sum(abs(a - h) <= 1 for a, h in pairs) / n, 3),
    )


@dataclass
class CalibrationReport:
    rubric_version: str
    reviews: int
    unmatched: int
    criteria: list[Agreement]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def calibrate(ws: Workspace, path: Path) -> CalibrationReport:
    """Pair each human review with the stored automatic score for the rubric in force.

    Reviews of tickets not scored yet, or of a criterion the scorer found not
    applicable, are counted as unmatched rather than guessed at.
    """
    _, config = active_config(ws)
    rubric = rubric_of(config)
    version = rubric_version(rubric)
    scales = {c.id: c.scale for c in rubric.criteria}
    reviews = read_reviews(path, scales)
    wanted = {r.ticket_external_id for r in reviews}
    auto: dict[str, dict[str, int | None]] = {}
    with ws.session() as session:
        rows = session.execute(
            select(TicketRow.external_id, QAScoreRow.scores)
            .join(QAScoreRow, QAScoreRow.ticket_id == TicketRow.id)
            .where(QAScoreRow.rubric_version == version, QAScoreRow.subject == "agent")
        )
        for external_id, scores in rows:
            if external_id in wanted:
                auto[external_id] = {s["criterion"]: s["score"] for s in scores}
    pairs: dict[str, list[tuple[int, int]]] = defaultdict(list)
    unmatched = 0
    for review in reviews:
        mine = auto.get(review.ticket_external_id, {}).get(review.criterion)
        if mine is None:
            unmatched += 1
        else:
            pairs[review.criterion].append((mine, review.score))
    report = [agreement(c.id, pairs[c.id], c.scale) for c in rubric.criteria]
    return CalibrationReport(version, len(reviews), unmatched, report)
