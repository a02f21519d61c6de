"""Run the endpoint with uvicorn: the entry point ``dealgraph serve`` calls."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from ..settings import Settings
from .app import create_app
from .service_policy import DEFAULT_ALLOWED_SERVICES


def run(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 30.0,
    workers: int | None = None,
    allowed_services: list[str] | None = None,
    access_log: bool = False,
) -> None:
    """Serve the published store of *settings* until stopped (Ctrl+C / SIGTERM).

    *workers* is the number of query worker processes (default: the CPU count, at least 2);
    *timeout* stops a query after that many seconds; *allowed_services* are the only
    SERVICE endpoints federated queries may call (default: Wikidata Query Service).
    """
    app = create_app(
        settings,
        timeout=timeout,
        workers=workers,
        allowed_services=list(allowed_services or DEFAULT_ALLOWED_SERVICES),
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=access_log,
        log_level="info",
        timeout_graceful_shutdown=5,
        limit_concurrency=1000,
    )


def main(argv: list[str] | None = None) -> None:
    """``python -m dealgraph.web.server``: serve an already published store (no build gate)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--allow-service", action="append", dest="services", default=None)
    args = parser.parse_args(argv)
    run(
        Settings.create(args.root, args.store),
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        workers=args.workers,
        allowed_services=args.services,
    )


if __name__ == "__main__":
    main()
