"""Search over labels, alternative names and quotes (French and English), accent-insensitive.

The index is built once per build from the store (one query for names, one for evidence) and
searched in memory: every word of the query must occur in a name or in a quote (its
translation or paraphrase included), ignoring case, accents and the kind of apostrophe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..folding import fold
from ..namespaces import GRAPH_BASE, NAMED_GRAPHS, href
from .published import Published
from .store_queries import select
from .worker_pool import WorkerPool

# The type shown is a curated one (not a superclass the reasoner added).
NAMES_QUERY = """
SELECT ?s ?name ?kind ?type ?typeLabel WHERE {
  { ?s rdfs:label ?name BIND("label" AS ?kind) }
  UNION { ?s skos:prefLabel ?name BIND("label" AS ?kind) }
  UNION { ?s skos:altLabel ?name BIND("alternative name" AS ?kind) }
  UNION { ?s schema:alternateName ?name BIND("alternative name" AS ?kind) }
  UNION { ?s dcterms:title ?name BIND("title" AS ?kind) }
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(id:)))
  OPTIONAL { GRAPH ?asserted { ?s a ?type } FILTER(?asserted != <%s>)
             FILTER(STRSTARTS(STR(?type), STR(dg:)))
             OPTIONAL { ?type rdfs:label ?typeLabel FILTER(LANGMATCHES(LANG(?typeLabel), "en")) } }
}
""".replace("%s", GRAPH_BASE + NAMED_GRAPHS["INFERRED_GRAPH"])
# What each resource was derived from: the quote, its translation, a curator's paraphrase.
EVIDENCE_QUERY = """
SELECT ?s ?ev ?quote ?translation ?paraphrase ?source WHERE {
  ?s prov:wasDerivedFrom ?ev .
  OPTIONAL { ?ev oa:exact ?quote }
  OPTIONAL { ?ev dg:translation ?translation }
  OPTIONAL { ?ev dg:paraphrase ?paraphrase }
  OPTIONAL { ?ev dcterms:source ?source }
  FILTER(isIRI(?s))
}
"""
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "«": " ", "»": " ", "–": "-"})


def normalize(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe, single spaces."""
    return " ".join(fold(text.translate(APOSTROPHES)).split())


@dataclass
class Match:
    """Where the words were found: a name, or a quote with its translation."""

    field: str  # "label", "alternative name", "title", "quote", "translation", "paraphrase"
    text: str
    lang: str = ""
    translation: str = ""  # for a quote: its English translation
    source: str = ""  # for a quote: the IRI of its source

    def as_json(self) -> dict:
        out = {"field": self.field, "text": self.text, "lang": self.lang}
        if self.translation:
            out["translation"] = self.translation
        if self.source:
            out["source"] = self.source
            out["source_href"] = href(self.source)
        return out


@dataclass
class Entry:
    """One resource: its names and the evidence it rests on."""

    iri: str
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, text, lang)
    quotes: list[Match] = field(default_factory=list)
    type_label: str = ""

    @property
    def label(self) -> str:
        """English label, else French, else any name, else the IRI's last segment."""
        for lang in ("en", "fr", ""):
            for kind, text, name_lang in self.names:
                if kind == "label" and (name_lang == lang or not lang):
                    return text
        return self.names[0][1] if self.names else self.iri.rsplit("/", 1)[-1]


@dataclass
class Hit:
    """A resource found, with the matches that found it."""

    iri: str
    label: str
    type_label: str
    matches: list[Match]
    score: int

    def as_json(self) -> dict:
        return {
            "iri": self.iri,
            "href": href(self.iri),
            "label": self.label,
            "type": self.type_label,
            "matches": [m.as_json() for m in self.matches],
        }


class SearchIndex:
    """The names and quotes of one build, normalized once."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self._names = {
            iri: [(normalize(text), (kind, text, lang)) for kind, text, lang in e.names]
            for iri, e in entries.items()
        }
        self._quotes = {
            iri: [(normalize(" ".join((q.text, q.translation))), q) for q in e.quotes]
            for iri, e in entries.items()
        }

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """Resources whose names or quotes hold every word of *query*, best first."""
        words = normalize(query).split()
        if not words:
            return []
        phrase = " ".join(words)
        hits = []
        for iri, entry in self.entries.items():
            matches, score = [], 0
            for norm, (kind, text, lang) in self._names[iri]:
                if all(w in norm for w in words):
                    same = next((m for m in matches if (m.field, m.text) == (kind, text)), None)
                    if same is None:
                        matches.append(Match(kind, text, lang))
                    elif lang:  # one name in two languages: one match, both tags
                        same.lang = ", ".join(x for x in (same.lang, lang) if x)
                    score = max(score, 100 if norm == phrase else 60 if phrase in norm else 40)
            for norm, quote in self._quotes[iri]:
                if all(w in norm for w in words):
                    matches.append(quote)
                    score = max(score, 20)
            if matches:
                hits.append(Hit(iri, entry.label, entry.type_label, matches, score))
        hits.sort(key=lambda h: (-h.score, h.label.casefold()))
        return hits[:limit]


def _value(row: dict, key: str) -> str:
    return row[key]["value"] if key in row else ""


async def build_index(pool: WorkerPool, published: Published) -> SearchIndex:
    """The search index of *published*: two queries, run in the worker pool."""
    entries: dict[str, Entry] = {}
    for row in await select(pool, published, NAMES_QUERY):
        entry = entries.setdefault(_value(row, "s"), Entry(_value(row, "s")))
        name = (_value(row, "kind"), _value(row, "name"), row["name"].get("xml:lang", ""))
        if name not in entry.names:
            entry.names.append(name)
        if not entry.type_label and "type" in row:
            entry.type_label = _value(row, "typeLabel") or _value(row, "type").rsplit("#")[-1]
    seen: set[tuple[str, str]] = set()
    for row in await select(pool, published, EVIDENCE_QUERY):
        iri, ev = _value(row, "s"), _value(row, "ev")
        if (iri, ev) in seen or iri not in entries:
            continue
        seen.add((iri, ev))
        source = _value(row, "source")
        if "quote" in row:
            match = Match(
                "quote", _value(row, "quote"), row["quote"].get("xml:lang", ""),
                _value(row, "translation"), source,
            )  # fmt: skip
        elif "paraphrase" in row:
            match = Match("paraphrase", _value(row, "paraphrase"), "en", source=source)
        else:
            continue
        entries[iri].quotes.append(match)
    return SearchIndex(entries)
