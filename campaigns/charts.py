"""Charts of the campaign pages, drawn on the server as SVG. Pure: plain values in, markup out (no Django).

No script and no ``style`` attribute (the pages will get a Content Security Policy): colours and sizes come from
classes styled in ``campaign_results.css``; geometry uses SVG attributes. Every chart is ``role="img"`` with a
French label, and the pages put a table or a sentence with the same figures beside it for screen readers.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from html import escape

from campaigns.analysis import Day, number_fr

WIDTH, HEIGHT = 640, 270
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 34, 36
GRID_LINES = 4


def _nice_max(value: int) -> int:
    """The top of the vertical axis, so that its four grid lines fall on whole numbers not far above ``value``:
    6 → 8, 27 → 32, 2 500 → 3 000."""
    wanted = max(value, 1) / GRID_LINES
    magnitude = 10 ** int(math.floor(math.log10(wanted))) if wanted >= 1 else 1
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10):
        size = step * magnitude
        if size >= wanted and float(size).is_integer():
            return int(size * GRID_LINES)
    return int(10 * magnitude * GRID_LINES)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def cumulative_chart(days: Sequence[Day], *, until: datetime.date | None = None, label: str,
                     started_label: str = "Participants", shared_label: str = "Résultats reçus",
                     width: int = WIDTH, height: int = HEIGHT, css: str = "") -> str:
    """Two step lines, cumulative started and sent participations per day, from the day before the first one
    (at zero) to ``until`` (today, so a quiet week shows as a flat line). Empty string without any day.

    ``width`` × ``height`` is the drawing's own size: the page draws a wide one and a narrow one (for phones, so
    that its text is not shrunk) and shows one of them."""
    if not days:
        return ""
    first = days[0].date - datetime.timedelta(days=1)
    last = max(days[-1].date, until or days[-1].date)
    span = max((last - first).days, 1)
    top = _nice_max(max(max(day.started, day.shared) for day in days))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def x(date: datetime.date) -> float:
        return LEFT + plot_w * ((date - first).days / span)

    def y(value: int) -> float:
        return TOP + plot_h * (1 - value / top)

    classes = f"chart chart-cumulative {css}".strip()
    parts = [f'<svg class="{escape(classes)}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(label)}" preserveAspectRatio="xMidYMid meet">']
    for step in range(GRID_LINES + 1):  # horizontal grid and its values
        value = top * step // GRID_LINES
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{_fmt(y(value))}" '
                     f'y2="{_fmt(y(value))}"/>')
        parts.append(f'<text class="chart-axis" x="{LEFT - 6}" y="{_fmt(y(value) + 4)}" text-anchor="end">'
                     f'{escape(number_fr(value))}</text>')
    ticks = [days[0].date, last] if last != days[0].date else [last]
    if (last - days[0].date).days >= 6:
        ticks.insert(1, days[0].date + datetime.timedelta(days=(last - days[0].date).days // 2))
    for index, tick in enumerate(ticks):
        anchor = "end" if tick == last else "middle"
        parts.append(f'<text class="chart-axis" x="{_fmt(x(tick))}" y="{height - 12}" text-anchor="{anchor}">'
                     f'{tick:%d/%m}</text>')
    for attribute, css in (("started", "series-started"), ("shared", "series-shared")):
        points: list[tuple[float, float]] = [(x(first), y(0))]
        for day in days:
            value = getattr(day, attribute)
            points.append((x(day.date), points[-1][1]))  # flat until the day, then the step
            points.append((x(day.date), y(value)))
        points.append((x(last), points[-1][1]))
        path = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in points)
        parts.append(f'<polyline class="chart-line {css}" points="{path}" fill="none"/>')
    legend_y = 8
    for index, (text, css) in enumerate(((started_label, "series-started"), (shared_label, "series-shared"))):
        lx = LEFT + index * min(190, (width - LEFT) // 2)
        parts.append(f'<rect class="chart-key {css}" x="{lx}" y="{legend_y}" width="14" height="4"/>')
        parts.append(f'<text class="chart-legend" x="{lx + 20}" y="{legend_y + 6}">{escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar(value: float, maximum: float, *, label: str, css: str = "") -> str:
    """A horizontal bar (for a table cell): ``value`` of ``maximum``, labelled for screen readers."""
    width = 0 if not maximum else max(0.0, min(100.0, 100 * value / maximum))
    classes = f"bar {css}".strip()
    return (f'<svg class="{escape(classes)}" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
            f'aria-label="{escape(label)}"><rect class="bar-track" width="100" height="10" rx="2"/>'
            f'<rect class="bar-fill" width="{_fmt(width)}" height="10" rx="2"/></svg>')


def gauge(mean_level: float, max_level: float, *, scale: int, label: str) -> str:
    """Positionnement: the mean level reached (filled) and the campaign's maximum for it (a tick), on 0–``scale``."""
    scale = max(scale, 1)
    filled = max(0.0, min(100.0, 100 * mean_level / scale))
    tick = max(0.0, min(100.0, 100 * max_level / scale))
    return (f'<svg class="gauge" viewBox="0 0 100 12" preserveAspectRatio="none" role="img" '
            f'aria-label="{escape(label)}"><rect class="gauge-track" y="2" width="{_fmt(tick)}" height="8" rx="2"/>'
            f'<rect class="gauge-fill" y="2" width="{_fmt(filled)}" height="8" rx="2"/>'
            f'<rect class="gauge-max" x="{_fmt(max(0.0, tick - 0.8))}" width="0.8" height="12"/></svg>')


_STAR = "M10 1.5l2.6 5.6 6.1.7-4.5 4.2 1.2 6-5.4-3-5.4 3 1.2-6L1.3 7.8l6.1-.7z"


def stars(reached: int, total: int, *, label: str) -> str:
    """``total`` stars, ``reached`` of them lit (the zero stage lights none)."""
    parts = [f'<svg class="stars" viewBox="0 0 {20 * max(total, 1)} 20" width="{20 * max(total, 1)}" height="20" '
             f'role="img" aria-label="{escape(label)}">']
    for index in range(total):
        css = "star star-lit" if index < reached else "star"
        parts.append(f'<path class="{css}" transform="translate({20 * index} 0)" d="{_STAR}"/>')
    parts.append("</svg>")
    return "".join(parts)


def bubbles(count: int, *, label: str, total: int = 4) -> str:
    """The recommendation's bubbles: 4 for « Très recommandé » … 1 for « Assez recommandé »."""
    parts = [f'<svg class="bubbles" viewBox="0 0 {14 * total} 12" width="{14 * total}" height="12" role="img" '
             f'aria-label="{escape(label)}">']
    for index in range(total):
        css = "bubble bubble-on" if index < count else "bubble"
        parts.append(f'<circle class="{css}" cx="{14 * index + 6}" cy="6" r="5"/>')
    parts.append("</svg>")
    return "".join(parts)
