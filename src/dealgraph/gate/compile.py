"""Compile SHACL shapes into SPARQL queries that find their violations.

Each constraint of a targeted shape becomes one ``SELECT ?this ?value …`` query: its focus
nodes (the shape's targets) joined with what breaks the constraint. Shapes nested in
``sh:or``, ``sh:xone``, ``sh:and``, ``sh:not``, ``sh:node`` and ``sh:qualifiedValueShape``
become boolean SPARQL expressions, "this node conforms", built from ``EXISTS`` filters. The
checks of one shape that differ only in their final filter (``Check.condition``) are run as
one query by :func:`dealgraph.gate.run.merged`, so that their focus nodes are found once. The
queries give the results pyshacl gives (focus node, value, path, message, severity,
component): pyshacl stays the oracle in the tests.

The compiler supports the SHACL Core components and the SPARQL-based constraints and targets
the shapes of the project use; any other component is refused by name
(:class:`UnsupportedShape`) rather than silently ignored.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rdflib import RDF, SH, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from ..namespaces import PREFIXES
from ..validate import path_text

TYPE_PATH = f"<{PREFIXES['rdf']}type>/<{PREFIXES['rdfs']}subClassOf>*"

# Datatypes whose lexical form the cast function of the same name checks: an ill-typed
# literal breaks sh:datatype. Only those rdflib checks too (it leaves xsd:gYear… unchecked),
# so that pyshacl and the SPARQL gate agree.
_CASTABLE = {XSD.date, XSD.dateTime, XSD.decimal, XSD.integer, XSD.boolean, XSD.double, XSD.float}

# Parameters of the components handled, so that anything else is refused.
_VALUE_PARAMS = {
    SH["class"], SH.datatype, SH.nodeKind, SH.pattern, SH.flags, SH.minLength, SH.maxLength,
    SH.languageIn, SH["in"], SH.minInclusive, SH.maxInclusive, SH.minExclusive,
    SH.maxExclusive, SH["or"], SH["and"], SH["not"], SH.xone, SH.node, SH.hasValue,
}  # fmt: skip
_PROPERTY_PARAMS = {
    SH.minCount, SH.maxCount, SH.uniqueLang, SH.disjoint, SH.lessThanOrEquals, SH.lessThan,
    SH.equals, SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
}  # fmt: skip
_DESCRIPTIVE = {
    RDF.type, SH.path, SH.name, SH.description, SH.message, SH.severity, SH.property,
    SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target,
    SH.sparql, SH.order, SH.group, SH.defaultValue, SH.deactivated,
}  # fmt: skip
_COMPONENT = {
    SH["class"]: "ClassConstraintComponent",
    SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    SH.pattern: "PatternConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent",
    SH.maxLength: "MaxLengthConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent",
    SH["in"]: "InConstraintComponent",
    SH.minInclusive: "MinInclusiveConstraintComponent",
    SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minExclusive: "MinExclusiveConstraintComponent",
    SH.maxExclusive: "MaxExclusiveConstraintComponent",
    SH["or"]: "OrConstraintComponent",
    SH["and"]: "AndConstraintComponent",
    SH["not"]: "NotConstraintComponent",
    SH.xone: "XoneConstraintComponent",
    SH.node: "NodeConstraintComponent",
    SH.hasValue: "HasValueConstraintComponent",
    SH.minCount: "MinCountConstraintComponent",
    SH.maxCount: "MaxCountConstraintComponent",
    SH.uniqueLang: "UniqueLangConstraintComponent",
    SH.disjoint: "DisjointConstraintComponent",
    SH.lessThanOrEquals: "LessThanOrEqualsConstraintComponent",
    SH.lessThan: "LessThanConstraintComponent",
    SH.equals: "EqualsConstraintComponent",
    SH.qualifiedMinCount: "QualifiedMinCountConstraintComponent",
    SH.qualifiedMaxCount: "QualifiedMaxCountConstraintComponent",
    SH.sparql: "SPARQLConstraintComponent",
}
_NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNode: "isBlank({v})",
    SH.BlankNodeOrIRI: "(isIRI({v}) || isBlank({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_COMPARISONS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}


# In every target subquery: where a re-check restricts the focus nodes (a SPARQL comment).
FOCUS_MARK = "#focus\n"


_IRI_STEP = re.compile(r"<[^<>\s]+>")


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature the compiler does not translate."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as a query and what its results say.

    The query projects ``?this`` (the focus node), ``?value`` when a result has a value node
    of its own, and for SPARQL-based constraints every variable of their SELECT (for the
    message's ``{?name}`` placeholders).
    """

    query: str
    shape: str  # the node shape named in reports (the owner of a property shape)
    source_shape: Node  # the shape the constraint sits on (a property shape or the node shape)
    path: str  # the SPARQL property path of a property shape, else ""
    path_node: Node | None
    messages: tuple[str, ...]
    severity: str  # Violation, Warning or Info
    constraint: str  # the component IRI
    value_is_focus: bool  # node-level constraints: the value node is the focus node
    templated: bool  # messages take {?var} placeholders (SPARQL-based constraints)
    # When set, the query is ``… FILTER (!(condition)) }`` and the checks of one shape that
    # share everything before that filter can run as one query (see run.merged).
    condition: str = ""


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every check of the targeted node shapes of *shapes*, in a stable order."""
    checks: list[Check] = []
    for shape in _targeted_shapes(shapes):
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        checks.extend(_Compiler(shapes).shape_checks(shape))
    return checks


def focus_query(shapes: Graph, shape: Node) -> str:
    """A query selecting the focus nodes of *shape* (as ``?this``)."""
    targets, prologue = _Compiler(shapes).targets(shape)
    return f"{prologue}\nSELECT ?this WHERE {{ {targets} }}"


def _targeted_shapes(shapes: Graph) -> list[Node]:
    found: set[Node] = set()
    for target in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
        found |= set(shapes.subjects(target, None))
    found |= set(shapes.subjects(SH.target, None))
    return sorted(found, key=str)


class _Compiler:
    """Compiles the checks of one node shape; holds a counter for fresh variable names."""

    def __init__(self, shapes: Graph) -> None:
        self.g = shapes
        self._fresh = itertools.count(1)

    # --- naming --------------------------------------------------------------------------

    def var(self) -> str:
        return f"?_v{next(self._fresh)}"

    def triples(self, subject: str, path: str, obj: str) -> str:
        """``subject path obj`` as triple patterns: a sequence of IRIs becomes a chain through
        fresh variables (pyoxigraph plans a chain far better than a sequence path)."""
        steps = _steps(path)
        if len(steps) < 2:
            return f"{subject} {path} {obj}"
        nodes = [subject, *(self.var() for _ in steps[1:]), obj]
        links = zip(nodes, steps, nodes[1:], strict=False)  # nodes has one more than steps
        return " . ".join(f"{a} {step} {b}" for a, step, b in links)

    def nested(self, subject: str, path: str) -> str:
        """A pattern with a match when *path* leads somewhere from *subject*: a sequence of
        IRIs as nested EXISTS, one step each (pyoxigraph plans a chain inside EXISTS without
        its bound start: 30 times slower at 300k triples)."""
        steps = _steps(path)
        if len(steps) < 2:
            return f"{subject} {path} {self.var()}"
        node = self.var()
        rest = self.nested(node, "/".join(steps[1:]))
        return f"{subject} {steps[0]} {node} FILTER EXISTS {{ {rest} }}"

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return f"<{node}>"
        if isinstance(node, Literal):
            text = _string(str(node))
            if node.language:
                return f"{text}@{node.language}"
            datatype = node.datatype or XSD.string
            return f"{text}^^<{datatype}>"
        raise UnsupportedShape(f"a blank node {node} used as a value in a shape")

    def prologue(self, holder: Node) -> str:
        """The PREFIX lines of the sh:prefixes ontology declared by *holder*."""
        lines = []
        for ontology in self.g.objects(holder, SH.prefixes):
            for declaration in self.g.objects(ontology, SH.declare):
                prefix = self.g.value(declaration, SH.prefix)
                namespace = self.g.value(declaration, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines)))

    # --- targets -------------------------------------------------------------------------

    def targets(self, shape: Node) -> tuple[str, str]:
        """A group pattern binding ?this to each focus node of *shape* once, and a prologue."""
        # FOCUS_MARK is a comment opening each target's group: a re-check replaces it with
        # VALUES ?this { … }, where the engine restricts the target's own scan with it.
        parts, prologues = [], []
        for cls in self.g.objects(shape, SH.targetClass):
            parts.append(f"{{ {FOCUS_MARK}?this {TYPE_PATH} {self.term(cls)} }}")
        for prop in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ {FOCUS_MARK}?this {self.term(prop)} [] }}")
        for prop in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ {FOCUS_MARK}[] {self.term(prop)} ?this }}")
        for node in self.g.objects(shape, SH.targetNode):
            parts.append(f"{{ {FOCUS_MARK}VALUES ?this {{ {self.term(node)} }} }}")
        for target in self.g.objects(shape, SH.target):
            select = self.g.value(target, SH.select)
            if select is None:
                raise UnsupportedShape(f"{shape}: a sh:target that is not a SPARQL target")
            prologues.append(self.prologue(target))
            text = str(select).strip()  # a whole SELECT projecting ?this: marked in its WHERE
            opening = text.index("{") + 1
            parts.append(f"{{ {text[:opening]} {FOCUS_MARK}{text[opening:]} }}")
        union = " UNION ".join(parts)
        subquery = f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"
        return subquery, "\n".join(prologues)

    # --- the checks of a node shape ------------------------------------------------------

    def shape_checks(self, shape: Node) -> Iterator[Check]:
        targets, prologue = self.targets(shape)
        self.refuse_unknown(shape, node_shape=True)
        messages = self.messages(shape)
        severity = self.severity(shape)
        # node-level constraints: the value node is the focus node itself
        for param in self.value_params(shape):
            condition = self.value_condition(shape, param, "?this")
            yield Check(
                query=f"{prologue}\nSELECT ?this WHERE {{ {targets} FILTER (!({condition})) }}",
                condition=condition,
                shape=str(shape),
                source_shape=shape,
                path="",
                path_node=None,
                messages=messages,
                severity=severity,
                constraint=str(SH[_COMPONENT[param]]),
                value_is_focus=True,
                templated=False,
            )
        for constraint in sorted(self.g.objects(shape, SH.sparql), key=str):
            yield self.sparql_check(shape, constraint, targets, prologue, messages, severity)
        for prop in sorted(self.g.objects(shape, SH.property), key=str):
            yield from self.property_checks(shape, prop, targets, prologue)

    def property_checks(
        self, owner: Node, prop: Node, targets: str, prologue: str
    ) -> Iterator[Check]:
        self.refuse_unknown(prop, node_shape=False)
        if self.g.value(prop, SH.deactivated) == Literal(True):
            return
        if any(True for _ in self.g.objects(prop, SH.sparql)) or any(
            True for _ in self.g.objects(prop, SH.property)
        ):
            raise UnsupportedShape(f"{owner}: constraints nested in a property shape")
        path_node = self.g.value(prop, SH.path)
        path = path_text(self.g, path_node)
        common = {
            "shape": str(owner),
            "source_shape": prop,
            "path": path,
            "path_node": path_node,
            "messages": self.messages(prop),
            "severity": self.severity(prop),
            "templated": False,
        }

        def check(
            param: Node,
            body: str,
            value: bool,
            tail: str = "",
            condition: str = "",
            focused: bool = False,
        ) -> Check:
            """*focused*: *body* already holds only focus nodes (a subquery joined with the
            targets), so joining the targets again would change nothing but the time."""
            head = "SELECT ?this ?value" if value else "SELECT ?this"
            where = body if focused else f"{targets} {body}"
            return Check(
                query=f"{prologue}\n{head} WHERE {{ {where} }}{tail}",
                constraint=str(SH[_COMPONENT[param]]),
                value_is_focus=False,
                condition=condition,
                **common,  # type: ignore[arg-type]
            )

        for param in (SH.minCount, SH.hasValue, SH.qualifiedMinCount, SH.qualifiedMaxCount):
            if self.g.value(prop, param) is not None:
                ok = self.count_condition(prop, param, path, "?this")
                yield check(param, f"FILTER (!({ok}))", value=False, condition=ok)
        if (most := self.g.value(prop, SH.maxCount)) is not None and int(most) <= 1:
            # "no two distinct values" as EXISTS: cheaper than grouping at 1M triples, and
            # it joins the node shape's other focus-level checks in one query (run.merged)
            ok = self.count_condition(prop, SH.maxCount, path, "?this")
            yield check(SH.maxCount, f"FILTER (!({ok}))", value=False, condition=ok)
        elif most is not None:
            # grouped rather than EXISTS: one pass over the values of every focus node
            tail = f" GROUP BY ?this HAVING (COUNT(DISTINCT ?_any) > {int(most)})"
            yield check(
                SH.maxCount, f"{self.triples('?this', path, '?_any')} .", value=False, tail=tail
            )
        if self.g.value(prop, SH.uniqueLang) == Literal(True):
            a, b = self.var(), self.var()
            body = (
                f"{{ SELECT DISTINCT ?this (LCASE(LANG({a})) AS ?_lang) WHERE {{ {targets} "
                f"{self.triples('?this', path, a)} . {self.triples('?this', path, b)} "
                f"FILTER (!sameTerm({a}, {b}) && "
                f'LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b}))) }} }}'
            )
            yield check(SH.uniqueLang, body, value=False, focused=True)
        for other in self.g.objects(prop, SH.disjoint):
            body = f"{self.triples('?this', path, '?value')} . ?this {self.term(other)} ?value ."
            yield check(SH.disjoint, body, value=True)
        for param, operator in ((SH.lessThanOrEquals, "<="), (SH.lessThan, "<")):
            for other in self.g.objects(prop, param):
                w = self.var()
                body = (
                    f"{self.triples('?this', path, '?value')} . ?this {self.term(other)} {w} "
                    f"FILTER (!COALESCE(?value {operator} {w}, false))"
                )
                yield check(param, body, value=True)
        for param in self.value_params(prop):
            if param == SH.hasValue:
                continue  # a count: checked above
            condition = self.value_condition(prop, param, "?value")
            step = self.triples("?this", path, "?value")
            values = f"{{ SELECT DISTINCT ?this ?value WHERE {{ {targets} {step} }} }}"
            body = f"{values} FILTER (!({condition}))"
            yield check(param, body, value=True, condition=condition, focused=True)

    def sparql_check(
        self,
        shape: Node,
        constraint: Node,
        targets: str,
        prologue: str,
        messages: tuple[str, ...],
        severity: str,
    ) -> Check:
        select = str(self.g.value(constraint, SH.select))
        own = tuple(sorted(str(m) for m in self.g.objects(constraint, SH.message)))
        prologue = "\n".join(p for p in (prologue, self.prologue(constraint)) if p)
        query = f"{prologue}\nSELECT DISTINCT * WHERE {{ {targets} {{ {select} }} }}"
        return Check(
            query=query,
            shape=str(shape),
            source_shape=shape,
            path="",
            path_node=None,
            messages=messages + tuple(m for m in own if m not in messages),
            severity=severity,
            constraint=str(SH.SPARQLConstraintComponent),
            value_is_focus=True,
            templated=True,
        )

    # --- conditions ----------------------------------------------------------------------

    def value_params(self, shape: Node) -> list[Node]:
        """The value-level parameters *shape* has (one check each), in a stable order."""
        return [p for p in _COMPONENT if p in _VALUE_PARAMS and self.g.value(shape, p) is not None]

    def conforms(self, shape: Node, v: str) -> str:
        """A SPARQL expression: the node *v* conforms to the (nested) *shape*."""
        self.refuse_unknown(shape, node_shape=self.g.value(shape, SH.path) is None)
        parts = [self.value_condition(shape, p, v) for p in self.value_params(shape)]
        path_node = self.g.value(shape, SH.path)
        if path_node is not None:
            parts = []  # value constraints of a property shape apply to its values
            path = path_text(self.g, path_node)
            for param in (
                SH.minCount, SH.maxCount, SH.hasValue, SH.qualifiedMinCount, SH.qualifiedMaxCount
            ):  # fmt: skip
                if self.g.value(shape, param) is not None:
                    parts.append(self.count_condition(shape, param, path, v))
            values = [
                self.value_condition(shape, p, "?_x")
                for p in self.value_params(shape)
                if p != SH.hasValue  # a count: checked above
            ]
            if values:
                x = self.var()
                joined = " && ".join(values).replace("?_x", x)
                parts.append(f"NOT EXISTS {{ {self.triples(v, path, x)} FILTER (!({joined})) }}")
            if self.g.value(shape, SH.uniqueLang) == Literal(True):
                a, b = self.var(), self.var()
                parts.append(
                    f"NOT EXISTS {{ {self.triples(v, path, a)} . {self.triples(v, path, b)} "
                    f"FILTER (!sameTerm({a}, {b}) "
                    f'&& LANG({a}) != "" && LCASE(LANG({a})) = LCASE(LANG({b}))) }}'
                )
            for other in self.g.objects(shape, SH.disjoint):
                x = self.var()
                parts.append(
                    f"NOT EXISTS {{ {self.triples(v, path, x)} . {v} {self.term(other)} {x} }}"
                )
        for prop in self.g.objects(shape, SH.property):
            parts.append(self.conforms(prop, v))
        return "(" + (" && ".join(parts) or "true") + ")"

    def count_condition(self, shape: Node, param: Node, path: str, v: str) -> str:
        """minCount, maxCount, hasValue, qualified counts of the values of *path* from *v*."""
        if param == SH.hasValue:
            return (
                f"EXISTS {{ {self.triples(v, path, self.term(self.g.value(shape, SH.hasValue)))} }}"
            )
        if param in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
            qualified = self.g.value(shape, SH.qualifiedValueShape)
            if qualified is None:
                raise UnsupportedShape(f"{shape}: a qualified count without its shape")
            count = int(self.g.value(shape, param))
            at_least = self.at_least(v, path, count if param == SH.qualifiedMinCount else count + 1,
                                     lambda x: self.conforms(qualified, x))  # fmt: skip
            return at_least if param == SH.qualifiedMinCount else f"!{at_least}"
        count = int(self.g.value(shape, param))
        if param == SH.minCount:
            return self.at_least(v, path, count)
        return f"!{self.at_least(v, path, count + 1)}"

    def at_least(self, v: str, path: str, n: int, condition=None) -> str:  # noqa: ANN001
        """At least *n* distinct values of *path* from *v* (meeting *condition*)."""
        if n <= 0:
            return "true"
        if n == 1 and condition is None:
            return f"EXISTS {{ {self.nested(v, path)} }}"
        xs = [self.var() for _ in range(n)]
        triples = " . ".join(self.triples(v, path, x) for x in xs)
        tests = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(xs, 2)]
        if condition is not None:
            tests += [condition(x) for x in xs]
        where = f" FILTER ({' && '.join(tests)})" if tests else ""
        return f"EXISTS {{ {triples}{where} }}"

    def value_condition(self, shape: Node, param: Node, v: str) -> str:
        """A SPARQL expression: the value node *v* meets *shape*'s constraint *param*."""
        g = self.g
        value = g.value(shape, param)
        if param == SH["class"]:
            tests = [
                f"EXISTS {{ {v} {TYPE_PATH} {self.term(c)} }}" for c in g.objects(shape, param)
            ]
            return " && ".join(tests)
        if param == SH.datatype:
            test = f"(isLiteral({v}) && DATATYPE({v}) = {self.term(value)}"
            if value in _CASTABLE:
                test += f" && COALESCE(isLiteral({self.term(value)}({v})), false)"
            return test + ")"
        if param == SH.nodeKind:
            return _NODE_KINDS[value].format(v=v)
        if param == SH.pattern:
            flags = g.value(shape, SH.flags)
            extra = f", {_string(str(flags))}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {_string(str(value))}{extra}))"
        if param == SH.minLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(value)})"
        if param == SH.maxLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(value)})"
        if param == SH.languageIn:
            tags = " || ".join(
                f"langMatches(LANG({v}), {_string(str(t))})" for t in Collection(g, value)
            )
            return f"(isLiteral({v}) && ({tags or 'false'}))"
        if param == SH["in"]:
            members = " || ".join(f"sameTerm({v}, {self.term(m)})" for m in Collection(g, value))
            return f"({members or 'false'})"
        if param in _COMPARISONS:
            return f"COALESCE({v} {_COMPARISONS[param]} {self.term(value)}, false)"
        if param == SH.hasValue:
            return f"sameTerm({v}, {self.term(value)})"
        if param == SH.node:
            return " && ".join(self.conforms(n, v) for n in g.objects(shape, param))
        if param == SH["not"]:
            return " && ".join(f"!{self.conforms(n, v)}" for n in g.objects(shape, param))
        members = list(Collection(g, value))
        if param == SH["or"]:
            return "(" + (" || ".join(self.conforms(m, v) for m in members) or "false") + ")"
        if param == SH["and"]:
            return "(" + (" && ".join(self.conforms(m, v) for m in members) or "true") + ")"
        if param == SH.xone:
            counted = " + ".join(f"IF({self.conforms(m, v)}, 1, 0)" for m in members)
            return f"(({counted or '0'}) = 1)"
        raise UnsupportedShape(f"{shape}: {param} is not supported")

    # --- what the results say ------------------------------------------------------------

    def messages(self, shape: Node) -> tuple[str, ...]:
        return tuple(sorted(str(m) for m in self.g.objects(shape, SH.message)))

    def severity(self, shape: Node) -> str:
        severity = self.g.value(shape, SH.severity)
        return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"

    def refuse_unknown(self, shape: Node, node_shape: bool) -> None:
        known = _VALUE_PARAMS | _DESCRIPTIVE | {SH.prefixes}
        if not node_shape or self.g.value(shape, SH.path) is not None:
            known |= _PROPERTY_PARAMS
        shacl = str(SH)
        for predicate in set(self.g.predicates(shape, None)):
            if str(predicate).startswith(shacl) and predicate not in known:
                raise UnsupportedShape(f"{shape}: {predicate} is not supported by the SPARQL gate")


def _steps(path: str) -> list[str]:
    """The IRIs of a sequence path ``<a>/<b>/…``; a single step for any other path."""
    steps = _IRI_STEP.findall(path)
    return steps if len(steps) > 1 and "/".join(steps) == path else [path]


def _string(text: str) -> str:
    """*text* as a SPARQL string literal."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'
