"""Issue 11, item 4: uncached queries fast, without giving up a protection.

The command line skips its offline child only where the guard's strict rule (the one for hosts
without a sandbox, which the hypothesis test of tests/web/test_hardening_guard.py runs against
a reachable recorder) already proves that no SERVICE can run; and a query worker imports none
of the build, validation, web or HTTP-client stacks.
"""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from dealgraph.cli import _strictly_offline, app

HEAVY = ("owlready2", "pyshacl", "rdflib", "httpx", "fastapi", "starlette", "typer", "pydantic")


def test_a_query_without_the_word_service_runs_without_a_child_and_without_its_comments():
    assert _strictly_offline("ASK {} # a comment\n", ()) == "ASK {}            \n"


def test_the_word_service_anywhere_outside_comments_keeps_the_offline_child():
    assert _strictly_offline('ASK { FILTER ("service" != "x") }', ()) is None
    assert _strictly_offline("SELECT * { ?s ?p ?o } # service\n", ()) is not None


def test_a_codepoint_escape_keeps_the_offline_child():
    assert _strictly_offline('ASK { FILTER ("\\u0053ERVICE" != "x") }', ()) is None


def test_a_query_that_keeps_the_offline_child_still_answers(fixture_store):
    query = 'ASK { FILTER ("service" != "x") }'
    result = CliRunner().invoke(app, ["query", "--store", str(fixture_store), "-F", "json", query])
    assert (result.exit_code, json.loads(result.stdout)["boolean"]) == (0, True)


def test_a_query_worker_imports_no_build_web_or_http_client_stack():
    # What a spawned worker imports: the module of its entry point, and the engine that its
    # jobs unpickle into (multiprocessing skips the parent's ``dealgraph.__main__``).
    probe = (
        "import sys, dealgraph.web.worker_pool, dealgraph.engine; "
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "[]")
