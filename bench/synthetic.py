"""A deal-shaped synthetic graph in the dealgraph vocabulary, for benchmarks at scale.

The graph mimics the shipped data (data/) and passes the gate as the shapes stand: companies
and products with their labels; agreements with successive versions (each later version ends
the rights of the one before, and its rights revise them); the rights each version grants
(holder, grantor, subject matter, an expiry trigger that is a date, an event or an
earliest-of/latest-of composite of both, never before the right starts); stakes with
percentages and monetary valuations; and evidence nodes, each a verbatim French quote with its
English translation, from synthetic articles whose text is written beside the data so that the
gate can prove every quote. Dates are the first day of the period their precision names.
Time in force (dg:inForceFrom / dg:inForceUntil) and the periods of dates are left to the
build's derive stage, as in the shipped data.

Generation is deterministic for a given seed and size and writes N-Triples directly (no
rdflib), so a million triples take a few seconds. :func:`make_project` lays out a whole
dealgraph project (the shipped ontology, shapes and data plus the synthetic file, and a folder
of source texts) that ``dealgraph build`` accepts as it is.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

DG = "https://w3id.org/dealgraph/ontology#"
ID = "https://w3id.org/dealgraph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
OA = "http://www.w3.org/ns/oa#"
TIME = "http://www.w3.org/2006/time#"
XSD = "http://www.w3.org/2001/XMLSchema#"

REPO_ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC_FILE = "synthetic.nt"  # the generated facts, under data/ of a synthetic project
TEXTS_FOLDER = "texts"  # the source texts of a synthetic project: shipped + synthetic articles

RIGHT_CLASSES = (
    "IntellectualPropertyRight",
    "ExclusivityRight",
    "RightOfFirstRefusal",
    "RevenueShareRight",
    "ApprovalRight",
    "Permission",
)
AGREEMENT_CLASSES = ("Agreement", "Agreement", "Agreement", "Consent", "MemorandumOfUnderstanding")
CERTAINTY = ("OfficiallyAnnounced", "Reported", "UnderConsideration")
QUALIFIERS = ("Exact", "Approximate", "AtLeast", "UpTo")
PRECISION = ("YearPrecision", "MonthPrecision", "DayPrecision")
EVIDENCE_PER_ARTICLE = 40
WORDS = [
    "accord", "partenariat", "droits", "exclusivité", "modèles", "infrastructure", "capacité",
    "calcul", "participation", "capital", "valorisée", "milliards", "cloud", "produits",
    "recherche", "licence", "propriété", "intellectuelle", "jusqu’en", "échéance",
    "reconnaissance", "générale", "intelligence", "artificielle", "panel", "experts",
    "indépendants", "société", "bénéfices", "investisseur", "conversion", "restructuration",
    "annonce", "régulateur", "enquête", "concurrence", "fournisseur", "hébergement",
]  # fmt: skip


@dataclass
class SyntheticInfo:
    """What was generated: where, how many triples, and IRIs the queries can use."""

    path: Path
    triples: int
    deals: int
    companies: int
    holder: str  # a company that holds many rights
    resource: str  # one right, for the lookup-by-IRI query
    texts: Path | None = None  # the folder the synthetic articles' texts were written to


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def _true() -> str:
    return _typed("true", "boolean")


class _Writer:
    """Writes triples as N-Triples lines and counts them."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.count = 0

    def add(self, s: str, p: str, o: str) -> None:
        """*s* and *p* are IRIs; *o* is an IRI (no quotes) or an already formatted literal."""
        obj = o if o.startswith('"') else f"<{o}>"
        self.out.write(f"<{s}> <{p}> {obj} .\n")
        self.count += 1


class _Generator:
    """Builds the graph deal by deal until the triple target is reached."""

    def __init__(
        self, writer: _Writer, seed: int, companies: int, products: int, texts: Path | None
    ) -> None:
        self.w = writer
        self.rng = random.Random(seed)
        self.n_companies = companies
        self.n_products = products
        self.texts = texts
        self.evidence = 0
        self.articles = 0
        self.article_quotes: list[str] = []
        self.counters: dict[str, int] = {}
        self.instants: set[str] = set()

    def _iri(self, kind: str) -> str:
        n = self.counters.get(kind, 0) + 1
        self.counters[kind] = n
        return f"{ID}{kind}/syn-{n}"

    def _quote(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(12, 30))
        return " ".join(words).capitalize() + "."

    # --- sources ------------------------------------------------------------------------

    def _article_name(self, n: int) -> str:
        """A file name of the form the article shape asks for: ddd_<16 hex digits>.txt."""
        return f"{900 + n % 100:03d}_{n:016x}.txt"

    def _new_article(self) -> None:
        self.flush_article()
        self.articles += 1
        n = self.articles
        art = f"{ID}article/syn-{n}"
        year = 2016 + n % 10
        self.w.add(art, RDF_TYPE, DG + "Article")
        self.w.add(art, DCTERMS + "identifier", _lit(self._article_name(n)))
        self.w.add(art, DCTERMS + "language", _lit("fr"))
        self.w.add(art, RDFS + "label", _lit(f"Synthetic article {n}", "en"))
        self.w.add(art, DG + "date", _typed(f"{year}-{1 + n % 12:02d}-01", "date"))
        self.w.add(art, DG + "datePrecision", DG + "MonthPrecision")
        self.w.add(art, DG + "dateIsInferred", _true())
        self.w.add(art, DG + "dateBasis", _lit("Synthetic: month drawn by the generator.", "en"))

    def flush_article(self) -> None:
        """Write the text of the current article: its quotes, one paragraph each."""
        if self.texts is not None and self.articles and self.article_quotes:
            path = self.texts / self._article_name(self.articles)
            path.write_text("\n\n".join(self.article_quotes) + "\n", encoding="utf-8")
        self.article_quotes = []

    def _evidence(self) -> str:
        """A new evidence node: a French quote of the article of the moment, translated."""
        if self.evidence % EVIDENCE_PER_ARTICLE == 0:
            self._new_article()
        self.evidence += 1
        ev = f"{ID}evidence/syn-{self.evidence}"
        quote = self._quote()
        self.article_quotes.append(quote)
        self.w.add(ev, RDF_TYPE, DG + "Evidence")
        self.w.add(ev, DCTERMS + "source", f"{ID}article/syn-{self.articles}")
        self.w.add(ev, OA + "exact", _lit(quote, "fr"))
        self.w.add(ev, DG + "translation", _lit(f"Synthetic quote {self.evidence}.", "en"))
        return ev

    # --- agents and subject matter ------------------------------------------------------

    def company(self, i: int) -> str:
        return f"{ID}company/syn-{i}"

    def write_companies(self) -> None:
        for i in range(1, self.n_companies + 1):
            co = self.company(i)
            kind = "PublicBenefitCorporation" if i % 17 == 0 else "Company"
            self.w.add(co, RDF_TYPE, DG + kind)
            self.w.add(co, RDFS + "label", _lit(f"Company {i}", "en"))
            self.w.add(co, RDFS + "label", _lit(f"Société {i}", "fr"))
            self.w.add(co, DG + "noWikidataItem", _lit("A synthetic company."))
            if i % 3 == 0:
                self.w.add(co, RDFS + "comment", _lit(self._quote(), "en"))
        for i in range(1, self.n_products + 1):
            product = f"{ID}product/syn-{i}"
            self.w.add(product, RDF_TYPE, DG + "Product")
            self.w.add(product, RDFS + "label", _lit(f"Product {i}", "en"))
            self.w.add(product, DG + "noWikidataItem", _lit("A synthetic product."))

    # --- dates and triggers -------------------------------------------------------------

    def _dated(self, node: str, year: int) -> None:
        """Give *node* a date in *year* at a random precision, written as its period's start."""
        precision = self.rng.choice(PRECISION)
        month = 1 if precision == "YearPrecision" else self.rng.randint(1, 12)
        day = self.rng.randint(1, 28) if precision == "DayPrecision" else 1
        self.w.add(node, DG + "date", _typed(f"{year}-{month:02d}-{day:02d}", "date"))
        self.w.add(node, DG + "datePrecision", DG + precision)

    def _instant(self, year: int) -> str:
        inst = f"{ID}instant/syn-{year}"
        if inst not in self.instants:
            self.instants.add(inst)
            self.w.add(inst, RDF_TYPE, TIME + "Instant")
            self.w.add(inst, RDFS + "label", _lit(str(year), "en"))
            self.w.add(inst, TIME + "inXSDgYear", _typed(str(year), "gYear"))
        return inst

    def _date_trigger(self, after: int) -> str:
        """A trigger on a year after *after* (a right never expires before it starts)."""
        year = self.rng.randint(after + 1, after + 12)
        tr = self._iri("trigger")
        self.w.add(tr, RDF_TYPE, DG + "DateTrigger")
        self.w.add(tr, RDFS + "label", _lit(str(year), "en"))
        self.w.add(tr, RDFS + "label", _lit(str(year), "fr"))
        self.w.add(tr, DG + "date", _typed(f"{year}-01-01", "date"))
        self.w.add(tr, DG + "datePrecision", DG + "YearPrecision")
        self.w.add(tr, DG + "atTime", self._instant(year))
        self.w.add(tr, PROV + "wasDerivedFrom", self._evidence())
        return tr

    def _event_trigger(self, declarer: str) -> str:
        evt = self._iri("event")
        self.w.add(evt, RDF_TYPE, DG + "Milestone")
        self.w.add(evt, RDFS + "label", _lit(f"Milestone {evt.rsplit('-', 1)[1]}", "en"))
        self.w.add(evt, DG + "criterion", _lit(self._quote(), "en"))
        self.w.add(evt, DG + "declaredBy", declarer)
        self.w.add(evt, DG + "certainty", DG + self.rng.choice(CERTAINTY))
        self.w.add(evt, PROV + "wasDerivedFrom", self._evidence())
        tr = self._iri("trigger")
        self.w.add(tr, RDF_TYPE, DG + "EventTrigger")
        self.w.add(tr, RDFS + "label", _lit(f"Event trigger {tr.rsplit('-', 1)[1]}", "en"))
        self.w.add(tr, DG + "triggeringEvent", evt)
        self.w.add(tr, DG + "eventDescription", _lit(self._quote(), "en"))
        self.w.add(tr, PROV + "wasDerivedFrom", self._evidence())
        return tr

    def _trigger(self, declarer: str, after: int) -> str:
        roll = self.rng.random()
        if roll < 0.40:
            return self._date_trigger(after)
        if roll < 0.65:
            return self._event_trigger(declarer)
        tr = self._iri("trigger")
        if roll < 0.90:
            self.w.add(tr, RDF_TYPE, DG + "CompositeTrigger")
            self.w.add(tr, RDFS + "label", _lit(f"Composite trigger {tr.rsplit('-', 1)[1]}", "en"))
            self.w.add(tr, DG + "member", self._date_trigger(after))
            self.w.add(tr, DG + "member", self._event_trigger(declarer))
            rule = "EarliestOf" if self.rng.random() < 0.7 else "LatestOf"
            self.w.add(tr, DG + "combination", DG + rule)
        else:
            self.w.add(tr, RDF_TYPE, DG + "OpenEndedTrigger")
            self.w.add(tr, RDFS + "label", _lit("No end stated", "en"))
            self.w.add(tr, RDFS + "comment", _lit("No source gives an end to this right.", "en"))
        self.w.add(tr, PROV + "wasDerivedFrom", self._evidence())
        return tr

    # --- deals --------------------------------------------------------------------------

    def _pick_company(self) -> str:
        # Skewed: a few companies hold many rights, like the shipped data's Microsoft.
        i = min(int(self.rng.paretovariate(1.2)), self.n_companies)
        return self.company(i if self.rng.random() < 0.3 else self.rng.randint(1, self.n_companies))

    def deal(self, d: int) -> None:
        """One deal: two parties, 1–4 agreement versions with their rights, 1–2 stakes."""
        a = self._pick_company()
        b = a
        while b == a:
            b = self.company(self.rng.randint(1, self.n_companies))
        previous_rights: list[str] = []
        previous_version: str | None = None
        year = self.rng.randint(2015, 2024)
        for v in range(1, self.rng.randint(1, 4) + 1):
            ag = f"{ID}agreement/syn-{d}-v{v}"
            signed = year + v  # a later version is always in a later year
            self.w.add(ag, RDF_TYPE, DG + self.rng.choice(AGREEMENT_CLASSES))
            self.w.add(ag, RDFS + "label", _lit(f"Deal {d}, version {v}", "en"))
            self.w.add(ag, RDFS + "label", _lit(f"Accord {d}, version {v}", "fr"))
            self.w.add(ag, DG + "party", a)
            self.w.add(ag, DG + "party", b)
            self._dated(ag, signed)
            self.w.add(ag, DG + "certainty", DG + self.rng.choice(CERTAINTY))
            self.w.add(
                ag, DG + "isBinding", _typed(str(self.rng.random() < 0.8).lower(), "boolean")
            )
            if previous_version:
                self.w.add(ag, PROV + "wasRevisionOf", previous_version)
            self.w.add(ag, PROV + "wasDerivedFrom", self._evidence())
            rights: list[str] = []
            for r in range(1, self.rng.randint(2, 5) + 1):
                rt = f"{ID}right/syn-{d}-v{v}-r{r}"
                holder, grantor = (a, b) if self.rng.random() < 0.7 else (b, a)
                self.w.add(rt, RDF_TYPE, DG + self.rng.choice(RIGHT_CLASSES))
                self.w.add(rt, RDFS + "label", _lit(f"Right {r} of deal {d} v{v}", "en"))
                self.w.add(rt, RDFS + "label", _lit(f"Droit {r} de l’accord {d} v{v}", "fr"))
                self.w.add(rt, DG + "holder", holder)
                self.w.add(rt, DG + "grantor", grantor)
                self.w.add(rt, DG + "grantedBy", ag)
                product = self.rng.randint(1, self.n_products)
                self.w.add(rt, DG + "subjectMatter", f"{ID}product/syn-{product}")
                self.w.add(rt, DG + "scope", _lit(self._quote(), "en"))
                self.w.add(rt, DG + "expiryCondition", self._trigger(grantor, signed))
                self.w.add(rt, DG + "certainty", DG + self.rng.choice(CERTAINTY))
                self.w.add(rt, PROV + "wasDerivedFrom", self._evidence())
                if r <= len(previous_rights):
                    # The new version ends the old right; the new right revises it.
                    self.w.add(previous_rights[r - 1], DG + "supersededBy", rt)
                    self.w.add(previous_rights[r - 1], DG + "endedBy", ag)
                    self.w.add(rt, PROV + "wasRevisionOf", previous_rights[r - 1])
                rights.append(rt)
            previous_version, previous_rights = ag, rights
        for _ in range(self.rng.randint(1, 2)):
            self._stake(d, a, b, year + 1)

    def _stake(self, d: int, holder: str, issuer: str, year: int) -> None:
        st = self._iri("stake")
        amt = self._iri("amount")
        pct = round(self.rng.uniform(0.5, 75.0), 1)
        value = self.rng.randint(1, 500) * 100_000_000
        self.w.add(st, RDF_TYPE, DG + "Stake")
        self.w.add(st, RDFS + "label", _lit(f"Stake of {pct} % (deal {d})", "en"))
        self.w.add(st, DG + "holder", holder)
        self.w.add(st, DG + "stakeIn", issuer)
        self.w.add(st, DG + "percentage", _typed(f"{pct}", "decimal"))
        self.w.add(st, DG + "qualifier", DG + self.rng.choice(QUALIFIERS))
        self.w.add(st, DG + "valuation", amt)
        self._dated(st, year)
        self.w.add(st, DG + "certainty", DG + self.rng.choice(CERTAINTY))
        self.w.add(st, PROV + "wasDerivedFrom", self._evidence())
        self.w.add(amt, RDF_TYPE, DG + "MonetaryAmount")
        self.w.add(amt, RDFS + "label", _lit(f"${value / 1_000_000_000:g}B", "en"))
        self.w.add(amt, DG + "amountValue", _typed(f"{value}.0", "decimal"))
        self.w.add(amt, DG + "currency", _lit("USD"))
        self.w.add(amt, DG + "qualifier", DG + self.rng.choice(QUALIFIERS))


def generate(
    path: Path, target_triples: int, seed: int = 20251028, texts: Path | None = None
) -> SyntheticInfo:
    """Write about *target_triples* deal-shaped triples to *path* (N-Triples), deterministically.

    When *texts* is given, the text of every synthetic article (the quotes cited from it) is
    written there, named by the article's dcterms:identifier, so the gate can prove them.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if texts is not None:
        texts.mkdir(parents=True, exist_ok=True)
    companies = max(20, target_triples // 2000)
    products = max(10, min(500, target_triples // 400))  # subject matter that rights cover
    with path.open("w", encoding="utf-8") as out:
        writer = _Writer(out)
        gen = _Generator(writer, seed, companies, products, texts)
        gen.write_companies()
        deals = 0
        while writer.count < target_triples:
            deals += 1
            gen.deal(deals)
        gen.flush_article()
    return SyntheticInfo(
        path=path,
        triples=writer.count,
        deals=deals,
        companies=companies,
        holder=gen.company(1),
        resource=f"{ID}right/syn-1-v1-r1",
        texts=texts,
    )


def make_project(
    folder: Path,
    target_triples: int,
    seed: int = 20251028,
    source: Path = REPO_ROOT,
    articles: Path | None = None,
) -> SyntheticInfo:
    """A dealgraph project in *folder*: the ontology, shapes and data of *source* plus
    ``data/synthetic.nt``, and ``texts/`` holding the shipped articles (from *articles*,
    default the folder the shipped quotes are proven against) and the synthetic ones.

    Build it with ``Settings.create(folder, articles_dir=folder / "texts")``.
    """
    from dealgraph.settings import default_articles_dir

    for part in ("ontology", "shapes", "data"):
        shutil.copytree(source / part, folder / part, dirs_exist_ok=True)
    texts = folder / TEXTS_FOLDER
    texts.mkdir(parents=True, exist_ok=True)
    shipped = articles or default_articles_dir(source)
    if shipped.is_dir():
        for text in shipped.glob("*.txt"):
            shutil.copyfile(text, texts / text.name)
    return generate(folder / "data" / SYNTHETIC_FILE, target_triples, seed, texts)


if __name__ == "__main__":
    import sys
    import time

    started = time.perf_counter()
    info = generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
    print(f"{info.triples} triples, {info.deals} deals in {time.perf_counter() - started:.1f} s")
