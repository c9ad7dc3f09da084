"""The picture of the expected recovery: an SVG drawn from the course data (phases, expected
peak, recovery window, delivery), with "you are here" for this patient. Plain SVG so that the
same picture works in the browser and in WeasyPrint's PDF."""

from __future__ import annotations

import datetime as dt
from html import escape

from tohip.plan.types import ExpectedCourse

WIDTH, HEIGHT = 680, 230
LEFT, RIGHT, TOP, BASE = 40, 650, 30, 150
PHASE_COLOURS = ("#f4a261", "#e9c46a", "#2a9d8f", "#8ab17d")
MONTH_WEEKS = 52 / 12


def _x(week: float, last: float) -> float:
    return LEFT + (RIGHT - LEFT) * min(max(week, 0), last) / last


def _pain_curve(course: ExpectedCourse, peak: float, last: float) -> str:
    """Expected pain: rising to the peak, easing to nothing by the end of the window."""
    end = course.phases[-1].to_week
    points = [(0.0, 0.35), (peak * 0.5, 0.8), (peak, 1.0), ((peak + end) / 2, 0.45), (end, 0.05)]
    return " ".join(f"{_x(w, last):.1f},{BASE - 100 * h:.1f}" for w, h in points)


def _month_label(onset: dt.date | None, months: int) -> str:
    if onset is None:
        return "start" if months == 0 else f"{months} months"
    day = onset + dt.timedelta(days=round(months * MONTH_WEEKS * 7))
    return day.strftime("%b %Y")


def _marker(x: float, text: str, colour: str, row: int) -> str:
    y = TOP - 8 + 14 * row
    return (
        f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{BASE}" stroke="{colour}" '
        f'stroke-width="2" stroke-dasharray="4 3"/>'
        f'<text x="{x + 4:.1f}" y="{y}" font-size="12" fill="{colour}">{escape(text)}</text>'
    )


def timeline_svg(
    course: ExpectedCourse, peak_weeks: float, today_label: str = "You are here"
) -> str:
    """The course as an SVG string (no XML prolog, ready to inline in HTML)."""
    last = course.phases[-1].to_week
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Expected recovery timeline">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    for i, phase in enumerate(course.phases):
        x0, x1 = _x(phase.from_week, last), _x(phase.to_week, last)
        colour = PHASE_COLOURS[i % len(PHASE_COLOURS)]
        parts.append(
            f'<rect x="{x0:.1f}" y="{BASE + 6}" width="{x1 - x0:.1f}" height="22" '
            f'fill="{colour}"/>'
            f'<text x="{(x0 + x1) / 2:.1f}" y="{BASE + 21}" font-size="12" '
            f'text-anchor="middle" fill="#1d1d1d">{escape(phase.label)}</text>'
        )
    parts.append(
        f'<polyline points="{_pain_curve(course, peak_weeks, last)}" fill="none" '
        f'stroke="#c0392b" stroke-width="3"/>'
        f'<text x="{LEFT}" y="{TOP + 2}" font-size="12" fill="#c0392b">Pain</text>'
        f'<line x1="{LEFT}" y1="{BASE}" x2="{RIGHT}" y2="{BASE}" stroke="#555" stroke-width="1"/>'
    )
    for months in range(0, int(last / MONTH_WEEKS) + 1, 3):
        x = _x(months * MONTH_WEEKS, last)
        parts.append(
            f'<line x1="{x:.1f}" y1="{BASE + 30}" x2="{x:.1f}" y2="{BASE + 36}" stroke="#555"/>'
            f'<text x="{x:.1f}" y="{BASE + 50}" font-size="12" text-anchor="middle" '
            f'fill="#333">{escape(_month_label(course.onset_date, months))}</text>'
        )
    row = 0
    if course.expected_delivery is not None and course.onset_date is not None:
        weeks = (course.expected_delivery - course.onset_date).days / 7
        if 0 <= weeks <= last:
            parts.append(_marker(_x(weeks, last), "Baby due", "#6a4c93", row))
            row += 1
    if course.weeks_since_onset is not None and course.weeks_since_onset <= last:
        parts.append(_marker(_x(course.weeks_since_onset, last), today_label, "#1d3557", row))
    parts.append("</svg>")
    return "".join(parts)
