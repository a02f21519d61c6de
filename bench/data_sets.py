"""The two data sets, each made into a dealgraph published store and an oxigraph location.

The oxigraph side always loads an N-Quads dump of dealgraph's published store, so both
servers hold exactly the same quads in the same named graphs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Graph
from servers import OXIGRAPH, dir_size_mb
from synthetic import generate

from dealgraph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from dealgraph.publish import publish
from dealgraph.store import OXIGRAPH_FOLDER, current_build, current_info

Progress = Callable[[str], None]


@dataclass
class Dataset:
    """A data set ready to serve from both servers, with what it cost to prepare."""

    name: str
    title: str
    store_dir: Path  # dealgraph store folder (with ``current``)
    oxigraph_dir: Path  # oxigraph location
    triples: int
    graphs: dict[str, int]
    holder: str
    resource: str
    source_note: str
    load_times: dict[str, float] = field(default_factory=dict)  # step -> seconds
    dealgraph_store_mb: float = 0.0
    oxigraph_store_mb: float = 0.0

    @property
    def dealgraph_load_s(self) -> float:
        return sum(v for k, v in self.load_times.items() if k.startswith("dealgraph"))

    @property
    def oxigraph_load_s(self) -> float:
        return sum(v for k, v in self.load_times.items() if k.startswith("oxigraph"))


def _timed(times: dict[str, float], key: str, fn: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = fn()
    times[key] = time.perf_counter() - started
    return result


def _export_and_load_oxigraph(
    store_dir: Path, work: Path, times: dict[str, float], say: Progress
) -> Path:
    """Dump dealgraph's current build as N-Quads and ``oxigraph load`` it into its own location."""
    build = current_build(store_dir)
    assert build is not None
    dump = work / "dump.nq"
    say(f"  dumping the published store to {dump.name}")
    store = pyoxigraph.Store.read_only(str(build / OXIGRAPH_FOLDER))
    store.dump(str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    del store
    location = work / "oxigraph"
    shutil.rmtree(location, ignore_errors=True)
    say("  oxigraph load")
    cmd = [OXIGRAPH, "load", "--location", str(location), "--file", str(dump)]
    _timed(
        times,
        "oxigraph load (N-Quads file)",
        lambda: subprocess.run(cmd, check=True, capture_output=True),
    )
    # publish() ends with Store.optimize(); do the same here, or the two stores differ in
    # RocksDB layout (measured: 10-25 % slower queries on the un-compacted location).
    say("  oxigraph optimize")
    cmd = [OXIGRAPH, "optimize", "--location", str(location)]
    _timed(times, "oxigraph optimize", lambda: subprocess.run(cmd, check=True, capture_output=True))
    return location


def _shipped_graphs(root: Path) -> tuple[dict[str, Graph], str]:
    """Fallback when the build gate fails: the sources, reasoned if possible, unvalidated."""
    try:
        from dealgraph.load import load
        from dealgraph.reason import reason
        from dealgraph.settings import Settings

        sources = load(Settings.create(root, root / ".unused-store"))
        inferred = reason(sources.ontology, sources.data, sources.defined_in).inferred
        graphs = {
            str(ONTOLOGY_GRAPH): sources.ontology,
            str(ASSERTED_GRAPH): sources.data,
            str(INFERRED_GRAPH): inferred,
        }
        return graphs, "dealgraph's load() and reason() (ontology, asserted, inferred graphs)"
    except Exception as exc:  # noqa: BLE001 - any failure: fall back to the Turtle files
        ontology, data = Graph(), Graph()
        for path in sorted((root / "ontology").glob("*.ttl")):
            ontology.parse(path, format="turtle")
        for path in sorted((root / "data").rglob("*.ttl")):
            data.parse(path, format="turtle")
        graphs = {str(ONTOLOGY_GRAPH): ontology, str(ASSERTED_GRAPH): data}
        return graphs, f"the Turtle files parsed with rdflib (load/reason failed: {exc})"


def shipped(root: Path, work: Path, say: Progress) -> Dataset:
    """The project's own data: ``dealgraph build``, or publish() of the sources if it fails."""
    work.mkdir(parents=True, exist_ok=True)
    store_dir = work / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    times: dict[str, float] = {}
    say("shipped data: dealgraph build")
    cmd = [str(Path(sys.executable).parent / "dealgraph"), "build", "--store", str(store_dir)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=False)
    if proc.returncode == 0:
        info = current_info(store_dir)
        assert info is not None
        times["dealgraph publish (inside build)"] = info.timings.get(
            "publish", time.perf_counter() - started
        )
        note = "`dealgraph build` (validated build: ontology, asserted, inferred graphs)"
    else:
        last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]
        say(f"  build failed ({last[0][:120]}); publishing the sources without validation")
        graphs, how = _shipped_graphs(root)
        info = _timed(
            times,
            "dealgraph publish()",
            lambda: publish(graphs, store_dir, "bench-unvalidated"),
        )
        note = (
            f"`dealgraph build` failed validation ({last[0]}), so the store was published "
            f"with publish() from {how}"
        )
    oxigraph_dir = _export_and_load_oxigraph(store_dir, work, times, say)
    build = current_build(store_dir)
    assert build is not None and info is not None
    return Dataset(
        name="shipped",
        title="Shipped dealgraph data",
        store_dir=store_dir,
        oxigraph_dir=oxigraph_dir,
        triples=info.total_triples,
        graphs=dict(info.triples),
        holder="https://w3id.org/dealgraph/id/company/microsoft",
        resource="https://w3id.org/dealgraph/id/right/microsoft-openai-ip-2030",
        source_note=note,
        load_times=times,
        dealgraph_store_mb=dir_size_mb(build / OXIGRAPH_FOLDER),
        oxigraph_store_mb=dir_size_mb(oxigraph_dir),
    )


def synthetic(root: Path, work: Path, target: int, say: Progress) -> Dataset:
    """The synthetic deal graph (plus the ontology graph), published and loaded."""
    work.mkdir(parents=True, exist_ok=True)
    times: dict[str, float] = {}
    nt = work / f"synthetic-{target}.nt"
    say(f"synthetic data: generating ~{target:,} triples into {nt}")
    gen = generate(nt, target)
    say(f"  {gen.triples:,} triples, {gen.deals:,} deals, {gen.companies:,} companies")
    ontology = Graph()
    for path in sorted((root / "ontology").glob("*.ttl")):
        ontology.parse(path, format="turtle")
    say("  rdflib parse (publish() takes rdflib graphs)")
    started = time.perf_counter()
    data = Graph().parse(nt, format="nt")
    times["dealgraph rdflib parse of the N-Triples"] = time.perf_counter() - started
    store_dir = work / "store"
    shutil.rmtree(store_dir, ignore_errors=True)
    say(f"  publish() (after {times['dealgraph rdflib parse of the N-Triples']:.1f} s parse)")
    started = time.perf_counter()
    info = publish({str(ONTOLOGY_GRAPH): ontology, str(ASSERTED_GRAPH): data}, store_dir, "bench")
    times["dealgraph publish()"] = time.perf_counter() - started
    del data  # free the rdflib graph before the servers start
    say(f"  publish() took {times['dealgraph publish()']:.1f} s")
    oxigraph_dir = _export_and_load_oxigraph(store_dir, work, times, say)
    build = current_build(store_dir)
    assert build is not None
    return Dataset(
        name="synthetic",
        title=f"Synthetic deal graph ({gen.triples:,} generated triples)",
        store_dir=store_dir,
        oxigraph_dir=oxigraph_dir,
        triples=info.total_triples,
        graphs=dict(info.triples),
        holder=gen.holder,
        resource=gen.resource,
        source_note=(
            f"generated by bench/synthetic.py (seed fixed; {gen.deals:,} deals, "
            f"{gen.companies:,} companies) plus the ontology graph"
        ),
        load_times=times,
        dealgraph_store_mb=dir_size_mb(build / OXIGRAPH_FOLDER),
        oxigraph_store_mb=dir_size_mb(oxigraph_dir),
    )
