"""The derive stage: dates as periods, and each right's time in force from grants and ends."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef

from dealgraph.intime.derive import derive
from dealgraph.intime.periods import BadTimeInput, parse_day
from dealgraph.namespaces import DERIVED_GRAPH, DG, ID
from dealgraph.pipeline import check
from dealgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[1]

PROLOGUE = """\
@prefix dg: <https://w3id.org/dealgraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ag: <https://w3id.org/dealgraph/id/agreement/> .
@prefix rt: <https://w3id.org/dealgraph/id/right/> .
@prefix tr: <https://w3id.org/dealgraph/id/trigger/> .
@prefix evt: <https://w3id.org/dealgraph/id/event/> .

ag:v1 a dg:Agreement ; dg:date "2019-01-01"^^xsd:date ; dg:datePrecision dg:YearPrecision .
ag:v2 a dg:Agreement ; dg:date "2024-02-01"^^xsd:date ; dg:datePrecision dg:MonthPrecision .
ag:v3 a dg:Agreement ; dg:date "2025-10-28"^^xsd:date ; dg:datePrecision dg:DayPrecision .
tr:year-2030 a dg:DateTrigger ; dg:date "2030-01-01"^^xsd:date ;
    dg:datePrecision dg:YearPrecision .
tr:agi a dg:EventTrigger .
tr:open a dg:OpenEndedTrigger .
tr:agi-or-2030 a dg:CompositeTrigger ; dg:member tr:year-2030 , tr:agi ;
    dg:combination dg:EarliestOf .
"""


def derived(turtle: str) -> Graph:
    data = Graph().parse(data=PROLOGUE + turtle, format="turtle")
    return derive(data, Graph())


def day(graph: Graph, node: str, prop: str) -> date | None:
    value = graph.value(URIRef(ID[node]), DG[prop])
    return value.toPython() if value is not None else None


def test_a_year_stands_for_january_first_to_december_thirty_first() -> None:
    graph = derived("")
    assert day(graph, "agreement/v1", "earliestDay") == date(2019, 1, 1)
    assert day(graph, "agreement/v1", "latestDay") == date(2019, 12, 31)
    assert day(graph, "trigger/year-2030", "latestDay") == date(2030, 12, 31)


def test_a_month_stands_for_its_first_to_its_last_day_leap_years_included() -> None:
    graph = derived("")
    assert day(graph, "agreement/v2", "earliestDay") == date(2024, 2, 1)
    assert day(graph, "agreement/v2", "latestDay") == date(2024, 2, 29)


def test_a_day_or_a_date_without_precision_stands_for_itself() -> None:
    graph = derived('rt:x dg:date "2025-03-04"^^xsd:date .')
    assert day(graph, "agreement/v3", "earliestDay") == day(graph, "agreement/v3", "latestDay")
    assert (
        day(graph, "right/x", "earliestDay")
        == date(2025, 3, 4)
        == day(graph, "right/x", "latestDay")
    )


def test_a_right_starts_on_the_first_day_of_its_granting_agreement() -> None:
    graph = derived("rt:r a dg:Right ; dg:grantedBy ag:v2 ; dg:expiryCondition tr:open .")
    assert day(graph, "right/r", "inForceFrom") == date(2024, 2, 1)
    assert day(graph, "right/r", "inForceUntil") is None


def test_an_asserted_start_wins_and_is_not_derived_again() -> None:
    graph = derived(
        'rt:r a dg:Right ; dg:grantedBy ag:v2 ; dg:inForceFrom "2023-05-01"^^xsd:date .'
    )
    assert day(graph, "right/r", "inForceFrom") is None  # asserted, so nothing derived
    assert day(graph, "right/r", "inForceUntil") is None


def test_a_right_without_grant_or_asserted_start_gets_no_time_in_force() -> None:
    graph = derived("rt:r a dg:Right ; dg:confirmedBy ag:v2 ; dg:expiryCondition tr:year-2030 .")
    assert day(graph, "right/r", "inForceFrom") is None


def test_a_right_ended_by_an_agreement_ends_the_day_before_it() -> None:
    graph = derived("rt:r a dg:Right ; dg:grantedBy ag:v1 ; dg:endedBy ag:v2 .")
    assert day(graph, "right/r", "inForceUntil") == date(2024, 1, 31)


def test_a_right_ended_by_an_event_ends_the_day_before_the_event() -> None:
    graph = derived(
        'evt:e dg:date "2025-10-28"^^xsd:date .\n'
        "rt:r a dg:Right ; dg:grantedBy ag:v1 ; dg:endedBy evt:e ; dg:expiryCondition tr:agi ."
    )
    assert day(graph, "right/r", "inForceUntil") == date(2025, 10, 27)


def test_a_superseded_right_ends_the_day_before_its_revision_starts() -> None:
    graph = derived(
        "rt:old a dg:Right ; dg:grantedBy ag:v1 ; dg:expiryCondition tr:year-2030 .\n"
        "rt:new a dg:Right ; dg:grantedBy ag:v3 ; prov:wasRevisionOf rt:old ."
    )
    assert day(graph, "right/old", "inForceUntil") == date(2025, 10, 27)
    assert day(graph, "right/new", "inForceFrom") == date(2025, 10, 28)


def test_through_a_year_means_through_its_last_day() -> None:
    graph = derived("rt:r a dg:Right ; dg:grantedBy ag:v2 ; dg:expiryCondition tr:year-2030 .")
    assert day(graph, "right/r", "inForceUntil") == date(2030, 12, 31)


def test_agi_or_2030_ends_through_2030_because_no_agi_is_assumed() -> None:
    graph = derived("rt:r a dg:Right ; dg:grantedBy ag:v2 ; dg:expiryCondition tr:agi-or-2030 .")
    assert day(graph, "right/r", "inForceUntil") == date(2030, 12, 31)


def test_a_right_ending_only_at_agi_has_no_last_day() -> None:
    graph = derived("rt:r a dg:Right ; dg:grantedBy ag:v2 ; dg:expiryCondition tr:agi .")
    assert day(graph, "right/r", "inForceUntil") is None


def test_an_end_without_a_date_derives_no_last_day() -> None:
    graph = derived(
        "rt:r a dg:Right ; dg:grantedBy ag:v1 ; dg:endedBy evt:undated ;"
        " dg:expiryCondition tr:year-2030 ."
    )
    assert day(graph, "right/r", "inForceUntil") is None


def test_subclasses_of_right_count_as_rights_given_the_ontology() -> None:
    data = Graph().parse(
        data=PROLOGUE + "rt:r a dg:Permission ; dg:grantedBy ag:v3 .", format="turtle"
    )
    ontology = Graph()
    ontology.add(
        (DG.Permission, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), DG.Right)
    )
    graph = derive(data, Graph(), ontology)
    assert graph.value(URIRef(ID["right/r"]), DG.inForceFrom) == Literal(
        "2025-10-28", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")
    )


@pytest.mark.parametrize("text", ["2025-13-01", "2025-02-30", "2025/01/01", "30 June 2025", ""])
def test_a_bad_date_is_refused_in_one_sentence(text: str) -> None:
    with pytest.raises(BadTimeInput) as caught:
        parse_day(text)
    assert str(caught.value) == (
        f"'{text}' is not a valid date: write it as YYYY-MM-DD, e.g. 2025-06-30"
    )


def test_a_right_without_grant_or_asserted_start_is_refused_by_the_gate(tmp_path: Path) -> None:
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "data" / "undated.ttl").write_text(
        PROLOGUE + "rt:undated a dg:Permission ; dg:expiryCondition tr:open .\n", encoding="utf-8"
    )
    result = check(Settings.create(root, tmp_path / "store"))
    assert not result.conforms
    messages = {
        v.message for v in result.report.violations if v.focus_node == str(ID["right/undated"])
    }
    assert (
        "A right needs exactly one first day in force (dg:inForceFrom): the build derives it from "
        "the date of the agreement that grants it; assert it (marked inferred, with its basis) "
        "only where no granting agreement dates the right, and never alongside a derived one."
    ) in messages
    assert (URIRef(ID["right/undated"]), DG.inForceFrom, None) not in result.derived


def test_the_shipped_build_publishes_every_right_s_time_in_force(
    shipped_store: pyoxigraph.Store,
) -> None:
    query = f"""SELECT (COUNT(DISTINCT ?right) AS ?n) WHERE {{
      GRAPH <{DERIVED_GRAPH}> {{ ?right <{DG.inForceFrom}> ?from }} }}"""
    assert int(next(iter(shipped_store.query(query)))["n"].value) >= 20
