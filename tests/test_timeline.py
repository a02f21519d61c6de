"""The timeline picture of the shipped data: what it draws, and the command that writes it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph
import pytest
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.store import open_published
from dealgraph.timeline import QUERIES, Timeline, render_svg, timeline_data

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/dealgraph/id/"
SVG = "{http://www.w3.org/2000/svg}"
ROFR = ID + "right/microsoft-compute-rofr"
OCTOBER_2025 = ID + "agreement/2025-10-definitive-agreement"
runner = CliRunner()


@pytest.fixture(scope="module")
def store_dir(shipped_store_dir: Path) -> Path:
    """The shipped sources, built through the real gate (once per session)."""
    return shipped_store_dir


@pytest.fixture(scope="module")
def store(store_dir: Path) -> pyoxigraph.Store:
    opened, _info = open_published(store_dir)
    return opened


@pytest.fixture(scope="module")
def timeline(store: pyoxigraph.Store) -> Timeline:
    rows = {}
    for name, query in QUERIES.items():
        results = store.query(query, use_default_graph_as_union=True)
        answer = json.loads(results.serialize(format=pyoxigraph.QueryResultsFormat.JSON))
        rows[name] = answer["results"]["bindings"]
    return timeline_data(**rows)


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
    store: pyoxigraph.Store, svg: ET.Element
) -> None:
    count = next(
        iter(
            store.query(
                "PREFIX dg: <https://w3id.org/dealgraph/ontology#> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a/rdfs:subClassOf* dg:Right }",
                use_default_graph_as_union=True,
            )
        )
    )["n"].value
    rows = right_rows(svg)
    assert len(rows) == int(count) == 19
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
    assert right_rows(svg)[ID + "right/microsoft-models-and-products-2032"].get("data-cut") is None


def test_inferred_dates_are_hollow_and_marked(svg: ET.Element) -> None:
    agreements = {
        g.get("data-iri"): g for g in svg.iter(f"{SVG}g") if g.get("class") == "agreement"
    }
    assert len(agreements) == 6
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
    assert headers == ["Held by Microsoft · 12 rights, 2 stakes", "Held by OpenAI · 7 rights"]
    assert "Key" in all_text
    assert "ended early by a later agreement (dotted: the stated term)" in all_text
    years = {t for t in all_text if t.isdigit()}
    assert {str(y) for y in range(2019, 2034)} <= years


def test_cli_writes_the_timeline(store_dir: Path, tmp_path: Path) -> None:
    output = tmp_path / "deal.svg"
    result = runner.invoke(
        app, ["timeline", "--store", str(store_dir), "--output", str(output), "--root", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    assert "19 rights" in result.output
    assert len(right_rows(ET.fromstring(output.read_bytes()))) == 19


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
    assert ET.fromstring(render_svg(timeline).encode("utf-8")) is not None
