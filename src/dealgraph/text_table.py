"""Aligned plain-text tables, as the command line prints them."""

from __future__ import annotations


def table(headers: list[str], rows: list[list[str]]) -> str:
    """An aligned plain-text table with a header rule (line breaks in cells become spaces)."""
    rows = [[cell.replace("\n", " ") for cell in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines) + "\n"
