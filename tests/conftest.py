"""Shared fixtures: a miniature project copied per test, and the shipped data built once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from project_support import REPO_ROOT, copy_project
from wikidata_support import wikidata_fixture_server

from dealgraph.pipeline import build
from dealgraph.settings import ARTICLES_ENV, Settings, default_articles_dir
from dealgraph.store import open_published


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A fresh, valid copy of the miniature project, with an empty store folder."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def articles() -> Path:
    """The folder of the source articles the gate proves quotes against; skipped (failed on
    CI) when it holds none."""
    folder = default_articles_dir(REPO_ROOT)
    if not (folder.is_dir() and any(folder.glob("*.txt"))):
        message = (
            f"the source articles are not in {folder}: put the five articles there or set "
            f"{ARTICLES_ENV} to their folder; quotes cannot be checked without them"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture(scope="session")
def shipped_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped sources built once per session through the real gate (never modified)."""
    settings = Settings.create(REPO_ROOT, tmp_path_factory.mktemp("shipped-store"))
    build(settings)
    return settings.store_dir


@pytest.fixture(scope="session")
def shipped_store(shipped_store_dir: Path) -> pyoxigraph.Store:
    """A read-only handle on the session's store of the shipped data."""
    opened, _info = open_published(shipped_store_dir)
    return opened


@pytest.fixture(scope="session")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SPARQL URL of a real oxigraph server holding the Wikidata-shaped fixture."""
    with wikidata_fixture_server(tmp_path_factory.mktemp("wikidata")) as url:
        yield url
