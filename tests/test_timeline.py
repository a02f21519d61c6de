"""The timeline picture of the shipped data: what it draws, and the command that writes it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph
import pytest
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.engine import TimelineJob, execute
from dealgraph.timeline import QUERIES, Timeline, draw, render_svg, timeline_data, timeline_rows

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/dealgraph/id/"
SVG = "{http://www.w3.org/2000/svg}"
ROFR = ID + "right/microsoft-compute-rofr"
OCTOBER_2025 = ID + "agreement/2025-10-definitive-agreement"
runner = CliRunner()


@pytest.fixture(scope="module")
def timeline(shipped_store: pyoxigraph.Store) -> Timeline:
    """The shipped data's timeline, from the rows the CLI and the server query too."""
    return timeline_data(**timeline_rows(shipped_store))


@pytest.fixture(scope="module")
def svg(timeline: Timeline) -> ET.Element:
    return ET.fromstring(render_svg(timeline).encode("utf-8"))


def right_rows(svg: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-iri"): g for g in svg.iter(f"{SVG}g") if g.get("class") == "right-row"}


def texts(element: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{SVG}text")]


def test_svg_is_self_contained_and_about_1200_px_wide(timeline: Timeline) -> None:
    text = render_svg(timeline)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG}svg" and root.get("width") == "1200"
    assert root.get("viewBox", "").startswith("0 0 1200 ")
    assert root.find(f"{SVG}title") is not None
    assert "<script" not in text and "@import" not in text and "@font-face" not in text
    assert not [e for e in root.iter() if (e.get("href") or "").startswith("http")]


def test_one_bar_per_right_with_its_label_and_link(
    shipped_store: pyoxigraph.Store, svg: ET.Element
) -> None:
    count = next(
        iter(
            shipped_store.query(
                "PREFIX dg: <https://w3id.org/dealgraph/ontology#> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a/rdfs:subClassOf* dg:Right }",
                use_default_graph_as_union=True,
            )
        )
    )["n"].value
    rows = right_rows(svg)
    assert len(rows) == int(count) == 25  # the 2026 versions included
    links = {a.get("href") for a in svg.iter(f"{SVG}a")}
    for iri, row in rows.items():
        assert "/id/" + iri.removeprefix(ID) in links
        assert row.find(f".//{SVG}title") is not None  # a tooltip on every bar
    rofr = " ".join(texts(rows[ROFR]))
    assert "Microsoft’s right of first refusal on OpenAI’s new" in rofr


def test_the_2032_bar_ends_further_right_than_the_2030_ones(svg: ET.Element) -> None:
    rows = right_rows(svg)
    end_2032 = float(rows[ID + "right/microsoft-models-and-products-2032"].get("data-x1"))
    capped = [r for r in rows.values() if r.get("data-expiry") == "earliest"]
    assert len(capped) == 5  # the four January 2025 rights to 2030 and the research rights
    assert all(float(r.get("data-x1")) < end_2032 for r in capped)
    labels = " ".join(t for r in capped for t in texts(r))
    assert "2030 or AGI under the $100B-profit definition, whichever comes first" in labels
    assert "AGI verification or 2030, whichever comes first" in labels


def test_agi_bars_are_open_ended_with_an_arrow(svg: ET.Element) -> None:
    row = right_rows(svg)[ID + "right/microsoft-frontier-model-exclusivity-agi"]
    assert row.get("data-expiry") == "event"
    assert "until AGI verified by an independent expert panel" in texts(row)
    assert row.find(f".//{SVG}polygon") is not None  # the arrowhead


def test_the_rofr_bar_is_cut_by_the_october_2025_agreement(svg: ET.Element) -> None:
    row = right_rows(svg)[ROFR]
    assert row.get("data-ended-by") == OCTOBER_2025
    october = next(
        g for g in svg.iter(f"{SVG}g") if g.get("data-iri") == OCTOBER_2025 and g.get("data-x")
    )
    cut = float(row.get("data-cut"))
    assert cut == float(october.get("data-x"))
    assert float(row.get("data-x0")) < cut < float(row.get("data-x1"))
    assert "ended by Microsoft–OpenAI definitive agreement (October 2025)" in texts(row)
    red = [e for e in row.iter(f"{SVG}line") if e.get("stroke") == "#c0362c"]
    assert red and float(red[0].get("x1")) == cut
    # a right with a stated end and no dg:endedBy is not cut
    uncut = right_rows(svg)[ID + "right/microsoft-models-and-products-2032-non-exclusive"]
    assert uncut.get("data-cut") is None


def test_inferred_dates_are_hollow_and_marked(svg: ET.Element) -> None:
    agreements = {
        g.get("data-iri"): g for g in svg.iter(f"{SVG}g") if g.get("class") == "agreement"
    }
    assert len(agreements) == 8
    october, partnership = agreements[OCTOBER_2025], agreements[ID + "agreement/2019-partnership"]
    assert october.get("data-inferred") == "true"
    assert october.find(f".//{SVG}polygon").get("fill") == "#ffffff"
    assert "≈ Oct 2025" in texts(october)
    assert partnership.get("data-inferred") == "false"
    assert partnership.find(f".//{SVG}polygon").get("fill") != "#ffffff"
    assert "2019" in texts(partnership) and not any("≈" in t for t in texts(partnership))


def test_stakes_are_labelled_points(svg: ET.Element) -> None:
    stakes = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "stakes")
    labels = texts(stakes)
    assert "49 % of OpenAI (reported)" in labels
    assert "~27 % of OpenAI Group PBC" in labels
    assert len(list(stakes.iter(f"{SVG}circle"))) == 2


def test_rows_are_grouped_by_holder_with_a_legend(svg: ET.Element) -> None:
    all_text = texts(svg)
    headers = [t for t in all_text if t.startswith("Held by ")]
    assert headers == ["Held by Microsoft · 17 rights, 2 stakes", "Held by OpenAI · 8 rights"]
    assert "Key" in all_text
    assert "ended early by a later agreement (dotted: the stated term)" in all_text
    years = {t for t in all_text if t.isdigit()}
    assert {str(y) for y in range(2019, 2034)} <= years


def test_cli_writes_the_timeline(shipped_store_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "deal.svg"
    result = runner.invoke(
        app,
        [
            "timeline",
            "--store",
            str(shipped_store_dir),
            "--output",
            str(output),
            "--root",
            str(ROOT),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "25 rights" in result.output
    assert len(right_rows(ET.fromstring(output.read_bytes()))) == 25


def test_cli_without_a_published_store_exits_2(tmp_path: Path) -> None:
    output = tmp_path / "deal.svg"
    result = runner.invoke(
        app, ["timeline", "--store", str(tmp_path / "none"), "--output", str(output)]
    )
    assert result.exit_code == 2
    assert "no published store" in result.output and "dealgraph build" in result.output
    assert not output.exists()


def test_an_earliest_of_two_dates_is_a_plain_date() -> None:
    dg = "https://w3id.org/dealgraph/ontology#"

    def row(**values: str) -> dict[str, dict[str, str]]:
        return {k: {"type": "literal", "value": v} for k, v in values.items()}

    triggers = [
        row(trigger="t:a", type=dg + "DateTrigger", label="2031", date="2031-01-01"),
        row(trigger="t:b", type=dg + "DateTrigger", label="2029", date="2029-01-01"),
        row(trigger="t:c", type=dg + "CompositeTrigger", label="first", member="t:a",
            combination=dg + "EarliestOf"),
        row(trigger="t:c", type=dg + "CompositeTrigger", label="first", member="t:b",
            combination=dg + "EarliestOf"),
    ]  # fmt: skip
    agreements = [row(agreement="a:1", label="A", date="2020-01-01")]
    rights = [row(right="r:1", label="R", holder="h:1", holderLabel="H", agreement="a:1",
                  expiry="t:c")]  # fmt: skip
    timeline = timeline_data(agreements, rights, triggers, [])
    (bar,) = timeline.rights
    assert bar.expiry.kind == "date" and bar.expiry.date.year == 2029
    # drawn exactly as the same right ending on the plain date 2029
    plain = timeline_data(agreements, [{**rights[0], "expiry": {"value": "t:b"}}], triggers, [])

    def bar_end(drawn: Timeline) -> str | None:
        root = ET.fromstring(render_svg(drawn).encode("utf-8"))
        (bar_row,) = [g for g in root.iter(f"{SVG}g") if g.get("class") == "right-row"]
        assert bar_row.get("data-expiry") == "date"
        return bar_row.get("data-x1")

    end = bar_end(timeline)
    assert end is not None and float(end) > 0
    assert end == bar_end(plain)


# --- the package's seams: time in force, markup in labels, one drawing for every caller ---

SMALL_DEAL = """
@prefix dg: <https://w3id.org/dealgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/dealgraph/id/agreement/first> a dg:Agreement ;
    rdfs:label "First <deal> & co"@en ; dg:date "2019-07-22"^^xsd:date .
<https://w3id.org/dealgraph/id/agreement/renewal> a dg:Agreement ;
    rdfs:label "Deal \\"2026\\" 'renewal'"@en ; dg:date "2026-03-03"^^xsd:date .
<https://w3id.org/dealgraph/id/company/a&b> rdfs:label "A & B <Holdings>"@en .
<https://w3id.org/dealgraph/id/right/r&d> a dg:Right ;
    rdfs:label "R&D <b>rights</b> \\"quoted\\" 'too'"@en ;
    dg:holder <https://w3id.org/dealgraph/id/company/a&b> ;
    dg:inForceFrom "2019-07-22"^^xsd:date ;
    dg:confirmedBy <https://w3id.org/dealgraph/id/agreement/renewal> ;
    dg:expiryCondition <https://w3id.org/dealgraph/id/trigger/2040> .
<https://w3id.org/dealgraph/id/trigger/2040> a dg:DateTrigger ; rdfs:label "2040"@en ;
    dg:date "2040-01-01"^^xsd:date ; dg:latestDay "2040-12-31"^^xsd:date .
"""
RIGHT_RD = ID + "right/r&d"


@pytest.fixture(scope="module")
def small_deal() -> str:
    """The SVG of a one-right deal whose labels and IRIs hold <, &, and both quotes."""
    store = pyoxigraph.Store()
    store.load(SMALL_DEAL.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    return draw(store)


def year_x(svg: ET.Element, year: int) -> float:
    """The x of a year's grid line (its label sits on it)."""
    label = next(
        t for t in svg.iter(f"{SVG}text") if t.get("class") == "year" and t.text == str(year)
    )
    return float(label.get("x"))


def test_labels_with_markup_characters_are_drawn_as_text(small_deal: str) -> None:
    root = ET.fromstring(small_deal.encode("utf-8"))  # well-formed despite the labels
    assert not list(root.iter(f"{SVG}b"))  # the <b> of a label is text, not an element
    assert "R&amp;D &lt;b&gt;rights&lt;/b&gt;" in small_deal
    row = right_rows(root)[RIGHT_RD]
    assert "R&D <b>rights</b> \"quoted\" 'too'" in [t.text for t in row.iter(f"{SVG}tspan")]
    assert {a.get("href") for a in row.iter(f"{SVG}a")} == {"/id/right/r&d"}
    assert root.find(f"{SVG}title").text == (
        "A & B <Holdings>: agreements, rights and stakes over time"
    )
    assert "Held by A & B <Holdings> · 1 right" in texts(root)
    names = [t.text for t in root.iter(f"{SVG}tspan")]
    assert "First <deal> & co" in names and "Deal \"2026\" 'renewal'" in names


def test_a_right_only_confirmed_by_a_2026_version_runs_from_its_time_in_force(
    small_deal: str,
) -> None:
    root = ET.fromstring(small_deal.encode("utf-8"))
    row = right_rows(root)[RIGHT_RD]
    agreements = {
        g.get("data-iri"): g for g in root.iter(f"{SVG}g") if g.get("class") == "agreement"
    }
    first, renewal = agreements[ID + "agreement/first"], agreements[ID + "agreement/renewal"]
    assert float(row.get("data-x0")) == float(first.get("data-x"))  # dg:inForceFrom
    assert year_x(root, 2019) < float(row.get("data-x0")) < year_x(root, 2020)
    # the 2026 version fits the axis and marks the bar where it confirmed the right
    assert year_x(root, 2026) < float(renewal.get("data-x")) < year_x(root, 2027)
    (notch,) = [p for p in row.iter(f"{SVG}polygon") if p.get("class") == "confirmed"]
    assert notch.get("points").startswith(renewal.get("data-x") + ",")
    tooltip = row.find(f".//{SVG}g[@class='right']/{SVG}title").text.split("\n")
    assert "In force from: 22 Jul 2019" in tooltip
    assert "Confirmed unchanged by: Deal \"2026\" 'renewal' (3 Mar 2026)" in tooltip
    assert "confirmed unchanged by a later version" in texts(root)


def test_the_axis_covers_the_whole_of_the_latest_expiry_year(small_deal: str) -> None:
    root = ET.fromstring(small_deal.encode("utf-8"))
    years = sorted(int(t) for t in texts(root) if t.isdigit() and len(t) == 4)
    assert years[0] == 2019 and years[-1] == 2041  # in force through 2040-12-31
    assert float(right_rows(root)[RIGHT_RD].get("data-x1")) == year_x(root, 2041)


def test_a_term_through_a_year_ends_where_the_next_year_begins(svg: ET.Element) -> None:
    rows = right_rows(svg)
    assert float(rows[ID + "right/microsoft-models-and-products-2032"].get("data-x1")) == year_x(
        svg, 2033
    )
    capped = [r for r in rows.values() if r.get("data-expiry") == "earliest"]
    assert {float(r.get("data-x1")) for r in capped} == {year_x(svg, 2031)}  # "through 2030"


def test_the_cli_the_server_and_the_tests_draw_the_same_picture(
    shipped_store: pyoxigraph.Store, shipped_store_dir: Path, tmp_path: Path
) -> None:
    expected = draw(shipped_store)
    output = tmp_path / "deal.svg"
    result = runner.invoke(
        app, ["timeline", "--store", str(shipped_store_dir), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert output.read_text(encoding="utf-8") == expected
    # the server's worker process runs this job for GET /timeline.svg
    outcome = execute(shipped_store, TimelineJob(str(shipped_store_dir)))
    assert (outcome.status, outcome.media_type) == (200, "image/svg+xml")
    assert outcome.body.decode("utf-8") == expected
    rows = {}  # QUERIES, run one by one as SPARQL JSON, still give the same rows
    for name, query in QUERIES.items():
        answer = shipped_store.query(query, use_default_graph_as_union=True)
        rows[name] = json.loads(answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON))[
            "results"
        ]["bindings"]
    assert rows == timeline_rows(shipped_store)


def test_a_bar_runs_over_the_time_in_force_else_from_its_granting_agreement() -> None:
    dg = "https://w3id.org/dealgraph/ontology#"

    def row(**values: str) -> dict[str, dict[str, str]]:
        return {k: {"type": "literal", "value": v} for k, v in values.items()}

    agreements = [row(agreement="a:1", label="A", date="2020-01-01")]
    triggers = [row(trigger="t:1", type=dg + "DateTrigger", label="2027", date="2027-01-01",
                    latest="2027-12-31")]  # fmt: skip
    granted = row(right="r:1", label="R", holder="h:1", agreement="a:1", expiry="t:1")
    in_force = granted | row(inForceFrom="2021-07-01", inForceUntil="2026-06-30")
    (old,) = timeline_data(agreements, [granted], triggers, []).rights
    (new,) = timeline_data(agreements, [in_force], triggers, []).rights
    assert (old.start.isoformat(), old.stop) == ("2020-01-01", None)
    assert old.expiry.end.isoformat() == "2028-01-01"  # stated "through 2027"
    assert (new.start.isoformat(), new.stop.isoformat()) == ("2021-07-01", "2026-07-01")
    pictures = [
        ET.fromstring(render_svg(timeline_data(agreements, rows, triggers, [])))
        for rows in ([granted], [in_force])
    ]
    (before, after) = [right_rows(picture)["r:1"] for picture in pictures]
    assert float(before.get("data-x1")) == year_x(pictures[0], 2028)
    assert float(after.get("data-x0")) > float(before.get("data-x0"))
    assert year_x(pictures[1], 2026) < float(after.get("data-x1")) < year_x(pictures[1], 2027)
