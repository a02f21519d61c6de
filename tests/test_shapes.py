"""The SHACL shapes in shapes/, tested with pyshacl directly.

tests/fixtures/shapes/valid.ttl is a minimal graph that conforms (an article, its evidence, two
companies, an agreement, two rights with a date trigger and a composite trigger, a stake with
its valuation). Each broken variant changes one thing in it with a SPARQL Update and must be
refused with a violation that names the focus node and says, in plain English, what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, SH, Graph, Literal, Namespace, URIRef

ROOT = Path(__file__).resolve().parents[1]
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY = ROOT / "ontology" / "dealgraph.ttl"
VALID = ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl"

DG = Namespace("https://w3id.org/dealgraph/ontology#")
ID = "https://w3id.org/dealgraph/id/"
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")

PREFIXES = f"""
PREFIX dg: <{DG}>
PREFIX agreement: <{ID}agreement/>
PREFIX amount: <{ID}amount/>
PREFIX article: <{ID}article/>
PREFIX company: <{ID}company/>
PREFIX evidence: <{ID}evidence/>
PREFIX instant: <{ID}instant/>
PREFIX right: <{ID}right/>
PREFIX stake: <{ID}stake/>
PREFIX subject: <{ID}subject/>
PREFIX trigger: <{ID}trigger/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX schema: <https://schema.org/>
PREFIX source: <{ID}source/>
"""


def node(path: str) -> URIRef:
    """An instance IRI from its path under the instance base, e.g. ``node("right/x")``."""
    return URIRef(ID + path)


RIGHT_2032 = node("right/microsoft-openai-ip-2032")
AGREEMENT = node("agreement/microsoft-openai-2025-10")
TRIGGER_2032 = node("trigger/2032")
COMPOSITE = node("trigger/agi-or-2030")
STAKE = node("stake/microsoft-openai-group-pbc-2025-10")
AMOUNT = node("amount/microsoft-stake-value-2025-10")
EVIDENCE_STAKE = node("evidence/000-stake")
ARTICLE = node("article/000")
MICROSOFT = node("company/microsoft")

# The messages the shapes give, pinned here: a change of wording is a change of contract.
NO_EXPIRY = (
    "A right needs exactly one expiry condition (dg:expiryCondition): say when it ends, "
    "or use a dg:OpenEndedTrigger when the sources give no end."
)
ONE_MEMBER = (
    "A composite trigger needs at least two members (dg:member), each a dg:Trigger; "
    "with a single condition, use that trigger itself."
)
PERCENTAGE_RANGE = (
    "The percentage (dg:percentage) of a stake must lie between 0 and 100 "
    "(27 means 27 %; do not write 0.27)."
)
NO_CURRENCY = (
    'A monetary amount needs exactly one currency (dg:currency): its ISO 4217 code, e.g. "USD".'
)
ONE_PARTY = "An agreement needs at least two parties (dg:party): name every agent it binds."
NO_EVIDENCE = (
    "A fact needs at least one piece of evidence (prov:wasDerivedFrom a dg:Evidence): "
    "cite the verbatim article quote it rests on."
)
NO_DATE = (
    "A date trigger needs a normalised date (dg:date, an xsd:date): the first day of the "
    'year, month or day it fires, e.g. "2032-01-01"^^xsd:date for 2032.'
)
NO_QUOTE = (
    "A piece of evidence needs exactly one of a verbatim quote (oa:exact) or a paraphrase "
    "(dg:paraphrase): quote the source's words where the project holds its text, else "
    "paraphrase it and give the source's URL."
)


@dataclass(frozen=True)
class Result:
    focus: URIRef
    message: str
    severity: URIRef
    shape: URIRef | None


@dataclass(frozen=True)
class Report:
    conforms: bool
    results: list[Result]
    text: str

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == SH.Violation]

    def names(self, focus: URIRef, message: str) -> bool:
        """True when a violation has this focus node and exactly this message."""
        return any(r.focus == focus and r.message == message for r in self.violations)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    files = sorted(SHAPES_DIR.glob("*.ttl"))
    assert files, "shapes/ holds no Turtle file"
    for path in files:
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


@pytest.fixture(scope="module")
def check(shapes: Graph, ontology: Graph):
    """Validate a data graph the way the build does: ontology mixed in, no inference."""

    def run(data: Graph) -> Report:
        conforms, graph, text = validate(
            data,
            shacl_graph=shapes,
            ont_graph=ontology,
            advanced=True,
            inference="none",
            allow_warnings=True,
        )
        results = [
            Result(
                focus=graph.value(r, SH.focusNode),
                message=str(graph.value(r, SH.resultMessage)),
                severity=graph.value(r, SH.resultSeverity),
                shape=graph.value(r, SH.sourceShape),
            )
            for r in graph.subjects(RDF.type, SH.ValidationResult)
        ]
        return Report(bool(conforms), results, text)

    return run


def valid_graph() -> Graph:
    return Graph().parse(VALID)


def broken(update: str) -> Graph:
    """The valid fixture, changed by one SPARQL Update."""
    graph = valid_graph()
    before = len(graph)
    graph.update(PREFIXES + update)
    assert len(graph) != before or "INSERT" in update, "the update changed nothing"
    return graph


def assert_refused(report: Report, focus: URIRef, message: str) -> None:
    assert not report.conforms
    assert report.names(focus, message), (
        f"no violation on {focus} with message {message!r}; got:\n"
        + "\n".join(f"  {r.focus}: {r.message}" for r in report.violations)
    )


# --- the valid fixture ----------------------------------------------------------------------


def test_minimal_valid_graph_conforms(check) -> None:
    report = check(valid_graph())
    assert report.conforms, report.text
    assert report.violations == []
    # The only advice: the PBC has no Wikidata link in the fixture (warnings do not block).
    assert {r.focus for r in report.results} == {node("company/openai-group-pbc")}


# --- the cases of the issue --------------------------------------------------------------------


def test_right_without_expiry_is_refused(check) -> None:
    report = check(broken("DELETE WHERE { right:microsoft-openai-ip-2032 dg:expiryCondition ?t }"))
    assert_refused(report, RIGHT_2032, NO_EXPIRY)


def test_right_with_two_expiry_conditions_is_refused(check) -> None:
    report = check(
        broken("INSERT DATA { right:microsoft-openai-ip-2032 dg:expiryCondition trigger:2030 }")
    )
    assert_refused(report, RIGHT_2032, NO_EXPIRY)


def test_composite_trigger_with_one_member_is_refused(check) -> None:
    report = check(broken("DELETE DATA { trigger:agi-or-2030 dg:member trigger:2030 }"))
    assert_refused(report, COMPOSITE, ONE_MEMBER)


def test_percentage_above_100_is_refused(check) -> None:
    report = check(
        broken(
            "DELETE { ?s dg:percentage ?p } INSERT { ?s dg:percentage 127.0 } "
            "WHERE { ?s dg:percentage ?p }"
        )
    )
    assert_refused(report, STAKE, PERCENTAGE_RANGE)


def test_monetary_amount_without_currency_is_refused(check) -> None:
    report = check(broken("DELETE WHERE { amount:microsoft-stake-value-2025-10 dg:currency ?c }"))
    assert_refused(report, AMOUNT, NO_CURRENCY)


def test_agreement_with_one_party_is_refused(check) -> None:
    report = check(
        broken("DELETE DATA { agreement:microsoft-openai-2025-10 dg:party company:openai }")
    )
    assert_refused(report, AGREEMENT, ONE_PARTY)


@pytest.mark.parametrize(
    "fact",
    [
        "agreement/microsoft-openai-2025-10",
        "right/microsoft-openai-ip-2032",
        "trigger/2032",
        "stake/microsoft-openai-group-pbc-2025-10",
    ],
)
def test_fact_without_evidence_is_refused(check, fact: str) -> None:
    report = check(broken(f"DELETE WHERE {{ <{ID}{fact}> prov:wasDerivedFrom ?e }}"))
    assert_refused(report, node(fact), NO_EVIDENCE)


def test_date_trigger_without_date_is_refused(check) -> None:
    report = check(broken("DELETE WHERE { trigger:2032 dg:date ?d }"))
    assert_refused(report, TRIGGER_2032, NO_DATE)


def test_evidence_without_quote_is_refused(check) -> None:
    report = check(broken("DELETE WHERE { evidence:000-stake oa:exact ?q }"))
    assert_refused(report, EVIDENCE_STAKE, NO_QUOTE)


# --- more broken variants, one rule each ------------------------------------------------------

BROKEN = {
    "expiry condition of no known kind": (
        "DELETE DATA { trigger:2032 a dg:DateTrigger } ; INSERT DATA { trigger:2032 a dg:Trigger }",
        "trigger/2032",
        "A trigger must be typed with exactly one kind: dg:DateTrigger, dg:EventTrigger, "
        "dg:CompositeTrigger or dg:OpenEndedTrigger.",
    ),
    "right without holder": (
        "DELETE WHERE { right:microsoft-openai-ip-2032 dg:holder ?h }",
        "right/microsoft-openai-ip-2032",
        "A right needs exactly one holder (dg:holder): the dg:Agent who holds it.",
    ),
    "right held by its grantor": (
        "INSERT DATA { right:microsoft-openai-ip-2032 dg:grantor company:microsoft }",
        "right/microsoft-openai-ip-2032",
        "The holder of a right (dg:holder) cannot also be its grantor (dg:grantor): "
        "a right is held against another agent.",
    ),
    "right without grantor": (
        "DELETE WHERE { right:microsoft-openai-ip-2032 dg:grantor ?g }",
        "right/microsoft-openai-ip-2032",
        "A right needs at least one grantor (dg:grantor): the dg:Agent against whom it is held.",
    ),
    "right without granting agreement": (
        "DELETE WHERE { right:microsoft-openai-ip-2032 dg:grantedBy ?a }",
        "right/microsoft-openai-ip-2032",
        "A right needs exactly one granting agreement (dg:grantedBy): the dg:Agreement version "
        "that grants it; a later version grants a right of its own.",
    ),
    "right granted by a company": (
        "DELETE WHERE { right:microsoft-openai-ip-2032 dg:grantedBy ?a } ;"
        "INSERT DATA { right:microsoft-openai-ip-2032 dg:grantedBy company:openai }",
        "right/microsoft-openai-ip-2032",
        "The agreement that grants a right (dg:grantedBy) must be a dg:Agreement.",
    ),
    "right covering nothing": (
        "DELETE WHERE { right:microsoft-openai-ip-2032 dg:subjectMatter ?s }",
        "right/microsoft-openai-ip-2032",
        "A right needs at least one dg:subjectMatter (a dg:SubjectMatter node) or dg:scope "
        "(what it covers, in words).",
    ),
    "date trigger without instant": (
        "DELETE WHERE { trigger:2032 dg:atTime ?i }",
        "trigger/2032",
        "A date trigger needs exactly one instant (dg:atTime): a time:Instant with the date at "
        "the source's precision (time:inXSDgYear, time:inXSDgYearMonth or time:inXSDDate).",
    ),
    "date trigger without precision": (
        "DELETE WHERE { trigger:2032 dg:datePrecision ?p }",
        "trigger/2032",
        "A date trigger needs a date precision (dg:datePrecision): dg:YearPrecision, "
        "dg:MonthPrecision or dg:DayPrecision, as the source states it.",
    ),
    "date trigger whose precision does not match its instant": (
        "DELETE WHERE { trigger:2032 dg:datePrecision ?p } ;"
        "INSERT DATA { trigger:2032 dg:datePrecision dg:DayPrecision }",
        "trigger/2032",
        "The date precision (dg:datePrecision) of a date trigger does not match its instant "
        "(dg:atTime): dg:YearPrecision goes with time:inXSDgYear, dg:MonthPrecision with "
        "time:inXSDgYearMonth, dg:DayPrecision with time:inXSDDate.",
    ),
    "date trigger whose date does not match its instant": (
        "DELETE WHERE { trigger:2032 dg:date ?d } ;"
        'INSERT DATA { trigger:2032 dg:date "2033-01-01"^^xsd:date }',
        "trigger/2032",
        "The normalised date (dg:date) 2033-01-01 of a date trigger does not match its "
        "instant 2032: it must be the first day of that year, month or day.",
    ),
    "date not at its precision": (
        "DELETE WHERE { agreement:microsoft-openai-2025-10 dg:date ?d } ;"
        'INSERT DATA { agreement:microsoft-openai-2025-10 dg:date "2025-10-28"^^xsd:date }',
        "agreement/microsoft-openai-2025-10",
        "A date (dg:date) must be the first day of the period its precision (dg:datePrecision) "
        "names: a date known to the year is written as 1 January of that year (YYYY-01-01), a "
        "date known to the month as the first of that month (YYYY-MM-01).",
    ),
    "date as a string": (
        'DELETE WHERE { trigger:2032 dg:date ?d } ;INSERT DATA { trigger:2032 dg:date "2032" }',
        "trigger/2032",
        "A node has at most one date (dg:date), and it must be an xsd:date such as "
        '"2032-01-01"^^xsd:date; keep the stated precision in dg:datePrecision.',
    ),
    "instant without a date": (
        "DELETE WHERE { instant:2032 time:inXSDgYear ?y }",
        "instant/2032",
        "An instant (the dg:atTime of a date trigger) must be a time:Instant with exactly one "
        "of time:inXSDgYear, time:inXSDgYearMonth or time:inXSDDate.",
    ),
    "instant year as an integer": (
        "DELETE WHERE { instant:2032 time:inXSDgYear ?y } ;"
        "INSERT DATA { instant:2032 time:inXSDgYear 2032 }",
        "instant/2032",
        'time:inXSDgYear takes one xsd:gYear, e.g. "2032"^^xsd:gYear.',
    ),
    "event trigger saying no event": (
        "DELETE WHERE { trigger:agi-verified dg:eventDescription ?d }",
        "trigger/agi-verified",
        "An event trigger needs a dg:triggeringEvent (a dg:Event) or a dg:eventDescription: "
        "say what event fires it.",
    ),
    "composite trigger without combination": (
        "DELETE WHERE { trigger:agi-or-2030 dg:combination ?c }",
        "trigger/agi-or-2030",
        "A composite trigger needs exactly one combination (dg:combination): dg:EarliestOf "
        '("whichever comes first") or dg:LatestOf.',
    ),
    "composite trigger with a made-up combination": (
        "DELETE WHERE { trigger:agi-or-2030 dg:combination ?c } ;"
        "INSERT DATA { trigger:agi-or-2030 dg:combination dg:WhicheverFirst }",
        "trigger/agi-or-2030",
        "The combination (dg:combination) of a composite trigger must be dg:EarliestOf or "
        "dg:LatestOf.",
    ),
    "composite trigger with a member that is no trigger": (
        "INSERT DATA { trigger:agi-or-2030 dg:member company:openai }",
        "trigger/agi-or-2030",
        "Each member (dg:member) of a composite trigger must be a dg:Trigger.",
    ),
    "open-ended trigger without a reason": (
        "DELETE WHERE { right:microsoft-openai-ip-2032 dg:expiryCondition ?t } ;"
        "INSERT DATA { right:microsoft-openai-ip-2032 dg:expiryCondition trigger:open ."
        " trigger:open a dg:OpenEndedTrigger ; prov:wasDerivedFrom evidence:000-rights-2032 }",
        "trigger/open",
        "An open-ended trigger needs an rdfs:comment saying why: e.g. that no source gives an "
        "end to the right.",
    ),
    "percentage as an integer": (
        "DELETE { ?s dg:percentage ?p } INSERT { ?s dg:percentage 27 } "
        "WHERE { ?s dg:percentage ?p }",
        "stake/microsoft-openai-group-pbc-2025-10",
        "The percentage (dg:percentage) of a stake must be an xsd:decimal: write 27.0 or "
        '"27"^^xsd:decimal, not 27 (an xsd:integer) or "27 %".',
    ),
    "negative percentage": (
        'DELETE { ?s dg:percentage ?p } INSERT { ?s dg:percentage "-1.0"^^xsd:decimal } '
        "WHERE { ?s dg:percentage ?p }",
        "stake/microsoft-openai-group-pbc-2025-10",
        PERCENTAGE_RANGE,
    ),
    "stake in a person": (
        "DELETE WHERE { stake:microsoft-openai-group-pbc-2025-10 dg:stakeIn ?c } ;"
        "INSERT DATA { stake:microsoft-openai-group-pbc-2025-10 dg:stakeIn company:sam ."
        ' company:sam a dg:Person ; rdfs:label "Sam Altman"@en }',
        "stake/microsoft-openai-group-pbc-2025-10",
        "The issuer of a stake (dg:stakeIn) must be a dg:Company.",
    ),
    "stake without certainty": (
        "DELETE WHERE { stake:microsoft-openai-group-pbc-2025-10 dg:certainty ?c }",
        "stake/microsoft-openai-group-pbc-2025-10",
        "A stake needs a certainty (dg:certainty): dg:OfficiallyAnnounced, dg:Reported or "
        "dg:UnderConsideration.",
    ),
    "stake without date or period": (
        "DELETE WHERE { stake:microsoft-openai-group-pbc-2025-10 dg:date ?d }",
        "stake/microsoft-openai-group-pbc-2025-10",
        "A stake needs a dg:date or a dg:period: say when it holds (e.g. the date of the "
        "agreement that sets it).",
    ),
    "stake with a made-up qualifier": (
        "DELETE WHERE { stake:microsoft-openai-group-pbc-2025-10 dg:qualifier ?q } ;"
        "INSERT DATA { stake:microsoft-openai-group-pbc-2025-10 dg:qualifier dg:Roughly }",
        "stake/microsoft-openai-group-pbc-2025-10",
        "A node has at most one qualifier (dg:qualifier), and it must be dg:Exact, "
        "dg:Approximate, dg:AtLeast or dg:UpTo.",
    ),
    "valuation as a bare number": (
        "DELETE WHERE { stake:microsoft-openai-group-pbc-2025-10 dg:valuation ?v } ;"
        "INSERT DATA { stake:microsoft-openai-group-pbc-2025-10 dg:valuation 135000000000.0 }",
        "stake/microsoft-openai-group-pbc-2025-10",
        "A valuation (dg:valuation) must be a dg:MonetaryAmount node with dg:amountValue and "
        "dg:currency, not a bare number.",
    ),
    "currency not an ISO code": (
        "DELETE WHERE { amount:microsoft-stake-value-2025-10 dg:currency ?c } ;"
        'INSERT DATA { amount:microsoft-stake-value-2025-10 dg:currency "$" }',
        "amount/microsoft-stake-value-2025-10",
        "The currency (dg:currency) of a monetary amount must be a three-letter ISO 4217 code "
        'in capitals, as a plain string, e.g. "USD" or "EUR".',
    ),
    "monetary amount without value": (
        "DELETE WHERE { amount:microsoft-stake-value-2025-10 dg:amountValue ?v }",
        "amount/microsoft-stake-value-2025-10",
        "A monetary amount needs exactly one value (dg:amountValue), written out in full, "
        "e.g. 135000000000.0 for $135B.",
    ),
    "negative amount": (
        "DELETE WHERE { amount:microsoft-stake-value-2025-10 dg:amountValue ?v } ;"
        'INSERT DATA { amount:microsoft-stake-value-2025-10 dg:amountValue "-5.0"^^xsd:decimal }',
        "amount/microsoft-stake-value-2025-10",
        "The value (dg:amountValue) of a monetary amount must be an xsd:decimal of at least 0: "
        'write 135000000000.0, not 135000000000 (an xsd:integer) or "135 Md$".',
    ),
    "agreement without date": (
        "DELETE WHERE { agreement:microsoft-openai-2025-10 dg:date ?d }",
        "agreement/microsoft-openai-2025-10",
        "An agreement needs a date (dg:date, an xsd:date): the first day of the year, month or "
        "day the sources give.",
    ),
    "agreement without certainty": (
        "DELETE WHERE { agreement:microsoft-openai-2025-10 dg:certainty ?c }",
        "agreement/microsoft-openai-2025-10",
        "An agreement needs a certainty (dg:certainty): dg:OfficiallyAnnounced, dg:Reported or "
        "dg:UnderConsideration.",
    ),
    "agreement with a made-up certainty": (
        "DELETE WHERE { agreement:microsoft-openai-2025-10 dg:certainty ?c } ;"
        "INSERT DATA { agreement:microsoft-openai-2025-10 dg:certainty dg:Rumoured }",
        "agreement/microsoft-openai-2025-10",
        "A node has at most one certainty (dg:certainty), and it must be dg:OfficiallyAnnounced, "
        "dg:Reported or dg:UnderConsideration.",
    ),
    "agreement binding as a string": (
        "DELETE WHERE { agreement:microsoft-openai-2025-10 dg:isBinding ?b } ;"
        'INSERT DATA { agreement:microsoft-openai-2025-10 dg:isBinding "yes" }',
        "agreement/microsoft-openai-2025-10",
        "An agreement has at most one dg:isBinding, a boolean (false for a non-binding "
        "memorandum).",
    ),
    "agreement replacing a right": (
        "INSERT DATA { agreement:microsoft-openai-2025-10 "
        "dcterms:replaces right:microsoft-openai-ip-2032 }",
        "agreement/microsoft-openai-2025-10",
        "What an agreement replaces (dcterms:replaces) must be another dg:Agreement.",
    ),
    "agreement revising itself": (
        "INSERT DATA { agreement:microsoft-openai-2025-10 "
        "prov:wasRevisionOf agreement:microsoft-openai-2025-10 }",
        "agreement/microsoft-openai-2025-10",
        "An agreement cannot replace or revise itself (dcterms:replaces / prov:wasRevisionOf "
        "point to an earlier version).",
    ),
    "party that is no agent": (
        "INSERT DATA { agreement:microsoft-openai-2025-10 "
        "dg:party subject:openai-models-and-products }",
        "agreement/microsoft-openai-2025-10",
        "A party (dg:party) must be a dg:Agent: a company, organisation or person.",
    ),
    "fact derived from an article directly": (
        "DELETE WHERE { stake:microsoft-openai-group-pbc-2025-10 prov:wasDerivedFrom ?e } ;"
        "INSERT DATA { stake:microsoft-openai-group-pbc-2025-10 prov:wasDerivedFrom article:000 }",
        "stake/microsoft-openai-group-pbc-2025-10",
        "prov:wasDerivedFrom must point to a dg:Evidence node (a quote with its source "
        "article), not to an article or anything else.",
    ),
    "evidence without source": (
        "DELETE WHERE { evidence:000-stake dcterms:source ?a }",
        "evidence/000-stake",
        "A piece of evidence needs exactly one source (dcterms:source): the dg:Source (article, "
        "official statement or document) it is taken from.",
    ),
    "evidence whose source is no article": (
        "DELETE WHERE { evidence:000-stake dcterms:source ?a } ;"
        "INSERT DATA { evidence:000-stake dcterms:source <https://example.org/elsewhere> }",
        "evidence/000-stake",
        "The source (dcterms:source) of a piece of evidence must be a dg:Source: a dg:Article, "
        "dg:OfficialStatement or dg:Document.",
    ),
    "quote too short": (
        "DELETE WHERE { evidence:000-stake oa:exact ?q } ;"
        'INSERT DATA { evidence:000-stake oa:exact "27 %"@fr }',
        "evidence/000-stake",
        "The quote (oa:exact) of a piece of evidence is too short to be checked against its "
        "article: quote at least 8 characters.",
    ),
    "quote tagged English": (
        "DELETE WHERE { evidence:000-stake oa:exact ?q } ;"
        'INSERT DATA { evidence:000-stake oa:exact "Microsoft will hold about 27 %"@en }',
        "evidence/000-stake",
        "The quote (oa:exact) of a piece of evidence must be a literal: a plain string or a "
        "string tagged @fr, copied from the article.",
    ),
    "article identifier that is no file name": (
        "DELETE WHERE { article:000 dcterms:identifier ?i } ;"
        'INSERT DATA { article:000 dcterms:identifier "article-000" }',
        "article/000",
        "The identifier (dcterms:identifier) of an article must be its file name as a plain "
        'string: three digits, an underscore, 16 hexadecimal digits and ".txt", '
        'e.g. "000_1360818c7821c995.txt".',
    ),
    "article without language": (
        "DELETE WHERE { article:000 dcterms:language ?l }",
        "article/000",
        'An article needs exactly one language (dcterms:language), e.g. "fr".',
    ),
    "article whose date is not marked inferred": (
        "DELETE WHERE { article:000 dg:dateIsInferred ?i }",
        "article/000",
        "An article's date is never given by the sources (the articles carry no metadata): "
        "mark it dg:dateIsInferred true and say how it was inferred (dg:dateBasis).",
    ),
    "inferred date without basis": (
        "DELETE WHERE { article:000 dg:dateBasis ?b }",
        "article/000",
        "A date marked dg:dateIsInferred true needs a dg:dateBasis: say which clues in the "
        "text it was inferred from.",
    ),
    "company without English label": (
        "DELETE WHERE { company:microsoft rdfs:label ?l } ;"
        'INSERT DATA { company:microsoft rdfs:label "Microsoft"@fr }',
        "company/microsoft",
        "A company, organisation, person or subject matter needs an rdfs:label in English "
        "(a literal tagged @en).",
    ),
    "company with two English labels": (
        'INSERT DATA { company:microsoft rdfs:label "Microsoft Corporation"@en }',
        "company/microsoft",
        "A company, organisation, person or subject matter has at most one rdfs:label per "
        "language.",
    ),
    "Wikidata link to a wiki page": (
        "DELETE WHERE { company:microsoft owl:sameAs ?q } ;"
        "INSERT DATA { company:microsoft owl:sameAs <https://www.wikidata.org/wiki/Q2283> }",
        "company/microsoft",
        "owl:sameAs must point to a Wikidata item IRI of the form "
        "http://www.wikidata.org/entity/Q… (not a wiki page, not https).",
    ),
    "made-up certainty level": (
        "INSERT DATA { dg:Rumoured a dg:CertaintyLevel }",
        "https://w3id.org/dealgraph/ontology#Rumoured",
        "A certainty level must be dg:OfficiallyAnnounced, dg:Reported or dg:UnderConsideration.",
    ),
    "disagreement with one claim": (
        "INSERT DATA { <https://w3id.org/dealgraph/id/disagreement/x> a dg:Disagreement ;"
        " dg:claim stake:microsoft-openai-group-pbc-2025-10 ;"
        ' rdfs:comment "Sources differ on the stake." ;'
        " prov:wasDerivedFrom evidence:000-stake }",
        "disagreement/x",
        "A disagreement needs at least two claims (dg:claim): the fact nodes that do not agree, "
        "each with its own evidence.",
    ),
    "obligation without obligor": (
        "INSERT DATA { <https://w3id.org/dealgraph/id/obligation/x> a dg:PurchaseCommitment ;"
        " dg:imposedBy agreement:microsoft-openai-2025-10 ;"
        " prov:wasDerivedFrom evidence:000-agreement }",
        "obligation/x",
        "An obligation needs at least one obligor (dg:obligor): the dg:Agent who must fulfil it.",
    ),
    "investment without amount": (
        "INSERT DATA { <https://w3id.org/dealgraph/id/investment/x> a dg:Investment ;"
        " dg:investor company:microsoft ; dg:investee company:openai ;"
        " prov:wasDerivedFrom evidence:000-agreement }",
        "investment/x",
        "An investment needs exactly one amount (dg:amount): a dg:MonetaryAmount with its "
        "value and currency.",
    ),
    "valuation without company": (
        "INSERT DATA { <https://w3id.org/dealgraph/id/valuation/x> a dg:Valuation ;"
        " dg:amount amount:microsoft-stake-value-2025-10 ;"
        " prov:wasDerivedFrom evidence:000-stake }",
        "valuation/x",
        "A valuation needs exactly one dg:investee: the dg:Organization that is valued.",
    ),
}


@pytest.mark.parametrize(("update", "focus", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_variant_is_refused(check, update: str, focus: str, message: str) -> None:
    focus_node = URIRef(focus) if focus.startswith("https://") else node(focus)
    assert_refused(check(broken(update)), focus_node, message)


# --- sources and kinds of evidence: quotes, translations, paraphrases -------------------------

STATEMENT = "source/openai-2026-02-27"
PARAPHRASE = "evidence/2026-02-terms-unchanged"
NO_TRANSLATION = (
    "A French quote (oa:exact) needs exactly one English translation (dg:translation, a literal "
    "tagged @en): the curators' own faithful, plain rendering of it."
)
PARAPHRASE_WITHOUT_URL = (
    "A paraphrase (dg:paraphrase) needs a source with a URL (schema:url): its text is not in "
    "the project, so say where the paraphrased words can be read."
)
SOURCE_KIND = (
    "A source must be typed with exactly one kind: dg:Article (a news article whose text the "
    "project holds), dg:OfficialStatement or dg:Document."
)

SOURCES_BROKEN = {
    "French quote without translation": (
        "DELETE WHERE { evidence:000-stake dg:translation ?t }",
        "evidence/000-stake",
        NO_TRANSLATION,
    ),
    "plain quote from a French source without translation": (
        "DELETE WHERE { evidence:000-agreement dg:translation ?t } ;"
        "DELETE WHERE { evidence:000-agreement oa:exact ?q } ;"
        "INSERT DATA { evidence:000-agreement"
        ' oa:exact "Microsoft et OpenAI viennent de conclure" }',
        "evidence/000-agreement",
        NO_TRANSLATION,
    ),
    "quote with two translations": (
        'INSERT DATA { evidence:000-stake dg:translation "Microsoft will own about 27 %"@en }',
        "evidence/000-stake",
        "A quote has exactly one English translation (dg:translation): keep the better one.",
    ),
    "translation not tagged English": (
        "DELETE WHERE { evidence:000-stake dg:translation ?t } ;"
        'INSERT DATA { evidence:000-stake dg:translation "Microsoft will hold about 27 %" }',
        "evidence/000-stake",
        "A translation (dg:translation) must be non-empty English text tagged @en, e.g. "
        '"Microsoft will hold about 27 %"@en.',
    ),
    "translation of a paraphrase": (
        f'INSERT DATA {{ <{ID}{PARAPHRASE}> dg:translation "Terms unchanged."@en }}',
        PARAPHRASE,
        "A translation (dg:translation) translates a quote: the evidence that carries it needs "
        "an oa:exact (a paraphrase is already written in the curators' words).",
    ),
    "evidence with both a quote and a paraphrase": (
        'INSERT DATA { evidence:000-stake dg:paraphrase "Microsoft will hold about 27 %."@en }',
        "evidence/000-stake",
        NO_QUOTE,
    ),
    "paraphrase whose source has no URL": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> schema:url ?u }}",
        PARAPHRASE,
        PARAPHRASE_WITHOUT_URL,
    ),
    "paraphrase of an article without URL": (
        f"DELETE WHERE {{ <{ID}{PARAPHRASE}> dcterms:source ?s }} ;"
        f"INSERT DATA {{ <{ID}{PARAPHRASE}> dcterms:source article:000 }}",
        PARAPHRASE,
        PARAPHRASE_WITHOUT_URL,
    ),
    "paraphrase without language tag": (
        f"DELETE WHERE {{ <{ID}{PARAPHRASE}> dg:paraphrase ?p }} ;"
        f'INSERT DATA {{ <{ID}{PARAPHRASE}> dg:paraphrase "The terms stay unchanged." }}',
        PARAPHRASE,
        "A paraphrase (dg:paraphrase) must be text tagged with its language, e.g. "
        '"Azure remains the exclusive cloud for stateless OpenAI APIs."@en, of at least 8 '
        "characters.",
    ),
    "quote from a source whose text is not in the project": (
        f"DELETE WHERE {{ <{ID}{PARAPHRASE}> dg:paraphrase ?p }} ;"
        f'INSERT DATA {{ <{ID}{PARAPHRASE}> oa:exact "nothing about this changes the terms" }}',
        PARAPHRASE,
        "A verbatim quote (oa:exact) must come from a source whose text the project holds (a "
        "source with a dcterms:identifier, its file name), so that it can be proven; for a "
        "source known only by its URL, write a dg:paraphrase instead.",
    ),
    "statement without URL": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> schema:url ?u }}",
        STATEMENT,
        "An official statement needs a URL (schema:url): the web address where it was published.",
    ),
    "URL written as a string": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> schema:url ?u }} ;"
        f'INSERT DATA {{ <{ID}{STATEMENT}> schema:url "https://openai.com/index/x/" }}',
        STATEMENT,
        "A source has at most one URL (schema:url), written as an IRI such as "
        "<https://openai.com/index/continuing-microsoft-partnership/>, not as a string.",
    ),
    "statement without publisher": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> dcterms:publisher ?p }}",
        STATEMENT,
        "An official statement needs a publisher (dcterms:publisher): the dg:Agent (company or "
        "public body) that issued it.",
    ),
    "statement published by an article": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> dcterms:publisher ?p }} ;"
        f"INSERT DATA {{ <{ID}{STATEMENT}> dcterms:publisher article:000 }}",
        STATEMENT,
        "An official statement needs a publisher (dcterms:publisher): the dg:Agent (company or "
        "public body) that issued it.",
    ),
    "statement without date": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> dcterms:date ?d }}",
        STATEMENT,
        "An official statement needs exactly one date (dcterms:date, an xsd:date): the day it "
        'states, as published, e.g. "2026-02-27"^^xsd:date.',
    ),
    "statement date in words": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> dcterms:date ?d }} ;"
        f'INSERT DATA {{ <{ID}{STATEMENT}> dcterms:date "27 February 2026" }}',
        STATEMENT,
        "A source has at most one stated date (dcterms:date), and it must be an xsd:date such "
        'as "2026-02-27"^^xsd:date.',
    ),
    "statement whose date is inferred": (
        f"INSERT DATA {{ <{ID}{STATEMENT}> dg:dateIsInferred true ;"
        ' dg:dateBasis "Guessed from the news." }',
        STATEMENT,
        "An official statement's date is the one it states (dcterms:date), never inferred by the "
        "curators: remove dg:dateIsInferred true, or record the source as a dg:Document.",
    ),
    "statement without language": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> dcterms:language ?l }}",
        STATEMENT,
        "An official statement needs exactly one language (dcterms:language), a BCP 47 tag "
        'written as a literal, e.g. "en".',
    ),
    "source without a name": (
        f"DELETE WHERE {{ <{ID}{STATEMENT}> dcterms:title ?t }}",
        STATEMENT,
        "A source needs a name: an rdfs:label in the curators' words or its dcterms:title as "
        "published.",
    ),
    "source of two kinds": (
        f"INSERT DATA {{ <{ID}{STATEMENT}> a dg:Document }}",
        STATEMENT,
        SOURCE_KIND,
    ),
    "source of no kind": (
        f'INSERT DATA {{ <{ID}source/x> a dg:Source ; rdfs:label "A page"@en ;'
        " schema:url <https://example.org/x> }",
        "source/x",
        SOURCE_KIND,
    ),
    "source file name with a folder": (
        f'INSERT DATA {{ <{ID}{STATEMENT}> dcterms:identifier "statements/2026-02-27.txt" }}',
        STATEMENT,
        "A source has at most one identifier (dcterms:identifier): the plain file name of its "
        "text in the folder of source texts, without any folder.",
    ),
    "document that says nowhere where to read it": (
        f'INSERT DATA {{ <{ID}source/report> a dg:Document ; rdfs:label "A report"@en }}',
        "source/report",
        "A document needs a URL (schema:url) or a file name (dcterms:identifier) in the folder "
        "of source texts: say where it can be read.",
    ),
}


@pytest.mark.parametrize(
    ("update", "focus", "message"), SOURCES_BROKEN.values(), ids=SOURCES_BROKEN.keys()
)
def test_broken_source_or_evidence_is_refused(check, update: str, focus: str, message: str) -> None:
    assert_refused(check(broken(update)), node(focus), message)


def test_document_with_url_and_its_paraphrase_conform(check) -> None:
    report = check(
        broken(
            f"INSERT DATA {{ <{ID}source/report> a dg:Document ;"
            ' dcterms:title "Annual report" ; schema:url <https://example.org/report> .'
            f" <{ID}evidence/report> a dg:Evidence ; dcterms:source <{ID}source/report> ;"
            ' dg:paraphrase "The report restates the revenue share."@en }'
        )
    )
    assert report.violations == [], report.text


def test_plain_quote_from_an_english_source_needs_no_translation(check) -> None:
    report = check(
        broken(
            f'INSERT DATA {{ <{ID}source/filing> a dg:Document ; rdfs:label "A filing"@en ;'
            ' dcterms:identifier "filing.txt" ; dcterms:language "en" .'
            f" <{ID}evidence/filing> a dg:Evidence ; dcterms:source <{ID}source/filing> ;"
            ' oa:exact "the revenue share continues" }'
        )
    )
    assert report.violations == [], report.text


def test_company_without_wikidata_link_is_only_a_warning(check) -> None:
    report = check(broken("DELETE WHERE { company:microsoft owl:sameAs ?q }"))
    assert report.conforms, report.text
    warnings = [r for r in report.results if r.focus == MICROSOFT]
    assert [r.severity for r in warnings] == [SH.Warning]
    assert warnings[0].message.startswith("This company, public body, person or product has no")


def test_subclass_instances_are_checked(check) -> None:
    """A dg:Consent is an agreement and a dg:PublicBenefitCorporation a company: the class
    hierarchy of the ontology reaches the shapes of the superclasses."""
    report = check(
        broken(
            "DELETE DATA { agreement:microsoft-openai-2025-10 a dg:Agreement } ;"
            "INSERT DATA { agreement:microsoft-openai-2025-10 a dg:Consent } ;"
            "DELETE DATA { agreement:microsoft-openai-2025-10 dg:party company:openai }"
        )
    )
    assert_refused(report, AGREEMENT, ONE_PARTY)


# --- time in force (issue 8): the fixture carries the triples the derive stage adds ---------

RESEARCH = node("right/microsoft-openai-research-ip")
TRIGGER_2030 = node("trigger/2030")
NO_IN_FORCE_FROM = (
    "A right needs exactly one first day in force (dg:inForceFrom): the build derives it from "
    "the date of the agreement that grants it; assert it (marked inferred, with its basis) only "
    "where no granting agreement dates the right, and never alongside a derived one."
)
ENDS_BEFORE_START = (
    "A right cannot end before it starts: its first day in force (dg:inForceFrom) must be on "
    "or before its last day (dg:inForceUntil)."
)
ENDED_WITHOUT_END = (
    "A right that was ended (dg:endedBy) needs a last day in force (dg:inForceUntil): the day "
    "before the agreement that ended it starts; give that agreement a date."
)
NO_LATEST_DAY = (
    "A dated node needs exactly one latest day (dg:latestDay, an xsd:date), derived by the "
    "build from its dg:date and dg:datePrecision: 31 December for a year, the month's last day "
    "for a month."
)
UNDISCLOSED_WITH_VALUE = (
    "A monetary amount marked dg:amountUndisclosed true cannot have a value (dg:amountValue): "
    "the sources do not disclose it; remove one or the other."
)
INVESTMENT_WITHOUT_INVESTOR = (
    "An investment needs at least one investor (dg:investor): the dg:Agent who puts the money "
    "in; where the sources name none, say so in an rdfs:comment instead of guessing."
)
# The research right is made the predecessor of the 2032 right: it ran 2019-2025-09-30.
RESEARCH_SUPERSEDED = """
    DELETE WHERE { right:microsoft-openai-research-ip dg:inForceFrom ?f ; dg:inForceUntil ?u } ;
    INSERT DATA {
        right:microsoft-openai-research-ip dg:supersededBy right:microsoft-openai-ip-2032 ;
            dg:endedBy agreement:microsoft-openai-2025-10 ;
            dg:inForceFrom "2019-01-01"^^xsd:date ; dg:inForceUntil "2025-09-30"^^xsd:date .
        right:microsoft-openai-ip-2032 prov:wasRevisionOf right:microsoft-openai-research-ip .
    }
"""


def test_right_without_first_day_in_force_is_refused(check) -> None:
    report = check(broken("DELETE WHERE { right:microsoft-openai-ip-2032 dg:inForceFrom ?d }"))
    assert_refused(report, RIGHT_2032, NO_IN_FORCE_FROM)


def test_right_with_an_asserted_and_a_derived_first_day_is_refused(check) -> None:
    report = check(
        broken(
            'INSERT DATA { right:microsoft-openai-ip-2032 dg:inForceFrom "2019-01-01"^^xsd:date }'
        )
    )
    assert_refused(report, RIGHT_2032, NO_IN_FORCE_FROM)


def test_right_ending_before_it_starts_is_refused(check) -> None:
    report = check(
        broken(
            "DELETE WHERE { right:microsoft-openai-ip-2032 dg:inForceUntil ?d } ;"
            'INSERT DATA { right:microsoft-openai-ip-2032 dg:inForceUntil "2024-12-31"^^xsd:date }'
        )
    )
    assert_refused(report, RIGHT_2032, ENDS_BEFORE_START)


def test_ended_right_without_last_day_is_refused(check) -> None:
    report = check(
        broken(
            "DELETE WHERE { right:microsoft-openai-ip-2032 dg:inForceUntil ?d } ;"
            "INSERT DATA { right:microsoft-openai-ip-2032 dg:endedBy "
            "agreement:microsoft-openai-2025-10 }"
        )
    )
    assert_refused(report, RIGHT_2032, ENDED_WITHOUT_END)


def test_superseded_right_ending_the_day_before_its_successor_conforms(check) -> None:
    report = check(broken(RESEARCH_SUPERSEDED))
    assert report.conforms, report.text


def test_superseded_right_without_revision_link_is_refused(check) -> None:
    report = check(
        broken(
            RESEARCH_SUPERSEDED
            + "; DELETE DATA { right:microsoft-openai-ip-2032 prov:wasRevisionOf "
            "right:microsoft-openai-research-ip }"
        )
    )
    assert_refused(
        report,
        RESEARCH,
        f"The right {RIGHT_2032} supersedes this one (dg:supersededBy) but does not say it "
        f"revises it: add {RIGHT_2032} prov:wasRevisionOf this right.",
    )


def test_superseded_right_still_in_force_after_its_successor_starts_is_refused(check) -> None:
    report = check(
        broken(
            RESEARCH_SUPERSEDED
            + "; DELETE DATA { right:microsoft-openai-research-ip dg:inForceUntil "
            '"2025-09-30"^^xsd:date } ; INSERT DATA { right:microsoft-openai-research-ip '
            'dg:inForceUntil "2030-12-31"^^xsd:date }'
        )
    )
    assert_refused(
        report,
        RESEARCH,
        f"A superseded right must end the day before its successor {RIGHT_2032} starts "
        "(2025-10-01): its last day in force (dg:inForceUntil) is 2030-12-31; end it with "
        "dg:endedBy the agreement that made the successor.",
    )


def test_revision_not_recorded_on_the_revised_right_is_refused(check) -> None:
    report = check(
        broken(
            RESEARCH_SUPERSEDED
            + "; DELETE DATA { right:microsoft-openai-research-ip dg:supersededBy "
            "right:microsoft-openai-ip-2032 }"
        )
    )
    assert_refused(
        report,
        RIGHT_2032,
        f"This right revises {RESEARCH} (prov:wasRevisionOf), but {RESEARCH} does not name it "
        f"as its successor: add {RESEARCH} dg:supersededBy this right.",
    )


def test_right_confirmed_by_an_agreement_not_later_than_its_grant_is_refused(check) -> None:
    report = check(
        broken(
            "INSERT DATA { right:microsoft-openai-ip-2032 dg:confirmedBy "
            "agreement:microsoft-openai-2025-10 }"
        )
    )
    assert_refused(
        report,
        RIGHT_2032,
        "A right can only be confirmed (dg:confirmedBy) by an agreement later than the one "
        f"that granted it: {AGREEMENT} starts on 2025-10-01, not after 2025-10-01.",
    )


def test_dated_node_without_its_period_is_refused(check) -> None:
    report = check(broken("DELETE WHERE { trigger:2030 dg:latestDay ?d }"))
    assert_refused(report, TRIGGER_2030, NO_LATEST_DAY)


def test_undisclosed_amount_without_value_or_currency_conforms(check) -> None:
    report = check(
        broken(
            "DELETE WHERE { amount:microsoft-stake-value-2025-10 dg:amountValue ?v ; "
            "dg:currency ?c } ;"
            "INSERT DATA { amount:microsoft-stake-value-2025-10 dg:amountUndisclosed true }"
        )
    )
    assert report.conforms, report.text


def test_undisclosed_amount_with_a_value_is_refused(check) -> None:
    report = check(
        broken("INSERT DATA { amount:microsoft-stake-value-2025-10 dg:amountUndisclosed true }")
    )
    assert_refused(report, AMOUNT, UNDISCLOSED_WITH_VALUE)


def test_investment_naming_no_investor_needs_a_comment(check) -> None:
    investment = node("investment/x")
    insert = (
        "INSERT DATA { <https://w3id.org/dealgraph/id/investment/x> a dg:Investment ;"
        " dg:investee company:openai ; dg:amount amount:microsoft-stake-value-2025-10 ;"
        " prov:wasDerivedFrom evidence:000-stake"
    )
    assert_refused(check(broken(insert + " }")), investment, INVESTMENT_WITHOUT_INVESTOR)
    explained = check(broken(insert + ' ; rdfs:comment "The quote names no investor."@en }'))
    assert explained.conforms, explained.text


# --- the ontology and the shapes themselves ---------------------------------------------------


def validate_ontology(ontology: Graph, shapes: Graph) -> tuple[bool, set[tuple[URIRef, str]]]:
    """Validate the ontology document itself as data (how its terms' documentation is seen)."""
    conforms, graph, _ = validate(ontology, shacl_graph=shapes, advanced=True, inference="none")
    found = {
        (graph.value(r, SH.focusNode), str(graph.value(r, SH.resultMessage)))
        for r in graph.subjects(RDF.type, SH.ValidationResult)
    }
    return bool(conforms), found


def test_ontology_terms_all_have_bilingual_labels(shapes: Graph, ontology: Graph) -> None:
    conforms, found = validate_ontology(ontology, shapes)
    listing = "\n".join(f"  {term}: {message}" for term, message in sorted(found))
    assert conforms, "ontology terms without bilingual documentation:\n" + listing


def test_ontology_term_without_french_label_is_refused(shapes: Graph, ontology: Graph) -> None:
    changed = Graph()
    for triple in ontology:
        changed.add(triple)
    changed.remove((DG.Stake, RDFS.label, Literal("participation", lang="fr")))
    changed.remove((DG.percentage, SKOS.definition, None))
    changed.add((DG.EarliestOf, RDFS.label, Literal("first of", lang="en")))
    conforms, found = validate_ontology(changed, shapes)
    assert not conforms
    assert found == {
        (DG.Stake, "Every dg: term needs an rdfs:label in French (@fr)."),
        (DG.percentage, "Every dg: term needs a skos:definition in English (@en)."),
        (DG.percentage, "Every dg: term needs a skos:definition in French (@fr)."),
        (DG.EarliestOf, "A dg: term has at most one rdfs:label per language."),
    }


def test_every_class_of_the_ontology_has_a_shape(shapes: Graph, ontology: Graph) -> None:
    targeted = set(shapes.objects(None, SH.targetClass))
    missing = []
    for cls in ontology.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, URIRef) or not str(cls).startswith(str(DG)):
            continue
        ancestors = set(ontology.transitive_objects(cls, RDFS.subClassOf))  # includes cls
        if not ancestors & targeted:
            missing.append(str(cls))
    assert missing == []


def test_every_shape_is_documented(shapes: Graph) -> None:
    """Node shapes carry an English label and comment; every constraint carries a message."""
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label), f"{shape} has no rdfs:label"
        assert shapes.value(shape, RDFS.comment), f"{shape} has no rdfs:comment"
        node_level = (SH["or"], SH.xone, SH["in"], SH["class"], SH["not"])
        if any(shapes.value(shape, p) is not None for p in node_level):
            assert shapes.value(shape, SH.message), f"{shape} has no sh:message"
    for holder in (*shapes.objects(None, SH.property), *shapes.objects(None, SH.sparql)):
        assert shapes.value(holder, SH.message), "a constraint of the shapes has no message"


def test_shapes_are_well_formed_shacl(shapes: Graph) -> None:
    """pyshacl's meta-SHACL check: the shapes graph itself conforms to SHACL's own shapes."""
    conforms, _, text = validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    assert conforms, text
