"""One settings object for the server, one way to start it, one engine for CLI and endpoint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from process_support import Server, start_dealgraph, stop
from project_support import REPO_ROOT
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.settings import ServeSettings

runner = CliRunner()


def test_help_settings_lists_every_setting_with_default_option_and_variable() -> None:
    result = runner.invoke(app, ["serve", "--help-settings"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    names = [line.split()[0] for line in lines]
    assert names == [f for f in ServeSettings.__dataclass_fields__]
    timeout = next(line for line in lines if line.startswith("timeout "))
    assert timeout.split()[:4] == ["timeout", "30.0", "--timeout,", "DEALGRAPH_TIMEOUT"]
    assert "DEALGRAPH_MAX_REQUEST_BYTES" in result.stdout


def test_environment_sets_a_limit_and_the_command_line_wins() -> None:
    env = {"DEALGRAPH_MAX_REQUEST_BYTES": "2000", "DEALGRAPH_TIMEOUT": "5"}
    serve = ServeSettings.from_env(env, timeout=7.5, port=None)
    assert (serve.max_request_bytes, serve.timeout, serve.port) == (2000, 7.5, 8000)
    services = ServeSettings.from_env({"DEALGRAPH_ALLOWED_SERVICES": "http://a/, http://b/"})
    assert services.allowed_services == ("http://a/", "http://b/")


def test_an_unreadable_setting_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError) as caught:
        ServeSettings.from_env({"DEALGRAPH_TIMEOUT": "soon"})
    assert str(caught.value) == "DEALGRAPH_TIMEOUT='soon' is not a valid float"


def test_serve_refuses_an_unreadable_setting_with_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["serve", "--no-build", "--store", str(tmp_path)],
        env={"DEALGRAPH_WORKERS": "many"},
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: DEALGRAPH_WORKERS='many' is not a valid int"


def test_serve_without_build_and_without_a_store_says_to_build_first(tmp_path: Path) -> None:
    result = runner.invoke(app, ["serve", "--no-build", "--store", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: no published store in {tmp_path / 'none'}: run 'dealgraph build' first"
    )


def test_a_limit_from_the_environment_reaches_the_running_server(
    shipped_store_dir: Path,
) -> None:
    server = start_dealgraph(
        REPO_ROOT, shipped_store_dir, env={"DEALGRAPH_MAX_REQUEST_BYTES": "3000"}
    )
    try:
        big = "ASK {}" + " " * 3000
        response = httpx.post(server.url + "/sparql", data={"query": big}, timeout=30)
        assert response.status_code == 413
        assert response.text == "request too large: queries are limited to 3 kB\n"
    finally:
        stop(server.proc)


def test_cli_and_endpoint_give_the_same_syntax_error(
    shipped_store_dir: Path, real_server: Server
) -> None:
    query = "SELECT * WHERE {\n  ?s ?p \n}"
    cli = subprocess.run(
        [sys.executable, "-m", "dealgraph", "query", "--store", str(shipped_store_dir), query],
        capture_output=True,
        text=True,
    )
    over_http = httpx.get(real_server.url + "/sparql", params={"query": query}, timeout=30)
    assert cli.returncode == 2 and over_http.status_code == 400
    assert cli.stderr.strip() == f"error: {over_http.text.strip()}"
    assert over_http.text.startswith("query:3:2: SPARQL syntax error: ")
