"""``create_app``: the Tidings REST API and dashboard over one event store (read-only).

Errors from every route have one JSON shape, ``{"error": {"status", "message", "details"}}``,
and never carry a stack trace. Request bodies are size-limited, CORS is off unless origins are
given, and the dashboard (``/``) is served from files inside the package with a strict
Content-Security-Policy (no third-party hosts).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tidings import __version__
from tidings.api.queries import CACHE_TTL_S, Reader
from tidings.api.routes import router
from tidings.errors import TidingsError
from tidings.store import open as open_store

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 256 * 1024
DASHBOARD_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                 "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                 "frame-ancestors 'none'")

log = logging.getLogger("tidings.api")


def error_body(status: int, message: str, details: Any = None) -> dict[str, Any]:
    """The one error shape of every route."""
    return {"error": {"status": status, "message": message, "details": details}}


def _json_error(status: int, message: str, details: Any = None,
                headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, message, details), status_code=status,
                        headers=headers)


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` (by Content-Length, or while streaming), and
    add ``X-Content-Type-Options: nosniff`` to every response (a plain ASGI wrapper: cheaper
    per request than an HTTP middleware)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = True
                if too_big:
                    await self._refuse(scope, receive, send)
                    return
        seen = 0
        started = False

        async def limited() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return msg

        async def tracked(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
                headers = list(msg.get("headers", []))
                if not any(k.lower() == b"x-content-type-options" for k, _ in headers):
                    headers.append((b"x-content-type-options", b"nosniff"))
                    msg = {**msg, "headers": headers}
            await send(msg)

        try:
            await self.app(scope, limited, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        resp = _json_error(413, f"request body too large (limit {self.max_bytes} bytes)")
        await resp(scope, receive, send)


class _TooLarge(Exception):
    pass


def default_query_threads() -> int:
    """DuckDB threads per query: the server runs many small queries at once (one per request
    thread), so each gets one core rather than all of them: less contention and better latency
    under concurrent load than splitting every query across the cores."""
    return max(1, (os.cpu_count() or 1) // 8)


def create_app(db: str | Path, *, allow_coding: bool = False, cors: list[str] | None = None,
               max_body_bytes: int = MAX_BODY_BYTES, query_threads: int | None = None,
               cache_ttl: float = CACHE_TTL_S, max_queries: int | None = None) -> FastAPI:
    """The API and dashboard over the store ``db``, opened read-only.

    ``allow_coding`` enables ``POST /api/code`` (loads the spaCy pipeline on first use);
    ``cors`` lists origins allowed to call the API from a browser (none by default);
    ``query_threads`` sets DuckDB's threads per query (default: one per 8 CPUs, at least one);
    ``cache_ttl`` is how long aggregates (actors, stats, series, map, network) are reused, in
    seconds (0 turns the cache off; the store is read-only, so they only go stale if the file
    is replaced); ``max_queries`` caps the requests querying the store at once (default: the
    number of CPUs, at least 2).
    """
    store = open_store(db, read_only=True)
    threads = query_threads or default_query_threads()
    store.con.execute(f"SET threads = {int(threads)}")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            reader.close()
            store.close()

    app = FastAPI(
        title="Tidings API",
        version=__version__,
        description=("Political event data from news: who did what to whom, when and where, "
                     "traceable to the sentence. Events follow the `Event.to_dict()` contract."),
        lifespan=lifespan,
        docs_url=None,  # served below from packaged Swagger UI files, not a CDN
        redoc_url=None,
    )
    reader = Reader(store, cache_ttl=cache_ttl,
                    max_queries=max_queries or int(os.environ.get("TIDINGS_API_MAX_QUERIES", 0)))
    app.state.reader = reader
    app.state.allow_coding = allow_coding
    app.state.pipeline = None

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        return _json_error(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ())]
            details.append({"field": ".".join(loc[1:]) or ".".join(loc),
                            "in": loc[0] if loc else None, "message": err.get("msg")})
        first = details[0] if details else {"field": "", "message": "invalid request"}
        return _json_error(422, f"invalid {first['field'] or 'request'}: {first['message']}",
                           details)

    @app.exception_handler(TidingsError)
    async def tidings_error(request: Request, exc: TidingsError) -> JSONResponse:
        return _json_error(422, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return _json_error(500, "internal server error")

    app.include_router(router)

    @app.get("/", include_in_schema=False)
    def dashboard() -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html",
                            headers={"Content-Security-Policy": DASHBOARD_CSP,
                                     "X-Content-Type-Options": "nosniff",
                                     "Referrer-Policy": "no-referrer",
                                     "Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs-static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
              name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def api_docs() -> Response:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json",
                                   title="Tidings API",
                                   swagger_js_url="/docs-static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-static/swagger-ui.css",
                                   swagger_favicon_url="/docs-static/favicon-32x32.png")

    if cors:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors),
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"])
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    return app
