"""Reason: prove ontology + facts consistent with HermiT (through owlready2) and return what
it entails beyond the asserted triples, kept apart so a reader can tell the two apart.

owlready2 reports only direct class memberships and leaves out property values that follow
from an inverse property (its Python API derives those on the fly), so the entailments are
completed here with the plain, sound rules they need: named superclasses, inverse and
symmetric properties.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import owlready2
from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.term import Node

from .errors import InconsistentOntologyError, ReasonerError
from .namespaces import PREFIXES, prefixes

INFERRED_ONTOLOGY = "https://w3id.org/dealgraph/graph/inferred-by-hermit"
_INPUT_ONTOLOGY = "https://w3id.org/dealgraph/graph/reasoner-input"
_TEMPDIR_LOCK = threading.Lock()
_TRIVIAL_OBJECTS = {OWL.Thing, OWL.NamedIndividual, RDFS.Resource}


@dataclass(frozen=True)
class Reasoning:
    """The outcome of reasoning: the entailed triples not asserted, and how long it took.

    ``skipped_reason`` is set (and ``inferred`` empty) when no reasoner could run.
    ``warnings`` holds what owlready2 or HermiT said on the side.
    """

    inferred: Graph
    seconds: float = 0.0
    skipped_reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    # HermiT's part of ``inferred`` when it classified the ontology alone (rules did the rest):
    # kept by the build, since a build after an edit of the facts does not run HermiT again.
    classified: Graph = field(default_factory=Graph)


def reason(
    ontology: Graph, data: Graph, defined_in: dict[str, list[str]] | None = None
) -> Reasoning:
    """Run HermiT on *ontology* + *data*; return the inferred triples that are not asserted.

    Raises :class:`InconsistentOntologyError` (with the individuals most likely involved,
    and the files defining them from *defined_in*) when the union is inconsistent or a
    class is unsatisfiable, :class:`ReasonerError` when Java fails. Without Java, reasoning
    is skipped and says so in ``skipped_reason``.
    """
    if shutil.which(owlready2.JAVA_EXE) is None:
        return Reasoning(
            inferred=Graph(),
            skipped_reason=(
                f"Java not found ('{owlready2.JAVA_EXE}' is not on PATH): consistency is not "
                "proved and no inferred triples are published; install Java 11+ for HermiT"
            ),
        )
    asserted = ontology + data
    started = time.perf_counter()
    world = owlready2.World()  # in memory, thrown away after this call
    try:
        warnings = _run_hermit(world, asserted)
        entailed = _saved_triples(world.get_ontology(INFERRED_ONTOLOGY))
        unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
    except owlready2.OwlReadyInconsistentOntologyError:
        suspects = _suspects(asserted, defined_in or {})
        hint = f": {'; '.join(suspects)}" if suspects else ""
        raise InconsistentOntologyError(
            f"the ontology and the facts are inconsistent (HermiT){hint}", suspects
        ) from None
    except owlready2.OwlReadyJavaError as error:
        raise ReasonerError(f"HermiT failed: {_java_reason(str(error))}") from None
    finally:
        world.close()
    if unsatisfiable:
        raise InconsistentOntologyError(
            f"unsatisfiable classes (no individual can belong to them): {', '.join(unsatisfiable)}",
            unsatisfiable,
        )
    inferred = _complete(asserted, entailed)
    for prefix, namespace in prefixes("dg", "id").items():
        inferred.namespace_manager.bind(prefix, namespace)
    return Reasoning(inferred=inferred, seconds=time.perf_counter() - started, warnings=warnings)


def _run_hermit(world: owlready2.World, asserted: Graph) -> list[str]:
    """Load *asserted* into *world* and run HermiT; inferences go to INFERRED_ONTOLOGY."""
    graph = Graph()
    for triple in asserted:
        if triple[1] != OWL.imports:  # never fetch imports from the web; align, don't import
            graph.add(triple)
    source = io.BytesIO(graph.serialize(format="nt", encoding="utf-8"))
    world.get_ontology(_INPUT_ONTOLOGY).load(fileobj=source, format="ntriples")
    inferred = world.get_ontology(INFERRED_ONTOLOGY)
    chatter = io.StringIO()
    with _private_tempdir(), _jvm_dies_with_us(), contextlib.redirect_stderr(chatter), inferred:
        # xsd:date, xsd:gYear… are outside the OWL 2 datatype map; HermiT would refuse them.
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=True, debug=0, ignore_unsupported_datatypes=True
        )
    return [line for line in chatter.getvalue().splitlines() if line.strip()]


def _die_with_parent() -> None:
    """In the JVM's process, before Java starts: be killed when the build's process dies
    (even by SIGKILL), so a killed build never leaves HermiT running (Linux only)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


_PR_SET_PDEATHSIG = 1
# Looked up here, in the parent: between fork and exec nothing may load libraries.
_PRCTL = getattr(ctypes.CDLL(None), "prctl", None)


@contextlib.contextmanager
def _jvm_dies_with_us() -> Iterator[None]:
    """Start owlready2's java subprocess with :func:`_die_with_parent`."""
    kargs = owlready2.reasoning._subprocess_kargs  # owlready2's extra Popen arguments
    had = "preexec_fn" in kargs
    kargs.setdefault("preexec_fn", _die_with_parent)
    try:
        yield
    finally:
        if not had:
            kargs.pop("preexec_fn", None)


@contextlib.contextmanager
def _private_tempdir() -> Iterator[None]:
    """Point :mod:`tempfile` at a fresh folder while owlready2 runs, then remove it.

    owlready2 writes HermiT's input with ``NamedTemporaryFile(delete=False)`` and leaves it
    behind when HermiT fails; this is the only way to make sure it is cleaned up.
    """
    with _TEMPDIR_LOCK, tempfile.TemporaryDirectory(prefix="dealgraph-hermit-") as folder:
        previous, tempfile.tempdir = tempfile.tempdir, folder
        try:
            yield
        finally:
            tempfile.tempdir = previous


def _saved_triples(ontology: owlready2.Ontology) -> Graph:
    buffer = io.BytesIO()
    ontology.save(buffer, format="ntriples")
    graph = Graph()
    graph.parse(data=buffer.getvalue().decode("utf-8"), format="nt")
    graph.remove((URIRef(ontology.base_iri.rstrip("#/")), None, None))
    graph.remove((URIRef(ontology.base_iri), None, None))
    return graph


def _complete(asserted: Graph, entailed: Graph) -> Graph:
    """Entailed triples plus superclass memberships and inverse/symmetric values, minus
    the asserted ones and the trivial ones."""
    both = asserted + entailed
    inferred = Graph()
    inferred += entailed

    superclasses: dict[Node, set[Node]] = {}
    for individual, cls in list(both.subject_objects(RDF.type)):
        if not isinstance(cls, URIRef) or _is_builtin(cls):
            continue
        if cls not in superclasses:
            superclasses[cls] = {
                s for s in both.transitive_objects(cls, RDFS.subClassOf) if isinstance(s, URIRef)
            }
        for superclass in superclasses[cls]:
            inferred.add((individual, RDF.type, superclass))

    inverses: dict[Node, set[Node]] = {}
    for p, q in both.subject_objects(OWL.inverseOf):
        inverses.setdefault(p, set()).add(q)
        inverses.setdefault(q, set()).add(p)
    for p in both.subjects(RDF.type, OWL.SymmetricProperty):
        inverses.setdefault(p, set()).add(p)
    for p, qs in inverses.items():
        for a, b in list(both.subject_objects(p)):
            if isinstance(b, URIRef | BNode):
                for q in qs:
                    inferred.add((b, q, a))

    aliases = _aliases(asserted)
    result = Graph()
    for s, p, o in inferred:
        if (s, p, o) in asserted or o in _TRIVIAL_OBJECTS or _is_builtin(s):
            continue
        if p == OWL.sameAs and s == o:
            continue
        if s in aliases or o in aliases:
            continue  # facts re-stated about an owl:sameAs alias would duplicate every answer
        result.add((s, p, o))
    return result


def _aliases(asserted: Graph) -> set[Node]:
    """Nodes known only as the target of ``owl:sameAs`` (e.g. Wikidata entities)."""
    targets = set(asserted.objects(None, OWL.sameAs))
    return {t for t in targets if (t, None, None) not in asserted}


def _is_builtin(term: Node) -> bool:
    return isinstance(term, URIRef) and term.startswith(
        (str(OWL), str(RDF), str(RDFS), PREFIXES["xsd"])
    )


def _suspects(asserted: Graph, defined_in: dict[str, list[str]]) -> list[str]:
    """Individuals that belong to two disjoint classes: the usual cause of an inconsistency.

    HermiT gives no explanation, so this checks the most common pattern itself; the list
    may be empty when the cause is elsewhere (cardinalities, functional properties…).
    """
    disjoint: set[frozenset[Node]] = {
        frozenset(pair) for pair in asserted.subject_objects(OWL.disjointWith)
    }
    for group in asserted.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(asserted.items(asserted.value(group, OWL.members)))
        disjoint |= {frozenset((a, b)) for a in members for b in members if a != b}
    suspects = []
    for individual in sorted(set(asserted.subjects(RDF.type, None)), key=str):
        classes: set[Node] = set()
        for cls in asserted.objects(individual, RDF.type):
            classes |= set(asserted.transitive_objects(cls, RDFS.subClassOf))
        clashes = sorted(
            (sorted(str(c) for c in pair) for pair in disjoint if pair <= classes), key=str
        )
        if clashes:
            a, b = clashes[0]
            files = ", ".join(defined_in.get(str(individual), [])) or "unknown file"
            suspects.append(
                f"{individual} is both a {a} and a {b}, which are disjoint (in {files})"
            )
    return suspects


def _java_reason(message: str) -> str:
    """The first meaningful line of a Java error (the exception, not the stack trace)."""
    for line in message.splitlines():
        line = line.strip()
        if line and not line.startswith(("Java error message", "at ")):
            return line.removeprefix('Exception in thread "main" ')
    return message.strip()
