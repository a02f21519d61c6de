"""Each competency question in queries/ gives its expected answer on the published store."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pyoxigraph
import pytest

from dealgraph.queries import load_queries

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/dealgraph/id/"
DG = "https://w3id.org/dealgraph/ontology#"


@pytest.fixture(scope="module")
def store(shipped_store: pyoxigraph.Store) -> pyoxigraph.Store:
    """The shipped sources, built through the real gate (once per session)."""
    return shipped_store


def short(term: object) -> str | None:
    """A compact text for a result term: id/… and dg:… IRIs shortened, literals as their value."""
    if term is None:
        return None
    value = term.value  # type: ignore[attr-defined]
    return value.removeprefix(ID).removeprefix(DG)


def answer(store: pyoxigraph.Store, name: str, *columns: str) -> list[tuple[str | None, ...]]:
    """Run queries/NAME.rq (union default graph) and keep *columns* of each row, in order."""
    query = next(q for q in load_queries(ROOT / "queries") if q.name == name)
    rows = store.query(query.text, use_default_graph_as_union=True)
    return [tuple(short(row[c]) for c in columns) for row in rows]


def test_every_query_file_has_a_title_a_description_and_a_test() -> None:
    queries = load_queries(ROOT / "queries")
    assert len(queries) >= 12
    tested = {name for name in globals() if name.startswith("test_")}
    # Federated queries are tested against a fixture SERVICE in tests/test_wikidata_*.py.
    tested |= {
        name
        for path in Path(__file__).parent.glob("test_wikidata_*.py")
        for name in re.findall(r"^def (test_\w+)", path.read_text(encoding="utf-8"), re.M)
    }
    for query in queries:
        assert query.title and query.description
        assert any(query.name.replace("-", "_") in t for t in tested), f"no test for {query.name}"


def test_microsoft_rights_and_expiry(store: pyoxigraph.Store) -> None:
    """Only the rights in force today, with their days in force; "2030" runs to 31 December."""
    today = datetime.date.today()
    assert today < datetime.date(2030, 12, 31), "the expected answer below holds until 2030"
    rows = answer(store, "microsoft-rights-and-expiry", "right", "from", "until", "expiryDate")
    assert rows == [
        ("right/microsoft-independent-agi-research", "2025-10-01", None, None),
        ("right/microsoft-research-ip-agi-or-2030", "2025-10-01", "2030-12-31", None),
        (
            "right/microsoft-models-and-products-2032-non-exclusive",
            "2026-04-27",
            "2032-12-31",
            "2032-12-31",
        ),
        ("right/microsoft-primary-cloud-partner", "2026-04-27", None, None),
        ("right/microsoft-revenue-share-2030-capped", "2026-04-27", "2030-12-31", "2030-12-31"),
        ("right/microsoft-ship-first-on-azure", "2026-04-27", None, None),
    ]


def test_rights_ending_at_agi_verification(store: pyoxigraph.Store) -> None:
    rows = answer(
        store, "rights-ending-at-agi-verification", "right", "holder", "combination", "until"
    )
    # all but the research right were ended first, by the April 2026 amended agreement
    assert rows == [
        ("right/microsoft-azure-api-exclusivity-agi", "company/microsoft", None, "2026-04-26"),
        ("right/microsoft-frontier-model-exclusivity-agi", "company/microsoft", None, "2026-04-26"),
        ("right/microsoft-research-ip-agi-or-2030", "company/microsoft", "EarliestOf", None),
        ("right/microsoft-revenue-share-agi", "company/microsoft", None, "2026-04-26"),
        ("right/openai-revenue-share-agi", "company/openai", None, "2026-04-26"),
    ]


def test_changes_january_to_october_2025(store: pyoxigraph.Store) -> None:
    rows = answer(store, "changes-january-to-october-2025", "change", "janRight", "octRight")
    assert rows == [
        ("ended", "right/microsoft-approval-of-for-profit-conversion", None),
        ("ended", "right/microsoft-compute-rofr", None),
        ("kept", "right/openai-additional-capacity", "right/openai-additional-capacity"),
        ("kept", "right/openai-oracle-capacity", "right/openai-oracle-capacity"),
        ("new", None, "right/microsoft-independent-agi-research"),
        ("new", None, "right/openai-open-weight-models"),
        ("new", None, "right/openai-third-party-products"),
        ("new", None, "right/openai-us-government-api"),
        (
            "revised",
            "right/microsoft-api-exclusivity-2030",
            "right/microsoft-azure-api-exclusivity-agi",
        ),
        (
            "revised",
            "right/microsoft-frontier-model-exclusivity",
            "right/microsoft-frontier-model-exclusivity-agi",
        ),
        ("revised", "right/microsoft-openai-ip-2030", "right/microsoft-models-and-products-2032"),
        ("revised", "right/microsoft-openai-ip-2030", "right/microsoft-research-ip-agi-or-2030"),
        ("revised", "right/microsoft-revenue-share-2030", "right/microsoft-revenue-share-agi"),
        ("revised", "right/openai-revenue-share-2030", "right/openai-revenue-share-agi"),
    ]


def test_microsoft_stake_over_time(store: pyoxigraph.Store) -> None:
    rows = answer(
        store, "microsoft-stake-over-time", "date", "issuer", "percentage", "qualifier", "certainty"
    )
    assert [(d, i, float(p), q, c) for d, i, p, q, c in rows] == [
        ("2025-01-01", "company/openai", 49.0, "Exact", "Reported"),
        ("2025-10-01", "company/openai-group-pbc", 27.0, "Approximate", "OfficiallyAnnounced"),
    ]


def test_monetary_figures_with_quotes(store: pyoxigraph.Store) -> None:
    rows = answer(
        store, "monetary-figures-with-quotes", "fact", "amountValue", "qualifier", "quote"
    )
    facts = {(fact, float(value), qualifier) for fact, value, qualifier, _ in rows}
    assert facts == {
        ("investment/stargate-up-to-500b", 500e9, "UpTo"),
        ("valuation/openai-500b", 500e9, "Exact"),
        ("obligation/openai-azure-purchase-250b", 250e9, "Exact"),
        ("stake/microsoft-openai-group-pbc-2025-10", 135e9, "Exact"),
        ("event/agi-100b-profit", 100e9, "AtLeast"),
        ("investment/stargate-initial-100b", 100e9, "Exact"),
        ("investment/microsoft-openai-13b", 13e9, "Exact"),
        ("investment/microsoft-openai-over-13b", 13e9, "AtLeast"),
        ("investment/amazon-anthropic-8b", 8e9, "Exact"),
        ("investment/google-anthropic-2b", 2e9, "Exact"),
    }
    assert all("milliard" in quote or "%" in quote for *_, quote in rows)
    assert float(rows[0][1]) == 500e9 and float(rows[-1][1]) == 2e9  # largest first


def test_facts_on_a_single_reported_source(store: pyoxigraph.Store) -> None:
    rows = answer(store, "facts-on-a-single-reported-source", "fact", "article")
    assert ("stake/microsoft-openai-2025-01", "001_1765ecd6dcc4455c.txt") in rows
    assert ("right/openai-oracle-capacity", "004_3fb69948d812f9a2.txt") in rows
    # reported by two articles: not on a single source
    assert not any(fact == "event/agi-100b-profit" for fact, _ in rows)
    # the 2019 partnership rests on Microsoft's own words (article 003), not only on journalists'
    assert not any(fact == "agreement/2019-partnership" for fact, _ in rows)
    assert len(rows) == 15


def test_where_the_articles_disagree(store: pyoxigraph.Store) -> None:
    rows = answer(store, "where-the-articles-disagree", "disagreement", "claim", "articles")
    claims = {(d, c) for d, c, _ in rows}
    # The AGI definitions are a change over time and "$13B invested" vs "more than $13B
    # committed" agree: neither is a disagreement.
    assert claims == {
        ("disagreement/partnership-start", "agreement/2019-partnership"),
        ("disagreement/partnership-start", "event/close-ties-since-2023"),
    }
    sources = {c: set(a.split()) for _, c, a in rows}
    assert sources["event/close-ties-since-2023"] == {"003_848ed4591a94d92d.txt"}


def test_agreement_versions(store: pyoxigraph.Store) -> None:
    rows = answer(store, "agreement-versions", "agreement", "date", "binding", "revises")
    assert rows == [
        ("agreement/2019-partnership", "2019-01-01", None, None),
        (
            "agreement/2024-06-oracle-capacity-consent",
            "2024-06-01",
            None,
            "agreement/2019-partnership",
        ),
        ("agreement/2025-01-partnership-update", "2025-01-01", None, "agreement/2019-partnership"),
        ("agreement/stargate-joint-venture", "2025-01-01", None, None),
        (
            "agreement/2025-09-memorandum-of-understanding",
            "2025-09-01",
            "false",
            "agreement/2025-01-partnership-update",
        ),
        # no dg:isBinding: the quote ("viennent de conclure un accord majeur") does not say so
        (
            "agreement/2025-10-definitive-agreement",
            "2025-10-01",
            None,
            "agreement/2025-01-partnership-update",
        ),
        (
            "agreement/2025-10-definitive-agreement",
            "2025-10-01",
            None,
            "agreement/2025-09-memorandum-of-understanding",
        ),
        ("agreement/2026-02-joint-statement", "2026-02-27", None, None),
        (
            "agreement/2026-04-amended-agreement",
            "2026-04-27",
            None,
            "agreement/2025-10-definitive-agreement",
        ),
    ]


def test_rights_that_survive_agi(store: pyoxigraph.Store) -> None:
    rows = answer(store, "rights-that-survive-agi", "right", "expiryDate")
    assert rows == [("right/microsoft-models-and-products-2032", "2032-12-31")]


def test_carve_outs(store: pyoxigraph.Store) -> None:
    rows = answer(store, "carve-outs", "right", "excluded")
    research = {e for r, e in rows if r == "right/microsoft-research-ip-agi-or-2030"}
    assert research == {
        "Model architecture",
        "Model weights",
        "Inference code",
        "Fine-tuning code",
        "Data-centre hardware and software infrastructure",
    }
    assert len(rows) == 7


def test_monetary_commitments(store: pyoxigraph.Store) -> None:
    rows = answer(store, "monetary-commitments", "obligation", "obligor", "amountValue")
    assert [(o, who, v and float(v)) for o, who, v in rows] == [
        ("obligation/microsoft-compute-caps-before-agi", "company/microsoft", None),
        ("obligation/openai-azure-commitment-2025-01", "company/openai", None),
        ("obligation/openai-azure-purchase-250b", "company/openai", 250e9),
    ]


def test_regulatory_and_legal_events(store: pyoxigraph.Store) -> None:
    rows = answer(store, "regulatory-and-legal-events", "event", "kind", "date")
    assert rows == [
        ("event/ftc-questions-google", "RegulatoryAction", None),
        ("event/ftc-report-ai-investments", "RegulatoryAction", None),
        ("event/google-asks-us-government-2024-12", "RegulatoryAction", "2024-12-01"),
        ("event/musk-lawsuit", "LegalAction", None),
    ]


def test_rights_each_agreement_grants(store: pyoxigraph.Store) -> None:
    rows = answer(store, "rights-each-agreement-grants", "agreement", "rights")
    assert rows == [
        ("agreement/2025-10-definitive-agreement", "10"),
        ("agreement/2019-partnership", "7"),
        ("agreement/2026-04-amended-agreement", "5"),
        ("agreement/2025-01-partnership-update", "2"),
        ("agreement/2024-06-oracle-capacity-consent", "1"),
    ]


def test_rights_expiring_by_2030(store: pyoxigraph.Store) -> None:
    rows = answer(store, "rights-expiring-by-2030", "right", "date")
    assert rows == [
        # "jusqu'en 2030" is a period: through 31 December 2030
        ("right/microsoft-api-exclusivity-2030", "2030-12-31"),
        ("right/microsoft-openai-ip-2030", "2030-12-31"),
        ("right/microsoft-research-ip-agi-or-2030", "2030-12-31"),
        ("right/microsoft-revenue-share-2030", "2030-12-31"),
        ("right/microsoft-revenue-share-2030-capped", "2030-12-31"),
        ("right/openai-revenue-share-2030", "2030-12-31"),
    ]


def test_evidence_per_article(store: pyoxigraph.Store) -> None:
    rows = answer(store, "evidence-per-article", "article", "quotes")
    assert rows == [
        ("000_1360818c7821c995.txt", "20"),
        ("001_1765ecd6dcc4455c.txt", "10"),
        ("002_8e0271b86f685adc.txt", "10"),
        ("003_848ed4591a94d92d.txt", "21"),
        ("004_3fb69948d812f9a2.txt", "12"),
    ]


def test_rights_in_force_on_2025_06_30(store: pyoxigraph.Store) -> None:
    rows = answer(store, "rights-in-force-on-2025-06-30", "right", "holder", "from", "until")
    ms, oa, until = "company/microsoft", "company/openai", "2025-09-30"
    assert set(rows) == {
        ("right/microsoft-approval-of-for-profit-conversion", ms, "2019-01-01", until),
        ("right/microsoft-frontier-model-exclusivity", ms, "2019-01-01", until),
        ("right/microsoft-openai-ip-2030", ms, "2019-01-01", until),
        ("right/microsoft-api-exclusivity-2030", ms, "2019-01-01", until),
        ("right/microsoft-revenue-share-2030", ms, "2019-01-01", until),
        ("right/microsoft-compute-rofr", ms, "2025-01-01", until),
        ("right/openai-revenue-share-2030", oa, "2019-01-01", until),
        ("right/openai-oracle-capacity", oa, "2024-06-01", None),
        ("right/openai-additional-capacity", oa, "2025-01-01", None),
    }
    assert len(rows) == len(set(rows))  # one row per right
