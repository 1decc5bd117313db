"""Every error as JSON `{"detail": ..., "field": ...}`, and a cap on request bodies.

A client fixing its request needs the message and the field at fault, not an
HTML page or a stack trace. A body over the limit is refused before it is read
whole (by its Content-Length, or while it streams in), so one large upload cannot
exhaust the server's memory.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY = 1024 * 1024


class ApiError(HTTPException):
    """An HTTP error that names the request field at fault (None: the request as a whole)."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, detail, headers)
        self.field = field
        self.extra = extra or {}


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """`("body", "queue")` → `queue`; `("query", "limit")` → `limit`."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or None


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    field = getattr(exc, "field", None)
    extra = getattr(exc, "extra", {})
    body = {"detail": exc.detail, "field": field, **extra}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": _field(e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors()
    ]
    first = errors[0] if errors else {"field": None, "message": "invalid request"}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return JSONResponse(
        {"detail": detail, "field": first["field"], "errors": errors}, status_code=422
    )


async def _data_error(_request: Request, exc: Exception) -> JSONResponse:
    """A value the database refuses for its type (a NUL character in text on PostgreSQL,
    found by the OpenAPI fuzz test): the request's fault, so 422, not a 500."""
    assert isinstance(exc, DataError)
    reason = str(exc.orig).splitlines()[0] if exc.orig is not None else "invalid value"
    detail = f"the request holds a value that cannot be stored: {reason}"
    return JSONResponse({"detail": detail, "field": None}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DataError, _data_error)


class BodyLimit:
    """ASGI middleware: 413 in JSON for a body over `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        seen, started = 0, False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise TooLarge(self.max_bytes)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        exc = TooLarge(self.max_bytes)
        response = JSONResponse({"detail": exc.detail, "field": "body"}, status_code=413)
        await response(scope, receive, send)


class TooLarge(ApiError):
    """An HTTPException, so FastAPI's body parsing passes it on instead of answering 400."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request body is larger than the {max_bytes}-byte limit", "body")
