"""Text folded for comparison: the one rule for names and searches (no accents, no case)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """*text* without accents and case: "Énergie" and "energie" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
