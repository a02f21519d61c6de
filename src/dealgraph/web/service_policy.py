"""The SERVICE allowlist of one server: federated calls only to endpoints the operator named.

The checking itself is :func:`dealgraph.sparql_text.guard`, the one guard that ``dealgraph
query`` runs too; this object holds what the server feeds it (allowlist, depth limit, whether
its query workers run without network).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..namespaces import WIKIDATA_QUERY_SERVICE
from ..sparql_text import (
    MAX_DEPTH,
    GuardedQuery,
    QueryRefusedError,
    QueryShape,
    ServiceRefusedError,
    check_services,
    guard,
)

__all__ = ["QueryRefusedError", "ServicePolicy", "ServiceRefusedError"]


class ServicePolicy:
    """Decides, before any evaluation, whether a query may run, and where."""

    def __init__(
        self,
        allowed: Iterable[str] = (WIKIDATA_QUERY_SERVICE,),
        max_depth: int = MAX_DEPTH,
        sandboxed: bool = True,
    ) -> None:
        self.allowed = frozenset(allowed)
        self.max_depth = max_depth
        self.sandboxed = sandboxed  # set from the pool: do offline workers really lack network?

    def check(self, shape: QueryShape) -> None:
        """Raise :class:`ServiceRefusedError` unless every SERVICE the lexer saw is allowlisted
        (the lexer's half of :meth:`guard`)."""
        check_services(shape, self.allowed)

    def guard(self, text: str, *, sandboxed: bool | None = None) -> GuardedQuery:
        """The guard's verdict on *text* (*sandboxed*: whether queries that need no network
        run without one; default: this policy's); raises :class:`QueryRefusedError`."""
        if sandboxed is None:
            sandboxed = self.sandboxed
        return guard(text, self.allowed, sandboxed=sandboxed, max_depth=self.max_depth)
