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
from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from lagebild import lang
from lagebild.model import Sentence, TimeExpression

_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"


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
    words = {
        "month": lang.alternation(v["months"]),
        "weekday": lang.alternation(v["weekdays"]),
        "season": lang.alternation(list(v["seasons"]) + [w.capitalize() for w in v["seasons"]]),
        "modifier": lang.alternation(list(v["modifiers"]) + [w.capitalize() for w in v["modifiers"]]),
        "unit": lang.alternation(v["units"]),
        "relative": lang.alternation(list(v["relative_years"]) + [w.capitalize() for w in v["relative_years"]]),
        "parts": lang.alternation(v["day_parts"]),
        "number": lang.alternation(list(v["numbers"]) + [n.capitalize() for n in v["numbers"]]),  # "Zwei Tage später"
        "approx": lang.alternation(list(v["approximations"]) + [a.capitalize() for a in v["approximations"]]),
    }
    phrases = v["same_day"] + v.get("next_day", []) + v.get("previous_day", []) + v["past_refs"] + v["future_refs"] + v["present_refs"] + v.get("news_present_refs", [])
    words["fixed"] = lang.alternation(phrases + [p[:1].upper() + p[1:] for p in phrases])
    words["amount"] = rf"(?:(?P<approx>{words['approx']}) )?(?P<number>\d+(?:[.,]\d+)?|{words['number']})"
    words["shift"] = lang.alternation(v["after_words"] + v["before_words"])
    words["relative_day"] = lang.alternation(_with_capitals(v["relative_days"], exclude=v.get("day_part_nouns", {})))
    build = _english_patterns if language == "en" else _german_patterns
    return [(name, re.compile(rf"(?<!\w)(?:{pattern})")) for name, pattern in build(words, v)]  # expressions start at a word; failing fast elsewhere halves the cost


def _german_patterns(w: dict, v: dict) -> list[tuple[str, str]]:
    clock_approx = lang.alternation(list(v["clock_approximations"]) + [a.capitalize() for a in v["clock_approximations"]])
    return [
        ("holiday", _HOLIDAY.format(names=lang.alternation(v["holidays"]), year=_YEAR)),
        ("day_part_date", rf"(?:(?P<clock_approx>{clock_approx}) )?(?:(?:frühen|späten) )?(?P<daypart>{lang.alternation(v['day_part_nouns'])}) (?:des|vom) "
                          rf"(?P<day>\d{{1,2}})\.(?: ?(?P<month>{w['month']})(?: (?P<year>{_YEAR}))?)?"),
        ("day_part", r"(?<=[Aa]m )(?:(?P<early_late>frühen|späten) )?(?P<daypart>Morgen|Vormittag|Mittag|Nachmittag|Abend)(?: (?:desselben|dieses|jenes) Tages)?(?![\w-])(?! des\b| vom\b)"),
        ("clock", rf"(?:(?P<clock_approx>{clock_approx}) )?(?<![\d.,:])(?P<hour>[01]?\d|2[0-4])(?:[:.](?P<minute>[0-5]\d))? Uhr(?: (?P<minute2>[0-5]\d)\b)?"
                  rf"(?: (?P<zone>{lang.alternation(v['time_zones'])}))?"),
        ("era_year", rf"(?:(?P<about>[Uu]m das Jahr) )?(?P<bc>\d{{1,4}}) (?:{lang.alternation(v['era_before'])})"),
        ("full_date", rf"(?:(?P<mod>{w['modifier']}) )?(?:(?:{w['weekday']}),? (?:den )?)?(?P<day>\d{{1,2}})\. ?(?P<month>{w['month']})(?: (?P<year>{_YEAR}))?"),
        ("enumerated_day", rf"(?<![\d.])(?P<day>\d{{1,2}})\.(?=(?:\s*(?:und|bis|oder|,|–|-|/)\s*\d{{1,2}}\.)+ ?(?P<month>{w['month']})(?: (?P<year>{_YEAR}))?)"),
        ("numeric_date", r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b"),
        ("century", r"(?P<century>\d{1,2})\. Jahrhunderts?"),
        ("shift", rf"{w['amount']} (?P<unit>{w['unit']}) (?P<shift>{w['shift']})"),
        ("ago", rf"[Vv]or {w['amount']} (?P<unit>{w['unit']})"),
        ("year_part", rf"(?:(?P<mod>{w['modifier']}|Laufe) des Jahres|(?P<part_word>{lang.alternation(v['year_parts'])}))(?: (?P<year>{_YEAR}))?"),
        ("quarter", rf"(?P<ordinal>[Ee]rste|[Zz]weite|[Dd]ritte|[Vv]ierte)[nms]? (?P<period>Quartal|Vierteljahr|Halbjahr|Jahreshälfte)(?:e?s)?(?: (?P<year>{_YEAR}))?\b"),
        ("relative_year", rf"(?P<relative>{w['relative']}) (?:Jahr|Jahres)\b"),
        ("year_word", rf"(?<!\w)(?P<year_word>{lang.alternation(v['year_words'])})(?!\w)"),
        ("weekday", rf"(?P<weekday>{w['weekday']})(?P<part>{w['parts']})? (?P<week>vergangener|letzter|voriger|dieser|kommender|nächster) Woche\b"),  # that week's
        ("relative_week", rf"(?P<mod>{w['modifier']}) (?:der|(?P<relative>[Vv]ergangener|[Ll]etzter|[Vv]origer|[Dd]ieser|[Nn]ächster|[Kk]ommender)) Woche\b"),
        ("relative_week", r"(?P<relative>[Vv]ergangene|[Ll]etzte|[Vv]orige|[Dd]iese|[Nn]ächste|[Kk]ommende)[nr]? Woche\b"),  # "diese", "in dieser", "ab kommender Woche"
        ("weekend", r"(?:(?P<last>[Vv]ergangenen|[Ll]etzten|[Vv]origen) |(?P<coming>[Kk]ommenden|[Nn]ächsten) |[Dd]iese[ms] |(?<=[Aa]m )|(?<=[Vv]om )|(?<=übers )|(?<=über das ))Wochenende\b"),
        ("relative_month", rf"(?:(?P<mod>{w['modifier']}) (?:des )?)?(?P<relative>{lang.alternation(_with_capitals(v['relative_months']))})[nms]? Monats?\b"),
        ("relative_month", rf"(?P<mod>{w['modifier']}) des Monats\b"),  # "Ende des Monats": this one
        ("season", rf"(?:(?P<mod>{w['modifier']}) (?:des )?)?(?:(?P<this>[Dd]iese[nms]?) )?(?P<season>{w['season']})(?: (?P<year>{_YEAR}))?\b"),
        ("month", rf"(?:(?P<mod>{w['modifier']}) )?(?P<month>{w['month']})(?: (?P<year>{_YEAR}))?(?!\w)"),
        ("year", rf"(?:(?P<mod>{w['modifier']}) (?:des Jahres )?|Jahre?s? )?(?<![\d.,])(?P<year>{_YEAR})(?![\d.,]\d)\b"),
        ("weekday", rf"(?:(?P<last>[Vv]ergangenen|[Ll]etzten|[Vv]origen) |(?P<coming>[Kk]ommenden|[Nn]ächsten) )?(?P<weekday>{w['weekday']})(?P<part>{w['parts']})?\b"),
        ("duration", rf"{w['amount']} (?P<unit>{w['unit']})\b"),
        ("vague_duration", rf"(?:(?<=[Ss]eit )|(?:{lang.alternation(_with_capitals(v['vague_span_openers']))}) )(?P<vague>{lang.alternation(v['vague_units'])})\b"),
        ("adjective_duration", rf"(?P<number>{lang.alternation(v['numbers'])})(?P<unit>tägig|wöchig|monatig|jährig)\w*"),
        ("relative_day", rf"\b(?P<relative_day>{w['relative_day']})(?: (?P<part>{lang.alternation(_with_capitals(v['day_parts']))}|früh)(?![\w-]))?\b"),
        ("fixed", rf"(?<!\w)(?P<fixed>{w['fixed']})(?!\w)"),
    ]


HOLIDAY_STILL_TALKED_OF = 60  # days: in 7,550 German reports of spring 2020, "nach Ostern" in a future clause meant the Easter just past up to seven weeks later
_HOLIDAY = r"(?P<holiday>{names})(?![\w'’])(?:,? (?P<year>{year})\b)?"  # "Christmas", "Weihnachten 1914"


def _with_capitals(words, exclude=()) -> list[str]:
    """The words and, at a sentence start, their capitalised forms (unless that form is another
    word: "Morgen" is the morning, "morgen" tomorrow)."""
    return list(words) + [word[:1].upper() + word[1:] for word in words if word[:1].upper() + word[1:] not in exclude]


def _english_patterns(w: dict, v: dict) -> list[tuple[str, str]]:
    spelled = {name: lang.alternation(_with_capitals(words)) for name, words in v["spelled_years"].items()}
    phrases = {name: lang.alternation(_with_capitals(v[name])) for name in ("reporting_periods", "reference_periods", "day_part_words")}
    return [
        ("holiday", _HOLIDAY.format(names=lang.alternation(v["holidays"]), year=_YEAR)),
        ("full_date", rf"(?:(?P<mod>{w['modifier']}) )?(?:(?:{w['weekday']}),? )?(?P<month>{w['month']}) (?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,? (?P<year>{_YEAR}))?\b"),
        ("full_date", rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?P<month>{w['month']})(?:,? (?P<year>{_YEAR}))?\b"),
        ("numeric_date", r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b"),
        ("decade", r"(?:the )?(?P<decade>1[0-9]{2}|20[0-9])0s\b"),
        ("spelled_year", rf"(?:[Tt]he year )?(?P<century>{spelled['centuries']}) (?P<tens>{spelled['tens']})(?:-(?P<units>{spelled['units']}))?\b"),
        ("spelled_year", rf"(?:[Tt]he year )?(?P<millennium>{spelled['millennium']})(?: and (?P<units>{spelled['units']}))?\b"),
        ("english_clock", rf"(?:(?P<clock_approx>{lang.alternation(_with_capitals(v['clock_approximations']))}) )?"
                          rf"(?:(?P<hour>1[0-2]|0?[1-9])(?::(?P<minute>[0-5]\d))? ?(?P<meridiem>[ap])\.m\.|(?P<named>{lang.alternation(v['named_times'])}))"
                          rf"(?: (?:{lang.alternation(v['time_zones'])}))?(?:,? (?P<weekday>{w['weekday']})|,? (?P<relative_day>{w['relative_day']})"
                          rf"|,? (?P<month>{w['month']}) (?P<day>\d{{1,2}}))?"),
        ("recurrence", rf"(?:(?:[Ee]ach|[Ee]very) (?:(?P<month>{w['month']})|(?P<unit>year|quarter|month|week|day)|(?P<weekday>{w['weekday']}))"
                       rf"|(?P<weekdays>{w['weekday']})s|(?P<weekends>[Ww]eekends))\b"),  # "every Thursday", "on Thursdays", "on weekends"
        ("year_period", rf"[Tt]he (?P<year>{_YEAR}) (?:(?P<ordinal>first|second|third|fourth) )?(?P<period>quarter|period)\b"),
        ("quarter", rf"(?:[Tt]he |(?P<relative>[Tt]his|[Ll]ast|[Nn]ext) year's )?(?:(?P<year_ago>year-ago|year-earlier) )?"
                    rf"(?P<ordinal>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth)[ -]quarter(?: of (?P<year>{_YEAR}))?(?![\w-])"),  # not "first quarterly loss"
        ("anaphoric_year", rf"(?P<anaphoric_year>{lang.alternation(_with_capitals(v['anaphoric_years']))})\b"),
        ("reporting_period", rf"(?P<reporting_period>{phrases['reporting_periods']})\b"),
        ("year_ago", r"(?<![\w-])(?P<year_ago>[Yy]ear-ago|[Yy]ear-earlier)(?![\w-])"),
        ("day_part_word", rf"(?P<day_part_word>{phrases['day_part_words']})\b"),
        ("duration", rf"(?:the )?(?:past|last|next) {w['amount']} (?P<unit>{w['unit']})\b"),
        ("shift", rf"{w['amount']} (?P<unit>{w['unit']}) (?P<shift>later|earlier)"),
        ("ago", rf"{w['amount']} (?P<unit>{w['unit']}) ago"),
        ("month", rf"(?:(?P<mod>{w['modifier']})[ -])?(?:(?P<relative>[Ll]ast|[Tt]his|[Nn]ext) )?(?P<month>{w['month']})"
                  rf"(?:,? (?P<year>{_YEAR})|(?: of)? (?P<year_relative>last|this|next) year)?(?!\w)"),
        ("relative_year", rf"(?P<relative>{w['relative']}) year\b"),
        ("relative_period", rf"(?P<relative>{w['relative']}) (?P<period>week|month|quarter)\b"),
        ("weekend", r"(?P<relative>[Tt]he|[Tt]his|[Ll]ast|[Nn]ext) weekend\b"),
        ("reference_period", rf"(?P<reference_period>{phrases['reference_periods']})\b(?!-| ago| earlier| before)(?:(?= end(?:ed|ing)\b)(?P<ended>))?"),
        ("season", rf"(?:(?P<mod>{w['modifier']}) )?(?:(?P<this>[Tt]his past|[Tt]his|[Ll]ast|[Nn]ext) )?(?P<season>{w['season']})(?: (?:of )?(?P<year>{_YEAR}))?\b"),
        ("year", rf"(?:(?P<mod>{w['modifier']}) )?(?<![\d.,$])(?P<year>{_YEAR})(?![\d.,]\d)\b"),
        ("weekday", rf"(?:(?P<last>[Ll]ast) )?(?P<weekday>{w['weekday']})(?: (?P<part>{w['parts']}))?\b"),
        ("duration", rf"{w['amount']}(?: |-(?!quarters))(?:(?:{lang.alternation(v['duration_fillers'])}) )?(?P<unit>{w['unit']})\b"),  # "three-quarters" is a share
        ("century", r"(?:[Tt]he )?(?P<century>\d{1,2})(?:st|nd|rd|th)[ -]century\b"),
        ("vague_duration", rf"(?:[Tt]he )?(?P<vague>{lang.alternation(v['vague_units'])})\b"),
        ("relative_day", rf"\b(?P<relative_day>{w['relative_day']})\b"),
        ("fixed", rf"(?<!\w)(?P<fixed>{w['fixed']})(?!\w)"),
    ]


def find_times(text: str, sentences: list[Sentence], reference: str | None, language: str | None, narrative: bool = False) -> list[TimeExpression]:
    """All temporal expressions of a text with TIMEX3-style values."""
    language = language if language in ("de", "en") else "de"
    vocabulary = _vocabulary(language)
    anchor = Reference.from_iso(reference)
    told = False  # whether the text has placed the story at a month or day yet
    found: list[TimeExpression] = []
    scanned = _scan(text, language)
    last_year = None  # the year of the last date named: "that year", "the following year" refer to it
    quarter = None  # the first quarter the text names (the one reported on): "a year earlier" is then that quarter a year before
    for sentence in sentences:
        said = text[sentence.start : sentence.end]
        words = set(said.split())
        future = _speaks_of_future(said, words, vocabulary)
        past = _speaks_of_past(said, words, vocabulary)
        looking_back = bool(words & lang.words(language, "background_cues"))
        for start, end, kind, match in _matches(text, sentence, language, scanned):
            if vocabulary.get("clause_boundaries"):
                future = _clause_is_future(text, sentence, start, end, vocabulary)
            if kind == "anaphoric_year":
                expression = _anaphoric_year(match, last_year, vocabulary)
            else:
                ahead = future or _after_cue(text, start, vocabulary)
                behind = past or _after_cue(text, start, vocabulary, "backward_words")
                expression = _normalise(kind, match, anchor, ahead, vocabulary, text[start:end], start, end, narrative, past=behind)
            if expression is None:
                continue
            last_year = int(expression.value[:4]) if expression.type == "DATE" and expression.value[:4].isdigit() else last_year
            if quarter and kind == "year_period" and not match.group("ordinal"):
                expression = replace(expression, value=f"{expression.value}-Q{quarter[-1]}")  # "the 1988 quarter": the reported one
            if quarter and (kind == "year_ago" or kind in ("ago", "shift") and _shifted_years(kind, match, vocabulary) == -1):
                expression = replace(expression, value=_quarter_plus(quarter, -4))
            quarter = quarter or (expression.value if re.fullmatch(r"\d{4}-Q[1-4]", expression.value) else None)
            found.append(expression)
            if narrative and expression.type == "DATE":
                forward = kind == "relative_year" and expression.value.isdigit() and anchor.year is not None and int(expression.value) > anchor.year
                anchor, told = _moved(anchor, expression, sentence, told, topic=forward, looking_back=looking_back)
    return found


def _speaks_of_future(sentence: str, words: set[str], v: dict) -> bool:
    """Whether a sentence speaks of what is ahead: a future verb ("wird", "plant"), or German
    "soll" with a plain infinitive ("Die Entscheidung soll im Juni fallen"), not the hearsay of
    a perfect one ("Er soll im Mai Geld genommen haben": he is said to have)."""
    if words & set(v["future_verbs"]):
        return True
    return bool(words & set(v.get("planned_verbs", ()))) and not _PERFECT_INFINITIVE.search(sentence)


def _speaks_of_past(sentence: str, words: set[str], v: dict) -> bool:
    """German: whether a sentence tells of the past, so that a month or day it names without a
    year is the last one, not the nearest: a frequent past form ("hatte", "wurde", "sagte",
    "übernahm") or a perfect infinitive ("soll ... genommen haben"). Without one, German tells
    the scheduled in the present ("Im Juli kommt ..."). The perfect ("hat ... gesagt") is left
    out: read from its auxiliary and a participle it took "sind nicht erlaubt" and "hat ...
    zerstört" of plans for the past, more often wrong than right on real news."""
    if "past_verbs" not in v:
        return False
    return bool(words & set(v["past_verbs"])) or bool(_PERFECT_INFINITIVE.search(sentence))


_PERFECT_INFINITIVE = re.compile(r"\b[a-zäöü]\w*(?:t|en) (?:haben|sein)\b|\bworden\b")  # "genommen haben", "entsendet haben", "... worden"; not "Zeit haben"


_WEEK_OFFSETS = {"vergangene": -1, "letzte": -1, "vorige": -1, "diese": 0, "nächste": 1, "kommende": 1}  # German weeks before and after the report's


def _after_cue(text: str, start: int, v: dict, words: str = "forward_words") -> bool:
    """German "ab Montag", "bis zum 19. April", "bis Ende Mai": a time that something starts from
    or lasts until lies ahead, whatever the tense ("Schulen ab Montag geschlossen"); with
    ``words="backward_words"``, "seit Oktober": one that lies behind. A phrase may end in the
    expression's own first word ("bis Ende" before "Ende Mai")."""
    before = text[max(0, start - 12) : start].split()
    if not before:
        return False
    opening = text[start : start + 12].split()[:1]
    phrases = {before[-1], " ".join(before[-2:]), " ".join(before[-1:] + opening)}
    return bool({phrase[:1].lower() + phrase[1:] for phrase in phrases} & set(v.get(words, ())))  # "Bis Ende" opening a sentence


def _clause_is_future(text: str, sentence: Sentence, start: int, end: int, v: dict) -> bool:
    """English: whether the clause around an expression speaks of the future ("will", "is
    scheduled to"). The sentence is too wide: in "A spokesman said Thursday that the troops will
    remain", Thursday is past. An expression fronted alone before a comma ("On Monday, the House
    will vote") takes the tense of the clause it opens."""
    boundary = re.compile(rf"(?:[,;:]|\s(?:{lang.alternation(w for w in v['clause_boundaries'] if w[0].isalpha() or len(w) > 1)})\s)")
    before = [m.end() for m in boundary.finditer(text, sentence.start, start)]
    after = boundary.search(text, end, sentence.end)
    clause_start = before[-1] if before else sentence.start
    clause = text[clause_start : after.start() if after else sentence.end]
    around = (text[clause_start:start] + " " + text[end : after.start() if after else sentence.end]).split()
    if after and after.group() == "," and all(word.lower() in v["fronting_prepositions"] for word in around):
        following = boundary.search(text, after.end(), sentence.end)  # "This weekend, 14 candidates will ...": the clause it fronts
        clause = text[after.end() : following.start() if following else sentence.end]
    return bool(set(clause.split()) & set(v["future_verbs"])) or any(f" {phrase} " in f" {clause} " for phrase in v.get("future_phrases", ()))


def _anaphoric_year(match: re.Match, last_year: int | None, v: dict) -> TimeExpression | None:
    """"that year", "the following year": the year of the last date the text named, or one
    after; no value (and no expression) where the text has named none."""
    if last_year is None:
        return None
    offset = v["anaphoric_years"][match.group("anaphoric_year")[:1].lower() + match.group("anaphoric_year")[1:]]
    return TimeExpression(match.start(), match.end(), match.group(), "DATE", f"{last_year + offset:04d}", None)


def _shifted_years(kind: str, match: re.Match, v: dict) -> int | None:
    """How many years "a year ago", "two years later" move (None for other units or amounts)."""
    group = match.groupdict()
    amount = _amount(group, v)
    if v["units"].get(group["unit"]) != "Y" or not isinstance(amount, int):
        return None
    return -amount if kind == "ago" or group.get("shift") in v["before_words"] else amount


def _quarter_plus(quarter: str, offset: int) -> str:
    index = int(quarter[:4]) * 4 + int(quarter[-1]) - 1 + offset
    return f"{index // 4:04d}-Q{index % 4 + 1}"


def _moved(anchor: Reference, expression: TimeExpression, sentence: Sentence, told: bool, topic: bool = False, looking_back: bool = False) -> tuple[Reference, bool]:
    """Where a narrative is after it names a date, and whether the text has placed it at a month
    or day yet. A month or day moves it there. A year moves it to that year when it sets a topic:
    a section heading ("1862"), a sentence that starts with it ("1862 setzte der Norden ..."), or
    before the text has placed the story anywhere, or a relative year that moves it forward
    ("des neuen Jahres": ``topic``); elsewhere a bare year is background ("wie schon 1776") and
    the story stays where it is (so is "im Vorjahr": letting backward years move it lost more
    than it won on WikiWarsDE). A sentence that looks back ("Bereits beim Kriegsrat vom 8.
    Dezember 1912 hatte ...": a background cue) does not move the story either."""
    value = expression.value.split("T")[0]  # "Morgen des 3. September": that day
    if re.fullmatch(r"\d{4}(-\d{2})?", value) and (sentence.is_heading or expression.start == sentence.start or topic):
        return Reference.from_iso(value), False
    if sentence.is_heading or looking_back:
        return anchor, told
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
        return Reference.from_iso(value), True
    if not told and re.fullmatch(r"\d{4}", value):
        return Reference(int(value)), False
    return anchor, told


# The vocabulary sections whose words can begin an expression, and the words a pattern itself can
# begin with (kept here, next to the patterns).
_LEADING_SECTIONS = ("months", "weekdays", "seasons", "modifiers", "approximations", "numbers", "relative_years",
                     "relative_days", "same_day", "next_day", "previous_day", "past_refs", "future_refs", "present_refs", "news_present_refs", "year_parts",
                     "day_part_nouns", "clock_approximations", "year_words", "reporting_periods", "reference_periods",
                     "day_part_words", "named_times", "vague_units", "anaphoric_years", "holidays", "vague_span_openers")
_LEADING_WORDS = {
    "de": "um frühen späten laufe jahr vergangene letzte vorige diese nächste kommende vor wochenende erste zweite dritte vierte",
    "en": "the past last next this first second third fourth nineteen twenty two year-ago year-earlier each every weekends",
}


@cache
def _starts(language: str) -> re.Pattern:
    """Where an expression can begin: a digit, or a word that starts with a leading word
    ("Montagabend"). One scan for these, then each pattern tried only there, is several times
    faster than scanning the text once per pattern."""
    v = _vocabulary(language)
    words = set(_LEADING_WORDS[language].split())
    words |= {re.match(r"\w+", entry).group() for section in _LEADING_SECTIONS for entry in v.get(section, ())}
    words |= {word[:1].upper() + word[1:] for word in words}
    return re.compile(rf"(?<!\w)(?:\d|{lang.alternation(words)})")


def _scan(text: str, language: str) -> list[tuple[str, list[int], list[re.Match]]]:
    """Every pattern's matches in the whole text, once (per sentence, the call overhead of 22
    patterns is most of the cost), with their start offsets for finding a sentence's share.
    Same matches as ``finditer`` per pattern: each pattern is tried at every possible start."""
    starts = [match.start() for match in _starts(language).finditer(text)]
    scanned = []
    for kind, pattern in _patterns(language):
        matches: list[re.Match] = []
        for start in starts:
            if (not matches or start >= matches[-1].end()) and (match := pattern.match(text, start)):
                matches.append(match)
        scanned.append((kind, [m.start() for m in matches], matches))
    return scanned


def _matches(text: str, sentence: Sentence, language: str, scanned: list[tuple[str, list[int], list[re.Match]]]):
    """Non-overlapping matches in the sentence: earlier patterns and longer matches win."""
    taken: list[tuple[int, int, str, re.Match]] = []
    for kind, starts, matches in scanned:
        for match in matches[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)]:
            start, end = match.span()
            if end > sentence.end:
                continue
            if any(start < e and s < end for s, e, _, _ in taken):
                continue
            if not (sentence.is_heading and kind == "year") and not _plausible(kind, match, text, _vocabulary(language)):
                continue
            taken.append((start, end, kind, match))
    return sorted(taken)


def _plausible(kind: str, match: re.Match, text: str, v: dict) -> bool:
    if kind == "season" and match.group("season").lower() in v.get("ambiguous_seasons", ()):
        return bool(match.group("this") or match.group("mod") or match.group("year"))  # "last fall", not "prices fall"
    if kind == "duration":
        return not _age(match, text, v) and not _rate(match, text, v) and not _no_span(match, text, v)
    if kind == "vague_duration":
        return _vague_span(match, text, v)
    if kind == "fixed" and match.group().lower().endswith((" before", " after")):
        return not re.match(r"\s*\w", text[match.end() :])  # "the day before," but not "the day before the vote": that day is the vote's
    return _plausible_date(kind, match, text, v)


def _vague_span(match: re.Match, text: str, v: dict) -> bool:
    """A plural unit is a span of unknown length after a preposition ("for years", "within weeks",
    "over the years", "seit Jahren"), before "after" or "ago" ("weeks after the arrest"; not "the
    first days after ...": a stretch, not a count), or opened by "folgenden" ("die folgenden
    Tage"); never before a number ("the years 1990 to 1995")."""
    if re.match(r"\s*\d", text[match.end() :]):
        return False
    before = [word.lower() for word in text[max(0, match.start() - 20) : match.start()].split()[-1:]]
    if before and before[0] in v["vague_duration_prepositions"] or match.group().split()[0].lower() in v.get("vague_span_openers", ()):
        return True
    relative = re.match(rf" (?:{lang.alternation(v['after_words'] + v['before_words'])})\b", text[match.end() :])
    return bool(relative) and not (before and before[0] in v.get("vague_span_adjectives", ()))


def _age(match: re.Match, text: str, v: dict) -> bool:
    """"37 years old", "a 136-year-old firm", "sechs Jahre alt", "jünger als 14 Jahre": an age,
    which TimeML does not annotate."""
    before = " ".join(text[max(0, match.start() - 20) : match.start()].split()[-2:])
    if before in v.get("age_comparisons", ()):
        return True
    return bool(re.match(rf"[ -](?:{lang.alternation(v.get('age_words', ()))})\b", text[match.end() :])) if v.get("age_words") else False


def _no_span(match: re.Match, text: str, v: dict) -> bool:
    """English words spelt like a span that are none: "a second term" (the ordinal before a noun),
    "day-to-day" and "year-to-year" (adjectives)."""
    after = text[match.end() :]
    if after.startswith("-to-"):
        return True
    if match.group("unit").lower() != "second" or match.group("number").lower() not in ("a", "an"):
        return False
    following = re.match(r" ([a-z]+)\b", after)
    return bool(following) and following.group(1) not in v.get("after_span_words", ())


def _rate(match: re.Match, text: str, v: dict) -> bool:
    """"700 seats a week", "$2 million a year": "a" means per after a count, a rate, not a span."""
    if match.group("number").lower() not in ("a", "an") or match.group("approx"):
        return False
    before = text[max(0, match.start() - 40) : match.start()].split()[-2:]
    return any(re.search(r"\d", word) or word.lower() in v["numbers"] and word.lower() not in ("a", "an") or word.lower() in v.get("count_scales", ()) for word in before)


def _plausible_date(kind: str, match: re.Match, text: str, v: dict) -> bool:
    """Keep a bare year or month only where a date can stand ("im Mai", "1941 begann", not
    "rund 2000 Stellen" or "August Bebel"; in English, where nouns are lower case, "1990
    BellSouth earnings" is a year)."""
    if kind not in ("year", "month") or match.group("mod") or (kind == "month" and (match.group("year") or match.groupdict().get("relative") or match.groupdict().get("year_relative"))):
        return True
    if kind == "month" and match.group("month") in v.get("unambiguous_months", ()):
        return True  # English "January" is a month wherever it stands; "May" is not
    before = text[max(0, match.start() - 60) : match.start()].split()[-1:] or [""]
    after = text[match.end() :].lstrip()
    if before[0] in v["date_prepositions"] or before[0].endswith(("/", "(")) or text[match.start() - 1 : match.start()] == "/":
        return True
    if kind == "month":
        return False
    next_word = after.split()[0] if after.split() else ""
    counted_noun = v.get("nouns_capitalised") and next_word[:1].isupper() and next_word[:1].isalpha()  # "2000 Soldaten"
    return not counted_noun and before[0] not in v["count_words"]


def _clock(group: dict, anchor: Reference, v: dict) -> str:
    """"4:45 Uhr" on the day the text is at: 1939-09-01T04:45 (XXXX-XX-XX where the day is unknown)."""
    minute = int(group.get("minute") or group.get("minute2") or 0)
    zone = v["time_zones"].get(group.get("zone") or "", "")
    return f"{_anchor_day(anchor)}T{int(group['hour']):02d}:{minute:02d}{zone}"


def _anchor_day(anchor: Reference) -> str:
    return anchor.as_date().isoformat() if anchor.as_date() else f"{_y(anchor.year) or 'XXXX'}-{anchor.month or 0:02d}-XX".replace("-00-", "-XX-")


def _english_clock(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """"10 p.m. Wednesday", "noon Thursday", "5 p.m. Nov. 9": the day named, else the
    reference day, at that time."""
    if group.get("named"):
        hour, minute = v["named_times"][group["named"].lower()], 0
    else:
        hour, minute = int(group["hour"]) % 12 + 12 * (group["meridiem"].lower() == "p"), int(group.get("minute") or 0)
    if group.get("weekday"):
        day = _weekday(v["weekdays"][group["weekday"]], anchor, future)
    elif group.get("relative_day") and anchor.as_date():
        day = (anchor.as_date() + timedelta(days=v["relative_days"][group["relative_day"].lower()])).isoformat()
    elif group.get("month") and anchor.year:
        month = v["months"][group["month"]]
        year = _year_for(month, anchor, future, nearest=v.get("month_without_year") == "nearest")
        day = f"{year:04d}-{month:02d}-{int(group['day']):02d}"
    else:
        day = _anchor_day(anchor)
    return f"{day}T{hour:02d}:{minute:02d}"


def _normalise(kind, match, anchor: Reference, future: bool, v: dict, text: str, start: int, end: int, narrative: bool = False, past: bool = False) -> TimeExpression | None:
    group = match.groupdict()
    mod = v["modifiers"].get(group.get("mod") or "") or v["approximations"].get(group.get("approx") or "")
    value, time_type = None, "DATE"

    def year_for(month: int) -> int | None:
        if _after_past_marker(match, v) and anchor.year and anchor.month:
            return anchor.year - (month > anchor.month)  # "the year ended March 31": the last March 31 before
        return _year_for(month, anchor, future, narrative, nearest=v["month_without_year"] == "nearest" or (v["month_without_year"] == "nearest_in_present" and not past and not future))

    if kind in _PHRASE_VALUES:
        value = _PHRASE_VALUES[kind](group, anchor, v, future)
        time_type = "SET" if kind == "recurrence" else "DURATION" if re.match(r"P[\dTX]", value) else "TIME" if re.search(r"\dT", value) else "DATE"
        mod = mod or v.get("clock_approximations", {}).get((group.get("clock_approx") or "").lower())
    elif kind in ("full_date", "numeric_date", "enumerated_day"):
        month = int(group["month"]) if group["month"].isdigit() else v["months"][group["month"]]
        year = int(group["year"]) if group.get("year") else _day_year(month, anchor, future, past, narrative) if kind != "numeric_date" and v["month_without_year"] == "nearest_in_present" else year_for(month)
        if not group.get("year") and _ahead_of(anchor, year, month, int(group["day"]), future, v):
            year += 1  # "will hold its primary on March 3", said in May: next year's
        value = f"{_y(year)}-{month:02d}-{int(group['day']):02d}" if _valid(year, month, int(group["day"])) else None
    elif kind == "day_part_date":
        mod = v["clock_approximations"].get((group.get("clock_approx") or "").lower())
        month = v["months"][group["month"]] if group.get("month") else anchor.month
        year = int(group["year"]) if group.get("year") else (year_for(month) if group.get("month") else anchor.year)
        day = int(group["day"])
        value = f"{_y(year)}-{month:02d}-{day:02d}T{v['day_part_nouns'][group['daypart']]}" if month and _valid(year, month, day) else None
    elif kind == "clock":
        mod = v["clock_approximations"].get((group.get("clock_approx") or "").lower())
        time_type, value = "TIME", _clock(group, anchor, v)
    elif kind == "day_part":  # German "am Abend", "am späten Abend desselben Tages": the day the text is at
        time_type, value = "TIME", f"{_anchor_day(anchor)}T{v['day_part_nouns'][group['daypart']]}"
    elif kind == "era_year":
        mod = "APPROX" if group.get("about") else mod
        value = f"BC{int(group['bc']):04d}"
    elif kind == "decade":
        value = group["decade"]
    elif kind == "year_period":
        value = _quarter(group, anchor, v) if group.get("ordinal") else group["year"]
    elif kind == "quarter":
        value = _quarter(group, anchor, v, future)
    elif kind == "relative_period":
        value = _relative_period(group["period"], v["relative_years"][group["relative"].lower()], anchor)
    elif kind == "relative_month":  # German "letzten Monat", "im kommenden Monat", "Ende des Monats"
        value = _relative_period("month", v["relative_months"][(group.get("relative") or "diese").lower()], anchor)
    elif kind == "century":
        value = f"{int(group['century']) - 1:02d}"
    elif kind == "month":
        month = v["months"][group["month"]]
        if group.get("year_relative"):
            year = anchor.year + v["relative_years"][group["year_relative"]] if anchor.year else None
        else:
            year = int(group["year"]) if group.get("year") else _named_year(month, group.get("relative"), anchor) or year_for(month)
        value = f"{_y(year)}-{month:02d}"
    elif kind == "year":
        value = group["year"]
    elif kind == "season":
        code = v['seasons'][group['season'].lower() if group['season'].lower() in v['seasons'] else group['season']]
        year = int(group["year"]) if group.get("year") else _season_year(code, (group.get("this") or "").lower(), anchor)
        value = f"{_y(year)}-{code}"
    elif kind == "relative_year":
        value = _y(anchor.year + v["relative_years"][group["relative"].lower()] if anchor.year else None)
    elif kind == "year_word":
        value = _y(anchor.year + v["year_words"][group["year_word"]] if anchor.year else None)
    elif kind == "relative_week":
        offset = _WEEK_OFFSETS[(group.get("relative") or "diese").lower().removesuffix("r")]  # "Ende der Woche": this one; "Anfang nächster Woche"
        ref = anchor.as_date()
        value = (ref + timedelta(weeks=offset)).strftime("%G-W%V") if ref else "XXXX-WXX"
    elif kind == "weekday":
        weekday = v["weekdays"][group["weekday"]]
        if group.get("week"):
            value = _weekday_of_week(weekday, _WEEK_OFFSETS[group["week"].removesuffix("r")], anchor)
        else:
            value = _weekday(weekday, anchor, future or bool(group.get("coming")), strictly_before=bool(group.get("last")))
        if group.get("part"):
            value += "T" + v["day_parts"][group["part"]]
    elif kind == "relative_day":
        ref = anchor.as_date()
        offset = v["relative_days"][group["relative_day"].lower()]
        if offset == 0 and (narrative or ref is None):
            value = "PRESENT_REF"  # "heute" in a history text is the writer's today
        else:
            value = (ref + timedelta(days=offset)).isoformat() if ref else "XXXX-XX-XX"
        if group.get("part") and value != "PRESENT_REF":  # "gestern Abend", "morgen früh"
            value += "T" + v["day_parts"].get(group["part"].lower(), "MO")
    elif kind == "vague_duration":
        time_type, value = "DURATION", f"PX{v['vague_units'][group['vague']]}"
    elif kind in ("duration", "adjective_duration"):
        time_type, value = "DURATION", _duration(group, v)
    elif kind == "year_part":
        mod = v["modifiers"].get(group.get("mod") or "") or v["year_parts"].get(group.get("part_word") or "")
        value = group["year"] if group.get("year") else _y(anchor.year)
    elif kind in ("shift", "ago"):
        sign = -1 if kind == "ago" or group.get("shift") in v["before_words"] else 1
        value = _shifted(anchor, group, v, sign)
    elif kind == "fixed":
        phrase = group["fixed"][:1].lower() + group["fixed"][1:]
        if phrase in v.get("news_present_refs", ()) and (narrative or _particle(match, v)):
            return None  # a story's "nun" is its then; "nun einmal", "nun ja" are no time
        value = ("PAST_REF" if phrase in v["past_refs"] else "FUTURE_REF" if phrase in v["future_refs"]
                 else "PRESENT_REF" if phrase in v["present_refs"] or phrase in v.get("news_present_refs", ())
                 else _day_after(anchor, (phrase in v.get("next_day", ())) - (phrase in v.get("previous_day", ()))))
    if value is None:
        return None
    return TimeExpression(start, end, text, time_type, value, mod)


def _day_year(month: int, anchor: Reference, future: bool, past: bool, narrative: bool) -> int | None:
    """German: a day and month without a year. Scheduled days are told in the present tense ("Der
    Gipfel findet am 4. Mai statt"), so the nearest such day, unless the sentence speaks of the
    past ("hatte", "wurde": the last one); a future sentence keeps a later month in the reference
    year (``_year_for``)."""
    return _year_for(month, anchor, future, narrative, nearest=not past)


def _ahead_of(anchor: Reference, year: int | None, month: int, day: int, future: bool, v: dict) -> bool:
    """English (months placed nearest): a day and month a future clause names before the
    reference day, in the reference year, lies a year ahead; a month alone may be a past one
    the future speaks of ("will report its September sales"), a day is when something happens."""
    ref = anchor.as_date()
    return future and v.get("month_without_year") == "nearest" and ref is not None and year == ref.year and (month, day) < (ref.month, ref.day)


def _particle(match: re.Match, v: dict) -> bool:
    """German "nun einmal", "nun mal", "nun ja": a particle, not the present."""
    following = match.string[match.end() : match.end() + 12].split()[:1]
    return bool(following) and following[0].strip(",.") in v.get("particle_followers", ())


def _after_past_marker(match: re.Match, v: dict) -> bool:
    """Whether a word right before the expression places it in the past ("ended")."""
    before = match.string[max(0, match.start() - 20) : match.start()].split()
    return bool(before) and before[-1] in v.get("past_markers", ())


def _quarter(group: dict, anchor: Reference, v: dict, future: bool = False) -> str:
    """"the third quarter", "im ersten Halbjahr": of the reference year, unless it starts more
    than two months after the reference month (then it is last year's: reports look back) and
    the sentence does not speak of the future; "last year's", "year-ago"."""
    ordinal = group["ordinal"].lower()
    number = v["ordinals"][ordinal] if "ordinals" in v else ["first", "second", "third", "fourth"].index(ordinal) + 1
    half = group.get("period") in v.get("half_years", ())
    code = f"H{number}" if half else f"Q{number}"
    if group.get("year"):
        year = int(group["year"])
    elif anchor.year is None:
        return f"XXXX-{code}"
    elif group.get("relative"):
        year = anchor.year + v["relative_years"][group["relative"].lower()]
    else:
        starts = (number - 1) * (6 if half else 3) + 1
        year = anchor.year - (anchor.month is not None and starts > anchor.month + 2 and not future)
    return f"{year - bool(group.get('year_ago')):04d}-{code}"


_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _season_year(code: str, relative: str, anchor: Reference) -> int | None:
    """"last fall", "this past spring": the latest one over before the reference month; "next
    summer" the first one not begun yet; "this summer" and a bare season the reference year's."""
    if anchor.year is None or anchor.month is None or relative not in ("last", "this past", "next"):
        return anchor.year
    start = _SEASON_START.get(code, 0)
    if relative == "next":
        return anchor.year + (start <= anchor.month)
    return anchor.year - (start + 3 > anchor.month)


def _named_year(month: int, relative: str | None, anchor: Reference) -> int | None:
    """"last April": the latest April before the reference month; "next April" the first after;
    "this April" the reference year's."""
    if not relative or anchor.year is None or anchor.month is None:
        return None
    relative = relative.lower()
    if relative == "last":
        return anchor.year - (month >= anchor.month)
    if relative == "next":
        return anchor.year + (month <= anchor.month)
    return anchor.year


def _spelled_year(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """"nineteen ninety-six" -> 1996, "the year two thousand" -> 2000."""
    words = v["spelled_years"]
    base = words["centuries"][group["century"].lower()] + words["tens"][group["tens"].lower()] if group.get("century") else words["millennium"][group["millennium"].lower()]
    return f"{base + (words['units'][group['units'].lower()] if group.get('units') else 0):04d}"


def _reporting_period(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """"the quarter" of a company report: the last completed quarter before the reference;
    "the year-ago quarter" four quarters before it."""
    if anchor.year is None or anchor.month is None:
        return "XXXX-QX"
    current = f"{anchor.year:04d}-Q{(anchor.month - 1) // 3 + 1}"
    return _quarter_plus(current, v["reporting_periods"][group["reporting_period"].lower()] - 1)


def _reference_period(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """"the year", "the fiscal year": the reference's year; "the week": its week; "the year
    ended June 30": a year's span."""
    if group.get("ended") is not None:
        return "P1Y" if v["reference_periods"][group["reference_period"].lower()] == "year" else "P1W"
    if v["reference_periods"][group["reference_period"].lower()] == "week":
        ref = anchor.as_date()
        return ref.strftime("%G-W%V") if ref else "XXXX-WXX"
    return _y(anchor.year)


def _day_part_word(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """"this morning" -> the reference day's morning, "last night" the night before."""
    offset, part = v["day_part_words"][group["day_part_word"].lower()]
    ref = anchor.as_date()
    return f"{(ref + timedelta(days=offset)).isoformat() if ref else 'XXXX-XX-XX'}T{part}"


def _weekend(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """The weekend before the reference day, or after it in future text and for "next weekend"
    ("am kommenden Wochenende"); "am vergangenen Wochenende" is the one before, whatever the tense."""
    ref = anchor.as_date()
    if ref is None:
        return "XXXX-WXX-WE"
    if not group.get("last") and (future or group.get("coming") or (group.get("relative") or "").lower() == "next"):
        saturday = ref + timedelta(days=(5 - ref.weekday()) % 7 or 7)
    else:
        saturday = ref - timedelta(days=(ref.weekday() - 5) % 7)
    return saturday.strftime("%G-W%V") + "-WE"


def _year_before(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """"year-ago" (results): the year before the reference."""
    return _y(anchor.year - 1 if anchor.year else None)


def _recurrence(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """"every month" -> P1M, "each July" -> XXXX-07, "every Thursday" and "Thursdays" ->
    XXXX-WXX-4, "weekends" XXXX-WXX-WE (a set: it happens again and again)."""
    if group.get("weekends"):
        return "XXXX-WXX-WE"
    weekday = group.get("weekday") or group.get("weekdays")
    if weekday:
        return f"XXXX-WXX-{v['weekdays'][weekday] + 1}"
    return f"XXXX-{v['months'][group['month']]:02d}" if group.get("month") else f"P1{v['units'][group['unit']]}"


def _holiday(group: dict, anchor: Reference, v: dict, future: bool) -> str:
    """"Christmas", "the Fourth of July", "Ostern": the year's one where the text names the year
    (or the reference gives only a year), else the nearest one to the reference day ("an Ostern"
    said ten days before is this Easter, in the present tense too), or in a clause that speaks of
    the future, the next one, unless the last one is recent enough to be the one still talked of
    ("nach Ostern wollen die Minister entscheiden", said a week after Easter)."""
    rule = v["holidays"][group["holiday"]]
    ref, year = anchor.as_date(), int(group["year"]) if group.get("year") else anchor.year
    if group.get("year") or ref is None:
        if year is None:  # an undated text: the day where it is fixed, else nothing more than the month
            return f"XXXX-{rule[0]:02d}-{rule[1]:02d}" if len(rule) == 2 else f"XXXX-{rule[0]:02d}" if rule[0] != "easter" else "XXXX"
        return _holiday_in(rule, year).isoformat()
    every = rule[3] if len(rule) > 3 else 1  # Super Tuesday: of presidential election years only
    days = [_holiday_in(rule, year) for year in range(ref.year - every, ref.year + every + 1) if year % every == 0]
    chosen = min(days, key=lambda day: (abs((day - ref).days), day > ref))
    if future and (ref - chosen).days > HOLIDAY_STILL_TALKED_OF:
        chosen = next(day for day in days if day >= ref)
    return chosen.isoformat()


def _holiday_in(rule: list, year: int) -> date:
    """The holiday's day in that year: a fixed day [month, day], the nth weekday of a month
    [month, weekday, n] (n = -1: the last; a fourth number: only in years it divides), or a day
    counted from Easter Sunday ["easter", offset]."""
    if rule[0] == "easter":
        return _easter(year) + timedelta(days=rule[1])
    if len(rule) == 2:
        return date(year, rule[0], rule[1])
    month, weekday, nth = rule[:3]
    if nth < 0:
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _easter(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * shift) // 433
    month = (h + shift - 7 * m + 90) // 25
    return date(year, month, (h + shift - 7 * m + 33 * month + 19) % 32)


_PHRASE_VALUES = {"holiday": _holiday, "recurrence": _recurrence, "english_clock": _english_clock, "year_ago": _year_before, "spelled_year": _spelled_year, "reporting_period": _reporting_period, "reference_period": _reference_period,
                  "day_part_word": _day_part_word, "weekend": _weekend}


def _weekday_of_week(weekday: int, offset: int, anchor: Reference) -> str:
    """"Donnerstag vergangener Woche": that weekday of the week ``offset`` weeks from the reference's."""
    ref = anchor.as_date()
    return (ref + timedelta(days=weekday - ref.weekday(), weeks=offset)).isoformat() if ref else f"XXXX-WXX-{weekday + 1}"


def _day_after(anchor: Reference, days: int) -> str:
    """"am selben Tag": the day the text is at; "am Tag darauf": the one after it; "am Vortag"
    the one before."""
    ref = anchor.as_date()
    return (ref + timedelta(days=days)).isoformat() if ref else "XXXX-XX-XX"


def _relative_period(period: str, offset: int, anchor: Reference) -> str:
    ref = anchor.as_date()
    if period == "week":
        return (ref + timedelta(weeks=offset)).strftime("%G-W%V") if ref else "XXXX-WXX"
    if anchor.year is None or anchor.month is None:
        return "XXXX-XX"
    if period == "month":
        index = anchor.year * 12 + anchor.month - 1 + offset
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    quarter = anchor.year * 4 + (anchor.month - 1) // 3 + offset
    return f"{quarter // 4:04d}-Q{quarter % 4 + 1}"


def _y(year: int | None) -> str:
    return f"{year:04d}" if year else "XXXX"


def _valid(year, month: int, day: int) -> bool:
    try:
        date(year or 2000, month, day)
        return True
    except ValueError:
        return False


def _year_for(month: int, anchor: Reference, future: bool, narrative: bool = False, nearest: bool = False) -> int | None:
    """A month without a year. News: the one before the reference in past-tense text, after it in
    future; with ``nearest`` (English: "is payable Dec. 7"), the nearest one, or one ahead if the
    clause speaks of the future (a future clause still names past months: "will report on its
    September sales"). Narrative: the year
    the story is in (stories step back as often as they wrap into the next year: on WikiWarsDE,
    moving a month before the anchor's into the next year gains nothing)."""
    if anchor.year is None:
        return None
    if anchor.month is None:
        return anchor.year
    if narrative:
        return anchor.year
    if nearest:
        if future and month > anchor.month:
            return anchor.year  # "will fly a mission in December" (said in March): ahead, however far
        return anchor.year + (month - anchor.month < -6) - (month - anchor.month > 6)
    if not future and month > anchor.month:
        return anchor.year - 1
    if future and month < anchor.month:
        return anchor.year + 1
    return anchor.year


def _weekday(weekday: int, anchor: Reference, future: bool, strictly_before: bool = False) -> str:
    """The weekday of the reference's week in past text, the next one in future text; "last
    Monday" on a Monday is a week before."""
    ref = anchor.as_date()
    if ref is None:
        return "XXXX-XX-XX"  # a weekday cannot be placed in a month-only or undated text
    if future and not strictly_before:
        return (ref + timedelta(days=(weekday - ref.weekday()) % 7)).isoformat()
    return (ref - timedelta(days=(ref.weekday() - weekday) % 7 or (7 if strictly_before else 0))).isoformat()


def _amount(group: dict, v: dict):
    number = group["number"]
    if number.lower() in v["numbers"]:
        return v["numbers"][number.lower()]
    return float(number.replace(",", ".")) if ("," in number or "." in number) else int(number)


def _duration(group: dict, v: dict) -> str:
    unit = group["unit"]
    code = {"tägig": "D", "wöchig": "W", "monatig": "M", "jährig": "Y"}.get(unit) or v["units"][unit]
    amount = _amount(group, v)
    prefix = "PT" if code in ("H", "S") or (code == "M" and unit.lower().startswith("minute")) else "P"
    if amount == "X":
        return f"{prefix}X{code}"
    if isinstance(amount, float) and amount.is_integer():
        amount = int(amount)
    if code == "H" and isinstance(amount, int) and amount % 24 == 0:
        return f"P{amount // 24}D"  # "48 Stunden": two days, as both TIMEX guidelines write it
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
