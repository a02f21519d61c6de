"""``/sparql``: the SPARQL 1.1 Protocol (queries, the service description, browsers' fallback
to the query page)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import tempfile
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from ...engine import Outcome, QueryJob
from ...sandbox import die_with_parent
from ...sparql_text import SHORT_QUERY, GuardedQuery, QueryRefusedError, QueryShape, guard
from ..http_cache import not_modified, validators
from ..negotiation import (
    FILE_EXTENSIONS,
    GRAPH_TYPES,
    TABULAR_TYPES,
    ResultTypes,
    UnknownFormatError,
    negotiate_results,
    prefers_html,
)
from ..protocol import ALLOWED_METHODS, SparqlRequest, endpoint_iri, parse_request
from ..rdf_output import serialize
from ..responses import (
    HTML,
    POOL_ERRORS,
    HttpError,
    html_page,
    negotiate,
    revalidate,
    unavailable,
)
from ..service_description import service_description, service_page_context
from ..state import ServerState
from . import Route
from .pages import index_page


async def sparql(request: Request, state: ServerState) -> Response:
    """Answer a protocol request: a query, the service description, or the query page."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})
    req = await parse_request(
        request, state.serve.max_request_bytes, state.serve.body_timeout_seconds
    )
    accept = request.headers.get("accept")
    if req.query is None:
        if request.method == "POST":
            raise HttpError(400, "missing 'query' parameter")
        if not req.format and prefers_html(accept, list(GRAPH_TYPES)):
            return await index_page(request, state)
        return await description(request, state)
    guarded = await _guard(state, req.query)
    shape = guarded.shape
    types = _result_types(accept, req.format)
    if _wants_page(request, req, shape, types):
        return await index_page(request, state)  # a browser following a query link
    published = state.published()
    # Validators now; a 304 only once the query is known to give an answer (never an error).
    headers = validators(published, f"{accept}|{req.format}")
    headers["Vary"] = "Accept"
    job = QueryJob(
        build_dir=str(published.build_dir),
        query=guarded.text,
        tabular_type=types.tabular,
        graph_type=types.graph,
        default_graphs=req.default_graph_uris if req.has_protocol_dataset else None,
        named_graphs=req.named_graph_uris if req.has_protocol_dataset else None,
        union_default=not shape.has_dataset_clause,
        base_iri=endpoint_iri(request),  # relative IRIs: this URL
        max_answer_bytes=state.serve.max_answer_bytes,
        spill_path=_spill_path(),
        spill_bytes=state.serve.spill_bytes,
    )
    key = job.cache_key()
    outcome = state.results.get(key) if shape.is_repeatable else None
    headers["X-Cache"] = "HIT" if outcome else "MISS"
    if outcome is None:
        client = request.client.host if request.client else None
        try:
            outcome = await state.pool.run(job, network=guarded.needs_network, client=client)
        except POOL_ERRORS as exc:
            _remove(job.spill_path)  # a worker killed while writing leaves it behind
            raise unavailable(exc) from None
        if shape.is_repeatable and not outcome.path:
            state.results.put(key, outcome)
    if outcome.status != 200:
        return Response(
            outcome.body,
            status_code=outcome.status,
            media_type=outcome.media_type,
            headers={"X-Cache": headers["X-Cache"]},
        )
    if cached := not_modified(request, headers):
        _remove(outcome.path)
        return cached
    headers["X-Query-Time"] = f"{outcome.elapsed:.4f}"
    media = outcome.media_type
    if req.format and media in FILE_EXTENSIONS:  # a download link: give the file a name
        name = f"dealgraph-{(shape.form or 'query').lower()}.{FILE_EXTENSIONS[media]}"
        headers["Content-Disposition"] = f'inline; filename="{name}"'
    if media.startswith("text/"):
        media += "; charset=utf-8"
    if outcome.path:
        return _streamed(outcome, media, headers)
    return Response(outcome.body, media_type=media, headers=headers)


async def _guard(state: ServerState, text: str) -> GuardedQuery:
    """The guard's verdict. A long text (up to a second of lexing) is checked in a process of
    its own: on a thread it would still hold the GIL, and so the event loop, for most of it."""
    policy, sandboxed = state.policy, state.pool.sandboxed
    try:
        if len(text) <= SHORT_QUERY:
            return policy.guard(text, sandboxed=sandboxed)
        loop = asyncio.get_running_loop()
        check = functools.partial(
            guard, text, policy.allowed, sandboxed=sandboxed, max_depth=policy.max_depth
        )
        return await loop.run_in_executor(_guard_process(), check)
    except QueryRefusedError as exc:
        raise HttpError(exc.status, exc.message) from None


def _spill_path() -> str:
    """A fresh path for a large answer's file, random in full: a name seen in the temporary
    directory must not tell the next one (where a link could be planted)."""
    return f"{_spill_prefix()}{os.urandom(16).hex()}"


@functools.cache
def _spill_prefix() -> str:
    return os.path.join(tempfile.gettempdir(), "dealgraph-answer-")


@functools.cache
def _guard_process() -> ProcessPoolExecutor:
    """The process that checks long queries (started on first use, one per server)."""
    spawn = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(1, mp_context=spawn, initializer=die_with_parent)


def _streamed(outcome: Outcome, media: str, headers: dict[str, str]) -> Response:
    """A large answer read from its spill file in chunks (never whole in memory); the file
    is removed once sent or abandoned."""

    async def chunks() -> AsyncIterator[bytes]:
        try:
            with open(outcome.path, "rb") as answer:
                while chunk := await asyncio.to_thread(answer.read, 256 * 1024):
                    yield chunk
        finally:  # also when the client goes away half-way
            _remove(outcome.path)

    headers["Content-Length"] = str(outcome.size)
    done = BackgroundTask(_remove, outcome.path)
    return StreamingResponse(chunks(), media_type=media, headers=headers, background=done)


def _remove(path: str) -> None:
    if path:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _result_types(accept: str | None, fmt: str | None) -> ResultTypes:
    """The media types the client accepts."""
    try:
        return negotiate_results(accept, fmt)
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
        raise HttpError(406, f"not acceptable: this query can be answered as {', '.join(offered)}")
    return browsing and prefers_html(accept, [t for t in (types.tabular, types.graph) if t])


async def description(request: Request, state: ServerState) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, as RDF (``format=html``: a page)."""
    media = negotiate(request, [*GRAPH_TYPES, HTML])
    published = state.published()
    base = str(request.base_url).rstrip("/")
    headers = revalidate(request, published, f"sd|{media}|{base}")
    if media == HTML:
        page = state.render("service.html", **service_page_context(base, published))
        return html_page(page, headers)
    body = serialize(service_description(base, published), media)
    return Response(body, media_type=media, headers=headers)


ROUTES = [
    Route("/sparql", sparql, ("GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH")),
]
