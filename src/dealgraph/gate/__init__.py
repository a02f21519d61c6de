"""The gate as SPARQL: the SHACL shapes compiled to queries run on a pyoxigraph store."""

from .compile import Check, UnsupportedShape, compile_shapes
from .run import gate, gate_graphs

__all__ = ["Check", "UnsupportedShape", "compile_shapes", "gate", "gate_graphs"]
