"""Words on the timeline: widths estimated without fonts, wrapping, dates as precise as stated."""

from __future__ import annotations

from datetime import date

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def text_width(text: str, size: float) -> float:
    """A generous estimate of *text*'s width in a sans-serif font, for layout without fonts."""
    em = 0.0
    for ch in text:
        if ch in "ijl.,:;'’!|":
            em += 0.28
        elif ch in " ()[]ft-/r":
            em += 0.36
        elif ch in "mwMW%@–—":
            em += 0.9
        elif ch.isupper():
            em += 0.7
        else:
            em += 0.58
    return em * size * 0.94


def wrap(text: str, size: float, width: float, lines: int = 2) -> list[str]:
    """*text* in at most *lines* lines of *width*, the last one cut with "…" if need be."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and text_width(f"{line} {words[0]}", size) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:  # what does not fit is in the tooltip
        last = out[-1]
        while last and text_width(last + " …", size) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        out[-1] = last + " …"
    return out


def when(day: date | None, precision: str, inferred: bool = False) -> str:
    """A date as precisely as the sources give it: "2019", "≈ Jun 2024", "3 Oct 2025"."""
    if day is None:
        return "?"
    text = {"year": f"{day.year}", "month": f"{MONTHS[day.month - 1]} {day.year}"}.get(
        precision, f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    )
    return f"≈ {text}" if inferred else text


def count(n: int, noun: str) -> str:
    """ "1 right", "12 rights", or "" for none."""
    return f"{n} {noun}{'s' * (n != 1)}" if n else ""
