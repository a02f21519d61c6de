"""Wikidata: link entities to their items, and snapshot chosen facts about the linked items.

The modules pass plain values (strings, dataclasses, rdflib graphs):

- :mod:`.client` sends SPARQL 1.1 queries to an endpoint, politely (User-Agent, timeouts,
  retries with backoff on 429 and 5xx);
- :mod:`.candidates` finds and ranks the items whose label or alias is a name, by kind;
- :mod:`.links` reads which entities of the graph are linked and writes proposed links;
- :mod:`.enrich` fetches the chosen facts about linked items into a labelled snapshot.

The queries are plain SPARQL 1.1 (no ``wikibase:label`` or ``mwapi`` service), so they run on
the Wikidata Query Service, on QLever, or on a local mirror holding Wikidata's RDF.
"""

from .client import DEFAULT_ENDPOINT, USER_AGENT, EndpointError

__all__ = ["DEFAULT_ENDPOINT", "USER_AGENT", "EndpointError"]
