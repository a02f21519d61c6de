"""The IRIs dealgraph fixes (design.md §2): namespaces and the named graphs of the store."""

from rdflib import Namespace

DG = Namespace("https://w3id.org/dealgraph/ontology#")
ID = Namespace("https://w3id.org/dealgraph/id/")
GRAPH = Namespace("https://w3id.org/dealgraph/graph/")
PROV = Namespace("http://www.w3.org/ns/prov#")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_IRI = "https://w3id.org/dealgraph/ontology"
INSTANCE_BASE = str(ID)

# Named graphs of a published store. Queries see their union as the default graph.
ONTOLOGY_GRAPH = GRAPH["ontology"]  # ontology/*.ttl: terms and alignments
ASSERTED_GRAPH = GRAPH["asserted"]  # data/**: curated facts, as written by curators
INFERRED_GRAPH = GRAPH["inferred"]  # what HermiT entails beyond the asserted triples
