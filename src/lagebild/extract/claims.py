"""Numeric claims: a count or amount, its qualifier as an interval, the thing counted, modality.

"etwa 14.000 nordkoreanische Soldaten" -> 14000, approx, [12600, 15400], Soldat;
"mehr als 10.000 Soldaten" -> over, [10000, inf); "bis zu 30.000 weitere" -> upto, increment,
and "könnten" makes it a possibility rather than a report. Vague counts ("Tausende",
"Dutzende") are intervals without a value. Dates, times, scores and ordinals are not claims:
numbers inside time expressions, before "Uhr", around ":" and followed by "." are skipped.
Vocabulary: ``lang/<code>/claims.json``.
"""

from __future__ import annotations

import math
import re
from functools import cache

from lagebild import lang
from lagebild.model import Claim, Sentence, TimeExpression

APPROX_MARGIN = 0.1  # "etwa 14.000" stands for 12,600 to 15,400
UNIT_LOOKAHEAD = 3  # words between the number and the counted noun ("nordkoreanische", "weitere")


@cache
def _vocabulary(language: str) -> dict:
    return lang.settings(language, "claims")




@cache
def _pattern(language: str) -> re.Pattern:
    v = _vocabulary(language)
    qualifier = lang.alternation(list(v["qualifiers"]) + [q[:1].upper() + q[1:] for q in v["qualifiers"]])
    words = lang.alternation(v["number_words"])
    vague = lang.alternation(v["vague_counts"])
    scale = lang.alternation(v["scales"])
    return re.compile(
        rf"(?:(?P<qualifier>{qualifier}) )?"
        rf"(?:(?P<vague>{vague})|(?P<digits>(?<![\d.,:])\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|(?<![\d.,:])\d+(?:,\d+)?)|(?P<word>\b(?:{words})\b))"
        rf"(?: (?P<scale>{scale}))?(?![\d:]|\.\d|\.(?:\s|$))"
    )


def find_claims(article_id: str, text: str, sentences: list[Sentence], times: list[TimeExpression], language: str | None) -> list[Claim]:
    language = "de"  # German vocabulary; English follows
    v = _vocabulary(language)
    claims = []
    for sentence in (s for s in sentences if not s.is_heading):
        for match in _pattern(language).finditer(text, sentence.start, sentence.end):
            if _is_time(match, times) or text[match.end() : match.end() + 4].strip().startswith("Uhr"):
                continue
            claim = _claim(article_id, text, sentence, match, v)
            if claim is not None:
                claims.append(claim)
    return claims


def _is_time(match: re.Match, times: list[TimeExpression]) -> bool:
    start, end = match.span("vague") if match.group("vague") else match.span("digits") if match.group("digits") else match.span("word")
    return any(t.start <= start and end <= t.end for t in times)


def _claim(article_id: str, text: str, sentence: Sentence, match: re.Match, v: dict) -> Claim | None:
    written = match.group("qualifier") or ""
    qualifier = v["qualifiers"].get(written[:1].lower() + written[1:], "exact") if written else "exact"
    unit, increment, unit_end = _counted(text, match.end(), sentence.end, v)
    before = text[max(sentence.start, match.start() - 20) : match.start()].split()
    increment = increment or bool(before and before[-1] in v["increment_words"])  # "weitere knapp 30.000"
    if match.group("vague"):
        low, high = v["vague_counts"][match.group("vague")]
        value = None
    else:
        value = _number(match, v)
        if value is None:
            return None
        low, high = _interval(value, qualifier)
    if unit is None and value is not None and value < 10:
        return None  # "zwei" without a counted noun is prose, not a claim
    sentence_text = sentence.text
    end = max(match.end(), unit_end)
    return Claim(
        id=f"c-{article_id[:10]}-{match.start()}",
        article_id=article_id,
        start=match.start(),
        end=end,
        text=text[match.start() : end],
        value=value,
        low=low,
        high=high,
        qualifier=qualifier if not match.group("vague") else "approx",
        unit=unit,
        modality=_modality(sentence_text, v),
        increment=increment,
        sentence=sentence_text,
    )


def _number(match: re.Match, v: dict) -> float | None:
    if match.group("digits"):
        value = float(match.group("digits").replace(".", "").replace(",", "."))
    else:
        value = float(v["number_words"][match.group("word")])
    if match.group("scale"):
        value *= v["scales"][match.group("scale")]
    return int(value) if value.is_integer() else value


def _interval(value: float, qualifier: str) -> tuple[float, float]:
    return {
        "exact": (value, value),
        "approx": (value * (1 - APPROX_MARGIN), value * (1 + APPROX_MARGIN)),
        "over": (value, math.inf),
        "atleast": (value, math.inf),
        "under": (0, value),
        "upto": (0, value),
        "almost": (value * (1 - APPROX_MARGIN), value),
    }[qualifier]


def _counted(text: str, position: int, limit: int, v: dict) -> tuple[str | None, bool, int]:
    """The counted noun after the number (lemma), whether it is an increment ('weitere'), and
    where the noun ends."""
    increment = False
    for word in re.finditer(r"[\w%-]+", text[position:limit]):
        token = word.group()
        if token in v["increment_words"]:
            increment = True
        if token == "%":
            return "Prozent", increment, position + word.end()
        if token[:1].isupper():
            return _lemma(token, v), increment, position + word.end()
        if word.start() > 40:
            break
    return None, increment, position


def _lemma(word: str, v: dict) -> str:
    lemma = v["lemmas"].get(word)
    if lemma is None:
        lemma = word
        for ending, replacement in v["lemma_endings"]:
            if word.endswith(ending) and len(word) > len(ending) + 4:
                lemma = word[: -len(ending)] + replacement
                break
    return v["synonyms"].get(lemma, lemma)


def _modality(sentence: str, v: dict) -> str:
    words = set(re.findall(r"\w+", sentence))
    if words & set(v["possibility_words"]):
        return "possibility"
    if words & set(v["plan_words"]):
        return "plan"
    return "report"
