"""The settings: where dealgraph finds its sources and keeps its store (:class:`Settings`), and
every default and limit of the endpoint (:class:`ServeSettings`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .namespaces import WIKIDATA_QUERY_SERVICE

SOURCE_FOLDERS = ("ontology", "data", "shapes", "queries")
PACKAGED_ROOT = Path(__file__).parent / "resources"
ARTICLES_ENV = "DEALGRAPH_ARTICLES"  # the folder of source texts the gate proves quotes against


def is_root(path: Path) -> bool:
    """True when *path* holds the source folders dealgraph needs (ontology, data, shapes)."""
    return all((path / name).is_dir() for name in ("ontology", "data", "shapes"))


def default_root() -> Path:
    """The current folder when it is a dealgraph working copy, else the packaged copy."""
    cwd = Path.cwd()
    return cwd if is_root(cwd) else PACKAGED_ROOT


def default_store_dir(root: Path) -> Path:
    """``$DEALGRAPH_STORE``, else ``ROOT/.dealgraph/store`` in a working copy, else per user."""
    if env := os.environ.get("DEALGRAPH_STORE"):
        return Path(env)
    if root.resolve() != PACKAGED_ROOT.resolve() and os.access(root, os.W_OK):
        return root / ".dealgraph" / "store"
    data_home = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return data_home / "dealgraph" / "store"


def default_articles_dir(root: Path) -> Path:
    """``$DEALGRAPH_ARTICLES``, else ``../shared/articles`` beside the project root: the folder
    of source texts (the articles) that every verbatim quote is proven against."""
    if env := os.environ.get(ARTICLES_ENV):
        return Path(env)
    return root.parent / "shared" / "articles"


@dataclass(frozen=True)
class Settings:
    """Paths of one dealgraph project: its sources, its published store, and the folder of
    source texts its quotes are proven against (None: no folder, quotes are not proven)."""

    root: Path
    store_dir: Path
    articles_dir: Path | None = None

    @classmethod
    def create(
        cls,
        root: Path | None = None,
        store_dir: Path | None = None,
        articles_dir: Path | None = None,
    ) -> Settings:
        """Settings for *root* (default: :func:`default_root`), *store_dir* and *articles_dir*
        (derived when not given)."""
        root = (root or default_root()).resolve()
        return cls(
            root=root,
            store_dir=(store_dir or default_store_dir(root)).resolve(),
            articles_dir=(articles_dir or default_articles_dir(root)).resolve(),
        )

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    def source_files(self) -> list[Path]:
        """Every file the published store is built from, sorted, for staleness checks."""
        files: list[Path] = []
        for folder in (self.ontology_dir, self.data_dir, self.shapes_dir):
            if folder.is_dir():
                files.extend(p for p in folder.rglob("*") if p.is_file())
        return sorted(files)


def _setting(default: object, help_text: str, option: str | None = None) -> Any:
    """A field of :class:`ServeSettings` with its help text (and its ``serve`` option)."""
    return field(default=default, metadata={"help": help_text, "option": option})


@dataclass(frozen=True)
class ServeSettings:
    """Every default and limit of the SPARQL endpoint, in one place.

    ``dealgraph serve --help-settings`` prints this table; a field with an ``option`` is set
    on the command line, the others are fixed here so that every module reads the same value.
    """

    host: str = _setting("127.0.0.1", "Interface to listen on.", "--host")
    port: int = _setting(8000, "TCP port.", "--port")
    timeout: float = _setting(
        30.0, "Seconds a query may run before its worker is killed (503).", "--timeout"
    )
    workers: int = _setting(
        0, "Query worker processes (0: the CPU count, at least 2).", "--workers"
    )
    allowed_services: tuple[str, ...] = _setting(
        (WIKIDATA_QUERY_SERVICE,),
        "SPARQL endpoints a SERVICE clause may call; any other is refused (403).",
        "--allow-service",
    )
    access_log: bool = _setting(False, "Log one line per request.", "--access-log")
    max_request_bytes: int = _setting(
        1_000_000, "Largest query accepted, in the URL or the body (413 beyond)."
    )
    result_cache_bytes: int = _setting(
        64 * 1024 * 1024, "Memory for cached answers of repeatable queries, per server."
    )
    result_cache_entry_bytes: int = _setting(
        1024 * 1024, "Largest answer kept in the result cache."
    )
    gzip_minimum_bytes: int = _setting(1000, "Smallest answer worth compressing with gzip.")
    cors_max_age: int = _setting(86400, "Seconds a browser may cache a CORS preflight answer.")
    neighbourhood_limit: int = _setting(
        5000, "Most incoming links a /id/ page gathers for one resource."
    )
    search_limit: int = _setting(50, "Most resources a /search answer lists.")
    search_max_chars: int = _setting(200, "Longest /search query read (the rest is ignored).")
    build_check_seconds: float = _setting(
        1.0, "How often the server looks for a newly published build."
    )
    worker_start_seconds: float = _setting(
        60.0, "How long a new worker may take to start and open the store."
    )
    limit_concurrency: int = _setting(1000, "Most connections served at once (503 beyond).")
    graceful_shutdown_seconds: float = _setting(
        5.0, "How long a stopping server lets running requests finish."
    )
    header_timeout_seconds: float = _setting(
        10.0, "Seconds a client may take to send a request's headers (connection closed beyond)."
    )
    client_connections: int = _setting(
        64, "Most open connections from one client address (closed at once beyond)."
    )
    body_timeout_seconds: float = _setting(
        30.0, "Seconds a client may take to send a request body (408 beyond)."
    )
    federation_workers: int = _setting(
        1, "Worker processes with network, for queries that call an allowlisted SERVICE."
    )
    client_share: int = _setting(
        0,
        "Workers each client address is guaranteed (0: all workers but one, at least 1); "
        "a lone client may use more until another client waits.",
    )
    preempt_seconds: float = _setting(
        0.25,
        "Seconds a query on a worker borrowed beyond its client's share may run once another "
        "client waits (then its worker is killed and the query queued again).",
    )
    worker_memory_bytes: int = _setting(
        4 * 1024**3, "Address space a query worker may use (0: no cap; its worker stops beyond)."
    )
    worker_stack_bytes: int = _setting(
        256 * 1024**2, "Stack of the thread a worker runs queries on (deep nesting needs it)."
    )
    max_query_depth: int = _setting(200, "Deepest nesting of { ( [ in a query (400 beyond).")
    max_answer_bytes: int = _setting(
        100_000_000, "Largest answer a query may produce (422 beyond: add a LIMIT)."
    )
    spill_bytes: int = _setting(
        1024 * 1024, "Answers above this size go through a temporary file, streamed from it."
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **given: Any) -> ServeSettings:
        """Defaults, overridden by ``DEALGRAPH_<NAME>`` variables, overridden by *given*
        (the command line's options; None means "not given")."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            text = environ.get(f"DEALGRAPH_{item.name.upper()}")
            if text is not None:
                values[item.name] = _parse(item.name, text, item.default)
        values.update({k: v for k, v in given.items() if v is not None})
        return cls(**values)

    @property
    def worker_count(self) -> int:
        """The number of query worker processes to run."""
        return self.workers or max(2, os.cpu_count() or 2)

    @classmethod
    def help_table(cls) -> str:
        """Every setting with its default, its ``serve`` option and variable, and its help text."""
        rows = []
        for item in fields(cls):
            default = item.default
            if isinstance(default, tuple):
                default = ", ".join(default)
            env = f"DEALGRAPH_{item.name.upper()}"
            option = f"{item.metadata['option']}, {env}" if item.metadata["option"] else env
            rows.append((item.name, str(default), option, item.metadata["help"]))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        return "".join(
            f"{name:<{widths[0]}}  {default:<{widths[1]}}  {option:<{widths[2]}}  {text}\n"
            for name, default, option, text in rows
        )


def _parse(name: str, text: str, default: object) -> Any:
    """The value of setting *name* from its environment variable's *text*."""
    try:
        if isinstance(default, bool):
            if text.lower() not in ("1", "true", "yes", "0", "false", "no"):
                raise ValueError(text)
            return text.lower() in ("1", "true", "yes")
        if isinstance(default, tuple):
            return tuple(part.strip() for part in text.split(",") if part.strip())
        return type(default)(text)
    except ValueError:
        raise ValueError(
            f"DEALGRAPH_{name.upper()}={text!r} is not a valid {type(default).__name__}"
        ) from None
