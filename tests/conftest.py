"""Shared fixtures: a miniature dealgraph project copied into a temporary folder per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from project_support import copy_project
from wikidata_support import wikidata_fixture_server

from dealgraph.settings import Settings


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A fresh, valid copy of the miniature project, with an empty store folder."""
    return copy_project(tmp_path)


@pytest.fixture(scope="session")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SPARQL URL of a real oxigraph server holding the Wikidata-shaped fixture."""
    with wikidata_fixture_server(tmp_path_factory.mktemp("wikidata")) as url:
        yield url
