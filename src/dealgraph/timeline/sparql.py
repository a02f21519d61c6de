"""The timeline's SPARQL: one ``.rq`` file per kind of row, in ``queries/`` beside this module.

The files hold no ``PREFIX`` lines: the prologue comes from the one prefix table of
:mod:`dealgraph.namespaces`, so the timeline and every other reader agree on ``dg:``.
"""

from __future__ import annotations

from importlib.resources import files

from ..namespaces import sparql_prologue

NAMES = ("agreements", "rights", "triggers", "stakes")  # the arguments of timeline_data
PROLOGUE = sparql_prologue("dg", "rdfs")


def load_query(name: str) -> str:
    """The full text (prologue + ``queries/<name>.rq``) of one of the :data:`NAMES`."""
    text = (files(__package__) / "queries" / f"{name}.rq").read_text(encoding="utf-8")
    return PROLOGUE + text


QUERIES: dict[str, str] = {name: load_query(name) for name in NAMES}
