"""Malformed and hostile requests get a 4xx with a message, never a 5xx."""

from __future__ import annotations

import socket

import httpx
import pytest


@pytest.mark.parametrize(
    "accept",
    [
        "",
        ";;;",
        "*/*;q=abc",
        "text/html;q=",
        "application/sparql-results+json;q=2",
        "garbage",
        "*/" * 500,
        "text/csv;q=0",
    ],
)
def test_broken_accept_headers_never_get_a_5xx(client, accept):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    assert r.status_code < 500


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("", "the 'query' parameter is empty\n"),
        ("   ", "the 'query' parameter is empty\n"),
        ("SELECT", "query:1:7: SPARQL syntax error: "),
        ("}{", "query:1:3: SPARQL syntax error: "),
        (
            "SELECT * WHERE { ?s ?p ?o } LIMIT 99999999999999999999999",
            "query:1:58: SPARQL syntax error: ",
        ),
        ("\x00\x01", "query:1:3: SPARQL syntax error: "),
        ("SELECT * WHERE { <http://a b> ?p ?o }", "query:1:30: SPARQL syntax error: "),
    ],
)
def test_malformed_queries_get_a_400_that_says_where(client, query, answer):
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400
    assert r.text.startswith(answer), r.text


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("SELECT (1/0 AS ?x) {}", {"head": {"vars": ["x"]}, "results": {"bindings": [{}]}}),
        ("ASK { FILTER(REGEX('a', '(')) }", {"head": {}, "boolean": False}),
    ],
)
def test_errors_inside_expressions_leave_values_unbound_as_sparql_says(client, query, answer):
    r = client.get("/sparql", params={"query": query})
    assert (r.status_code, r.json()) == (200, answer)


def test_a_long_relative_iri_resolves_against_the_endpoint_and_describes_nothing(client):
    r = client.get("/sparql", params={"query": "DESCRIBE <" + "a" * 10000 + ">"})
    assert (r.status_code, r.text) == (200, "")


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    ("content", "headers", "status", "answer"),
    [
        (b"query=%ZZ", FORM, 400, "query:1:4: SPARQL syntax error: "),
        (b"query=\xff", FORM, 400, "the form body is not valid UTF-8\n"),
        (
            b"ASK {}",
            {"Content-Type": "application/sparql-query; charset=latin1"},
            415,
            "unsupported charset 'latin1': send UTF-8\n",
        ),
        (
            b"--x\r\n",
            {"Content-Type": "multipart/form-data; boundary=x"},
            415,
            "unsupported Content-Type 'multipart/form-data': POST a query as "
            "application/sparql-query or as application/x-www-form-urlencoded\n",
        ),
    ],
)
def test_malformed_form_and_bodies_get_a_4xx_that_says_why(
    server, content, headers, status, answer
):
    r = httpx.post(server.url + "/sparql", content=content, headers=headers)
    assert r.status_code == status
    assert r.text.startswith(answer), r.text


def test_an_unreadable_content_length_is_a_400_from_the_http_layer(server):
    # httpx refuses to send it, so the request is written by hand.
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1]))) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: abc\r\n\r\nASK {}"
        )
        s.settimeout(10)
        answer = s.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert answer.endswith(b"\r\n\r\nInvalid HTTP request received.")


def test_html_in_query_string_is_escaped_on_the_page(client):
    payload = "<script>alert(1)</script>"
    r = client.get("/", params={"query": payload}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and payload not in r.text
    r = client.get("/sparql", params={"query": payload}, headers={"Accept": "text/html"})
    assert payload not in r.text


def test_canned_query_descriptions_are_escaped(client):
    page = client.get("/", headers={"Accept": "text/html"}).text
    assert "<b>evidence</b>" not in page
    assert "&lt;b&gt;evidence&lt;/b&gt;" in page


def test_unknown_routes_are_404(client):
    assert client.get("/nothing-here").status_code == 404
    assert client.get("/static/../app.py").status_code == 404
