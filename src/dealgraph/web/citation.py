"""Citations: each source of evidence and the dataset itself, as BibTeX and as CSL-JSON.

A source's record comes from the data (title or label, publisher, date, URL, language), never
from guesses; a field the data lacks is left out. The dataset's record is the build: its id is
the version, its date the build time, its licence the ontology's ``dcterms:license``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..namespaces import ONTOLOGY_IRI, PREFIXES, href
from .published import Published
from .store_queries import select
from .worker_pool import WorkerPool

DG = PREFIXES["dg"]
DATASET_TITLE = "dealgraph: a knowledge graph of the Microsoft–OpenAI deal"
DATASET_AUTHOR = "dealgraph contributors"

# One row per source; labels and titles in English first, then French, then any.
SOURCES_QUERY = """
SELECT ?source ?kind ?title ?label ?publisher ?publisherName ?date ?inferred ?url ?language
       ?identifier
WHERE {
  ?source a ?kind . VALUES ?kind { dg:Article dg:OfficialStatement dg:Document }
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?source rdfs:label ?label FILTER(LANGMATCHES(LANG(?label), "en")) }
  OPTIONAL { ?source dcterms:publisher ?publisher
             OPTIONAL { ?publisher rdfs:label ?publisherName
                        FILTER(LANGMATCHES(LANG(?publisherName), "en")) } }
  OPTIONAL { ?source dcterms:date ?date }
  OPTIONAL { ?source dg:date ?date OPTIONAL { ?source dg:dateIsInferred ?inferred } }
  OPTIONAL { ?source schema:url ?url }
  OPTIONAL { ?source dcterms:language ?language }
  OPTIONAL { ?source dcterms:identifier ?identifier }
}
ORDER BY ?source
"""
LICENSE_QUERY = f"SELECT ?license WHERE {{ <{ONTOLOGY_IRI}> dcterms:license ?license }} LIMIT 1"
KINDS = {
    DG + "Article": ("article-newspaper", "article", "news article"),
    DG + "OfficialStatement": ("post-weblog", "misc", "official statement"),
    DG + "Document": ("document", "misc", "document"),
}


@dataclass
class SourceCitation:
    """What is known to cite one source (or the dataset)."""

    iri: str
    kind: str  # CSL type
    bibtex_type: str
    kind_label: str
    title: str
    publisher: str = ""
    date: str = ""  # ISO date
    date_inferred: bool = False
    url: str = ""
    language: str = ""
    note: str = ""
    version: str = ""
    license: str = ""
    author: str = ""
    ident: str = ""  # the BibTeX key, when not made from the IRI

    @property
    def key(self) -> str:
        """A BibTeX key from the IRI's last segment (letters, digits, dashes)."""
        if self.ident:
            return self.ident
        last = re.split(r"[/#]", self.iri.rstrip("/"))[-1]
        return "dealgraph-" + re.sub(r"[^A-Za-z0-9-]+", "-", last).strip("-")

    @property
    def href(self) -> str:
        """Where the server shows the source."""
        return href(self.iri)

    @property
    def text(self) -> str:
        """A plain citation: publisher, title, date, URL (what is known)."""
        parts = [self.author or self.publisher, f"“{self.title}”", self.kind_label]
        if self.version:
            parts.append(f"version {self.version}")
        if self.date:
            inferred = " (date inferred by the curators)" if self.date_inferred else ""
            parts.append(self.date + inferred)
        if self.url:
            parts.append(self.url)
        return ", ".join(p for p in parts if p) + "."


def _value(row: dict, key: str) -> str:
    return row[key]["value"] if key in row else ""


async def source_citations(pool: WorkerPool, published: Published) -> dict[str, SourceCitation]:
    """Every source of the build, by IRI."""
    rows = await select(pool, published, SOURCES_QUERY)
    sources: dict[str, SourceCitation] = {}
    for row in rows:
        iri = _value(row, "source")
        if iri in sources:
            continue
        csl, bib, label = KINDS.get(_value(row, "kind"), KINDS[DG + "Document"])
        publisher = _value(row, "publisherName") or _value(row, "publisher")
        sources[iri] = SourceCitation(
            iri=iri,
            kind=csl,
            bibtex_type=bib,
            kind_label=label,
            title=_value(row, "title") or _value(row, "label") or _value(row, "identifier"),
            publisher=publisher,
            date=_value(row, "date")[:10],
            date_inferred=_value(row, "inferred") in ("true", "1"),
            url=_value(row, "url"),
            language=_value(row, "language"),
            note=(
                "Source of evidence in the dealgraph dataset, file " + _value(row, "identifier")
                if _value(row, "identifier")
                else ""
            ),
        )
    return sources


async def dataset_citation(pool: WorkerPool, published: Published, base_url: str) -> SourceCitation:
    """The dataset as published by this server: version = build id, date = build time."""
    rows = await select(pool, published, LICENSE_QUERY)
    return SourceCitation(
        iri=base_url + "/",
        kind="dataset",
        bibtex_type="misc",
        kind_label="dataset",
        title=DATASET_TITLE,
        author=DATASET_AUTHOR,
        ident=f"dealgraph-{published.info.build_id}",
        date=published.info.built_at[:10],
        url=base_url + "/",
        version=published.info.build_id,
        license=_value(rows[0], "license") if rows else "",
        note=f"SPARQL endpoint {base_url}/sparql; build {published.info.build_id} of "
        f"{published.info.built_at}",
    )


def _bibtex_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def to_bibtex(items: list[SourceCitation]) -> str:
    """BibTeX entries (UTF-8, for biblatex or BibTeX with inputenc)."""
    entries = []
    for c in items:
        fields = [("title", "{" + _bibtex_escape(c.title) + "}")]
        if c.author:
            fields.append(("author", "{" + _bibtex_escape(c.author) + "}"))
        if c.publisher:
            fields.append(
                (
                    "journal" if c.bibtex_type == "article" else "publisher",
                    _bibtex_escape(c.publisher),
                )
            )
        if c.date:
            fields.append(("year", c.date[:4]))
            if len(c.date) >= 7:
                fields.append(("month", str(int(c.date[5:7]))))
            fields.append(("date", c.date))
        if c.version:
            fields.append(("version", _bibtex_escape(c.version)))
        if c.url:
            fields.append(("url", c.url))
        if c.language:
            fields.append(("language", c.language))
        notes = [c.note] if c.note else []
        if c.date_inferred:
            notes.append("date inferred by the curators")
        if c.license:
            notes.append("licence " + c.license)
        if notes:
            fields.append(("note", _bibtex_escape("; ".join(notes))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{c.bibtex_type}{{{c.key},\n{body}\n}}\n")
    return "\n".join(entries)


def to_csl_json(items: list[SourceCitation]) -> str:
    """CSL-JSON: a list of items, as Zotero, Pandoc and citeproc read it."""
    out = []
    for c in items:
        item: dict = {"id": c.key, "type": c.kind, "title": c.title}
        if c.author:
            item["author"] = [{"literal": c.author}]
        if c.publisher:
            item["container-title" if c.kind == "article-newspaper" else "publisher"] = c.publisher
        if c.date:
            item["issued"] = {"date-parts": [[int(x) for x in c.date.split("-")]]}
            if c.date_inferred:
                item["issued"]["circa"] = True
        if c.url:
            item["URL"] = c.url
        if c.language:
            item["language"] = c.language
        if c.version:
            item["version"] = c.version
        if c.license:
            item["license"] = c.license
        if c.note:
            item["note"] = c.note
        out.append(item)
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
