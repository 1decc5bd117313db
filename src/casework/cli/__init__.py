"""The `casework` command: a thin shell over the library.

Each command parses its arguments, calls one function of the core and formats
the result — for people by default, as JSON with `--json`. Commands live in
one module per area and register themselves on the shared `app`.
"""

from casework.cli import (  # noqa: F401  (registers the commands)
    answer,
    api,
    audit,
    bench,
    config,
    core,
    insights,
    insights_report,
    jobs,
    kb,
    mcp,
    qa,
    review,
    tickets,
    triage,
    worker,
    writeback,
)
from casework.cli.common import app


def main() -> None:
    app()


__all__ = ["app", "main"]
