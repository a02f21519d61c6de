"""The layout of a published store, and opening it read-only.

A store folder holds ``builds/<id>/`` (one complete, validated build each: ``oxigraph/`` and
``build.json``) and ``current``, a symbolic link to the build being served. Publishing writes
a new build beside the others and then replaces the link in one ``rename``, so a reader sees
either the old build or the new one, never a half-written store.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph

from .errors import DealgraphError

CURRENT_LINK = "current"
BUILDS_FOLDER = "builds"
INFO_FILE = "build.json"
OXIGRAPH_FOLDER = "oxigraph"


class StoreNotPublishedError(FileNotFoundError):
    """There is no published build in the store folder yet."""


class StoreError(DealgraphError):
    """The store folder cannot be written, or a build in it is damaged (exit code 2)."""


@dataclass(frozen=True)
class BuildInfo:
    """What a published build is: when it was made, from which sources, and what it holds."""

    build_id: str
    built_at: str  # ISO 8601, UTC
    source_digest: str
    triples: dict[str, int]  # named graph IRI -> triple count
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    dealgraph_version: str = ""
    based_on: str = ""  # the build this one was made from by applying an edit ("": in full)

    @property
    def total_triples(self) -> int:
        return sum(self.triples.values())

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_file(cls, path: Path) -> BuildInfo:
        """The info in *path*; :class:`StoreError` when it is unreadable or not an info."""
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, TypeError) as error:
            reason = error.strerror if isinstance(error, OSError) else type(error).__name__
            raise StoreError(
                f"the published build {path.parent.name} is damaged: its {INFO_FILE} cannot "
                f"be read ({reason}); run 'dealgraph build' to publish a new one"
            ) from None


def current_build(store_dir: Path) -> Path | None:
    """The folder of the build being served, or None when nothing has been published."""
    link = store_dir / CURRENT_LINK
    if not link.is_symlink() and not link.exists():
        return None
    target = link.resolve()
    return target if (target / INFO_FILE).is_file() else None


def current_info(store_dir: Path) -> BuildInfo | None:
    """The :class:`BuildInfo` of the build being served, or None."""
    build = current_build(store_dir)
    return BuildInfo.from_file(build / INFO_FILE) if build else None


def open_build(build_dir: Path) -> tuple[pyoxigraph.Store, BuildInfo]:
    """Open one build read-only, with its info."""
    info = BuildInfo.from_file(build_dir / INFO_FILE)
    return pyoxigraph.Store.read_only(str(build_dir / OXIGRAPH_FOLDER)), info


def open_published(store_dir: Path) -> tuple[pyoxigraph.Store, BuildInfo]:
    """Open the published build read-only; :class:`StoreNotPublishedError` when there is none."""
    build = current_build(store_dir)
    if build is None:
        raise StoreNotPublishedError(
            f"no published store in {store_dir}: run 'dealgraph build' first"
        )
    return open_build(build)
