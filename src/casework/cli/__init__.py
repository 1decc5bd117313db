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
    metrics,
    privacy,
    qa,
    review,
    sync,
    tickets,
    triage,
    worker,
    writeback,
)
from casework.cli.common import app


def main() -> None:
    from casework.privacy.egress import install_log_guard

    install_log_guard()  # no log line of the CLI carries personal data
    app()


__all__ = ["app", "main"]
