"""Find what changed in the facts since the last build: the triples added and removed.

Only the fact files whose digest changed are read, each with the copy the last build kept
of it, so the cost grows with the size of the files edited, not with the graph. A triple
removed from one file but still stated by another is not removed. Anything the diff cannot
carry (the ontology, the shapes, the Wikidata snapshot or the source texts changed, a
changed file with blank nodes or named graphs, whose nodes have no name to diff by) is
returned as the reason to build everything again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pyoxigraph as ox

from ..errors import SourceError
from ..gate.incremental import schema_change
from ..load import LINE_BASED, FileFacts, read_facts
from ..settings import Settings
from .index import SubjectIndex
from .state import COPIES_FOLDER, BuildState, SourceFiles

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


@dataclass(frozen=True)
class FactChanges:
    """The change of the facts since a build, and the record of the sources as they are."""

    files: dict[str, FileFacts | None]  # each fact file added, edited or removed (None)
    added: set[Triple]
    removed: set[Triple]
    state: BuildState  # the record for the new build (its report's part not yet filled in)
    unchanged: list[str]  # fact files whose copy the new build can share
    # Line-based files that only grew: the facts of their new lines, and the first line number
    appended: dict[str, tuple[FileFacts, int]] = field(default_factory=dict)

    @property
    def nodes(self) -> set[ox.NamedNode]:
        """The subjects and the IRI objects of the changed triples."""
        found: set[ox.NamedNode] = set()
        for s, _p, o in self.added | self.removed:
            found.add(s)
            if isinstance(o, ox.NamedNode):
                found.add(o)
        return found


def fact_changes(
    settings: Settings,
    sources: SourceFiles,
    state: BuildState,
    build_dir: Path,
    index: SubjectIndex,
) -> FactChanges | str:
    """The change of the facts of *settings*' project (its *sources* as they are now) since
    the build in *build_dir* (whose record is *state*, and *index* its index of subjects), or
    why it cannot be applied to that build (then build everything)."""
    root = settings.root
    digests, facts = sources.rdf_digests, sources.facts
    every = digests.keys() | state.files.keys()
    changed = sorted(rel for rel in every if digests.get(rel) != state.files.get(rel))
    for rel in changed:
        if rel not in facts and rel not in state.facts:
            return f"{rel} changed: the ontology, shapes and Wikidata snapshot rebuild all"
    if sources.texts != state.articles:
        return "the source texts changed (every quote is proven again)"

    added: set[Triple] = set()
    dropped: set[Triple] = set()
    now: dict[str, set[Triple]] = {}
    files: dict[str, FileFacts | None] = {}
    copies = build_dir / COPIES_FOLDER
    appended: dict[str, tuple[FileFacts, int]] = {}
    for rel in changed:
        if rel in state.facts and rel in facts and (tail := _appended(root, copies, rel)):
            if tail[0].named or tail[0].has_blank_nodes:
                return f"{rel} has blank nodes or named graphs (it is rebuilt with everything)"
            appended[rel] = tail
            added |= _triples(tail[0])
            continue
        old = read_facts(copies, copies / rel) if rel in state.facts else None
        new = files[rel] = read_facts(root, root / rel) if rel in facts else None
        for version in (old, new):
            if version is not None and (version.named or version.has_blank_nodes):
                return f"{rel} has blank nodes or named graphs (it is rebuilt with everything)"
        before = _triples(old)
        now[rel] = _triples(new)
        added |= now[rel] - before
        dropped |= before - now[rel]
    removed = _still_stated(dropped, now, index, root, set(facts))
    for triple in sorted(added | removed, key=str):
        if schema_change(triple):
            return f"a change in {', '.join(changed)} reaches the ontology's terms or axioms"
    record = BuildState(files=digests, facts=facts, articles=state.articles)
    unchanged = [rel for rel in facts if rel not in changed]
    return FactChanges(files, added, removed, record, unchanged, appended)


def _appended(root: Path, copies: Path, rel: str) -> tuple[FileFacts, int] | None:
    """When the line-based file *rel* (N-Triples, N-Quads) only had lines appended since its
    copy: the facts of those lines and the number of the first. Then its old lines need not
    be read, which matters for a big generated file. None otherwise (or when the new lines
    do not parse: the whole file is read again, for a message with the right line)."""
    if PurePosixPath(rel).suffix not in LINE_BASED:
        return None
    before, now = (copies / rel).read_bytes(), (root / rel).read_bytes()
    if not now.startswith(before) or (before and not before.endswith(b"\n")):
        return None
    try:
        return read_facts(root, root / rel, skip=len(before)), before.count(b"\n") + 1
    except SourceError:
        return None


def _triples(facts: FileFacts | None) -> set[Triple]:
    if facts is None:
        return set()
    return {(q.subject, q.predicate, q.object) for q in facts.triples}  # type: ignore[misc]


def _still_stated(
    dropped: set[Triple],
    now: dict[str, set[Triple]],
    index: SubjectIndex,
    root: Path,
    facts: set[str],
) -> set[Triple]:
    """The *dropped* triples that no fact file states any more: those stated by an edited
    file (*now*) or by another of the fact files (*facts*) writing about their subject are
    kept."""
    gone: set[Triple] = set()
    others: dict[str, set[Triple]] = {}
    for triple in dropped:
        if any(triple in triples for triples in now.values()):
            continue
        for rel in index.files_of(triple[0].value):
            if rel in now or rel not in facts:
                continue
            if rel not in others:  # an unchanged file about the same subject: read it once
                others[rel] = _triples(read_facts(root, root / rel))
            if triple in others[rel]:
                break
        else:
            gone.add(triple)
    return gone
