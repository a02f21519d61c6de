"""The timeline picture's measures, colours and stylesheet (one place for the look)."""

from __future__ import annotations

WIDTH = 1200
PAD = 16
LABEL_WIDTH = 356  # the left column: names of agreements, rights and stakes
PLOT_LEFT = PAD + LABEL_WIDTH + 24
PLOT_RIGHT = WIDTH - 44  # room on the right for the arrows of open-ended bars
GROUP_HEIGHT = 28
AGREEMENT_ROW = 22  # 32 when the name takes two lines
RIGHT_ROW = 34
FONT = "'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Liberation Sans', sans-serif"
INK, MUTED, GRID, ENDED = "#1d2330", "#5d6677", "#e3e7ee", "#c0362c"
AGREEMENT_INK = "#14213d"
WHITE, ZEBRA = "#ffffff", "#f6f8fb"
PALETTE = ["#1f6fd1", "#0e9f77", "#9b51e0", "#d97706", "#db2777"]  # by holder, in label order

STYLE = f"""
text {{ font-family: {FONT}; fill: {INK}; }}
.title {{ font-size: 17px; font-weight: 700; }}
.sub {{ font-size: 12px; fill: {MUTED}; }}
.year {{ font-size: 11px; fill: {MUTED}; text-anchor: middle; }}
.group {{ font-size: 13px; font-weight: 700; }}
.name {{ font-size: 12px; }}
.note {{ font-size: 11px; fill: {MUTED}; }}
.ended {{ font-size: 11px; fill: {ENDED}; font-weight: 600; }}
.stake {{ font-size: 12px; font-weight: 700; }}
.halo {{ paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }}
.legend {{ font-size: 11.5px; }}
a:hover text {{ text-decoration: underline; }}
"""
