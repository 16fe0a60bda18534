"""A story's timeline drawn as an inline SVG picture: when it was reported (one mark per event)
and what the articles date (the dated statements: "im August 2024", "im vergangenen Jahr").

Plain SVG inside the HTML: no script, no network, every label escaped; each mark carries its
text as a tooltip (<title>) so a reader can check it.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape

WIDTH = 640
LEFT, RIGHT = 92, 16  # room for the row labels; a margin for the last mark
ROW_Y = {"reported": 34, "happened": 70}
HEIGHT = 100
_SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}|SP|SU|FA|WI))?(?:-(\d{2}))?")


def day_number(value: str | None) -> int | None:
    """An ISO date prefix (2024, 2024-08, 2024-SU, 2025-07-12T10:00) as a day count."""
    match = _DATE.match(value or "")
    if not match:
        return None
    year, month, day = match.groups()
    month_number = _SEASON_MONTH.get(month or "", int(month) if month and month.isdigit() else 1)
    try:
        return date(int(year), month_number, int(day or 1)).toordinal()
    except ValueError:
        return None


def story_timeline_svg(events: list[dict]) -> str:
    """The SVG for one story's events (in story order, numbered from 1 as the page lists them)."""
    marks = [(number, "reported", entry["date"], entry["text"]) for number, event in enumerate(events, 1) for entry in event["timeline"]]
    marks += [(number, "happened", entry["date"], entry["text"]) for number, event in enumerate(events, 1) for entry in event["dated_statements"]]
    placed = [(number, row, value, text, day_number(value)) for number, row, value, text in marks]
    placed = [mark for mark in placed if mark[4] is not None]
    if not placed:
        return ""
    first, last = min(m[4] for m in placed), max(m[4] for m in placed)
    span = max(last - first, 1)

    def x(day: int) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (day - first) / span, 1)

    parts = [
        f"<svg class='timeline' viewBox='0 0 {WIDTH} {HEIGHT}' role='img' aria-label='timeline' xmlns='http://www.w3.org/2000/svg'>",
        f"<text x='4' y='{ROW_Y['reported'] + 4}'>reported</text><text x='4' y='{ROW_Y['happened'] + 4}'>dated in text</text>",
    ]
    for y in ROW_Y.values():
        parts.append(f"<line x1='{LEFT}' x2='{WIDTH - RIGHT}' y1='{y}' y2='{y}' class='axis'/>")
    for (number, row, cx), tips in _at_one_place(placed, x).items():
        tip = f"<title>{escape(_tip(tips))}</title>"
        cy = ROW_Y[row]
        if row == "reported":
            parts.append(f"<g class='mark'><circle cx='{cx}' cy='{cy}' r='6'/>{tip}<text x='{cx}' y='{cy - 10}' text-anchor='middle'>{number}</text></g>")
        else:
            parts.append(f"<g class='mark'><rect x='{cx - 4}' y='{cy - 4}' width='8' height='8' transform='rotate(45 {cx} {cy})'/>{tip}</g>")
    precision = 10 if span < 90 else 7  # days for a short story, months for a long one
    for day, anchor in sorted({first: "start", last: "end"}.items()):
        label = date.fromordinal(day).isoformat()[:precision]
        parts.append(f"<text x='{x(day)}' y='{HEIGHT - 6}' text-anchor='{anchor}' class='tick'>{label}</text>")
    parts.append("</svg>")
    return "".join(parts)


TIPS_SHOWN = 3  # texts named in one mark's tooltip; the rest counted
TIP_CHARACTERS = 140  # of each text: enough to find its sentence (in the events below, or the article)


def _at_one_place(placed: list[tuple], x) -> dict[tuple, list[str]]:
    """One mark per place: an event's reports of one day, or all dates in the text that fall on one
    pixel (a running story of thousands of articles would draw thousands of marks on each other)."""
    marks: dict[tuple, list[str]] = {}
    for number, row, value, text, day in placed:
        where = (number if row == "reported" else 0, row, x(day) if row == "reported" else round(x(day)))
        marks.setdefault(where, []).append(f"{value}: {_shortened(text)}")
    return marks


def _tip(texts: list[str]) -> str:
    unique = list(dict.fromkeys(texts))
    more = f"\n… and {len(unique) - TIPS_SHOWN} more" if len(unique) > TIPS_SHOWN else ""
    return "\n".join(unique[:TIPS_SHOWN]) + more


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TIP_CHARACTERS else text[: TIP_CHARACTERS - 1].rsplit(" ", 1)[0] + "…"
