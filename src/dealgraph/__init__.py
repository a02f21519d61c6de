"""dealgraph: a knowledge graph of corporate AI deals, validated by SHACL and served over SPARQL."""

__version__ = "0.1.0"
