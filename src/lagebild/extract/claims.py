"""Numeric claims: a count or amount, its qualifier as an interval, the thing counted, modality.

"etwa 14.000 nordkoreanische Soldaten" -> 14000, approx, [12600, 15400], Soldat;
"mehr als 10.000 Soldaten" -> over, [10000, inf); "bis zu 30.000 weitere" -> upto, increment,
and "könnten" makes it a possibility rather than a report. Vague counts ("Tausende",
"Dutzende") are intervals without a value; ranges ("vier bis sechs", "zwischen 1.000 und 1.500")
are intervals with the qualifier "range". Not claims: numbers inside time expressions, before
"Uhr", around ":", integers followed by "." (ordinals, dates), numbers glued to letters or hyphens
(H5N1, UH-60, "25-jährige", "1990er"), identifiers after a name ("Apollo 11", "Fokker 100",
"Schalke 04": a capitalised word before, no noun after), and amounts of time ("drei Tage",
"64 Jahre alt": durations and ages belong to the time stage).
Vocabulary: ``lang/<code>/claims.json``.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from functools import cache, lru_cache

import simplemma
from text_to_num import text2num

from lagebild import lang
from lagebild.extract.names import place_ids
from lagebild.model import Claim, Sentence, TimeExpression
from lagebild.spans import Covering

APPROX_MARGIN = 0.1  # "etwa 14.000" stands for 12,600 to 15,400
UNIT_LOOKAHEAD = 3  # words between the number and the counted noun ("nordkoreanische", "weitere")
ROLE_REACH = 60  # characters between a number and the word that says what it counts
ANTECEDENT_REACH = 200  # characters back to the claim whose noun an elided one shares ("200 weitere")
LARGEST_NUMBER = 1e18  # a trillion times a million: past it, digits are no count (and leave 64-bit integers)


LANGUAGES = ("de", "en")  # those with a lang/<code>/claims.json


@cache
def _vocabulary(language: str) -> dict:
    return {**lang.settings(language, "claims"), "language": language}


@cache
def _pattern(language: str) -> re.Pattern:
    v = _vocabulary(language)
    thousands, decimal = (re.escape(v["number_format"][key]) for key in ("thousands", "decimal"))
    separators = re.escape(v["number_format"]["thousands"] + v["number_format"]["decimal"])
    qualifier = lang.alternation(_with_capitals(v["qualifiers"]))
    words = _compound_number(v) + "|" + lang.alternation(_with_capitals(v["number_words"]))
    vague = lang.alternation(v["vague_counts"])
    scale = lang.alternation(v["scales"])
    # "190 000 Anträge", "14 967 Todesfälle": groups of three after a space (or a narrow one) are one number where the language writes them so
    spaced = rf"|(?<![\d{separators}:])\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?:{decimal}\d+)?(?![\d{separators}]\d)" if v["number_format"].get("spaced_thousands") else ""
    return re.compile(  # a claim starts at a word start: checked first, it spares mid-word positions
        rf"(?<!\w)(?:(?<![\w-])(?P<qualifier>{qualifier}) )?(?P<currency>{lang.alternation(v['currency_signs'])})?"
        rf"(?:(?P<vague>{vague})|(?P<digits>(?<![\d{separators}:])\d{{1,3}}(?:{thousands}\d{{3}})+(?:{decimal}\d+)?{spaced}"
        rf"|(?<![\d{separators}:])\d+{decimal}\d+|(?<![\d{separators}:])\d+(?![{separators}]\d))"
        rf"|(?P<word>\b(?:{words})\b))"
        rf"(?: (?P<scale>{scale}))?(?![\d:]|\.\d)"
    )


def _compound_number(v: dict) -> str:
    """A number written as one word of several ("einundzwanzig", "dreihundertfünfzig",
    "twenty-one"): number words joined as the language joins them; text2num reads its value."""
    spec = v["number_compounds"]
    parts = lang.alternation([*v["number_words"], *spec["parts"]])
    joiner = f"(?:{re.escape(spec['joiner'])})?" if spec["joiner"] else ""
    return rf"(?i:(?:{parts})(?:{re.escape(spec['separator'])}{joiner}(?:{parts}))+)"


def _with_capitals(words) -> list[str]:
    """Each word also capitalised: "Etwa 200", "Vier Soldaten" at a sentence start."""
    return [w for word in words for w in dict.fromkeys((word, word[:1].upper() + word[1:]))]


def find_claims(article_id: str, text: str, sentences: list[Sentence], times: list[TimeExpression], language: str | None) -> list[Claim]:
    language = language if language in LANGUAGES else "de"  # an unknown language: German notation
    v = _vocabulary(language)
    times = Covering((t.start, t.end) for t in times)  # a number inside a time expression is no claim
    claims = []
    for sentence in (s for s in sentences if not s.is_heading):
        resume = sentence.start
        for match in _pattern(language).finditer(text, sentence.start, sentence.end):
            if match.start() < resume or _not_a_claim(text, sentence, match, times, v):
                continue
            found = _claim(article_id, text, sentence, match, v)
            if found is not None:
                claim, resume = found  # a range's second number is part of it; "von 410 auf 490 Punkte" is two
                claims.append(_with_antecedent(claim, claims, text, sentence, v))
    return claims


def _with_antecedent(claim: Claim, before: list[Claim], text: str, sentence: Sentence, v: dict) -> Claim:
    """"Die Veranstalter schätzten 1.500 Teilnehmer; nach Polizeiangaben waren es zirka 1.000":
    an amount that refers back ("waren es") counts what the claim before it in the sentence counts."""
    if not before or claim.start - before[-1].end > ANTECEDENT_REACH:
        return claim
    previous = before[-1]
    if claim.increment and claim.role and previous.role and claim.role != previous.role:
        claim = replace(claim, increment=False)  # "37 Tote. 200 weitere wurden verletzt": others, not more injured
    if previous.end >= claim.end and previous.role and not claim.role:
        claim = replace(claim, role=previous.role)  # one noun for both ("Reichweite von 100, nach anderen Angaben 110 Kilometern")
    if claim.unit is not None:
        return claim
    lead = " ".join(text[sentence.start : claim.start].split()[-2:])
    follows = text[claim.end : claim.end + 20].split()[:1]
    if (lead in v["anaphoric_amount"] and previous.start >= sentence.start) or (follows and follows[0] in v["increment_words"]):
        return replace(claim, unit=previous.unit, role=claim.role or previous.role)
    return claim


def _not_a_claim(text: str, sentence: Sentence, match: re.Match, times: Covering, v: dict) -> bool:
    start, end = _number_span(match)
    after = text[match.end() : match.end() + 12]
    if (times.covers(start, end) and not _set_against_in_phrase(text, sentence, match, v)) or after.strip().startswith("Uhr"):
        return True
    previous = text[sentence.start : match.start()].split()[-1:]
    if v["number_format"]["ordinal_dot"] and _is_integer(match, v) and re.match(r"\.(?:[\s)\]]|$)", after) and not _ends_sentence(match, previous, v):
        return True  # "5. August", "am 16. Deutschen Bundestag", a match minute "Bicevskis (55.)": an ordinal
    if previous and previous[0] in v["rank_words"]:
        return True  # "auf Platz 3", "Rang vier": a rank, not an amount
    if any(cue in sentence.text for cue in v.get("correction_cues", ())):
        return True  # "In einer vorherigen Version dieses Artikels war von 43 Wissenschaftlern die Rede": withdrawn
    if _share_base(text, sentence, start, v["language"]):
        return True  # "nine in 10 voters", "one out of five": the share's base, not a count
    if previous and previous[0].lstrip("([„“\"") in v["reference_words"]:
        return True  # "Art. 122 AEUV", "Paragraf 219", "Section 230": a numbered item of a text, not an amount
    if re.match(r"[\w-]", text[end : end + 1]) or (start > 0 and re.match(r"[\w-]", text[start - 1])):
        return True  # glued: H5N1, UH-60, 25-jährige, 1990er
    return _is_identifier(text, sentence, match, v)


SHARE_BASE_REACH = 40  # characters before a number that can hold "<number> in" or "<number> out of"


def _share_base(text: str, sentence: Sentence, start: int, language: str) -> bool:
    """Whether a number is the base of a share ("nine in 10", "one out of five"): read in the
    words just before it (the first, perhaps cut, dropped), not in the whole sentence before."""
    pattern = _share_base_pattern(language)
    if pattern is None:
        return False
    reach = max(sentence.start, start - SHARE_BASE_REACH)
    before = text[reach:start] if reach == sentence.start else text[reach:start].partition(" ")[2]
    return bool(pattern.search(before))


@cache
def _share_base_pattern(language: str) -> re.Pattern | None:
    v = _vocabulary(language)
    if not v.get("ratio_links"):
        return None
    numbers = lang.alternation([*v["number_words"], *v["range_start_words"]])  # "one in five" too
    return re.compile(rf"(?:\d|\b(?:{numbers}))\s+(?:{lang.alternation(v['ratio_links'])})\s*$", re.IGNORECASE)


def _ends_sentence(match: re.Match, previous: list[str], v: dict) -> bool:
    """An amount that ends its sentence ("stieg auf 52.", "waren es zirka 1.000."), not an
    ordinal: a qualifier or a word that introduces amounts stands before it."""
    return bool(match.group("qualifier")) or (bool(previous) and previous[0] in v["amount_before_full_stop"])


def _is_identifier(text: str, sentence: Sentence, match: re.Match, v: dict) -> bool:
    """"Apollo 11 zusammen", "Fokker 100 hatte", "(A 4)", "„Do 228“": a name before and no noun
    after, a closing quotation mark after, or a year before a singular noun ("1998 Europameisterin")."""
    if match.group("qualifier") or match.group("vague"):
        return False
    number = match.group("digits") or ""
    if re.fullmatch(r"0\d+", number) or re.match(r"[“”\"»«`´']", text[match.end() : match.end() + 1]):
        return True  # "Schalke 04", "„Falcon 1“"
    following = re.match(r"\s*[„“\"»«(]?([\w%-]+)", text[match.end() : match.end() + 40])
    noun_after = bool(following and (_looks_like_noun(following.group(1), v) or following.group(1) == "%"))
    if noun_after and re.fullmatch(r"1[5-9]\d\d|20\d\d", number):
        word = following.group(1)
        return _lemma(word, v) == word  # a year before "Europameisterin"; a count before "Anlagen"
    before = text[sentence.start : match.start()].split()
    if len(before) < 2 or not _is_integer(match, v):
        return False  # a sentence's first word is capitalised anyway; a decimal is a measurement
    name = before[-1].lstrip("(„\"»")
    if before[-1][-1:] in ",;:)" or not name[:1].isupper() or name.lower() in _function_words(v["language"]):
        return False
    partitive = bool(following and following.group(1) in ("der", "von"))  # "125 der 308 Sitze"
    return not noun_after and not partitive


@cache
def _function_words(language: str) -> frozenset[str]:
    return frozenset(w.lower() for name in ("determiners", "stopwords") for w in lang.words(language, name))


def _looks_like_noun(token: str, v: dict) -> bool:
    """German nouns are capitalised; elsewhere any word that is not a function word may be one."""
    if v["number_format"]["nouns_capitalised"]:
        return token[:1].isupper()
    lowered = token.lower()
    if lowered in v["time_units"]:
        return True  # "64 years": counted, then dropped as an age
    return token.isalpha() and not lowered.endswith(("ed", "ing", "ly")) and lowered not in _function_words(v["language"]) and lowered not in v["noun_phrase_breaks"]


def _is_integer(match: re.Match, v: dict) -> bool:
    return bool(match.group("digits")) and v["number_format"]["decimal"] not in match.group("digits")


def _number_span(match: re.Match) -> tuple[int, int]:
    return match.span("vague") if match.group("vague") else match.span("digits") if match.group("digits") else match.span("word")


def _claim(article_id: str, text: str, sentence: Sentence, match: re.Match, v: dict) -> tuple[Claim, int] | None:
    """The claim and where its amount ends."""
    qualifier = _qualifier(match, v)
    end_of_amount = match.end()
    if match.group("vague"):
        low, high = v["vague_counts"][match.group("vague")]
        value, qualifier = None, "approx"
    else:
        value = _number(match, v)
        if value is None:
            return None
        low, high = _interval(value, qualifier)
        if qualifier == "exact" and match.group("scale"):
            low, high = _written_precision(match, value, v)
        found = _range(text, sentence, match, value, v)
        if found is not None:
            (low, high, range_start, end_of_amount), value, qualifier = found, None, "range"
    if match.group("vague"):  # "Thousands of people", "Zehntausende von Menschen"
        end_of_amount += len(re.match(r"(?:\s+(?:of|von)\b)?", text[end_of_amount:]).group())
    unit, increment, unit_end = _counted(text, end_of_amount, sentence.end, v)
    if match.group("currency"):
        unit, unit_end = v["currency_signs"][match.group("currency")], end_of_amount  # "$391 million in aid", "$5 billion deal": money
    measured, right_before = _measure_noun_before(text, sentence, match.start(), v) if value is not None else (None, False)
    if right_before:
        unit = measured  # "a magnitude 7.1 earthquake" is a magnitude, not a count of earthquakes
    if (unit in v["time_units"] or (unit is not None and _lemma(unit, v) in v["time_units"])) and not _set_against_in_phrase(text, sentence, match, v):
        return None  # "drei Tage", "64 Jahre alt": a duration or an age
    before = text[max(sentence.start, match.start() - 20) : match.start()].split()
    # "weitere knapp 30.000" counts additional ones; "um 3,6 Prozent", "plus 8.669 auf 63.608" is a change, not a level
    increment = increment or bool(before and (before[-1] in v["increment_words"] or before[-1] in v["change_words"]))
    if unit is None and value is not None:
        unit = _counted_before(text, sentence, match.start(), v) or measured  # "die Zahl der Toten auf 52", "der Stärke 5,3"
    if unit is None and value is not None and (match.group("word") or (value < 10 and float(value).is_integer())):
        return None  # "zwei", "zehn" without a counted noun is prose, not a claim (a measured "3,2" is one)
    start = range_start if qualifier == "range" else match.start()
    end = max(end_of_amount, unit_end)
    claim = Claim(
        id=f"c-{article_id[:10]}-{start}",
        article_id=article_id,
        start=start,
        end=end,
        text=text[start:end],
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        unit=unit,
        modality=_modality(sentence.text, v),
        increment=increment,
        sentence=sentence.text,
        role=_attributive_role(text, end_of_amount, unit_end, v) or _role_noun(unit, v) or _role(text, sentence, start, end, v),
    )
    if measured is not None and unit == measured:
        claim = replace(claim, role=measured)  # "der Stärke 5,3" is of a Stärke, as "eine Stärke von 5,3" is
    return claim, end_of_amount


def _qualifier(match: re.Match, v: dict) -> str:
    written = match.group("qualifier") or ""
    return v["qualifiers"].get(written[:1].lower() + written[1:], "exact") if written else "exact"


def _range(text: str, sentence: Sentence, match: re.Match, value: float, v: dict) -> tuple[float, float, int, int] | None:
    """"vier bis sechs", "zwischen 1.000 und 1.500", "einer bis vier": (low, high, start, end)."""
    links = "|".join(map(re.escape, v["range_words"]))
    link = re.match(rf"\s+({links})\s+", text[match.end() : sentence.end])
    start = match.start()
    if link is None and not match.group("qualifier"):  # "einer bis vier": the first number is a word that also means "a"
        opening = re.search(rf"(\w+)\s+({links})\s+$", text[sentence.start : match.start()])
        if opening and opening.group(1).lower() in v["range_start_words"] and _range_allowed(text, sentence, sentence.start + opening.start(), opening.group(2), v):
            low = v["range_start_words"][opening.group(1).lower()]
            return (low, value, sentence.start + opening.start(), match.end()) if low < value else None
        return None
    approx = _qualifier(match, v) == "approx"  # "etwa 1.500 bis 2.000": a range all the same (its bounds as written)
    if link is None or (match.group("qualifier") and not approx) or not _range_allowed(text, sentence, start, link.group(1), v):
        return None
    second = _pattern(v["language"]).match(text, match.end() + link.end(), sentence.end)
    if second is None or second.group("qualifier") or second.group("vague"):
        return None
    high = _number(second, v)
    if high is None:
        return None
    if second.group("scale") and not match.group("scale"):  # "zwei bis drei Millionen"
        value *= v["scales"][second.group("scale")]
    return (value, high, start, second.end()) if value < high else None


def _range_allowed(text: str, sentence: Sentence, start: int, link: str, v: dict) -> bool:
    needed = v["range_words"].get(link)
    return needed is None or [w.lower() for w in text[sentence.start : start].split()[-1:]] == [needed]


def _number(match: re.Match, v: dict) -> float | None:
    if match.group("digits"):
        number_format = v["number_format"]
        digits = re.sub(r"[ \u00a0\u202f]", "", match.group("digits"))
        value = float(digits.replace(number_format["thousands"], "").replace(number_format["decimal"], "."))
    else:
        value = _word_value(match.group("word").lower(), v)
        if value is None:
            return None
    if match.group("scale"):
        value = round(value * v["scales"][match.group("scale")], 6)  # 4.1 * 10^9 is 4099999999.9999995 in floating point
    if not math.isfinite(value) or abs(value) >= LARGEST_NUMBER:
        return None  # digits no report counts with (a serial number, a typo, a hostile text)
    return int(value) if value.is_integer() else value


@lru_cache(maxsize=4096)
def _compound_value(word: str, language: str) -> float | None:
    try:
        return float(text2num(word, language))
    except ValueError:  # number words that make no number ("zweizwei")
        return None


def _word_value(word: str, v: dict) -> float | None:
    listed = v["number_words"].get(word)
    return float(listed) if listed is not None else _compound_value(word, v["language"])


def _written_precision(match: re.Match, value: float, v: dict) -> tuple[float, float]:
    """"60 Millionen" is precise to its last written digit (59.5 to 60.5 million), so "60,4
    Millionen" elsewhere agrees with it; digits written in full ("14.000") are exact."""
    digits = match.group("digits") or ""
    decimals = len(digits.partition(v["number_format"]["decimal"])[2])
    half = 0.5 * 10 ** -decimals * v["scales"][match.group("scale")]
    return value - half, value + half


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
    where the noun ends. The noun comes before any article, preposition or punctuation: in
    "Tausende die Stadt" and "119, dann drei im Osten" nothing is named. A link to a further
    number shares that number's noun: "200 feste und 300 freie Mitarbeiter", "von 410 auf 490
    Punkte", "sieben statt 6,50 Euro"."""
    increment = False
    contrast = _contrast_then_number(v["language"]).match(text, position, limit)
    if contrast:
        position = contrast.end()  # the figure another source gives next counts the same noun
    tokens = list(re.finditer(r"[\w%-]+|[,;:()$€£]", text[position : min(limit, position + 80)]))
    for index, word in enumerate(tokens):
        token = word.group()
        if token in v["increment_words"]:
            increment = True
            continue
        if token == "%":
            return v["lemmas"]["%"], increment, position + word.end()  # "Prozent", "percent": the language's unit
        if token in v["currency_signs"]:
            return v["currency_signs"][token], increment, position + word.end()  # "5 € pro Stück"
        if _place_adjective(token, tokens[index + 1].group() if index + 1 < len(tokens) else "", v):
            continue  # "drei Berliner Bezirken": the districts are counted
        if token in v["shared_unit_links"] and _number_follows(tokens, index + 1, v):
            continue
        if token in v["qualifiers"] and index > 0 and tokens[index - 1].group() in v["shared_unit_links"] and _number_follows(tokens, index + 1, v):
            continue  # "2.400 von rund 9.500 Stellen": the linked number's qualifier
        if token in ",;:()" or token.lower() in v["noun_phrase_breaks"]:
            break
        if _looks_like_noun(token, v) and not _ADJECTIVE.search(token):
            word = _english_head(tokens, index, v) or word
            return _lemma(word.group(), v), increment, position + word.end()
        if word.start() > 40:
            break
    return None, increment, position


def _english_head(tokens: list[re.Match], index: int, v: dict) -> re.Match | None:
    """English puts the counted noun last in its phrase ("30 House Democrats", "seven Democratic
    candidates", "600,000 new donors"): a first word that is neither plural nor a unit gives way
    to a plural noun within the next two words. German capitalises its nouns and needs none of it."""
    first = tokens[index].group().lower()
    if v["number_format"]["nouns_capitalised"] or first.endswith("s") or first in _generic_measure_words(v["language"]):
        return None
    for following in tokens[index + 1 : index + 3]:
        token = following.group()
        if not _looks_like_noun(token, v):
            return None
        if token.lower().endswith("s") and not token.lower().endswith("ss"):
            return following
    return None


@cache
def _generic_measure_words(language: str) -> frozenset[str]:
    v = _vocabulary(language)
    return frozenset(word.lower() for word in [*v["measure_units"], *v["lemmas"], *v["time_units"]])


def _place_adjective(token: str, following: str, v: dict) -> bool:
    """German place adjectives ("Berliner", "Hamburger": a place and "-er") before the noun they
    qualify: the noun is what is counted. Alone ("drei Berliner") they are the people."""
    return (v["number_format"]["nouns_capitalised"] and token.endswith("er") and following[:1].isupper()
            and token[:-2].casefold() in place_ids())


@cache
def _contrast_then_number(language: str) -> re.Pattern:
    """", nach anderen Angaben " before a number (digits or a word: "acht, nach anderen Angaben
    neun Stunden"): the two figures give one quantity."""
    cues = lang.alternation(_vocabulary(language)["contrast_cues"])
    words = lang.alternation(_with_capitals(_vocabulary(language)["number_words"]))
    return re.compile(rf",? (?:\w+ )?(?:{cues}) (?=\S*\d|(?:{words})\b)")


@cache
def _contrast_cue_before(language: str) -> re.Pattern:
    """A figure, then a cue, right before a number: "acht, nach anderen Angaben "."""
    cues = lang.alternation(_vocabulary(language)["contrast_cues"])
    words = lang.alternation(_with_capitals(_vocabulary(language)["number_words"]))
    return re.compile(rf"(?:\d|(?<!\w)(?:{words})\b)\S*,? (?:\w+ )?(?:{cues}) $")


def _set_against_in_phrase(text: str, sentence: Sentence, match: re.Match, v: dict) -> bool:
    """A figure the phrase sets against another source's ("acht, nach anderen Angaben neun
    Stunden"): even a duration is then a disputed quantity, not a time reference."""
    if _contrast_cue_before(v["language"]).search(text, sentence.start, match.start()):
        return True
    return bool(_contrast_then_number(v["language"]).match(text, match.end(), sentence.end))


def _number_follows(tokens: list[re.Match], index: int, v: dict) -> bool:
    """A number at ``index``, or one after a qualifier there ("von rund 9.500")."""
    if index < len(tokens) and tokens[index].group() in v["qualifiers"]:
        index += 1
    return index < len(tokens) and _is_number(tokens[index].group(), v)


@cache
def _count_head_pattern(language: str) -> re.Pattern:
    """"Zahl der Toten ist auf " right before a number: the number counts that noun."""
    heads = lang.alternation(_vocabulary(language)["generic_measures"])
    return re.compile(rf"\b(?:{heads}) (?:der|des|von) (?P<noun>[\w-]+)(?: [\w-]+){{0,4}} (?:auf|bei|von) $")


def _counted_before(text: str, sentence: Sentence, start: int, v: dict) -> str | None:
    found = _count_head_pattern(v["language"]).search(text, sentence.start, start)
    return _lemma(found.group("noun"), v) if found and _looks_like_noun(found.group("noun"), v) else None


@cache
def _measure_noun_pattern(language: str) -> re.Pattern:
    """A measure noun that names what a bare number measures, written before it: right before
    ("ein Beben der Stärke 5,3", "magnitude 7.1"), or with its genitive and an adverb or two
    before a linking word ("eine Höhe von 300", "die Stärke des Bebens zunächst mit 5,1")."""
    v = _vocabulary(language)
    nouns = lang.alternation(v["measure_nouns"] if v["number_format"]["nouns_capitalised"] else _with_capitals(v["measure_nouns"]))
    links = lang.alternation(v["measure_value_links"])
    return re.compile(rf"(?<![\w-])(?P<noun>{nouns})(?P<link> (?:[\w-]+ ){{0,3}}(?:{links}))? $")


def _measure_noun_before(text: str, sentence: Sentence, start: int, v: dict) -> tuple[str | None, bool]:
    """The measure noun written before a number, and whether it stands right before it."""
    measured = _measure_noun_pattern(v["language"]).search(text, sentence.start, start)
    return (_measure_lemma(measured.group("noun"), v), not measured.group("link")) if measured else (None, False)


def _role_noun(unit: str | None, v: dict) -> str | None:
    """The role a noun names, alone or as a compound's head ("Demonstrationsteilnehmer": took part)."""
    if unit is None:
        return None
    lowered = unit.lower()
    return next((role for noun, role in v["role_nouns"].items() if lowered == noun.lower() or lowered.endswith(noun.lower())), None)


def _attributive_role(text: str, start: int, end: int, v: dict) -> str | None:
    """A role adjective between the number and its noun: "40 verletzte Teilnehmer" are injured,
    "zwei Dutzend tote Zivilisten" killed, whatever the noun alone would say."""
    roles = _role_of(v["language"])
    return next((roles[cue.group()] for cue in _role_pattern(v["language"]).finditer(text, start, end) if cue.group() in roles), None)


def _role(text: str, sentence: Sentence, start: int, end: int, v: dict) -> str | None:
    """What the number is of: the measure noun right before it ("einen Umsatz von 4,1 Milliarden
    Euro": Umsatz), "whole" for the whole another number is part of ("2.400 (Stellen) von rund
    9.500"), else the sentence's role word for it. Two counts of people compare only in the same
    role: the injured are not the passengers."""
    linked = _measure_pattern(v["language"]).search(text, sentence.start, start)
    if linked is not None:
        head, counted_before = linked.group("head"), linked.group("number")
        if _is_number(head, v) or (counted_before and _is_number(counted_before, v)):
            return "whole" if linked.group("link") in v["part_links"] else None
        if _looks_like_noun(head, v) and _measure_lemma(head, v) not in v["generic_measures"] and not _a_source(text, sentence, linked, v):
            return v["role_nouns"].get(_measure_lemma(head, v), _measure_lemma(head, v))  # "der Tod von 24 Zivilisten": killed
    return _role_word(text, sentence, start, end, v)


def _a_source(text: str, sentence: Sentence, linked: re.Match, v: dict) -> bool:
    """A noun before "von" that says who reports, not what is counted: a medium ("in ihrer
    Nachricht von 50 Nationen", "Polizeibericht"), a relaying source ("die Agentur") or a name
    right after a speech verb ("sprach Reuters von 50.000 Menschen")."""
    head = _measure_lemma(linked.group("head"), v).lower()
    if any(head.endswith(medium.lower()) for medium in v["medium_nouns"]) or linked.group("head") in lang.words(v["language"], "relay_nouns"):
        return True  # "in ihrer Nachricht von", "sprach die Agentur von"
    before = text[sentence.start : linked.start("head")].split()[-1:]
    return bool(before) and before[0] in lang.words(v["language"], "speech_verbs")


def _role_word(text: str, sentence: Sentence, start: int, end: int, v: dict) -> str | None:
    """The role word of the sentence nearest the number with no other number in between, in
    German one after the number first ("Sieben Menschen wurden leicht verletzt": injured; "zehn
    Menschen erschossen und 110 weitere verletzt": the 110 injured; English: "killing 35 and
    injuring 200")."""
    ranked = []
    for cue in _role_pattern(v["language"]).finditer(text, sentence.start, sentence.end):
        if cue.group() not in _role_of(v["language"]) and cue.start() != sentence.start and _role_noun(_lemma(cue.group(), v), v) is None:
            continue  # a capital only where a sentence begins ("An Bord waren ...") or in a role noun ("unter den Toten"): "Leben" is a noun
        before = cue.end() <= start
        between = text[cue.end() : start] if before else text[end : cue.start()]
        if (cue.start() < end and cue.end() > start) or len(between) > ROLE_REACH:
            continue
        # a role word past another number is that number's ("starben 28 Menschen und 70 wurden
        # verletzt") unless no other word is near ("mit 154 Passagieren und neun Crew an Bord")
        ranked.append((_names_a_number(between, v), before == v["role_word_follows"], len(between), cue.group()))
    if not ranked:
        return None
    cue = min(ranked)[3]
    roles = _role_of(v["language"])
    return roles.get(cue) or roles.get(cue[:1].lower() + cue[1:]) or roles.get(cue.lower())  # "An Bord", "Killed"


def _names_a_number(words: str, v: dict) -> bool:
    return any(_is_number(word, v) for word in re.findall(r"\w+", words))


def _measure_lemma(word: str, v: dict) -> str:
    """A measure noun's base form from the dictionary only ("Gewinn", not "Gewin")."""
    return _dictionary_lemma(word, v["language"]) or word


@cache
def _measure_pattern(language: str) -> re.Pattern:
    """A noun or number, then a linking word, right before the claim: "Umsatz von ", "2.400 von "."""
    links = lang.alternation(_vocabulary(language)["measure_links"])
    return re.compile(rf"(?:(?P<number>[\w.,-]+) )?(?P<head>[\w.,-]+) (?P<link>{links}) $")


@cache
def _role_of(language: str) -> dict[str, str]:
    return {phrase: role for role, phrases in _vocabulary(language)["roles"].items() for phrase in phrases}


@cache
def _role_pattern(language: str) -> re.Pattern:
    # German with its capitals ("leben" lives, "das Leben" is a life); elsewhere in any case
    if _vocabulary(language)["number_format"]["nouns_capitalised"]:
        return re.compile(rf"(?<!\w)(?:{lang.alternation(_with_capitals(_role_of(language)))})(?!\w)")
    return re.compile(rf"(?<!\w)(?:{lang.alternation(list(_role_of(language)))})(?!\w)", re.IGNORECASE)


def _is_number(token: str, v: dict) -> bool:
    return token[:1].isdigit() or token.lower() in v["number_words"] or token in v["scales"]


_ADJECTIVE = re.compile(r"-[a-zäöü]+(isch|lich|ig)(e[nmrs]?)?$")  # "US-amerikanischen Piloten"


def _lemma(word: str, v: dict) -> str:
    """The counted noun's base form: the vocabulary's own list first, then simplemma's German
    dictionary (Gäste -> Gast), then plural endings; synonyms map to one name (Todesopfer -> Toter)."""
    lemma = v["lemmas"].get(word) or _dictionary_lemma(word, v["language"])
    if lemma is None:
        lemma = word
        for ending, replacement in v["lemma_endings"]:
            if word.endswith(ending) and len(word) > len(ending) + 4:
                lemma = word[: -len(ending)] + replacement
                break
    return v["synonyms"].get(lemma, lemma)


@lru_cache(maxsize=65536)
def _dictionary_lemma(word: str, language: str) -> str | None:
    lemma = simplemma.lemmatize(word, lang=language)
    return lemma if lemma != word and (language != "de" or lemma[:1].isupper()) else None


def _modality(sentence: str, v: dict) -> str:
    return _sentence_modality(sentence, v["language"])


@lru_cache(maxsize=4096)
def _sentence_modality(sentence: str, language: str) -> str:
    v = _vocabulary(language)
    words = set(re.findall(r"\w+", sentence))
    if words & set(v["possibility_words"]):
        return "possibility"
    if words & set(v["plan_words"]):
        return "plan"
    return "report"
