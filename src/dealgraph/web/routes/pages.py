"""The pages people look at: the query page (``/``) and the timeline picture."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from ...engine import TimelineJob
from ...namespaces import LINKS_FOR_PAGES
from ..responses import html_page, revalidate
from ..state import ServerState
from ..store_queries import compute_stats, run_job
from . import Route


def _script_json(value: object) -> str:
    """JSON safe to put inside a <script> element."""
    return json.dumps(value).replace("<", "\\u003c")


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
        vocabulary_json=_script_json(LINKS_FOR_PAGES),
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
