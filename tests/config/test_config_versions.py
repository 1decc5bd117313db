"""Change control: every accepted config is a version; a refused one changes nothing."""

from __future__ import annotations

import hashlib

import pytest

from casework import Workspace
from casework.config import ConfigError, default_config
from casework.config.loader import default_config_text
from casework.config.versions import (
    WORKSPACE_FILE,
    VersionNotFound,
    active_config,
    active_version,
    apply_config,
    list_versions,
    mirror_differs,
    show_version,
)

DEFAULT = default_config_text()
RAISED = DEFAULT.replace("\n      amount: {gte: 500}", "\n      amount: {gte: 1000}")


def test_before_any_apply_the_default_is_version_zero(workspace: Workspace) -> None:
    version, config = active_config(workspace)
    assert version == 0 and config == default_config()
    assert active_version(workspace).source == "default"
    assert list_versions(workspace) == []


def test_a_hand_written_workspace_file_is_in_force_until_a_version_exists(
    workspace: Workspace,
) -> None:
    (workspace.path / WORKSPACE_FILE).write_text(RAISED, "utf-8")
    current = active_version(workspace)
    assert (current.version, current.source, current.content) == (0, "file", RAISED)
    (workspace.path / WORKSPACE_FILE).write_text("queues: nope\n", "utf-8")
    with pytest.raises(ConfigError, match=r"casework.yaml:1: queues:"):
        active_config(workspace)


def test_apply_stores_numbered_versions_with_author_hash_and_diff(workspace: Workspace) -> None:
    first = apply_config(workspace, DEFAULT, "alice", "casework.yaml")
    assert (first.version, first.author, first.source) == (1, "alice", "store")
    assert first.sha256 == hashlib.sha256(DEFAULT.encode()).hexdigest()
    assert first.diff == ""  # same content as the default that was in force
    second = apply_config(workspace, RAISED, "bob", "new.yaml")
    assert second.version == 2 and second.created_at is not None
    assert "-      amount: {gte: 500}\n+      amount: {gte: 1000}\n" in second.diff
    assert second.diff.startswith("--- config version 1\n+++ config version 2\n")
    assert second.diff_stat() == (1, 1)
    assert [v.version for v in list_versions(workspace)] == [2, 1]
    assert show_version(workspace, 1).content == DEFAULT
    assert active_config(workspace)[0] == 2
    assert active_config(workspace)[1].rules[2].when["amount"] == {"gte": 1000}
    assert (workspace.path / WORKSPACE_FILE).read_text("utf-8") == RAISED


def test_applying_the_content_in_force_again_is_a_no_op(workspace: Workspace) -> None:
    first = apply_config(workspace, RAISED, "alice", "casework.yaml")
    again = apply_config(workspace, RAISED.replace("\n", "\r\n"), "bob", "casework.yaml")
    assert again == first
    assert [v.version for v in list_versions(workspace)] == [1]


def test_an_invalid_file_is_refused_and_the_running_config_stays(workspace: Workspace) -> None:
    apply_config(workspace, RAISED, "alice", "casework.yaml")
    broken = RAISED.replace("queue: returns-refunds", "queue: refunds")
    with pytest.raises(ConfigError) as caught:
        apply_config(workspace, broken, "mallory", "broken.yaml")
    assert [p.path for p in caught.value.problems] == ["rules[2].then.queue"]
    assert str(caught.value).startswith("broken.yaml:")
    assert active_version(workspace).version == 1
    assert [v.author for v in list_versions(workspace)] == ["alice"]
    assert (workspace.path / WORKSPACE_FILE).read_text("utf-8") == RAISED


def test_an_edited_mirror_is_noticed_and_not_in_force(workspace: Workspace) -> None:
    apply_config(workspace, DEFAULT, "alice", "casework.yaml")
    assert not mirror_differs(workspace)
    (workspace.path / WORKSPACE_FILE).write_text(RAISED, "utf-8")
    assert mirror_differs(workspace)
    assert active_version(workspace).content == DEFAULT


def test_unknown_versions_say_which_exist(workspace: Workspace) -> None:
    with pytest.raises(VersionNotFound, match="no version has been applied yet"):
        show_version(workspace, 1)
    apply_config(workspace, DEFAULT, "alice", "casework.yaml")
    with pytest.raises(VersionNotFound, match="versions 1–1 exist"):
        show_version(workspace, 7)
    assert show_version(workspace, 0).source == "default"
