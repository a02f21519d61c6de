"""``/sparql``: the SPARQL 1.1 Protocol (queries, the service description, browsers' fallback
to the query page)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ...engine import QueryJob
from ...sparql_text import QueryShape, analyse, read_only_message
from ..negotiation import (
    GRAPH_TYPES,
    TABULAR_TYPES,
    ResultTypes,
    UnknownFormatError,
    negotiate_results,
    prefers_html,
)
from ..protocol import ALLOWED_METHODS, SparqlRequest, parse_request
from ..rdf_output import serialize
from ..responses import POOL_ERRORS, HttpError, negotiate, revalidate, unavailable
from ..service_description import service_description
from ..service_policy import ServiceRefusedError
from ..state import ServerState
from . import Route
from .pages import index_page


async def sparql(request: Request, state: ServerState) -> Response:
    """Answer a protocol request: a query, the service description, or the query page."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})
    req = await parse_request(request, state.serve.max_request_bytes)
    accept = request.headers.get("accept")
    if req.query is None:
        if request.method == "POST":
            raise HttpError(400, "missing 'query' parameter")
        if not req.format and prefers_html(accept, list(GRAPH_TYPES)):
            return await index_page(request, state)
        return await description(request, state)
    shape = analyse(req.query)
    if shape.is_update:
        raise HttpError(403, read_only_message(shape.form))
    types = _result_types(state, shape, accept, req.format)
    if _wants_page(request, req, shape, types):
        return await index_page(request, state)  # a browser following a query link
    published = state.published()
    headers = revalidate(request, published, f"{accept}|{req.format}")
    job = QueryJob(
        build_dir=str(published.build_dir),
        query=req.query,
        tabular_type=types.tabular,
        graph_type=types.graph,
        default_graphs=req.default_graph_uris if req.has_protocol_dataset else None,
        named_graphs=req.named_graph_uris if req.has_protocol_dataset else None,
        union_default=not shape.has_dataset_clause,
    )
    key = job.cache_key()
    outcome = state.results.get(key) if shape.is_repeatable else None
    headers["X-Cache"] = "HIT" if outcome else "MISS"
    if outcome is None:
        try:
            outcome = await state.pool.run(job)
        except POOL_ERRORS as exc:
            raise unavailable(exc) from None
        if shape.is_repeatable:
            state.results.put(key, outcome)
    if outcome.status != 200:
        return Response(outcome.body, status_code=outcome.status, media_type=outcome.media_type)
    headers["X-Query-Time"] = f"{outcome.elapsed:.4f}"
    media = outcome.media_type
    if media.startswith("text/"):
        media += "; charset=utf-8"
    return Response(outcome.body, media_type=media, headers=headers)


def _result_types(
    state: ServerState, shape: QueryShape, accept: str | None, fmt: str | None
) -> ResultTypes:
    """The SERVICE policy's verdict, then the media types the client accepts."""
    try:
        state.policy.check(shape)
        return negotiate_results(accept, fmt)
    except ServiceRefusedError as exc:
        raise HttpError(403, str(exc)) from None
    except UnknownFormatError as exc:
        raise HttpError(400, str(exc)) from None


def _wants_page(
    request: Request, req: SparqlRequest, shape: QueryShape, types: ResultTypes
) -> bool:
    """True for a browser that asked for HTML; 406 for a client that accepts no answer."""
    accept = request.headers.get("accept")
    browsing = request.method in ("GET", "HEAD") and not req.format
    tabular = shape.form in ("SELECT", "ASK")
    graph = shape.form in ("CONSTRUCT", "DESCRIBE")
    if (
        (types.tabular is None and types.graph is None)
        or (tabular and types.tabular is None)
        or (graph and types.graph is None)
    ):
        if browsing and prefers_html(accept, []):
            return True
        offered = list(TABULAR_TYPES) if tabular else list(GRAPH_TYPES)
        raise HttpError(
            406, f"not acceptable: this query can be answered as {', '.join(offered)}"
        )
    return browsing and prefers_html(accept, [t for t in (types.tabular, types.graph) if t])


async def description(request: Request, state: ServerState) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, as RDF."""
    media = negotiate(request, list(GRAPH_TYPES))
    published = state.published()
    base = str(request.base_url).rstrip("/")
    headers = revalidate(request, published, f"sd|{media}|{base}")
    body = serialize(service_description(base, published), media)
    return Response(body, media_type=media, headers=headers)


ROUTES = [
    Route("/sparql", sparql, ("GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH")),
]
