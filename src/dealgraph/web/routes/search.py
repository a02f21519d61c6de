"""``/search?q=``: labels, alternative names and quotes, as a page or as JSON."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..responses import HTML, html_page, negotiate, revalidate
from ..search import build_index
from ..state import ServerState
from . import Route

JSON = "application/json"


async def search(request: Request, state: ServerState) -> Response:
    """Resources whose names or quotes hold every word of ``q`` (French or English)."""
    query = (request.query_params.get("q") or "").strip()[: state.serve.search_max_chars]
    media = negotiate(request, [JSON, HTML], browsers_get_html=True)  # browsers: the page
    published = state.published()
    headers = revalidate(request, published, f"search|{media}|{query}")
    index = await state.per_build("search", published, lambda: build_index(state.pool, published))
    hits = index.search(query, state.serve.search_limit) if query else []
    if media == JSON:
        body = {"query": query, "count": len(hits), "results": [h.as_json() for h in hits]}
        return JSONResponse(body, headers=headers)
    page = state.render("search.html", query=query, hits=hits, info=published.info)
    return html_page(page, headers)


ROUTES = [Route("/search", search)]
