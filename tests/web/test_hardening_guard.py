"""Issue 7, item 1: the query guard. SERVICE reaches only the allowlist, whatever the spelling.

The property-based test runs generated queries through the guard *and then through the real
engine* (in this process, which has network) with a loopback recorder as the forbidden
target: the recorder must never be hit. It checks the guard's strict rule alone (no sandbox
to catch a miss); the sandbox is tested on its own in test_hardening_sandbox.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pyoxigraph
import pytest
from hardening_support import Recorder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dealgraph.engine import QueryJob, execute
from dealgraph.sparql_text import QueryRefusedError, guard

WDQS = "https://query.wikidata.org/sparql"
EVIL = "http://127.0.0.1:9/sparql"


def refusal(query: str, *, sandboxed: bool = True) -> tuple[int, str]:
    with pytest.raises(QueryRefusedError) as caught:
        guard(query, [WDQS], sandboxed=sandboxed)
    return caught.value.status, caught.value.message


GLUED = (
    "SERVICE refused: {!r} holds SERVICE glued to another word; write SERVICE <endpoint> "
    "with spaces around it"
)


@pytest.mark.parametrize(
    ("query", "word"),
    [
        (f"SELECT * {{ SERVICESILENT <{EVIL}> {{ }} }}", "SERVICESILENT"),
        ("PREFIX wd: <http://127.0.0.1:9/> SELECT * { SERVICEwd:sparql { } }", "SERVICEwd:sparql"),
        ("PREFIX : <http://127.0.0.1:9/> SELECT * { SERVICE:sparql { } }", "SERVICE:sparql"),
        (f"SELECT * {{ ?s ?p true.SERVICE <{EVIL}> {{ }} }}", "true.SERVICE"),
        (f'SELECT * {{ ?s ?p "x"@en.SERVICE <{EVIL}> {{ }} }}', "en.SERVICE"),
        (f"SELECT * {{ ?s ?p trueSERVICE <{EVIL}> {{ }} }}", "trueSERVICE"),
    ],
)
def test_service_glued_to_another_word_is_refused(query, word):
    assert refusal(query) == (403, GLUED.format(word))


def test_silent_used_as_a_prefix_name_cannot_redirect_an_allowed_call():
    # The engine reads SERVICE SILENT :sparql, i.e. the default prefix: the evil endpoint.
    query = (
        "PREFIX silent: <https://query.wikidata.org/> PREFIX : <http://127.0.0.1:9/> "
        "SELECT * { SERVICE silent:sparql { } }"
    )
    assert refusal(query) == (
        403,
        f"SERVICE <http://127.0.0.1:9/sparql> refused: this endpoint only federates with {WDQS}",
    )


def test_prefix_redefined_after_base_is_not_an_allowlisted_target():
    query = (
        "PREFIX w: <https://query.wikidata.org/> BASE <http://127.0.0.1:9/> PREFIX w: <x/> "
        "SELECT * { SERVICE w:sparql { } }"
    )
    assert refusal(query) == (
        403,
        "SERVICE refused: the target must be a fixed absolute IRI (variables, relative IRIs "
        "and undeclared prefixes are not allowed)",
    )


def test_a_federated_query_may_hold_the_word_service_only_in_allowlisted_calls():
    query = f'SELECT * {{ SERVICE <{WDQS}> {{ ?s ?p "self-service" }} }}'
    assert refusal(query) == (
        403,
        "SERVICE refused: 'service' at line 1, column 70 is not SERVICE <endpoint> with an "
        f"endpoint of {WDQS}; a query that calls SERVICE (or runs where no sandbox is "
        "available) may use the word only in such calls",
    )


def test_a_federated_query_may_not_use_codepoint_escapes():
    query = f'SELECT * {{ SERVICE <{WDQS}> {{ ?s ?p "\\u0041" }} }}'
    assert refusal(query) == (
        403,
        "SERVICE refused: a query that calls SERVICE may not use \\u escapes (line 1, "
        "column 65); write the characters themselves",
    )


def test_without_a_sandbox_every_occurrence_of_service_must_be_pinned():
    query = "SELECT * { ?s ?p 'web service' }"
    assert guard(query, [WDQS]).text == query  # a sandbox catches what the lexer misses
    status, message = refusal(query, sandboxed=False)
    assert (status, message.split(" is not")[0]) == (
        403,
        "SERVICE refused: 'service' at line 1, column 23",
    )


def test_comments_are_blanked_in_the_text_that_runs():
    query = f"SELECT * {{ SERVICE <{WDQS}> {{ }} }} # SERVICE <{EVIL}>"
    guarded = guard(query, [WDQS])
    assert guarded.services == (WDQS,)
    assert guarded.text == query.split("#")[0] + " " * len(query.split("#", 1)[1]) + " "


def test_a_query_without_service_needs_no_network_and_runs_as_written():
    query = "SELECT * { ?service <http://ex/p> 'service' } # SERVICE"
    guarded = guard(query, [WDQS])
    assert (guarded.needs_network, guarded.text) == (False, query)


def test_too_deep_nesting_is_refused_with_400_before_the_engine():
    query = "SELECT * " + "{ " * 3000 + "}" * 3000
    assert refusal(query) == (
        400,
        "query nested too deeply: 3000 levels of brackets, the limit is 200; flatten the groups",
    )


def test_nesting_within_the_limit_passes():
    guard("SELECT * " + "{ " * 200 + "}" * 200, [WDQS])


# ------------------------------------------------------- property: guard + engine, no hit

NOISE = [
    "?s ?p ?o .", "{ }", "?s ?p true", '?s ?p "x"@en', "?s ?p 1", '"service"', '"""s"""',
    "# SERVICE <{evil}>\n", "<http://ex/service>", "?service", ".", ";", "\n", "e:x",
]  # fmt: skip
KEYWORDS = [
    "SERVICE", "service", "SeRvIcE", "ſervice", "\\u0053ERVICE", "true.SERVICE", "trueSERVICE",
    '"x"@en.SERVICE', "1SERVICE", "?s ?p trueSERVICE", "?s ?p 1SERVICE",
]  # fmt: skip
SILENCE = ["", "SILENT ", "silent ", "SILENT", "silent"]
TARGETS = [
    "<{evil}>", "e:sparql", ":sparql", "w:sparql", "<sparql>", "?x", f"<{WDQS}>",
    "silent:sparql", "<{evil_ns}\\u0073parql>", "e:\\u0073parql",
]  # fmt: skip
PROLOGUES = [
    "", "PREFIX e: <{evil_ns}> ", "PREFIX w: <https://query.wikidata.org/> ",
    "PREFIX : <{evil_ns}> ", "PREFIX silent: <https://query.wikidata.org/> ",
    "BASE <{evil_ns}> ", "PREFIX w: <{evil_ns}> PREFIX w: <https://query.wikidata.org/> ",
    "BASE <{evil_ns}> PREFIX w: <x/> ",
]  # fmt: skip
GLUE = ["", " ", "\n", "\t", "#c\n"]


@st.composite
def queries(draw: st.DrawFn, evil: str) -> str:
    """Attacks near the known bypasses: a prologue, noise, a SERVICE spelled one of many
    ways with a target of many kinds, glued or spaced, and more noise."""
    evil_ns = evil.rsplit("/", 1)[0] + "/"
    prologue = "".join(draw(st.lists(st.sampled_from(PROLOGUES), max_size=3)))
    before = " ".join(draw(st.lists(st.sampled_from(NOISE), max_size=3)))
    after = " ".join(draw(st.lists(st.sampled_from(NOISE), max_size=3)))
    parts = (KEYWORDS, GLUE, SILENCE, TARGETS, GLUE)
    call = "".join(draw(st.sampled_from(choices)) for choices in parts) + "{ }"
    form = draw(st.sampled_from(["SELECT * WHERE { %s }", "ASK { %s }", "SELECT * { { %s } }"]))
    text = prologue + form.replace("%s", f"{before} {call} {after}")
    return text.replace("{evil}", evil).replace("{evil_ns}", evil_ns)


@pytest.fixture(scope="module")
def recorder():
    with Recorder() as rec:
        yield rec


@pytest.fixture(scope="module")
def store():
    db = pyoxigraph.Store()
    db.add(pyoxigraph.Quad(*(pyoxigraph.NamedNode(f"http://ex/{t}") for t in "spo")))
    return db


def _run_guarded(text: str, recorder: Recorder, store: pyoxigraph.Store, sandboxed: bool) -> None:
    """Guard *text* with only the recorder's sibling allowlisted; run it if allowed."""
    try:
        guarded = guard(text, [WDQS], sandboxed=sandboxed)
    except QueryRefusedError:
        return
    if guarded.needs_network:
        return  # it calls only Wikidata, which this machine cannot reach: nothing to learn
    execute(store, QueryJob(build_dir="", query=guarded.text))


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_queries_never_reach_an_unlisted_endpoint(data, recorder, store):
    text = data.draw(queries(recorder.url))
    _run_guarded(text, recorder, store, sandboxed=False)
    assert recorder.hits == [], f"the guard let through: {text!r}"


def test_the_recorder_is_reachable_so_the_property_can_fail(recorder, store):
    outcome = execute(store, QueryJob("", f"SELECT * {{ SERVICE <{recorder.url}> {{ }} }}"))
    assert outcome.status == 200
    assert len(recorder.hits) == 1
    recorder.hits.clear()


def test_the_command_line_runs_the_same_guard(fixture_store, recorder):
    query = f"SELECT * {{ ?s ?p trueSERVICE <{recorder.url}> {{ }} }}"
    done = subprocess.run(
        [sys.executable, "-m", "dealgraph", "query", "--store", str(fixture_store), query],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "error: query: " + GLUED.format("trueSERVICE")
    assert recorder.hits == []


def test_the_command_line_runs_queries_offline_without_taking_its_callers_network(
    fixture_store, recorder
):
    from typer.testing import CliRunner

    from dealgraph.cli import app

    result = CliRunner().invoke(
        app, ["query", "--store", str(fixture_store), "-F", "json", "ASK {}"]
    )
    assert (result.exit_code, json.loads(result.stdout)["boolean"]) == (0, True)
    httpx.get(recorder.url, timeout=10)  # the caller (here: pytest) still has its network
    assert len(recorder.hits) == 1
    recorder.hits.clear()
