"""Format a validation report for people (text) and for machines (turtle, json, junit)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from .namespaces import PREFIXES
from .validate import ValidationReport, ViolationResult

FORMATS = ("text", "turtle", "json", "junit")

DEFAULT_PREFIXES = PREFIXES


def format_report(report: ValidationReport, fmt: str = "text") -> str:
    """The report as ``text``, ``turtle`` (the sh:ValidationReport), ``json`` or ``junit``."""
    formatters = {"text": _text, "turtle": _turtle, "json": _json, "junit": _junit}
    if fmt not in formatters:
        raise ValueError(f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return formatters[fmt](report)


def prefixes_of(report: ValidationReport) -> dict[str, str]:
    """Prefixes to shorten IRIs with: the defaults plus those the shapes declare."""
    found = dict(DEFAULT_PREFIXES)
    for prefix, namespace in report.graph.namespace_manager.namespaces():
        if prefix and str(namespace) not in found.values():
            found[prefix] = str(namespace)
    return found


def compact(text: str, prefixes: dict[str, str]) -> str:
    """``dg:Right`` for a full IRI under a known namespace; IRIs in ``<…>`` inside a path too."""
    if "<" in text:  # a property path: shorten each IRI, keep <…> where no prefix fits
        return re.sub(r"<([^<>]*)>", lambda m: _compact_iri(m.group(1), prefixes, m.group(0)), text)
    return _compact_iri(text, prefixes, text)


def _compact_iri(iri: str, prefixes: dict[str, str], fallback: str) -> str:
    best = max(
        ((p, ns) for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else fallback


def _text(report: ValidationReport) -> str:
    prefixes = prefixes_of(report)
    lines: list[str] = []
    for result in report.results:
        lines.append(f"{result.severity}: {compact(result.focus_node, prefixes)}")
        lines.append(f"  shape:   {compact(result.shape, prefixes)}")
        if result.path:
            lines.append(f"  path:    {compact(result.path, prefixes)}")
        lines.append(f"  message: {result.message}")
        if result.value is not None:
            lines.append(f"  value:   {compact(result.value, prefixes)}")
        lines.append(f"  defined in: {', '.join(result.files) or '(no data file)'}")
        lines.append("")
    violations, warnings = len(report.violations), len(report.warnings)
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(
        f"The data {verdict} to the shapes: {violations} violation{'s' * (violations != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)} ({len(report.shapes)} shapes checked)."
    )
    return "\n".join(lines) + "\n"


def _turtle(report: ValidationReport) -> str:
    return report.graph.serialize(format="turtle")


def _json(report: ValidationReport) -> str:
    document = {
        "conforms": report.conforms,
        "violations": [_json_result(r) for r in report.violations],
        "warnings": [_json_result(r) for r in report.warnings],
        "shapes": report.shapes,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _json_result(result: ViolationResult) -> dict[str, object]:
    return {
        "focus_node": result.focus_node,
        "shape": result.shape,
        "path": result.path,
        "message": result.message,
        "severity": result.severity,
        "value": result.value,
        "files": result.files,
    }


def _junit(report: ValidationReport) -> str:
    """JUnit XML: a testcase per (shape, focus node) with results, one per clean shape."""
    prefixes = prefixes_of(report)
    by_case: dict[tuple[str, str], list[ViolationResult]] = defaultdict(list)
    for result in report.results:
        by_case[(result.shape, result.focus_node)].append(result)
    suite = ET.Element("testsuite", name="dealgraph.shacl")
    failures = 0
    for (shape, focus), results in sorted(by_case.items()):
        case = ET.SubElement(
            suite,
            "testcase",
            classname=compact(shape, prefixes),
            name=compact(focus, prefixes),
            file=(results[0].files or [""])[0],
        )
        problems = [r for r in results if r.severity == "Violation"]
        details = "\n".join(
            f"{r.severity}: {compact(r.path, prefixes) or '(node)'}: {r.message}" for r in results
        )
        if problems:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=problems[0].message, type="sh:Violation"
            )
            failure.text = details
        else:
            ET.SubElement(case, "system-out").text = details
    failing_shapes = {shape for shape, _ in by_case}
    for shape in report.shapes:
        if shape not in failing_shapes:
            ET.SubElement(suite, "testcase", classname=compact(shape, prefixes), name="all")
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("time", f"{report.seconds:.3f}")
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
