"""The routes, one module per job; :func:`handlers` lists them all for ``app.py`` to mount.

A route is a plain ``async (request, state) -> Response`` function (Starlette, not FastAPI's
injection: less overhead per request). :func:`endpoint` wraps one so that every route answers
errors the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from ..responses import POOL_ERRORS, HttpError, NotModified, error_response, unavailable
from ..state import ServerState
from ..store_queries import InternalQueryError

Handler = Callable[[Request, ServerState], Awaitable[Response]]
READ = ("GET", "HEAD")


@dataclass(frozen=True)
class Route:
    """A path, the function that answers it and the methods it accepts."""

    path: str
    handler: Handler
    methods: tuple[str, ...] = READ


def endpoint(route: Route, state: ServerState) -> Callable[[Request], Awaitable[Response]]:
    """A Starlette endpoint for *route*: state passed in, errors answered in one way."""

    async def answer(request: Request) -> Response:
        try:
            return await route.handler(request, state)
        except NotModified as exc:
            return exc.response
        except HttpError as exc:
            return error_response(exc)
        except InternalQueryError as exc:
            return error_response(HttpError(500, f"internal query failed: {exc}"))
        except POOL_ERRORS as exc:  # pages and dumps run queries of their own
            return error_response(unavailable(exc))

    return answer


def handlers() -> list[Route]:
    """Every route of the server."""
    from . import cite, data, linked_data, pages, search, sparql, time

    return [
        *sparql.ROUTES, *pages.ROUTES, *linked_data.ROUTES, *data.ROUTES, *time.ROUTES,
        *search.ROUTES, *cite.ROUTES,
    ]  # fmt: skip
