"""Dates as periods: a date known to a year or a month stands for every day of it."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from ..errors import DealgraphError
from ..namespaces import PREFIXES

DG = PREFIXES["dg"]
YEAR = DG + "YearPrecision"
MONTH = DG + "MonthPrecision"
DAY = DG + "DayPrecision"

_DAY_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class BadTimeInput(DealgraphError):
    """A date, holder or agreement given by the user cannot be used (exit code 2)."""


def period(first: date, precision: str | None) -> tuple[date, date]:
    """The earliest and latest day of the period *first* stands for at *precision* (an IRI).

    ``dg:date`` is the first day of its period; no precision means the day itself.
    """
    if precision == YEAR:
        return date(first.year, 1, 1), date(first.year, 12, 31)
    if precision == MONTH:
        last = calendar.monthrange(first.year, first.month)[1]
        return date(first.year, first.month, 1), date(first.year, first.month, last)
    return first, first


def day_before(day: date) -> date:
    """The day before *day* (an end "by" X is the last day before X starts)."""
    return day - timedelta(days=1)


def looks_like_day(text: str) -> bool:
    """True when *text* has the shape YYYY-MM-DD (valid or not)."""
    return bool(_DAY_SHAPE.match(text.strip()))


def parse_day(text: str) -> date:
    """The day written YYYY-MM-DD; :class:`BadTimeInput` in one sentence otherwise."""
    value = text.strip()
    if looks_like_day(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise BadTimeInput(f"'{text}' is not a valid date: write it as YYYY-MM-DD, e.g. 2025-06-30")
