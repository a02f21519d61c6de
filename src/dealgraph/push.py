"""Push a published build into any SPARQL 1.1 Graph Store Protocol store.

For users who outgrow one machine: the validated build, named graph by named graph, goes to
a big triple store (Oxigraph, Virtuoso, Fuseki, GraphDB…) through the Graph Store HTTP
Protocol. The old graphs there are replaced only after the new ones are complete:

1. every graph is uploaded (``PUT``, N-Triples) to a staging graph of its own, named after
   the build, and read back (``GET``) to prove it holds every triple;
2. only then are the live graphs replaced: in one SPARQL Update request (``MOVE`` staging
   graph ``TO`` live graph, for each graph), atomic in stores that run an update request as
   one transaction, when an update endpoint is given; else one ``PUT`` per live graph;
3. the staging graphs are removed (the ``MOVE`` did it already).

When a step fails before the live graphs are touched, the staging graphs are deleted and
the store is as it was.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from .errors import DealgraphError
from .store import open_published

N_TRIPLES = "application/n-triples"
STAGING = "urn:dealgraph:push:{build}:{index}"  # a staging graph of one build


class PushError(DealgraphError):
    """The target store refused or lost part of the push; the live graphs are untouched
    unless the message says otherwise."""


@dataclass
class PushResult:
    """What was pushed: triples per live graph, and the seconds each step took."""

    build_id: str
    graphs: dict[str, int]
    timings: dict[str, float] = field(default_factory=dict)


Progress = Callable[[str], None]


def push(
    store_dir: Path,
    url: str,
    update_url: str | None = None,
    graph_param: str = "graph",
    timeout: float = 600.0,
    auth: httpx.Auth | tuple[str, str] | None = None,
    progress: Progress | None = None,
) -> PushResult:
    """Push the current build of *store_dir* to the Graph Store Protocol endpoint *url*.

    *update_url* (a SPARQL 1.1 Update endpoint of the same store) lets the live graphs be
    replaced in one request; *graph_param* is the name of the query parameter naming a
    graph (``graph`` in the protocol; Virtuoso's ``/sparql-graph-crud`` also takes it);
    *auth* a user and password (HTTP basic) or an :class:`httpx.Auth` such as
    :class:`httpx.DigestAuth` (Virtuoso's ``…-auth`` endpoints).
    """
    say = progress or (lambda _message: None)
    source, info = open_published(store_dir)
    graphs = sorted(g.value for g in source.named_graphs() if isinstance(g, ox.NamedNode))
    staging = {g: STAGING.format(build=info.build_id, index=i) for i, g in enumerate(graphs)}
    result = PushResult(build_id=info.build_id, graphs={})
    with (
        tempfile.TemporaryDirectory(prefix="dealgraph-push-") as folder,
        httpx.Client(timeout=timeout, auth=auth) as client,
    ):
        files: dict[str, Path] = {}
        try:
            started = time.perf_counter()
            for graph in graphs:
                files[graph] = Path(folder) / f"{len(files)}.nt"
                source.dump(
                    str(files[graph]), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph)
                )
                result.graphs[graph] = sum(1 for _ in source.quads_for_pattern(
                    None, None, None, ox.NamedNode(graph)))  # fmt: skip
                say(f"staging {graph} ({result.graphs[graph]:,} triples)")
                _put(client, url, graph_param, staging[graph], files[graph])
            for graph in graphs:
                found = _count(client, url, graph_param, staging[graph])
                if found != result.graphs[graph]:
                    raise PushError(
                        f"the store holds {found:,} of the {result.graphs[graph]:,} triples "
                        f"uploaded to {staging[graph]} (for {graph}): nothing was replaced"
                    )
            result.timings["stage"] = time.perf_counter() - started
        except (PushError, httpx.HTTPError) as error:
            _forget(client, url, graph_param, staging.values())
            if isinstance(error, PushError):
                raise
            raise PushError(f"{_describe(error)}: nothing was replaced") from None
        started = time.perf_counter()
        try:
            if update_url:
                moves = " ;\n".join(f"MOVE <{staging[g]}> TO <{g}>" for g in graphs)
                say(f"replacing {len(graphs)} graphs in one update request")
                headers = {"Content-Type": "application/sparql-update"}
                _check(client.post(update_url, content=moves.encode(), headers=headers))
            else:
                for graph in graphs:
                    say(f"replacing {graph}")
                    _put(client, url, graph_param, graph, files[graph])
                _forget(client, url, graph_param, staging.values())
        except httpx.HTTPError as error:
            raise PushError(
                f"{_describe(error)} while replacing the live graphs: the staging graphs "
                f"{', '.join(staging.values())} hold the complete new build"
            ) from None
        result.timings["replace"] = time.perf_counter() - started
    return result


def _target(url: str, param: str, graph: str) -> httpx.URL:
    return httpx.URL(url, params={param: graph})


def _put(client: httpx.Client, url: str, param: str, graph: str, file: Path) -> None:
    # Bytes, not a stream: an authentication challenge (digest) makes the client send it twice.
    body = file.read_bytes()
    _check(
        client.put(_target(url, param, graph), content=body, headers={"Content-Type": N_TRIPLES})
    )


def _count(client: httpx.Client, url: str, param: str, graph: str) -> int:
    """How many triples the store holds in *graph* (read back whole, as N-Triples)."""
    with client.stream("GET", _target(url, param, graph), headers={"Accept": N_TRIPLES}) as got:
        _check(got)
        media = got.headers.get("content-type", N_TRIPLES).split(";")[0].strip()
        data = got.read()
    formats = {N_TRIPLES: ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
    return sum(1 for _ in ox.parse(data, format=formats.get(media, ox.RdfFormat.N_TRIPLES)))


def _forget(client: httpx.Client, url: str, param: str, graphs: object) -> None:
    """Delete the staging graphs, as far as the store lets us (a missing one is fine)."""
    for graph in graphs:  # type: ignore[attr-defined]
        with contextlib.suppress(httpx.HTTPError):
            client.delete(_target(url, param, graph))


def _check(response: httpx.Response) -> None:
    if response.status_code >= 400:
        response.read()
        text = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
        raise httpx.HTTPStatusError(
            f"{response.request.method} {response.request.url} answered "
            f"{response.status_code}{': ' + text if text else ''}",
            request=response.request,
            response=response,
        )


def _describe(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.HTTPStatusError):
        return str(error)
    return f"the store could not be reached ({type(error).__name__}: {error})"
