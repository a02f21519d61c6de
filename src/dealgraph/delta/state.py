"""What a build keeps for the next one: the digests of its sources, a copy of its fact files
and the warnings of its report (beside the index of subjects, :mod:`dealgraph.delta.index`).

A build after a small edit (:mod:`dealgraph.delta.rebuild`) compares the sources with this
record to find the fact files that changed, and diffs each against its copy. The record sits
in the build's folder (``state.json`` and ``sources/``), written before the build is renamed
into place, so a published build and its record always go together.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..load import is_fact_file, rdf_sources
from ..settings import Settings
from ..validate import ViolationResult

STATE_FILE = "state.json"
COPIES_FOLDER = "sources"  # the fact files as this build read them
CLASSIFIED_FILE = "classified.nt"  # what HermiT inferred from the ontology alone


@dataclass(frozen=True)
class BuildState:
    """The record of one build (see the module's docstring)."""

    files: dict[str, str]  # every source file (path relative to the project) -> SHA-256
    facts: list[str]  # those of them that hold facts (copied under sources/)
    articles: str  # digest of the folder of source texts ("" when it is missing)
    warnings: list[ViolationResult] = field(default_factory=list)  # the report's results
    shapes: list[str] = field(default_factory=list)  # the shapes the report checked
    version: str = __version__

    def save(self, folder: Path, root: Path, reuse: dict[str, Path] | None = None) -> bool:
        """Write the record into the build *folder*, copying the fact files from *root*; a
        fact file in *reuse* (unchanged since an earlier build) is linked to that build's
        copy instead: copies are never written to, so builds can share them.

        A file edited since its digest was taken would make its copy differ from what the
        build read: then no record is written (False), and the next build is a full one."""
        copies = folder / COPIES_FOLDER
        for rel in self.facts:
            target = copies / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if reuse and rel in reuse:
                os.link(reuse[rel], target)
            else:
                shutil.copyfile(root / rel, target)
                if _sha256(target) != self.files[rel]:
                    shutil.rmtree(copies)
                    return False
        (folder / STATE_FILE).write_text(json.dumps(asdict(self)), encoding="utf-8")
        return True

    @classmethod
    def read(cls, folder: Path) -> BuildState | None:
        """The record of the build in *folder*; None when it has none or it cannot be read
        (a build made by an older version: the next build is then a full one)."""
        try:
            record = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            record["warnings"] = [ViolationResult(**r) for r in record["warnings"]]
            state = cls(**record)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return state if state.version == __version__ else None


@dataclass(frozen=True)
class SourceFiles:
    """The sources of a project as they are now, each file read once: the SHA-256 of every
    file under ontology/, data/ and shapes/, those the build reads as RDF (and which of them
    hold facts), and one digest of the source texts the quotes are proven against."""

    digests: dict[str, str]  # path relative to the project -> SHA-256
    rdf: list[str]
    facts: list[str]
    texts: str  # "" when the folder of source texts is missing

    @classmethod
    def read(cls, settings: Settings) -> SourceFiles:
        """The sources of *settings*' project; a :class:`SourceError` where :func:`load`
        would refuse them (a missing folder, a symbolic link out of the project)."""
        root = settings.root
        digests = {p.relative_to(root).as_posix(): _sha256(p) for p in settings.source_files()}
        rdf = rdf_sources(settings)
        return cls(
            digests=digests,
            rdf=[p.relative_to(root).as_posix() for p in rdf],
            facts=[p.relative_to(root).as_posix() for p in rdf if is_fact_file(settings, p)],
            texts=folder_digest(settings.articles_dir),
        )

    @property
    def digest(self) -> str:
        """What a build is made from, in one digest (an edited article makes it stale too)."""
        digest = hashlib.sha256()
        for rel, sha256 in sorted(self.digests.items()):
            digest.update(f"{rel}\0{sha256}\0".encode())
        digest.update(self.texts.encode())
        return digest.hexdigest()

    @property
    def rdf_digests(self) -> dict[str, str]:
        """The digests of the files the build reads as RDF."""
        return {rel: self.digests[rel] for rel in self.rdf}


def folder_digest(folder: Path | None) -> str:
    """One digest over the names and contents of the files in *folder* ("" when missing)."""
    if folder is None or not folder.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(path.name.encode() + b"\0" + _sha256(path).encode())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
