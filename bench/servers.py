"""Start, probe and stop the two servers under test: dealgraph's endpoint and ``oxigraph``.

Each server runs in its own process group (``start_new_session``) so that stopping it also
stops every process it started (dealgraph's query workers); :class:`Server` is a context
manager and always stops its process tree, also when the benchmark fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover - memory is then read from /proc
    psutil = None

VENV_BIN = Path(sys.executable).parent
OXIGRAPH = str(VENV_BIN / "oxigraph")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Memory:
    """Memory of a process tree: resident set (sum) and proportional set (shared pages split)."""

    rss_mb: float
    pss_mb: float
    processes: int
    main_rss_mb: float = 0.0  # the server process itself (dealgraph: uvicorn, no workers)


class Server:
    """One server process (tree) under test, reachable at :attr:`query_url`."""

    def __init__(self, name: str, argv: list[str], query_url: str, log: Path) -> None:
        self.name = name
        self.argv = argv
        self.query_url = query_url
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.loop = ""  # dealgraph only: the uvicorn event loop setting

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 120.0) -> None:
        """Start the process and wait until it answers ``ASK {}``."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}; see {self.log}"
                )
            request = urllib.request.Request(
                self.query_url,
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout:g} s; see {self.log}")

    def stop(self) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after 10 s."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        # Workers left behind by a hard stop share the group id: make sure they are gone.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time (user + system) used so far by the server process and by its descendants."""
        assert self.process is not None
        if psutil is None:  # /proc: the process, then every other process of its group
            main, *others = _group(self.process.pid)
            return _proc_cpu(main), sum(_proc_cpu(pid) for pid in others)
        root = psutil.Process(self.process.pid)
        main = sum(root.cpu_times()[:2])
        children = 0.0
        for child in root.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                children += sum(child.cpu_times()[:2])
        return main, children

    def memory(self) -> Memory:
        """RSS and PSS of the server process and all its descendants, in MB."""
        assert self.process is not None
        if psutil is not None:
            root = psutil.Process(self.process.pid)
            procs = [root, *root.children(recursive=True)]
            rss = pss = 0
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
            return Memory(rss / 2**20, pss / 2**20, len(procs), root.memory_info().rss / 2**20)
        return _proc_memory(self.process.pid)

    def processes(self) -> list[tuple[int, float, str]]:
        """Each process of the server's group: pid, RSS in MB and its command line."""
        assert self.process is not None
        found = []
        for pid in _group(self.process.pid):
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                found.append((pid, rss_kb / 1024, argv.decode(errors="replace").strip()))
        return found


def _group(leader: int) -> list[int]:
    """*leader* and the other live processes of its process group (leader first)."""
    pids = [leader]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != leader:
            with contextlib.suppress(OSError):
                if os.getpgid(int(entry.name)) == leader:
                    pids.append(int(entry.name))
    return pids


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of *pid* so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_memory(pid: int) -> Memory:
    """Fallback without psutil: walk /proc for the process group of *pid*."""
    rss = pss = 0
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pid:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1]) * 1024
            count += 1
        except (OSError, ValueError):
            continue
    return Memory(rss / 2**20, pss / 2**20, count)


def dealgraph_server(
    root: Path, store: Path, workers: int, log: Path, loop: str = "auto"
) -> Server:
    """dealgraph's endpoint (uvicorn + query workers) on a free port.

    *loop* ``auto`` is the real entry point ``python -m dealgraph serve --no-build``; ``asyncio``
    runs the same entry point through ``bench/serve_asyncio.py`` (stdlib event loop).
    """
    port = free_port()
    entry = ["-m", "dealgraph", "serve", "--no-build"]
    if loop == "asyncio":
        entry = [str(Path(__file__).with_name("serve_asyncio.py"))]
    argv = [
        sys.executable,
        *entry,
        "--root",
        str(root),
        "--store",
        str(store),
        "--port",
        str(port),
        "--timeout",
        "120",
        "--workers",
        str(workers),
    ]
    server = Server("dealgraph", argv, f"http://127.0.0.1:{port}/sparql", log)
    server.loop = loop
    return server


def oxigraph_server(location: Path, log: Path) -> Server:
    """``oxigraph serve-read-only`` on a free port; queries see the union of named graphs."""
    port = free_port()
    argv = [OXIGRAPH, "serve-read-only", "--location", str(location)]
    argv += ["--bind", f"127.0.0.1:{port}"]
    return Server("oxigraph", argv, f"http://127.0.0.1:{port}/query?union-default-graph", log)


def oxigraph_version() -> str:
    """``oxigraph --version`` output, e.g. ``oxigraph 0.5.13``."""
    out = subprocess.run([OXIGRAPH, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "unknown"


def dir_size_mb(path: Path) -> float:
    """Total size of the files under *path*, in MB."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20
