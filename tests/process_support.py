"""Real server processes for tests: free ports, readiness, clean stops, an oxigraph server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until *url* answers below 500; fail early if *proc* exits."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up in {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    """Terminate *proc*, and kill it if it does not exit within 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def oxigraph_server(folder: Path, data: Path) -> Iterator[str]:
    """A real ``oxigraph serve-read-only`` holding *data*; yields its SPARQL query URL."""
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(folder / "db"), "--file", str(data)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    proc = subprocess.Popen(
        [OXIGRAPH, "serve-read-only", "--location", str(folder / "db")]
        + ["--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url + "?query=ASK%7B%7D", proc)
        yield url
    finally:
        stop(proc)


@dataclass
class Server:
    """A running endpoint: its base URL, process and store folder."""

    url: str
    proc: subprocess.Popen
    store: Path


def start_dealgraph(
    root: Path,
    store: Path,
    *,
    timeout: float = 30,
    workers: int = 2,
    services: list[str] = (),
    env: dict[str, str] | None = None,
) -> Server:
    """The real dealgraph endpoint over a published *store*: ``dealgraph serve --no-build``."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "dealgraph",
        "serve",
        "--no-build",
        "--root",
        str(root),
        "--store",
        str(store),
        "--port",
        str(port),
        "--timeout",
        str(timeout),
        "--workers",
        str(workers),
    ]
    for service in services:
        cmd += ["--allow-service", service]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/health", proc)
    except Exception:
        proc.kill()
        raise
    return Server(url, proc, store)
