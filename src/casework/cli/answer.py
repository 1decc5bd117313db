"""`casework answer "question"`: self-service with citations, or a hand-off to a person."""

from __future__ import annotations

from typing import Annotated

import typer

from casework.cli.common import (
    JsonOption,
    WorkspaceOption,
    app,
    console,
    err_console,
    open_workspace,
    print_json,
)
from casework.cli.triage import eval_app
from casework.config import DEFAULT_WORKSPACE


@app.command()
def answer(
    question: Annotated[str, typer.Argument(help="The customer's question.")],
    email: Annotated[
        str | None, typer.Option(help="The customer's email, for the hand-off.")
    ] = None,
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Answer from approved articles and order data when safe; otherwise hand over to a person
    with a ticket that carries the summary. The way to a person is always offered."""
    from casework.knowledge.self_service import SelfService

    with open_workspace(workspace) as ws:
        result = SelfService.for_workspace(ws).answer(question, customer_email=email)
    if as_json:
        print_json(result.to_dict())
        return
    console.print(result.text, markup=False)
    if result.kind == "handoff":
        for reason in result.reasons:
            err_console.print(f"  · {reason}", markup=False)
    else:
        for citation in result.draft.citations if result.draft else []:
            err_console.print(
                f"  source: {citation.title} ({citation.external_id} v{citation.version})",
                markup=False,
            )


@eval_app.command("self-service")
def eval_self_service(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    limit: Annotated[int, typer.Option(min=10, help="How many demo tickets to ask.")] = 1000,
    as_json: JsonOption = False,
) -> None:
    """Share of demo questions answered vs handed over, and how often answers cite an
    article about the ticket's true intent (from the demo truth manifest)."""
    from casework.knowledge.self_service_eval import evaluate_self_service

    with open_workspace(workspace) as ws:
        if not (ws.path / "demo-truth.json").exists():
            err_console.print("[red]error:[/red] no demo-truth.json; run `casework demo` first")
            raise typer.Exit(2)
        with console.status(f"Asking {limit:,} demo questions…"):
            report = evaluate_self_service(ws, limit)
    if as_json:
        print_json(report)
    else:
        console.print(report)
