"""Triage from the command line: triage a text, train, process, evaluate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from casework.cli.common import (
    JsonOption,
    WorkspaceOption,
    app,
    console,
    err_console,
    open_workspace,
    print_json,
    progress_bar,
)
from casework.config import DEFAULT_WORKSPACE
from casework.triage.model_store import ModelNotFound

eval_app = typer.Typer(help="Measure quality and cost on labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

ModeOption = Annotated[
    str, typer.Option("--mode", help="Embedding backend: static (fast) or minilm (accurate).")
]


@app.command()
def triage(
    text: Annotated[str, typer.Argument(help="The customer's message.")],
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            envvar="CASEWORK_WORKSPACE",
            help="Use this workspace's trained model (default: the bundled demo-trained model).",
        ),
    ] = None,
    tier: Annotated[str | None, typer.Option(help="Customer tier, e.g. vip.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Triage one message: language, intent, urgency, sentiment, missing info, personal data."""
    from casework.pipeline.assess import assess_text, router_or_default
    from casework.triage.engine import Triager

    try:
        triager = Triager.for_workspace(workspace)
    except ModelNotFound as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    result = assess_text(triager, router_or_default(workspace), text, tier)
    if as_json:
        print_json(result)
        return
    intent = result["intent"]
    top = intent["alternatives"][0]["label"] if intent["alternatives"] else "-"
    # `unknown` carries the top candidate's probability: say whose it is
    said = f"{intent['confidence']:.0%}"
    if intent["label"] == "unknown":
        said = f"closest {top} {said}"
    console.print(
        f"[bold]{intent['label']}[/bold] ({said})  ·  "
        f"language {result['language']}  ·  urgency {result['urgency']}  ·  "
        f"sentiment {result['sentiment']['label']} ({result['sentiment']['score']:+.2f})"
        + ("  ·  [red]frustrated[/red]" if result["frustration"] else "")
    )
    alternatives = ", ".join(
        f"{a['label']} {a['confidence']:.0%}" for a in intent["alternatives"][1:]
    )
    console.print(f"alternatives: {alternatives or '-'}")
    if intent["terms"]:
        console.print(f"words that pointed to it: {', '.join(intent['terms'])}", markup=False)
    if intent["examples"]:  # of the top candidate, also when the answer is `unknown`
        console.print(f"nearest training texts of '{top}':", markup=False)
    for example in intent["examples"]:
        quoted = " ".join(example["text"].split())  # one line, however the ticket was laid out
        console.print(f"  like “{quoted[:100]}” ({example['similarity']:.2f})", markup=False)
    for reason in intent["reasons"] + result["urgency_reasons"] + result["frustration_reasons"]:
        console.print(f"  · {reason}", markup=False)
    for missing in result["missing"]:
        console.print(f"missing {missing['field']}: ask “{missing['question']}”", markup=False)
    if result["pii"]:
        console.print(f"redacted: {result['redacted_text']}", markup=False)
    route = result["route"]
    console.print(f"route: [bold]{route['queue']}[/bold] ({route['decided_by']})", highlight=False)
    for reason in route["reasons"]:
        console.print(f"  · {reason}", markup=False)
    if result["escalation"]["escalate"]:
        console.print(f"[red]escalate[/red] to {result['escalation']['owner']}:")
        for reason in result["escalation"]["reasons"]:
            console.print(f"  · {reason}", markup=False)
    console.print(f"automation: {result['automation_level']}")
    console.print(f"[dim]model {result['model_version']}[/dim]")


@app.command()
def train(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Train on a labelled CSV instead of the history.")
    ] = None,
    text_column: Annotated[str, typer.Option(help="CSV column with the text.")] = "text",
    label_column: Annotated[str, typer.Option(help="CSV column with the label.")] = "category",
    label_field: Annotated[
        str, typer.Option(help="Ticket field agents fill with the contact reason.")
    ] = "contact_reason",
    unknown_label: Annotated[
        str | None, typer.Option(help="Label that marks out-of-scope examples, if any.")
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            help="Embedding backend: static (fast) or minilm (accurate); default: the "
            "config's embeddings.intent, else static.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Train the intent model on the workspace's labelled history (or a CSV) and activate it."""
    from casework.config.versions import active_config
    from casework.routing.training import train_queue
    from casework.triage.datasets import DatasetError, read_labelled_csv
    from casework.triage.priority import priority_history, train_priority
    from casework.triage.training import labelled_history, train_intent

    with open_workspace(workspace) as ws:
        try:
            mode = mode or active_config(ws)[1].embeddings.intent or "static"
            if csv_file is not None:
                data = read_labelled_csv(csv_file, text_column, label_column)
                source = str(csv_file)
            else:
                data = labelled_history(ws, label_field)
                source = f"workspace history (field {label_field})"
            with console.status(f"Training on {len(data.texts):,} examples…"):
                stored = train_intent(ws, data, mode, source, unknown_label)
            priority = queue = None
            if csv_file is None:
                with console.status("Training the queue model on final queues and overrides…"):
                    queue = train_queue(ws, mode=mode)
                history = priority_history(ws)
                if len(history.texts) >= 50 and len(set(history.labels)) >= 2:
                    with console.status(f"Training priority on {len(history.texts):,} tickets…"):
                        priority = train_priority(ws, history, mode)
        except (DatasetError, ValueError, OSError) as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if as_json:
        print_json(
            {
                **stored.meta,
                "priority_model": priority.meta if priority else None,
                "queue_model": queue.meta if queue else None,
            }
        )
        return
    meta = stored.meta
    console.print(
        f"Trained [bold]{stored.version}[/bold] on {meta['n_train']:,} examples, "
        f"{len(meta['classes'])} intents, languages {', '.join(meta['languages']) or '-'}.\n"
        f"Hold-out accuracy {meta['holdout_accuracy']:.3f}; unknown threshold "
        f"{meta['unknown_threshold']:.2f}; {meta['train_seconds']:.1f}s."
    )
    if queue is not None:
        console.print(f"Trained [bold]{queue.version}[/bold] on {queue.meta['n_train']:,} tickets.")
    if priority is not None:
        console.print(
            f"Trained [bold]{priority.version}[/bold] on {priority.meta['n_train']:,} tickets "
            f"with a priority; hold-out accuracy {priority.meta['holdout_accuracy']:.3f}."
        )


@app.command()
def process(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000)] = 500,
    as_json: JsonOption = False,
) -> None:
    """Triage, route and escalate every ticket not yet done by the active models and config.

    Resumable and idempotent: a crash loses at most one batch, and a re-run does
    only what is missing. Every decision is written to the audit log. With
    CASEWORK_BROKER_URL set, queues the tickets for `casework worker` instead.
    """
    from casework.config.loader import ConfigError
    from casework.jobs.settings import broker_configured
    from casework.pipeline import process_all

    if broker_configured():
        from casework.cli.jobs import enqueue_backfill

        with open_workspace(workspace) as ws:
            queued = enqueue_backfill(ws, as_json)
        if as_json:
            print_json({"queued": queued})
        else:
            console.print(
                f"Queued {queued['tickets']:,} tickets in {queued['jobs']:,} jobs for the "
                "workers (CASEWORK_BROKER_URL is set); follow with `casework jobs status`."
            )
        return

    try:
        with open_workspace(workspace) as ws, progress_bar("Processing", None, not as_json) as bar:
            task = bar.task_ids[0]
            report = process_all(
                ws,
                batch_size=batch_size,
                progress=lambda stage, done, total: bar.update(
                    task, description=f"{stage:>7}", completed=done, total=total
                ),
            )
    except ConfigError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    triaged, routed = report.triage, report.routing
    summary = {
        "processed": triaged.processed,
        "already_done": triaged.already_done,
        "model_version": triaged.model_version,
        "seconds": round(triaged.seconds, 2),
        "tickets_per_second": round(triaged.processed / triaged.seconds, 1)
        if triaged.seconds
        else 0,
        "routed": routed.routed,
        "escalated": routed.escalated,
        "config_version": routed.config_version,
        "queue_model_version": routed.model_version,
        "drafted": report.drafting.drafted,
        "low_confidence_drafts": report.drafting.low_confidence,
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"Triaged {triaged.processed:,} tickets ({triaged.already_done:,} already done) with "
        f"{triaged.model_version} in {triaged.seconds:.1f}s; routed {routed.routed:,} "
        f"({routed.escalated:,} escalated) with config v{routed.config_version} and queue "
        f"model {routed.model_version}; drafted {report.drafting.drafted:,} replies "
        f"({report.drafting.low_confidence:,} low-confidence)."
    )


@eval_app.command("intents")
def eval_intents(
    train_csv: Annotated[Path, typer.Option("--train", help="Labelled training CSV.")],
    test_csv: Annotated[Path, typer.Option("--test", help="Labelled test CSV.")],
    mode: ModeOption = "static",
    text_column: Annotated[str, typer.Option()] = "text",
    label_column: Annotated[str, typer.Option()] = "category",
    unknown_label: Annotated[
        str | None, typer.Option(help="Label marking out-of-scope examples in train and test.")
    ] = None,
    hold_out_intents: Annotated[
        int, typer.Option(help="Remove N intents from training; relabel them unknown in the test.")
    ] = 0,
    seed: Annotated[int, typer.Option(help="Seed for choosing held-out intents.")] = 0,
    max_in_scope_cost: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Held-out accuracy the unknown gate may spend to catch unknowns "
            "(default 0.02).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Train on one labelled CSV and score on another: accuracy, macro-F1, speed, unknowns."""
    from casework.triage import datasets
    from casework.triage.evaluate import evaluate_intents

    try:
        train_set = datasets.read_labelled_csv(train_csv, text_column, label_column)
        test_set = datasets.read_labelled_csv(test_csv, text_column, label_column)
    except (datasets.DatasetError, OSError) as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    hidden: list[str] = []
    if hold_out_intents:
        train_set, test_set, hidden = datasets.hold_out_intents(
            train_set, test_set, hold_out_intents, seed
        )
    try:
        with console.status(f"Training on {len(train_set.texts):,} examples ({mode})…"):
            result: dict[str, Any] = evaluate_intents(
                train_set, test_set, mode, unknown_label, max_in_scope_cost
            )
    except ValueError as exc:  # e.g. one intent only, or only single-example intents
        err_console.print(f"[red]error:[/red] {train_csv}: {exc}")
        raise typer.Exit(2) from exc
    if hidden:
        result["held_out_intents"] = hidden
    if as_json:
        print_json(result)
        return
    table = Table("metric", "value", title=f"Intent evaluation ({mode})")
    for key, value in result.items():
        table.add_row(key, json.dumps(value) if isinstance(value, list) else str(value))
    console.print(table)


@eval_app.command("triage")
def eval_triage(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    as_json: JsonOption = False,
) -> None:
    """Score stored triage (intent, urgency, sentiment, language) and PII detection
    against the demo's truth manifest. Run `casework demo` (or `process`) first."""
    from casework.triage.truth_eval import evaluate_against_truth

    with open_workspace(workspace) as ws:
        if not (ws.path / "demo-truth.json").exists():
            err_console.print(
                f"[red]error:[/red] {ws.path} has no demo-truth.json; run `casework demo` first"
            )
            raise typer.Exit(2)
        with console.status("Scoring against the demo truth…"):
            report = evaluate_against_truth(ws)
    if as_json:
        print_json(report)
        return
    console.print(f"model {report['model_version']} · {report['triaged']:,} tickets triaged")
    table = Table("signal", "accuracy", "macro-F1", "notes")
    for key in ("intent", "urgency", "sentiment", "language"):
        if key in report:
            row = report[key]
            notes = {k: v for k, v in row.items() if k not in ("accuracy", "macro_f1", "n")}
            table.add_row(key, str(row["accuracy"]), str(row["macro_f1"]), json.dumps(notes))
    console.print(table)
    pii = Table("personal data", "planted", "found", "recall", "precision")
    for kind, row in report["pii"].items():
        pii.add_row(
            kind, str(row["planted"]), str(row["found"]), str(row["recall"]), str(row["precision"])
        )
    console.print(pii)


@eval_app.command("routing")
def eval_routing(
    workspace: WorkspaceOption = DEFAULT_WORKSPACE,
    holdout_weeks: Annotated[
        int, typer.Option(help="Train the queue model on all but the last N weeks; score on those.")
    ] = 3,
    as_json: JsonOption = False,
) -> None:
    """Routing accuracy (rules only, model only, rules + model) and escalation recall,
    against the demo's truth manifest, with the workspace's active config."""
    from casework.config.versions import active_config
    from casework.routing.evaluate import evaluate_with_holdout

    with open_workspace(workspace) as ws:
        if not (ws.path / "demo-truth.json").exists():
            err_console.print(
                f"[red]error:[/red] {ws.path} has no demo-truth.json; run `casework demo` first"
            )
            raise typer.Exit(2)
        _, config = active_config(ws)
        with console.status("Training a held-out queue model and routing…"):
            report = evaluate_with_holdout(ws, config, holdout_weeks)
    if as_json:
        print_json(report)
        return
    table = Table("routing", "accuracy", title=f"Routing on {report['tickets']:,} held-out tickets")
    for key in ("rules_only", "model_only", "rules_plus_model"):
        if key in report:
            table.add_row(key.replace("_", " "), str(report[key].get("accuracy")))
    console.print(table)
    esc = report["escalation"]
    console.print(json.dumps(esc, indent=2, default=str), markup=False)


@eval_app.command("retrieval")
def eval_retrieval(
    articles: Annotated[
        Path | None,
        typer.Option(help="Folder of Markdown articles with front matter `id` and `title`."),
    ] = None,
    queries: Annotated[Path | None, typer.Option(help="CSV with columns query,article_id.")] = None,
    mode: Annotated[
        str, typer.Option("--mode", help="Embedding backend: minilm (default) or static.")
    ] = "minilm",
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Without --articles/--queries: the demo KB of this workspace, demo tickets "
            "as queries.",
        ),
    ] = None,
    store_fusion: Annotated[
        bool, typer.Option(help="Keep the tuned fusion weights with the workspace's index.")
    ] = False,
    seed: Annotated[int, typer.Option(help="Seed of the tuning/test split.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Recall@1, recall@5, MRR and queries/s of lexical, semantic and hybrid retrieval.

    Fusion weights are tuned on 30% of the queries; every figure is on the other 70%."""
    from casework.knowledge.demo_eval import DemoTruthMissing, evaluate_demo_kb
    from casework.knowledge.retrieval_eval import RetrievalEvalError, evaluate_folder

    try:
        if articles is not None and queries is not None:
            with console.status(f"Indexing and searching ({mode})…"):
                report = evaluate_folder(articles, queries, mode, seed)
        elif articles is None and queries is None and workspace is not None:
            with open_workspace(workspace) as ws, console.status(f"Searching ({mode})…"):
                report = evaluate_demo_kb(ws, mode, seed, store_fusion)
        else:
            err_console.print(
                "[red]error:[/red] give --articles and --queries, or --workspace of a demo"
            )
            raise typer.Exit(2)
    except (RetrievalEvalError, DemoTruthMissing, KeyError, OSError) as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        print_json(report)
        return
    table = Table(
        "method",
        "recall@1",
        "recall@5",
        "MRR",
        "queries/s",
        title=f"Retrieval on {report['test_queries']:,} test queries ({report['embedder']})",
    )
    for method in ("lexical", "semantic", "hybrid", "plain_rrf"):
        row = report[method]
        table.add_row(
            method.replace("_", " "),
            f"{row['recall_at_1']:.3f}",
            f"{row['recall_at_5']:.3f}",
            f"{row['mrr']:.3f}",
            f"{row['queries_per_second']:,.0f}",
        )
    console.print(table)
    fusion = report["fusion"]
    console.print(
        f"fusion: {fusion['method']}, lexical weight {fusion['lexical_weight']}"
        + (f", k {fusion['rrf_k']}" if fusion["method"] == "rrf" else "")
        + f" — {fusion['chosen_on']}",
        markup=False,
    )
