"""Running the module's SPARQL files on a published store and reading their JSON rows."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import sparql_prologue

Rows = list[dict[str, dict[str, str]]]  # SPARQL JSON bindings: variable -> {type, value, …}
SPARQL_FOLDER = Path(__file__).with_name("sparql")


@cache
def sparql(name: str) -> str:
    """The text of ``sparql/NAME.rq`` next to this module, after the project's prefixes (the
    files declare only prefixes that are not in :data:`dealgraph.namespaces.PREFIXES`)."""
    return sparql_prologue() + (SPARQL_FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def run(store: ox.Store, name: str) -> Rows:
    """The rows of ``sparql/NAME.rq`` on *store* (its named graphs' union as default graph)."""
    results = store.query(sparql(name), use_default_graph_as_union=True)
    return json.loads(results.serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"]


def value(row: dict[str, dict[str, str]], name: str) -> str | None:
    """The lexical value bound to *name* in *row*, or None."""
    cell = row.get(name)
    return cell["value"] if cell else None


def day_value(row: dict[str, dict[str, str]], name: str) -> date | None:
    """The xsd:date bound to *name* in *row* as a date, or None."""
    text = value(row, name)
    return date.fromisoformat(text[:10]) if text else None
