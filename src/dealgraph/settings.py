"""Where dealgraph finds its sources and keeps its published store: one settings object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SOURCE_FOLDERS = ("ontology", "data", "shapes", "queries")
PACKAGED_ROOT = Path(__file__).parent / "resources"


def is_root(path: Path) -> bool:
    """True when *path* holds the source folders dealgraph needs (ontology, data, shapes)."""
    return all((path / name).is_dir() for name in ("ontology", "data", "shapes"))


def default_root() -> Path:
    """The current folder when it is a dealgraph working copy, else the packaged copy."""
    cwd = Path.cwd()
    return cwd if is_root(cwd) else PACKAGED_ROOT


def default_store_dir(root: Path) -> Path:
    """``$DEALGRAPH_STORE``, else ``ROOT/.dealgraph/store`` in a working copy, else per user."""
    if env := os.environ.get("DEALGRAPH_STORE"):
        return Path(env)
    if root.resolve() != PACKAGED_ROOT.resolve() and os.access(root, os.W_OK):
        return root / ".dealgraph" / "store"
    data_home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return data_home / "dealgraph" / "store"


@dataclass(frozen=True)
class Settings:
    """Paths of one dealgraph project: its sources and its published store."""

    root: Path
    store_dir: Path

    @classmethod
    def create(cls, root: Path | None = None, store_dir: Path | None = None) -> Settings:
        """Settings for *root* (default: :func:`default_root`) and *store_dir* (derived)."""
        root = (root or default_root()).resolve()
        return cls(root=root, store_dir=(store_dir or default_store_dir(root)).resolve())

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def source_files(self) -> list[Path]:
        """Every file the published store is built from, sorted, for staleness checks."""
        files: list[Path] = []
        for folder in (self.ontology_dir, self.data_dir, self.shapes_dir):
            if folder.is_dir():
                files.extend(p for p in folder.rglob("*") if p.is_file())
        return sorted(files)
