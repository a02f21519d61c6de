"""Process limits for running untrusted queries: no network, bounded memory, a deep stack.

``drop_network()`` moves the calling process into a new, empty network namespace (only a
loopback interface, and that one down): no address is reachable, the server's own loopback
included. It needs root (``CLONE_NEWNET``) or unprivileged user namespaces
(``CLONE_NEWUSER | CLONE_NEWNET``); where neither is allowed it says why, and the caller
falls back to the guard's strict rule (see :func:`dealgraph.sparql_text.guard`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import pickle
import resource
import signal
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _unshare(flags: int) -> int:
    """``unshare(2)``: 0, or the errno (os.unshare only exists from Python 3.12)."""
    if hasattr(os, "unshare"):
        try:
            os.unshare(flags)  # type: ignore[attr-defined]
            return 0
        except OSError as exc:
            return exc.errno or -1
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    return 0 if libc.unshare(flags) == 0 else ctypes.get_errno()


def drop_network() -> str | None:
    """Leave every network behind; None on success, else the reason it is not possible."""
    errno = _unshare(CLONE_NEWNET)
    if errno:
        errno = _unshare(CLONE_NEWUSER | CLONE_NEWNET)  # without root, where allowed
    if errno:
        return f"cannot create a network namespace ({os.strerror(errno)})"
    return None


def limit_memory(max_bytes: int) -> None:
    """Cap the address space of this process at *max_bytes* (0: no cap); allocations beyond
    fail, so a query that needs more stops its own worker instead of the machine."""
    if max_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent dies (Linux; elsewhere nothing), so
    a server stopped hard leaves no worker behind."""
    prctl = getattr(ctypes.CDLL(None), "prctl", None)
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class SandboxUnavailableError(OSError):
    """This machine lets no process leave the network (see :func:`drop_network`)."""


def call_offline(fn: Callable[[], T]) -> T:
    """``fn()`` run in a forked child that first leaves every network; its result comes
    back pickled. The calling process keeps its network (it may be a test runner, or a
    library caller). Raises :class:`SandboxUnavailableError` when no namespace can be made."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(read)
            reason = drop_network()
            payload = pickle.dumps(("refused", reason) if reason else ("done", fn()))
        except BaseException as exc:  # noqa: BLE001  # reported to the parent, not raised here
            payload = pickle.dumps(("failed", f"{type(exc).__name__}: {exc}"))
        with os.fdopen(write, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as answer:
        data = answer.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data) if data else ("failed", "the offline process stopped")
    if kind == "refused":
        raise SandboxUnavailableError(value)
    if kind == "failed":
        raise RuntimeError(value)
    return value
