"""A deal-shaped synthetic graph in the dealgraph vocabulary, for benchmarks at scale.

The graph mimics the shipped data: companies, agreements with successive versions, the rights
each version grants (holder, grantor, subject matter, an expiry trigger that is a date, an
event or an earliest-of/latest-of composite of both), stakes with percentages and monetary
valuations, and evidence nodes carrying a verbatim quote from an article. Every fact points to
its evidence with ``prov:wasDerivedFrom``. Generation is deterministic for a given seed and
size, and writes N-Triples directly (no rdflib), so a million triples take a few seconds.
"""

from __future__ import annotations

import random
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
WORDS = [
    "accord",
    "partenariat",
    "droits",
    "exclusivité",
    "modèles",
    "infrastructure",
    "capacité",
    "calcul",
    "participation",
    "capital",
    "valorisée",
    "milliards",
    "cloud",
    "produits",
    "recherche",
    "licence",
    "propriété",
    "intellectuelle",
    "jusqu’en",
    "échéance",
    "reconnaissance",
    "générale",
    "intelligence",
    "artificielle",
    "panel",
    "experts",
    "indépendants",
    "société",
    "bénéfices",
    "investisseur",
    "conversion",
    "restructuration",
    "annonce",
    "régulateur",
    "enquête",
    "concurrence",
    "fournisseur",
    "hébergement",
    "the",
    "agreement",
    "extends",
    "rights",
    "until",
    "stake",
    "valued",
    "exclusive",
    "provider",
    "revenue",
    "share",
]


@dataclass
class SyntheticInfo:
    """What was generated: where, how many triples, and IRIs the queries can use."""

    path: Path
    triples: int
    deals: int
    companies: int
    holder: str  # a company that holds many rights
    resource: str  # one right, for the lookup-by-IRI query


def _lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


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

    def __init__(self, writer: _Writer, seed: int, companies: int) -> None:
        self.w = writer
        self.rng = random.Random(seed)
        self.n_companies = companies
        self.evidence = 0
        self.articles = 0
        self.counters: dict[str, int] = {}
        self.years_written: set[int] = set()

    def _iri(self, kind: str) -> str:
        n = self.counters.get(kind, 0) + 1
        self.counters[kind] = n
        return f"{ID}{kind}/syn-{n}"

    def _quote(self) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(12, 30))
        return " ".join(words).capitalize() + "."

    def _evidence(self) -> str:
        """A new evidence node with its quote, in the article of the moment."""
        if self.evidence % 40 == 0:
            self.articles += 1
            art = f"{ID}article/syn-{self.articles}"
            self.w.add(art, RDF_TYPE, DG + "Article")
            self.w.add(art, DCTERMS + "identifier", _lit(f"syn-{self.articles}.txt"))
            self.w.add(art, RDFS + "label", _lit(f"Synthetic article {self.articles}", "en"))
        self.evidence += 1
        ev = f"{ID}evidence/syn-{self.evidence}"
        self.w.add(ev, RDF_TYPE, DG + "Evidence")
        self.w.add(ev, DCTERMS + "source", f"{ID}article/syn-{self.articles}")
        self.w.add(ev, OA + "exact", _lit(self._quote(), "fr"))
        return ev

    def company(self, i: int) -> str:
        return f"{ID}company/syn-{i}"

    def write_companies(self) -> None:
        for i in range(1, self.n_companies + 1):
            co = self.company(i)
            kind = "PublicBenefitCorporation" if i % 17 == 0 else "Company"
            self.w.add(co, RDF_TYPE, DG + kind)
            self.w.add(co, RDFS + "label", _lit(f"Company {i}", "en"))
            self.w.add(co, RDFS + "label", _lit(f"Société {i}", "fr"))
            if i % 3 == 0:
                self.w.add(co, RDFS + "comment", _lit(self._quote(), "en"))

    def _date(self, year: int) -> str:
        return _typed(f"{year}-{self.rng.randint(1, 12):02d}-01", "date")

    def _date_trigger(self) -> str:
        year = self.rng.randint(2024, 2040)
        tr = self._iri("trigger")
        inst = f"{ID}instant/syn-{year}"
        if year not in self.years_written:
            self.years_written.add(year)
            self.w.add(inst, RDF_TYPE, TIME + "Instant")
            self.w.add(inst, RDFS + "label", _lit(str(year), "en"))
            self.w.add(inst, TIME + "inXSDgYear", _typed(str(year), "gYear"))
        self.w.add(tr, RDF_TYPE, DG + "DateTrigger")
        self.w.add(tr, RDFS + "label", _lit(str(year), "en"))
        self.w.add(tr, RDFS + "label", _lit(str(year), "fr"))
        self.w.add(tr, DG + "date", self._date(year))
        self.w.add(tr, DG + "datePrecision", DG + self.rng.choice(PRECISION))
        self.w.add(tr, DG + "atTime", inst)
        self.w.add(tr, PROV + "wasDerivedFrom", self._evidence())
        return tr

    def _event_trigger(self, declarer: str) -> str:
        evt = self._iri("event")
        self.w.add(evt, RDF_TYPE, DG + "Milestone")
        self.w.add(evt, RDFS + "label", _lit(f"Milestone {evt.rsplit('-', 1)[1]}", "en"))
        self.w.add(evt, DG + "criterion", _lit(self._quote(), "en"))
        self.w.add(evt, DG + "declaredBy", declarer)
        self.w.add(evt, DG + "certainty", DG + self.rng.choice(CERTAINTY))
        tr = self._iri("trigger")
        self.w.add(tr, RDF_TYPE, DG + "EventTrigger")
        self.w.add(tr, RDFS + "label", _lit(f"Event trigger {tr.rsplit('-', 1)[1]}", "en"))
        self.w.add(tr, DG + "triggeringEvent", evt)
        self.w.add(tr, DG + "eventDescription", _lit(self._quote(), "en"))
        self.w.add(tr, PROV + "wasDerivedFrom", self._evidence())
        return tr

    def _trigger(self, declarer: str) -> str:
        roll = self.rng.random()
        if roll < 0.40:
            return self._date_trigger()
        if roll < 0.65:
            return self._event_trigger(declarer)
        if roll < 0.90:
            tr = self._iri("trigger")
            self.w.add(tr, RDF_TYPE, DG + "CompositeTrigger")
            self.w.add(tr, RDFS + "label", _lit(f"Composite trigger {tr.rsplit('-', 1)[1]}", "en"))
            self.w.add(tr, DG + "member", self._date_trigger())
            self.w.add(tr, DG + "member", self._event_trigger(declarer))
            rule = "EarliestOf" if self.rng.random() < 0.7 else "LatestOf"
            self.w.add(tr, DG + "combination", DG + rule)
            self.w.add(tr, PROV + "wasDerivedFrom", self._evidence())
            return tr
        tr = self._iri("trigger")
        self.w.add(tr, RDF_TYPE, DG + "OpenEndedTrigger")
        self.w.add(tr, RDFS + "label", _lit("No end stated", "en"))
        self.w.add(tr, PROV + "wasDerivedFrom", self._evidence())
        return tr

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
        previous_version: str | None = None
        previous_rights: list[str] = []
        year = self.rng.randint(2015, 2024)
        for v in range(1, self.rng.randint(1, 4) + 1):
            ag = f"{ID}agreement/syn-{d}-v{v}"
            self.w.add(ag, RDF_TYPE, DG + self.rng.choice(AGREEMENT_CLASSES))
            self.w.add(ag, RDFS + "label", _lit(f"Deal {d}, version {v}", "en"))
            self.w.add(ag, RDFS + "label", _lit(f"Accord {d}, version {v}", "fr"))
            self.w.add(ag, DG + "party", a)
            self.w.add(ag, DG + "party", b)
            self.w.add(ag, DG + "date", self._date(year + v))
            self.w.add(ag, DG + "datePrecision", DG + self.rng.choice(PRECISION))
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
                self.w.add(rt, DG + "subjectMatter", f"{ID}subject/syn-{self.rng.randint(1, 500)}")
                self.w.add(rt, DG + "scope", _lit(self._quote(), "en"))
                self.w.add(rt, DG + "expiryCondition", self._trigger(grantor))
                self.w.add(rt, DG + "certainty", DG + self.rng.choice(CERTAINTY))
                self.w.add(rt, PROV + "wasDerivedFrom", self._evidence())
                if r <= len(previous_rights):
                    self.w.add(previous_rights[r - 1], DG + "supersededBy", rt)
                    self.w.add(rt, PROV + "wasRevisionOf", previous_rights[r - 1])
                rights.append(rt)
            previous_version, previous_rights = ag, rights
        for _ in range(self.rng.randint(1, 2)):
            st = self._iri("stake")
            amt = self._iri("amount")
            pct = round(self.rng.uniform(0.5, 75.0), 1)
            value = self.rng.randint(1, 500) * 100_000_000
            self.w.add(st, RDF_TYPE, DG + "Stake")
            self.w.add(st, RDFS + "label", _lit(f"Stake of {pct} % (deal {d})", "en"))
            self.w.add(st, DG + "holder", a)
            self.w.add(st, DG + "stakeIn", b)
            self.w.add(st, DG + "percentage", _typed(f"{pct}", "decimal"))
            self.w.add(st, DG + "qualifier", DG + self.rng.choice(QUALIFIERS))
            self.w.add(st, DG + "valuation", amt)
            self.w.add(st, DG + "date", self._date(year + 1))
            self.w.add(st, DG + "certainty", DG + self.rng.choice(CERTAINTY))
            self.w.add(st, PROV + "wasDerivedFrom", self._evidence())
            self.w.add(amt, RDF_TYPE, DG + "MonetaryAmount")
            self.w.add(amt, RDFS + "label", _lit(f"${value // 1_000_000_000}B", "en"))
            self.w.add(amt, DG + "amountValue", _typed(f"{value}.0", "decimal"))
            self.w.add(amt, DG + "currency", _lit("USD"))
            self.w.add(amt, DG + "qualifier", DG + self.rng.choice(QUALIFIERS))


def generate(path: Path, target_triples: int, seed: int = 20251028) -> SyntheticInfo:
    """Write about *target_triples* deal-shaped triples to *path* (N-Triples), deterministically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    companies = max(20, target_triples // 2000)
    with path.open("w", encoding="utf-8") as out:
        writer = _Writer(out)
        gen = _Generator(writer, seed, companies)
        gen.write_companies()
        deals = 0
        while writer.count < target_triples:
            deals += 1
            gen.deal(deals)
    return SyntheticInfo(
        path=path,
        triples=writer.count,
        deals=deals,
        companies=companies,
        holder=gen.company(1),
        resource=f"{ID}right/syn-1-v1-r1",
    )


if __name__ == "__main__":
    import sys
    import time

    started = time.perf_counter()
    info = generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
    print(f"{info.triples} triples, {info.deals} deals in {time.perf_counter() - started:.1f} s")
