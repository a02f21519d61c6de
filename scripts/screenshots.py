"""Refresh the screenshots in docs/screenshots/: the workbench pages at 1280 and 375 px.

Builds the shipped data into a temporary store, serves it with ``dealgraph serve``, and drives
headless Chromium (Debian's /usr/bin/chromium, through playwright) over the pages a researcher
uses: the query page with an answer and with an error, search, an entity page, VoID, the
service description and the citation page.

    python scripts/screenshots.py            # build, serve, shoot
    python scripts/screenshots.py --url http://127.0.0.1:8000   # shoot a running server
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
README_QUERY = "SELECT ?r WHERE { ?r a dg:RightOfFirstRefusal }"
LABELLED_QUERY = """SELECT ?right ?holder ?grantor WHERE {
  ?right a dg:Right ; dg:holder ?holder ; dg:grantor ?grantor .
} ORDER BY ?right LIMIT 8"""
BROKEN_QUERY = "SELECT ?r WHERE {\n  ?r a nope:Right .\n}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(store: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dealgraph", "serve", "--no-build", "--root", str(ROOT),
         "--store", str(store), "--port", str(port), "--workers", "2"],
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not start")


def shoot(url: str, out: Path = OUT) -> list[Path]:
    """Take every screenshot from the server at *url* into *out*; return the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    pages = [
        ("query", "/?" + urlencode({"query": LABELLED_QUERY}), "#results table tbody tr"),
        ("query-error", "/?" + urlencode({"query": BROKEN_QUERY}), "#error:not([hidden])"),
        ("search", "/search?q=oracle", "#search-results"),
        ("entity", "/id/right/openai-oracle-capacity", "h1"),
        ("void", "/void", "#void-summary"),
        ("service-description", "/sparql?format=html", "#prefix-table"),
        ("cite", "/cite", "#cite-dataset"),
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            for size, (width, height) in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                for name, path, ready in pages:
                    page.goto(url + path)
                    page.wait_for_selector(ready)
                    page.wait_for_timeout(400)  # labels arrive after the rows
                    target = out / f"{name}-{size}.png"
                    page.screenshot(path=str(target), full_page=False)
                    written.append(target)
                page.close()
        finally:
            browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running dealgraph server (default: start one)")
    args = parser.parse_args()
    if args.url:
        files = shoot(args.url.rstrip("/"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            store = Path(tmp) / "store"
            subprocess.run(
                [sys.executable, "-m", "dealgraph", "build", "--root", str(ROOT),
                 "--store", str(store)],
                check=True,
            )  # fmt: skip
            proc, url = _serve(store)
            try:
                files = shoot(url)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    for f in files:
        print(f)


if __name__ == "__main__":
    main()
