"""The server's own queries (page data, statistics), run through the worker pool like any other."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rdflib import Graph

from ..engine import Job, Outcome, QueryJob
from ..namespaces import DG, INSTANCE_BASE, sparql_prologue
from .published import Published
from .worker_pool import WorkerPool

PROLOGUE = sparql_prologue()


class InternalQueryError(RuntimeError):
    """One of the server's own queries failed (a bug or a broken store, not the client's fault)."""


async def run_job(pool: WorkerPool, job: Job) -> Outcome:
    """Run one of the server's own jobs; raise :class:`InternalQueryError` unless it succeeds."""
    outcome = await pool.run(job)
    if outcome.status != 200:
        raise InternalQueryError(outcome.message)
    return outcome


async def select(
    pool: WorkerPool, published: Published, query: str, bindings: dict[str, str] | None = None
) -> list[dict[str, dict]]:
    """Run a SELECT; each row maps variable -> SPARQL JSON term ({type, value, ...})."""
    job = QueryJob(
        build_dir=str(published.build_dir), query=PROLOGUE + query, bindings=bindings or {}
    )
    outcome = await run_job(pool, job)
    return json.loads(outcome.body)["results"]["bindings"]


async def construct(
    pool: WorkerPool, published: Published, query: str, bindings: dict[str, str] | None = None
) -> Graph:
    """Run a CONSTRUCT and parse its N-Triples into an rdflib graph."""
    job = QueryJob(
        build_dir=str(published.build_dir),
        query=PROLOGUE + query,
        graph_type="application/n-triples",
        bindings=bindings or {},
    )
    outcome = await run_job(pool, job)
    graph = Graph()
    graph.parse(data=outcome.body.decode("utf-8"), format="nt")
    return graph


def _int(row: dict, key: str) -> int:
    return int(row[key]["value"]) if key in row else 0


@dataclass
class GraphStats:
    """Counts for one named graph."""

    iri: str
    triples: int
    subjects: int
    properties: int
    objects: int


@dataclass
class DatasetStats:
    """What VoID and the query page say about the data, computed once per build."""

    build_id: str
    total_triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: list[tuple[str, str, int]] = field(default_factory=list)  # iri, label, instances
    properties: list[tuple[str, int]] = field(default_factory=list)  # iri, triples
    graphs: list[GraphStats] = field(default_factory=list)

    @property
    def dealgraph_classes(self) -> list[tuple[str, str, int]]:
        """The dg: classes with their instance counts (not OWL's or the aligned vocabularies')."""
        return [c for c in self.classes if c[0].startswith(str(DG))]

    @property
    def vocabularies(self) -> list[str]:
        """Namespaces of the classes and properties used."""
        spaces = set()
        for iri in [c[0] for c in self.classes] + [p[0] for p in self.properties]:
            cut = max(iri.rfind("#"), iri.rfind("/"))
            if cut > 0 and not iri.startswith(INSTANCE_BASE):
                spaces.add(iri[: cut + 1])
        return sorted(spaces)


async def compute_stats(pool: WorkerPool, published: Published) -> DatasetStats:
    """Count entities, classes, properties and per-graph figures of the published build."""
    totals = (
        await select(
            pool,
            published,
            """
        SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
               (COUNT(DISTINCT ?o) AS ?objects) WHERE { ?s ?p ?o }""",
        )
    )[0]
    entities = (
        await select(
            pool,
            published,
            f"""
        SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
          ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{INSTANCE_BASE}")) }}""",
        )
    )[0]
    classes = await select(
        pool,
        published,
        """
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n) (SAMPLE(?l) AS ?label) WHERE {
          ?s a ?c OPTIONAL { ?c rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) }
        } GROUP BY ?c ORDER BY DESC(?n) ?c""",
    )
    properties = await select(
        pool,
        published,
        """
        SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY DESC(?n) ?p""",
    )
    graphs = await select(
        pool,
        published,
        """
        SELECT ?g (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?p) AS ?p_)
               (COUNT(DISTINCT ?o) AS ?o_)
        WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g""",
    )
    return DatasetStats(
        build_id=published.info.build_id,
        total_triples=published.info.total_triples,
        entities=_int(entities, "n"),
        distinct_subjects=_int(totals, "subjects"),
        distinct_objects=_int(totals, "objects"),
        classes=[
            (r["c"]["value"], r.get("label", {}).get("value", ""), _int(r, "n"))
            for r in classes
            if r["c"]["type"] == "uri"
        ],
        properties=[(r["p"]["value"], _int(r, "n")) for r in properties],
        graphs=[
            GraphStats(r["g"]["value"], _int(r, "t"), _int(r, "s_"), _int(r, "p_"), _int(r, "o_"))
            for r in graphs
            if r["g"]["type"] == "uri"
        ],
    )
