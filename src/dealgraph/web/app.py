"""The web application: routes only; protocol, negotiation and execution live in their modules."""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from fastapi import FastAPI
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..queries import CannedQuery, QueryFileError, load_queries
from ..settings import Settings
from ..timeline import QUERIES as TIMELINE_QUERIES
from ..timeline import render_svg, timeline_data
from .edge import Edge
from .executor import (
    PoolBusyError,
    QueryJob,
    QueryTimeoutError,
    WorkerCrashedError,
    WorkerPool,
)
from .http_cache import not_modified, validators
from .linked_data import NotFoundError, describe, iri_for_path, rdf_description, resource_view
from .negotiation import (
    GRAPH_TYPES,
    TABULAR_TYPES,
    UnknownFormatError,
    choose,
    negotiate_results,
    prefers_html,
)
from .ontology_doc import load_ontology, ontology_doc
from .protocol import ALLOWED_METHODS, ProtocolError, parse_request
from .published import Published, PublishedWatcher
from .rdf_output import pick_graph_type, serialize
from .result_cache import ResultCache
from .service_description import service_description
from .service_policy import DEFAULT_ALLOWED_SERVICES, ServicePolicy, ServiceRefusedError
from .sparql_text import analyse
from .store_queries import DatasetStats, InternalQueryError, compute_stats, select
from .void import void_description

HERE = Path(__file__).parent
HTML = "text/html"
DUMPS = {
    "dump.nq": "application/n-quads",
    "dump.trig": "application/trig",
    "dump.ttl": "text/turtle",
}
DUMP_PREFIXES = {
    "dg": "https://w3id.org/dealgraph/ontology#",
    "id": "https://w3id.org/dealgraph/id/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class HttpError(Exception):
    """An error answer: status, message, extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


@dataclass
class ServerState:
    """What the routes share: settings, the current build, the worker pool and caches."""

    settings: Settings
    watcher: PublishedWatcher
    pool: WorkerPool
    policy: ServicePolicy
    templates: Environment
    stats: dict[str, DatasetStats] = field(default_factory=dict)  # build_id -> stats
    results: ResultCache = field(default_factory=ResultCache)  # answers of repeatable queries
    ontology: dict[str, object] = field(default_factory=dict)  # build_id -> rdflib Graph
    timelines: dict[str, str] = field(default_factory=dict)  # build_id -> timeline SVG

    def published(self) -> Published:
        """The build being served; 503 when there is none."""
        published = self.watcher.get()
        if published is None:
            raise HttpError(503, "no published store yet: run 'dealgraph build'")
        return published

    async def dataset_stats(self, published: Published) -> DatasetStats:
        """Statistics of *published*, computed once per build."""
        build_id = published.info.build_id
        if build_id not in self.stats:
            self.stats = {build_id: await compute_stats(self.pool, published)}
        return self.stats[build_id]

    async def ontology_graph(self, published: Published):
        """The ontology graph of *published*, loaded once per build."""
        build_id = published.info.build_id
        if build_id not in self.ontology:
            self.ontology = {build_id: await load_ontology(self.pool, published)}
        return self.ontology[build_id]

    async def timeline_svg(self, published: Published) -> str:
        """The timeline picture of *published*, drawn once per build."""
        build_id = published.info.build_id
        if build_id not in self.timelines:
            rows = {
                name: await select(self.pool, published, query)
                for name, query in TIMELINE_QUERIES.items()
            }
            self.timelines = {build_id: render_svg(timeline_data(**rows))}
        return self.timelines[build_id]

    def canned_queries(self) -> list[CannedQuery]:
        """The competency questions, re-read so edits show without a restart."""
        try:
            return load_queries(self.settings.queries_dir)
        except (OSError, QueryFileError):
            return []


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _html(state: ServerState, template: str, **context) -> HTMLResponse:
    page = state.templates.get_template(template).render(**context)
    return HTMLResponse(page)


POOL_ERRORS = (QueryTimeoutError, PoolBusyError, WorkerCrashedError)


def _unavailable(exc: Exception) -> HttpError:
    """The clear 503 answer for a query that timed out, found no worker, or lost its worker."""
    if isinstance(exc, QueryTimeoutError):
        return HttpError(503, f"query timeout: {exc}; add a LIMIT or narrow the patterns")
    if isinstance(exc, PoolBusyError):
        return HttpError(503, f"server busy: {exc}; retry shortly", {"Retry-After": "5"})
    return HttpError(503, f"the query worker stopped unexpectedly ({exc})")


async def _run(state: ServerState, job: QueryJob):
    """Run a job, turning timeouts and crashes into clear 5xx answers."""
    try:
        return await state.pool.run(job)
    except POOL_ERRORS as exc:
        raise _unavailable(exc) from None


def create_app(
    settings: Settings,
    timeout: float = 30.0,
    workers: int | None = None,
    allowed_services: list[str] | None = None,
) -> Edge:
    """The dealgraph web app over the published store of *settings* (read-only), as ASGI."""
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
    )
    watcher = PublishedWatcher(settings.store_dir)
    size = workers or max(2, os.cpu_count() or 2)
    state = ServerState(
        settings=settings,
        watcher=watcher,
        pool=WorkerPool(size, timeout),
        policy=ServicePolicy(
            allowed_services if allowed_services is not None else DEFAULT_ALLOWED_SERVICES
        ),
        templates=templates,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        published = watcher.get()
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

    direct_routes: dict[str, Callable[[Request], Awaitable[Response]]] = {}

    def route(path: str, methods: list[str] | None = None):
        """Register a plain Starlette handler (less overhead than FastAPI's injection)."""

        def decorate(handler: Callable[[Request], Awaitable[Response]]):
            async def endpoint(request: Request) -> Response:
                try:
                    return await handler(request)
                except HttpError as exc:
                    return _error(exc.status, exc.message, exc.headers)
                except ProtocolError as exc:
                    return _error(exc.status, exc.message, exc.headers)
                except InternalQueryError as exc:
                    return _error(500, f"internal query failed: {exc}")
                except POOL_ERRORS as exc:  # pages and dumps run queries of their own
                    error = _unavailable(exc)
                    return _error(error.status, error.message, error.headers)

            app.add_route(path, endpoint, methods=methods or ["GET", "HEAD"])
            direct_routes[path] = endpoint
            return handler

        return decorate

    # ------------------------------------------------------------------ /sparql

    @route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
    async def sparql(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": ALLOWED_METHODS})
        req = await parse_request(request)
        accept = request.headers.get("accept")
        if req.query is None:
            if request.method == "POST":
                raise HttpError(400, "missing 'query' parameter")
            if not req.format and prefers_html(accept, list(GRAPH_TYPES)):
                return await index_page(request)
            return await _graph_answer(request, req.format, "sd", service_description)
        shape = analyse(req.query)
        if shape.is_update:
            raise HttpError(
                403, f"this endpoint is read-only: {shape.form} (SPARQL Update) is not accepted"
            )
        try:
            state.policy.check(shape)
            types = negotiate_results(accept, req.format)
        except ServiceRefusedError as exc:
            raise HttpError(403, str(exc)) from None
        except UnknownFormatError as exc:
            raise HttpError(400, str(exc)) from None
        wants_tabular = shape.form in ("SELECT", "ASK")
        wants_graph = shape.form in ("CONSTRUCT", "DESCRIBE")
        if (
            (types.tabular is None and types.graph is None)
            or (wants_tabular and types.tabular is None)
            or (wants_graph and types.graph is None)
        ):
            if request.method in ("GET", "HEAD") and not req.format and prefers_html(accept, []):
                return await index_page(request)  # a browser following a query link
            offered = list(TABULAR_TYPES) if wants_tabular else list(GRAPH_TYPES)
            raise HttpError(
                406, f"not acceptable: this query can be answered as {', '.join(offered)}"
            )
        if (
            request.method in ("GET", "HEAD")
            and not req.format
            and prefers_html(accept, [t for t in (types.tabular, types.graph) if t])
        ):
            return await index_page(request)
        published = state.published()
        headers = validators(published, f"{accept}|{req.format}")
        headers["Vary"] = "Accept"
        if cached := not_modified(request, headers):
            return cached
        job = QueryJob(
            build_dir=str(published.build_dir),
            query=req.query,
            tabular_type=types.tabular,
            graph_type=types.graph,
            default_graphs=req.default_graph_uris if req.has_protocol_dataset else None,
            named_graphs=req.named_graph_uris if req.has_protocol_dataset else None,
            union_default=not shape.has_dataset_clause,
        )
        key = (
            job.build_dir, job.query, job.tabular_type, job.graph_type,
            job.default_graphs, job.named_graphs, job.union_default,
        )  # fmt: skip
        outcome = state.results.get(key) if shape.is_repeatable else None
        headers["X-Cache"] = "HIT" if outcome else "MISS"
        if outcome is None:
            outcome = await _run(state, job)
            if shape.is_repeatable:
                state.results.put(key, outcome)
        if outcome.status != 200:
            return Response(outcome.body, status_code=outcome.status, media_type=outcome.media_type)
        headers["X-Query-Time"] = f"{outcome.elapsed:.4f}"
        media = outcome.media_type
        if media.startswith("text/"):
            media += "; charset=utf-8"
        return Response(outcome.body, media_type=media, headers=headers)

    async def _graph_answer(request: Request, format_param, variant: str, build) -> Response:
        """Answer with an rdflib graph made by ``build(base_url, published)``, negotiated."""
        try:
            media = pick_graph_type(request.headers.get("accept"), format_param)
        except UnknownFormatError as exc:
            raise HttpError(400, str(exc)) from None
        if media is None:
            raise HttpError(406, f"not acceptable: available as {', '.join(GRAPH_TYPES)}")
        published = state.published()
        headers = validators(published, f"{variant}|{media}|{_base_url(request)}")
        headers["Vary"] = "Accept"
        if cached := not_modified(request, headers):
            return cached
        graph = build(_base_url(request), published)
        if inspect.isawaitable(graph):
            graph = await graph
        return Response(serialize(graph, media), media_type=media, headers=headers)

    # ------------------------------------------------------------------ pages

    @route("/")
    async def index_page(request: Request) -> Response:
        published = state.published()
        queries = state.canned_queries()
        variant = "index|" + "|".join(q.text for q in queries)
        headers = validators(published, variant)
        headers["Vary"] = "Accept"
        if request.url.path == "/" and (cached := not_modified(request, headers)):
            return cached
        stats = await state.dataset_stats(published)
        examples = [
            {"name": q.name, "title": q.title, "description": q.description, "text": q.text}
            for q in queries
        ]
        response = _html(
            state,
            "index.html",
            info=published.info,
            stats=stats,
            examples=examples,
            examples_json=json.dumps(examples),
            timeout=state.pool.timeout,
            services=sorted(state.policy.allowed),
        )
        if request.url.path == "/":
            response.headers.update(headers)
        return response

    @route("/timeline.svg")
    async def timeline(request: Request) -> Response:
        published = state.published()
        headers = validators(published, "timeline.svg")
        if cached := not_modified(request, headers):
            return cached
        svg = await state.timeline_svg(published)
        return Response(svg, media_type="image/svg+xml", headers=headers)

    @route("/id/{path:path}")
    async def resource(request: Request) -> Response:
        path = request.path_params["path"]
        accept = request.headers.get("accept")
        try:
            media = (
                negotiate_results(None, request.query_params["format"]).graph
                if ("format" in request.query_params)
                else choose(accept, [HTML, *GRAPH_TYPES])
            )
        except UnknownFormatError as exc:
            raise HttpError(400, str(exc)) from None
        if media is None:
            raise HttpError(406, f"not acceptable: available as {HTML}, {', '.join(GRAPH_TYPES)}")
        published = state.published()
        headers = validators(published, f"id|{media}")
        headers["Vary"] = "Accept"
        if cached := not_modified(request, headers):
            return cached
        try:
            iri = iri_for_path(path)
            own, context = await describe(state.pool, published, iri)
        except NotFoundError:
            return _not_found(request, f"no resource /id/{path} in this dataset")
        if media == HTML:
            view = resource_view(own, context, iri)
            response = _html(state, "resource.html", r=view, info=published.info)
            response.headers.update(headers)
            return response
        body = serialize(rdf_description(own, context, iri), media)
        return Response(body, media_type=media, headers=headers)

    def _not_found(request: Request, message: str) -> Response:
        if prefers_html(request.headers.get("accept"), list(GRAPH_TYPES)):
            page = state.templates.get_template("error.html").render(status=404, message=message)
            return HTMLResponse(page, status_code=404)
        return _error(404, message)

    @route("/ontology")
    async def ontology(request: Request) -> Response:
        accept = request.headers.get("accept")
        fmt = request.query_params.get("format")
        try:
            media = (
                negotiate_results(None, fmt).graph if fmt else choose(accept, [*GRAPH_TYPES, HTML])
            )
        except UnknownFormatError as exc:
            raise HttpError(400, str(exc)) from None
        if fmt == "html" or (not fmt and prefers_html(accept, list(GRAPH_TYPES))):
            media = HTML
        if media is None:
            raise HttpError(406, f"not acceptable: available as {', '.join(GRAPH_TYPES)}, {HTML}")
        published = state.published()
        headers = validators(published, f"ontology|{media}")
        headers["Vary"] = "Accept"
        if cached := not_modified(request, headers):
            return cached
        graph = await state.ontology_graph(published)
        if media == HTML:
            response = _html(state, "ontology.html", doc=ontology_doc(graph), info=published.info)
            response.headers.update(headers)
            return response
        return Response(serialize(graph, media), media_type=media, headers=headers)

    @route("/void")
    async def void(request: Request) -> Response:
        async def build(base: str, published: Published):
            return void_description(base, published, await state.dataset_stats(published))

        return await _graph_answer(request, request.query_params.get("format"), "void", build)

    @route("/health")
    async def health(request: Request) -> Response:
        published = state.watcher.get()
        if published is None:
            return JSONResponse({"status": "unavailable", "reason": "no published store"}, 503)
        try:
            ping = await state.pool.run(
                QueryJob(build_dir=str(published.build_dir), query="ASK {}")
            )
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
            "timeout_seconds": state.pool.timeout,
            "workers": state.pool.pids(),
        }
        return JSONResponse(
            body, status_code=200 if status == "ok" else 503, headers={"Cache-Control": "no-store"}
        )

    for dump_name, dump_type in DUMPS.items():

        def make_dump(name: str = dump_name, media: str = dump_type):
            async def dump(request: Request) -> Response:
                published = state.published()
                headers = validators(published, name)
                headers["Content-Disposition"] = f'attachment; filename="dealgraph-{name}"'
                if cached := not_modified(request, headers):
                    return cached
                job = QueryJob(
                    build_dir=str(published.build_dir),
                    kind="dump",
                    graph_type=media,
                    prefixes=DUMP_PREFIXES,
                )
                outcome = await _run(state, job)
                if outcome.status != 200:
                    return Response(outcome.body, outcome.status, media_type=outcome.media_type)
                return Response(outcome.body, media_type=media, headers=headers)

            return dump

        route(f"/{dump_name}")(make_dump())

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # CORS, gzip and the hot /sparql route are handled by a lean layer in front of FastAPI.
    return Edge(app, {"/sparql": direct_routes["/sparql"]})
