"""Temporal expressions: found by patterns built from ``lang/<code>/time.json``, normalised to
TIMEX3-style values against a reference date.

News mode: the reference is the article's date (at its precision: a month-only date leaves a
weekday underspecified), and the tense of the sentence decides whether "im April" is the April
before or after it. Narrative mode (history, WikiWars): the reference is the last date the text
named. Extents leave out prepositions ("am 13. August" -> "13. August") but keep modifiers
("Ende Januar 1945").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from lagebild import lang
from lagebild.model import Sentence, TimeExpression

_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_DATE_PREPOSITIONS = {"im", "Im", "seit", "Seit", "bis", "von", "vom", "ab", "nach", "vor", "um", "Jahr", "Jahre", "Jahres", "in", "In", "und", "oder", "/", "–", "-", "zwischen", "Anfang", "Mitte", "Ende", "Herbst", "Sommer", "Winter", "Frühjahr", "Frühling"}


@dataclass
class Reference:
    """What relative expressions resolve against: a date at year, month or day precision."""

    year: int | None
    month: int | None = None
    day: int | None = None

    @classmethod
    def from_iso(cls, iso: str | None) -> "Reference":
        parts = [int(p) for p in iso.split("-")] if iso else []
        return cls(*(parts + [None] * (3 - len(parts)))[:3]) if parts else cls(None)

    def as_date(self) -> date | None:
        return date(self.year, self.month, self.day) if self.year and self.month and self.day else None


def _vocabulary(language: str) -> dict:
    return lang.settings(language, "time")


@cache
def _patterns(language: str) -> list[tuple[str, re.Pattern]]:
    v = _vocabulary(language)
    month, weekday, season = lang.alternation(v["months"]), lang.alternation(v["weekdays"]), lang.alternation(v["seasons"])
    modifier, unit = lang.alternation(v["modifiers"]), lang.alternation(v["units"])
    number = lang.alternation(list(v["numbers"]) + [n.capitalize() for n in v["numbers"]])  # "Zwei Tage später"
    relative, approx = lang.alternation(v["relative_years"]), lang.alternation(v["approximations"])
    parts = lang.alternation(v["day_parts"])
    phrases = v["same_day"] + v["past_refs"] + v["future_refs"] + v["present_refs"]
    fixed = lang.alternation(phrases + [p[:1].upper() + p[1:] for p in phrases])
    amount = rf"(?:(?P<approx>{approx}) )?(?P<number>\d+(?:,\d+)?|{number})"
    shift_words = lang.alternation(v["after_words"] + v["before_words"])
    patterns = [
        ("full_date", rf"(?:(?P<mod>{modifier}) )?(?P<day>\d{{1,2}})\. ?(?P<month>{month})(?: (?P<year>{_YEAR}))?"),
        ("numeric_date", r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b"),
        ("century", r"(?P<century>\d{1,2})\. Jahrhunderts?"),
        ("shift", rf"{amount} (?P<unit>{unit}) (?P<shift>{shift_words})"),
        ("ago", rf"[Vv]or {amount} (?P<unit>{unit})"),
        ("after", rf"[Nn]ach {amount} (?P<unit>{unit})"),
        ("year_part", rf"(?:(?P<mod>{modifier}|Laufe) des Jahres|(?P<part_word>{lang.alternation(v['year_parts'])}))(?: (?P<year>{_YEAR}))?"),
        ("relative_year", rf"(?P<relative>{relative}) (?:Jahr|Jahres)\b"),
        ("relative_week", rf"(?P<relative>vergangene|letzte|diese|nächste|kommende)n? Woche\b"),
        ("season", rf"(?:(?P<mod>{modifier}) (?:des )?)?(?:(?P<this>[Dd]iese[nms]?) )?(?P<season>{season})(?: (?P<year>{_YEAR}))?\b"),
        ("month", rf"(?:(?P<mod>{modifier}) )?(?P<month>{month})(?: (?P<year>{_YEAR}))?(?!\w)"),
        ("year", rf"(?:(?P<mod>{modifier}) (?:des Jahres )?)?(?<![\d.,])(?P<year>{_YEAR})(?![\d.,]\d)\b"),
        ("weekday", rf"(?P<weekday>{weekday})(?P<part>{parts})?\b"),
        ("duration", rf"{amount} (?P<unit>{unit})\b"),
        ("adjective_duration", rf"(?P<number>{lang.alternation(v['numbers'])})(?P<unit>tägig|wöchig|monatig|jährig)\w*"),
        ("relative_day", rf"\b(?P<relative_day>{lang.alternation(v['relative_days'])})\b"),
        ("fixed", rf"(?<!\w)(?P<fixed>{fixed})(?!\w)"),
    ]
    return [(name, re.compile(pattern)) for name, pattern in patterns]


def find_times(text: str, sentences: list[Sentence], reference: str | None, language: str | None, narrative: bool = False) -> list[TimeExpression]:
    """All temporal expressions of a text with TIMEX3-style values."""
    language = language if language in ("de",) else "de"  # German rules; English follows
    vocabulary = _vocabulary(language)
    anchor = Reference.from_iso(reference)
    found: list[TimeExpression] = []
    for sentence in sentences:
        future = bool(set(text[sentence.start : sentence.end].split()) & set(vocabulary["future_verbs"]))
        for start, end, kind, match in _matches(text, sentence, language):
            expression = _normalise(kind, match, anchor, future, vocabulary, text[start:end], start, end, narrative)
            if expression is None:
                continue
            found.append(expression)
            if narrative and not sentence.is_heading and expression.type == "DATE" and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", expression.value):
                anchor = Reference.from_iso(expression.value)  # a bare year is often background: it does not move the story
    return found


def _matches(text: str, sentence: Sentence, language: str):
    """Non-overlapping matches in the sentence: earlier patterns and longer matches win."""
    taken: list[tuple[int, int, str, re.Match]] = []
    for kind, pattern in _patterns(language):
        for match in pattern.finditer(text, sentence.start, sentence.end):
            start, end = match.span()
            if any(start < e and s < end for s, e, _, _ in taken) or not _plausible(kind, match, text):
                continue
            taken.append((start, end, kind, match))
    return sorted(taken)


def _plausible(kind: str, match: re.Match, text: str) -> bool:
    """Keep a bare year or month only where a date can stand ("im Mai", "1941 begann", not
    "rund 2000 Stellen" or "August Bebel")."""
    if kind not in ("year", "month") or match.group("mod") or (kind == "month" and match.group("year")):
        return True
    before = text[: match.start()].split()[-1:] or [""]
    after = text[match.end() :].lstrip()
    if before[0] in _DATE_PREPOSITIONS or before[0].endswith(("/", "(")) or text[match.start() - 1 : match.start()] == "/":
        return True
    if kind == "month":
        return False
    next_word = after.split()[0] if after.split() else ""
    return not (next_word[:1].isupper() and next_word[:1].isalpha()) and before[0] not in ("rund", "etwa", "über", "mehr", "als", "zu", "knapp", "fast")


def _normalise(kind, match, anchor: Reference, future: bool, v: dict, text: str, start: int, end: int, narrative: bool = False) -> TimeExpression | None:
    group = match.groupdict()
    mod = v["modifiers"].get(group.get("mod") or "") or v["approximations"].get(group.get("approx") or "")
    value, time_type = None, "DATE"
    if kind in ("full_date", "numeric_date"):
        month = int(group["month"]) if group["month"].isdigit() else v["months"][group["month"]]
        year = int(group["year"]) if group.get("year") else _year_for(month, anchor, future, narrative)
        value = f"{_y(year)}-{month:02d}-{int(group['day']):02d}" if _valid(year, month, int(group["day"])) else None
    elif kind == "century":
        value = f"{int(group['century']) - 1:02d}"
    elif kind == "month":
        month = v["months"][group["month"]]
        year = int(group["year"]) if group.get("year") else _year_for(month, anchor, future, narrative)
        value = f"{_y(year)}-{month:02d}"
    elif kind == "year":
        value = group["year"]
    elif kind == "season":
        year = int(group["year"]) if group.get("year") else anchor.year
        value = f"{_y(year)}-{v['seasons'][group['season']]}"
    elif kind == "relative_year":
        value = _y(anchor.year + v["relative_years"][group["relative"]] if anchor.year else None)
    elif kind == "relative_week":
        offset = {"vergangene": -1, "letzte": -1, "diese": 0, "nächste": 1, "kommende": 1}[group["relative"]]
        ref = anchor.as_date()
        value = (ref + timedelta(weeks=offset)).strftime("%G-W%V") if ref else "XXXX-WXX"
    elif kind == "weekday":
        value = _weekday(v["weekdays"][group["weekday"]], anchor, future)
        if group.get("part"):
            value += "T" + v["day_parts"][group["part"]]
    elif kind == "relative_day":
        ref = anchor.as_date()
        offset = v["relative_days"][group["relative_day"]]
        if offset == 0 and (narrative or ref is None):
            value = "PRESENT_REF"  # "heute" in a history text is the writer's today
        else:
            value = (ref + timedelta(days=offset)).isoformat() if ref else "XXXX-XX-XX"
    elif kind in ("duration", "adjective_duration"):
        time_type, value = "DURATION", _duration(group, v)
    elif kind == "year_part":
        mod = v["modifiers"].get(group.get("mod") or "") or v["year_parts"].get(group.get("part_word") or "")
        value = group["year"] if group.get("year") else _y(anchor.year)
    elif kind in ("shift", "ago", "after"):
        sign = -1 if kind == "ago" or group.get("shift") in v["before_words"] else 1
        value = _shifted(anchor, group, v, sign)
    elif kind == "fixed":
        phrase = group["fixed"][:1].lower() + group["fixed"][1:]
        value = ("PAST_REF" if phrase in v["past_refs"] else "FUTURE_REF" if phrase in v["future_refs"]
                 else "PRESENT_REF" if phrase in v["present_refs"] else (anchor.as_date().isoformat() if anchor.as_date() else "XXXX-XX-XX"))
    if value is None:
        return None
    return TimeExpression(start, end, text, time_type, value, mod)


def _y(year: int | None) -> str:
    return f"{year:04d}" if year else "XXXX"


def _valid(year, month: int, day: int) -> bool:
    try:
        date(year or 2000, month, day)
        return True
    except ValueError:
        return False


def _year_for(month: int, anchor: Reference, future: bool, narrative: bool = False) -> int | None:
    """A month without a year. News: the one before the reference in past-tense text, after it in
    future. Narrative: the story moves forward, so a month before the reference's is next year's."""
    if anchor.year is None:
        return None
    if anchor.month is None:
        return anchor.year
    if narrative:
        return anchor.year
    if not future and month > anchor.month:
        return anchor.year - 1
    if future and month < anchor.month:
        return anchor.year + 1
    return anchor.year


def _weekday(weekday: int, anchor: Reference, future: bool) -> str:
    ref = anchor.as_date()
    if ref is None:
        return "XXXX-XX-XX"  # a weekday cannot be placed in a month-only or undated text
    delta = (weekday - ref.weekday()) % 7
    day = ref + timedelta(days=delta) if future else ref - timedelta(days=(ref.weekday() - weekday) % 7)
    return day.isoformat()


def _amount(group: dict, v: dict):
    number = group["number"]
    if number.lower() in v["numbers"]:
        return v["numbers"][number.lower()]
    return float(number.replace(",", ".")) if "," in number else int(number)


def _duration(group: dict, v: dict) -> str:
    unit = group["unit"]
    code = {"tägig": "D", "wöchig": "W", "monatig": "M", "jährig": "Y"}.get(unit) or v["units"][unit]
    amount = _amount(group, v)
    if amount == "X":
        return f"PX{code}"
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    prefix = "PT" if code in ("H", "S") or (code == "M" and unit.startswith("Minute")) else "P"
    if code == "DE":
        return f"P{amount * 10}Y"
    return f"{prefix}{amount}{code}"


def _shifted(anchor: Reference, group: dict, v: dict, sign: int) -> str:
    amount = _amount(group, v)
    ref = anchor.as_date()
    code = v["units"][group["unit"]]
    if amount == "X" or ref is None or not isinstance(amount, int):
        return "PAST_REF" if sign < 0 else "FUTURE_REF"
    if code == "D":
        return (ref + timedelta(days=sign * amount)).isoformat()
    if code == "W":
        return (ref + timedelta(weeks=sign * amount)).isoformat()
    if code == "M":
        month_index = ref.year * 12 + ref.month - 1 + sign * amount
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if code == "Y":
        return f"{ref.year + sign * amount:04d}"
    return "PAST_REF" if sign < 0 else "FUTURE_REF"
