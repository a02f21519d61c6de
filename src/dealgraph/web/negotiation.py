"""Content negotiation: an ``Accept`` header (q-values, wildcards) or a ``format`` parameter.

Every name and media type the usual clients send is understood: SPARQLWrapper (``format=n3``,
``format=rdf+xml``, ``format=json-ld``, its long Accept lists), rdflib (``text/n3``,
``application/x-turtle``), pandas and curl (``format=csv``, ``Accept: text/csv``). A ``format``
that names nothing known is ignored in favour of the Accept header.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Result formats, keyed by the media type sent back.
TABULAR_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "text/n3": "n3",  # Turtle is N3: SPARQLWrapper's N3 and rdflib's "n3" get N3 text
}
# The file name extension of a download in each format.
FILE_EXTENSIONS = {
    "application/sparql-results+json": "srj.json",
    "application/sparql-results+xml": "srx.xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
    "text/n3": "n3",
}
# Other names clients use for the same formats.
ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/plain": (None, "application/n-triples"),
    "application/x-turtle": (None, "text/turtle"),
    "application/turtle": (None, "text/turtle"),
    "application/trig": (None, "text/turtle"),
    "text/rdf+n3": (None, "text/n3"),
    "application/n3": (None, "text/n3"),
    "application/x-json+ld": (None, "application/ld+json"),
    "text/javascript": ("application/sparql-results+json", None),
    "application/javascript": ("application/sparql-results+json", None),
    "application/sparql-results+json": ("application/sparql-results+json", None),
}
FORMAT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "srj": ("application/sparql-results+json", None),
    "srx": ("application/sparql-results+xml", None),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "nt": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "rdfxml": (None, "application/rdf+xml"),
    "rdf": (None, "application/rdf+xml"),
    "rdf/xml": (None, "application/rdf+xml"),
    "rdf+xml": (None, "application/rdf+xml"),
    "xml-rdf": (None, "application/rdf+xml"),
    "owl": (None, "application/rdf+xml"),
    "n3": (None, "text/n3"),
    "text/n3": (None, "text/n3"),
    "sparql-results+json": ("application/sparql-results+json", None),
    "sparql-results+xml": ("application/sparql-results+xml", None),
    "sparql-json": ("application/sparql-results+json", None),
    "sparql-xml": ("application/sparql-results+xml", None),
    "tab-separated-values": ("text/tab-separated-values", None),
}


class UnknownFormatError(ValueError):
    """A ``format`` parameter names no format this endpoint has."""


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact, 2 type/*, 1 */*), 0 when it does not match."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 1
        if self.type != main:
            return 0
        if self.subtype == "*":
            return 2
        return 3 if self.subtype == sub else 0


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header leniently: malformed entries are skipped, never an error."""
    if not header:
        return [MediaRange("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        media, *params = part.split(";")
        main, slash, sub = media.strip().lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q, order))
    # A header with no usable entry says nothing: treat it as no header at all.
    return ranges or [MediaRange("*", "*", 1.0, 0)]


def quality(ranges: list[MediaRange], media_type: str) -> tuple[float, int]:
    """The q-value the client gives *media_type* (most specific matching range wins)."""
    best: tuple[int, float, int] = (0, 0.0, 0)
    for r in ranges:
        spec = r.matches(media_type)
        if spec > best[0]:
            best = (spec, r.q, -r.order)
    return best[1], best[0]


def choose(accept: str | None, offered: list[str]) -> str | None:
    """The best of *offered* (in server preference order) for *accept*; None if none is acceptable.

    Aliases (``application/json`` for SPARQL JSON results, …) count as the type they stand for.
    """
    ranges = parse_accept(accept)
    scored = []
    for index, media_type in enumerate(offered):
        q, spec = quality(ranges, media_type)
        for alias, targets in ALIASES.items():
            if media_type in targets:
                alias_q, alias_spec = quality(ranges, alias)
                if alias_spec == 3 and (alias_q, alias_spec) > (q, spec):
                    q, spec = alias_q, alias_spec
        if q > 0:
            scored.append((q, spec, -index, media_type))
    return max(scored)[3] if scored else None


@dataclass(frozen=True)
class ResultTypes:
    """The media type to use for a solutions/boolean result and for a graph result (None: 406)."""

    tabular: str | None
    graph: str | None


@lru_cache(maxsize=512)  # pure, and clients send few distinct Accept headers
def negotiate_results(accept: str | None, format_param: str | None) -> ResultTypes:
    """Pick result media types from a ``format`` parameter (wins when it names a known format)
    or else from ``Accept``."""
    named = format_types(format_param) if format_param else None
    if named is not None:
        return named
    return ResultTypes(choose(accept, list(TABULAR_TYPES)), choose(accept, list(GRAPH_TYPES)))


def format_types(format_param: str) -> ResultTypes | None:
    """The media types a ``format`` name or media type stands for; None when it is unknown."""
    name = format_param.strip().lower().split(";")[0].strip()
    if name in FORMAT_NAMES:
        return ResultTypes(*FORMAT_NAMES[name])
    if name in TABULAR_TYPES:
        return ResultTypes(name, None)
    if name in GRAPH_TYPES:
        return ResultTypes(None, name)
    if name in ALIASES:
        return ResultTypes(*ALIASES[name])
    return None


def prefers_html(accept: str | None, offered: Iterable[str]) -> bool:
    """True when the client explicitly prefers text/html over every type in *offered*."""
    return _prefers_html(accept, tuple(offered))


@lru_cache(maxsize=512)
def _prefers_html(accept: str | None, offered: tuple[str, ...]) -> bool:
    ranges = parse_accept(accept)
    q_html, spec = quality(ranges, "text/html")
    if spec < 3 or q_html == 0:
        return False
    return all(quality(ranges, t)[0] < q_html or quality(ranges, t)[1] < 3 for t in offered)
