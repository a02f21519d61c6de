"""Load: sources become graphs; any unreadable file is named with its line."""

from __future__ import annotations

import pytest
from project_support import WIKIDATA_LABEL, copy_project, write
from rdflib import RDF, URIRef

from dealgraph.errors import SourceError
from dealgraph.load import load
from dealgraph.namespaces import DG, ID
from dealgraph.settings import Settings

MICROSOFT = ID["company/microsoft"]


def test_ontology_facts_and_shapes_are_loaded_into_separate_graphs(project: Settings) -> None:
    sources = load(project)
    assert (DG.Company, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in sources.ontology
    assert (MICROSOFT, RDF.type, DG.Company) in sources.data
    assert (MICROSOFT, RDF.type, DG.Company) not in sources.ontology
    assert len(sources.shapes) > 0
    assert len(sources.wikidata) == 0
    assert "data/companies.ttl" in sources.files


def test_defined_in_prefers_the_file_that_types_the_subject(project: Settings) -> None:
    write(
        project,
        "data/more.ttl",
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        '<https://w3id.org/dealgraph/id/company/microsoft> dg:name "Microsoft Corp." .\n'
        '<https://w3id.org/dealgraph/id/company/mistral> dg:name "Mistral AI" .\n',
    )
    defined_in = load(project).defined_in
    assert defined_in[str(MICROSOFT)] == ["data/companies.ttl"]
    assert defined_in[str(ID["company/mistral"])] == ["data/more.ttl"]


MALFORMED = {
    "unterminated string": (
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n\n"
        '<https://w3id.org/dealgraph/id/x> dg:name "never closed .\n'
        '<https://w3id.org/dealgraph/id/y> dg:name "y" .\n',
        3,
        "never closed",
    ),
    "missing dot": (
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        '<https://w3id.org/dealgraph/id/x> dg:name "x"\n'
        '<https://w3id.org/dealgraph/id/y> dg:name "y" .\n',
        3,
        "dot is expected",
    ),
    "undefined prefix": (
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        '<https://w3id.org/dealgraph/id/x> dg:name "x" .\n'
        "\n\n"
        'nope:y dg:name "y" .\n',
        5,
        "nope:",
    ),
    "IRI with a space": (
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "<https://w3id.org/dealgraph/id/x> dg:holds <https://w3id.org/dealgraph/id/a b> .\n",
        2,
        "IRI",
    ),
    "relative IRI": (
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "<https://w3id.org/dealgraph/id/x> dg:holds <right/a> .\n",
        2,
        "IRI",
    ),
    "slash in a prefixed name": (
        "@prefix id: <https://w3id.org/dealgraph/id/> .\n"
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "id:right/a a dg:Right .\n",
        3,
        "/",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_turtle_is_reported_with_file_and_line(project: Settings, case: str) -> None:
    text, line, fragment = MALFORMED[case]
    write(project, "data/bad.ttl", text)
    with pytest.raises(SourceError) as caught:
        load(project)
    message = str(caught.value)
    assert message.startswith(f"data/bad.ttl:{line}:"), message
    assert "Turtle syntax error" in message
    assert fragment in message or case == "unterminated string"
    assert "\n" not in message


def test_malformed_ontology_and_shapes_are_named_too(project: Settings) -> None:
    write(
        project,
        "shapes/broken.ttl",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n[ a sh:NodeShape\n",
    )
    with pytest.raises(SourceError, match=r"^shapes/broken\.ttl:\d+"):
        load(project)


def test_binary_file_is_refused_naming_it(project: Settings) -> None:
    write(project, "data/image.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SourceError, match=r"^data/image\.ttl: binary file"):
        load(project)


def test_non_utf8_file_is_refused_with_its_line(project: Settings) -> None:
    text = (
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        '<https://w3id.org/dealgraph/id/x> dg:name "café" .\n'
    )
    write(project, "data/latin1.ttl", text.encode("latin-1"))
    with pytest.raises(SourceError, match=r"^data/latin1\.ttl:2:\d+: not UTF-8"):
        load(project)


@pytest.mark.parametrize("folder", ["ontology", "data", "shapes"])
def test_missing_folder_is_a_source_error(project: Settings, folder: str) -> None:
    import shutil

    shutil.rmtree(project.root / folder)
    with pytest.raises(SourceError, match=rf"^{folder}/ is missing"):
        load(project)


def test_folder_without_rdf_files_is_a_source_error(project: Settings) -> None:
    for path in (project.root / "shapes").iterdir():
        path.unlink()
    write(project, "shapes/README.md", "no shapes yet")
    with pytest.raises(SourceError, match=r"^shapes/ holds no RDF file"):
        load(project)


def test_other_rdf_formats_are_loaded(project: Settings) -> None:
    write(
        project,
        "data/extra/one.nt",
        '<https://w3id.org/dealgraph/id/a> <https://w3id.org/dealgraph/ontology#name> "A" .\n',
    )
    write(
        project,
        "data/extra/two.trig",
        '<https://w3id.org/dealgraph/id/b> <https://w3id.org/dealgraph/ontology#name> "B" .\n'
        "<http://example.org/g> { <https://w3id.org/dealgraph/id/d> "
        '<https://w3id.org/dealgraph/ontology#name> "D" . }\n',
    )
    write(
        project,
        "data/extra/three.jsonld",
        '{"@id": "https://w3id.org/dealgraph/id/c", '
        '"https://w3id.org/dealgraph/ontology#name": "C"}\n',
    )
    sources = load(project)
    names = {str(o) for o in sources.data.objects(None, DG.name)}
    assert {"A", "B", "C"} <= names and "D" not in names  # a named graph stays apart
    assert {str(o) for o in sources.named["http://example.org/g"].objects(None, DG.name)} == {"D"}
    assert sources.defined_in[str(ID.c)] == ["data/extra/three.jsonld"]


def test_blank_nodes_of_two_files_stay_distinct(project: Settings) -> None:
    for name in ("a", "b"):
        write(
            project,
            f"data/{name}.ttl",
            f'_:x <https://w3id.org/dealgraph/ontology#name> "{name}" .\n',
        )
    sources = load(project)
    subjects = {s for s, o in sources.data.subject_objects(DG.name) if str(o) in ("a", "b")}
    assert len(subjects) == 2


def test_wikidata_snapshot_is_kept_in_its_own_graph(tmp_path) -> None:
    settings = copy_project(tmp_path)
    write(
        settings,
        "data/wikidata/snapshot.nt",
        WIKIDATA_LABEL,
    )
    sources = load(settings)
    assert len(sources.wikidata) == 1
    assert (URIRef("http://www.wikidata.org/entity/Q2283"), None, None) not in sources.data
