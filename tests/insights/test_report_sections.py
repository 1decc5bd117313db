"""The decisions a lead should take come from the week's own figures."""

from __future__ import annotations

from datetime import date

from casework.insights.gaps import Gap
from casework.insights.report_sections import decisions
from casework.insights.trends import Alert


def test_decisions_cite_spikes_gaps_and_escalation_share() -> None:
    spike = Alert(
        "spike", "topic", "9", "week", "2026-W44", date(2026, 10, 26), date(2026, 11, 2),
        71, 7.3, 9.7, 2e-44, [1, 2], ["swiftpost", "tracking"],
    )  # fmt: skip
    daily = Alert(
        "spike", "intent", "order_status", "day", "2026-10-26", date(2026, 10, 26),
        date(2026, 10, 27), 38, 8.7, 4.4, 1e-13,
    )  # fmt: skip
    gap = Gap("intent", "gift_card", 93, 40.0, 0.6, 0.3, 1.8, 20.0, 100.0, ["gift", "card"])
    items = decisions([spike, daily], [gap], [], (267, 505), {"9": "swiftpost / tracking"})
    assert "topic 'swiftpost / tracking'" in items[0] and "71 tickets" in items[0]
    assert not any("2026-10-26" in item for item in items)  # daily alerts stay in the table
    assert "gift_card" in items[1] and "93 weakly answered" in items[1]
    assert "267 of 505" in items[2]
    assert decisions([], [], [], (10, 100)) == []
