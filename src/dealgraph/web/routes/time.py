"""The deal in time: the rights in force on a day (``/asof``) and what changed between two
days or agreement versions (``/diff``), as HTML or JSON. The answers come from
:mod:`dealgraph.intime`, run in a worker like any query."""

from __future__ import annotations

import json
from datetime import date

from starlette.requests import Request
from starlette.responses import Response

from ...engine import TimeJob
from ..responses import HTML, POOL_ERRORS, HttpError, html_page, negotiate, revalidate, unavailable
from ..state import ServerState
from ..store_queries import select
from . import Route

JSON = "application/json"
AGREEMENTS = """
SELECT ?agreement ?label ?date WHERE {
  ?agreement a/rdfs:subClassOf* dg:Agreement ; dg:date ?date .
  OPTIONAL { ?agreement rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
} ORDER BY ?date ?agreement"""


async def _answer(state: ServerState, job: TimeJob) -> bytes:
    """The JSON answer of *job*, as the worker wrote it; a 400 names what is wrong."""
    try:
        outcome = await state.pool.run(job)
    except POOL_ERRORS as exc:
        raise unavailable(exc) from None
    if outcome.status != 200:
        raise HttpError(outcome.status, outcome.message)
    return outcome.body


async def asof(request: Request, state: ServerState) -> Response:
    """The rights in force on ``date`` (default: today), of ``holder`` if given."""
    media = negotiate(request, [HTML, JSON])
    day = request.query_params.get("date") or date.today().isoformat()
    holder = request.query_params.get("holder", "")
    published = state.published()
    variant = f"asof|{media}|{day}|{holder}|{date.today()}"  # "today" decides the future note
    headers = revalidate(request, published, variant)
    body = await _answer(state, TimeJob(str(published.build_dir), "asof", (day, holder)))
    if media == JSON:
        return Response(body, media_type=JSON, headers=headers)
    answer = json.loads(body)
    page = state.render("asof.html", answer=answer, day=day, holder=holder, info=published.info)
    return html_page(page, headers)


async def diff(request: Request, state: ServerState) -> Response:
    """What changed from ``from`` to ``to`` (days or agreement IRIs)."""
    media = negotiate(request, [HTML, JSON])
    start = request.query_params.get("from", "")
    end = request.query_params.get("to", "")
    published = state.published()
    headers = revalidate(request, published, f"diff|{media}|{start}|{end}")
    if not (start and end) and media == JSON:
        raise HttpError(400, "give both 'from' and 'to': each a date (YYYY-MM-DD) or an agreement")
    body = None
    if start and end:
        body = await _answer(state, TimeJob(str(published.build_dir), "diff", (start, end)))
    if media == JSON:
        return Response(body, media_type=JSON, headers=headers)
    agreements = await state.per_build(
        "agreements", published, lambda: select(state.pool, published, AGREEMENTS)
    )
    page = state.render(
        "diff.html", answer=json.loads(body) if body else None, start=start, end=end,
        agreements=agreements,
        info=published.info,
    )  # fmt: skip
    return html_page(page, headers)


ROUTES = [Route("/asof", asof), Route("/diff", diff)]
