"""A timeline picture of the deal: agreement versions, rights as bars, stakes as points.

Three steps, one module each, shared by the command line, the web server and the tests:

- :mod:`.sparql`: the four queries (``queries/*.rq``), run by :func:`timeline_rows`;
- :mod:`.model`: :func:`timeline_data` makes a :class:`Timeline` of plain dataclasses from
  their SPARQL JSON rows;
- :mod:`.svg`: :func:`render_svg` draws it as one self-contained SVG.

:func:`draw` does all three on a store: ``dealgraph timeline`` calls it on the local store,
the server inside its query worker process.
"""

from __future__ import annotations

import json

import pyoxigraph

from .model import (
    Expiry,
    Milestone,
    Ref,
    RightBar,
    Rows,
    StakePoint,
    Timeline,
    timeline_data,
)
from .sparql import NAMES, QUERIES, load_query
from .svg import render_svg

__all__ = [
    "NAMES",
    "QUERIES",
    "Expiry",
    "Milestone",
    "Ref",
    "RightBar",
    "Rows",
    "StakePoint",
    "Timeline",
    "draw",
    "load_query",
    "render_svg",
    "timeline_data",
    "timeline_rows",
]


def timeline_rows(store: pyoxigraph.Store) -> dict[str, Rows]:
    """The SPARQL JSON rows of each timeline query on *store* (its union graph), by name.

    A store that cannot answer raises what pyoxigraph raises (``SyntaxError``, ``OSError``).
    """
    rows: dict[str, Rows] = {}
    for name, query in QUERIES.items():
        results = store.query(query, use_default_graph_as_union=True)
        answer = results.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        rows[name] = json.loads(answer)["results"]["bindings"]
    return rows


def draw(store: pyoxigraph.Store) -> str:
    """The timeline SVG of *store*: its rows, made into a :class:`Timeline`, drawn."""
    return render_svg(timeline_data(**timeline_rows(store)))
