"""The SPARQL 1.1 Protocol, request side: turn an HTTP request into a query and its dataset.

Every way a request can break the protocol becomes an :class:`HttpError` carrying the 4xx
status and a message that says what to fix.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl

import pyoxigraph
from starlette.datastructures import URL
from starlette.requests import ClientDisconnect, Request

from .responses import HttpError

ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"


@dataclass(frozen=True)
class SparqlRequest:
    """A parsed protocol request. ``query`` is None for a bare GET (service description)."""

    query: str | None
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    format: str | None = None
    params: dict[str, list[str]] = field(default_factory=dict)

    @property
    def has_protocol_dataset(self) -> bool:
        return bool(self.default_graph_uris or self.named_graph_uris)


def _parse_params(raw: bytes, where: str) -> list[tuple[str, str]]:
    """Decode ``application/x-www-form-urlencoded`` text strictly as UTF-8."""
    try:
        text = raw.decode("utf-8")
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise HttpError(400, f"the {where} is not valid UTF-8") from None
    except ValueError as exc:
        raise HttpError(400, f"the {where} cannot be decoded: {exc}") from None


def endpoint_iri(request: Request) -> str:
    """The URL *request* was sent to, without its query: a query's relative IRIs resolve
    against it. Remembered per host and path (a client sends the same ones every time)."""
    scope = request.scope
    host = request.headers.get("host")
    return _endpoint_iri(
        scope.get("scheme", "http"), host, scope.get("server"), scope.get("root_path", ""),
        scope["path"],
    )  # fmt: skip


@lru_cache(maxsize=64)
def _endpoint_iri(
    scheme: str, host: str | None, server: tuple[str, int] | None, root: str, path: str
) -> str:
    headers = [(b"host", host.encode("latin-1"))] if host is not None else []
    scope = {"scheme": scheme, "server": server, "root_path": root, "path": path}
    url = URL(scope={**scope, "headers": headers, "query_string": b""})
    return str(url.replace(query="", fragment=""))


def _media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """``type/subtype`` (lower case) and the parameters of a Content-Type header."""
    if not header:
        return "", {}
    media, *rest = header.split(";")
    params = {}
    for item in rest:
        key, _, value = item.partition("=")
        params[key.strip().lower()] = value.strip().strip('"').lower()
    return media.strip().lower(), params


async def _read_body(request: Request, limit: int, seconds: float) -> bytes:
    """The request body, refusing (413) anything over *limit* bytes and (408) a body that
    takes longer than *seconds* to arrive."""
    try:
        async with asyncio.timeout(seconds):
            return await _read_limited(request, limit)
    except TimeoutError:
        raise HttpError(
            408,
            f"request body too slow: it must arrive within {seconds:g} s",
            {"Connection": "close"},
        ) from None


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise HttpError(413, _too_large(limit))
        except ValueError:
            raise HttpError(400, "invalid Content-Length header") from None
    chunks, size = [], 0
    while True:  # ASGI messages read directly: Starlette's stream() costs a generator
        message = await request.receive()
        if message["type"] != "http.request":
            raise ClientDisconnect
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise HttpError(413, _too_large(limit))
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _too_large(limit: int) -> str:
    return f"request too large: queries are limited to {limit // 1000} kB"


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset")
    if charset and charset not in ("utf-8", "utf8"):
        raise HttpError(415, f"unsupported charset {charset!r}: send UTF-8")


async def parse_request(request: Request, limit: int, body_seconds: float = 30.0) -> SparqlRequest:
    """Read a GET or POST SPARQL protocol request of at most *limit* bytes, its body within
    *body_seconds*; raise :class:`HttpError` when invalid."""
    method = request.method
    raw_qs: bytes = request.scope.get("query_string", b"")
    if len(raw_qs) > limit:
        raise HttpError(413, _too_large(limit))
    url_params = _parse_params(raw_qs, "query string") if raw_qs else []
    if method in ("GET", "HEAD"):
        params = url_params
    elif method == "POST":
        media, ctype_params = _media_type(request.headers.get("content-type"))
        if media == "application/sparql-update":
            raise HttpError(403, "this endpoint is read-only: SPARQL Update is not accepted")
        if media == "application/x-www-form-urlencoded":
            _check_charset(ctype_params)
            body = _parse_params(await _read_body(request, limit, body_seconds), "form body")
            if any(k == "query" for k, _ in url_params) and any(k == "query" for k, _ in body):
                raise HttpError(400, "'query' given both in the URL and in the form body")
            params = body + url_params
        elif media == "application/sparql-query":
            _check_charset(ctype_params)
            if any(k in ("query", "update") for k, _ in url_params):
                raise HttpError(
                    400, "with a application/sparql-query body, the URL must not carry a query"
                )
            try:
                text = (await _read_body(request, limit, body_seconds)).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise HttpError(
                    400, f"the query body is not valid UTF-8 (byte {exc.start})"
                ) from None
            params = [*url_params, ("query", text)]
        elif not media:
            raise HttpError(
                415,
                "missing Content-Type: POST a query as application/sparql-query or as "
                "application/x-www-form-urlencoded",
            )
        else:
            raise HttpError(
                415,
                f"unsupported Content-Type {media!r}: POST a query as application/sparql-query "
                "or as application/x-www-form-urlencoded",
            )
    else:
        raise HttpError(
            405, f"method {method} is not allowed on /sparql", {"Allow": ALLOWED_METHODS}
        )

    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    if "update" in grouped:
        raise HttpError(403, "this endpoint is read-only: SPARQL Update is not accepted")
    queries = grouped.get("query", [])
    if len(queries) > 1:
        raise HttpError(400, "more than one 'query' parameter: send exactly one")
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise HttpError(400, "the 'query' parameter is empty")
    if query is not None and len(query.encode("utf-8")) > limit:
        raise HttpError(413, _too_large(limit))
    default_graphs = tuple(grouped.get("default-graph-uri", []))
    named_graphs = tuple(grouped.get("named-graph-uri", []))
    for iri in (*default_graphs, *named_graphs):
        try:
            pyoxigraph.NamedNode(iri)
        except ValueError:
            raise HttpError(400, f"graph IRI {iri!r} is not a valid absolute IRI") from None
    formats = grouped.get("format") or grouped.get("output") or []
    return SparqlRequest(
        query=query,
        default_graph_uris=default_graphs,
        named_graph_uris=named_graphs,
        format=formats[0] if formats else None,
        params=grouped,
    )
