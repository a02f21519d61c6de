"""The endpoint over the real, shipped data, exercised as a researcher would use it.

The shipped project (this repository) is built through the real gate into a temporary store,
and a real server is started on 127.0.0.1 once for the module.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pyoxigraph
import pytest
from markupsafe import escape
from process_support import Server
from rdflib import Dataset, Graph, Namespace
from SPARQLWrapper import JSON, SPARQLWrapper
from web_support import REPO_ROOT, browser_page, needs_chromium

from dealgraph.queries import load_queries

ID = Namespace("https://w3id.org/dealgraph/id/")
DG = Namespace("https://w3id.org/dealgraph/ontology#")
RIGHT = "/id/right/microsoft-research-ip-agi-or-2030"
AGREEMENT = "/id/agreement/2025-10-definitive-agreement"
QUOTE = "Ces droits ne couvrent pas l’architecture des modèles"


def check(response: httpx.Response, status: int = 200) -> httpx.Response:
    """Assert *status*, showing the start of the body when it differs."""
    assert response.status_code == status, response.text[:500]
    return response


def microsoft_rights_question() -> str:
    """The text of queries/microsoft-rights-and-expiry.rq."""
    return next(
        q.text
        for q in load_queries(REPO_ROOT / "queries")
        if q.name == "microsoft-rights-and-expiry"
    )


@pytest.fixture(scope="module")
def rights_held_now(shipped_store: pyoxigraph.Store) -> list[str]:
    """The rights the question lists, asked of the store in-process (its answer changes as
    rights end, so the tests compare the endpoint with the engine rather than a number)."""
    solutions = shipped_store.query(microsoft_rights_question(), use_default_graph_as_union=True)
    rights = [solution["right"].value for solution in solutions]
    assert str(ID["right/microsoft-research-ip-agi-or-2030"]) in rights  # held until 2030
    return rights


def test_sparqlwrapper_runs_the_microsoft_rights_question(
    real_server: Server, rights_held_now: list[str]
) -> None:
    sparql = SPARQLWrapper(real_server.url + "/sparql")
    sparql.setQuery(microsoft_rights_question())
    sparql.setReturnFormat(JSON)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [row["right"]["value"] for row in rows] == rights_held_now
    assert all(row["right"]["value"].startswith(str(ID["right/"])) for row in rows)


def test_right_page_shows_label_evidence_carve_outs_and_agreement(http: httpx.Client) -> None:
    page = check(http.get(RIGHT, headers={"Accept": "text/html"})).text
    assert "Microsoft’s rights to OpenAI’s research until AGI verification or 2030" in page
    assert QUOTE in page
    assert "000_1360818c7821c995.txt" in page
    assert "Model weights" in page
    assert f'href="{AGREEMENT}"' in page


@pytest.mark.parametrize(
    ("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_right_as_rdf_has_its_expiry_condition(http: httpx.Client, accept: str, fmt: str) -> None:
    response = check(http.get(RIGHT, headers={"Accept": accept}))
    assert response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=fmt)
    expiry = ID["trigger/agi-verified-or-2030"]
    assert (ID["right/microsoft-research-ip-agi-or-2030"], DG.expiryCondition, expiry) in graph


def test_home_page_lists_every_question_and_dg_classes(http: httpx.Client) -> None:
    page = check(http.get("/", headers={"Accept": "text/html"})).text
    queries = load_queries(REPO_ROOT / "queries")
    assert len(queries) >= 12
    for query in queries:
        assert str(escape(query.title)) in page, query.title
    classes = page.split('id="classes"', 1)[1].split("</table>", 1)[0]
    assert ">right<" in classes
    assert str(DG.Right) in classes
    assert "owl#Class" not in classes and ">Class<" not in classes


def test_construct_of_a_right_is_turtle_that_parses(http: httpx.Client) -> None:
    right = ID["right/microsoft-research-ip-agi-or-2030"]
    query = f"CONSTRUCT {{ <{right}> ?p ?o }} WHERE {{ <{right}> ?p ?o }}"
    response = check(
        http.get("/sparql", params={"query": query}, headers={"Accept": "text/turtle"})
    )
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert (None, DG.holder, ID["company/microsoft"]) in graph
    assert len(graph) >= 10


@pytest.mark.parametrize("path", ["/void", "/sparql"])
def test_void_and_service_description_name_the_graphs(http: httpx.Client, path: str) -> None:
    response = check(http.get(path, headers={"Accept": "text/turtle"}))
    graph = Graph().parse(data=response.text, format="turtle")
    objects = {str(o) for o in graph.objects()}
    for name in ("asserted", "inferred", "ontology"):
        assert f"https://w3id.org/dealgraph/graph/{name}" in objects


def test_agreement_page_marks_inferred_grants(http: httpx.Client) -> None:
    page = check(http.get(AGREEMENT, headers={"Accept": "text/html"})).text
    rows = [r for r in page.split("<tr") if "/ontology#grants" in r]
    assert len(rows) == 10  # the ten rights it grants, entailed as the inverse of dg:grantedBy
    assert all('class="inferred"' in r and "reasoner" in r for r in rows)
    curated = [r for r in page.split("<tr") if "/ontology#party" in r]
    assert curated and not any('class="inferred"' in r for r in curated)


def test_right_page_marks_inferred_types_not_its_holder(http: httpx.Client) -> None:
    page = check(http.get(RIGHT, headers={"Accept": "text/html"})).text
    holder = [r for r in page.split("<tr") if "/ontology#holder" in r]
    assert len(holder) == 1 and 'class="inferred"' not in holder[0]
    types = page.split('class="types"', 1)[1].split("</p>", 1)[0]
    right_type = types.split('href="/ontology#Right"', 1)[1].split("</span></span>", 1)[0]
    assert 'class="inferred"' in right_type  # dg:Right: a superclass membership, entailed
    own_type = types.split('href="/ontology#IntellectualPropertyRight"', 1)[1]
    assert 'class="inferred"' not in own_type.split("</span>", 1)[0]


def test_rdf_answers_do_not_mark_inferred_facts(http: httpx.Client) -> None:
    response = check(http.get(AGREEMENT, headers={"Accept": "text/turtle"}))
    graph = Graph().parse(data=response.text, format="turtle")
    agreement = ID["agreement/2025-10-definitive-agreement"]
    assert len(set(graph.objects(agreement, DG.grants))) == 10
    assert "inferred" not in {str(p) for p in graph.predicates()}


@needs_chromium
def test_browser_example_run_and_follow_a_right(
    real_server: Server, rights_held_now: list[str], tmp_path: Path
) -> None:
    held = len(rights_held_now)
    shots = Path(os.environ.get("DEALGRAPH_SCREENSHOTS", tmp_path))
    with browser_page(real_server.url + "/") as page:
        page.get_by_text("Which rights Microsoft holds, and when each expires").click()
        assert "dg:holder co:microsoft" in page.input_value("#query")
        page.click("#run")
        page.wait_for_selector("#results table tbody tr, #error:not([hidden])")
        assert page.locator("#error").is_hidden(), page.text_content("#error")
        assert page.locator("#results table tbody tr").count() == held
        assert (page.text_content("#row-count") or "").startswith(f"{held} rows in ")
        links = page.locator("#results tbody tr td:first-child a[href^='/id/right/']")
        assert links.count() == held
        page.screenshot(path=str(shots / "real-home-after-example.png"), full_page=True)
        target = page.locator(f"#results a[href='{RIGHT}']")
        with page.expect_navigation() as navigation:
            target.click()
        response = navigation.value
        assert response is None or response.status == 200, response.text()
        assert page.url.endswith(RIGHT)
        assert QUOTE in page.text_content("main")
        assert "000_1360818c7821c995.txt" in page.text_content("main")
        page.screenshot(path=str(shots / "real-right-page.png"), full_page=True)


def test_dump_has_as_many_quads_as_health_reports(http: httpx.Client) -> None:
    triples = check(http.get("/health")).json()["triples"]
    dump = check(http.get("/dump.nq"))
    dataset = Dataset()
    dataset.parse(data=dump.text, format="nquads")
    assert len(list(dataset.quads((None, None, None, None)))) == triples
    assert {str(g.identifier) for g in dataset.graphs()} >= {
        f"https://w3id.org/dealgraph/graph/{n}" for n in ("asserted", "inferred", "ontology")
    }


def test_oracle_page_shows_the_june_2024_capacity_permission(http: httpx.Client) -> None:
    page = check(http.get("/id/company/oracle", headers={"Accept": "text/html"})).text
    assert 'href="/id/right/openai-oracle-capacity"' in page
    assert 'href="/id/subject/oracle-capacity"' in page
