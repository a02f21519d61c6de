"""The web application: wiring only. The routes live in ``routes/``, one module per job."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from ..settings import ServeSettings, Settings
from .edge import Edge
from .routes import endpoint, handlers
from .state import ServerState

STATIC = Path(__file__).parent / "static"
DIRECT = ("/sparql",)  # the hot route, handed straight to its handler by the edge layer


def create_app(settings: Settings, serve: ServeSettings | None = None) -> Edge:
    """The dealgraph web app over the published store of *settings* (read-only), as ASGI."""
    state = ServerState.create(settings, serve or ServeSettings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        published = state.watcher.get()
        state.pool.warm_build = str(published.build_dir) if published else None
        await state.pool.start()
        try:
            yield
        finally:
            await state.pool.close()

    app = FastAPI(
        title="dealgraph", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.dealgraph = state
    direct = {}
    for route in handlers():
        answer = endpoint(route, state)
        app.add_route(route.path, answer, methods=list(route.methods))
        if route.path in DIRECT:
            direct[route.path] = answer
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # CORS, gzip and the hot /sparql route are handled by a lean layer in front of FastAPI.
    return Edge(app, direct, state.serve.gzip_minimum_bytes, state.serve.cors_max_age)
