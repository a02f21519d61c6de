"""How to cite: the dataset and each source, as a page, as BibTeX and as CSL-JSON."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..citation import SourceCitation, dataset_citation, source_citations, to_bibtex, to_csl_json
from ..linked_data import NotFoundError, iri_for_path
from ..responses import HttpError, html_page, revalidate
from ..state import ServerState
from . import Route

EXPORTS = {
    "bib": ("application/x-bibtex; charset=utf-8", to_bibtex),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", to_csl_json),
}


async def _sources(state: ServerState) -> dict[str, SourceCitation]:
    published = state.published()
    return await state.per_build(
        "citations", published, lambda: source_citations(state.pool, published)
    )


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _export(items: list[SourceCitation], ext: str, name: str, headers: dict[str, str]) -> Response:
    media, render = EXPORTS[ext]
    headers = {**headers, "Content-Disposition": f'inline; filename="{name}.{ext}"'}
    del headers["Vary"]  # one representation per URL
    return Response(render(items), media_type=media, headers=headers)


async def cite_page(request: Request, state: ServerState) -> Response:
    """The page: how to cite the dataset, and a citation for every source."""
    published = state.published()
    base = _base(request)
    headers = revalidate(request, published, f"cite|{base}")
    dataset = await dataset_citation(state.pool, published, base)
    sources = sorted((await _sources(state)).values(), key=lambda c: (c.date, c.title))
    page = state.render(
        "cite.html",
        dataset=dataset,
        dataset_bibtex=to_bibtex([dataset]),
        sources=sources,
        info=published.info,
    )
    return html_page(page, headers)


def _dataset_export(ext: str):
    async def export(request: Request, state: ServerState) -> Response:
        published = state.published()
        base = _base(request)
        headers = revalidate(request, published, f"cite.{ext}|{base}")
        dataset = await dataset_citation(state.pool, published, base)
        return _export([dataset], ext, f"dealgraph-{published.info.build_id}", headers)

    return export


def _sources_export(ext: str):
    async def export(request: Request, state: ServerState) -> Response:
        published = state.published()
        headers = revalidate(request, published, f"sources.{ext}")
        items = sorted((await _sources(state)).values(), key=lambda c: c.iri)
        return _export(items, ext, "dealgraph-sources", headers)

    return export


async def source_export(request: Request, state: ServerState) -> Response:
    """``/cite/id/<path>.bib`` or ``.json``: the citation of one source."""
    path, dot, ext = request.path_params["path"].rpartition(".")
    if not dot or ext not in EXPORTS:
        raise HttpError(404, "ask for /cite/id/<source>.bib or /cite/id/<source>.json")
    try:
        iri = iri_for_path(path)
    except NotFoundError:
        raise HttpError(404, f"no source /id/{path} in this dataset") from None
    published = state.published()
    headers = revalidate(request, published, f"cite|{path}.{ext}")
    citation = (await _sources(state)).get(iri)
    if citation is None:
        raise HttpError(404, f"no source /id/{path} in this dataset")
    return _export([citation], ext, citation.key, headers)


ROUTES = [
    Route("/cite", cite_page),
    *(Route(f"/cite.{ext}", _dataset_export(ext)) for ext in EXPORTS),
    *(Route(f"/cite/sources.{ext}", _sources_export(ext)) for ext in EXPORTS),
    Route("/cite/id/{path:path}", source_export),
]
