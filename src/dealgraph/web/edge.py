"""The outermost ASGI layer: CORS, gzip on request, and a direct path to the SPARQL route.

Starlette's CORS and GZip middlewares and FastAPI's own layers cost more per request than a
cached ``ASK {}`` does (measured in docs/benchmarks.md), so this layer does the cheap part of
their work itself: it answers CORS preflights, adds the CORS headers to every response, only
routes requests that accept gzip through the GZip middleware, and hands ``/sparql`` straight
to its handler. Everything else goes to the FastAPI app unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Handler = Callable[[Request], Awaitable[Response]]

CORS_HEADERS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", b"ETag, Last-Modified, X-Query-Time, X-Cache"),
]
PREFLIGHT_METHODS = b"GET, HEAD, POST, OPTIONS"


class Edge:
    """Wrap *app*; requests for a path in *direct_routes* go straight to that handler."""

    def __init__(
        self,
        app: ASGIApp,
        direct_routes: dict[str, Handler],
        gzip_minimum_bytes: int,
        cors_max_age: int,
    ) -> None:
        self.app = app
        self.direct_routes = direct_routes
        self.cors_max_age = str(cors_max_age).encode()
        self.gzipped = GZipMiddleware(self._dispatch, minimum_size=gzip_minimum_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # lifespan, websockets
            return
        headers = dict(scope["headers"])
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            await _preflight(headers, send, self.cors_max_age)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *CORS_HEADERS]
            await send(message)

        if b"gzip" in headers.get(b"accept-encoding", b""):
            await self.gzipped(scope, receive, send_with_cors)
        else:
            await self._dispatch(scope, receive, send_with_cors)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self.direct_routes.get(scope["path"])
        if handler is None:
            await self.app(scope, receive, send)
            return
        response = await handler(Request(scope, receive))
        await response(scope, receive, send)


async def _preflight(headers: dict[bytes, bytes], send: Send, max_age: bytes) -> None:
    """Answer a CORS preflight: any origin may read, with any request headers."""
    allow_headers = headers.get(b"access-control-request-headers", b"")
    response_headers = [
        *CORS_HEADERS,
        (b"access-control-allow-methods", PREFLIGHT_METHODS),
        (b"access-control-max-age", max_age),
        (b"vary", b"Origin"),
        (b"content-length", b"2"),
        (b"content-type", b"text/plain; charset=utf-8"),
    ]
    if allow_headers:
        response_headers.append((b"access-control-allow-headers", allow_headers))
    await send({"type": "http.response.start", "status": 200, "headers": response_headers})
    await send({"type": "http.response.body", "body": b"OK"})
