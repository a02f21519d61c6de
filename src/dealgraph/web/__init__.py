"""The SPARQL endpoint and Linked Data pages of dealgraph (FastAPI, read-only)."""
