"""The researcher's workbench in real headless Chromium, at 1280 and at 375 px, on the shipped
data: the editor, readable answers, errors, history, search, navigation, any screen."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from web_support import launch_chromium, needs_chromium

pytestmark = needs_chromium

WIDTHS = [1280, 375]
README_EXAMPLE = "SELECT ?r WHERE { ?r a dg:RightOfFirstRefusal }"
ROFR = "https://w3id.org/dealgraph/id/right/microsoft-compute-rofr"
ROFR_LABEL = "Microsoft’s right of first refusal on OpenAI’s new compute capacity"
RIGHTS = "SELECT ?right ?holder WHERE { ?right a dg:Right ; dg:holder ?holder } LIMIT 5"
BROKEN = "SELECT ?r WHERE {\n  ?r a nope:Right .\n}"
PAGES = [
    "/", "/?" + urlencode({"query": RIGHTS}), "/search?q=oracle", "/id/company/oracle",
    "/id/right/openai-oracle-capacity", "/void", "/sparql?format=html", "/cite", "/ontology",
    "/asof", "/diff",
]  # fmt: skip


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = launch_chromium(p)
        yield chromium
        chromium.close()


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def width(request) -> int:
    return request.param


def open_page(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900 if width > 600 else 812})
    page.goto(url)
    return page


def run(page, query: str) -> None:
    page.evaluate("q => window.dealgraphEditor.setValue(q)", query)
    page.click("#run")


def test_no_page_scrolls_sideways(browser, real_server, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    wide = {}
    for path in PAGES:
        page.goto(real_server.url + path)
        page.wait_for_load_state("networkidle")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = scroll
    page.close()
    assert wide == {}


def test_skip_link_is_the_first_tab_stop(browser, real_server, width):
    page = open_page(browser, real_server.url + "/", width)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()


def test_editor_highlights_matches_brackets_and_completes(browser, real_server, width):
    page = open_page(browser, real_server.url + "/", width)
    page.fill("#query", "ASK { ?s ?p ?o }")  # the form's textarea, kept for no-JS submits,
    assert page.evaluate("window.dealgraphEditor.getValue()") == "ASK { ?s ?p ?o }"  # syncs
    page.evaluate("q => window.dealgraphEditor.setValue(q)", "SELECT * WHERE { ?s a dg:RightOf")
    assert page.locator(".cm-content .cm-line span[class]").count() >= 3  # highlighted tokens
    page.click(".cm-content")
    page.keyboard.press("End")
    page.keyboard.press("Control+Space")
    options = page.locator(".cm-tooltip-autocomplete li .cm-completionLabel")
    options.first.wait_for()
    assert "dg:RightOfFirstRefusal" in options.all_text_contents()
    page.keyboard.press("Escape")
    page.keyboard.type(" }")
    page.keyboard.press("ArrowLeft")
    assert page.locator(".cm-matchingBracket").count() == 2
    page.keyboard.press("Control+End")
    page.keyboard.type("\nsk")
    page.keyboard.press("Control+Space")
    options.first.wait_for()
    assert "skos:" in options.all_text_contents()
    page.close()


def test_readme_example_without_prefix_answers_with_labels(browser, real_server, width):
    page = open_page(browser, real_server.url + "/", width)
    run(page, README_EXAMPLE)
    link = page.locator(f"#results a[data-iri='{ROFR}'].labelled")
    link.wait_for()
    assert link.text_content() == ROFR_LABEL
    assert ROFR in link.get_attribute("title")  # the IRI, one hover away
    assert link.get_attribute("href") == "/id/right/microsoft-compute-rofr"
    assert page.text_content("#row-count").startswith("1 row in ")
    assert page.locator("#limit-warning").count() == 0
    page.close()


def test_results_sit_next_to_the_editor_on_a_wide_screen(browser, real_server):
    page = open_page(browser, real_server.url + "/", 1280)
    editor = page.locator(".editor-pane").bounding_box()
    output = page.locator(".results-pane").bounding_box()
    examples = page.locator(".examples").bounding_box()
    assert output["x"] >= editor["x"] + editor["width"]
    assert output["y"] < examples["y"]
    page.close()


def test_columns_sort_and_limit_warns(browser, real_server, width):
    page = open_page(browser, real_server.url + "/", width)
    run(page, RIGHTS)
    page.locator("#results a.labelled").first.wait_for()
    assert page.text_content("#row-count").startswith("5 rows")
    assert "LIMIT 5 cut the answer" in page.text_content("#limit-warning")
    header = page.locator("#results th").first
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = page.locator("#results tbody tr td:first-child").all_text_contents()
    assert ascending == sorted(ascending, key=str.casefold)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    descending = page.locator("#results tbody tr td:first-child").all_text_contents()
    assert descending == ascending[::-1]
    page.close()


def test_syntax_error_is_marked_at_its_line_within_the_first_screen(browser, real_server, width):
    page = open_page(browser, real_server.url + "/", width)
    run(page, BROKEN)
    page.wait_for_selector("#error:not([hidden])")
    message = page.text_content("#error")
    assert message.startswith("Error 400: query:2:18: SPARQL syntax error: undeclared prefix")
    box = page.locator("#error").bounding_box()
    assert box["y"] >= 0 and box["y"] + 20 <= page.viewport_size["height"]
    marked = page.locator(".cm-line").nth(1).locator(".cm-lintRange-error")
    assert marked.text_content() == "nope:Right"
    assert page.locator(".cm-lint-marker-error").count() == 1
    page.close()


def test_query_history_follows_back_and_forward(browser, real_server, width):
    page = open_page(browser, real_server.url + "/", width)
    first, second = README_EXAMPLE, RIGHTS
    run(page, first)
    page.wait_for_selector("#row-count")
    run(page, second)
    page.wait_for_selector("#limit-warning")
    page.go_back()
    page.wait_for_function("q => window.dealgraphEditor.getValue() === q", arg=first)
    page.wait_for_selector(f"#results a[data-iri='{ROFR}']")
    page.go_forward()
    page.wait_for_function("q => window.dealgraphEditor.getValue() === q", arg=second)
    page.wait_for_selector("#limit-warning")
    page.close()


def test_timeline_links_leave_the_tab_order_for_one_list(browser, real_server):
    page = open_page(browser, real_server.url + "/", 1280)
    page.wait_for_selector("#timeline-links:not([hidden])")
    tabbable = page.evaluate(
        """() => {
          const svg = document.getElementById('timeline-picture').contentDocument;
          const links = Array.from(svg.querySelectorAll('a'));
          return [links.length, links.filter(a => a.getAttribute('tabindex') !== '-1').length];
        }"""
    )
    assert tabbable[0] > 20 and tabbable[1] == 0
    assert page.locator("#timeline-links li a").count() > 5
    assert page.get_attribute("#timeline-picture", "tabindex") == "-1"
    page.close()


def test_menu_leads_to_pages_and_search_not_to_health(browser, real_server, width):
    page = open_page(browser, real_server.url + "/", width)
    hrefs = page.locator("header nav a").evaluate_all("links => links.map(a => a.pathname)")
    assert "/health" not in hrefs
    page.click("header nav a[href='/void']")
    assert page.text_content("h1") == "The dataset, described (VoID)"
    page.click("header nav a[href='/sparql?format=html']")
    assert page.text_content("h1") == "The SPARQL endpoint, described"
    assert page.locator("#prefix-table code", has_text="dg:").count() == 1
    page.fill("header input[type=search]", "droit de premier refus")
    page.press("header input[type=search]", "Enter")
    page.wait_for_selector("#search-results")
    assert page.locator("#search-results a[href='/id/right/microsoft-compute-rofr']").count() == 1
    page.close()


def test_quote_and_translation_side_by_side_or_stacked(browser, real_server, width):
    page = open_page(browser, real_server.url + "/id/right/openai-oracle-capacity", width)
    pair = page.locator(".quote-pair").first
    quote = pair.locator("blockquote[lang=fr]").bounding_box()
    translation = pair.locator("blockquote.translation").bounding_box()
    if width > 900:
        assert translation["x"] > quote["x"] + quote["width"] - 1
    else:
        assert translation["y"] >= quote["y"] + quote["height"]
    assert "cite (BibTeX)" in pair.text_content()
    page.close()
