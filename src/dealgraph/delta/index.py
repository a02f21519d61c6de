"""Which file writes about which subject, and from which line: kept in SQLite for the next build.

A build's messages name the files that define a focus node and the line of a quote
(``defined_in`` and ``lines`` of :class:`~dealgraph.load.Sources`). At a million triples these
maps hold hundreds of thousands of subjects: a build after an edit copies the last build's
table, replaces the rows of the files it changed, and reads only the subjects its messages
need, instead of loading and rewriting the whole maps.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from ..load import FileFacts

INDEX_FILE = "subjects.sqlite"
_SCHEMA = """CREATE TABLE IF NOT EXISTS written (
  subject TEXT NOT NULL, file TEXT NOT NULL, typed INTEGER NOT NULL, line INTEGER);
CREATE INDEX IF NOT EXISTS by_subject ON written (subject);
CREATE INDEX IF NOT EXISTS by_file ON written (file);"""


class SubjectIndex:
    """The rows (subject, file, typed by that file?, line of its first statement there)."""

    def __init__(self, path: Path, create: bool = True) -> None:
        """The index at *path*; unless *create*, one that must exist (else OSError)."""
        if not create and not path.is_file():
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
        self.path = path
        # The gate reads it from its threads: one connection, its use serialised by a lock.
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.lock = threading.Lock()
        self._db.executescript(_SCHEMA)

    @classmethod
    def create(
        cls,
        path: Path,
        typed_in: Mapping[str, list[str]],
        written_in: Mapping[str, list[str]],
        lines: Mapping[str, Mapping[str, int]],
    ) -> SubjectIndex:
        """A new index at *path* from the maps of :class:`~dealgraph.load.Sources`."""
        index = cls(path)
        rows = (
            (subject, rel, rel in typed_in.get(subject, ()), lines.get(subject, {}).get(rel))
            for subject, files in written_in.items()
            for rel in files
        )
        with index._db:
            index._db.execute("BEGIN")
            index._db.executemany("INSERT INTO written VALUES (?, ?, ?, ?)", rows)
        return index

    @classmethod
    def copy(cls, source: Path, target: Path) -> SubjectIndex:
        """A copy of the index at *source*, at *target*, to be edited."""
        shutil.copyfile(source, target)
        return cls(target)

    def replace_file(self, rel: str, facts: FileFacts | None) -> None:
        """Forget what file *rel* said; record what it says now (*facts*; None: removed)."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM written WHERE file = ?", (rel,))
            if facts is not None:
                self._db.executemany(
                    "INSERT INTO written VALUES (?, ?, ?, ?)",
                    (
                        (s, rel, s in facts.typed, facts.lines.get(s))
                        for s in sorted(facts.subjects)
                    ),
                )

    def extend_file(self, rel: str, facts: FileFacts, first_line: int) -> None:
        """Record what the lines appended to file *rel* (*facts*, numbered from 1 at line
        *first_line* of the file) say: new subjects, and types of known ones."""
        with self._db:
            self._db.execute("BEGIN")
            for subject in sorted(facts.subjects):
                typed = subject in facts.typed
                line = facts.lines.get(subject)
                known = self._db.execute(
                    "SELECT typed FROM written WHERE subject = ? AND file = ?", (subject, rel)
                ).fetchone()
                if known is None:
                    row = (subject, rel, typed, None if line is None else line + first_line - 1)
                    self._db.execute("INSERT INTO written VALUES (?, ?, ?, ?)", row)
                elif typed and not known[0]:
                    self._db.execute(
                        "UPDATE written SET typed = 1 WHERE subject = ? AND file = ?",
                        (subject, rel),
                    )

    def files_of(self, subject: str) -> list[str]:
        """The files that state anything about *subject*, in the order the build reads them."""
        rows = self.rows("SELECT file FROM written WHERE subject = ?", subject)
        return sorted((rel for (rel,) in rows), key=load_order)

    def rows(self, query: str, *parameters: object) -> list[tuple]:
        """The rows of a read *query*, from any thread."""
        with self.lock:
            return self._db.execute(query, parameters).fetchall()

    def defined_in(self) -> DefinedIn:
        return DefinedIn(self)

    def lines(self) -> Lines:
        return Lines(self)

    def close(self) -> None:
        self._db.close()


class DefinedIn(Mapping[str, list[str]]):
    """Subject -> the files typing it, else those stating anything about it (read on use)."""

    def __init__(self, index: SubjectIndex) -> None:
        self._index = index

    def __getitem__(self, subject: str) -> list[str]:
        rows = self._index.rows("SELECT file, typed FROM written WHERE subject = ?", subject)
        if not rows:
            raise KeyError(subject)
        typed = [rel for rel, is_typed in rows if is_typed]
        return sorted(typed or [rel for rel, _ in rows], key=load_order)

    def __iter__(self) -> Iterator[str]:
        return (s for (s,) in self._index.rows("SELECT DISTINCT subject FROM written"))

    def __len__(self) -> int:
        return self._index.rows("SELECT COUNT(DISTINCT subject) FROM written")[0][0]


class Lines(Mapping[str, dict[str, int]]):
    """Subject -> file -> the line where its first statement starts (read on use)."""

    def __init__(self, index: SubjectIndex) -> None:
        self._index = index

    def __getitem__(self, subject: str) -> dict[str, int]:
        query = "SELECT file, line FROM written WHERE subject = ? AND line IS NOT NULL"
        rows = self._index.rows(query, subject)
        if not rows:
            raise KeyError(subject)
        return dict(rows)

    def __iter__(self) -> Iterator[str]:
        query = "SELECT DISTINCT subject FROM written WHERE line IS NOT NULL"
        return (s for (s,) in self._index.rows(query))

    def __len__(self) -> int:
        query = "SELECT COUNT(DISTINCT subject) FROM written WHERE line IS NOT NULL"
        return self._index.rows(query)[0][0]


def load_order(rel: str) -> tuple[bool, tuple[str, ...]]:
    """The order in which :func:`dealgraph.load.load` reads files: ontology/ first, then
    data/, each sorted as paths."""
    parts = PurePosixPath(rel).parts
    return (parts[0] != "ontology", parts)
