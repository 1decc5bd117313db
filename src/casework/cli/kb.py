"""`casework kb …`: import, list and show knowledge-base articles.

Other knowledge commands (`kb search`) register on `kb_app` from their own module.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from casework import Workspace
from casework.cli.common import (
    JsonOption,
    WorkspaceOption,
    app,
    console,
    err_console,
    open_workspace,
    print_json,
)
from casework.config import DEFAULT_WORKSPACE
from casework.domain import ArticleStatus

kb_app = typer.Typer(
    help="The knowledge base: import articles, list them with their review state, show one.",
    no_args_is_help=True,
)
app.add_typer(kb_app, name="kb")


def _review_window(ws: Workspace) -> int:
    """The config's review window; a broken workspace config is an input error (exit 2)."""
    from casework.config.loader import ConfigError
    from casework.knowledge.articles import review_window_days

    try:
        return review_window_days(ws)
    except ConfigError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from exc


def _login() -> str:
    try:
        return getpass.getuser()
    except OSError:
        return "unknown"


@kb_app.command("import")
def kb_import(
    path: Annotated[Path, typer.Argument(help="A file, or a folder read recursively.")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="markdown | html | zendesk-guide")
    ] = "markdown",
    status: Annotated[
        ArticleStatus | None,
        typer.Option(help="Status of articles that state none (default approved)."),
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Source name stored with each article (default: format).")
    ] = None,
    actor: Annotated[
        str | None, typer.Option(help="Who imports, for the audit log (default: your login).")
    ] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Import articles; unchanged ones are left alone, changed ones get a new version.

    Bad files or records are reported with file, line and field and the others
    are kept; the command then exits 1 (2 when nothing could be read at all).
    """
    from casework.knowledge.articles import KBInputError, import_articles

    with open_workspace(workspace) as ws:
        try:
            report = import_articles(
                ws, path, fmt, status=status, source=source, actor=f"user:{actor or _login()}"
            )
        except (KBInputError, OSError) as exc:
            err_console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(2) from exc
    if as_json:
        print_json({"path": str(path), **report.as_dict()})
    else:
        console.print(
            f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
            f"[{'red' if report.failed else 'green'}]{report.failed} failed[/]."
        )
        for error in report.errors[:20]:
            err_console.print(f"  [red]✗[/red] {escape(str(error))}", soft_wrap=True)
        if len(report.errors) > 20:
            err_console.print(f"  … and {len(report.errors) - 20} more (see --json)")
    if report.failed:
        raise typer.Exit(1)


@kb_app.command("list")
def kb_list(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    status: Annotated[ArticleStatus | None, typer.Option(help="Only this status.")] = None,
    stale: Annotated[
        bool, typer.Option("--stale", help="Only approved articles past their review window.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Articles with status, version, owner, last review and a STALE marker."""
    from casework.knowledge.articles import describe, list_articles

    now = datetime.now(UTC)
    with open_workspace(workspace) as ws:
        window = _review_window(ws)
        with ws.session() as s:
            items = [describe(row, window, now) for row in list_articles(s, status)]
    if stale:
        items = [item for item in items if item["stale"]]
    if as_json:
        print_json({"review_window_days": window, "articles": items})
        return
    table = Table("id", "status", "v", "owner", "reviewed", "", "title", "source:id")
    for column in table.columns[:6]:
        column.no_wrap = True
    table.columns[6].overflow = table.columns[7].overflow = "fold"
    for item in items:
        table.add_row(
            str(item["id"]),
            item["status"],
            str(item["version"]),
            escape(item["owner"] or ""),
            (item["reviewed_at"] or "never")[:10],
            "[yellow]STALE[/yellow]" if item["stale"] else "",
            escape(item["title"][:60]),
            escape(f"{item['source']}:{item['external_id']}"),
        )
    console.print(table)
    marked = sum(item["stale"] for item in items)
    console.print(f"{len(items)} articles, {marked} stale (review window {window} days).")


@kb_app.command("show")
def kb_show(
    article: Annotated[str, typer.Argument(help="Article id, source:external_id or external id.")],
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """One article with its text and version history."""
    from casework.knowledge import articles as kb

    now = datetime.now(UTC)
    with open_workspace(workspace) as ws:
        window = _review_window(ws)
        with ws.session() as s:
            row = kb.find_article(s, article)
            if row is None:
                err_console.print(f"[red]error:[/red] no article {escape(article)}")
                raise typer.Exit(1)
            data = kb.describe(row, window, now)
            data["body"] = row.body
            data["history"] = kb.describe_history(kb.article_history(s, row.id))
    if as_json:
        print_json(data)
        return
    stale = "  [yellow]STALE: not reviewed within the window[/yellow]" if data["stale"] else ""
    console.print(f"[bold]{escape(data['title'])}[/bold]  ({data['source']}:{data['external_id']})")
    console.print(
        f"id {data['id']} · {data['status']} · version {data['version']} · "
        f"owner {escape(data['owner'] or '-')} · reviewed {(data['reviewed_at'] or 'never')[:10]}"
        f"{stale}"
    )
    console.print(f"\n{escape(data['body'])}\n")
    console.print("[bold]History[/bold]")
    for version in reversed(data["history"]):
        console.print(
            f"  v{version['version']}  {version['stored_at'][:16].replace('T', ' ')}  "
            f"{version['status']}  {escape(version['title'][:60])}"
        )


def _register_search() -> None:
    from casework.cli import kb_search

    kb_search.register(kb_app)


_register_search()
