"""The data and its description for machines: VoID, dumps, health."""

from __future__ import annotations

import pyoxigraph
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ... import __version__
from ...engine import DumpJob
from ..citation import dataset_citation
from ..negotiation import GRAPH_TYPES
from ..rdf_output import serialize
from ..responses import HTML, html_page, negotiate, revalidate
from ..state import ServerState
from ..store_queries import compute_stats, run_job
from ..void import void_description, void_page_context
from . import Handler, Route

DUMPS = {
    "dump.nq": "application/n-quads",
    "dump.trig": "application/trig",
    "dump.ttl": "text/turtle",
}


async def void(request: Request, state: ServerState) -> Response:
    """The VoID description of the dataset: a page for browsers, RDF for the others."""
    media = negotiate(request, [*GRAPH_TYPES, HTML], browsers_get_html=True)
    published = state.published()
    base = str(request.base_url).rstrip("/")
    headers = revalidate(request, published, f"void|{media}|{base}")
    stats = await state.per_build("stats", published, lambda: compute_stats(state.pool, published))
    citation = await dataset_citation(state.pool, published, base)
    if media == HTML:
        page = state.render("void.html", **void_page_context(base, published, stats, citation))
        return html_page(page, headers)
    body = serialize(void_description(base, published, stats, citation), media)
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


NO_STORE = {"status": "unavailable", "reason": "no published store"}
NO_WORKERS = {"status": "unavailable", "reason": "no query worker is running"}
NO_STORE_CACHE = {"Cache-Control": "no-store"}


async def live(request: Request, state: ServerState) -> Response:
    """Liveness: the server process answers (a load balancer restarts it only when not)."""
    return JSONResponse({"status": "up"}, headers=NO_STORE_CACHE)


async def ready(request: Request, state: ServerState) -> Response:
    """Readiness: 200 when a query would start now, 503 ``busy`` when every query worker is
    taken (send traffic elsewhere for a while; do not restart)."""
    if state.watcher.get() is None:
        return JSONResponse(NO_STORE, 503, headers=NO_STORE_CACHE)
    if not state.pool.pids():
        return JSONResponse(NO_WORKERS, 503, headers=NO_STORE_CACHE)
    if not state.pool.idle():
        return JSONResponse({"status": "busy"}, 503, headers=NO_STORE_CACHE)
    return JSONResponse({"status": "ready"}, headers=NO_STORE_CACHE)


async def health(request: Request, state: ServerState) -> Response:
    """What the server serves and whether it is ``ok`` or ``busy`` (both 200: busy is not
    down); 503 only without a published store or a running worker. It runs no job, so a busy
    pool cannot make it fail."""
    published = state.watcher.get()
    if published is None:
        return JSONResponse(NO_STORE, 503, headers=NO_STORE_CACHE)
    if not state.pool.pids():
        return JSONResponse(NO_WORKERS, 503, headers=NO_STORE_CACHE)
    body = {
        "status": "ok" if state.pool.idle() else "busy",
        "triples": published.info.total_triples,
        "graphs": published.info.triples,
        "build_id": published.info.build_id,
        "built_at": published.info.built_at,
        "source_digest": published.info.source_digest,
        "store_version": f"pyoxigraph {pyoxigraph.__version__}",
        "dealgraph_version": __version__,
        "timeout_seconds": state.serve.timeout,
        "workers": state.pool.pids(),
        "idle_workers": state.pool.idle(),
        "network_sandbox": state.pool.sandboxed,
    }
    return JSONResponse(body, headers=NO_STORE_CACHE)


ROUTES = [
    Route("/void", void),
    Route("/health", health),
    Route("/health/live", live),
    Route("/health/ready", ready),
    *(Route(f"/{name}", _dump(name, media)) for name, media in DUMPS.items()),
]
