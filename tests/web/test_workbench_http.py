"""The researcher's workbench over HTTP, on the shipped data: predeclared prefixes and their
listing, readable syntax errors, search, citations, VoID and the service description."""

from __future__ import annotations

import json
import subprocess
import sys

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SH
from web_support import REPO_ROOT

from dealgraph.namespaces import PREFIXES

README_EXAMPLE = "SELECT ?r WHERE { ?r a dg:RightOfFirstRefusal }"
ROFR = "https://w3id.org/dealgraph/id/right/microsoft-compute-rofr"
ANY_URI = URIRef("http://www.w3.org/2001/XMLSchema#anyURI")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
UNDECLARED = (
    "undeclared prefix just before this point: declare it with a PREFIX line or use a "
    "predeclared one (" + ", ".join(f"{p}:" for p in PREFIXES) + ")"
)


def test_readme_example_runs_without_prefix_over_http(http):
    r = http.get("/sparql", params={"query": README_EXAMPLE, "format": "json"})
    assert r.status_code == 200, r.text
    assert ROFR in {b["r"]["value"] for b in r.json()["results"]["bindings"]}


def test_readme_example_runs_without_prefix_in_the_cli(shipped_store_dir):
    done = subprocess.run(
        [sys.executable, "-m", "dealgraph", "query", README_EXAMPLE, "--format", "json",
         "--store", str(shipped_store_dir), "--root", str(REPO_ROOT)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert ROFR in {b["r"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]}


def test_undeclared_prefix_is_one_sentence_with_line_and_column(http):
    r = http.get("/sparql", params={"query": "SELECT ?r WHERE {\n  ?r a nope:Right .\n}"})
    assert r.status_code == 400
    assert r.text.strip() == f"query:2:18: SPARQL syntax error: {UNDECLARED}"
    assert "\\u{" not in r.text and "\n" not in r.text.strip()


def test_service_description_declares_every_predeclared_prefix(http):
    graph = Graph().parse(data=http.get("/sparql", params={"format": "turtle"}).text)
    declared = {
        str(graph.value(d, SH.prefix)): graph.value(d, SH.namespace)
        for d in graph.objects(None, SH.declare)
    }
    assert declared == {p: Literal(ns, datatype=ANY_URI) for p, ns in PREFIXES.items()}
    assert (None, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/N3")) in graph


def test_service_description_and_void_have_html_views(http):
    page = http.get("/sparql", params={"format": "html"})
    assert page.headers["content-type"].startswith("text/html")
    assert '<table class="small" id="prefix-table">' in page.text
    assert "<code>dg:</code>" in page.text and f"<code>{PREFIXES['wdt']}</code>" in page.text
    void = http.get("/void", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert void.headers["content-type"].startswith("text/html")
    assert 'id="void-summary"' in void.text
    turtle = http.get("/void", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_void_says_version_licence_and_how_to_cite(http):
    build = http.get("/health").json()["build_id"]
    graph = Graph().parse(data=http.get("/void", headers={"Accept": "text/turtle"}).text)
    dataset = URIRef(str(http.base_url).rstrip("/") + "/void#dealgraph")
    assert graph.value(dataset, OWL.versionInfo) == Literal(build)
    assert graph.value(dataset, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert build in str(graph.value(dataset, DCTERMS.bibliographicCitation))


def test_dataset_citation_as_bibtex_and_csl_json(http):
    build = http.get("/health").json()["build_id"]
    bib = http.get("/cite.bib")
    assert bib.headers["content-type"].startswith("application/x-bibtex")
    assert bib.text.startswith("@misc{dealgraph-")
    assert f"version = {{{build}}}" in bib.text
    assert "licence https://creativecommons.org/licenses/by/4.0/" in bib.text
    csl = http.get("/cite.json").json()
    assert csl[0]["type"] == "dataset" and csl[0]["version"] == build
    assert csl[0]["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_an_official_statement_is_cited_with_publisher_date_and_url(http):
    path = "/cite/id/source/openai-2026-04-27-next-phase-of-microsoft-partnership"
    csl = http.get(path + ".json").json()[0]
    assert csl["title"] == "The next phase of the Microsoft partnership"
    assert csl["publisher"] == "OpenAI"
    assert csl["issued"] == {"date-parts": [[2026, 4, 27]]}
    assert csl["URL"] == "https://openai.com/index/next-phase-of-microsoft-partnership/"
    bib = http.get(path + ".bib").text
    assert "url = {https://openai.com/index/next-phase-of-microsoft-partnership/}" in bib
    assert "date = {2026-04-27}" in bib


def test_an_article_citation_marks_its_inferred_date(http):
    csl = http.get("/cite/id/article/004_3fb69948d812f9a2.json").json()[0]
    assert csl["type"] == "article-newspaper"
    assert csl["issued"]["circa"] is True
    assert http.get("/cite/id/company/oracle.bib").status_code == 404


def test_search_is_accent_and_case_insensitive_in_french(http):
    r = http.get("/search", params={"q": "CAPACITE supplementaire aupres d'oracle"})
    assert r.headers["content-type"].startswith("application/json")
    hits = r.json()["results"]
    assert hits[0]["href"] == "/id/subject/oracle-capacity"
    assert hits[0]["label"] == "Additional capacity from Oracle"


def test_search_finds_quotes_through_their_english_translation(http):
    hits = http.get("/search", params={"q": "pressure from shareholders"}).json()["results"]
    consent = next(h for h in hits if h["href"] == "/id/agreement/2024-06-oracle-capacity-consent")
    quote = next(m for m in consent["matches"] if m["field"] == "quote")
    assert quote["text"].startswith("En juin, sous la pression des actionnaires")
    assert quote["translation"].startswith("In June, under pressure from shareholders")
    assert quote["source_href"] == "/id/article/004_3fb69948d812f9a2"


def test_search_page_has_one_search_box_linking_to_entity_pages(http):
    page = http.get("/search", params={"q": "Oracle"}, headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert page.text.count('type="search"') == 2  # the page's box and the header's
    assert 'href="/id/company/oracle"' in page.text


def test_entity_page_shows_quote_translation_and_source_citation(http):
    page = http.get("/id/right/openai-oracle-capacity", headers={"Accept": "text/html"}).text
    assert "« En juin, sous la pression des actionnaires" in page
    assert "In June, under pressure from shareholders, Microsoft allowed OpenAI" in page
    assert 'href="/cite/id/article/004_3fb69948d812f9a2.bib"' in page


def test_statement_page_offers_its_citation(http):
    path = "/id/source/openai-2026-04-27-next-phase-of-microsoft-partnership"
    page = http.get(path, headers={"Accept": "text/html"}).text
    assert f'href="/cite{path}.bib"' in page and f'href="/cite{path}.json"' in page


def test_oracle_page_lists_what_reaches_it_through_the_stargate_agreement(http):
    page = http.get("/id/company/oracle", headers={"Accept": "text/html"}).text
    related = page.split('<section id="related">', 1)[1].split("</section>", 1)[0]
    assert 'href="/id/agreement/stargate-joint-venture"' in related
    assert "Announcement of the Stargate project at the White House" in related
