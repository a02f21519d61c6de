"""Canned queries: the competency questions kept as ``queries/*.rq`` files.

Each file starts with a header of ``#`` comment lines, ``# title: …`` and
``# description: …`` (a description may continue on following ``#`` lines), then the query.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class QueryFileError(ValueError):
    """A ``.rq`` file lacks its title or description header."""


@dataclass(frozen=True)
class CannedQuery:
    """A competency question: its file name (without ``.rq``), title, description and text."""

    name: str
    title: str
    description: str
    text: str
    path: Path


def parse_query_file(path: Path) -> CannedQuery:
    """Read one ``.rq`` file and its header; raise :class:`QueryFileError` naming the file."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line.lstrip("#").strip()
        key, sep, value = body.partition(":")
        if sep and key.strip().lower() in ("title", "description"):
            last = key.strip().lower()
            fields[last] = value.strip()
        elif last and body:
            fields[last] += " " + body
    for key in ("title", "description"):
        if not fields.get(key):
            raise QueryFileError(f"{path}: missing '# {key}: …' header line")
    return CannedQuery(path.stem, fields["title"], fields["description"], text, path)


def load_queries(folder: Path) -> list[CannedQuery]:
    """All canned queries of *folder*, sorted by file name."""
    return [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]
