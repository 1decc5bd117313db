"""The MCP server for AI assistants: read-only tools over a workspace, redacted output."""

from casework.mcp.server import REPORT_URI, create_server, serve_stdio

__all__ = ["REPORT_URI", "create_server", "serve_stdio"]
