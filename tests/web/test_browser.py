"""The query page in real headless Chromium: click an example, run it, see its rows."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from web_support import launch_chromium, needs_chromium

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def test_click_example_run_and_see_rows(server, page, tmp_path):
    page.goto(server.url + "/")
    assert "Which companies are in the graph?" in page.content()
    page.click("button.example[data-name='01-companies']")
    assert "dg:Company" in page.evaluate("window.dealgraphEditor.getValue()")
    page.click("#run")
    page.wait_for_selector("#results table tbody tr")
    rows = page.locator("#results table tbody tr")
    assert rows.count() == 3
    assert page.locator("#results a[href='/id/company/microsoft']").count() == 1
    assert page.text_content("#row-count").startswith("3 rows in ")
    assert page.locator("#downloads a").count() == 4
    shot = Path(os.environ.get("DEALGRAPH_SCREENSHOTS", tmp_path)) / "query-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


def test_ctrl_enter_runs_and_errors_are_shown(server, page):
    page.goto(server.url + "/")
    page.evaluate("window.dealgraphEditor.setValue('SELECT * WHERE { ?s ?p }')")
    page.click(".cm-content")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#error:not([hidden])")
    assert "syntax error" in page.text_content("#error").lower()


def test_resource_page_renders(server, page, tmp_path):
    page.goto(server.url + "/id/right/microsoft-openai-ip-2032")
    assert page.locator("h1").text_content() == "Microsoft's rights to OpenAI IP until 2032"
    shot = Path(os.environ.get("DEALGRAPH_SCREENSHOTS", tmp_path)) / "resource-page.png"
    page.screenshot(path=str(shot), full_page=True)


def test_iris_that_are_not_web_addresses_are_shown_as_text_not_links(server, page):
    query = (
        "SELECT ?x WHERE { VALUES ?x { <javascript:alert(document.domain)> "
        "<data:text/html,hello> <https://example.org/a> "
        "<https://w3id.org/dealgraph/id/company/microsoft> } }"
    )
    page.goto(server.url + "/?" + urlencode({"query": query}))
    page.wait_for_selector("#results table tbody tr")
    assert page.locator("#results table tbody tr").count() == 4
    hrefs = page.eval_on_selector_all("#results a", "links => links.map(a => a.href)")
    assert hrefs == ["https://example.org/a", server.url + "/id/company/microsoft"]
    shown = page.locator("#results span.iri").all_text_contents()
    assert shown == ["javascript:alert(document.domain)", "data:text/html,hello"]
