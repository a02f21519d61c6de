"""Run the endpoint with uvicorn: what ``dealgraph serve`` calls once the store is ready."""

from __future__ import annotations

import uvicorn

from ..settings import ServeSettings, Settings
from .app import create_app


def run(settings: Settings, serve: ServeSettings) -> None:
    """Serve the published store of *settings* with *serve*'s settings until stopped
    (Ctrl+C / SIGTERM)."""
    uvicorn.run(
        create_app(settings, serve),
        host=serve.host,
        port=serve.port,
        access_log=serve.access_log,
        log_level="info",
        timeout_graceful_shutdown=serve.graceful_shutdown_seconds,
        limit_concurrency=serve.limit_concurrency,
    )
