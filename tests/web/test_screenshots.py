"""scripts/screenshots.py, the script that refreshes docs/screenshots/, on a real server."""

from __future__ import annotations

import importlib.util

from web_support import REPO_ROOT, needs_chromium


@needs_chromium
def test_screenshot_script_shoots_every_page_at_both_widths(real_server, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "screenshots", REPO_ROOT / "scripts" / "screenshots.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    files = script.shoot(real_server.url, tmp_path)
    assert sorted(f.name for f in files) == sorted(
        f"{name}-{size}.png"
        for name in ("query", "query-error", "search", "entity", "void",
                     "service-description", "cite")
        for size in ("desktop", "phone")
    )  # fmt: skip
    assert all(f.read_bytes().startswith(b"\x89PNG") for f in files)
    assert {f.name for f in (REPO_ROOT / "docs" / "screenshots").glob("*.png")} >= {
        f.name for f in files
    }
