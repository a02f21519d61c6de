"""Build: only validated data is published, atomically; the gate rebuilds only when needed."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from project_support import RIGHT_WITHOUT_EXPIRY, WIKIDATA_LABEL, copy_project, write
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.errors import SourceError, ValidationFailed
from dealgraph.namespaces import (
    ASSERTED_GRAPH,
    DERIVED_GRAPH,
    GRAPH,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
)
from dealgraph.pipeline import STAGES, build, check, ensure_built
from dealgraph.settings import Settings
from dealgraph.store import INFO_FILE, current_build, current_info, open_published

runner = CliRunner()
HELD_BY = "https://w3id.org/dealgraph/ontology#heldBy"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A project built once; tests that change it take their own copy."""
    settings = copy_project(tmp_path_factory.mktemp("built"))
    build(settings)
    return settings


def count(store: ox.Store, graph: str, pattern: str = "?s ?p ?o") -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"
    return int(next(iter(store.query(query)))["n"].value)


def test_build_publishes_ontology_asserted_inferred_and_derived_graphs(built: Settings) -> None:
    store, info = open_published(built.store_dir)
    assert set(info.triples) == {
        str(ONTOLOGY_GRAPH),
        str(ASSERTED_GRAPH),
        str(INFERRED_GRAPH),
        str(DERIVED_GRAPH),
    }
    for graph, triples in info.triples.items():
        assert count(store, graph) == triples > 0
    # The inverse value exists only as an inference, kept in its own graph.
    assert count(store, str(INFERRED_GRAPH), f"?r <{HELD_BY}> ?h") == 1
    assert count(store, str(ASSERTED_GRAPH), f"?r <{HELD_BY}> ?h") == 0


def test_build_records_timings_of_every_stage(built: Settings) -> None:
    info = current_info(built.store_dir)
    assert info is not None
    assert set(info.timings) == set(STAGES)
    on_disk = json.loads((current_build(built.store_dir) / INFO_FILE).read_text())
    assert set(on_disk["timings"]) == set(STAGES)


def test_check_reports_progress_per_stage(built: Settings) -> None:
    stages: list[str] = []
    result = check(built, stages.append)
    assert stages == ["load", "reason", "derive", "validate"]
    assert result.conforms
    assert set(result.timings) == {"load", "reason", "derive", "validate"}


def test_malformed_turtle_publishes_nothing(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    first = build(settings)
    write(settings, "data/rights.ttl", "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\nx")
    with pytest.raises(SourceError, match=r"^data/rights\.ttl:2"):
        build(settings)
    assert current_info(settings.store_dir).build_id == first.build_id


@pytest.fixture(scope="module")
def broken_after_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    """A project built once, then given a right without expiry; and the first build's id."""
    settings = copy_project(tmp_path_factory.mktemp("broken"))
    first = build(settings)
    write(settings, "data/orphan.ttl", RIGHT_WITHOUT_EXPIRY)
    return settings, first.build_id


def test_failed_validation_leaves_the_previous_build_current(
    broken_after_build: tuple[Settings, str],
) -> None:
    settings, first_id = broken_after_build
    builds_before = sorted((settings.store_dir / "builds").iterdir())
    with pytest.raises(ValidationFailed) as caught:
        build(settings)
    assert not caught.value.report.conforms
    assert current_info(settings.store_dir).build_id == first_id
    assert sorted((settings.store_dir / "builds").iterdir()) == builds_before


def test_ensure_built_skips_unchanged_sources_and_rebuilds_changed_ones(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    first = ensure_built(settings)
    stages: list[str] = []
    assert ensure_built(settings, stages.append).build_id == first.build_id
    assert stages == []  # nothing was even loaded
    write(
        settings,
        "data/companies.ttl",
        (settings.root / "data/companies.ttl").read_text() + "\n# a curator's note\n",
    )
    second = ensure_built(settings)
    assert second.build_id != first.build_id
    assert current_info(settings.store_dir).build_id == second.build_id


def test_wikidata_snapshot_is_published_in_its_own_graph(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(
        settings,
        "data/wikidata/snapshot.nt",
        WIKIDATA_LABEL,
    )
    info = build(settings)
    assert info.triples[str(GRAPH["wikidata"])] == 1


def test_cli_build_prints_build_id_counts_and_timings(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    result = runner.invoke(
        app, ["--root", str(settings.root), "build", "--store", str(settings.store_dir)]
    )
    assert result.exit_code == 0, result.output
    info = current_info(settings.store_dir)
    assert info.build_id in result.stdout
    assert str(INFERRED_GRAPH) in result.stdout
    assert "timings: load" in result.stdout
    assert "publish…" in result.stderr


def test_cli_build_exits_1_on_violations_and_keeps_the_store(
    broken_after_build: tuple[Settings, str],
) -> None:
    settings, first_id = broken_after_build
    result = runner.invoke(
        app, ["build", "--root", str(settings.root), "--store", str(settings.store_dir)]
    )
    assert result.exit_code == 1
    assert "id:right/openai-orphan" in result.stdout
    assert "nothing was published" in result.stderr
    assert current_info(settings.store_dir).build_id == first_id


def test_serve_refuses_to_start_on_invalid_data_and_publishes_nothing(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(settings, "data/orphan.ttl", RIGHT_WITHOUT_EXPIRY)
    result = runner.invoke(
        app, ["serve", "--root", str(settings.root), "--store", str(settings.store_dir)]
    )
    assert result.exit_code == 1
    assert "refusing to serve" in result.stderr
    assert current_info(settings.store_dir) is None
