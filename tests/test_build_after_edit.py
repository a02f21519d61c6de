"""A build after an edit of the facts applies it to the last build and equals a full build.

Each case edits a copy of a project that has a published build, then builds it twice: the
default way (the edit applied to the last build, :mod:`dealgraph.delta`) and with
``full=True`` into another store. Both must publish the same graphs, or refuse the edit with
the same violations or the same error.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from project_support import REPO_ROOT, WIKIDATA_LABEL
from rdflib import Graph, Literal, URIRef
from synthetic_support import synthetic_module
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.delta.index import INDEX_FILE, SubjectIndex
from dealgraph.delta.state import COPIES_FOLDER, STATE_FILE, BuildState
from dealgraph.errors import InconsistentOntologyError, SourceError, ValidationFailed
from dealgraph.pipeline import build, ensure_built
from dealgraph.settings import Settings
from dealgraph.store import BuildInfo, current_build, open_published

DG = "https://w3id.org/dealgraph/ontology#"
ID = "https://w3id.org/dealgraph/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OA_EXACT = "http://www.w3.org/ns/oa#exact"
FACT_FILES = ["data/agreements.ttl", "data/rights.ttl", "data/triggers.ttl", "data/events.ttl",
              "data/evidence.ttl", "data/entities.ttl"]  # fmt: skip


@pytest.fixture(scope="module")
def shipped_base(tmp_path_factory: pytest.TempPathFactory, articles: Path) -> Path:
    """The shipped sources with a published build, to be copied by each case."""
    base = tmp_path_factory.mktemp("edit-base")
    for part in ("ontology", "data", "shapes"):
        shutil.copytree(REPO_ROOT / part, base / "project" / part)
    build(_settings(base, articles), full=True)
    return base


@pytest.fixture(scope="module")
def synthetic_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated deal graph beside the shipped data (N-Triples), with a published build."""
    base = tmp_path_factory.mktemp("edit-synthetic")
    synthetic_module().make_project(base / "project", 2500, seed=5)
    build(_settings(base, base / "project" / "texts"), full=True)
    return base


def _settings(folder: Path, articles: Path, store: str = "store") -> Settings:
    return Settings.create(folder / "project", folder / store, articles_dir=articles)


def _copy(base: Path, tmp_path: Path) -> Path:
    for part in ("project", "store"):
        shutil.copytree(base / part, tmp_path / part, symlinks=True)
    return tmp_path


def _outcome(settings: Settings, full: bool) -> tuple:
    """What a build publishes (its graphs), or how it refuses (its results or message)."""
    try:
        info = build(settings, full=full)
    except ValidationFailed as error:
        found = error.report.results
        return ("refused", [(r.focus_node, r.shape, r.path, r.message, r.files) for r in found])
    except (InconsistentOntologyError, SourceError) as error:  # what an edit can cause
        return ("error", type(error).__name__, str(error))
    store, _ = open_published(settings.store_dir)
    graphs: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        # Blank node ids differ from build to build: the ontology's are compared by shape.
        terms = ["_" if isinstance(t, ox.BlankNode) else str(t) for t in quad.triple]
        graphs.setdefault(quad.graph_name.value, set()).add(" ".join(terms))
    del store
    return ("published", graphs, {k: v for k, v in info.triples.items()})


def _both(folder: Path, articles: Path) -> tuple[tuple, tuple, BuildInfo | None]:
    """The outcome of a build after the edit, then of a full build of the same sources."""
    settings = _settings(folder, articles)
    last = current_build(settings.store_dir)
    applied = _outcome(settings, full=False)
    now = current_build(settings.store_dir)
    info = BuildInfo.from_file(now / "build.json") if now != last and now else None
    full = _outcome(_settings(folder, articles, "full-store"), full=True)
    return applied, full, info


def _edits(project: Path, seed: int, files: list[str]) -> list[tuple[str, str, tuple]]:
    """Seeded one-fact edits: a fact removed from its file, a fact between existing terms
    added to a file, a node given another type."""
    rng = random.Random(seed)
    edits = []
    for i in range(len(files) * 2):
        rel = files[i % len(files)]
        graph = Graph().parse(project / rel)
        facts = sorted(graph, key=str)
        kind = ("remove", "add", "type")[i % 3]
        if kind == "remove":
            edits.append((rel, kind, rng.choice(facts)))
        elif kind == "add":
            s, p, o = rng.choice(facts)[0], rng.choice(facts)[1], rng.choice(facts)[2]
            edits.append((rel, kind, (s, p, o)))
        else:
            classes = sorted({o for _s, p, o in facts if str(p) == RDF_TYPE}, key=str)
            node = rng.choice(sorted({s for s, _p, _o in facts}, key=str))
            edits.append((rel, kind, (node, URIRef(RDF_TYPE), rng.choice(classes))))
    return edits


def _apply_edit(project: Path, rel: str, kind: str, triple: tuple) -> None:
    """Rewrite the file *rel* with *triple* removed or added (the whole file re-serialised,
    as an editor's reformatting would)."""
    path = project / rel
    graph = Graph().parse(path)
    if kind == "remove":
        graph.remove(triple)
    else:
        graph.add(triple)
    fmt = "nt" if path.suffix == ".nt" else "turtle"
    path.write_bytes(graph.serialize(format=fmt, encoding="utf-8"))


@pytest.mark.parametrize("case", range(12))
def test_build_after_an_edit_of_the_shipped_facts_equals_a_full_build(
    case: int, shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    rel, kind, triple = _edits(folder / "project", 11, FACT_FILES)[case]
    _apply_edit(folder / "project", rel, kind, triple)
    applied, full, info = _both(folder, articles)
    assert applied == full, f"{kind} {triple} in {rel}"
    if applied[0] == "published":
        assert info is not None and info.based_on == current_build_name(shipped_base)


@pytest.mark.parametrize("case", range(8))
def test_build_after_an_edit_of_a_generated_graph_equals_a_full_build(
    case: int, synthetic_base: Path, tmp_path: Path
) -> None:
    folder = _copy(synthetic_base, tmp_path)
    texts = folder / "project" / "texts"
    rel, kind, triple = _edits(folder / "project", 7, ["data/synthetic.nt"] * 8)[case]
    _apply_edit(folder / "project", rel, kind, triple)
    applied, full, info = _both(folder, texts)
    assert applied == full, f"{kind} {triple} in {rel}"
    if applied[0] == "published":
        assert info is not None and info.based_on


def current_build_name(base: Path) -> str:
    found = current_build(base / "store")
    assert found is not None
    return found.name


def test_fact_removed_from_one_file_but_stated_in_another_stays(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    project = folder / "project"
    label = (URIRef(ID + "company/microsoft"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
             Literal("Microsoft", lang="en"))  # fmt: skip
    assert label in Graph().parse(project / "data/entities.ttl")
    (project / "data/extra.ttl").write_text(
        f"<{label[0]}> <{label[1]}> \"Microsoft\"@en .\n", encoding="utf-8"
    )
    build(_settings(folder, articles))
    _apply_edit(project, "data/entities.ttl", "remove", label)
    applied, full, info = _both(folder, articles)
    assert applied == full
    assert info is not None and info.based_on
    asserted = applied[1]["https://w3id.org/dealgraph/graph/asserted"]
    assert f"<{label[0]}> <{label[1]}> \"Microsoft\"@en" in asserted


def test_new_and_deleted_fact_files_are_applied(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    project = folder / "project"
    (project / "data/finance").mkdir()
    shutil.move(project / "data/money.ttl", project / "data/finance/money.ttl")  # a new path
    applied, full, info = _both(folder, articles)
    assert applied == full and applied[0] == "published"
    assert info is not None and info.based_on
    (project / "data/finance/money.ttl").unlink()
    applied, full, _ = _both(folder, articles)
    assert applied == full and applied[0] == "refused"  # stakes and money cited elsewhere


def test_edit_that_breaks_a_shape_is_refused_and_nothing_is_published(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    project = folder / "project"
    right = URIRef(ID + "right/microsoft-exclusive-cloud-provider")
    expiry = URIRef(DG + "expiryCondition")
    graph = Graph().parse(project / "data/rights.ttl")
    _apply_edit(project, "data/rights.ttl", "remove", (right, expiry, graph.value(right, expiry)))
    before = current_build(folder / "store")
    applied, full, info = _both(folder, articles)
    assert applied == full and applied[0] == "refused"
    assert info is None and current_build(folder / "store") == before
    assert [r[0] for r in applied[1]] == [str(right)]
    assert applied[1][0][3] == (
        "A right needs exactly one expiry condition (dg:expiryCondition): say when it ends, "
        "or use a dg:OpenEndedTrigger when the sources give no end."
    )


def test_quote_edited_away_from_its_article_is_refused(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    project = folder / "project"
    graph = Graph().parse(project / "data/evidence.ttl")
    evidence, quote = sorted(graph.subject_objects(URIRef(OA_EXACT)))[0]
    _apply_edit(project, "data/evidence.ttl", "remove", (evidence, URIRef(OA_EXACT), quote))
    edited = Literal(str(quote) + " (sic)", lang=quote.language)
    _apply_edit(project, "data/evidence.ttl", "add", (evidence, URIRef(OA_EXACT), edited))
    applied, full, info = _both(folder, articles)
    assert applied == full and applied[0] == "refused"
    assert [(r[0], r[1]) for r in applied[1]] == [
        (str(evidence), "https://w3id.org/dealgraph/shapes#VerbatimQuoteCheck")
    ]


RDFS = "http://www.w3.org/2000/01/rdf-schema#"


@pytest.mark.parametrize(
    ("rel", "text", "reason"),
    [
        ("ontology/dealgraph.ttl", "\n# edited\n",
         "ontology/dealgraph.ttl changed: the ontology, shapes and Wikidata snapshot rebuild all"),
        ("shapes/dealgraph-shapes.ttl", "\n# edited\n",
         "shapes/dealgraph-shapes.ttl changed: the ontology, shapes and Wikidata snapshot "
         "rebuild all"),
        ("data/wikidata/snapshot.nt", WIKIDATA_LABEL,
         "data/wikidata/snapshot.nt changed: the ontology, shapes and Wikidata snapshot "
         "rebuild all"),
        ("data/blank.ttl", f'<{ID}company/openai> <{RDFS}seeAlso> [ <{RDFS}label> "x"@en ] .\n',
         "data/blank.ttl has blank nodes or named graphs (it is rebuilt with everything)"),
        ("data/axiom.ttl", f"<{ID}company/openai> <{RDFS}subClassOf> <{DG}Company> .\n",
         "a change in data/axiom.ttl reaches the ontology's terms or axioms"),
    ],
)  # fmt: skip
def test_edit_the_last_build_cannot_carry_is_built_in_full(
    rel: str, text: str, reason: str, shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    path = folder / "project" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    notes: list[str] = []
    info = build(_settings(folder, articles), note=notes.append)
    assert notes == [f"building everything: {reason}"]
    assert info.based_on == ""


def test_changed_source_texts_build_everything(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    texts = shutil.copytree(articles, tmp_path / "texts")  # edited by the test, not the shared
    notes: list[str] = []
    info = build(_settings(folder, texts), note=notes.append)
    assert notes == []  # the same texts elsewhere: nothing to prove again
    (texts / sorted(p.name for p in texts.iterdir())[0]).open("a").write("\n")
    info = build(_settings(folder, texts), note=notes.append)
    assert notes == ["building everything: the source texts changed (every quote is proven again)"]
    assert info.based_on == ""


def test_unchanged_fact_files_share_the_last_builds_copy(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    last = current_build(folder / "store")
    assert last is not None
    (folder / "project/data/events.ttl").open("a").write("\n# a comment\n")
    info = build(_settings(folder, articles))
    new = folder / "store" / "builds" / info.build_id / COPIES_FOLDER
    assert (new / "data/rights.ttl").stat().st_ino == (
        last / COPIES_FOLDER / "data/rights.ttl"
    ).stat().st_ino
    assert (new / "data/events.ttl").read_text(encoding="utf-8").endswith("# a comment\n")
    assert (new / "data/events.ttl").stat().st_ino != (
        last / COPIES_FOLDER / "data/events.ttl"
    ).stat().st_ino
    index = SubjectIndex(new.parent / INDEX_FILE)
    assert index.defined_in()[ID + "right/microsoft-exclusive-cloud-provider"] == [
        "data/rights.ttl"
    ]
    index.close()


def test_cli_build_names_the_build_it_was_made_from(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    settings = _settings(folder, articles)
    last = current_build(settings.store_dir)
    assert last is not None
    (settings.root / "data/events.ttl").open("a").write("\n# a comment\n")
    options = ["--root", str(settings.root), "--store", str(settings.store_dir),
               "--sources", str(articles)]  # fmt: skip
    result = CliRunner().invoke(app, ["build", *options])
    assert result.exit_code == 0, result.output
    assert f"  made from build {last.name} and the facts edited since\n" in result.stdout
    result = CliRunner().invoke(app, ["build", "--full", *options])
    assert result.exit_code == 0, result.output
    assert "made from build" not in result.stdout


def test_a_full_build_and_an_applied_edit_record_the_same_index(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    project = folder / "project"
    typed = (URIRef(ID + "company/openai"), URIRef(RDF_TYPE), URIRef(DG + "Company"))
    _apply_edit(project, "data/events.ttl", "add", typed)
    applied = build(_settings(folder, articles))
    full = build(replace(_settings(folder, articles), store_dir=folder / "full"), full=True)
    rows = []
    for store, info in ((folder / "store", applied), (folder / "full", full)):
        index = SubjectIndex(store / "builds" / info.build_id / INDEX_FILE)
        defined, lines = index.defined_in(), index.lines()
        named = [s for s in defined if ":" in s]  # the ontology's blank nodes differ by id
        rows.append(({s: defined[s] for s in named}, {s: lines[s] for s in lines}))
        index.close()
    assert rows[0] == rows[1]
    assert rows[0][0][ID + "company/openai"] == ["data/entities.ttl", "data/events.ttl"]


def _appended(base: Path, tmp_path: Path, lines: list[str]) -> tuple[Path, int]:
    """A copy of the generated project with *lines* appended to its N-Triples file; the
    number of lines the file had."""
    folder = _copy(base, tmp_path)
    path = folder / "project" / "data" / "synthetic.nt"
    count = path.read_text(encoding="utf-8").count("\n")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(f"{line}\n" for line in lines))
    return folder, count


def test_lines_appended_to_an_n_triples_file_are_applied(
    synthetic_base: Path, tmp_path: Path
) -> None:
    # a new subject, and a known one typed
    folder, lines = _appended(synthetic_base, tmp_path, [
        f'<{ID}right/syn-new> <http://www.w3.org/2000/01/rdf-schema#comment> "new" .',
        f"<{ID}company/syn-1> <{RDF_TYPE}> <{DG}Company> .",
    ])  # fmt: skip
    applied, full, info = _both(folder, folder / "project" / "texts")
    assert applied == full and applied[0] == "published"
    assert info is not None and info.based_on
    index = SubjectIndex(folder / "store" / "builds" / info.build_id / INDEX_FILE)
    assert index.lines()[ID + "right/syn-new"] == {"data/synthetic.nt": lines + 1}
    assert index.lines()[ID + "company/syn-1"] == {"data/synthetic.nt": 1}
    index.close()


def test_appended_line_that_does_not_parse_is_named_with_its_line(
    synthetic_base: Path, tmp_path: Path
) -> None:
    folder, lines = _appended(synthetic_base, tmp_path, [f"<{ID}right/syn-new> <{DG}scope> ."])
    applied, full, _ = _both(folder, folder / "project" / "texts")
    assert applied == full
    assert applied[:2] == ("error", "SourceError")
    assert applied[2].startswith(f"data/synthetic.nt:{lines + 1}:")


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (
            lambda build: (build / COPIES_FOLDER / "data/events.ttl").unlink(),
            "No such file or directory",
        ),
        (lambda build: (build / INDEX_FILE).write_bytes(b"not a database" * 100), "DatabaseError"),
        (lambda build: (build / "classified.nt").write_text("<a> <b"), "SyntaxError"),
    ],
)
def test_damaged_record_of_the_last_build_means_a_full_build(
    damage, reason: str, shipped_base: Path, articles: Path, tmp_path: Path  # noqa: ANN001
) -> None:
    folder = _copy(shipped_base, tmp_path)
    last = current_build(folder / "store")
    assert last is not None
    damage(last)
    (folder / "project/data/events.ttl").open("a").write("\n# a comment\n")
    notes: list[str] = []
    info = build(_settings(folder, articles), note=notes.append)
    assert notes == [
        f"building everything: what build {last.name} kept for the next build cannot be read "
        f"({reason})"
    ]
    assert info.based_on == ""


def test_serving_after_an_article_edit_builds_again(
    shipped_base: Path, articles: Path, tmp_path: Path
) -> None:
    folder = _copy(shipped_base, tmp_path)
    texts = shutil.copytree(articles, tmp_path / "texts")  # edited by the test, not the shared
    current = current_build(folder / "store")
    assert current is not None
    assert ensure_built(_settings(folder, texts)).build_id == current.name  # same texts
    (texts / sorted(p.name for p in texts.iterdir())[0]).open("a").write("\n")
    rebuilt = ensure_built(_settings(folder, texts))
    assert rebuilt.build_id != current.name and rebuilt.based_on == ""


def _link_out(project: Path) -> None:
    outside = project.parent / "outside.ttl"
    outside.write_text(f'<{ID}company/openai> <{RDFS}label> "x"@en .\n', encoding="utf-8")
    (project / "data" / "linked.ttl").symlink_to(outside)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_link_out,
         "data/linked.ttl: refused, it is a symbolic link to a file outside the project; copy "
         "the file into the project instead"),
        (lambda p: (p / "data/events.ttl").write_bytes(b"\x00\x01binary"),
         "data/events.ttl: binary file (it holds NUL bytes), not RDF text"),
        (lambda p: (p / "data/broken.ttl").write_text("<https://e.org/a> <https://e.org/b> .\n"),
         "data/broken.ttl:1:37: Turtle syntax error: . is not a valid RDF object"),
        (lambda p: (p / "data/graph.trig").write_text(
            "<https://w3id.org/dealgraph/graph/asserted> { <https://example.org/a> "
            "<https://example.org/b> <https://example.org/c> . }\n"),
         "data/graph.trig:1: the named graph <https://w3id.org/dealgraph/graph/asserted> is "
         "reserved for what dealgraph builds; give the data its own graph IRI (or none)"),
    ],
)  # fmt: skip
def test_unusable_edit_is_refused_as_a_full_build_refuses_it(
    edit, message: str, shipped_base: Path, articles: Path, tmp_path: Path  # noqa: ANN001
) -> None:
    folder = _copy(shipped_base, tmp_path)
    before = current_build(folder / "store")
    edit(folder / "project")
    applied, full, info = _both(folder, articles)
    assert applied == full == ("error", "SourceError", message)
    assert info is None and current_build(folder / "store") == before


def test_a_copy_that_differs_from_its_digest_leaves_no_record(tmp_path: Path) -> None:
    (tmp_path / "project" / "data").mkdir(parents=True)
    (tmp_path / "project" / "data" / "facts.ttl").write_text("# edited during the build\n")
    record = BuildState(files={"data/facts.ttl": "0" * 64}, facts=["data/facts.ttl"], articles="")
    build_folder = tmp_path / "build"
    build_folder.mkdir()
    assert record.save(build_folder, tmp_path / "project") is False
    assert not (build_folder / STATE_FILE).exists()
    assert not (build_folder / COPIES_FOLDER).exists()
    assert BuildState.read(build_folder) is None  # the next build is a full one
