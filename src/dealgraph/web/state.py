"""What the routes share: the settings, the build being served, the worker pool, caches."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..namespaces import href
from ..queries import CannedQuery, QueryFileError, load_queries
from ..settings import ServeSettings, Settings
from .published import Published, PublishedWatcher
from .responses import HttpError
from .result_cache import ResultCache
from .service_policy import ServicePolicy
from .worker_pool import WorkerPool

TEMPLATES = Path(__file__).parent / "templates"


def _templates() -> Environment:
    """The page templates, with ``href`` (where the server shows an IRI) as a filter."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["href"] = href
    return env


@dataclass
class ServerState:
    """One server's shared state; routes receive it with each request."""

    settings: Settings
    serve: ServeSettings
    watcher: PublishedWatcher
    pool: WorkerPool
    policy: ServicePolicy
    templates: Environment
    results: ResultCache  # answers of repeatable queries
    _per_build: dict[str, tuple[str, Any]] = field(default_factory=dict)  # name -> (build, value)

    @classmethod
    def create(cls, settings: Settings, serve: ServeSettings) -> ServerState:
        """The state of a server over the published store of *settings*."""
        return cls(
            settings=settings,
            serve=serve,
            watcher=PublishedWatcher(settings.store_dir, serve.build_check_seconds),
            pool=WorkerPool.from_settings(serve),
            policy=ServicePolicy(list(serve.allowed_services), serve.max_query_depth),
            templates=_templates(),
            results=ResultCache(serve.result_cache_bytes, serve.result_cache_entry_bytes),
        )

    def published(self) -> Published:
        """The build being served; 503 when there is none."""
        published = self.watcher.get()
        if published is None:
            raise HttpError(503, "no published store yet: run 'dealgraph build'")
        return published

    async def per_build(
        self, name: str, published: Published, compute: Callable[[], Awaitable[Any]]
    ) -> Any:
        """The value *name* of *published*, computed once per build (the last build's only)."""
        build_id = published.info.build_id
        cached = self._per_build.get(name)
        if cached is None or cached[0] != build_id:
            cached = (build_id, await compute())
            self._per_build[name] = cached
        return cached[1]

    def render(self, template: str, **context: Any) -> str:
        """The page *template* rendered with *context*."""
        return self.templates.get_template(template).render(**context)

    def canned_queries(self) -> list[CannedQuery]:
        """The competency questions, re-read so edits show without a restart."""
        try:
            return load_queries(self.settings.queries_dir)
        except (OSError, QueryFileError):
            return []
