"""Shared fixtures: a miniature dealgraph project copied into a temporary folder per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from project_support import copy_project

from dealgraph.settings import Settings


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A fresh, valid copy of the miniature project, with an empty store folder."""
    return copy_project(tmp_path)
