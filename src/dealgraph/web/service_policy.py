"""The SERVICE allowlist: federated calls only to endpoints the operator named."""

from __future__ import annotations

from collections.abc import Iterable

from ..namespaces import WIKIDATA_QUERY_SERVICE
from ..sparql_text import QueryShape


class ServiceRefusedError(ValueError):
    """The query calls a SERVICE that is not on the allowlist (or cannot be known in advance)."""


class ServicePolicy:
    """Decides, before any evaluation, whether a query's SERVICE calls may run."""

    def __init__(self, allowed: Iterable[str] = (WIKIDATA_QUERY_SERVICE,)) -> None:
        self.allowed = frozenset(allowed)

    def check(self, shape: QueryShape) -> None:
        """Raise :class:`ServiceRefusedError` unless every SERVICE target is allowlisted."""
        for target in shape.service_targets:
            if target is None:
                raise ServiceRefusedError(
                    "SERVICE refused: the target must be a fixed absolute IRI "
                    "(variables, relative IRIs and undeclared prefixes are not allowed)"
                )
            if target not in self.allowed:
                allowed = ", ".join(sorted(self.allowed)) or "none"
                raise ServiceRefusedError(
                    f"SERVICE <{target}> refused: this endpoint only federates with {allowed}"
                )
