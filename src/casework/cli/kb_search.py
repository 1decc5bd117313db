"""`casework kb search`: hybrid search over the workspace's approved articles.

Defined here and attached to the `kb` group by :func:`register`, so the search
command and the import/list/show commands stay in separate modules.
"""

from __future__ import annotations

from typing import Annotated, cast

import typer
from rich.markup import escape

from casework.cli.common import (
    JsonOption,
    WorkspaceOption,
    console,
    err_console,
    open_workspace,
    print_json,
)
from casework.config import DEFAULT_WORKSPACE


def search_command(
    query: Annotated[str, typer.Argument(help="What the customer asked, in their words.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many articles.")] = 5,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            help="Embedding backend: minilm (accurate) or static (fast); default: the "
            "config's embeddings.retrieval, else minilm.",
        ),
    ] = None,
    method: Annotated[
        str, typer.Option(help="hybrid (default), lexical (BM25 only) or semantic only.")
    ] = "hybrid",
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Find the approved articles that answer a question, best passage of each.

    The index is updated first for any article imported or changed since the last search.
    """
    from casework.knowledge.index_store import workspace_retriever
    from casework.knowledge.retrieval import METHODS, SearchMethod

    if method not in METHODS:
        err_console.print(f"[red]error:[/red] --method must be one of {', '.join(METHODS)}")
        raise typer.Exit(2)
    with open_workspace(workspace) as ws:
        try:
            retriever = workspace_retriever(ws, mode)
        except KeyError as exc:
            err_console.print(f"[red]error:[/red] {exc.args[0]}")
            raise typer.Exit(2) from exc
        hits = retriever.search(query, k, cast(SearchMethod, method))
    if as_json:
        print_json(
            {"query": query, "method": method, "mode": mode, "hits": [h.to_dict() for h in hits]}
        )
        return
    if not hits:
        console.print("No approved article matches. Import some with `casework kb import`.")
        return
    for rank, hit in enumerate(hits, start=1):
        console.print(
            f"[bold]{rank}. {escape(hit.title)}[/bold]  "
            f"[dim]article {hit.article_id} ({escape(hit.external_id)}) v{hit.version} · "
            f"passage {hit.passage_index} · score {hit.score:.3f} · "
            f"bm25 #{hit.lexical_rank or '-'} · semantic #{hit.semantic_rank or '-'}[/dim]"
        )
        console.print(f"   {hit.passage}", markup=False, highlight=False)


def register(kb_app: typer.Typer) -> None:
    """Attach `search` to the `kb` command group."""
    kb_app.command("search")(search_command)
