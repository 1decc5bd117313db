"""A config file is accepted whole, or refused with every problem's line and field."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from casework.config import ConfigError, default_config, load_config_file, load_config_text
from casework.config.loader import default_config_text
from casework.config.schema import AutomationLevel
from casework.demo.people import QUEUES, build_team
from casework.demo.plan import INTENTS

MINIMAL = """\
version: 1
queues:
  - key: orders
    name: Orders
    owner: Hannah
    business_hours:
      timezone: Europe/Berlin
      start: "08:00"
      end: 17:00
  - key: billing
    name: Billing
    owner: Ravi
default_queue: orders
sla:
  high: {first_reply_minutes: 60, resolution_hours: 24}
rules:
  - id: big-refund
    when:
      intent: refund_request
      amount: {gte: 500}
    then:
      queue: billing
      priority: high
automation:
  order_status: auto
  complaint: off
"""


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "casework.yaml")
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return [str(p) for p in caught.value.problems]


def test_the_default_config_is_valid_and_matches_the_demo_helpdesk() -> None:
    config = default_config()
    leads = {q.key: q.owner for q in build_team().queues()}
    assert {q.key: q.owner for q in config.queues} == leads
    assert [q.key for q in config.queues] == [key for key, _, _ in QUEUES]
    assert set(config.automation) == {i.key for i in INTENTS}
    assert set(config.escalation.sensitive_intents) <= {i.key for i in INTENTS}
    assert config.automation_for("complaint") is AutomationLevel.off
    assert {"refund-above-500", "legal-threat", "vip-urgent", "fraud"} <= {
        r.id for r in config.rules
    }


def test_every_top_level_key_of_the_default_has_a_comment_above_it() -> None:
    lines = default_config_text().splitlines()
    for n, line in enumerate(lines):
        if line and not line.startswith((" ", "#", "-")):
            assert lines[n - 1].startswith("#"), f"line {n + 1}: {line!r} has no comment"


def test_yaml_1_2_scalars_keep_off_as_a_word_and_times_as_times() -> None:
    config = load_config_text(MINIMAL, "casework.yaml")
    assert config.automation["complaint"] is AutomationLevel.off
    assert config.queues[0].business_hours.end == time(17, 0)


def test_a_misspelt_key_names_its_line_field_and_the_likely_intent() -> None:
    text = MINIMAL.replace("owner: Ravi", "ownr: Ravi")
    assert problems(text) == [
        f"casework.yaml:{line_of(text, 'ownr')}: queues[1].ownr: unknown key 'ownr' "
        "(did you mean 'owner'?); expected one of: key, name, owner, description, business_hours, "
        "schedule"
    ]


def test_a_wrong_type_names_line_field_expected_and_given() -> None:
    text = MINIMAL.replace("first_reply_minutes: 60", "first_reply_minutes: soon")
    [problem] = problems(text)
    assert problem.startswith(
        f"casework.yaml:{line_of(text, 'soon')}: sla.high.first_reply_minutes:"
    )
    assert "valid integer" in problem and "(got 'soon')" in problem


def test_a_wrong_choice_lists_the_allowed_values() -> None:
    text = MINIMAL.replace("priority: high", "priority: hgh")
    [problem] = problems(text)
    assert problem.startswith(f"casework.yaml:{line_of(text, 'hgh')}: rules[0].then.priority:")
    assert "'low', 'normal', 'high' or 'urgent'" in problem


def test_a_rule_routing_to_an_unknown_queue_is_refused() -> None:
    text = MINIMAL.replace("queue: billing", "queue: finance")
    assert problems(text) == [
        f"casework.yaml:{line_of(text, 'queue: finance')}: rules[0].then.queue: rule 'big-refund': "
        "queue 'finance' is not a queue key; expected one of: orders, billing"
    ]


def test_a_bad_condition_is_refused_with_the_path_inside_when() -> None:
    pytest.importorskip("casework.routing.conditions")
    text = MINIMAL.replace("amount: {gte: 500}", "amount: {gte: lots}")
    [problem] = problems(text)
    assert problem.startswith(f"casework.yaml:{line_of(text, 'lots')}: rules[0].when.amount.gte:")


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = (
        MINIMAL.replace("owner: Ravi", "ownr: Ravi")
        .replace("timezone: Europe/Berlin", "timezone: Europe/Berln")
        .replace("high: {", "medium: {")
        .replace("order_status: auto", "order_status: sometimes")
    )
    found = problems(text)
    lines = [int(p.split(":")[1]) for p in found]
    assert lines == sorted(lines) and len(found) == 4
    assert any("unknown timezone 'Europe/Berln'" in p for p in found)
    assert any(p.startswith(f"casework.yaml:{line_of(text, 'medium')}: sla.medium:") for p in found)
    assert any("automation.order_status" in p and "'off', 'suggest'" in p for p in found)


def test_a_yaml_syntax_error_has_a_line() -> None:
    text = MINIMAL.replace("default_queue: orders", "default_queue: orders: billing")
    assert problems(text) == [
        f"casework.yaml:{line_of(text, 'default_queue')}: mapping values are not allowed here"
    ]


def test_a_key_written_twice_is_an_error_not_a_silent_override() -> None:
    text = MINIMAL + "default_queue: billing\n"
    assert problems(text) == [
        f"casework.yaml:{len(text.splitlines())}: default_queue: key written twice "
        f"(first on line {line_of(text, 'default_queue')}); remove one"
    ]


@pytest.mark.parametrize("text", ["", "# nothing\n", "- a list\n"])
def test_a_file_that_is_not_a_mapping_is_refused(text: str) -> None:
    [problem] = problems(text)
    assert problem.startswith("casework.yaml:1: expected a mapping of settings")


def test_files_are_read_as_utf8_with_the_line_of_a_bad_byte(tmp_path: Path) -> None:
    good = tmp_path / "casework.yaml"
    good.write_text(MINIMAL.replace("Hannah", "Chloé"), "utf-8")
    assert load_config_file(good).queues[0].owner == "Chloé"
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(MINIMAL.replace("Hannah", "Chloé").encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_config_file(bad)
    assert (
        str(caught.value)
        == f"{bad}:{line_of(MINIMAL, 'Hannah')}: not UTF-8 text; save the file as UTF-8"
    )
