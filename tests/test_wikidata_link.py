"""`dealgraph link`: candidates from a real SPARQL server, ranked by kind, decoys included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from process_support import free_port
from rdflib import OWL, Graph, Namespace, URIRef
from typer.testing import CliRunner
from wikidata_support import (
    ROOT,
    Scripted,
    copy_sources,
    scripted_server,
)

from dealgraph.cli import app
from dealgraph.wikidata.candidates import accepted, find_candidates
from dealgraph.wikidata.client import USER_AGENT, select

runner = CliRunner()
DG = Namespace("https://w3id.org/dealgraph/ontology#")
ID = "https://w3id.org/dealgraph/id/"
WD = "http://www.wikidata.org/entity/"
EMPTY_RESULTS = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()
JSON_HEADERS = {"Content-Type": "application/sparql-results+json"}


def link_json(*args: str) -> dict:
    result = runner.invoke(app, ["link", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("name", "qid", "decoy"),
    [
        ("Oracle", "Q19900", "Q990100"),  # the prophet has more sitelinks and the exact label
        ("Amazon", "Q3884", "Q990200"),  # the river has more sitelinks
        ("Anthropic", "Q116758847", "Q990400"),  # the principle has more sitelinks
    ],
)
def test_the_kind_ranks_the_company_above_a_decoy_with_more_sitelinks(
    wikidata: str, name: str, qid: str, decoy: str
) -> None:
    candidates = link_json("--name", name, "--kind", "company", "--endpoint", wikidata)[
        "candidates"
    ]
    assert [c["qid"] for c in candidates] == [qid, decoy]
    assert candidates[0]["score"] > candidates[1]["score"]
    sitelinks = {c["qid"]: c["sitelinks"] for c in candidates}
    assert sitelinks[decoy] > sitelinks[qid]


def test_a_group_ranks_above_its_subsidiary_of_the_same_name(wikidata: str) -> None:
    found = find_candidates(wikidata, {"k": ("company", ["SoftBank"])})["k"]
    assert [c.qid for c in found] == ["Q201653", "Q990300"]  # SoftBank Corp. has more sitelinks
    assert accepted(found) == found[0]


@pytest.mark.parametrize(
    ("name", "kind", "qid"),
    [
        ("Donald Trump", "person", "Q22686"),
        ("ChatGPT", "product", "Q115564437"),
        ("Microsoft Azure", "product", "Q725967"),
        ("Gouvernement des États-Unis", "organization", "Q48525"),  # a French alias
        ("JPMorgan", "company", "Q192314"),  # an English alias
    ],
)
def test_people_products_and_public_bodies_are_found_by_label_or_alias(
    wikidata: str, name: str, kind: str, qid: str
) -> None:
    found = find_candidates(wikidata, {"k": (kind, [name])})["k"]
    assert accepted(found) is not None and accepted(found).qid == qid


def test_no_candidate_is_accepted_when_none_is_of_the_kind(wikidata: str) -> None:
    found = find_candidates(wikidata, {"k": ("person", ["Oracle"])})["k"]
    assert {c.qid for c in found} == {"Q19900", "Q990100"}
    assert accepted(found) is None


def test_json_output_lists_candidates_best_first_with_qid_label_description_score(
    wikidata: str,
) -> None:
    output = link_json("--name", "Amazon", "--kind", "company", "--endpoint", wikidata)
    assert list(output) == ["candidates"]
    for candidate in output["candidates"]:
        assert {"qid", "label", "description", "score"} <= set(candidate)
        assert candidate["qid"].startswith("Q") and isinstance(candidate["score"], float)
    scores = [c["score"] for c in output["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_table_output_shows_qid_label_description_and_score(wikidata: str) -> None:
    result = runner.invoke(
        app, ["link", "--name", "Oracle", "--kind", "company", "--endpoint", wikidata]
    )
    assert result.exit_code == 0, result.output
    header, _rule, first, *_ = result.stdout.splitlines()
    assert header.split() == ["qid", "label", "description", "score"]
    assert first.startswith("Q19900") and "Oracle Corporation" in first


def unlinked_in(root: Path) -> set[str]:
    """Companies, people, products and organisations without owl:sameAs, by plain SPARQL."""
    graph = Graph()
    for path in [*(root / "ontology").glob("*.ttl"), *(root / "data").glob("*.ttl")]:
        graph.parse(path)
    rows = graph.query(
        """PREFIX dg: <https://w3id.org/dealgraph/ontology#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?e WHERE {
          VALUES ?top { dg:Company dg:Person dg:Product dg:Organization }
          ?e a ?c . ?c rdfs:subClassOf* ?top .
          FILTER NOT EXISTS { ?e owl:sameAs ?item }
        }"""
    )
    return {str(row[0]) for row in rows}


def test_link_without_name_covers_every_unlinked_entity_of_the_graph(wikidata: str) -> None:
    output = link_json("--root", str(ROOT), "--endpoint", wikidata)
    entities = {e["entity"] for e in output["entities"]}
    assert entities == unlinked_in(ROOT)
    assert ID + "body/agi-expert-panel" in entities
    assert ID + "company/microsoft" not in entities  # linked in data/wikidata-links.ttl


def test_write_records_the_accepted_links_as_turtle_that_agrees_with_the_curated_links(
    wikidata: str, tmp_path: Path
) -> None:
    root = copy_sources(tmp_path, links=False)
    written = tmp_path / "proposed.ttl"
    result = runner.invoke(
        app, ["link", "--root", str(root), "--endpoint", wikidata, "--write", str(written)]
    )
    assert result.exit_code == 0, result.output
    proposed = Graph().parse(written)
    links = {(str(s), str(o)) for s, o in proposed.subject_objects(OWL.sameAs)}
    for slug, qid in [
        ("company/oracle", "Q19900"),
        ("company/amazon", "Q3884"),
        ("company/softbank", "Q201653"),
        ("company/anthropic", "Q116758847"),
        ("person/elon-musk", "Q317521"),
    ]:
        assert (ID + slug, WD + qid) in links
    for subject in proposed.subjects(OWL.sameAs):
        assert proposed.value(subject, DG.linkConfirmedBy) is not None
    curated = Graph().parse(ROOT / "data" / "wikidata-links.ttl")
    for subject, item in proposed.subject_objects(OWL.sameAs):
        assert curated.value(subject, OWL.sameAs) == item, f"{subject} disagrees"


def test_a_429_answer_is_retried_after_the_delay_it_asks_for() -> None:
    script = Scripted(
        answers=[
            (429, {"Retry-After": "0"}, b"slow down", 0.0),
            (200, JSON_HEADERS, EMPTY_RESULTS, 0.0),
        ]
    )
    with scripted_server(script) as url:
        result = runner.invoke(
            app, ["link", "--name", "Oracle", "--kind", "company", "--endpoint", url, "-F", "json"]
        )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"candidates": []}
    assert len(script.requests) == 2


def test_retry_after_and_exponential_backoff_set_the_waits() -> None:
    waits: list[float] = []
    script = Scripted(
        answers=[
            (429, {"Retry-After": "7"}, b"", 0.0),
            (503, {}, b"", 0.0),
            (502, {}, b"", 0.0),
            (200, JSON_HEADERS, EMPTY_RESULTS, 0.0),
        ]
    )
    with scripted_server(script) as url:
        assert select(url, "ASK {}", backoff=0.5, sleep=waits.append) == []
    assert waits == [7.0, 1.0, 2.0]  # Retry-After, then 0.5 * 2**attempt


def test_requests_name_dealgraph_in_their_user_agent() -> None:
    script = Scripted(answers=[(200, JSON_HEADERS, EMPTY_RESULTS, 0.0)])
    with scripted_server(script) as url:
        select(url, "SELECT * {}")
    assert script.requests[0]["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("dealgraph/") and "https://w3id.org/dealgraph" in USER_AGENT


def test_names_are_sent_in_batches() -> None:
    script = Scripted(answers=[(200, JSON_HEADERS, EMPTY_RESULTS, 0.0)])
    wanted = {f"k{i}": ("company", [f"Name {i}"]) for i in range(5)}
    with scripted_server(script) as url:
        found = find_candidates(url, wanted, batch_size=2)
    assert len(script.requests) == 3
    assert found == {key: [] for key in wanted}


def test_a_timeout_is_one_clear_error_with_exit_2() -> None:
    script = Scripted(answers=[(200, JSON_HEADERS, EMPTY_RESULTS, 3.0)])
    with scripted_server(script) as url:
        result = runner.invoke(
            app,
            ["link", "--name", "Oracle", "--kind", "company", "--endpoint", url]
            + ["--timeout", "0.5", "--retries", "0"],
        )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: cannot reach {url}: no answer within 0.5 s (1 try); "
        "the graph builds without a Wikidata snapshot"
    )


def test_an_unreachable_endpoint_exits_2_with_one_sentence() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = runner.invoke(app, ["link", "--root", str(ROOT), "--endpoint", url, "--retries", "1"])
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith(f"error: cannot reach {url}: connection failed")
    assert message.endswith("(2 tries); the graph builds without a Wikidata snapshot")
    assert "\n" not in message


def test_the_resource_iri_is_the_wikidata_entity_iri(wikidata: str) -> None:
    found = find_candidates(wikidata, {"k": ("company", ["Microsoft"])})["k"]
    assert URIRef(found[0].iri) == URIRef(WD + "Q2283")
