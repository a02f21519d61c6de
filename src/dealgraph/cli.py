"""The ``dealgraph`` command line (design.md §3): validate, build, query, timeline, serve, link,
enrich.

Exit codes: 0 success, 1 the data breaks the shapes, 2 unusable input (syntax errors, an
inconsistent ontology, missing folders or store, a bad query). Reports and query results go
to stdout; progress and errors go to stderr, so ``--format json`` output is pure JSON.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import pyoxigraph as ox
import typer

from .errors import EXIT_UNUSABLE, EXIT_VIOLATIONS, DealgraphError, ValidationFailed
from .namespaces import PREFIXES, WIKIDATA_QUERY_SERVICE, shorten
from .settings import ServeSettings, Settings
from .store import BuildInfo, StoreNotPublishedError, current_build, current_info, open_published
from .text_table import table

if TYPE_CHECKING:
    from .wikidata.candidates import Candidate
    from .wikidata.links import Entity

# The pipeline, reasoner, shapes and Wikidata client are imported inside the commands that
# use them: a query, and the server's worker processes, start without them.
KINDS = ("company", "person", "product", "organization")  # wikidata.candidates.KIND_TYPES

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
SourcesOption = Annotated[
    Path | None,
    typer.Option(
        "--sources",
        help="Folder of source texts (the articles) every verbatim quote is proven against "
        "(default: $DEALGRAPH_ARTICLES, else ../shared/articles beside the project folder).",
        exists=True,
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


def _settings(
    ctx: typer.Context, root: Path | None, store: Path | None = None, sources: Path | None = None
) -> Settings:
    """Settings from the command's --root, else the global one, else the default."""
    chosen = root or (ctx.obj or {}).get("root")
    return Settings.create(chosen, store, sources)


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
    sources: SourcesOption = None,
    root: RootOption = None,
) -> None:
    """Load, reason, validate; print the report. Exit 0 conforms, 1 violations, 2 unusable input."""
    from .pipeline import check
    from .report import format_report

    settings = _settings(ctx, root, sources=sources)
    progress = _Progress()
    try:
        result = check(settings, progress)
    except DealgraphError as error:
        _fail(error)
    progress.done()
    if result.reasoning.skipped_reason:
        _warn(result.reasoning.skipped_reason)
    if result.quotes.skipped_reason:
        _warn(result.quotes.skipped_reason)
    elif result.quotes.checked:
        _note(
            f"{result.quotes.checked} verbatim quotes checked against their source texts in "
            f"{result.quotes.folder}"
        )
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
def build_command(
    ctx: typer.Context,
    store: StoreOption = None,
    sources: SourcesOption = None,
    root: RootOption = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Build everything again, even when only facts changed since the current "
            "build (by default such an edit is applied to it: only what it touches is "
            "checked again).",
        ),
    ] = False,
) -> None:
    """Validate, then publish the store atomically. Same exit codes as validate."""
    from .pipeline import WIKIDATA_GRAPH, build
    from .quotes import unproven_reason
    from .report import format_report

    settings = _settings(ctx, root, store, sources)
    if reason := unproven_reason(settings.articles_dir):
        _warn(reason)
    progress = _Progress()
    try:
        info = build(settings, progress, full=full, note=progress.note)
    except ValidationFailed as error:
        sys.stdout.write(format_report(error.report, "text"))
        _fail(error, "nothing was published; the current store is unchanged")
    except DealgraphError as error:
        _fail(error, "nothing was published; the current store is unchanged")
    progress.done()
    if str(WIKIDATA_GRAPH) not in info.triples:
        _note(NO_SNAPSHOT_NOTE)
    typer.echo(f"published build {info.build_id} in {settings.store_dir}")
    if info.based_on:
        typer.echo(f"  made from build {info.based_on} and the facts edited since")
    width = max(len(iri) for iri in info.triples)
    for iri, count in info.triples.items():
        typer.echo(f"  {iri:<{width}}  {count:>8} triples")
    typer.echo(f"  {'total':<{width}}  {info.total_triples:>8} triples")
    typer.echo("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in info.timings.items()))


@app.command("push")
def push_command(
    ctx: typer.Context,
    url: Annotated[
        str, typer.Argument(help="Graph Store Protocol endpoint, e.g. http://host:7878/store.")
    ],
    update: Annotated[
        str | None,
        typer.Option(
            "--update",
            help="SPARQL Update endpoint of the same store: replace the "
            "live graphs in one request (MOVE), atomically where the store allows.",
        ),
    ] = None,
    graph_param: Annotated[
        str, typer.Option("--graph-param", help="Query parameter naming a graph.")
    ] = "graph",
    user: Annotated[
        str | None, typer.Option("--user", help="USER:PASSWORD for HTTP authentication.")
    ] = None,
    digest: Annotated[
        bool, typer.Option("--digest", help="Digest rather than basic authentication (Virtuoso).")
    ] = False,
    store: StoreOption = None,
    root: RootOption = None,
) -> None:
    """Push the published build into a SPARQL 1.1 Graph Store Protocol store (docs/deploy.md)."""
    import httpx

    from .push import push

    settings = _settings(ctx, root, store)
    auth = None
    if user:
        name, _, password = user.partition(":")
        auth = httpx.DigestAuth(name, password) if digest else httpx.BasicAuth(name, password)
    try:
        result = push(settings.store_dir, url, update, graph_param, auth=auth,
                      progress=lambda message: typer.echo(message, err=True))  # fmt: skip
    except (DealgraphError, StoreNotPublishedError) as error:
        _fail(error if isinstance(error, DealgraphError) else str(error))
    typer.echo(f"pushed build {result.build_id} to {url}")
    for iri, count in result.graphs.items():
        typer.echo(f"  {iri}  {count} triples")


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
    """Run a read-only SPARQL query on the published store (prefixes of the README's table
    predeclared)."""
    from dataclasses import replace

    from .engine import SPARQL_JSON, QueryJob, execute, open_build
    from .sandbox import SandboxUnavailableError, call_offline
    from .sparql_text import QueryRefusedError, guard

    settings = _settings(ctx, root, store)
    text, origin = _query_text(query, file)
    allowed = ServeSettings.from_env().allowed_services
    try:  # the endpoint's guard
        guarded = guard(text, allowed)
    except QueryRefusedError as refused:
        _fail(f"{origin}: {refused.message}")
    try:
        db, info = open_published(settings.store_dir)
    except StoreNotPublishedError:
        _fail(f"no published store in {settings.store_dir}: run 'dealgraph build' first")
    tabular, graph = _RESULT_TYPES[fmt]
    job = QueryJob(
        build_dir="",
        query=guarded.text,
        tabular_type=tabular,
        graph_type=graph,
        prefixes={p: ns for p, ns in PREFIXES.items() if p != "id"},
        origin=origin,
    )
    build = current_build(settings.store_dir)
    try:  # a query that needs no network runs in a child process that has none
        if guarded.needs_network:
            raise SandboxUnavailableError("this query calls an allowlisted SERVICE")
        if strict := _strictly_offline(text, allowed):
            # The guard's character rule proves the engine can read no SERVICE in this text:
            # no child is needed (forking one and opening the store again cost ~30 ms).
            outcome = execute(db, replace(job, query=strict))
        else:
            outcome = call_offline(lambda: execute(open_build(str(build)), job))
    except SandboxUnavailableError:
        try:  # no sandbox here: the guard's strict rule instead
            guard(text, allowed, sandboxed=guarded.needs_network)
        except QueryRefusedError as refused:
            _fail(f"{origin}: {refused.message}")
        outcome = execute(db, job)
    if outcome.status == 406:
        _fail(_WRONG_FORMAT[graph is None])
    if outcome.status != 200:
        _fail(outcome.message)
    if fmt is ResultFormat.table and outcome.media_type == SPARQL_JSON:
        _print_table(json.loads(outcome.body))
    else:
        sys.stdout.buffer.write(outcome.body)
        sys.stdout.flush()


def _strictly_offline(text: str, allowed: tuple[str, ...]) -> str | None:
    """The text to run when the guard's strict rule (the one for hosts without a sandbox)
    accepts *text* as calling no SERVICE at all; None when only a sandbox can make it safe."""
    from .sparql_text import QueryRefusedError, guard

    try:
        strict = guard(text, allowed, sandboxed=False)
    except QueryRefusedError:
        return None
    return None if strict.needs_network else strict.text


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
    from .timeline import render_svg, timeline_data, timeline_rows

    settings = _settings(ctx, root, store)
    try:
        db, _ = open_published(settings.store_dir)
    except StoreNotPublishedError:
        _fail(f"no published store in {settings.store_dir}: run 'dealgraph build' first")
    try:
        timeline = timeline_data(**timeline_rows(db))
    except (SyntaxError, OSError) as error:  # a broken store, not the user's input
        _fail(f"the timeline queries failed: {error}")
    try:
        output.write_text(render_svg(timeline), encoding="utf-8")
    except OSError as error:
        _fail(f"{output}: cannot write the timeline: {error}")
    _note(
        f"timeline of {len(timeline.milestones)} agreements, {len(timeline.rights)} rights and "
        f"{len(timeline.stakes)} stakes written to {output}"
    )


def _help_settings(show: bool) -> None:
    if show:
        typer.echo(ServeSettings.help_table(), nl=False)
        raise typer.Exit(0)


@app.command("serve")
def serve_command(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
    store: StoreOption = None,
    timeout: Annotated[float | None, typer.Option(help="Query timeout in seconds.")] = None,
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
    access_log: Annotated[
        bool | None, typer.Option("--access-log/--no-access-log", help="Log each request.")
    ] = None,
    no_build: Annotated[
        bool,
        typer.Option(
            "--no-build",
            help="Serve the store as it was last published, without checking the sources.",
        ),
    ] = False,
    help_settings: Annotated[
        bool,
        typer.Option(
            "--help-settings",
            help="Show every setting of the server with its default, and exit.",
            callback=_help_settings,
            is_eager=True,
        ),
    ] = False,
    root: RootOption = None,
) -> None:
    """Build when the sources changed (the gate), then serve the SPARQL endpoint."""
    settings = _settings(ctx, root, store)
    try:
        serve = ServeSettings.from_env(
            host=host,
            port=port,
            timeout=timeout,
            workers=workers,
            allowed_services=tuple(allow_service) if allow_service else None,
            access_log=access_log,
        )
    except ValueError as error:
        _fail(str(error))
    info = _current_build(settings) if no_build else _gated_build(settings)
    _note(
        f"serving build {info.build_id} ({info.total_triples} triples) "
        f"on http://{serve.host}:{serve.port}/"
    )
    from .web.server import run  # the web stack loads only when serving

    run(settings, serve)


def _gated_build(settings: Settings) -> BuildInfo:
    """The current build if the sources have not changed since, else a new one (the gate)."""
    from .pipeline import ensure_built
    from .report import format_report

    progress = _Progress()
    try:
        info = ensure_built(settings, progress)
    except ValidationFailed as error:
        sys.stdout.write(format_report(error.report, "text"))
        _fail(error, "refusing to serve data that breaks the shapes")
    except DealgraphError as error:
        _fail(error)
    progress.done()
    return info


def _current_build(settings: Settings) -> BuildInfo:
    """The build last published in the store (``--no-build``)."""
    try:
        info = current_info(settings.store_dir)
    except DealgraphError as error:  # a damaged build.json: one sentence, no traceback
        _fail(error)
    if info is None:
        _fail(f"no published store in {settings.store_dir}: run 'dealgraph build' first")
    return info


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
    endpoint: EndpointOption = WIKIDATA_QUERY_SERVICE,
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
    from .load import load
    from .wikidata.candidates import accepted, find_candidates
    from .wikidata.links import linked_items, links_turtle, unlinked

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
    endpoint: EndpointOption = WIKIDATA_QUERY_SERVICE,
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
    from .load import load
    from .wikidata.enrich import SNAPSHOT_FILE, enrich
    from .wikidata.links import linked_items

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


class TimeFormat(StrEnum):
    table = "table"
    json = "json"


TimeFormatOption = Annotated[TimeFormat, typer.Option("--format", "-F", help="Output format.")]


@app.command("asof")
def asof_command(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(metavar="DATE", help="The day, as YYYY-MM-DD.")],
    holder: Annotated[
        str | None,
        typer.Option(
            "--holder",
            help="Only the rights of this holder: a name (case and accents ignored) or an IRI.",
        ),
    ] = None,
    fmt: TimeFormatOption = TimeFormat.table,
    store: StoreOption = None,
    root: RootOption = None,
) -> None:
    """The rights in force on DATE (no AGI assumed); builds first if the sources changed."""
    from .intime.asof import rights_in_force
    from .intime.periods import parse_day
    from .intime.text import asof_table

    settings = _settings(ctx, root, store)
    try:
        answer = rights_in_force(_published_store(settings), parse_day(day), holder)
    except DealgraphError as error:
        _fail(error)
    _print_time_answer(answer, fmt, asof_table)


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    start: Annotated[
        str, typer.Argument(metavar="FROM", help="A day (YYYY-MM-DD) or an agreement IRI.")
    ],
    end: Annotated[
        str, typer.Argument(metavar="TO", help="A day (YYYY-MM-DD) or an agreement IRI.")
    ],
    fmt: TimeFormatOption = TimeFormat.table,
    store: StoreOption = None,
    root: RootOption = None,
) -> None:
    """The rights kept, ended, new and revised from FROM to TO (an agreement: its first day)."""
    from .intime.diff import diff
    from .intime.text import diff_table

    settings = _settings(ctx, root, store)
    try:
        result = diff(_published_store(settings), start, end)
    except DealgraphError as error:
        _fail(error)
    _print_time_answer(result, fmt, diff_table)


def _print_time_answer(answer: Any, fmt: TimeFormat, as_table: Callable[[Any], str]) -> None:
    """An answer of ``asof`` or ``diff``: its JSON, or its plain-text table."""
    if fmt is TimeFormat.json:
        typer.echo(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(as_table(answer))


def _published_store(settings: Settings) -> ox.Store:
    """The published store, built first (through the gate) when the sources changed since:
    an answer about the deal in time must come from the data as it is now."""
    from .pipeline import ensure_built

    try:
        ensure_built(settings, _Progress())  # says nothing when the build is current
        db, _ = open_published(settings.store_dir)
    except ValidationFailed as error:
        _fail(error, "nothing was published; run 'dealgraph validate' to see the violations")
    except DealgraphError as error:
        _fail(error)
    return db


# --- helpers ---------------------------------------------------------------------------


class _Progress:
    """Progress on stderr: each stage as it starts, with the time elapsed since the start."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, stage: str) -> None:
        _note(f"[{time.perf_counter() - self.started:6.2f} s] {stage}…")

    def done(self) -> None:
        _note(f"[{time.perf_counter() - self.started:6.2f} s] done")

    def note(self, message: str) -> None:
        """Say *message* among the stages."""
        _note(f"[{time.perf_counter() - self.started:6.2f} s] {message}")


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
    for line in table(["qid", "label", "description", "score"], rows).splitlines():
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


_RESULT_TYPES: dict[ResultFormat, tuple[str | None, str | None]] = {
    ResultFormat.table: ("application/sparql-results+json", "text/turtle"),
    ResultFormat.json: ("application/sparql-results+json", None),
    ResultFormat.csv: ("text/csv", None),
    ResultFormat.tsv: ("text/tab-separated-values", None),
    ResultFormat.turtle: (None, "text/turtle"),
}
_WRONG_FORMAT = {
    True: "CONSTRUCT and DESCRIBE results are RDF: use --format turtle",
    False: "SELECT results are a table: use --format table, json, csv or tsv",
}


def _print_table(answer: dict) -> None:
    """A SPARQL JSON answer as an aligned table (ASK as true or false)."""
    if "boolean" in answer:
        typer.echo("true" if answer["boolean"] else "false")
        return
    variables = answer["head"]["vars"]
    rows = [[_cell(row.get(v)) for v in variables] for row in answer["results"]["bindings"]]
    sys.stdout.write(table(variables, rows))
    _note(f"{len(rows)} row{'s' * (len(rows) != 1)}")


def _cell(term: dict | None) -> str:
    """A readable table cell: prefixed IRIs, literal values with their language tag."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return shorten(term["value"]) or f"<{term['value']}>"
    if term["type"] == "bnode":
        return f"_:{term['value']}"
    lang = term.get("xml:lang")
    return f"{term['value']}@{lang}" if lang else term["value"]


if __name__ == "__main__":  # pragma: no cover
    app()
