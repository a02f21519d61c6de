"""The command line: validate's exit codes and report formats, and query's result formats."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from project_support import (
    BOTH_COMPANY_AND_RIGHT,
    MINI,
    RIGHT_WITHOUT_EXPIRY,
    WARNING_ONLY,
    copy_project,
    write,
)
from rdflib import RDF, SH, Graph
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.pipeline import build
from dealgraph.settings import Settings
from dealgraph.store import current_info

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def invalid_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose data breaks a shape (a right with no expiry) and triggers a warning."""
    settings = copy_project(tmp_path_factory.mktemp("invalid"))
    write(settings, "data/orphan.ttl", RIGHT_WITHOUT_EXPIRY)
    write(settings, "data/dates.ttl", WARNING_ONLY)
    return settings.root


# --- validate --------------------------------------------------------------------------


def test_validate_exits_0_when_the_data_conforms() -> None:
    result = run("--root", MINI, "validate")
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout


def test_validate_exits_1_and_names_focus_shape_path_and_file(invalid_root: Path) -> None:
    result = run("--root", invalid_root, "validate")
    assert result.exit_code == 1
    report = result.stdout
    assert "Violation: id:right/openai-orphan" in report
    assert "shape:   dgsh:RightShape" in report
    assert "path:    dg:expiryCondition" in report
    assert "A right has exactly one expiry condition" in report
    assert "defined in: data/orphan.ttl" in report
    assert "Warning: id:trigger/end-2032" in report  # shown, but not a failure by itself


def test_warnings_alone_do_not_fail_validation(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(settings, "data/dates.ttl", WARNING_ONLY)
    result = run("validate", "--root", settings.root)
    assert result.exit_code == 0, result.output
    assert "1 warning" in result.stdout


def test_validate_exits_2_on_malformed_turtle_naming_file_and_line(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(
        settings,
        "data/bad.ttl",
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n\nfoo:x dg:name 1 .\n",
    )
    result = run("--root", settings.root, "validate")
    assert result.exit_code == 2
    assert "error: data/bad.ttl:3:1: Turtle syntax error" in result.stderr
    assert "Traceback" not in result.output


def test_validate_exits_2_on_an_inconsistent_ontology(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(settings, "data/clash.ttl", BOTH_COMPANY_AND_RIGHT)
    result = run("--root", settings.root, "validate", "--format", "json")
    assert result.exit_code == 2
    assert "inconsistent" in result.stderr
    assert "data/clash.ttl" in result.stderr
    assert result.stdout == ""


def test_validate_exits_2_when_a_folder_is_missing(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    shutil.rmtree(settings.root / "shapes")
    result = run("--root", settings.root, "validate")
    assert result.exit_code == 2
    assert "shapes/ is missing" in result.stderr


def test_json_report_is_pure_json_with_stable_keys(invalid_root: Path) -> None:
    result = run("--root", invalid_root, "validate", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["conforms"] is False
    violation = document["violations"][0]
    assert set(violation) == {
        "focus_node",
        "shape",
        "path",
        "message",
        "severity",
        "value",
        "files",
    }
    assert violation["focus_node"] == "https://w3id.org/dealgraph/id/right/openai-orphan"
    assert violation["files"] == ["data/orphan.ttl"]
    assert [w["severity"] for w in document["warnings"]] == ["Warning"]


def test_turtle_report_is_a_shacl_validation_report(invalid_root: Path) -> None:
    result = run("--root", invalid_root, "validate", "--format", "turtle")
    assert result.exit_code == 1
    graph = Graph().parse(data=result.stdout, format="turtle")
    report = graph.value(None, RDF.type, SH.ValidationReport, any=False)
    assert report is not None
    assert len(list(graph.objects(report, SH.result))) == 2


def test_junit_report_has_a_failure_per_failing_focus_node(
    invalid_root: Path, tmp_path: Path
) -> None:
    output = tmp_path / "shacl.xml"
    result = run("--root", invalid_root, "validate", "--format", "junit", "--output", output)
    assert result.exit_code == 1
    assert result.stdout == ""
    suite = ET.parse(output).getroot().find("testsuite")
    assert suite is not None
    failures = suite.findall("testcase/failure")
    assert suite.get("failures") == str(len(failures)) == "1"
    assert int(suite.get("tests", "0")) == len(suite.findall("testcase")) >= 3


def test_installed_script_prints_only_json_on_stdout() -> None:
    script = shutil.which("dealgraph") or str(Path(__file__).parents[1] / "../venv/bin/dealgraph")
    done = subprocess.run(
        [script, "validate", "--root", str(MINI), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["conforms"] is True
    assert "validate" in done.stderr  # progress went to stderr


# --- query -----------------------------------------------------------------------------

SELECT_HOLDERS = (
    "PREFIX dg: <https://w3id.org/dealgraph/ontology#> "
    "SELECT ?right ?holder WHERE { ?right dg:heldBy ?holder }"
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store published from the miniature project."""
    settings = Settings.create(MINI, tmp_path_factory.mktemp("store"))
    build(settings)
    return settings.store_dir


def test_query_prints_an_aligned_table_with_prefixed_names(store: Path) -> None:
    result = run("query", "--store", store, SELECT_HOLDERS)
    assert result.exit_code == 0, result.output
    header, rule, row = result.stdout.splitlines()
    assert header.split() == ["right", "holder"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert row.split() == ["id:right/microsoft-openai-ip-2032", "id:company/microsoft"]
    assert "1 row" in result.stderr


def test_query_json_is_sparql_results_json(store: Path) -> None:
    result = run("query", "--store", store, "--format", "json", SELECT_HOLDERS)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["head"]["vars"] == ["right", "holder"]
    binding = document["results"]["bindings"][0]
    assert binding["holder"]["value"] == "https://w3id.org/dealgraph/id/company/microsoft"


@pytest.mark.parametrize(("fmt", "separator"), [("csv", ","), ("tsv", "\t")])
def test_query_csv_and_tsv(store: Path, fmt: str, separator: str) -> None:
    result = run("query", "--store", store, "--format", fmt, SELECT_HOLDERS)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert len(lines[0].split(separator)) == 2


def test_query_construct_prints_turtle(store: Path) -> None:
    query = (
        "CONSTRUCT { ?s a ?c } "
        "WHERE { GRAPH <https://w3id.org/dealgraph/graph/inferred> { ?s a ?c } }"
    )
    result = run("query", "--store", store, "--format", "turtle", query)
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) >= 2


def test_query_ask_prints_true_or_false(store: Path) -> None:
    assert run("query", "--store", store, "ASK { ?s ?p ?o }").stdout.strip() == "true"
    assert run("query", "--store", store, "ASK { ?s <urn:none> ?o }").stdout.strip() == "false"


def test_query_from_a_file(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text(SELECT_HOLDERS, encoding="utf-8")
    result = run("query", "--store", store, "-f", path)
    assert result.exit_code == 0
    assert "id:company/microsoft" in result.stdout


def test_query_syntax_error_exits_2_with_the_position(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("SELECT *\nWHERE { ?s ?p }\n", encoding="utf-8")
    result = run("query", "--store", store, "-f", path)
    assert result.exit_code == 2
    assert re.search(
        rf"^error: {re.escape(str(path))}:\d+:\d+: SPARQL syntax error: ", result.stderr
    )


def test_update_is_refused_and_the_store_is_unchanged(store: Path) -> None:
    before = run(
        "query", "--store", store, "--format", "csv", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    )
    result = run("query", "--store", store, "DELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "read-only" in result.stderr
    after = run(
        "query", "--store", store, "--format", "csv", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    )
    assert before.stdout == after.stdout


def test_query_without_a_store_says_to_build_first(tmp_path: Path) -> None:
    result = run("query", "--store", tmp_path / "nothing", "ASK {}")
    assert result.exit_code == 2
    assert "run 'dealgraph build' first" in result.stderr
    assert current_info(tmp_path / "nothing") is None
