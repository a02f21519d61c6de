"""The deal in time, on the shipped data: rights in force on a day (``asof``) and what changed
between two days or agreement versions (``diff``), through the functions and the CLI.

The expected answers come from the articles and the official statements, as issue 8 states
them: rights confirmed in January 2025 already existed before it; "through 2030" ends on
2030-12-31; the approval right ends when the October 2025 agreement enables the conversion;
the 27 February 2026 statement changes nothing; the 27 April 2026 amendment makes the IP
licence non-exclusive, ends Azure's exclusivity and Microsoft's revenue share to OpenAI, and
caps OpenAI's revenue share to Microsoft through 2030.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
from project_support import copy_project
from typer.testing import CliRunner

from dealgraph.cli import app
from dealgraph.intime.asof import RightInTime, rights_in_force, rights_timeline
from dealgraph.intime.diff import Diff, diff
from dealgraph.intime.periods import BadTimeInput
from dealgraph.settings import Settings
from dealgraph.store import current_info

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/dealgraph/id/"
MICROSOFT = ID + "company/microsoft"
OPENAI = ID + "company/openai"
AG = ID + "agreement/"
TODAY = date(2026, 11, 30)  # fixed, so that "in the future" does not move with the clock
runner = CliRunner()

# The rights as the articles and statements name them (short IRIs, without the id/ base).
CLOUD = "right/microsoft-exclusive-cloud-provider"
APPROVAL = "right/microsoft-approval-of-for-profit-conversion"
IP_2030 = "right/microsoft-openai-ip-2030"
API_2030 = "right/microsoft-api-exclusivity-2030"
MS_SHARE_2030 = "right/microsoft-revenue-share-2030"
OA_SHARE_2030 = "right/openai-revenue-share-2030"
ROFR = "right/microsoft-compute-rofr"
ORACLE = "right/openai-oracle-capacity"
CAPACITY = "right/openai-additional-capacity"
MODELS_2032 = "right/microsoft-models-and-products-2032"
RESEARCH = "right/microsoft-research-ip-agi-or-2030"
API_AGI = "right/microsoft-azure-api-exclusivity-agi"
MS_SHARE_AGI = "right/microsoft-revenue-share-agi"
OA_SHARE_AGI = "right/openai-revenue-share-agi"
AGI_RESEARCH = "right/microsoft-independent-agi-research"
THIRD_PARTY = "right/openai-third-party-products"
US_GOVERNMENT = "right/openai-us-government-api"
OPEN_WEIGHT = "right/openai-open-weight-models"
SHIP_FIRST = "right/microsoft-ship-first-on-azure"
ANY_CLOUD = "right/openai-serve-products-any-cloud"


@pytest.fixture(scope="module")
def settings(shipped_store_dir: Path) -> Settings:
    """The shipped sources and the session's store of them (built once, in conftest)."""
    return Settings.create(ROOT, shipped_store_dir)


@pytest.fixture(scope="module")
def store(shipped_store: pyoxigraph.Store) -> pyoxigraph.Store:
    return shipped_store


@pytest.fixture(scope="module")
def timeline(store: pyoxigraph.Store) -> dict[str, RightInTime]:
    return {short(r.iri): r for r in rights_timeline(store)}


def short(iri: str) -> str:
    return iri.removeprefix(ID)


def on(store: pyoxigraph.Store, day: str, holder: str | None = None) -> set[str]:
    """The short IRIs of the rights in force on *day* (of *holder*)."""
    answer = rights_in_force(store, date.fromisoformat(day), holder, today=TODAY)
    return {short(r.iri) for r in answer.rights}


def lineage(timeline: dict[str, RightInTime], root: str) -> set[str]:
    """*root* and every right that is a revision of it, directly or through others."""
    found = {root}
    grew = True
    while grew:
        more = {iri for iri, r in timeline.items() if found & {short(i) for i in r.revises}}
        grew = not more <= found
        found |= more
    return found


def frontier(timeline: dict[str, RightInTime]) -> set[str]:
    """The frontier-model exclusivity, in whichever versions the graph keeps it."""
    return {iri for iri in timeline if "frontier-model-exclusivity" in iri}


# --- asof: the functions ---------------------------------------------------------------


def test_nothing_is_in_force_before_the_2019_partnership(store: pyoxigraph.Store) -> None:
    assert on(store, "2018-12-31") == set()


def test_in_2019_microsoft_holds_the_cloud_exclusivity_and_the_approval_right(
    store: pyoxigraph.Store,
) -> None:
    held = on(store, "2019-06-30")
    assert {CLOUD, APPROVAL} <= held
    assert not held & {ORACLE, ROFR, CAPACITY, MODELS_2032, RESEARCH, API_AGI, AGI_RESEARCH}


def test_the_oracle_consent_is_in_force_from_the_first_day_of_june_2024(
    store: pyoxigraph.Store,
) -> None:
    assert ORACLE not in on(store, "2024-05-31")
    assert ORACLE in on(store, "2024-06-01")


def test_rights_confirmed_in_january_2025_were_already_held_on_2024_12_31(
    store: pyoxigraph.Store,
) -> None:
    assert {CLOUD, APPROVAL, IP_2030, API_2030, MS_SHARE_2030} <= on(
        store, "2024-12-31", "Microsoft"
    )
    assert {OA_SHARE_2030, ORACLE} <= on(store, "2024-12-31", "OpenAI")
    assert ROFR not in on(store, "2024-12-31")


def test_cloud_exclusivity_ends_where_the_right_of_first_refusal_starts(
    store: pyoxigraph.Store, timeline: dict[str, RightInTime]
) -> None:
    assert CLOUD in on(store, "2024-12-31") and ROFR not in on(store, "2024-12-31")
    assert CLOUD not in on(store, "2025-01-01") and ROFR in on(store, "2025-01-01")
    assert timeline[CLOUD].until == date(2024, 12, 31)
    assert timeline[ROFR].start == date(2025, 1, 1)
    assert {CAPACITY, IP_2030, API_2030, MS_SHARE_2030, OA_SHARE_2030} <= on(store, "2025-01-01")


def test_microsoft_holds_the_pre_october_2025_terms_on_2025_06_30(
    store: pyoxigraph.Store, timeline: dict[str, RightInTime]
) -> None:
    expected = {APPROVAL, IP_2030, API_2030, MS_SHARE_2030, ROFR}
    assert on(store, "2025-06-30", "Microsoft") == expected | (
        frontier(timeline) & on(store, "2025-06-30")
    )
    assert len(frontier(timeline) & on(store, "2025-06-30")) == 1
    assert on(store, "2025-06-30", "OpenAI") == {ORACLE, CAPACITY, OA_SHARE_2030}


def test_the_october_2025_agreement_ends_the_old_terms_the_day_before_it(
    store: pyoxigraph.Store, timeline: dict[str, RightInTime]
) -> None:
    before, after = on(store, "2025-09-30"), on(store, "2025-10-01")
    old = {APPROVAL, ROFR, IP_2030, API_2030, MS_SHARE_2030, OA_SHARE_2030}
    new = {MODELS_2032, RESEARCH, API_AGI, MS_SHARE_AGI, OA_SHARE_AGI, AGI_RESEARCH}
    new |= {THIRD_PARTY, US_GOVERNMENT, OPEN_WEIGHT}
    assert old <= before and not before & new
    assert new <= after and not after & old
    # Microsoft keeps ("conserve") its frontier-model exclusivity across the change.
    assert frontier(timeline) & before and frontier(timeline) & after


def test_the_approval_right_ends_when_the_conversion_is_enabled(
    timeline: dict[str, RightInTime],
) -> None:
    assert timeline[APPROVAL].until == date(2025, 9, 30)


def test_through_2030_rights_superseded_in_october_2025_end_then(
    timeline: dict[str, RightInTime],
) -> None:
    for right in (IP_2030, API_2030, MS_SHARE_2030, OA_SHARE_2030):
        assert timeline[right].start <= date(2024, 12, 31), right
        assert timeline[right].until == date(2025, 9, 30), right


def test_the_february_2026_statement_changes_nothing(store: pyoxigraph.Store) -> None:
    assert on(store, "2026-02-26") == on(store, "2026-02-27")
    assert {API_AGI, MODELS_2032, MS_SHARE_AGI} <= on(store, "2026-02-27")


def test_the_april_2026_amendment_revises_licence_cloud_and_revenue_shares(
    store: pyoxigraph.Store, timeline: dict[str, RightInTime]
) -> None:
    before, after = on(store, "2026-04-26"), on(store, "2026-04-27")
    assert {MODELS_2032, API_AGI, MS_SHARE_AGI, OA_SHARE_AGI} <= before
    assert not after & {MODELS_2032, API_AGI, MS_SHARE_AGI, OA_SHARE_AGI}
    # Microsoft no longer pays OpenAI a revenue share: nothing descends from it.
    assert not after & lineage(timeline, OA_SHARE_2030)
    # The licence through 2032 goes on, non-exclusive, as a revision of the 2032 right.
    licence = after & lineage(timeline, MODELS_2032) - {MODELS_2032}
    assert len(licence) == 1
    (current,) = licence
    assert timeline[current].until == date(2032, 12, 31)
    assert {SHIP_FIRST, ANY_CLOUD} <= after
    assert {RESEARCH, AGI_RESEARCH, THIRD_PARTY, US_GOVERNMENT, OPEN_WEIGHT} <= after


def test_through_2030_ends_on_2030_12_31_not_2030_01_01(
    store: pyoxigraph.Store, timeline: dict[str, RightInTime]
) -> None:
    share = lineage(timeline, MS_SHARE_2030)
    assert RESEARCH in on(store, "2030-01-01") and RESEARCH in on(store, "2030-12-31")
    assert RESEARCH not in on(store, "2031-01-01")
    assert len(on(store, "2030-12-31") & share) == 1  # OpenAI's capped payments to Microsoft
    assert not on(store, "2031-01-01") & share


def test_through_2032_ends_on_2032_12_31(
    store: pyoxigraph.Store, timeline: dict[str, RightInTime]
) -> None:
    ip = lineage(timeline, IP_2030)
    assert len(on(store, "2032-12-31", "Microsoft") & ip) == 1
    assert not on(store, "2033-01-01") & ip


def test_rights_ending_only_at_agi_or_never_stay_in_force_in_the_future_with_a_note(
    store: pyoxigraph.Store, timeline: dict[str, RightInTime]
) -> None:
    open_ended = {iri for iri in on(store, "2026-04-27") if timeline[iri].until is None}
    answer = rights_in_force(store, date(2033, 1, 1), today=TODAY)
    assert open_ended and open_ended <= {short(r.iri) for r in answer.rights}
    assert answer.note == (
        "2033-01-01 is after today (2026-11-30): the answer assumes that no trigger event "
        "(such as AGI being declared and verified) has happened by then."
    )
    assert rights_in_force(store, date(2026, 11, 30), today=TODAY).note is None


def test_every_right_has_a_start_before_its_end(timeline: dict[str, RightInTime]) -> None:
    assert len(timeline) >= 20
    for iri, right in timeline.items():
        assert right.until is None or right.start <= right.until, iri


def test_a_holder_is_found_by_name_whatever_its_case_accents_and_spacing_or_by_iri(
    store: pyoxigraph.Store,
) -> None:
    by_name = on(store, "2025-06-30", "Microsoft")
    assert on(store, "2025-06-30", "  micrÓsoft ") == by_name
    assert on(store, "2025-06-30", MICROSOFT) == by_name
    assert on(store, "2025-06-30", "OPENAI") == {ORACLE, CAPACITY, OA_SHARE_2030}
    assert on(store, "2025-06-30", "Open AI") == on(store, "2025-06-30", "open-ai")
    assert on(store, "2025-06-30", "open-ai") == {ORACLE, CAPACITY, OA_SHARE_2030}
    assert on(store, "2025-06-30", "Oracle") == set()  # an agent holding nothing


def test_an_unknown_holder_is_refused_by_name(store: pyoxigraph.Store) -> None:
    with pytest.raises(BadTimeInput) as caught:
        rights_in_force(store, date(2025, 6, 30), "Microsfot")
    assert str(caught.value) == (
        "unknown holder 'Microsfot': no agent in the graph has that name "
        "(give a name such as Microsoft or OpenAI, or an IRI)"
    )


# --- diff: the functions --------------------------------------------------------------


def versions(store: pyoxigraph.Store) -> list[tuple[str, str]]:
    """The Microsoft–OpenAI agreement versions by date: (short IRI, first day)."""
    query = f"""
    PREFIX dg: <https://w3id.org/dealgraph/ontology#>
    SELECT DISTINCT ?agreement ?day WHERE {{
      ?agreement dg:party <{MICROSOFT}> , <{OPENAI}> ; dg:earliestDay ?day .
    }} ORDER BY ?day ?agreement"""
    rows = store.query(query, use_default_graph_as_union=True)
    return [(short(row["agreement"].value), row["day"].value) for row in rows]


def names(refs: tuple) -> set[str]:
    return {short(r.iri) for r in refs}


def pairs(result: Diff) -> set[tuple[str, str]]:
    return {(short(r.before.iri), short(r.after.iri)) for r in result.revised}


def test_the_agreement_versions_run_from_2019_to_april_2026(store: pyoxigraph.Store) -> None:
    assert versions(store) == [
        ("agreement/2019-partnership", "2019-01-01"),
        ("agreement/2024-06-oracle-capacity-consent", "2024-06-01"),
        ("agreement/2025-01-partnership-update", "2025-01-01"),
        ("agreement/2025-09-memorandum-of-understanding", "2025-09-01"),
        ("agreement/2025-10-definitive-agreement", "2025-10-01"),
        ("agreement/2026-02-joint-statement", "2026-02-27"),
        ("agreement/2026-04-amended-agreement", "2026-04-27"),
    ]


def consecutive(store: pyoxigraph.Store, first_day: str) -> Diff:
    """The diff from the version dated *first_day* to the next one, given as IRIs."""
    found = versions(store)
    index = [day for _, day in found].index(first_day)
    return diff(store, ID + found[index][0], ID + found[index + 1][0])


def test_diff_2019_partnership_to_june_2024_consent(store: pyoxigraph.Store) -> None:
    result = consecutive(store, "2019-01-01")
    assert names(result.new) == {ORACLE}
    assert result.ended == () and result.revised == ()
    assert {CLOUD, APPROVAL} <= names(result.kept)


def test_diff_june_2024_consent_to_january_2025_update(store: pyoxigraph.Store) -> None:
    result = consecutive(store, "2024-06-01")
    assert pairs(result) == {(CLOUD, ROFR)}
    assert names(result.new) == {CAPACITY}
    assert result.ended == ()
    confirmed = {APPROVAL, ORACLE, IP_2030, API_2030, MS_SHARE_2030, OA_SHARE_2030}
    assert confirmed <= names(result.kept)


def test_diff_january_2025_update_to_september_2025_memorandum(store: pyoxigraph.Store) -> None:
    result = consecutive(store, "2025-01-01")
    assert result.new == () and result.ended == () and result.revised == ()
    assert names(result.kept) == on(store, "2025-01-01")


def test_diff_september_2025_memorandum_to_october_2025_agreement(
    store: pyoxigraph.Store, timeline: dict[str, RightInTime]
) -> None:
    result = consecutive(store, "2025-09-01")
    assert {
        (IP_2030, MODELS_2032),
        (IP_2030, RESEARCH),
        (API_2030, API_AGI),
        (MS_SHARE_2030, MS_SHARE_AGI),
        (OA_SHARE_2030, OA_SHARE_AGI),
    } <= pairs(result)
    assert names(result.ended) == {ROFR, APPROVAL}
    assert names(result.new) == {AGI_RESEARCH, THIRD_PARTY, US_GOVERNMENT, OPEN_WEIGHT}
    assert {ORACLE, CAPACITY} <= names(result.kept)
    # Kept ("conserve"), on the same terms or revised: never new, never ended.
    kept_frontier = frontier(timeline) & names(result.kept)
    revised_frontier = {after for _, after in pairs(result)} & frontier(timeline)
    assert kept_frontier or revised_frontier


def test_diff_october_2025_agreement_to_february_2026_statement(
    store: pyoxigraph.Store,
) -> None:
    result = consecutive(store, "2025-10-01")
    assert result.new == () and result.ended == () and result.revised == ()
    assert {API_AGI, MODELS_2032, MS_SHARE_AGI, OA_SHARE_AGI} <= names(result.kept)


def test_diff_february_2026_statement_to_april_2026_amendment(store: pyoxigraph.Store) -> None:
    result = consecutive(store, "2026-02-27")
    revised = pairs(result)
    assert (MODELS_2032, "right/microsoft-models-and-products-2032-non-exclusive") in revised
    assert (MS_SHARE_AGI, "right/microsoft-revenue-share-2030-capped") in revised
    assert OA_SHARE_AGI in names(result.ended)
    assert API_AGI not in names(result.kept)
    assert {SHIP_FIRST, ANY_CLOUD} <= names(result.new)
    assert {RESEARCH, AGI_RESEARCH, THIRD_PARTY, US_GOVERNMENT, OPEN_WEIGHT, ORACLE} <= names(
        result.kept
    )


def test_a_revision_is_followed_across_several_versions(store: pyoxigraph.Store) -> None:
    result = diff(store, "2025-06-30", "2026-06-30")
    assert (IP_2030, "right/microsoft-models-and-products-2032-non-exclusive") in pairs(result)
    assert (IP_2030, RESEARCH) in pairs(result)
    assert "right/microsoft-models-and-products-2032-non-exclusive" not in names(result.new)


def test_an_agreement_stands_for_its_first_day_by_iri_or_slug(store: pyoxigraph.Store) -> None:
    by_iri = diff(store, AG + "2025-01-partnership-update", AG + "2025-10-definitive-agreement")
    by_slug = diff(store, "ag:2025-01-partnership-update", "ag:2025-10-definitive-agreement")
    by_day = diff(store, "2025-01-01", "2025-10-01")
    assert by_iri.to_json() == by_slug.to_json() == by_day.to_json()
    assert by_iri.start.agreement is not None and by_day.start.agreement is None


def test_diff_refuses_from_after_to(store: pyoxigraph.Store) -> None:
    with pytest.raises(BadTimeInput) as caught:
        diff(store, "2025-10-01", "ag:2025-01-partnership-update")
    assert str(caught.value) == (
        "FROM (2025-10-01) is after TO (2025-01-01 (Microsoft–OpenAI partnership update "
        "(January 2025))): give the earlier one first"
    )


# --- the command line ------------------------------------------------------------------


def cli(settings: Settings, *args: str):  # noqa: ANN201 - click's Result
    return runner.invoke(app, [*args, "--root", str(ROOT), "--store", str(settings.store_dir)])


def test_cli_asof_json_has_the_documented_shape_with_english_labels(settings: Settings) -> None:
    result = cli(settings, "asof", "2025-06-30", "--holder", "Microsoft", "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) == {"as_of", "rights"} and answer["as_of"] == "2025-06-30"
    rofr = next(r for r in answer["rights"] if r["iri"] == ID + ROFR)
    assert set(rofr) == {
        "iri", "label", "holder", "grantor", "from", "until", "expiry", "agreement", "evidence",
    }  # fmt: skip
    assert rofr["label"] == "Microsoft’s right of first refusal on OpenAI’s new compute capacity"
    assert (rofr["holder"], rofr["grantor"]) == ("Microsoft", "OpenAI")
    assert (rofr["from"], rofr["until"]) == ("2025-01-01", "2025-09-30")
    assert rofr["agreement"] == "Microsoft–OpenAI partnership update (January 2025)"
    assert rofr["evidence"] and all(e["text"] and e["source"] for e in rofr["evidence"])
    assert {r["holder"] for r in answer["rights"]} == {"Microsoft"}


def test_cli_asof_names_the_confirming_agreement_of_a_right_only_confirmed(
    settings: Settings,
) -> None:
    result = cli(settings, "asof", "2026-03-01", "--format", "json")
    answer = {r["iri"]: r for r in json.loads(result.stdout)["rights"]}
    # Granted in October 2025, confirmed in February 2026: the grant is named.
    assert answer[ID + API_AGI]["agreement"] == (
        "Microsoft–OpenAI definitive agreement (October 2025)"
    )


def test_cli_asof_in_the_future_says_no_trigger_event_is_assumed(settings: Settings) -> None:
    result = cli(settings, "asof", "2099-01-01", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "no trigger event" in json.loads(result.stdout)["note"]
    table = cli(settings, "asof", "2099-01-01")
    assert "note: 2099-01-01 is after today" in table.stdout


def test_cli_asof_table_lists_each_right_with_its_dates(settings: Settings) -> None:
    result = cli(settings, "asof", "2025-06-30", "--holder", "OpenAI")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Rights in force on 2025-06-30 held by OpenAI: 3"
    assert lines[2].split() == ["right", "label", "holder", "from", "until", "expiry", "agreement"]
    row = next(line for line in lines if line.startswith(ORACLE))
    assert "2024-06-01" in row and "OpenAI" in row


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["asof", "2025-13-01"],
            "error: '2025-13-01' is not a valid date: write it as YYYY-MM-DD, e.g. 2025-06-30\n",
        ),
        (
            ["asof", "2025-06-30", "--holder", "Nobody"],
            "error: unknown holder 'Nobody': no agent in the graph has that name "
            "(give a name such as Microsoft or OpenAI, or an IRI)\n",
        ),
        (
            ["asof", "2025-06-30", "--holder", ID + "company/nobody"],
            f"error: unknown holder <{ID}company/nobody>: no agent in the graph has that IRI\n",
        ),
        (
            ["diff", "ag:2031-merger", "2025-06-30"],
            f"error: unknown agreement <{AG}2031-merger>: no dated agreement in the graph has it\n",
        ),
        (
            ["diff", "2025-01-01", "2025-02-30"],
            "error: '2025-02-30' is not a valid date: write it as YYYY-MM-DD, e.g. 2025-06-30\n",
        ),
        (
            ["diff", "last-year", "2025-06-30"],
            "error: 'last-year' is neither a date (YYYY-MM-DD) nor an agreement IRI\n",
        ),
    ],
)
def test_cli_refuses_bad_input_with_one_sentence_and_exit_2(
    settings: Settings, args: list[str], message: str
) -> None:
    result = cli(settings, *args)
    assert result.exit_code == 2
    # The last line: a rebuild (sources edited since the session's build) would come first.
    assert result.stderr.endswith(message) and message in result.stderr.splitlines(True)
    assert result.stdout == ""


def test_cli_asof_builds_the_store_first_when_the_sources_changed(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    args = ["asof", "2025-06-30", "--format", "json", "--store", str(project.store_dir)]
    result = runner.invoke(app, [*args, "--root", str(project.root)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"as_of": "2025-06-30", "rights": []}
    assert "publish…" in result.stderr
    assert current_info(project.store_dir) is not None
    again = runner.invoke(app, [*args, "--root", str(project.root)])
    assert again.exit_code == 0 and again.stderr == ""  # current: nothing rebuilt


def test_cli_diff_json_has_the_documented_shape(settings: Settings) -> None:
    start, end = "ag:2025-09-memorandum-of-understanding", AG + "2025-10-definitive-agreement"
    result = cli(settings, "diff", start, end, "--format", "json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) == {"from", "to", "kept", "ended", "new", "revised"}
    assert (answer["from"], answer["to"]) == ("2025-09-01", "2025-10-01")
    assert ID + ROFR in {item["iri"] for item in answer["ended"]}
    for item in answer["kept"] + answer["ended"] + answer["new"]:
        assert set(item) == {"iri", "label"}
    for item in answer["revised"]:
        assert set(item) == {"from", "to"}
        assert set(item["from"]) == set(item["to"]) == {"iri", "label"}


def test_cli_diff_table_has_one_section_per_kind_of_change(settings: Settings) -> None:
    result = cli(settings, "diff", "2025-01-01", "2025-10-01")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("From 2025-01-01 to 2025-10-01\n")
    for section in ("kept (", "ended (", "new (", "revised ("):
        assert f"\n{section}" in text
    assert f"  {IP_2030}  " in text and f"    -> {MODELS_2032}  " in text
