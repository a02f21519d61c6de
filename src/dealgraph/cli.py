"""The ``dealgraph`` command line (design.md §3): validate, build, query, timeline, serve, link,
enrich.

Exit codes: 0 success, 1 the data breaks the shapes, 2 unusable input (syntax errors, an
inconsistent ontology, missing folders or store, a bad query). Reports and query results go
to stdout; progress and errors go to stderr, so ``--format json`` output is pure JSON.
"""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import pyoxigraph as ox
import typer

from .errors import EXIT_UNUSABLE, EXIT_VIOLATIONS, DealgraphError, ValidationFailed
from .load import load
from .pipeline import WIKIDATA_GRAPH, build, check, ensure_built
from .report import DEFAULT_PREFIXES, format_report
from .settings import Settings
from .store import StoreNotPublishedError, open_published
from .timeline import QUERIES as TIMELINE_QUERIES
from .timeline import render_svg, timeline_data
from .wikidata.candidates import KINDS, Candidate, accepted, find_candidates
from .wikidata.client import DEFAULT_ENDPOINT
from .wikidata.enrich import SNAPSHOT_FILE, enrich
from .wikidata.links import Entity, linked_items, links_turtle, unlinked

app = typer.Typer(
    name="dealgraph",
    help="A knowledge graph of corporate AI deals: validate, build, query and serve it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RootOption = Annotated[
    Path | None,
    typer.Option(
        "--root",
        help="Project folder holding ontology/, data/, shapes/ and queries/ "
        "(default: the current folder when it has them, else the packaged copy).",
        file_okay=False,
    ),
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store folder (default: $DEALGRAPH_STORE, else ROOT/.dealgraph/store).",
        file_okay=False,
    ),
]


class ReportFormat(StrEnum):
    text = "text"
    turtle = "turtle"
    json = "json"
    junit = "junit"


class LinkFormat(StrEnum):
    table = "table"
    json = "json"


Kind = StrEnum("Kind", {kind: kind for kind in KINDS})  # company, person, product, organization

EndpointOption = Annotated[
    str,
    typer.Option(
        "--endpoint",
        help="Wikidata SPARQL endpoint (the Wikidata Query Service, QLever, or a local mirror).",
    ),
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", help="Seconds to wait for each answer of the endpoint.")
]
RetriesOption = Annotated[
    int, typer.Option("--retries", help="Tries after the first on 429, 5xx and network errors.")
]

NO_SNAPSHOT_NOTE = (
    "no Wikidata snapshot in data/wikidata/: the graph is built without Wikidata facts "
    "(run 'dealgraph enrich' where a Wikidata endpoint can be reached)"
)


class ResultFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    turtle = "turtle"


@app.callback()
def main(ctx: typer.Context, root: RootOption = None) -> None:
    """A knowledge graph of corporate AI deals, validated by SHACL, served over SPARQL."""
    ctx.obj = {"root": root}


def _settings(ctx: typer.Context, root: Path | None, store: Path | None = None) -> Settings:
    """Settings from the command's --root, else the global one, else the default."""
    chosen = root or (ctx.obj or {}).get("root")
    return Settings.create(chosen, store)


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-F", help="Report format.")
    ] = ReportFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to FILE.", dir_okay=False),
    ] = None,
    root: RootOption = None,
) -> None:
    """Load, reason, validate; print the report. Exit 0 conforms, 1 violations, 2 unusable input."""
    settings = _settings(ctx, root)
    progress = _Progress()
    try:
        result = check(settings, progress)
    except DealgraphError as error:
        _fail(error)
    progress.done()
    if result.reasoning.skipped_reason:
        _warn(result.reasoning.skipped_reason)
    if not len(result.sources.wikidata):
        _note(NO_SNAPSHOT_NOTE)
    text = format_report(result.report, fmt.value)
    if output is not None:
        output.write_text(text, encoding="utf-8")
        _note(f"report written to {output}")
    else:
        sys.stdout.write(text)
    if fmt is not ReportFormat.text or output is not None:
        _note(_verdict(result.report.conforms, len(result.report.violations)))
    raise typer.Exit(0 if result.conforms else EXIT_VIOLATIONS)


@app.command("build")
def build_command(ctx: typer.Context, store: StoreOption = None, root: RootOption = None) -> None:
    """Validate, then publish the store atomically. Same exit codes as validate."""
    settings = _settings(ctx, root, store)
    progress = _Progress()
    try:
        info = build(settings, progress)
    except ValidationFailed as error:
        sys.stdout.write(format_report(error.report, "text"))
        _fail(error, "nothing was published; the current store is unchanged")
    except DealgraphError as error:
        _fail(error, "nothing was published; the current store is unchanged")
    progress.done()
    if str(WIKIDATA_GRAPH) not in info.triples:
        _note(NO_SNAPSHOT_NOTE)
    typer.echo(f"published build {info.build_id} in {settings.store_dir}")
    width = max(len(iri) for iri in info.triples)
    for iri, count in info.triples.items():
        typer.echo(f"  {iri:<{width}}  {count:>8} triples")
    typer.echo(f"  {'total':<{width}}  {info.total_triples:>8} triples")
    typer.echo("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in info.timings.items()))


@app.command("query")
def query_command(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="A SPARQL query (or use -f FILE).")] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", "-f", help="Read the query from FILE.", exists=False, dir_okay=False
        ),
    ] = None,
    fmt: Annotated[
        ResultFormat, typer.Option("--format", "-F", help="Result format.")
    ] = ResultFormat.table,
    store: StoreOption = None,
    root: RootOption = None,
) -> None:
    """Run a read-only SPARQL query on the published store."""
    settings = _settings(ctx, root, store)
    text, origin = _query_text(query, file)
    try:
        db, _ = open_published(settings.store_dir)
    except StoreNotPublishedError:
        _fail(f"no published store in {settings.store_dir}: run 'dealgraph build' first")
    try:
        results = db.query(text, use_default_graph_as_union=True)
    except SyntaxError as error:
        if _is_update(text):
            _fail(f"{origin}: update queries are refused: the store is read-only")
        _fail(_query_syntax_message(origin, str(error)))
    except OSError as error:
        _fail(f"{origin}: the query failed: {error}")
    _print_results(results, fmt)


@app.command("timeline")
def timeline_command(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Write the SVG picture to FILE.", dir_okay=False),
    ] = Path("timeline.svg"),
    store: StoreOption = None,
    root: RootOption = None,
) -> None:
    """Draw the deal's timeline (agreements, rights, stakes) from the published store as SVG."""
    settings = _settings(ctx, root, store)
    try:
        db, _ = open_published(settings.store_dir)
    except StoreNotPublishedError:
        _fail(f"no published store in {settings.store_dir}: run 'dealgraph build' first")
    rows = {}
    for name, text in TIMELINE_QUERIES.items():
        try:
            results = db.query(text, use_default_graph_as_union=True)
        except (SyntaxError, OSError) as error:  # a broken store, not the user's input
            _fail(f"the timeline query '{name}' failed: {error}")
        answer = json.loads(results.serialize(format=ox.QueryResultsFormat.JSON))
        rows[name] = answer["results"]["bindings"]
    timeline = timeline_data(**rows)
    try:
        output.write_text(render_svg(timeline), encoding="utf-8")
    except OSError as error:
        _fail(f"{output}: cannot write the timeline: {error}")
    _note(
        f"timeline of {len(timeline.milestones)} agreements, {len(timeline.rights)} rights and "
        f"{len(timeline.stakes)} stakes written to {output}"
    )


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    store: StoreOption = None,
    timeout: Annotated[float, typer.Option(help="Query timeout in seconds.")] = 30.0,
    workers: Annotated[
        int | None, typer.Option(help="Query worker processes (default: CPU count, at least 2).")
    ] = None,
    allow_service: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-service",
            help="SPARQL endpoint a SERVICE clause may call (repeatable; "
            "default: the Wikidata Query Service).",
        ),
    ] = None,
    root: RootOption = None,
) -> None:
    """Build when the sources changed (the gate), then serve the SPARQL endpoint."""
    settings = _settings(ctx, root, store)
    progress = _Progress()
    try:
        info = ensure_built(settings, progress)
    except ValidationFailed as error:
        sys.stdout.write(format_report(error.report, "text"))
        _fail(error, "refusing to serve data that breaks the shapes")
    except DealgraphError as error:
        _fail(error)
    progress.done()
    _note(f"serving build {info.build_id} ({info.total_triples} triples) on http://{host}:{port}/")
    from .web.server import run  # the web stack loads only when serving

    allowed = allow_service if allow_service else ["https://query.wikidata.org/sparql"]
    run(settings, host, port, timeout, workers, allowed)


@app.command("link")
def link_command(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Option("--name", help="A name to look up (else: every entity without a link)."),
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option("--kind", help="What the name is: steers the ranking (needed with --name)."),
    ] = None,
    endpoint: EndpointOption = DEFAULT_ENDPOINT,
    fmt: Annotated[LinkFormat, typer.Option("--format", "-F", help="Output format.")] = (
        LinkFormat.table
    ),
    write: Annotated[
        Path | None,
        typer.Option(
            "--write",
            help="Write the accepted links as Turtle to FILE, for review.",
            dir_okay=False,
        ),
    ] = None,
    timeout: TimeoutOption = 30.0,
    retries: RetriesOption = 3,
    root: RootOption = None,
) -> None:
    """Ranked Wikidata candidates for a name, or for every entity without a link."""
    options = {"timeout": timeout, "retries": retries}
    if name is not None:
        if kind is None:
            _fail("--name needs --kind (company, person, product or organization)")
        if write is not None:
            _fail("--write records links of the graph's entities: use it without --name")
        try:
            found = find_candidates(endpoint, {"name": (kind.value, [name])}, **options)["name"]
        except DealgraphError as error:
            _fail(error)
        if fmt is LinkFormat.json:
            typer.echo(json.dumps({"candidates": [c.as_json() for c in found]}, indent=2))
        else:
            _echo_candidates(found)
        return

    settings = _settings(ctx, root)
    try:
        sources = load(settings)
    except DealgraphError as error:
        _fail(error)
    todo = [e for e in unlinked(sources.data, sources.ontology) if kind is None or e.kind == kind]
    try:
        found_by_iri = find_candidates(
            endpoint, {e.iri: (e.kind, list(e.names)) for e in todo}, **options
        )
    except DealgraphError as error:
        _fail(error)
    choices = [
        (e, found_by_iri.get(e.iri, []), accepted(found_by_iri.get(e.iri, []))) for e in todo
    ]
    if fmt is LinkFormat.json:
        typer.echo(json.dumps({"entities": [_entity_json(*c) for c in choices]}, indent=2))
    else:
        for entity, found, best in choices:
            chosen = f"accepted {best.qid}" if best else "no clear candidate"
            typer.echo(f"{entity.iri} ({entity.kind}; {' / '.join(entity.names)}): {chosen}")
            _echo_candidates(found, indent="  ")
    links = [(entity, best) for entity, _, best in choices if best is not None]
    _note(
        f"{len(todo)} entit{'ies' if len(todo) != 1 else 'y'} without a Wikidata link "
        f"({len(linked_items(sources.data))} linked); {len(links)} with a clear candidate"
    )
    if write is not None:
        write.write_text(links_turtle(links, endpoint), encoding="utf-8")
        _note(f"{len(links)} proposed link{'s' * (len(links) != 1)} written to {write} for review")


@app.command("enrich")
def enrich_command(
    ctx: typer.Context,
    endpoint: EndpointOption = DEFAULT_ENDPOINT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Snapshot file (default: data/wikidata/snapshot.ttl).",
            dir_okay=False,
        ),
    ] = None,
    timeout: TimeoutOption = 60.0,
    retries: RetriesOption = 3,
    root: RootOption = None,
) -> None:
    """Snapshot chosen Wikidata facts about the linked items into data/wikidata/."""
    settings = _settings(ctx, root)
    try:
        sources = load(settings)
    except DealgraphError as error:
        _fail(error)
    qids = sorted(set(linked_items(sources.data).values()), key=lambda q: int(q[1:]))
    if not qids:
        _fail("no entity has an owl:sameAs link to a Wikidata item: run 'dealgraph link' first")
    target = output or settings.data_dir / SNAPSHOT_FILE
    retrieved = datetime.now(UTC)
    try:
        snapshot = enrich(
            endpoint, qids, target, retrieved=retrieved, timeout=timeout, retries=retries
        )
    except DealgraphError as error:
        _fail(error)
    _note(
        f"wrote {len(snapshot)} triples about {len(qids)} Wikidata items to {target} "
        f"(retrieved {retrieved.isoformat(timespec='seconds')} from {endpoint})"
    )


# --- helpers ---------------------------------------------------------------------------


class _Progress:
    """Progress on stderr: each stage as it starts, with the time elapsed since the start."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, stage: str) -> None:
        _note(f"[{time.perf_counter() - self.started:6.2f} s] {stage}…")

    def done(self) -> None:
        _note(f"[{time.perf_counter() - self.started:6.2f} s] done")


def _note(message: str) -> None:
    typer.echo(message, err=True)


def _warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def _fail(error: DealgraphError | str, consequence: str = "") -> NoReturn:
    """Say what went wrong in one sentence on stderr and exit with the matching code."""
    code = error.exit_code if isinstance(error, DealgraphError) else EXIT_UNUSABLE
    message = f"error: {error}"
    if consequence:
        message += f" ({consequence})"
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _echo_candidates(found: list[Candidate], indent: str = "") -> None:
    """Candidates as an aligned table (or a line saying there are none)."""
    if not found:
        typer.echo(f"{indent}(no item has this name as label or alias)")
        return
    rows = [[c.qid, c.label, c.description, f"{c.score:g}"] for c in found]
    for line in _table(["qid", "label", "description", "score"], rows).splitlines():
        typer.echo(indent + line)


def _entity_json(entity: Entity, found: list[Candidate], best: Candidate | None) -> dict:
    return {
        "entity": entity.iri,
        "kind": entity.kind,
        "names": list(entity.names),
        "accepted": best.qid if best else None,
        "candidates": [c.as_json() for c in found],
    }


def _verdict(conforms: bool, violations: int) -> str:
    if conforms:
        return "the data conforms to the shapes"
    return f"the data breaks the shapes: {violations} violation{'s' * (violations != 1)}"


def _query_text(query: str | None, file: Path | None) -> tuple[str, str]:
    """The query and where it comes from (for messages)."""
    if (query is None) == (file is None):
        _fail("give a query either as an argument or with -f FILE (exactly one of the two)")
    if file is not None:
        try:
            return file.read_text(encoding="utf-8"), str(file)
        except (OSError, UnicodeDecodeError) as error:
            _fail(f"{file}: cannot read the query: {error}")
    return query or "", "query"


def _is_update(text: str) -> bool:
    """True when *text* parses as a SPARQL update (parsed only, never executed)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:  # any parse failure: not an update
        return False
    return True


def _query_syntax_message(origin: str, message: str) -> str:
    """``origin:line:column: SPARQL syntax error: …`` from pyoxigraph's ``error at L:C: …``."""
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if match:
        line, column, reason = match.groups()
        return f"{origin}:{line}:{column}: SPARQL syntax error: {reason.strip()}"
    return f"{origin}: SPARQL syntax error: {message}"


def _print_results(results: object, fmt: ResultFormat) -> None:
    out = sys.stdout.buffer
    if isinstance(results, ox.QueryBoolean):
        if fmt in (ResultFormat.table, ResultFormat.turtle):
            typer.echo("true" if bool(results) else "false")
        else:
            out.write(results.serialize(format=_RESULT_FORMATS[fmt]))
            out.flush()
        return
    if isinstance(results, ox.QueryTriples):
        if fmt not in (ResultFormat.table, ResultFormat.turtle):
            _fail("CONSTRUCT and DESCRIBE results are RDF: use --format turtle")
        prefixes = {p: ns for p, ns in DEFAULT_PREFIXES.items() if p != "id"}
        out.write(ox.serialize(results, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
        out.flush()
        return
    if fmt is ResultFormat.turtle:
        _fail("SELECT results are a table: use --format table, json, csv or tsv")
    if fmt is ResultFormat.table:
        variables = [v.value for v in results.variables]
        rows = [[_cell(solution[v]) for v in variables] for solution in results]
        sys.stdout.write(_table(variables, rows))
        _note(f"{len(rows)} row{'s' * (len(rows) != 1)}")
        return
    out.write(results.serialize(format=_RESULT_FORMATS[fmt]))
    out.flush()


_RESULT_FORMATS = {
    ResultFormat.json: ox.QueryResultsFormat.JSON,
    ResultFormat.csv: ox.QueryResultsFormat.CSV,
    ResultFormat.tsv: ox.QueryResultsFormat.TSV,
}


def _cell(term: object) -> str:
    """A readable table cell: prefixed IRIs, literal values with their language tag."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        iri = term.value
        for prefix, namespace in DEFAULT_PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return str(term)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """An aligned plain-text table with a header rule."""
    rows = [[cell.replace("\n", " ") for cell in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    app()
