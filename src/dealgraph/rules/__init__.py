"""The data's entailments by rules (OWL 2 RL-style, as SPARQL on pyoxigraph)."""

from .entail import Entailment, Schema, entail, schema_of

__all__ = ["Entailment", "Schema", "entail", "schema_of"]
