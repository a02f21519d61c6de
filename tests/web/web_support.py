"""The web tests' small fixture store and headless Chromium (servers: process_support)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rdflib import Graph

from dealgraph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from dealgraph.publish import publish

if TYPE_CHECKING:
    from playwright.sync_api import Page

HERE = Path(__file__).parent
REPO_ROOT = HERE.parents[1]
CHROMIUM = "/usr/bin/chromium"  # Debian's package; .ci/run installs it
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}"
)


def publish_fixture(store_dir: Path) -> None:
    """Publish the small Turtle fixture as ontology / asserted / inferred named graphs."""
    ontology = Graph().parse(HERE / "fixture_ontology.ttl")
    data = Graph().parse(HERE / "fixture_data.ttl")
    inferred = Graph().parse(
        data="<https://w3id.org/dealgraph/id/company/microsoft> a "
        "<http://www.w3.org/2002/07/owl#Thing> .",
        format="turtle",
    )
    publish(
        {str(ONTOLOGY_GRAPH): ontology, str(ASSERTED_GRAPH): data, str(INFERRED_GRAPH): inferred},
        store_dir,
        source_digest="test",
    )


def launch_chromium(playwright):
    """Headless Debian Chromium, without the background traffic a closed network refuses."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    )


@contextmanager
def browser_page(url: str) -> Iterator[Page]:
    """A page of headless Chromium (1280×900) opened at *url*, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            yield page
        finally:
            browser.close()
