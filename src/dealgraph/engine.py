"""The query engine: a pure ``execute(store, job)`` over a published store.

The same function answers ``dealgraph query`` in the command line and every job of the web
server's worker processes, so both give the same answers and the same errors. It knows
nothing of HTTP or processes: a job goes in, a complete :class:`Outcome` (status, media type,
body) comes out, and the whole answer is serialized before anything is returned, so a query
stopped half-way never yields partial output.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import time
from dataclasses import dataclass, field
from typing import BinaryIO

import pyoxigraph

from .namespaces import PREFIXES
from .store import OXIGRAPH_FOLDER

SPARQL_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class QueryJob:
    """Run ``query`` on the build in ``build_dir``.

    ``tabular_type`` / ``graph_type`` are the media types to answer SELECT/ASK and
    CONSTRUCT/DESCRIBE with (None: the client accepts no such format). ``default_graphs`` /
    ``named_graphs`` set the dataset (None: the union default graph unless the query has
    FROM). ``bindings`` pre-binds variables to IRIs safely; ``prefixes`` abbreviate RDF output.
    ``origin`` names the query in error messages (a file name, or ``query``). ``base_iri``
    resolves the query's relative IRIs (the endpoint's URL over HTTP). An answer larger than
    ``max_answer_bytes`` (0: no cap) is refused; one larger than ``spill_bytes`` is written to
    ``spill_path`` (when given) instead of memory, and the outcome names that file.
    """

    build_dir: str
    query: str
    tabular_type: str | None = SPARQL_JSON
    graph_type: str | None = "text/turtle"
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default: bool = True
    bindings: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    origin: str = "query"
    base_iri: str | None = None
    max_answer_bytes: int = 0
    spill_path: str = ""
    spill_bytes: int = 1 << 20

    def cache_key(self) -> tuple:
        """What makes two jobs give the same answer (the bindings and prefixes aside)."""
        return (
            self.build_dir, self.query, self.tabular_type, self.graph_type,
            self.default_graphs, self.named_graphs, self.union_default, self.base_iri,
        )  # fmt: skip


@dataclass(frozen=True)
class DumpJob:
    """Serialize the whole build as ``media_type`` (quads keep their graphs)."""

    build_dir: str
    media_type: str = "application/n-quads"
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))


@dataclass(frozen=True)
class TimelineJob:
    """Draw the timeline picture (SVG) of the build."""

    build_dir: str


@dataclass(frozen=True)
class TimeJob:
    """A question about time: ``asof`` (args: day, holder or "") or ``diff`` (args: from, to).
    The answer is the JSON of :mod:`dealgraph.intime`."""

    build_dir: str
    question: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class PingJob:
    """Answer at once; with a ``build_dir``, open that build first (a worker's warm-up)."""

    build_dir: str = ""


Job = QueryJob | DumpJob | TimelineJob | TimeJob | PingJob


@dataclass(frozen=True)
class Outcome:
    """A finished job: an HTTP-like status, the media type and the complete body (or, for a
    large answer, the ``path`` of the file that holds it, of ``size`` bytes)."""

    status: int
    media_type: str
    body: bytes
    elapsed: float = 0.0
    path: str = ""
    size: int = 0

    @property
    def message(self) -> str:
        """The body as text (an error's one-sentence message)."""
        return self.body.decode("utf-8", "replace").strip()


def failure(status: int, message: str) -> Outcome:
    """An error outcome: *status* and a one-sentence plain-text *message*."""
    return Outcome(status, "text/plain; charset=utf-8", message.encode("utf-8"))


# A character class of the parser's "expected …" list (Unicode ranges of name characters).
_CHARACTER_CLASS = re.compile(r"\[(?:'[^']*'|[^\]'])*\]")


def _readable_reason(reason: str) -> str:
    """pyoxigraph's reason on one line, its lists of Unicode ranges said in words."""
    reason = " ".join(reason.split())
    if "Prefix not found" in reason:
        names = ", ".join(f"{p}:" for p in PREFIXES)
        return (
            "undeclared prefix just before this point: declare it with a PREFIX line "
            f"or use a predeclared one ({names})"
        )
    reason = _CHARACTER_CLASS.sub(
        lambda m: "a name character" if len(m.group()) > 12 else m.group(), reason
    )
    reason = re.sub(r"(a name character)(, a name character)+", r"\1", reason)
    return reason if len(reason) <= 240 else reason[:237].rstrip(" ,") + "…"


def syntax_message(origin: str, raw: str) -> str:
    """One sentence, ``origin:line:column: SPARQL syntax error: …``, from pyoxigraph's
    ``error at L:C: …`` (whose lists of expected characters are shortened to words)."""
    match = re.match(r"error at (\d+):(\d+): (.*)", raw, re.DOTALL)
    if match:
        line, column, reason = match.groups()
        return f"{origin}:{line}:{column}: SPARQL syntax error: {_readable_reason(reason)}"
    return f"{origin}: SPARQL syntax error: {_readable_reason(raw)}"


def open_build(build_dir: str) -> pyoxigraph.Store:
    """A read-only handle on the store of one published build."""
    return pyoxigraph.Store.read_only(os.path.join(build_dir, OXIGRAPH_FOLDER))


def execute(store: pyoxigraph.Store, job: Job) -> Outcome:
    """Run *job* on *store* and return its complete, serialized outcome (never raises for
    a bad query: errors are outcomes with a 4xx/5xx status and one sentence)."""
    started = time.perf_counter()
    if isinstance(job, QueryJob):
        outcome = _query(store, job)
    elif isinstance(job, DumpJob):
        outcome = _dump(store, job)
    elif isinstance(job, TimelineJob):
        from .timeline import draw  # only the jobs that draw pay for the drawing code

        outcome = Outcome(200, "image/svg+xml", draw(store).encode("utf-8"))
    elif isinstance(job, TimeJob):
        outcome = _time(store, job)
    else:
        outcome = Outcome(200, "text/plain", b"pong")
    elapsed = time.perf_counter() - started
    return Outcome(
        outcome.status, outcome.media_type, outcome.body, elapsed, outcome.path, outcome.size
    )


def _time(store: pyoxigraph.Store, job: TimeJob) -> Outcome:
    import json

    from .intime.asof import rights_in_force
    from .intime.diff import diff
    from .intime.periods import BadTimeInput, parse_day

    try:
        if job.question == "asof":
            day, holder = job.args
            answer = rights_in_force(store, parse_day(day), holder or None).to_json()
        else:
            start, end = job.args
            answer = diff(store, start, end).to_json()
    except BadTimeInput as exc:
        return failure(400, str(exc))
    body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
    return Outcome(200, "application/json", body)


def _dump(store: pyoxigraph.Store, job: DumpJob) -> Outcome:
    fmt = pyoxigraph.RdfFormat.from_media_type(job.media_type)
    if fmt is None:
        return failure(406, f"cannot dump as {job.media_type}")
    if fmt in (pyoxigraph.RdfFormat.N_QUADS, pyoxigraph.RdfFormat.TRIG):
        return Outcome(200, fmt.media_type, store.dump(format=fmt))
    triples = store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    body = pyoxigraph.serialize(triples, format=fmt, prefixes=job.prefixes or None)
    return Outcome(200, fmt.media_type, body or b"")


def _dataset(job: QueryJob) -> dict:
    """pyoxigraph's keyword arguments: predeclared prefixes, the job's dataset and bindings."""
    kwargs: dict = {"prefixes": PREFIXES, "base_iri": job.base_iri}
    if job.default_graphs is not None or job.named_graphs is not None:
        # The protocol's dataset replaces FROM / FROM NAMED (SPARQL 1.1 Protocol §2.1.4).
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graphs or ()]
    elif job.union_default:
        kwargs["use_default_graph_as_union"] = True
    if job.bindings:
        kwargs["substitutions"] = {
            pyoxigraph.Variable(k): pyoxigraph.NamedNode(v) for k, v in job.bindings.items()
        }
    return kwargs


class AnswerTooLargeError(Exception):
    """The answer grew past the job's ``max_answer_bytes``."""


class _AnswerSink(io.RawIOBase):
    """Where pyoxigraph writes an answer: memory up to ``spill_bytes``, then the spill file;
    past ``max_answer_bytes`` it stops the serialization (so neither copy grows further)."""

    def __init__(self, job: QueryJob) -> None:
        super().__init__()
        self.job = job
        self.memory = io.BytesIO()
        self.file: BinaryIO | None = None
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.size += len(data)
        if self.job.max_answer_bytes and self.size > self.job.max_answer_bytes:
            raise AnswerTooLargeError
        if self.file is None and self.job.spill_path and self.size > self.job.spill_bytes:
            self.file = open(self.job.spill_path, "wb")  # noqa: SIM115  # closed in outcome()
            self.file.write(self.memory.getbuffer())
            self.memory = io.BytesIO()
        (self.file or self.memory).write(data)
        return len(data)

    def outcome(self, media_type: str) -> Outcome:
        if self.file is None:
            return Outcome(200, media_type, self.memory.getvalue(), size=self.size)
        self.file.close()
        return Outcome(200, media_type, b"", path=self.job.spill_path, size=self.size)

    def discard(self) -> None:
        if self.file is not None:
            self.file.close()
            with contextlib.suppress(OSError):
                os.unlink(self.job.spill_path)


def too_large_message(limit: int) -> str:
    """The one sentence for an answer over *limit* bytes."""
    return (
        f"the answer is larger than the {limit / 1e6:g} MB limit (max_answer_bytes): "
        "add a LIMIT or select fewer variables"
    )


def _query(store: pyoxigraph.Store, job: QueryJob) -> Outcome:
    sink = _AnswerSink(job)
    try:
        result = store.query(job.query, **_dataset(job))
        if isinstance(result, pyoxigraph.QueryTriples):
            if job.graph_type is None:
                return failure(
                    406, "CONSTRUCT/DESCRIBE results cannot be sent in the requested format"
                )
            fmt = pyoxigraph.RdfFormat.from_media_type(job.graph_type)
            if job.prefixes and fmt in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.RDF_XML):
                pyoxigraph.serialize(result, sink, format=fmt, prefixes=job.prefixes)
            else:
                result.serialize(sink, format=fmt)
            return sink.outcome(job.graph_type)
        if job.tabular_type is None:
            return failure(406, "SELECT/ASK results cannot be sent in the requested format")
        result.serialize(
            sink, format=pyoxigraph.QueryResultsFormat.from_media_type(job.tabular_type)
        )
        return sink.outcome(job.tabular_type)
    except AnswerTooLargeError:
        sink.discard()
        return failure(422, f"{job.origin}: {too_large_message(job.max_answer_bytes)}")
    except SyntaxError as exc:
        return failure(400, syntax_message(job.origin, str(exc)))
    except (ValueError, TypeError) as exc:
        return failure(400, f"{job.origin}: the query cannot be evaluated: {exc}")
    except MemoryError:
        sink.discard()
        return failure(507, f"{job.origin}: {MEMORY_MESSAGE}")
    except OSError:
        sink.discard()
        if SERVICE_LETTERS.search(job.query):
            # One sentence: never the target's body, status or whether its port is open.
            return failure(502, f"{job.origin}: {SERVICE_FAILED}")
        return failure(500, f"{job.origin}: the store could not be read; rebuild it")


SERVICE_LETTERS = re.compile("service", re.IGNORECASE)
SERVICE_FAILED = "a SERVICE call failed: the remote endpoint gave no usable answer"
MEMORY_MESSAGE = (
    "the query needed more memory than a query worker may use; add a LIMIT or narrow it"
)
