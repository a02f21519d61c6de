"""/asof and /diff over HTTP: the same answers as the command line, as JSON and HTML, with
clear 400s for bad questions, and a page where a researcher picks a date."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import httpx
import pytest
from process_support import Server
from web_support import browser_page, needs_chromium

ID = "https://w3id.org/dealgraph/id/"


def cli_json(store: Path, *args: str) -> dict:
    """What ``dealgraph ARGS --format json`` prints on the session's shipped store."""
    done = subprocess.run(
        [sys.executable, "-m", "dealgraph", *args, "--store", str(store), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("day", "holder"),
    [("2019-06-30", ""), ("2024-12-31", "Microsoft"), ("2025-10-15", "openai"), ("2030-12-31", "")],
)
def test_asof_json_is_the_answer_of_the_command_line(
    http: httpx.Client, shipped_store_dir: Path, day: str, holder: str
) -> None:
    response = http.get("/asof", params={"date": day, "holder": holder, "format": "json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    args = ["asof", day, *(["--holder", holder] if holder else [])]
    assert response.json() == cli_json(shipped_store_dir, *args)


def test_asof_on_the_last_day_of_2024_includes_the_rights_confirmed_in_january_2025(
    http: httpx.Client,
) -> None:
    params = {"date": "2024-12-31", "holder": "Microsoft"}
    answer = http.get("/asof", params=params, headers={"Accept": "application/json"}).json()
    held = {right["iri"].removeprefix(ID) for right in answer["rights"]}
    assert "right/microsoft-openai-ip-2030" in held
    assert answer["as_of"] == "2024-12-31"
    assert set(answer["rights"][0]) >= {
        "iri", "label", "holder", "grantor", "from", "until", "expiry", "agreement", "evidence",
    }  # fmt: skip


def test_asof_in_the_future_says_no_trigger_event_is_assumed(http: httpx.Client) -> None:
    answer = http.get("/asof", params={"date": "2033-06-30", "format": "json"}).json()
    assert "AGI" in answer["note"]


def test_asof_with_a_bad_date_is_a_400_naming_the_date(http: httpx.Client) -> None:
    response = http.get("/asof", params={"date": "2025-02-30", "format": "json"})
    assert response.status_code == 400
    assert response.text == (
        "'2025-02-30' is not a valid date: write it as YYYY-MM-DD, e.g. 2025-06-30\n"
    )


def test_asof_with_an_unknown_holder_is_a_400(http: httpx.Client) -> None:
    response = http.get("/asof", params={"date": "2025-06-30", "holder": "Nobody Inc"})
    assert response.status_code == 400
    assert "Nobody Inc" in response.text


def test_asof_html_lists_the_same_rights_as_the_json(http: httpx.Client) -> None:
    params = {"date": "2025-06-30", "holder": "Microsoft"}
    answer = http.get("/asof", params={**params, "format": "json"}).json()
    page = http.get("/asof", params=params, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    for right in answer["rights"]:
        assert f'href="/id/{right["iri"].removeprefix(ID)}"' in page.text
    assert page.text.count("<tr>") == len(answer["rights"]) + 1  # with the header row


def test_asof_answers_304_to_a_client_with_a_current_copy(http: httpx.Client) -> None:
    params = {"date": "2025-06-30", "format": "json"}
    first = http.get("/asof", params=params)
    again = http.get("/asof", params=params, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    other = http.get(
        "/asof", params={"date": "2025-07-01", "format": "json"},
        headers={"If-None-Match": first.headers["etag"]},
    )  # fmt: skip
    assert other.status_code == 200


def test_diff_json_is_the_answer_of_the_command_line(
    http: httpx.Client, shipped_store_dir: Path
) -> None:
    start, end = "2025-01-15", "ag:2025-10-definitive-agreement"
    json_only = {"Accept": "application/json"}
    response = http.get("/diff", params={"from": start, "to": end}, headers=json_only)
    assert response.status_code == 200, response.text
    assert response.json() == cli_json(shipped_store_dir, "diff", start, end)
    assert set(response.json()) == {"from", "to", "kept", "ended", "new", "revised"}


def test_diff_without_both_ends_is_a_400_for_machines_and_a_form_for_people(
    http: httpx.Client,
) -> None:
    response = http.get("/diff", params={"from": "2025-01-15", "format": "json"})
    assert response.status_code == 400
    assert response.text == (
        "give both 'from' and 'to': each a date (YYYY-MM-DD) or an agreement\n"
    )
    page = http.get("/diff", headers={"Accept": "text/html"})
    assert page.status_code == 200 and 'id="diff-from"' in page.text


def test_diff_with_an_unknown_agreement_is_a_400(http: httpx.Client) -> None:
    response = http.get("/diff", params={"from": "ag:no-such-deal", "to": "2025-01-01"})
    assert response.status_code == 400
    assert response.text == (
        f"unknown agreement <{ID}agreement/no-such-deal>: no dated agreement in the graph has it\n"
    )


@needs_chromium
def test_browser_picks_a_date_under_the_timeline_and_sees_what_was_in_force(
    real_server: Server, http: httpx.Client
) -> None:
    expected = http.get("/asof", params={"date": "2025-03-01", "format": "json"}).json()
    with browser_page(real_server.url + "/") as page:
        page.fill("#home-asof-date", "2025-03-01")
        page.click("form.asof-form button")
        page.wait_for_selector("#asof-count")
        assert page.url.endswith("/asof?date=2025-03-01")
        assert page.locator("#asof-rights tbody tr").count() == len(expected["rights"])
        page.fill("#asof-holder", "Microsoft")
        page.click("form.asof-form button")
        page.wait_for_url("**holder=Microsoft")
        assert "held by Microsoft" in (page.text_content("#asof-count") or "")


def test_asof_without_a_date_answers_for_today(http: httpx.Client) -> None:
    answer = http.get("/asof", params={"format": "json"}).json()
    assert answer["as_of"] == date.today().isoformat()
    assert "note" not in answer  # today is not in the future
    dated = {"date": date.today().isoformat(), "format": "json"}
    assert answer == http.get("/asof", params=dated).json()
