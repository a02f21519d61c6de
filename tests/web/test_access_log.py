"""``dealgraph serve --access-log``: one line per request, whatever the route or the status."""

from __future__ import annotations

import re
import subprocess
import sys

import httpx
from process_support import free_port, stop, wait_until_up
from web_support import REPO_ROOT


def test_access_log_writes_one_line_per_request(shipped_store_dir, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dealgraph", "serve", "--no-build", "--root", str(REPO_ROOT),
             "--store", str(shipped_store_dir), "--port", str(port), "--workers", "2",
             "--access-log"],
            stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/health", proc)
        with httpx.Client(base_url=url, timeout=30) as client:
            client.get("/", params={"probe": "1"})
            client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "probe": "2"})
            client.post("/sparql", params={"probe": "3"}, data={"query": "SELECT * {"})
            client.get("/id/nothing/here", params={"probe": "4"})
            client.get("/search", params={"q": "oracle", "probe": "5"})
    finally:
        stop(proc)
    lines = [line for line in log.read_text().splitlines() if "probe=" in line]
    found = [re.search(r'"(GET|POST) (\S+) HTTP/1\.1" (\d{3})', line) for line in lines]
    assert [(m.group(1), m.group(2).split("?")[0], m.group(3)) for m in found if m] == [
        ("GET", "/", "200"),
        ("GET", "/sparql", "200"),
        ("POST", "/sparql", "400"),
        ("GET", "/id/nothing/here", "404"),
        ("GET", "/search", "200"),
    ]
    assert len(lines) == 5
