"""The QA rubric: what a good conversation looks like, in the team's own criteria.

Kept beside the schema (and imported by it) so a team edits its rubric in
`casework.yaml` like any other setting, versioned and validated with the rest.
Scorer names are checked here against the deterministic scorers casework ships,
so a misspelt scorer is refused when the file is validated, not when QA runs.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCORER_NAMES = (
    "greeting_closing",
    "empathy",
    "answered",
    "kb_correct",
    "service_language",
    "pii_exposure",
    "sla",
    "resolution_confirmed",
    "back_and_forth",
    "llm",
)
"""Scorers in `casework.qa.scorers`; a test keeps the two lists equal. `llm` asks the
configured model (`llm:` settings), with the criterion's description as the instruction."""


class QACriterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    description: str = ""
    weight: float = Field(default=1.0, ge=0)
    scale: int = Field(default=2, ge=1, le=10)
    """Scores run from 0 to `scale` (2: fail / partly / pass; 1: fail / pass)."""
    auto_fail: bool = False
    """A score of 0 on this criterion zeroes the whole conversation's total."""
    scorer: str
    options: dict[str, Any] = {}

    @field_validator("scorer")
    @classmethod
    def _known_scorer(cls, name: str) -> str:
        if name not in SCORER_NAMES:
            raise ValueError(f"unknown scorer {name!r}; expected one of: {', '.join(SCORER_NAMES)}")
        return name

    @model_validator(mode="after")
    def _llm_needs_words(self) -> QACriterion:
        if self.scorer == "llm" and not self.description.strip():
            raise ValueError(
                "a criterion with scorer 'llm' needs a description: it is the instruction"
            )
        return self


class QARubric(BaseModel):
    model_config = ConfigDict(extra="forbid")

    criteria: list[QACriterion] = []
    """Empty: the bundled default rubric applies."""

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, criteria: list[QACriterion]) -> list[QACriterion]:
        ids = [c.id for c in criteria]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate criterion id(s): {', '.join(duplicates)}")
        return criteria
