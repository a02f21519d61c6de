"""Where a day falls on the picture: a linear year scale across the plot area."""

from __future__ import annotations

from datetime import date

from .style import PLOT_LEFT, PLOT_RIGHT


class Scale:
    """x positions of days, from January 1 of *first_year* to January 1 of *last_year*."""

    def __init__(self, first_year: int, last_year: int) -> None:
        self.first_year = first_year
        self.per_year = (PLOT_RIGHT - PLOT_LEFT) / max(last_year - first_year, 1)

    def x(self, day: date) -> float:
        """The x of the start of *day*, to a tenth of a pixel."""
        start = date(day.year, 1, 1)
        days = (date(day.year + 1, 1, 1) - start).days
        fraction = day.year - self.first_year + (day - start).days / days
        return round(PLOT_LEFT + fraction * self.per_year, 1)
