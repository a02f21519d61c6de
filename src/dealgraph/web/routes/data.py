"""The data and its description for machines: VoID, dumps, health."""

from __future__ import annotations

import pyoxigraph
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ... import __version__
from ...engine import DumpJob, QueryJob
from ..negotiation import GRAPH_TYPES
from ..rdf_output import serialize
from ..responses import POOL_ERRORS, negotiate, revalidate
from ..state import ServerState
from ..store_queries import compute_stats, run_job
from ..void import void_description
from . import Handler, Route

DUMPS = {
    "dump.nq": "application/n-quads",
    "dump.trig": "application/trig",
    "dump.ttl": "text/turtle",
}


async def void(request: Request, state: ServerState) -> Response:
    """The VoID description of the dataset."""
    media = negotiate(request, list(GRAPH_TYPES))
    published = state.published()
    base = str(request.base_url).rstrip("/")
    headers = revalidate(request, published, f"void|{media}|{base}")
    stats = await state.per_build("stats", published, lambda: compute_stats(state.pool, published))
    body = serialize(void_description(base, published, stats), media)
    return Response(body, media_type=media, headers=headers)


def _dump(name: str, media: str) -> Handler:
    """The handler of one dump of the whole build."""

    async def dump(request: Request, state: ServerState) -> Response:
        published = state.published()
        headers = revalidate(request, published, name)
        del headers["Vary"]  # one representation only
        headers["Content-Disposition"] = f'attachment; filename="dealgraph-{name}"'
        outcome = await run_job(state.pool, DumpJob(str(published.build_dir), media))
        return Response(outcome.body, media_type=media, headers=headers)

    return dump


async def health(request: Request, state: ServerState) -> Response:
    """Whether the server can answer queries, and what it serves."""
    published = state.watcher.get()
    if published is None:
        return JSONResponse({"status": "unavailable", "reason": "no published store"}, 503)
    try:
        ping = await state.pool.run(QueryJob(str(published.build_dir), "ASK {}"))
        status = "ok" if ping.status == 200 else "degraded"
    except POOL_ERRORS:
        status = "degraded"
    body = {
        "status": status,
        "triples": published.info.total_triples,
        "graphs": published.info.triples,
        "build_id": published.info.build_id,
        "built_at": published.info.built_at,
        "source_digest": published.info.source_digest,
        "store_version": f"pyoxigraph {pyoxigraph.__version__}",
        "dealgraph_version": __version__,
        "timeout_seconds": state.serve.timeout,
        "workers": state.pool.pids(),
    }
    return JSONResponse(
        body, status_code=200 if status == "ok" else 503, headers={"Cache-Control": "no-store"}
    )


ROUTES = [
    Route("/void", void),
    Route("/health", health),
    *(Route(f"/{name}", _dump(name, media)) for name, media in DUMPS.items()),
]
