"""The gate proves every verbatim quote against its source text (src/dealgraph/quotes.py).

Through the real command line on copies of projects: a quote changed by one character is a
violation naming the source file and the data file and line; a missing folder of source texts
is a warning, never silence; the shipped quotes all pass; and the shapes of the real project
refuse a French quote without translation and a paraphrase whose source has no URL.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from project_support import copy_project, write
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.load import load
from dealgraph.namespaces import OA
from dealgraph.quotes import CHECK, prove_quotes, quotes_in
from dealgraph.settings import ARTICLES_ENV, Settings

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "000_1360818c7821c995.txt"
runner = CliRunner()

# Two quotes of article 000: the second has one character changed ("initiée" -> "initiee").
QUOTES_TTL = f"""\
@prefix dg: <https://w3id.org/dealgraph/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix art: <https://w3id.org/dealgraph/id/article/> .
@prefix ev: <https://w3id.org/dealgraph/id/evidence/> .

art:000 a dg:Article ; dcterms:identifier "{ARTICLE}" ; dcterms:language "fr" .

ev:right a dg:Evidence ; dcterms:source art:000 ;
    oa:exact "Microsoft détiendra une participation d’environ 27 % dans OpenAI Group PBC"@fr .
ev:changed a dg:Evidence ; dcterms:source art:000 ;
    oa:exact "leur collaboration initiee en 2019"@fr .
"""
CHANGED_LINE = 12  # the line of QUOTES_TTL where the changed quote is written
NOT_VERBATIM = (
    f"The quote (oa:exact) written at data/quotes.ttl:{CHANGED_LINE} is not verbatim in its "
    f"source text {ARTICLE}: its first 24 characters are in the text, then it differs at "
    "“ee en 2019”. Copy the words exactly as the source writes them, apostrophes, quotation "
    "marks and spaces included."
)


def validate(*args: str | Path, env: dict[str, str | None] | None = None):
    return runner.invoke(app, ["validate", *(str(a) for a in args)], env=env)


def real_project_copy(tmp_path: Path, extra: str) -> Path:
    """A copy of the shipped project with one more data file, data/extra.ttl."""
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "data" / "extra.ttl").write_text(extra, encoding="utf-8")
    return root


def test_quote_changed_by_one_character_is_refused_naming_file_and_line(
    tmp_path: Path, articles: Path
) -> None:
    settings = copy_project(tmp_path)
    path = write(settings, "data/quotes.ttl", QUOTES_TTL)
    changed = path.read_text(encoding="utf-8").splitlines()[CHANGED_LINE - 1]
    assert changed == '    oa:exact "leur collaboration initiee en 2019"@fr .'
    result = validate("--root", settings.root, "--sources", articles)
    assert result.exit_code == 1, result.output
    report = result.stdout
    assert "Violation: id:evidence/changed\n  shape:   dgsh:VerbatimQuoteCheck\n" in report
    assert f"  message: {NOT_VERBATIM}\n" in report
    assert "defined in: data/quotes.ttl" in report
    assert "id:evidence/right" not in report  # the verbatim quote passes
    assert "The data does NOT conform to the shapes: 1 violation" in report
    assert "2 verbatim quotes checked against their source texts" in result.stderr


def test_quote_violation_is_in_the_json_report_too(tmp_path: Path, articles: Path) -> None:
    settings = copy_project(tmp_path)
    write(settings, "data/quotes.ttl", QUOTES_TTL)
    result = validate("--root", settings.root, "--sources", articles, "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["conforms"] is False
    [violation] = document["violations"]
    assert violation["focus_node"] == "https://w3id.org/dealgraph/id/evidence/changed"
    assert violation["shape"] == CHECK
    assert violation["message"] == NOT_VERBATIM
    assert CHECK in document["shapes"]


def test_quote_with_escaped_quotation_marks_is_located_on_its_line(
    tmp_path: Path, articles: Path
) -> None:
    settings = copy_project(tmp_path)
    write(
        settings,
        "data/escaped.ttl",
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "<https://w3id.org/dealgraph/id/article/003> a dg:Article ;\n"
        '    dcterms:identifier "003_848ed4591a94d92d.txt" .\n'
        "<https://w3id.org/dealgraph/id/evidence/ftc> a dg:Evidence ;\n"
        "    dcterms:source <https://w3id.org/dealgraph/id/article/003> ;\n"
        "    # acquis -> acquit\n"
        "    oa:exact \"les développeurs d'IA soient "
        '\\"complètement\\" acquit par Microsoft" .\n',
    )
    result = validate("--root", settings.root, "--sources", articles)
    assert result.exit_code == 1
    assert (
        "  message: The quote (oa:exact) written at data/escaped.ttl:9 is not verbatim in its "
        "source text 003_848ed4591a94d92d.txt: its first 49 characters are in the text, then it "
        "differs at “t par Microsoft”. Copy the words exactly as the source writes them, "
        "apostrophes, quotation marks and spaces included.\n"
    ) in result.stdout


def test_source_text_missing_from_the_folder_is_refused(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(settings, "data/quotes.ttl", QUOTES_TTL)
    folder = tmp_path / "texts"
    folder.mkdir()
    result = validate("--root", settings.root, "--sources", folder)
    assert result.exit_code == 1
    assert (
        f"  message: The quote (oa:exact) written at data/quotes.ttl:{CHANGED_LINE} cannot be "
        f"proven: its source text {ARTICLE} is not in the folder of source texts "
        f"{folder.resolve()}.\n"
    ) in result.stdout


def test_missing_articles_folder_is_a_warning_not_silence(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    write(settings, "data/quotes.ttl", QUOTES_TTL)
    missing = tmp_path / "no-such-folder"
    result = validate("--root", settings.root, env={ARTICLES_ENV: str(missing)})
    assert result.exit_code == 0, result.output  # the quotes are not proven, not refused
    assert (
        "warning: the 2 verbatim quotes (oa:exact) were NOT proven against their source texts: "
        f"{missing} is missing (give the folder of source texts with --sources DIR or "
        f"{ARTICLES_ENV})\n"
    ) in result.stderr
    assert "VerbatimQuoteCheck" not in result.stdout


def test_default_folder_is_shared_articles_beside_the_project(
    tmp_path: Path, articles: Path
) -> None:
    settings = copy_project(tmp_path)  # the project is tmp_path/project
    write(settings, "data/quotes.ttl", QUOTES_TTL)
    env = {ARTICLES_ENV: None}  # unset: the default applies
    result = validate("--root", settings.root, env=env)
    assert f"{tmp_path / 'shared' / 'articles'} is missing" in result.stderr
    shutil.copytree(articles, tmp_path / "shared" / "articles")
    result = validate("--root", settings.root, env=env)
    assert result.exit_code == 1
    assert f"  message: {NOT_VERBATIM}\n" in result.stdout


def test_sources_option_naming_a_missing_folder_is_unusable_input(tmp_path: Path) -> None:
    settings = copy_project(tmp_path)
    result = validate("--root", settings.root, "--sources", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "Invalid value for '--sources'" in result.output


def test_every_shipped_quote_is_proven(articles: Path) -> None:
    settings = Settings.create(ROOT, articles_dir=articles)
    sources = load(settings)
    quotes = quotes_in(sources.facts)
    proof = prove_quotes(quotes, articles, ROOT, sources.defined_in, sources.lines)
    assert proof.skipped_reason is None
    assert [r.message for r in proof.results] == []
    assert proof.checked == len(set(sources.data.subject_objects(OA.exact))) >= 70


def test_french_quote_without_translation_is_refused(tmp_path: Path, articles: Path) -> None:
    root = real_project_copy(
        tmp_path,
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "<https://w3id.org/dealgraph/id/evidence/untranslated> a dg:Evidence ;\n"
        "    dcterms:source <https://w3id.org/dealgraph/id/article/000_1360818c7821c995> ;\n"
        '    oa:exact "leur collaboration initiée en 2019"@fr .\n',
    )
    result = validate("--root", root, "--sources", articles)
    assert result.exit_code == 1
    assert (
        "Violation: id:evidence/untranslated\n"
        "  shape:   dgsh:QuoteTranslationShape\n"
        "  message: A French quote (oa:exact) needs exactly one English translation "
        "(dg:translation, a literal tagged @en): the curators' own faithful, plain rendering "
        "of it.\n"
    ) in result.stdout
    assert "dgsh:VerbatimQuoteCheck" not in result.stdout  # the quote itself is verbatim


def test_paraphrase_whose_source_has_no_url_is_refused(tmp_path: Path, articles: Path) -> None:
    root = real_project_copy(
        tmp_path,
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/dealgraph/id/source/memo> a dg:Document ;\n"
        '    dcterms:title "An internal memo" ; dcterms:identifier "memo.txt" .\n'
        "<https://w3id.org/dealgraph/id/evidence/memo> a dg:Evidence ;\n"
        "    dcterms:source <https://w3id.org/dealgraph/id/source/memo> ;\n"
        '    dg:paraphrase "The memo says the revenue share continues."@en .\n',
    )
    result = validate("--root", root, "--sources", articles)
    assert result.exit_code == 1
    assert (
        "Violation: id:evidence/memo\n"
        "  shape:   dgsh:ParaphraseShape\n"
        "  path:    dcterms:source/schema:url\n"
        "  message: A paraphrase (dg:paraphrase) needs a source with a URL (schema:url): its "
        "text is not in the project, so say where the paraphrased words can be read.\n"
    ) in result.stdout


def test_quotes_of_the_facts_are_read_with_their_source_file() -> None:
    sources = load(Settings.create(ROOT))
    quotes = quotes_in(sources.facts)
    exact = OA.exact
    assert {(q.evidence, q.text) for q in quotes} == {
        (str(s), str(o)) for s, o in sources.data.subject_objects(exact)
    }
    assert all(q.source_file and q.source_file.endswith(".txt") for q in quotes)
