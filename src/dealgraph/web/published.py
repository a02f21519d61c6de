"""Which build is being served: follows the store's ``current`` link, cheaply."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..store import CURRENT_LINK, current_build, current_info
from ..store import BuildInfo as BuildInfo


@dataclass(frozen=True)
class Published:
    """A published build: its folder and its info."""

    build_dir: Path
    info: BuildInfo


class PublishedWatcher:
    """Caches the current build; re-reads it when the ``current`` link moves (checked ≤ 1/s)."""

    def __init__(self, store_dir: Path, check_every: float = 1.0) -> None:
        self.store_dir = store_dir
        self.check_every = check_every
        self._link: str | None = None
        self._published: Published | None = None
        self._checked = 0.0

    def get(self) -> Published | None:
        """The build being served now, or None when nothing is published."""
        now = time.monotonic()
        if self._published is not None and now - self._checked < self.check_every:
            return self._published
        self._checked = now
        try:
            link = os.readlink(self.store_dir / CURRENT_LINK)
        except OSError:
            link = None
        if link != self._link or self._published is None:
            build, info = current_build(self.store_dir), current_info(self.store_dir)
            self._published = Published(build, info) if build and info else None
            self._link = link
        return self._published
