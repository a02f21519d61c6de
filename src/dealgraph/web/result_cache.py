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
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the cache holds outcomes; it never runs a job
    from ..engine import Outcome

ENTRY_OVERHEAD = 600  # measured: a tiny cached answer costs about this much beyond its text


class ResultCache:
    """A least-recently-used map from request keys to finished 200 outcomes, bounded in bytes.

    An entry costs its body, the text in its key (the query) and a fixed overhead, so many
    small distinct queries are bounded as surely as a few large answers.
    """

    def __init__(self, max_bytes: int, max_entry_bytes: int):
        """Keep at most *max_bytes* in all, and no answer larger than *max_entry_bytes*."""
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[Hashable, tuple[Outcome, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> Outcome | None:
        """The cached outcome for *key*, marked as most recently used, or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: Hashable, outcome: Outcome) -> None:
        """Keep a successful *outcome* unless it is too large; evict the oldest beyond the bound."""
        if outcome.status != 200 or len(outcome.body) > self.max_entry_bytes:
            return
        if key in self._entries:
            return
        cost = len(outcome.body) + _text_size(key) + ENTRY_OVERHEAD
        self._entries[key] = (outcome, cost)
        self._bytes += cost
        while self._bytes > self.max_bytes:
            _, (_, evicted_cost) = self._entries.popitem(last=False)
            self._bytes -= evicted_cost

    def __len__(self) -> int:
        return len(self._entries)


def _text_size(key: Hashable) -> int:
    """The characters of the strings in *key* (a string or nested tuples of them)."""
    if isinstance(key, str):
        return len(key)
    if isinstance(key, tuple):
        return sum(_text_size(part) for part in key)
    return 0
