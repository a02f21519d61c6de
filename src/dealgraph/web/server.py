"""Run the endpoint with uvicorn: what ``dealgraph serve`` calls once the store is ready.

uvicorn counts a connection towards ``limit_concurrency`` from its first byte, and nothing
times out a client that never finishes its headers, so a thousand idle connections would make
every request a 503. :class:`GuardedHttpProtocol` closes a connection whose request headers
take longer than ``header_timeout_seconds``, and refuses more than ``client_connections``
open connections from one address.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ..settings import ServeSettings, Settings
from .app import create_app


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header read timeout and a per-address cap."""

    header_timeout = 10.0
    per_client = 64
    open_per_client: Counter[str] = Counter()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None
        self._address = ""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._address = self.client[0] if self.client else ""
        self.open_per_client[self._address] += 1
        if self.open_per_client[self._address] > self.per_client:
            transport.close()  # connection_lost() follows and undoes the count
            return
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        self.open_per_client[self._address] -= 1
        if self.open_per_client[self._address] <= 0:
            del self.open_per_client[self._address]
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.close()


def run(settings: Settings, serve: ServeSettings) -> None:
    """Serve the published store of *settings* with *serve*'s settings until stopped
    (Ctrl+C / SIGTERM)."""
    GuardedHttpProtocol.header_timeout = serve.header_timeout_seconds
    GuardedHttpProtocol.per_client = serve.client_connections
    uvicorn.run(
        create_app(settings, serve),
        host=serve.host,
        port=serve.port,
        access_log=serve.access_log,
        log_level="info",
        timeout_graceful_shutdown=serve.graceful_shutdown_seconds,
        limit_concurrency=serve.limit_concurrency,
        http=GuardedHttpProtocol,
    )
