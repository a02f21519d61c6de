"""The pages people look at: the query page (``/``) and the timeline picture."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from ...engine import TimelineJob
from ...namespaces import LINKS_FOR_PAGES, PREFIXES
from ..ontology_doc import load_ontology, ontology_doc
from ..responses import html_page, revalidate
from ..state import ServerState
from ..store_queries import compute_stats, run_job
from . import Route

# Terms of other vocabularies that the shipped queries use most, offered for completion.
COMMON_TERMS = [
    ("rdf", "type", "property", "type"),
    ("rdfs", "label", "property", "label"),
    ("rdfs", "comment", "property", "comment"),
    ("rdfs", "subClassOf", "property", "subclass of"),
    ("skos", "prefLabel", "property", "preferred label"),
    ("skos", "definition", "property", "definition"),
    ("prov", "wasDerivedFrom", "property", "was derived from (evidence)"),
    ("prov", "wasRevisionOf", "property", "was revision of"),
    ("oa", "exact", "property", "exact quote"),
    ("dcterms", "source", "property", "source"),
    ("dcterms", "title", "property", "title"),
    ("dcterms", "publisher", "property", "publisher"),
    ("dcterms", "date", "property", "date"),
    ("dcterms", "identifier", "property", "identifier"),
    ("schema", "url", "property", "URL"),
    ("owl", "sameAs", "property", "same as (Wikidata)"),
    ("wdt", "P31", "property", "instance of"),
]


def _script_json(value: object) -> str:
    """JSON safe to put inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c")


async def _editor_terms(state: ServerState, published) -> list[dict[str, str]]:
    """The ontology's classes and properties (with English labels) for the editor's
    completion, then the common terms of other vocabularies."""
    graph = await state.per_build(
        "ontology", published, lambda: load_ontology(state.pool, published)
    )
    doc = ontology_doc(graph)
    terms = [
        {"prefix": "dg", "name": t.name, "kind": kind, "label": t.label_en,
         "iri": PREFIXES["dg"] + t.name}
        for kind, items in (("class", doc.classes), ("property", doc.properties))
        for t in items
    ]  # fmt: skip
    terms += [
        {"prefix": p, "name": n, "kind": k, "label": label, "iri": PREFIXES[p] + n}
        for p, n, k, label in COMMON_TERMS
    ]
    return terms


async def _vocabulary_json(state: ServerState, published) -> str:
    """What the page's JavaScript knows of the vocabulary: prefixes, links, editor terms."""
    return _script_json({**LINKS_FOR_PAGES, "terms": await _editor_terms(state, published)})


async def index_page(request: Request, state: ServerState) -> Response:
    """The query page: dataset summary, timeline, example queries, editor."""
    published = state.published()
    queries = state.canned_queries()
    at_home = request.url.path == "/"  # else a browser's fallback from /sparql: not cached
    headers = None
    if at_home:
        headers = revalidate(request, published, "index|" + "|".join(q.text for q in queries))
    stats = await state.per_build("stats", published, lambda: compute_stats(state.pool, published))
    examples = [
        {"name": q.name, "title": q.title, "description": q.description, "text": q.text}
        for q in queries
    ]
    page = state.render(
        "index.html",
        info=published.info,
        stats=stats,
        examples=examples,
        examples_json=_script_json(examples),
        vocabulary_json=await state.per_build(  # the same for every page of a build
            "vocabulary", published, lambda: _vocabulary_json(state, published)
        ),
        prefixes=list(PREFIXES),
        timeout=state.serve.timeout,
        services=sorted(state.policy.allowed),
    )
    return html_page(page, headers)


async def timeline(request: Request, state: ServerState) -> Response:
    """The timeline picture of the build, drawn once per build in a worker."""
    published = state.published()
    headers = revalidate(request, published, "timeline.svg")
    del headers["Vary"]  # one representation only
    outcome = await state.per_build(
        "timeline", published, lambda: run_job(state.pool, TimelineJob(str(published.build_dir)))
    )
    return Response(outcome.body, media_type="image/svg+xml", headers=headers)


ROUTES = [Route("/", index_page), Route("/timeline.svg", timeline)]
