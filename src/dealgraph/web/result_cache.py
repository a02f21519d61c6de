"""A cache of complete query answers, per published build.

A build never changes once published, so the same query with the same dataset and media
type on the same build always has the same answer (unless it calls SERVICE or a volatile
function such as NOW(), which the caller excludes). Repeated queries — the example queries
of the query page, a dashboard polling, a client retrying — are then answered without a
trip to a worker process.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from .executor import Outcome

MAX_BYTES = 64 * 1024 * 1024  # all cached bodies together
MAX_ENTRY_BYTES = 1024 * 1024  # larger answers are not worth keeping


class ResultCache:
    """A least-recently-used map from request keys to finished 200 outcomes, bounded in bytes."""

    def __init__(self, max_bytes: int = MAX_BYTES, max_entry_bytes: int = MAX_ENTRY_BYTES):
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[Hashable, Outcome] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> Outcome | None:
        """The cached outcome for *key*, marked as most recently used, or None."""
        outcome = self._entries.get(key)
        if outcome is not None:
            self._entries.move_to_end(key)
        return outcome

    def put(self, key: Hashable, outcome: Outcome) -> None:
        """Keep a successful *outcome* unless it is too large; evict the oldest beyond the bound."""
        size = len(outcome.body)
        if outcome.status != 200 or size > self.max_entry_bytes or key in self._entries:
            return
        self._entries[key] = outcome
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted.body)

    def __len__(self) -> int:
        return len(self._entries)
