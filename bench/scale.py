"""Benchmark the build at scale, side by side with its references, on generated deal graphs.

Usage: ``python bench/scale.py [--sizes 10000,100000] [--pyshacl-max N] [--out docs/benchmarks.md]``

For each size, a project is generated (bench/synthetic.py: the shipped data plus a deal-shaped
synthetic file that passes the gate, with the texts of its articles), then measured in one
run, each step in a fresh process:

* ``oxigraph load`` of the synthetic N-Triples file (the reference for the whole build);
* ``dealgraph build`` (load, reason, derive, validate, publish): seconds per stage, peak
  memory of the Python process and of its children (HermiT's JVM, on the ontology alone);
* the gate on the same triples: the SPARQL gate (``dealgraph.gate``) and, up to
  ``--pyshacl-max`` triples, pyshacl (the oracle, and the reference for the gate's ratio);
  both must give the same results;
* a one-fact change (a right loses its holder): the re-check of the touched focus nodes
  (``dealgraph.gate.incremental``) against a full SPARQL gate, which must agree;
* ``dealgraph build`` after edits (each a new ``python -m dealgraph build`` process, timed
  whole): a fact changed in a curated file and changed back, a fact added to the big
  generated file, a fact removed so that a shape fails; then a full build of the same
  sources, whose published graphs must equal those of the build after the edits;
* the rules (``dealgraph.rules``) against HermiT on ontology + facts, up to ``--hermit-max``.

The results go to ``bench/results/scale.json`` and, with ``--out``, to the build section of
the Markdown report (between ``<!-- scale:start -->`` and ``<!-- scale:end -->``) with an SVG
growth curve beside it. The machine is shared: every ratio is taken within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

ROOT = HERE.parent
RESULTS = HERE / "results"
GATE_RUNS = 3
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
START, END = "<!-- scale:start -->", "<!-- scale:end -->"


# --- the measurements, each run in a child process (python bench/scale.py --child …) ------


def child_build(folder: Path) -> dict:
    """``dealgraph build`` of the project in *folder*: stage timings and peak memory."""
    from dealgraph.pipeline import build
    from dealgraph.settings import Settings

    settings = Settings.create(folder, folder / "store", articles_dir=folder / "texts")
    started = time.perf_counter()
    info = build(settings, full=True)
    return {
        "seconds": time.perf_counter() - started,
        "timings": info.timings,
        "triples": info.total_triples,
        "graphs": info.triples,
        "python_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


# Edits of a project built by child_build: (label, file, old text, new text, expected outcome).
HOLDER = "dg:holder co:microsoft ; dg:grantor co:openai ; dg:grantedBy ag:2019-partnership ;"
SWAPPED = "dg:holder co:openai ; dg:grantor co:microsoft ; dg:grantedBy ag:2019-partnership ;"
EXPIRY = "    dg:expiryCondition tr:no-stated-end-2019 ;\n"
EDITS = (
    ("one fact changed in a curated file (data/rights.ttl)", "data/rights.ttl", HOLDER, SWAPPED, 0),
    ("the same fact changed back", "data/rights.ttl", SWAPPED, HOLDER, 0),
    ("one fact added to the generated file (data/synthetic.nt, 1 of its lines)",
     "data/synthetic.nt", None, None, 0),
    ("one fact removed so that a shape fails (refused)", "data/rights.ttl", EXPIRY, "", 1),
)  # fmt: skip


def child_edit(folder: Path) -> dict:
    """Builds after edits of the project child_build published, each a new process timed
    whole; then a full build of the last sources, compared graph by graph."""
    from dealgraph.store import current_info

    command = [sys.executable, "-m", "dealgraph", "build", "--root", str(folder),
               "--store", str(folder / "store"), "--sources", str(folder / "texts")]  # fmt: skip
    out: dict = {"edits": []}
    for label, rel, old, new, expected in EDITS:
        path = folder / rel
        if old is None:  # a comment on the first generated right: a fact any shape allows
            line = path.open(encoding="utf-8").readline()
            comment = "<http://www.w3.org/2000/01/rdf-schema#comment>"
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f'{line.split(" ", 1)[0]} {comment} "edited" .\n')
        else:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if done.returncode != expected:
            raise RuntimeError(f"{label}: exit {done.returncode}\n{done.stderr[-2000:]}")
        if expected:  # undo the refused edit, so that the comparison below is of a build
            path.write_text(path.read_text(encoding="utf-8").replace(new, old, 1) if new
                            else text, encoding="utf-8")  # fmt: skip
        info = current_info(folder / "store")
        stages = info.timings if info is not None and not expected else {}
        applied = bool(info and info.based_on)
        out["edits"].append({"label": label, "seconds": seconds, "exit": done.returncode,
                             "stages": stages, "based_on": applied})  # fmt: skip
    again = [*command[:-4], "--store", str(folder / "full"), "--sources", str(folder / "texts")]
    full = subprocess.run([*again, "--full"], capture_output=True, text=True, check=False)
    if full.returncode != 0:
        raise RuntimeError(f"full build: {full.stderr[-2000:]}")
    out["full_equal"] = _fingerprints(folder / "store") == _fingerprints(folder / "full")
    return out


def _fingerprints(store_dir: Path) -> dict[str, tuple[int, int]]:
    """Per named graph of the published build: its triple count and an order-free hash of
    its triples (blank nodes counted, not named: their ids differ between builds)."""
    import pyoxigraph as ox

    from dealgraph.store import open_published

    store, _ = open_published(store_dir)
    found: dict[str, list[int]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        terms = ["_" if isinstance(t, ox.BlankNode) else str(t) for t in quad.triple]
        entry = found.setdefault(quad.graph_name.value, [0, 0])
        entry[0] += 1
        entry[1] = (entry[1] + hash(" ".join(terms))) % (1 << 64)
    return {graph: (count, digest) for graph, (count, digest) in found.items()}


def child_gate(folder: Path, pyshacl: bool, hermit: bool) -> dict:
    """The gate (SPARQL vs pyshacl), a one-fact re-check, and the rules vs HermiT."""
    import pyoxigraph as ox

    from dealgraph.gate import compile_shapes, gate
    from dealgraph.gate.incremental import recheck
    from dealgraph.gate.run import store_of
    from dealgraph.intime.derive import derive
    from dealgraph.load import load
    from dealgraph.reason import reason
    from dealgraph.rules.reasoning import reason_by_rules
    from dealgraph.settings import Settings
    from dealgraph.validate import validate

    out: dict = {}
    sources = load(Settings.create(folder, articles_dir=folder / "texts"))
    started = time.perf_counter()
    reasoning = reason_by_rules(sources.ontology, sources.facts, sources.defined_in)
    out["rules_s"] = time.perf_counter() - started
    if hermit:
        started = time.perf_counter()
        oracle = reason(sources.ontology, sources.data, sources.defined_in)
        out["hermit_s"] = time.perf_counter() - started
        out["rules_equal_hermit"] = set(oracle.inferred) == set(reasoning.inferred)
    derived = derive(sources.data, reasoning.inferred, sources.ontology)
    checks = compile_shapes(sources.shapes)
    started = time.perf_counter()
    store = store_of(sources.data, reasoning.inferred, derived, sources.ontology)
    out["store_s"] = time.perf_counter() - started
    out["union_triples"] = len(store)
    runs = []
    for _ in range(GATE_RUNS):  # the machine is shared: the median of a few runs
        started = time.perf_counter()
        full = gate(store, sources.shapes, sources.defined_in, checks)
        runs.append(time.perf_counter() - started)
    out["sparql_gate_s"] = sorted(runs)[len(runs) // 2]
    out["sparql_gate_runs"] = runs
    out["sparql_results"] = len(full.results)
    if pyshacl:
        started = time.perf_counter()
        report = validate(
            sources.data, reasoning.inferred + derived, sources.ontology, sources.shapes,
            sources.defined_in,
        )  # fmt: skip
        out["pyshacl_s"] = time.perf_counter() - started
        out["gates_agree"] = [r.focus_node for r in report.results] == [
            r.focus_node for r in full.results
        ]
    # one fact changes: the holder of a right is removed
    right = ox.NamedNode(synthetic.ID + "right/syn-1-v1-r1")
    holder = next(store.quads_for_pattern(right, ox.NamedNode(synthetic.DG + "holder"), None))
    store.remove(holder)
    started = time.perf_counter()
    after = gate(store, sources.shapes, sources.defined_in, checks)
    out["full_after_change_s"] = time.perf_counter() - started
    started = time.perf_counter()
    again = recheck(
        store, full, [(holder.subject, holder.predicate, holder.object)], sources.shapes,
        sources.defined_in, checks,
    )  # fmt: skip
    out["recheck_s"] = time.perf_counter() - started
    out["recheck_equal_full"] = again.results == after.results and not after.conforms
    out["python_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# --- the run ------------------------------------------------------------------------------


def _child(kind: str, folder: Path, *flags: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder), *flags],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{kind} on {folder} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _oxigraph_load(file: Path, work: Path) -> float:
    location = work / "oxigraph"
    shutil.rmtree(location, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(file)],
                   check=True, capture_output=True)  # fmt: skip
    seconds = time.perf_counter() - started
    shutil.rmtree(location, ignore_errors=True)
    return seconds


def measure(size: int, work: Path, pyshacl_max: int, hermit_max: int, say) -> dict:  # noqa: ANN001
    folder = work / f"project-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    info = synthetic.make_project(folder, size)
    row: dict = {
        "size": size,
        "generated": info.triples,
        "generate_s": time.perf_counter() - started,
    }
    say(f"{size:,}: generated {info.triples:,} triples in {row['generate_s']:.1f} s")
    row["load_average"] = os.getloadavg()
    row["oxigraph_load_s"] = _oxigraph_load(info.path, work)
    say(f"  oxigraph load {row['oxigraph_load_s']:.2f} s")
    row["build"] = _child("build", folder)
    say(f"  dealgraph build {row['build']['seconds']:.1f} s {row['build']['timings']}")
    row["edit"] = _child("edit", folder)
    row["edit"]["full_build_s"] = row["build"]["seconds"]  # the build the edits start from
    say(f"  builds after edits {row['edit']}")
    flags = (["--pyshacl"] if size <= pyshacl_max else []) + (
        ["--hermit"] if size <= hermit_max else []
    )
    row["gate"] = _child("gate", folder, *flags)
    say(f"  gate {row['gate']}")
    shutil.rmtree(folder, ignore_errors=True)
    row["measure_s"] = time.perf_counter() - started
    return row


def cold_query(work: Path, runs: int = 7) -> dict:
    """A cold ``dealgraph query`` (a new process each time) against a cold ``oxigraph query``
    on the same published store of the shipped data: medians of *runs*, and the imports."""
    import statistics

    from dealgraph.pipeline import build
    from dealgraph.settings import Settings
    from dealgraph.store import OXIGRAPH_FOLDER, current_build

    settings = Settings.create(ROOT, work / "shipped-store")
    build(settings)
    location = current_build(settings.store_dir) / OXIGRAPH_FOLDER  # type: ignore[operator]
    query = "ASK { ?s ?p ?o }"
    commands = {
        "dealgraph": [sys.executable, "-m", "dealgraph", "query", query,
                      "--store", str(settings.store_dir)],
        "oxigraph": [OXIGRAPH, "query", "--location", str(location), "--query", query,
                     "--results-format", "json"],
    }  # fmt: skip
    out: dict = {}
    for name, command in commands.items():
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        out[f"{name}_ms"] = statistics.median(times) * 1000
    importing = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import dealgraph.cli"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    total = [line for line in importing.stderr.splitlines() if line.endswith("dealgraph.cli")]
    out["import_cli_ms"] = int(total[-1].split("|")[1]) / 1000 if total else None
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000,300000")
    parser.add_argument("--pyshacl-max", type=int, default=30_000)
    parser.add_argument("--hermit-max", type=int, default=100_000)
    parser.add_argument("--out", type=Path, help="the Markdown report to write the section in")
    parser.add_argument("--cold-query", action="store_true", help="also time a cold query")
    parser.add_argument("--render", action="store_true", help="rewrite --out from the last results")
    parser.add_argument(
        "--gate-only", action="store_true", help="measure the gate again at --sizes only"
    )
    parser.add_argument(
        "--edit-only", action="store_true", help="measure builds after edits at --sizes only"
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--pyshacl", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--hermit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder = args.child
        if kind == "build":
            result = child_build(Path(folder))
        elif kind == "edit":
            result = child_edit(Path(folder))
        else:
            result = child_gate(Path(folder), args.pyshacl, args.hermit)
        print(json.dumps(result))
        return
    if args.render:  # the report again from the last results, without measuring
        rows = json.loads((RESULTS / "scale.json").read_text(encoding="utf-8"))
        from scale_report import write_section

        write_section(rows, args.out, sum(r.get("measure_s", 0) for r in rows), _machine())
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.gate_only:
        gate_again(sizes, args.out)
        return
    if args.edit_only:
        edit_again(sizes, args.out)
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="dealgraph-scale-") as work:
        cold = cold_query(Path(work)) if args.cold_query else None
        for size in sizes:
            rows.append(measure(size, Path(work), args.pyshacl_max, args.hermit_max, print))
            (RESULTS / "scale.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
        if cold is not None:
            rows.append({"cold_query": cold})
            (RESULTS / "scale.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    elapsed = time.perf_counter() - started
    if args.out:
        from scale_report import write_section

        write_section(rows, args.out, elapsed, _machine())
    print(f"done in {elapsed:.0f} s")


def gate_again(sizes: list[int], out: Path | None) -> None:
    """The gate child again at *sizes*, its figures put in the rows of the last results (the
    build's figures, measured with the gate as it was then, are kept and said to be older)."""
    for row, folder, load in _measured_again(sizes, out):
        row["gate"] = _child("gate", folder)
        runs = ", ".join(f"{s:.1f}" for s in row["gate"]["sparql_gate_runs"])
        row["gate_note"] = (
            f"the gate columns of this row were measured again on "
            f"{time.strftime('%Y-%m-%d %H:%M %Z')} (`python bench/scale.py --gate-only "
            f"--sizes {row['size']}`, load average {load:.1f}; SPARQL gate runs {runs} s, "
            "the median shown), after the gate's checks were merged into fewer queries; "
            "the build's figures above are from the first run, with the gate as it was then"
        )
        print(f"{row['size']:,}: gate {row['gate']}")


def edit_again(sizes: list[int], out: Path | None) -> None:
    """A full build then builds after edits at *sizes*, put in the rows of the last results
    (their other figures are kept)."""
    for row, folder, load in _measured_again(sizes, out):
        full = _child("build", folder)
        row["edit"] = _child("edit", folder)
        row["edit"]["full_build_s"] = full["seconds"]
        row["edit"]["note"] = (
            f"Builds after an edit measured on {time.strftime('%Y-%m-%d %H:%M %Z')} "
            f"(`python bench/scale.py --edit-only --sizes {','.join(map(str, sizes))}`, "
            f"load average {load:.1f} at the start); *full build* is the build they start "
            "from, measured in the same run."
        )
        print(f"{row['size']:,}: full build {full['seconds']:.1f} s, edits {row['edit']}")


def _measured_again(sizes: list[int], out: Path | None) -> Iterator[tuple[dict, Path, float]]:
    """For each of *sizes*: its row of the last results, a project generated afresh and the
    load average; after the last, the rows are saved and *out* rewritten."""
    rows = json.loads((RESULTS / "scale.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="dealgraph-scale-") as work:
        for size in sizes:
            folder = Path(work) / f"project-{size}"
            synthetic.make_project(folder, size)
            yield next(r for r in rows if r.get("size") == size), folder, os.getloadavg()[0]
            shutil.rmtree(folder, ignore_errors=True)
    _save_again(rows, out)


def _save_again(rows: list[dict], out: Path | None) -> None:
    """The results with some figures measured again: saved, and the section of *out*
    rewritten, still saying when its other figures were measured."""
    (RESULTS / "scale.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    if out:
        from scale_report import write_section

        first = re.search(r"--out docs/benchmarks\.md` on ([^(]+?) \(", out.read_text("utf-8"))
        elapsed = sum(r.get("measure_s", 0) for r in rows)
        write_section(rows, out, elapsed, _machine(), first.group(1) if first else "")


def _machine() -> dict[str, str]:
    import pyoxigraph

    return {
        "cpu": f"{os.cpu_count()} cores",
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
    }


if __name__ == "__main__":
    main()
