"""Publish: write validated graphs into a fresh pyoxigraph store, then switch to it atomically."""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
from rdflib import Graph

from . import __version__
from .store import BUILDS_FOLDER, CURRENT_LINK, INFO_FILE, OXIGRAPH_FOLDER, BuildInfo

KEEP_BUILDS = 3  # older builds may still be open in a running server for a moment


def publish(
    graphs: dict[str, Graph],
    store_dir: Path,
    source_digest: str,
    timings: dict[str, float] | None = None,
) -> BuildInfo:
    """Write *graphs* (named graph IRI -> triples) as a new build and make it the current one.

    Everything is written under a fresh ``builds/<id>`` folder first; only when that is
    complete does the ``current`` link move, by an atomic rename. If anything fails before,
    the fresh folder is removed and the build being served is untouched.
    """
    builds = store_dir / BUILDS_FOLDER
    builds.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    build_id = f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    build_dir = builds / build_id
    try:
        build_dir.mkdir()
        store = pyoxigraph.Store(str(build_dir / OXIGRAPH_FOLDER))
        counts: dict[str, int] = {}
        for graph_iri, graph in graphs.items():
            data = graph.serialize(format="nt", encoding="utf-8")
            store.bulk_load(
                data,
                format=pyoxigraph.RdfFormat.N_TRIPLES,
                to_graph=pyoxigraph.NamedNode(graph_iri),
            )
            counts[graph_iri] = len(graph)
        store.flush()
        store.optimize()
        del store  # close RocksDB before readers open it
        info = BuildInfo(
            build_id=build_id,
            built_at=now.isoformat(timespec="seconds"),
            source_digest=source_digest,
            triples=counts,
            timings=dict(timings or {}),
            dealgraph_version=__version__,
        )
        (build_dir / INFO_FILE).write_text(info.to_json(), encoding="utf-8")
        _switch_current(store_dir, build_dir)
    except BaseException:
        shutil.rmtree(build_dir, ignore_errors=True)
        raise
    _prune(store_dir, keep=build_dir)
    return info


def _switch_current(store_dir: Path, build_dir: Path) -> None:
    """Point ``current`` at *build_dir* with one rename (atomic on POSIX)."""
    tmp = store_dir / f".{CURRENT_LINK}.{uuid.uuid4().hex}"
    os.symlink(Path(BUILDS_FOLDER) / build_dir.name, tmp)
    os.replace(tmp, store_dir / CURRENT_LINK)


def _prune(store_dir: Path, keep: Path) -> None:
    """Remove all but the newest KEEP_BUILDS builds; never the one just published."""
    builds = sorted((store_dir / BUILDS_FOLDER).iterdir(), key=lambda p: p.name, reverse=True)
    for old in builds[KEEP_BUILDS:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
