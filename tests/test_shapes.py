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
    "A piece of evidence needs exactly one quote (oa:exact): the verbatim words of the "
    "article the fact rests on."
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
        "A piece of evidence needs exactly one source (dcterms:source): the dg:Article its "
        "quote is taken from.",
    ),
    "evidence whose source is no article": (
        "DELETE WHERE { evidence:000-stake dcterms:source ?a } ;"
        "INSERT DATA { evidence:000-stake dcterms:source <https://example.org/elsewhere> }",
        "evidence/000-stake",
        "The source (dcterms:source) of a piece of evidence must be a dg:Article.",
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
