"""A small SPARQL 1.1 Protocol client for Wikidata-like endpoints, polite by default.

Wikidata's query service asks clients for a descriptive User-Agent, to send few large
queries rather than many small ones, and to back off when told to (HTTP 429 with
``Retry-After``). Queries are sent as ``POST`` forms, so that batched ``VALUES`` blocks do not
hit URL length limits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

from rdflib import Graph

from .. import __version__
from ..errors import DealgraphError
from ..namespaces import WIKIDATA_QUERY_SERVICE

DEFAULT_ENDPOINT = WIKIDATA_QUERY_SERVICE
USER_AGENT = f"dealgraph/{__version__} (https://w3id.org/dealgraph; research knowledge graph)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SELECT_ACCEPT = "application/sparql-results+json"
CONSTRUCT_ACCEPT = "text/turtle, application/n-triples;q=0.9, text/plain;q=0.5"
MAX_WAIT = 60.0  # never sleep longer than this between two tries, whatever Retry-After says

Sleep = Callable[[float], None]


class EndpointError(DealgraphError):
    """The endpoint cannot be reached, keeps failing, or refuses the query."""


def unreachable(endpoint: str, reason: str) -> EndpointError:
    """The one sentence every command gives when the endpoint cannot be reached."""
    return EndpointError(
        f"cannot reach {endpoint}: {reason}; the graph builds without a Wikidata snapshot"
    )


def post_query(
    endpoint: str,
    query: str,
    accept: str,
    *,
    timeout: float = 30.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Sleep = time.sleep,
) -> httpx.Response:
    """POST *query* to *endpoint*; retry on 429, 5xx and network errors; the final response.

    Tries ``1 + retries`` times, waiting ``Retry-After`` when the server sends it, else
    ``backoff * 2**attempt`` seconds. Raises :class:`EndpointError` when no try succeeds or the
    server refuses the query (other 4xx).
    """
    headers = {"User-Agent": USER_AGENT, "Accept": accept}
    reason, wait = "no answer", 0.0
    import httpx  # only the commands that call Wikidata pay for the HTTP client

    with httpx.Client(timeout=timeout, headers=headers, follow_redirects=True) as client:
        for attempt in range(retries + 1):
            if attempt:
                sleep(wait)
            try:
                response = client.post(endpoint, data={"query": query})
            except httpx.TimeoutException:
                reason = f"no answer within {timeout:g} s"
                wait = backoff * 2**attempt
                continue
            except httpx.TransportError as error:
                reason = _transport_reason(error)
                wait = backoff * 2**attempt
                continue
            if response.status_code in RETRY_STATUSES:
                reason = f"it answered HTTP {response.status_code}"
                wait = _retry_after(response) or backoff * 2**attempt
                continue
            if response.status_code >= 400:
                detail = response.text.strip().splitlines()[:1]
                raise EndpointError(
                    f"{endpoint} refused the query: HTTP {response.status_code}"
                    + (f": {detail[0][:200]}" if detail else "")
                )
            return response
    tries = retries + 1
    raise unreachable(endpoint, f"{reason} ({tries} tr{'ies' if tries > 1 else 'y'})")


def select(endpoint: str, query: str, **options: float | int | Sleep) -> list[dict[str, str]]:
    """Run a SELECT query; each solution as ``{variable: value}`` (IRIs and literals as text)."""
    response = post_query(endpoint, query, SELECT_ACCEPT, **options)  # type: ignore[arg-type]
    try:
        bindings = response.json()["results"]["bindings"]
    except (ValueError, KeyError, TypeError):
        raise EndpointError(f"{endpoint} did not answer with SPARQL JSON results") from None
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def construct(endpoint: str, query: str, **options: float | int | Sleep) -> Graph:
    """Run a CONSTRUCT query; its triples as an rdflib graph."""
    response = post_query(endpoint, query, CONSTRUCT_ACCEPT, **options)  # type: ignore[arg-type]
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = "turtle" if media_type in ("text/turtle", "application/x-turtle") else "nt"
    graph = Graph()
    try:
        graph.parse(data=response.text, format=fmt)
    except Exception as error:  # rdflib raises several unrelated types for bad input
        raise EndpointError(f"{endpoint} answered RDF that does not parse: {error}") from None
    return graph


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or HTTP date), capped."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_WAIT)


def _transport_reason(error: httpx.TransportError) -> str:
    import httpx

    if isinstance(error, httpx.ConnectError):
        return f"connection failed ({error})" if str(error) else "connection failed"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
