"""A miniature dealgraph project to copy into a temporary folder, and broken sources for it."""

from __future__ import annotations

import shutil
from pathlib import Path

from dealgraph.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"

RIGHT_WITHOUT_EXPIRY = """\
@prefix dg: <https://w3id.org/dealgraph/ontology#> .
@prefix right: <https://w3id.org/dealgraph/id/right/> .
@prefix company: <https://w3id.org/dealgraph/id/company/> .

right:openai-orphan a dg:Right .
company:openai dg:holds right:openai-orphan .
"""

WIKIDATA_LABEL = (
    "<http://www.wikidata.org/entity/Q2283> "
    '<http://www.w3.org/2000/01/rdf-schema#label> "Microsoft"@en .\n'
)

BOTH_COMPANY_AND_RIGHT = """\
@prefix dg: <https://w3id.org/dealgraph/ontology#> .
@prefix company: <https://w3id.org/dealgraph/id/company/> .

company:openai a dg:Right .
"""


# A date trigger whose date breaks a Warning-level shape only: reported, not a failure.
WARNING_ONLY = (
    "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    '<https://w3id.org/dealgraph/id/trigger/end-2032> dg:date "2033-01-01"^^xsd:date .\n'
)


def copy_project(destination: Path, source: Path = MINI) -> Settings:
    """Copy a fixture project to *destination*/project; settings with a store beside it."""
    root = destination / "project"
    shutil.copytree(source, root)
    return Settings.create(root, destination / "store")


def write(settings: Settings, relative: str, text: str | bytes) -> Path:
    """Write one source file of the project (creating folders)."""
    path = settings.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
