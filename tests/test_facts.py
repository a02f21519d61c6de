"""The curated facts: every quote verbatim in its article, every term from the ontology."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, XSD

from dealgraph.namespaces import DG, OA
from dealgraph.pipeline import check
from dealgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
MICROSOFT = URIRef("https://w3id.org/dealgraph/id/company/microsoft")
SCHEMA = Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def article_texts(articles: Path) -> dict[str, str]:
    """The source articles' texts by file name."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))}


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "data").rglob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path)
    return graph


def test_every_quote_is_verbatim_in_its_article(data: Graph, article_texts: dict[str, str]) -> None:
    missing = []
    checked = 0
    for evidence in data.subjects(RDF.type, DG.Evidence):
        article = data.value(evidence, DCTERMS.source)
        name = str(data.value(article, DCTERMS.identifier))
        for quote in data.objects(evidence, OA.exact):
            checked += 1
            if name not in article_texts:
                missing.append(f"{evidence}: article {name!r} not found")
            elif str(quote) not in article_texts[name]:
                missing.append(f"{evidence}: not verbatim in {name}: {str(quote)[:80]!r}")
    assert checked >= 50, f"only {checked} quotes found"
    assert not missing, "\n".join(missing)


def test_every_article_has_a_node_and_every_node_an_article(
    data: Graph, article_texts: dict[str, str]
) -> None:
    identifiers = {
        str(i)
        for a in data.subjects(RDF.type, DG.Article)
        for i in data.objects(a, DCTERMS.identifier)
    }
    assert identifiers == set(article_texts) - {"README.md"}


def test_every_article_contributes_evidence(data: Graph) -> None:
    for article in data.subjects(RDF.type, DG.Article):
        quotes = list(data.subjects(DCTERMS.source, article))
        assert len(quotes) >= 5, f"{article} has only {len(quotes)} quotes"


def test_every_evidence_node_is_used_by_a_fact(data: Graph) -> None:
    unused = [
        e
        for e in data.subjects(RDF.type, DG.Evidence)
        if (None, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), e) not in data
    ]
    assert not unused, f"evidence no fact rests on: {unused}"


def test_data_uses_only_terms_the_ontology_defines(data: Graph, ontology: Graph) -> None:
    defined = set(ontology.subjects(RDF.type, None))
    used = {p for p in data.predicates() if str(p).startswith(str(DG))}
    used |= {o for o in data.objects(None, RDF.type) if str(o).startswith(str(DG))}
    used |= {o for o in data.objects() if isinstance(o, URIRef) and str(o).startswith(str(DG))}
    assert not used - defined, f"undefined dg: terms: {sorted(used - defined)}"


def test_every_instance_iri_used_is_described(data: Graph) -> None:
    base = "https://w3id.org/dealgraph/id/"
    described = set(data.subjects())
    dangling = {o for o in data.objects() if isinstance(o, URIRef) and str(o).startswith(base)}
    assert not dangling - described, f"used, never described: {sorted(dangling - described)}"


def test_reported_facts_are_marked_as_reported(data: Graph) -> None:
    # "selon des sources concordantes": the 49 % stake is reported, not announced.
    stake = URIRef("https://w3id.org/dealgraph/id/stake/microsoft-openai-2025-01")
    assert data.value(stake, DG.certainty) == DG.Reported
    assert data.value(stake, DG.percentage).toPython() == 49


def test_inferred_dates_say_how_they_were_inferred(data: Graph) -> None:
    for node in data.subjects(DG.dateIsInferred, Literal(True)):
        assert data.value(node, DG.dateBasis), f"{node} has an inferred date without a basis"


def test_no_wikidata_facts_are_written_by_hand(data: Graph) -> None:
    # Wikidata enrichment is kept apart (data/wikidata/, fetched, never hand-written).
    for path in (ROOT / "data").glob("*.ttl"):
        graph = Graph().parse(path)
        subjects = {s for s in graph.subjects() if str(s).startswith("http://www.wikidata.org/")}
        assert not subjects, f"{path.name} describes Wikidata items: {sorted(subjects)[:3]}"


# --- the deal in time (issue 8): the curated facts with the days the build derives ------------

RT = "https://w3id.org/dealgraph/id/right/"
AG = "https://w3id.org/dealgraph/id/agreement/"
PROV_REVISION = URIRef("http://www.w3.org/ns/prov#wasRevisionOf")


def right(name: str) -> URIRef:
    return URIRef(RT + name)


def agreement(name: str) -> URIRef:
    return URIRef(AG + name)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """Asserted + inferred + derived triples, as the gate sees them (load, reason, derive)."""
    result = check(Settings.create(ROOT, tmp_path_factory.mktemp("store")))
    assert result.conforms, [v.message for v in result.report.violations]
    return result.sources.data + result.reasoning.inferred + result.derived


def in_force(graph: Graph, day: str) -> set[URIRef]:
    """The rights in force on *day* (YYYY-MM-DD), from their derived first and last days."""
    when = datetime.date.fromisoformat(day)
    found = set()
    for node, start in graph.subject_objects(DG.inForceFrom):
        end = graph.value(node, DG.inForceUntil)
        if start.toPython() <= when and (end is None or end.toPython() >= when):
            found.add(node)
    return found


def test_ip_right_existed_before_january_2025(built: Graph) -> None:
    ip = right("microsoft-openai-ip-2030")
    # « confirme qu'il détient », « restent en place »: confirmed, not granted, in January 2025
    assert built.value(ip, DG.confirmedBy) == agreement("2025-01-partnership-update")
    assert built.value(ip, DG.grantedBy) == agreement("2019-partnership")
    assert ip in in_force(built, "2024-12-31")


def test_microsoft_rights_on_2024_12_31(built: Graph) -> None:
    held = {r for r in in_force(built, "2024-12-31") if built.value(r, DG.holder) == MICROSOFT}
    assert held == {
        right("microsoft-exclusive-cloud-provider"),
        right("microsoft-approval-of-for-profit-conversion"),
        right("microsoft-openai-ip-2030"),
        right("microsoft-api-exclusivity-2030"),
        right("microsoft-revenue-share-2030"),
        right("microsoft-frontier-model-exclusivity"),
    }


def test_frontier_exclusivity_is_kept_not_new(built: Graph) -> None:
    october = right("microsoft-frontier-model-exclusivity-agi")
    earlier = built.value(october, PROV_REVISION)
    # « Microsoft conserve son statut de partenaire exclusif »: a revision of a right it held
    assert earlier == right("microsoft-frontier-model-exclusivity")
    assert built.value(earlier, DG.supersededBy) == october
    assert earlier in in_force(built, "2025-09-30")
    assert str(built.value(earlier, DG.inForceUntil)) == "2025-09-30"
    assert str(built.value(october, DG.inForceFrom)) == "2025-10-01"


def test_every_superseded_right_is_revised_by_its_successor_and_ended(built: Graph) -> None:
    for old, new in built.subject_objects(DG.supersededBy):
        assert (new, PROV_REVISION, old) in built, f"{new} does not revise {old}"
        assert built.value(old, DG.endedBy) == built.value(new, DG.grantedBy), old
    revised = {
        old for old in built.objects(None, PROV_REVISION) if (old, RDF.type, DG.Right) in built
    }
    assert right("microsoft-exclusive-cloud-provider") in revised  # the ROFR revises it
    assert right("microsoft-openai-ip-2030") in revised  # so does the research IP right


def test_approval_right_ends_when_the_conversion_is_enabled(built: Graph) -> None:
    approval = right("microsoft-approval-of-for-profit-conversion")
    assert built.value(approval, DG.endedBy) == agreement("2025-10-definitive-agreement")
    assert str(built.value(approval, DG.inForceUntil)) == "2025-09-30"


def test_until_2030_runs_through_december_31(built: Graph) -> None:
    research = right("microsoft-research-ip-agi-or-2030")
    assert str(built.value(research, DG.inForceUntil)) == "2030-12-31"
    assert research in in_force(built, "2030-12-31")
    assert research not in in_force(built, "2031-01-01")


def test_april_2026_licence_is_non_exclusive(built: Graph) -> None:
    october, april = (
        right("microsoft-models-and-products-2032"),
        right("microsoft-models-and-products-2032-non-exclusive"),
    )
    assert built.value(october, DG.isExclusive).toPython() is True
    assert built.value(april, DG.isExclusive).toPython() is False
    assert built.value(april, PROV_REVISION) == october
    assert built.value(april, DG.grantedBy) == agreement("2026-04-amended-agreement")
    assert str(built.value(october, DG.inForceUntil)) == "2026-04-26"
    assert str(built.value(april, DG.inForceUntil)) == "2032-12-31"
    assert {october} == in_force(built, "2026-04-26") & {october, april}
    assert {april} == in_force(built, "2026-04-27") & {october, april}


def test_february_2026_statement_confirms_and_grants_nothing(built: Graph) -> None:
    statement = agreement("2026-02-joint-statement")
    assert not list(built.subjects(DG.grantedBy, statement))
    confirmed = set(built.subjects(DG.confirmedBy, statement))
    assert confirmed == {
        right("microsoft-azure-api-exclusivity-agi"),
        right("microsoft-models-and-products-2032"),
        right("microsoft-revenue-share-agi"),
    }
    assert confirmed <= in_force(built, "2026-02-27")
    assert (statement, DG.datePrecision, DG.DayPrecision) in built
    assert (statement, DG.dateIsInferred, Literal(True)) not in built


def test_april_2026_revenue_shares(built: Graph) -> None:
    capped = right("microsoft-revenue-share-2030-capped")
    cap = built.value(capped, DG.cap)
    assert built.value(cap, DG.amountUndisclosed).toPython() is True
    assert built.value(cap, DG.amountValue) is None
    # independent of OpenAI's technology progress: a date, no longer AGI
    assert (built.value(capped, DG.expiryCondition), RDF.type, DG.DateTrigger) in built
    assert str(built.value(capped, DG.inForceUntil)) == "2030-12-31"
    # Microsoft no longer pays a revenue share to OpenAI
    to_openai = right("openai-revenue-share-agi")
    assert str(built.value(to_openai, DG.inForceUntil)) == "2026-04-26"
    assert built.value(to_openai, DG.supersededBy) is None
    ship_first = right("microsoft-ship-first-on-azure")
    assert (ship_first, RDF.type, DG.ShipFirstRight) in built


def test_claims_their_quotes_do_not_carry_are_gone(data: Graph) -> None:
    ident = "https://w3id.org/dealgraph/id/"
    assert data.value(agreement("2025-10-definitive-agreement"), DG.isBinding) is None
    for name in ("stargate-initial-100b", "stargate-up-to-500b"):
        assert data.value(URIRef(ident + "investment/" + name), DG.investor) is None
    abandoned = URIRef(ident + "event/openai-for-profit-plan-abandoned")
    assert data.value(abandoned, DG.participant) is None
    conversion = URIRef(ident + "event/openai-pbc-restructuring")
    assert data.value(conversion, DG.date) is None
    assert str(data.value(conversion, DG.status)).startswith("planned")
    cancelling = URIRef(ident + "event/openai-considers-cancelling-agi-clause")
    assert data.value(cancelling, DG.concerns) == URIRef(ident + "trigger/agi-100b-profit")
    assert not list(data.subjects(DG.claim, URIRef(ident + "investment/microsoft-openai-13b")))
    panel = URIRef(ident + "trigger/agi-verified-by-expert-panel")
    assert data.value(panel, PROV_REVISION) == URIRef(ident + "trigger/agi-100b-profit")


def test_2026_evidence_is_paraphrase_of_a_dated_statement_with_its_url(data: Graph) -> None:
    statements = set(data.subjects(RDF.type, DG.OfficialStatement))
    assert len(statements) >= 2
    for evidence in data.subjects(RDF.type, DG.Evidence):
        source = data.value(evidence, DCTERMS.source)
        if source not in statements:
            continue
        assert data.value(evidence, OA.exact) is None
        assert data.value(evidence, DG.paraphrase).language == "en"
        assert str(data.value(source, SCHEMA.url)).startswith("https://openai.com/index/")
        stated = data.value(source, DCTERMS.date)
        assert stated.datatype == XSD.date and str(stated) in ("2026-02-27", "2026-04-27")
