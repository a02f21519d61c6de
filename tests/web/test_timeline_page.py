"""The timeline picture over the real, shipped data: served as SVG and shown on the home page."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
from process_support import Server
from web_support import browser_page, needs_chromium

SVG = "{http://www.w3.org/2000/svg}"
RIGHTS = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a/rdfs:subClassOf* dg:Right }"


def rights_in_graph(http: httpx.Client) -> int:
    """How many rights the served graph holds, asked through /sparql."""
    answer = http.get("/sparql", params={"query": RIGHTS, "format": "json"}).json()
    count = int(answer["results"]["bindings"][0]["n"]["value"])
    assert count >= 19  # the rights of the five articles, at least
    return count


def test_timeline_is_svg_with_an_etag_and_a_bar_per_right(http: httpx.Client) -> None:
    response = http.get("/timeline.svg")
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith("image/svg+xml")
    etag = response.headers["etag"]
    assert etag.startswith('W/"') and response.headers["last-modified"]
    root = ET.fromstring(response.content)
    rows = [g for g in root.iter(f"{SVG}g") if g.get("class") == "right-row"]
    assert len(rows) == rights_in_graph(http)
    hrefs = {a.get("href") for a in root.iter(f"{SVG}a")}
    assert "/id/right/microsoft-compute-rofr" in hrefs
    again = http.get("/timeline.svg", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert http.get("/timeline.svg").content == response.content  # drawn once per build


def test_home_page_embeds_the_timeline_with_a_caption(http: httpx.Client) -> None:
    page = http.get("/", headers={"Accept": "text/html"}).text
    figure = page.split('id="timeline"', 1)[1].split("</figure>", 1)[0]
    assert 'type="image/svg+xml" data="/timeline.svg"' in figure
    assert "<figcaption" in figure


@needs_chromium
def test_browser_shows_the_timeline_on_the_home_page(
    real_server: Server, http: httpx.Client, tmp_path: Path
) -> None:
    shots = Path(os.environ.get("DEALGRAPH_SCREENSHOTS", tmp_path))
    with browser_page(real_server.url + "/") as page:
        picture = page.locator("#timeline-picture")
        picture.scroll_into_view_if_needed()
        # the object's own document: loaded, same origin, with its bars
        page.wait_for_function(
            "() => { const d = document.querySelector('#timeline-picture').contentDocument;"
            " return d && d.querySelectorAll('g.right-row').length > 0; }"
        )
        box = picture.bounding_box()
        assert box is not None and box["width"] > 600 and box["height"] > 400
        count = page.evaluate(
            "document.querySelector('#timeline-picture')"
            ".contentDocument.querySelectorAll('g.right-row').length"
        )
        assert count == rights_in_graph(http)
        assert "Every agreement version" in (page.text_content("#timeline figcaption") or "")
        picture.screenshot(path=str(shots / "real-home-timeline.png"))
