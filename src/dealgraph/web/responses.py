"""What every route answers with: one error type, plain-text and HTML answers, and the one
path from content negotiation through validators to a 304."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from .http_cache import not_modified, validators
from .negotiation import (
    GRAPH_TYPES,
    UnknownFormatError,
    choose,
    format_types,
    negotiate_results,
    prefers_html,
)
from .published import Published
from .worker_pool import POOL_ERRORS, PoolBusyError, QueryTimeoutError

HTML = "text/html"
PAGE_FORMATS = {"html": HTML, "json": "application/json"}  # format= names of non-RDF answers


class HttpError(Exception):
    """An error answer: status, a one-sentence message, extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class NotModified(Exception):
    """The client's copy is current: answer 304 with these validators."""

    def __init__(self, response: Response) -> None:
        super().__init__("not modified")
        self.response = response


def error_response(error: HttpError) -> Response:
    """The plain-text answer for *error*."""
    return PlainTextResponse(error.message + "\n", status_code=error.status, headers=error.headers)


def unavailable(exc: Exception) -> HttpError:
    """The clear 503 for a job that timed out, found no free worker, or lost its worker."""
    if isinstance(exc, QueryTimeoutError):
        return HttpError(503, f"query timeout: {exc}; add a LIMIT or narrow the patterns")
    if isinstance(exc, PoolBusyError):
        return HttpError(503, f"server busy: {exc}; retry shortly", {"Retry-After": "5"})
    return HttpError(503, f"the query worker stopped unexpectedly ({exc})")


def negotiate(request: Request, offered: list[str], *, browsers_get_html: bool = False) -> str:
    """The media type to answer with, among *offered*, from ``format`` or ``Accept``.

    ``format=html`` / ``format=json`` ask for the HTML view or plain JSON (where offered);
    any other ``format`` names an RDF syntax, and one naming nothing known leaves the choice to
    Accept. *browsers_get_html* answers HTML to a browser even where its Accept header ranks
    RDF equally (the ontology, whose first offer is Turtle). Raises 406 when nothing offered
    is acceptable.
    """
    fmt = request.query_params.get("format") or request.query_params.get("output")
    accept = request.headers.get("accept")
    try:
        if fmt in PAGE_FORMATS and PAGE_FORMATS[fmt] in offered:
            media: str | None = PAGE_FORMATS[fmt]
        elif fmt and format_types(fmt) is not None:  # an unknown format: Accept decides
            media = negotiate_results(None, fmt).graph
        elif browsers_get_html and HTML in offered and prefers_html(accept, list(GRAPH_TYPES)):
            media = HTML
        else:
            media = choose(accept, offered)
    except UnknownFormatError as exc:
        raise HttpError(400, str(exc)) from None
    if media is None or media not in offered:
        raise HttpError(406, f"not acceptable: available as {', '.join(offered)}")
    return media


def revalidate(request: Request, published: Published, variant: str) -> dict[str, str]:
    """Validators (ETag, Last-Modified, Vary) of this representation of the build; raises
    :class:`NotModified` when the client's copy is current."""
    headers = validators(published, variant)
    headers["Vary"] = "Accept"
    if cached := not_modified(request, headers):
        raise NotModified(cached)
    return headers


def html_page(page: str, headers: dict[str, str] | None = None, status: int = 200) -> Response:
    """An HTML answer."""
    return HTMLResponse(page, status_code=status, headers=headers)


__all__ = [
    "HTML",
    "POOL_ERRORS",
    "HttpError",
    "NotModified",
    "error_response",
    "html_page",
    "negotiate",
    "revalidate",
    "unavailable",
]
