"""Issue 7, item 5: the store and the build fail clean."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from process_support import free_port, start_dealgraph, stop
from project_support import REPO_ROOT, write
from web_support import publish_fixture

from dealgraph.errors import SourceError
from dealgraph.load import load
from dealgraph.publish import publish
from dealgraph.settings import Settings
from dealgraph.store import BUILDS_FOLDER, INFO_FILE, current_build

DAMAGED_STORE = "the published build cannot be opened (damaged or missing files): rebuild it"


def dealgraph(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dealgraph", *args], capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture()
def store_copy(fixture_store, tmp_path) -> Path:
    copy = tmp_path / "store"
    shutil.copytree(fixture_store, copy, symlinks=True)
    return copy


def test_a_damaged_build_json_is_one_sentence_not_a_traceback(store_copy, fixture_root):
    build = current_build(store_copy)
    (build / INFO_FILE).write_text("{ not json", encoding="utf-8")
    done = dealgraph(
        "serve", "--no-build", "--root", str(fixture_root), "--store", str(store_copy),
        "--port", str(free_port()),
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"error: the published build {build.name} is damaged: its build.json cannot be read "
        "(JSONDecodeError); run 'dealgraph build' to publish a new one"
    )


def test_a_damaged_store_answers_500_without_paths(store_copy, fixture_root):
    (current_build(store_copy) / "oxigraph" / "CURRENT").unlink()
    srv = start_dealgraph(fixture_root, store_copy)
    try:
        r = httpx.get(srv.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    finally:
        stop(srv.proc)
    assert (r.status_code, r.text) == (500, DAMAGED_STORE)


def test_a_store_folder_that_cannot_be_written_exits_2_without_a_traceback(project: Settings):
    blocker = project.root.parent / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    done = dealgraph("build", "--root", str(project.root), "--store", str(blocker / "store"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"error: cannot write the store in {blocker / 'store'}: Not a directory" in done.stderr


def test_folders_left_by_killed_builds_never_prune_the_last_good_build(tmp_path):
    store = tmp_path / "store"
    publish_fixture(store)
    good = current_build(store)
    time.sleep(1.1)  # build ids start with the second: the next build sorts after this one
    builds = store / BUILDS_FOLDER
    for name in ("29991231T000000-aaaaaaaa", "29991231T000001-bbbbbbbb", ".partial-x"):
        (builds / name / "oxigraph").mkdir(parents=True)  # half-written, no build.json
    old = time.time() - 7200
    os.utime(builds / ".partial-x", (old, old))
    publish({}, store, source_digest="next")
    assert good.is_dir(), "the previous good build was pruned"
    assert not (builds / ".partial-x").exists()  # an old partial folder is cleared away
    assert current_build(store) != good


def test_a_killed_build_leaves_no_java_running(tmp_path):
    root = tmp_path / "project"
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(REPO_ROOT / folder, root / folder)
    build = subprocess.Popen(
        [sys.executable, "-m", "dealgraph", "build", "--root", str(root)]
        + ["--store", str(tmp_path / "store")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    java: list[str] = []
    deadline = time.monotonic() + 60
    while not java and time.monotonic() < deadline and build.poll() is None:
        found = subprocess.run(["pgrep", "-P", str(build.pid), "java"], capture_output=True)
        java = found.stdout.decode().split()
        time.sleep(0.02)
    assert java, "HermiT never started"
    build.send_signal(signal.SIGKILL)
    build.wait()
    # The kernel stops it with its parent; left alone it would run on (here ~0.5 s, on real
    # data for minutes).
    time.sleep(0.15)
    assert not any(_running(pid) for pid in java), "HermiT's JVM outlived the build"


def _running(pid: str) -> bool:
    """True while *pid* exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_a_symlink_out_of_the_project_is_refused(project: Settings):
    (project.data_dir / "leak.ttl").symlink_to("/etc/passwd")
    with pytest.raises(SourceError) as caught:
        load(project)
    assert str(caught.value) == (
        "data/leak.ttl: refused, it is a symbolic link to a file outside the project; copy the "
        "file into the project instead"
    )


def test_a_quad_in_a_reserved_graph_is_refused_with_file_and_line(project: Settings):
    write(
        project,
        "data/sneaky.trig",
        "@prefix dg: <https://w3id.org/dealgraph/ontology#> .\n\n"
        "<https://w3id.org/dealgraph/graph/inferred> {\n"
        "    <https://w3id.org/dealgraph/id/x> a dg:Company .\n}\n",
    )
    with pytest.raises(SourceError) as caught:
        load(project)
    assert str(caught.value) == (
        "data/sneaky.trig:3: the named graph <https://w3id.org/dealgraph/graph/inferred> is "
        "reserved for what dealgraph builds; give the data its own graph IRI (or none)"
    )


def test_a_data_file_keeps_its_own_named_graph(project: Settings):
    write(
        project,
        "data/own.trig",
        "<http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 . }\n",
    )
    sources = load(project)
    assert len(sources.named["http://example.org/g"]) == 1
    assert (None, None, None) in sources.data  # the curated facts are still there
