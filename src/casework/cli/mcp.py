"""`casework mcp`: the read-only MCP server for AI assistants, over stdio."""

from __future__ import annotations

from casework.cli.common import WorkspaceOption, app, err_console, open_workspace
from casework.config import DEFAULT_WORKSPACE


@app.command("mcp")
def mcp_command(workspace: WorkspaceOption = DEFAULT_WORKSPACE) -> None:
    """Serve the workspace to an AI assistant over MCP (stdio): read-only tools, redacted
    output. Add it to the assistant's MCP config; see docs/mcp.md."""
    from casework.mcp import serve_stdio

    with open_workspace(workspace) as ws:  # migrate once and fail readably before serving
        path = ws.path
    err_console.print(f"casework MCP server on stdio for {path}", highlight=False)
    serve_stdio(path)
