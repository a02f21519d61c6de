"""Linked Data: every ``/id/…`` resource and the ontology, as HTML or RDF by negotiation."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..linked_data import (
    NotFoundError,
    describe,
    iri_for_path,
    rdf_description,
    related,
    resource_view,
)
from ..negotiation import GRAPH_TYPES, prefers_html
from ..ontology_doc import load_ontology, ontology_doc
from ..rdf_output import serialize
from ..responses import HTML, HttpError, error_response, html_page, negotiate, revalidate
from ..state import ServerState
from . import Route


async def resource(request: Request, state: ServerState) -> Response:
    """One resource with its facts, evidence and links."""
    path = request.path_params["path"]
    media = negotiate(request, [HTML, *GRAPH_TYPES])
    published = state.published()
    headers = revalidate(request, published, f"id|{media}")
    try:
        iri = iri_for_path(path)
        own, context = await describe(
            state.pool, published, iri, state.serve.neighbourhood_limit
        )
    except NotFoundError:
        return _not_found(request, state, f"no resource /id/{path} in this dataset")
    if media == HTML:
        view = resource_view(own, context, iri)
        view.related = await related(state.pool, published, iri)
        return html_page(state.render("resource.html", r=view, info=published.info), headers)
    body = serialize(rdf_description(own, context, iri), media)
    return Response(body, media_type=media, headers=headers)


def _not_found(request: Request, state: ServerState, message: str) -> Response:
    """404 as a page for browsers, as one sentence for other clients."""
    if prefers_html(request.headers.get("accept"), list(GRAPH_TYPES)):
        return html_page(state.render("error.html", status=404, message=message), status=404)
    return error_response(HttpError(404, message))


async def ontology(request: Request, state: ServerState) -> Response:
    """The ontology: its documentation page, or its triples."""
    media = negotiate(request, [*GRAPH_TYPES, HTML], browsers_get_html=True)
    published = state.published()
    headers = revalidate(request, published, f"ontology|{media}")
    graph = await state.per_build(
        "ontology", published, lambda: load_ontology(state.pool, published)
    )
    if media == HTML:
        page = state.render("ontology.html", doc=ontology_doc(graph), info=published.info)
        return html_page(page, headers)
    return Response(serialize(graph, media), media_type=media, headers=headers)


ROUTES = [Route("/id/{path:path}", resource), Route("/ontology", ontology)]
