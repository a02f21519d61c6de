"""The failures dealgraph expects, each with one clear sentence and the exit code the CLI uses.

Exit codes follow the command-line contract (design.md §3): 1 for data that breaks the
shapes, 2 for input that cannot be used at all (syntax errors, an inconsistent ontology,
missing folders, a missing store).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .validate import ValidationReport

EXIT_VIOLATIONS = 1
EXIT_UNUSABLE = 2


class DealgraphError(Exception):
    """An expected failure: its message is meant for the user, without a traceback."""

    exit_code = EXIT_UNUSABLE


class SourceError(DealgraphError):
    """A source file or folder cannot be read or parsed (message names file and line)."""


class InconsistentOntologyError(DealgraphError):
    """The reasoner proved ontology + data inconsistent, or found unsatisfiable classes."""

    def __init__(self, message: str, suspects: list[str] | None = None) -> None:
        super().__init__(message)
        self.suspects = list(suspects or [])


class ReasonerError(DealgraphError):
    """The reasoner could not run to the end (a Java failure, not a verdict on the data)."""


class ValidationFailed(DealgraphError):
    """The data does not conform to the shapes; carries the report. Nothing was published."""

    exit_code = EXIT_VIOLATIONS

    def __init__(self, report: ValidationReport) -> None:
        count = len(report.violations)
        super().__init__(f"the data breaks the shapes ({count} violation{'s' * (count != 1)})")
        self.report = report
