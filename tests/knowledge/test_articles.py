"""The knowledge base: imports from three formats, versions that keep every content,
staleness, approval as the only way into answers, and errors that point at file/line/field."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from casework import Workspace
from casework.domain import ArticleStatus
from casework.knowledge.articles import (
    KBInputError,
    approved_articles,
    article_history,
    find_article,
    import_articles,
    is_stale,
)
from casework.knowledge.html_text import html_to_text
from casework.store.tables import ArticleRow, ArticleVersionRow, AuditEventRow

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def write_md(folder: Path, name: str, front: str, body: str = "Body text.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n{body}\n")
    return path


@pytest.fixture
def kb_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    write_md(
        folder,
        "returns.md",
        """
        title: Returning an item
        tags: [returns, refunds]
        owner: Marta Kowalska
        status: approved
        updated: 2026-10-01
        reviewed: 2026-10-01
        """,
        "# Returning an item\n\nReturn unused items within 30 days.",
    )
    write_md(folder / "drafts", "gift.md", "id: kb-gift\ntitle: Gift cards\nstatus: draft")
    write_md(folder, "old.md", "title: Old tracking\nstatus: archived\nreviewed: 2024-01-01")
    return folder


def test_markdown_front_matter_becomes_the_article(workspace: Workspace, kb_folder: Path) -> None:
    report = import_articles(workspace, kb_folder, "markdown")
    assert (report.created, report.failed, report.errors) == (3, 0, [])
    with workspace.session() as s:
        row = find_article(s, "markdown:returns")
        assert row is not None and find_article(s, "kb-gift") is not None
        assert (row.title, row.owner, row.status, row.version) == (
            "Returning an item",
            "Marta Kowalska",
            "approved",
            1,
        )
        assert row.tags == ["returns", "refunds"]
        assert row.reviewed_at == datetime(2026, 10, 1, tzinfo=UTC)
        assert "within 30 days" in row.body


def test_html_keeps_headings_paragraphs_and_lists(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    page = tmp_path / "express.html"
    page.write_text(
        '<html lang="de-DE"><head><title>Express delivery</title>'
        '<meta name="keywords" content="express, shipping"><style>p{}</style></head>'
        "<body><nav>Home</nav><h1>Express</h1><p>Costs\n 9.95 EUR.</p>"
        "<ul><li>1-2 days</li><li><p>Not for furniture</p></li></ul><script>x()</script></body>"
    )
    assert import_articles(sqlite_workspace, page, "html").created == 1
    with sqlite_workspace.session() as s:
        row = find_article(s, "html:express")
        assert row is not None
        assert (row.title, row.language, row.tags) == (
            "Express delivery",
            "de",
            ["express", "shipping"],
        )
        assert row.body == "Express\n\nCosts 9.95 EUR.\n\n- 1-2 days\n- Not for furniture"


def zendesk_export(tmp_path: Path, *articles: dict[str, object]) -> Path:
    path = tmp_path / "articles.json"
    path.write_text(json.dumps({"articles": list(articles), "next_page": None}, indent=1))
    return path


def zd(id_: int, **fields: object) -> dict[str, object]:
    return {
        "id": id_,
        "title": f"Article {id_}",
        "body": "<p>Go to <b>Settings</b>.</p>",
        "label_names": ["account"],
        "author_id": 42,
        "draft": False,
        "created_at": "2025-01-02T10:00:00Z",
        "updated_at": "2026-06-02T10:00:00Z",
        "edited_at": "2026-06-01T10:00:00Z",
        "locale": "en-us",
        "section_id": 7,
        **fields,
    }


def test_zendesk_guide_drafts_stay_drafts(workspace: Workspace, tmp_path: Path) -> None:
    export = zendesk_export(tmp_path, zd(1), zd(2, draft=True))
    assert import_articles(workspace, export, "zendesk-guide").created == 2
    with workspace.session() as s:
        published = find_article(s, "zendesk-guide:1")
        draft = find_article(s, "zendesk-guide:2")
        assert published is not None and draft is not None
        assert (published.status, draft.status) == ("approved", "draft")
        assert (published.body, published.owner, published.language) == (
            "Go to Settings.",
            "42",
            "en",
        )
        assert published.reviewed_at == datetime(2026, 6, 1, 10, tzinfo=UTC)
    held = import_articles(
        workspace, export, "zendesk-guide", source="hc", status=ArticleStatus.draft
    )
    assert held.created == 2
    with workspace.session() as s:
        assert {a.source for a in approved_articles(s)} == {"zendesk-guide"}


def test_reimport_changes_nothing(workspace: Workspace, kb_folder: Path) -> None:
    import_articles(workspace, kb_folder, "markdown")
    again = import_articles(workspace, kb_folder, "markdown")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    with workspace.session() as s:
        assert s.scalar(select(func.count()).select_from(ArticleVersionRow)) == 3
        assert set(s.scalars(select(ArticleRow.version))) == {1}


def test_a_changed_article_is_version_2_and_keeps_version_1(
    workspace: Workspace, kb_folder: Path
) -> None:
    import_articles(workspace, kb_folder, "markdown")
    path = kb_folder / "returns.md"
    path.write_text(path.read_text().replace("30 days", "45 days"))
    report = import_articles(workspace, kb_folder, "markdown")
    assert (report.updated, report.unchanged) == (1, 2)
    with workspace.session() as s:
        row = find_article(s, "returns")
        assert row is not None and row.version == 2 and "45 days" in row.body
        history = article_history(s, row.id)
        assert [v.version for v in history] == [1, 2]
        assert "30 days" in history[0].body and "45 days" in history[1].body


def test_a_new_review_date_alone_is_not_a_new_version(
    workspace: Workspace, kb_folder: Path
) -> None:
    import_articles(workspace, kb_folder, "markdown")
    path = kb_folder / "returns.md"
    path.write_text(path.read_text().replace("reviewed: 2026-10-01", "reviewed: 2026-11-20"))
    assert import_articles(workspace, kb_folder, "markdown").updated == 1
    with workspace.session() as s:
        row = find_article(s, "returns")
        assert row is not None and row.version == 1
        assert row.reviewed_at == datetime(2026, 11, 20, tzinfo=UTC)
        assert len(article_history(s, row.id)) == 1


def test_only_approved_articles_are_used(workspace: Workspace, kb_folder: Path) -> None:
    import_articles(workspace, kb_folder, "markdown")
    with workspace.session() as s:
        assert [a.external_id for a in approved_articles(s)] == ["returns"]


@pytest.mark.parametrize(
    ("status", "reviewed_days_ago", "stale"),
    [
        ("approved", 181, True),
        ("approved", None, True),  # never reviewed
        ("approved", 179, False),
        ("draft", 400, False),  # never used for answers, so never stale
        ("archived", None, False),
    ],
)
def test_staleness(status: str, reviewed_days_ago: int | None, stale: bool) -> None:
    reviewed = None if reviewed_days_ago is None else NOW - timedelta(days=reviewed_days_ago)
    assert is_stale(SimpleNamespace(status=status, reviewed_at=reviewed), 180, NOW) is stale


def test_bad_front_matter_field_names_file_line_and_field(
    sqlite_workspace: Workspace, kb_folder: Path
) -> None:
    write_md(kb_folder, "bad.md", "title: Broken\nowner: Ravi\nstatus: published")
    write_md(kb_folder, "syntax.md", "title: [unclosed")
    (kb_folder / "open.md").write_text("---\ntitle: never closed\n")
    report = import_articles(sqlite_workspace, kb_folder, "markdown")
    assert (report.created, report.failed) == (3, 3)
    errors = {e.file: e for e in report.errors}
    bad = errors["bad.md"]
    assert (bad.line, bad.field) == (4, "status") and "published" in bad.message
    assert errors["syntax.md"].field == "front matter" and errors["syntax.md"].line >= 2
    assert (errors["open.md"].line, errors["open.md"].field) == (1, "front matter")


def test_zendesk_bad_record_is_reported_by_line_and_others_kept(
    sqlite_workspace: Workspace, tmp_path: Path
) -> None:
    export = zendesk_export(tmp_path, zd(1), zd(2, updated_at="yesterday"), zd(3, title=None))
    report = import_articles(sqlite_workspace, export, "zendesk-guide")
    assert (report.created, report.failed) == (1, 2)
    assert [(e.field, e.line > 2) for e in report.errors] == [("updated_at", True), ("title", True)]


def test_two_articles_with_one_id_keep_the_first(
    sqlite_workspace: Workspace, kb_folder: Path
) -> None:
    write_md(kb_folder, "copy.md", "id: kb-gift\ntitle: Gift cards again")
    report = import_articles(sqlite_workspace, kb_folder, "markdown")
    assert report.failed == 1 and report.errors[0].field == "id"


def test_unusable_input_raises(sqlite_workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(KBInputError, match="no such file"):
        import_articles(sqlite_workspace, tmp_path / "missing", "markdown")
    with pytest.raises(KBInputError, match="unknown --format"):
        import_articles(sqlite_workspace, tmp_path, "word")
    tickets = tmp_path / "tickets.json"
    tickets.write_text('{"tickets": []}')
    with pytest.raises(KBInputError, match="articles"):
        import_articles(sqlite_workspace, tickets, "zendesk-guide")


def test_every_import_is_audited_with_counts_only(workspace: Workspace, kb_folder: Path) -> None:
    import_articles(workspace, kb_folder, "markdown", actor="user:mia")
    import_articles(workspace, kb_folder, "markdown", actor="user:mia")
    with workspace.session() as s:
        events = s.scalars(select(AuditEventRow).where(AuditEventRow.action == "kb.import")).all()
    assert [(e.actor, e.details["created"], e.details["unchanged"]) for e in events] == [
        ("user:mia", 3, 0),
        ("user:mia", 0, 3),
    ]
    assert "30 days" not in json.dumps([e.details for e in events])


def test_html_to_text_drops_markup_and_keeps_entities() -> None:
    assert html_to_text("<h2>Fees &amp; costs</h2><p>a<br>b</p>") == "Fees & costs\n\na\n\nb"
