"""Publish: write validated graphs into a fresh pyoxigraph store, then switch to it atomically."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from . import __version__
from .gate.run import ox_term
from .store import BUILDS_FOLDER, CURRENT_LINK, INFO_FILE, OXIGRAPH_FOLDER, BuildInfo, StoreError

KEEP_BUILDS = 3  # older builds may still be open in a running server for a moment
PARTIAL = ".partial-"  # a build being written; never served, never counted
STALE_PARTIAL_SECONDS = 3600


def publish(
    graphs: Mapping[str, Graph | pyoxigraph.Store | list],
    store_dir: Path,
    source_digest: str,
    timings: dict[str, float] | None = None,
    keep: Callable[[Path], None] | None = None,
) -> BuildInfo:
    """Write *graphs* (named graph IRI -> triples: an rdflib graph, a store's default graph
    or a list of triples) as a new build and make it the current one; *keep*, when given,
    writes what the next build needs into the new build's folder before it is published.

    Everything is written under a hidden ``builds/.partial-<id>`` folder first, renamed to
    ``builds/<id>`` once complete; only then does the ``current`` link move, by an atomic
    rename. If anything fails before, the partial folder is removed and the build being
    served is untouched; one left by a killed build is never counted as a build (and is
    removed by a later publish). A store folder that cannot be written is a
    :class:`StoreError`.
    """

    def fill(store: pyoxigraph.Store, _folder: Path) -> dict[str, int]:
        counts = {iri: _write_graph(store, iri, graph) for iri, graph in graphs.items()}
        store.flush()
        store.optimize()
        return counts

    return _publish(store_dir, source_digest, timings, fill, keep)


def publish_changed(
    previous: Path,
    store_dir: Path,
    source_digest: str,
    change: Callable[[pyoxigraph.Store, Path], dict[str, int]],
    keep: Callable[[Path], None] | None = None,
) -> BuildInfo:
    """A new build made from the build in the folder *previous*, published as :func:`publish`
    does: its store is copied (a RocksDB checkpoint: hard links to the same immutable files,
    whatever its size), then *change* edits the copy (given the new build's folder too) and
    returns the triple count of each named graph. An exception from *change* abandons the
    new build."""
    return _publish(store_dir, source_digest, None, change, keep, base=previous)


def _publish(
    store_dir: Path,
    source_digest: str,
    timings: dict[str, float] | None,
    fill: Callable[[pyoxigraph.Store, Path], dict[str, int]],
    keep: Callable[[Path], None] | None,
    base: Path | None = None,
) -> BuildInfo:
    builds = store_dir / BUILDS_FOLDER
    now = datetime.now(UTC)
    build_id = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    partial = builds / f"{PARTIAL}{build_id}"
    build_dir = builds / build_id
    try:
        builds.mkdir(parents=True, exist_ok=True)
        partial.mkdir()
    except OSError as error:
        raise StoreError(f"cannot write the store in {store_dir}: {error.strerror}") from None
    try:
        if base is not None:
            pyoxigraph.Store.read_only(str(base / OXIGRAPH_FOLDER)).backup(
                str(partial / OXIGRAPH_FOLDER)
            )
        store = pyoxigraph.Store(str(partial / OXIGRAPH_FOLDER))
        counts = fill(store, partial)
        store.flush()
        del store  # close RocksDB before readers open it
        info = BuildInfo(
            build_id=build_id,
            built_at=now.isoformat(timespec="seconds"),
            source_digest=source_digest,
            triples=counts,
            timings=dict(timings or {}),
            dealgraph_version=__version__,
            based_on=base.name if base is not None else "",
        )
        if keep is not None:
            keep(partial)
        (partial / INFO_FILE).write_text(info.to_json(), encoding="utf-8")
        os.rename(partial, build_dir)
        _switch_current(store_dir, build_dir)
    except BaseException as error:
        shutil.rmtree(partial, ignore_errors=True)
        shutil.rmtree(build_dir, ignore_errors=True)
        if isinstance(error, OSError):
            raise StoreError(
                f"cannot write the store in {store_dir}: {error.strerror or error}"
            ) from None
        raise
    _prune(store_dir, keep=build_dir)
    return info


def _write_graph(
    store: pyoxigraph.Store, graph_iri: str, graph: Graph | pyoxigraph.Store | list
) -> int:
    """Bulk-load *graph* (an rdflib graph, a store's default graph, or a list of triples of
    pyoxigraph terms) into the named graph *graph_iri* of *store*; the number of its
    triples. A store's quads go store to store, never through text or rdflib."""
    name = pyoxigraph.NamedNode(graph_iri)
    if isinstance(graph, pyoxigraph.Store):
        triples = (
            (q.subject, q.predicate, q.object)
            for q in graph.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
        )
    elif isinstance(graph, list):
        triples = iter(graph)
    else:
        triples = ((ox_term(s), ox_term(p), ox_term(o)) for s, p, o in graph)
    count = 0

    def quads() -> Iterator[pyoxigraph.Quad]:
        nonlocal count
        for s, p, o in triples:
            count += 1
            yield pyoxigraph.Quad(s, p, o, name)  # type: ignore[arg-type]

    store.bulk_extend(quads())
    return count


def _switch_current(store_dir: Path, build_dir: Path) -> None:
    """Point ``current`` at *build_dir* with one rename (atomic on POSIX)."""
    tmp = store_dir / f".{CURRENT_LINK}.{uuid.uuid4().hex}"
    os.symlink(Path(BUILDS_FOLDER) / build_dir.name, tmp)
    os.replace(tmp, store_dir / CURRENT_LINK)


def _prune(store_dir: Path, keep: Path) -> None:
    """Remove all but the newest KEEP_BUILDS complete builds (never the one just published),
    and partial folders that killed builds left over an hour ago."""
    folders = list((store_dir / BUILDS_FOLDER).iterdir())
    complete = [p for p in folders if not p.name.startswith(".") and (p / INFO_FILE).is_file()]
    for old in sorted(complete, key=lambda p: p.name, reverse=True)[KEEP_BUILDS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
    stale = time.time() - STALE_PARTIAL_SECONDS  # younger ones may be another build's
    for leftover in folders:
        if leftover.name.startswith(PARTIAL) and _mtime(leftover) < stale:
            shutil.rmtree(leftover, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return float("inf")
