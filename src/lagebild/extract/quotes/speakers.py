"""Who speaks: the name, pronoun or noun phrase next to a cue, as a reader would cite it
("der Wissenschaftsjournalist Dirk Lorenzen", "John Sifton von Human Rights Watch", "Angaben von
n24"), and whether a clause names its subject before its verb."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

import simplemma

from lagebild import lang
from lagebild.extract.ner_features import lowercase_words
from lagebild.extract.quotes.context import QuoteContext, cues_by_first_word, sentence_at, sentence_index
from lagebild.model import Mention, Span
from lagebild.nlp.tokens import tokenize

SPEAKER_WINDOW = 8  # tokens around a cue searched for the speaker
_WORD = re.compile(r"\w+")


def cue_and_speaker(context: QuoteContext, tokens: list[Span], side: str):
    text = context.article.text
    words = [text[t.start : t.end] for t in tokens]
    verbs = context.words("speech_verbs") | {"so"}
    positions = range(len(words)) if side == "after" else range(len(words) - 1, -1, -1)
    for index in positions:
        if words[index] in verbs and (words[index] != "so" or index <= 1):
            if words[index + 1 : index + 2] and words[index + 1] in context.words("pronouns") and not _subject_before(context, tokens[index].start):
                return words[index], find_speaker(context, tokens[index + 1 : index + 2], near=tokens[index + 1].start)
            if words[index + 1 : index + 2] and words[index + 1] in context.words("impersonal_subjects"):
                return words[index], find_speaker(context, tokens[index + 2 : index + 2 + SPEAKER_WINDOW], near=tokens[index + 1].end)  # "hieß es (in einer Erklärung des Ministeriums)"
            cited = _cited(context, tokens, words, index)
            if cited is not None:
                return words[index], cited
            region = tokens[: index + 1 + SPEAKER_WINDOW] if side == "after" else tokens[max(0, index - SPEAKER_WINDOW) : index + SPEAKER_WINDOW]  # '„…“, sagte Kim' and '"…," Kim said'
            if side == "before" and words[index - 1 : index] == [","] and name_and_appositions(context, words[: index - 1]):
                region = tokens[: index + SPEAKER_WINDOW]  # a long apposition between the name and its verb
            return words[index], find_speaker(context, region, near=tokens[index].start)
    return None


def _cited(context: QuoteContext, tokens: list[Span], words: list[str], index: int) -> tuple[str, int, int] | None:
    """'Die Rundschau zitiert einen Augenzeugen': the object of a citing verb speaks (its subject
    relays), unless the clause is passive ('Foullong wird in der Erklärung zitiert')."""
    if words[index] not in context.words("citing_verbs") or set(words[:index]) & context.words("passive_auxiliaries"):
        return None
    text = context.article.text
    phrase = noun_phrase(text, tokens[index + 1 : index + 1 + SPEAKER_WINDOW], context.words("determiners"), context.words("stopwords"))
    if phrase is None or phrase.start != tokens[index + 1].start:
        return None
    cited = phrase_around(context, tokens[index + 1 :], phrase.start, phrase.end)
    return speaking_as(context, cited.start, cited.end) or text[cited.start : cited.end], cited.start, cited.end


def speaking_as(context: QuoteContext, start: int, end: int, chosen: Mention | None = None) -> str | None:
    """The name a speaker phrase speaks as: the person or organisation named in it (``chosen`` when
    given), unless that name only says whose body or spokesperson speaks ("Die Regierung von
    Kim", "Ein Sprecher von Tesla": the phrase, not Kim or Tesla); another name in the phrase then
    speaks ("Der Sprecher der Regierung, Max Kühn"). None when the phrase names no one."""
    named = [m for m in context.mentions_from(start, end) if m.end <= end and m.type in ("PER", "ORG")]
    if chosen is not None and chosen not in named:
        named.insert(0, chosen)
    free = [m for m in named if not _owned_by_body(context, m, start)]
    if chosen is not None and chosen in free:
        return chosen.name
    if free:
        return free[0].name
    return context.article.text[start:end] if named else None


def _owned_by_body(context: QuoteContext, mention: Mention, floor: int) -> bool:
    """Whether a name is attached by "von" or a genitive to a noun of a body or spokesperson before
    it in the same phrase ("Regierung von Kim", "Sprecher des Konzerns Siemens")."""
    words = context.article.text[max(floor, mention.start - 60) : mention.start].split()
    closed = _closed_class(context.language)
    while words and is_adjective(words[-1]) and words[-1].lower() not in closed:
        words.pop()  # "von der nordkoreanischen"
    if len(words) >= 2 and words[-1].lower() in context.words("determiners") and words[-2].lower() in ("von", "vom"):
        words.pop()  # "von der"
    if len(words) < 2 or words[-1].lower() not in context.words("genitive_openers"):
        return False
    head = words[-2]
    return head[:1].isupper() and head.lower().endswith(tuple(context.words("speaker_nouns")))


def find_speaker(context: QuoteContext, region: list[Span], near: int) -> tuple[str, int, int] | None:
    """The person or organisation named in ``region`` closest to the cue; else a pronoun's antecedent;
    else the noun phrase as written."""
    if not region:
        return None
    cue = _reporting_cue(context, near)
    named_so = (share_subject(context, cue) or _one_of_several(context, cue)) if cue is not None else None
    if named_so is not None:
        return named_so  # a share ("Only 12 percent of Republicans said": not "Republicans"), "the third"
    inverted = _inverted_subject(context, region, near)
    if inverted is not None:
        return inverted
    start, end = region[0].start, region[-1].end
    inside = [m for m in context.mentions_from(start, end) if m.end <= end and m.type in ("PER", "ORG")]
    if cue is not None and context.article.text[cue.start : cue.end].lower() in context.words("addressee_verbs"):
        inside = [m for m in inside if m.start < cue.start] or inside  # "McConnell told The Weekly Standard": whom he told is no speaker
    if inside:
        best = min(inside, key=lambda m: (m.type != "PER", " " not in m.name, abs(m.start - near)))
        phrase = phrase_around(context, region, best.start, best.end)
        return speaking_as(context, phrase.start, phrase.end, best), phrase.start, phrase.end
    organisation = organisation_meant(context, region, near)
    if organisation is not None:
        return organisation
    text = context.article.text
    pronouns = context.words("pronouns")
    for token in region:
        if text[token.start : token.end] in pronouns:
            if cue is not None and _plural_pronoun(context, text[token.start : token.end], text[cue.start : cue.end]):
                return _several_named_before(context, token.start), token.start, token.end
            person = antecedent(context, text[token.start : token.end], token.start)
            return (person.name if person else None), token.start, token.end  # "sie" with no one named before: unknown
    if not lang.settings(context.language, "grammar").get("nouns_capitalised", True):
        common = _common_noun_before(context, region, near)
        if common is not None:
            return common
    phrase = noun_phrase(text, region, context.words("determiners"), context.words("stopwords"))
    if phrase is None:
        return None
    cited = phrase_around(context, region, phrase.start, phrase.end)
    person = _person_meant(context, text[cited.start : cited.end], cited.start) or statement_owner(context, text[cited.start : cited.end])
    if person is not None:
        return person, cited.start, cited.end
    return text[cited.start : cited.end], cited.start, cited.end  # "Angaben von n24", not "Angaben"


def _plural_pronoun(context: QuoteContext, pronoun: str, verb: str) -> bool:
    """"erklärten sie", "sie sagen": a pronoun that may be plural, with a verb in the plural, known
    as the plural of a listed form (weak past "sagten" of "sagte", strong past "sprachen" of
    "sprach", present "sagen" of "sagt"); a participle or singular form is none of these."""
    if pronoun not in lang.settings(context.language, "grammar").get("plural_pronouns", ()):
        return False
    verbs = context.words("speech_verbs")
    return (verb.endswith("ten") and verb[:-1] in verbs) or (verb.endswith("en") and (verb[:-2] in verbs or verb[:-2] + "t" in verbs))


_SEVERAL = re.compile(r"\b(?:(?P<article>[Dd]er|[Dd]ie|[Dd]en) )?(?P<both>[Bb]eide[nr]?)(?: (?P<noun>[A-ZÄÖÜ]\w+))?")


def _several_named_before(context: QuoteContext, position: int) -> str | None:
    """Whom a plural pronoun stands for where the text names them as a pair ("Nach einem Telefonat
    beider Staatschefs erklärten sie": beide Staatschefs), in its sentence or the one before, in
    the nominative; else no one (never one person of those named before)."""
    index = sentence_index(context, position)
    if index is None:
        return None
    start = context.sentences[max(0, index - 1)].start
    found = list(_SEVERAL.finditer(context.article.text, start, position))
    if not found:
        return None
    last = found[-1]
    both = "die beiden" if last["article"] else "beide"
    return f"{both} {last['noun']}" if last["noun"] else both  # "Die beiden betonen, sie ..."


def statement_owner(context: QuoteContext, phrase: str) -> str | None:
    """Who states what a statement says, named in the nominative: "einer Erklärung des russischen
    Aussenministeriums" -> "das russische Aussenministerium", "einer Mitteilung der Polizei" ->
    "die Polizei" (German; None where the phrase is not a statement noun with its genitive)."""
    words = phrase.split()
    if len(words) < 4 or words[1] not in context.words("statement_nouns") or words[2] not in ("des", "der") or not words[-1][:1].isupper():
        return None
    adjectives, noun = words[3:-1], words[-1]
    if not all(word.islower() and word.endswith("en") for word in adjectives):
        return None  # a name or a clause inside the genitive: left as written
    base = base_form(noun, context.language)
    if words[2] == "der" and base != noun:  # a plural: "der russischen Behörden"
        return " ".join(["die", *adjectives, noun])
    article = "die" if words[2] == "der" else "das" if base.lower().endswith(tuple(context.words("neuter_endings"))) else "der"
    return " ".join([article, *(word[:-1] for word in adjectives), base])


def _reporting_cue(context: QuoteContext, near: int) -> Span | None:
    """The word at ``near`` where it is a verb of saying."""
    cue = _token_at(context.article.text, near)
    return cue if cue is not None and reports(context, context.article.text[cue.start : cue.end]) else None


def organisation_meant(context: QuoteContext, region: list[Span], near: int) -> tuple[str, int, int] | None:
    """"Acme Corp released its results. It said ...": a pronoun right before the reporting verb that
    stands for an organisation is the last organisation named in its sentence or the two before
    and governed by no preposition (as "he" is the last person named); its span is the pronoun,
    and no one is named when no organisation is that close. None when there is no such pronoun.
    (A body that spoke just before goes on speaking, a person never: see ``find_quotes``.)"""
    text = context.article.text
    cue = _token_at(text, near)
    if cue is None:
        return None
    before = [t for t in region if t.end <= cue.start]
    if not before or text[before[-1].start : before[-1].end] not in context.words("organisation_pronouns") or text[before[-1].end : cue.start].strip():
        return None
    pronoun = before[-1]
    index = sentence_index(context, pronoun.start)
    if index is None:
        return None
    floor = context.sentences[max(0, index - 2)].start
    named = [m for m in context.mentions if m.type == "ORG" and floor <= m.start and m.end <= pronoun.start and not governed(context, m.start, floor)]
    return (named[-1].name if named else None), pronoun.start, pronoun.end  # not "in Google News": a preposition's object is no subject


def _one_of_several(context: QuoteContext, cue: Span) -> tuple[str, int, int] | None:
    """"One said ..., the other said ...", "the third said", "sagte der andere": the article and a
    word that stands for one of several named before, right before the reporting verb ``cue`` or
    right after a German one whose clause names no subject before it. It speaks as written ("the
    second" does as a noun phrase): not the person quoted before, not a share ("the third")."""
    text = context.article.text
    _, tokens, at = _tokens_around(context, cue)
    if at is None:
        return None
    for first in (at - 2, at + 1):
        if first < 0 or first + 1 >= len(tokens) or (first > at and (_subject_before(context, cue.start) or not _ends_phrase(text, tokens, first + 2))):
            continue  # "sagte der andere Vorsitzende", "said the former official": an adjective of a noun
        article, word = (text[t.start : t.end].lower() for t in tokens[first : first + 2])
        if article in context.words("definite_articles") and word in context.words("ordinal_pronouns"):
            return text[tokens[first].start : tokens[first + 1].end], tokens[first].start, tokens[first + 1].end
    return None


def _tokens_around(context: QuoteContext, word: Span) -> tuple[int, list[Span], int | None]:
    """Where the word's sentence starts, its tokens, and the word's index among them (None: not a
    token of a sentence)."""
    sentence = sentence_at(context, word.start)
    tokens = context.tokens(sentence) if sentence is not None else []
    return (sentence.start if sentence else 0), tokens, next((i for i, t in enumerate(tokens) if t.start == word.start), None)


def _ends_phrase(text: str, tokens: list[Span], index: int) -> bool:
    """Whether the sentence ends at ``index`` or punctuation stands there."""
    return index >= len(tokens) or not text[tokens[index].start].isalnum()


def reports(context: QuoteContext, word: str) -> bool:
    """A form of a verb of saying: listed, or known by its infinitive ("befürworteten")."""
    if word in context.words("speech_verbs"):
        return True
    lemmas = context.words("speech_verb_lemmas")
    return bool(lemmas) and word.isalpha() and word.islower() and base_form(word, context.language) in lemmas


@lru_cache(maxsize=1 << 16)  # bounded: a service meets new word forms for as long as it runs
def base_form(word: str, language: str | None) -> str:
    """The word's base form in the languages the rules are written for; elsewhere the word itself
    (no rule names a verb of another language, and simplemma knows no Vietnamese)."""
    language = language or "de"
    return simplemma.lemmatize(word, lang=language) if language in lang.SUPPORTED else word


_PHRASE_WORD = re.compile(r"\d+(?:[.,]\d+)+|[\w'’-]+|[,(%]")  # "97,4" is one number, not a comma


def names_a_share(context: QuoteContext, phrase: str) -> bool:
    """Whether a speaker phrase is a share of a group ("63 Prozent der Befragten", "Eine deutliche
    Mehrheit der Deutschen", "77 percent of voters", "63% of voters", "Half"): its head, the last
    word before what attaches to it, is a share noun. A share of the people a poll asked is nobody
    who speaks; a title holding such a word ("Senate Majority Leader Mitch McConnell") has another
    head, and where nouns are written in lower case a capital past the first word makes a name
    ("Future Majority")."""
    written = _PHRASE_WORD.findall(phrase)
    words = [word.lower() for word in written]
    attached = context.words("genitive_openers") | context.words("possessives")  # "Die Mehrheit seiner Landsleute"
    end = next((i for i, word in enumerate(words) if i and (word in ",(" or word in attached)), len(words))
    if end > 1 and written[end - 1][:1].isupper() and not _nouns_capitalised(context.language):
        return False
    if end == 1 and words[1:2] == [","]:
        return False  # "Third, Barr said": a step of an enumeration, then who speaks
    if end == 2 and end == len(words) and words[0] in context.words("definite_articles") and words[1] in context.words("ordinal_pronouns"):
        return False  # "One said ..., the third said": one of those named before, as "the second" is
    head = " ".join(words[:end])
    return any(head == noun or head.endswith((" " + noun, "-" + noun)) for noun in context.words("share_nouns"))


def share_subject(context: QuoteContext, verb: Span) -> tuple[str, int, int] | None:
    """A share of a group as the subject of the verb at ``verb``, cited as a reader reads it: with
    its count, what qualifies the count and what it is a share of ("Nur rund 22 Prozent | sagten",
    "63 percent of respondents also | said", "Die Hälfte der Befragten | gab an"), or after the verb
    when a German clause puts something else first ("Laut der Umfrage gaben | 17 Prozent | an").
    The phrase names no one (``names_a_share``); it is returned as written so the words are not
    handed to someone named before. None when the verb's subject is no share."""
    sentence_start, tokens, at = _tokens_around(context, verb)
    if at is None:
        return None
    words = [context.article.text[t.start : t.end] for t in tokens]
    found = _share_before(context, words, at)
    if found is None and not _subject_before(context, verb.start):
        found = _share_after(context, words, at)
    if found is None or governed(context, tokens[found[0]].start, sentence_start):
        return None  # "In 40 Prozent der Fälle sagten Ärzte ...": the share is no subject
    start, end = tokens[found[0]].start, tokens[found[1]].end
    phrase = context.article.text[start:end]
    return (phrase, start, end) if names_a_share(context, phrase) else None  # "the third" is someone


def _share_before(context: QuoteContext, words: list[str], verb: int) -> tuple[int, int] | None:
    """The share phrase that ends right before the verb, past an auxiliary or adverb ("63 percent
    of voters have consistently | said"): its head within a few words, only what attaches to it
    in between."""
    stopwords, determiners = context.words("stopwords"), context.words("determiners")
    others = _clause_openers(context.language)
    last = verb - 1
    while last > 0 and verb - last <= 3 and _verb_company(words[last], stopwords, determiners) and not {words[last], words[last - 1].lower()} & others:
        last -= 1  # not a preposition's object either ("von ihnen")
    for head in range(last, max(-1, last - 10), -1):
        if _share_head(context, words, head) and _attached_to_share(context, words, head + 1, last):
            first = _count_start(context, words, head)
            return (first, last) if first is not None else None
        if not (_attachment_word(context, words, head) or head == last and words[head - 1].lower() in context.words("genitive_openers")):
            return None
    return None


@cache
def _clause_openers(language: str | None) -> frozenset[str]:
    """Words that are not an auxiliary or adverb between a subject and its verb, though short and
    common: pronouns, conjunctions, prepositions ("tumbled 10.2% when it announced": "it" is the
    subject)."""
    function_words = frozenset(w.lower() for w in lang.words(language, "function_words"))
    return function_words | lang.words(language, "pronouns") | lang.words(language, "thing_pronouns") | lang.words(language, "impersonal_subjects") | lang.words(language, "prepositions")


def _share_after(context: QuoteContext, words: list[str], verb: int) -> tuple[int, int] | None:
    """The share phrase right after a verb that opens its clause's subject ("gaben | rund 17 Prozent
    der Befragten | an", "meinten kürzlich | 88 Prozent"): a count must open it (after the verb, a
    share without one is more often the object: "fordert die Hälfte")."""
    head = verb + 1
    while head < len(words) and head - verb <= 6 and not _share_head(context, words, head):
        head += 1
    if head >= len(words) or head - verb > 6:
        return None
    first = _count_start(context, words, head, floor=verb + 1)
    if first is None or first == head or not _only_adverbs(context, words[verb + 1 : first]):
        return None
    last = head
    if head + 2 < len(words) and words[head + 1].lower() in context.words("genitive_openers"):
        last = head + 1
        while last + 1 < len(words) and _attachment_word(context, words, last + 1) and _noun_phrase_word(context, words[last + 1]):
            last += 1
        while last > head and not _attachment_noun(words[last]):
            last -= 1  # ends at its noun
    return first, last


def _share_head(context: QuoteContext, words: list[str], index: int) -> bool:
    """A share noun ("Prozent", "percent", "%", "Hälfte", "two-thirds"); in English a capital only
    where the sentence starts ("Majority Leader" is a title)."""
    word = words[index]
    lowered = word.lower()
    nouns = context.words("share_nouns")
    if not (lowered in nouns or "-" in lowered and lowered.rsplit("-", 1)[1] in nouns):
        return False
    return _nouns_capitalised(context.language) or index == 0 or not word[:1].isupper()


@cache
def _nouns_capitalised(language: str | None) -> bool:
    return lang.settings(language, "grammar").get("nouns_capitalised", True)


def _attached_to_share(context: QuoteContext, words: list[str], first: int, last: int) -> bool:
    """What may stand between a share's noun and the verb: nothing, or what it is a share of ("der
    Befragten", "of registered voters", "aller Familien")."""
    if first > last:
        return True
    if words[first].lower() not in context.words("genitive_openers") or first == last:
        return False
    return last == first + 1 or all(_attachment_word(context, words, i) for i in range(first + 1, last + 1))  # "von ihnen"


def _attachment_word(context: QuoteContext, words: list[str], index: int) -> bool:
    """A word of what a share is of, with what describes them: where nouns are capitalised a noun
    phrase's words and the prepositions inside it ("der befragten Eltern in Bayern"; not the verb
    of "des Gender Pay Gap lassen sich"), else any word but punctuation ("of likely voters in
    Michigan", "of Democrats polled in February by CNN"); never a verb of saying."""
    word = words[index]
    if not word.replace("-", "").isalnum() or word in context.words("speech_verbs"):
        return False
    if not _nouns_capitalised(context.language):
        return True
    return phrase_word(context, words, index) or word.lower() in context.words("prepositions") or word.lower() in context.words("genitive_openers")


def _noun_phrase_word(context: QuoteContext, word: str) -> bool:
    """After the verb, what a share is of ends where a noun phrase would: at a second article
    ("nannten 94 Prozent der Befragten | eine Absage") or a word no noun phrase holds ("an")."""
    return word.lower() not in context.words("determiners") and in_phrase(word, context.words("determiners"), context.words("stopwords"))


def _attachment_noun(word: str) -> bool:
    return word[:1].isupper() or not is_adjective(word)


def _only_adverbs(context: QuoteContext, words: list[str]) -> bool:
    """Up to two lower-case words between a verb and its subject ("meinten kürzlich 88 Prozent")."""
    return len(words) <= 2 and all(w.isalpha() and w.islower() and w not in context.words("determiners") for w in words)


def _count_start(context: QuoteContext, words: list[str], head: int, floor: int = 0) -> int | None:
    """Where a share phrase starts: its count and what qualifies it ("rund 60", "mehr als ein",
    "about 63", "Two"), its article and adjectives ("Die große"), or the sentence's start. A
    share with no count, article or qualifier is no subject ("als offiziellem Teil", "Future
    Majority" is a name): None then. The phrase starts at ``floor`` at the earliest (after the
    verb: "gaben" is no adjective)."""
    counts = _counts(context.language)
    closed = _closed_class(context.language)
    first, counted = head, head == floor
    while first > floor and head - first < 3:
        word = words[first - 1]
        counting = _is_count(word, counts) or word.lower() in context.words("determiners")
        if not (counting or _open_adjective(word, closed)):
            break
        first -= 1
        counted = counted or counting
    while first < head and _open_adjective(words[first], closed) and not _is_count(words[first], counts):
        first += 1  # an adjective only after an article or count ("Die große Mehrheit"); before them it is something else ("meinten zudem 88 Prozent")
    for qualifier in counts.qualifiers:
        if first - len(qualifier) >= floor and [w.lower() for w in words[first - len(qualifier) : first]] == list(qualifier):
            first, counted = first - len(qualifier), True
            break
    return first if counted else None


class _Counts:
    def __init__(self, language: str | None) -> None:
        claims = lang.settings(language, "claims")
        self.words = frozenset(w.lower() for w in claims.get("number_words", {})) | lang.words(language, "numerals")
        self.qualifiers = sorted((tuple(q.lower().split()) for q in claims.get("qualifiers", {})), key=len, reverse=True)


@cache
def _counts(language: str | None) -> _Counts:
    """The number words and qualifiers the claims extractor reads counts with."""
    return _Counts(language)


def _is_count(word: str, counts: _Counts) -> bool:
    """A number as written: "63", "97,4", "vier", "Forty-five"."""
    lowered = word.lower()
    return word[:1].isdigit() or lowered in counts.words or ("-" in lowered and all(part in counts.words or part.endswith("ty") and part.isalpha() for part in lowered.split("-")))


def antecedent(context: QuoteContext, pronoun: str, position: int) -> Mention | None:
    """The person a pronoun stands for: the last person named before it, passing over those whose
    gender the text gives and which differs from the pronoun's ("Ministerin Anna Fellner traf
    Bürgermeister Gerhard Moosleitner. Sie sagte ...": Fellner)."""
    wanted = lang.settings(context.language, "pronoun_genders").get("pronouns", {}).get(pronoun)
    earlier = [m for m in reversed(context.mentions) if m.type == "PER" and m.end <= position]
    if wanted is None or not earlier:
        return earlier[0] if earlier else None
    genders = _genders(context)
    return next((m for m in earlier if genders.get(m.name) in (wanted, None)), earlier[0])


def _genders(context: QuoteContext) -> dict[str, str]:
    """The article's persons' genders, worked out once (every pronoun asks)."""
    if context.genders is None:
        context.genders = _genders_told(context)
    return context.genders


def _genders_told(context: QuoteContext) -> dict[str, str]:
    """Each person's gender where a word before one of their mentions tells it and no other
    mention contradicts it: a title in -in or "Frau" (f), "Herr" or another title of persons (m)."""
    settings = lang.settings(context.language, "pronoun_genders")
    text = context.article.text
    found: dict[str, set[str]] = {}
    for mention in context.mentions:
        if mention.type != "PER":
            continue
        before = text[max(0, mention.start - 40) : mention.start].split()
        gender = _gender_of_title(context, settings, before[-1]) if before else None
        if gender is not None:
            found.setdefault(mention.name, set()).add(gender)
            found.setdefault(mention.name.split()[-1], set()).add(gender)  # "Fellner" later on
    genders = {name: next(iter(seen)) for name, seen in found.items() if len(seen) == 1}
    return {m.name: genders[m.name.split()[-1]] for m in context.mentions if m.name.split()[-1] in genders} | genders


def _gender_of_title(context: QuoteContext, settings: dict, word: str) -> str | None:
    """"Frau", "Ministerin" (f); "Herr", "Minister" (m, when its form in -in is not the word)."""
    if word in settings.get("female_titles", ()):
        return "f"
    if word in settings.get("male_titles", ()):
        return "m"
    suffix = settings.get("female_title_suffix")
    if not suffix or not word[:1].isupper() or not word.isalpha() or word.lower() in context.words("stopwords"):
        return None
    if word.endswith(suffix) and len(word) > len(suffix) + 4:
        return "f"
    return "m" if word.endswith(("er", "ent", "or", "ant", "at", "ist", "eur")) and len(word) > 5 else None


def _common_noun_before(context: QuoteContext, region: list[Span], near: int) -> tuple[str, int, int] | None:
    """In a language whose nouns are lower case, the words right before the cue verb (", police
    said", ", the company said", ", officials said")."""
    text = context.article.text
    cue = _token_at(text, near)
    if cue is None:
        return None
    before = [t for t in region if t.end <= cue.start]
    stopwords, determiners = context.words("stopwords"), context.words("determiners")
    between = 0
    while between < min(3, len(before) - 1) and _verb_company(text[before[-1 - between].start : before[-1 - between].end], stopwords, determiners):
        between += 1  # "the committee has said", "the general then added": the subject stands before them
    words = [text[t.start : t.end] for t in before]
    end = len(before) - between
    first = _phrase_start(words[:end], stopwords, determiners)
    if 1 < first < end and words[first - 1].lower() in context.words("prepositions") and words[first].lower() not in determiners:
        end = first - 1  # "the president for months has said": the subject stands before the preposition's object
        first = _phrase_start(words[:end], stopwords, determiners)
    kept = before[first:end]
    if not kept or all(text[t.start : t.end].lower() in determiners for t in kept):
        return None
    return text[kept[0].start : kept[-1].end], kept[0].start, kept[-1].end


def _phrase_start(words: list[str], stopwords: frozenset[str], determiners: frozenset[str]) -> int:
    """Where the run of content words (and determiners) that ends the words starts."""
    first = len(words)
    while first > 0 and words[first - 1].replace("-", "").isalpha() and (words[first - 1].lower() not in stopwords or words[first - 1].lower() in determiners):
        first -= 1
    return first


def _verb_company(word: str, stopwords: frozenset[str], determiners: frozenset[str]) -> bool:
    """An auxiliary or adverb between a subject and its verb ("has", "then", "repeatedly")."""
    lowered = word.lower()
    return word.isalpha() and word == lowered and lowered not in determiners and (lowered in stopwords or lowered.endswith("ly"))


def _person_meant(context: QuoteContext, phrase: str, start: int, definite: bool = False) -> str | None:
    """The person a phrase points back at: "nach seinen Worten" (the last person named), "der
    russische Minister" (the person introduced with a title ending in it, "Außenminister Sergej
    Lawrow"; of several, the one the article names most, then the last: "der Papst" is the
    article's pope, not one of the popes its background recalls). Not a name in the genitive
    after the title ("die Anwältin Samanis" is Samani's lawyer). ``definite``: only a phrase opened
    by a definite article ("ein Sprecher" is someone not named yet)."""
    text = context.article.text
    earlier = [m for m in reversed(context.mentions) if m.type == "PER" and m.end <= start]
    words = phrase.split()
    if words[0] in context.words("possessives"):
        return earlier[0].name if earlier else None
    head = words[-1].lower()
    opening = context.words("definite_articles" if definite else "determiners")
    if len(words) < 2 or words[0].lower() not in opening or len(head) < 4:
        return None
    titles = _titles_meant(context.language, head)
    named = Counter(m.name for m in context.mentions if m.type == "PER")
    titled = [m for m in earlier if _title_before(text, m).endswith(titles) and not _genitive(text, m, named)]
    if not titled:
        return None
    return max(titled, key=lambda m: named[m.name]).name  # of equals the first: the last introduced


def _title_before(text: str, mention: Mention) -> str:
    words = text[max(0, mention.start - 40) : mention.start].split()
    return words[-1].lower() if words else ""


def _genitive(text: str, mention: Mention, names: Counter) -> bool:
    """A name written in the genitive: "Samanis" of Ali Samani, "Rahmani Purs" of Arasch Rahmani
    Pur (the tagger may keep the s in the name)."""
    written = text[mention.start : mention.end]
    if not written.endswith("s"):
        return False
    stem = written[:-1]
    return not mention.name.endswith("s") or any(name == stem or name.endswith(" " + stem) for name in names)


@lru_cache(maxsize=1 << 12)  # bounded: a phrase's head is any word
def _titles_meant(language: str | None, head: str) -> tuple[str, ...]:
    """The endings of the titles a phrase's head word stands for: itself, and what the report's
    usage makes of it ("der Top-Diplomat": an "Außenminister"; ``lang/*/title_synonyms.json``)."""
    synonyms = lang.settings(language, "title_synonyms")
    return (head, *(title for word, titles in synonyms.items() if not word.startswith("_") and head.endswith(word) for title in titles))


def sentence_subject(context: QuoteContext, tokens: list[Span], countries: bool = False) -> tuple[str, int, int] | None:
    """Whose words a quotation embedded in a sentence without a speech verb are: a pronoun that
    opens the sentence, else the first person named before the quotation, else an organisation
    (with ``countries``, for the words in quotation marks, also a country: a state speaks through
    its government) that opens it ("Die Deutsche Bank hält am Plan von „…“ fest", "Nordkorea habe
    «ohne Vorbehalt seine Unterstützung» unterstrichen")."""
    if not tokens:
        return None
    text = context.article.text
    if text[tokens[0].start : tokens[0].end] in context.words("pronouns"):
        return find_speaker(context, tokens[:1], near=tokens[0].start)
    named = [m for m in context.mentions_from(tokens[0].start, tokens[-1].end) if m.end <= tokens[-1].end]
    opening = tokens[min(2, len(tokens) - 1)].end
    best = next((m for m in named if m.type == "PER"), None) or next((m for m in named if m.type in (("ORG", "LOC") if countries else ("ORG",)) and m.start < opening), None)
    if best is None:
        return None
    phrase = phrase_around(context, tokens, best.start, best.end)
    return speaking_as(context, phrase.start, phrase.end, best), phrase.start, phrase.end


def clause_subject(context: QuoteContext, tokens: list[Span]) -> tuple[str, int, int] | None:
    """A main clause's subject as German orders it: the phrase that opens the clause, or, when its
    verb opens it ("hat das Unternehmen ..."), the phrase right after the verb. A pronoun points
    back at the last person named; a phrase naming a person or organisation is that name."""
    text = context.article.text
    for start in (0, 1):
        if start >= len(tokens) or (start and not text[tokens[0].start : tokens[0].end].islower()):
            return None
        if text[tokens[start].start : tokens[start].end] in context.words("pronouns"):
            return find_speaker(context, tokens[start : start + 1], near=tokens[start].start)
        phrase = opening_phrase(context, tokens[start:])
        if phrase is not None:
            return speaking_as(context, phrase[1], phrase[2]) or phrase[0], phrase[1], phrase[2]
    return None


def opening_phrase(context: QuoteContext, tokens: list[Span]) -> tuple[str, int, int] | None:
    """The noun phrase a sentence opens with ("Das isländische Fischereiministerium legte fest")."""
    text = context.article.text
    first = text[tokens[0].start : tokens[0].end] if tokens else ""
    if not opens_phrase(first, context.words("determiners"), context.words("stopwords")):
        return None
    if first.lower() not in context.words("determiners") and (first.lower() in lowercase_words() or first.lower() in context.words("subordinators") | context.words("prepositions")):
        return None  # "Erwartet wird, dass ...", "Während X ...": a capital only because the sentence starts there
    phrase = noun_phrase(text, tokens, context.words("determiners"), context.words("stopwords"))
    if phrase is None or phrase.start != tokens[0].start:
        return None
    return text[phrase.start : phrase.end], phrase.start, phrase.end


def opening_subject(context: QuoteContext, tokens: list[Span]) -> tuple[str, int, int] | None:
    """The noun phrase a clause opens with, as the subject is cited: with what attaches to it up to
    the verb ("Die Vereinsleitung von Borussia Dortmund hat ...", "Der Besitzer eines Hauses
    hatte ..."), named by the person or organisation in it."""
    phrase = opening_phrase(context, tokens)
    if phrase is None:
        return None
    whole = phrase_around(context, tokens, phrase[1], phrase[2])
    cited = context.article.text[whole.start : whole.end]
    return speaking_as(context, whole.start, whole.end) or _person_meant(context, cited, whole.start) or cited, whole.start, whole.end  # "Der russische Minister": Lawrow


def speaking_body(context: QuoteContext, tokens: list[Span]) -> tuple[str, int, int] | None:
    """A sentence's opening noun phrase when its noun names a body or person that speaks ("Die
    parlamentarische Opposition", "Der oberste Strafgerichtshof des Landes")."""
    phrase = opening_phrase(context, tokens)
    if phrase is None:
        return None
    determiners = context.words("determiners")
    head = next((w.lower() for w in phrase[0].split() if w[:1].isupper() and w.lower() not in determiners), "")
    return phrase if head.endswith(tuple(context.words("speaker_nouns"))) else None


def _inverted_subject(context: QuoteContext, region: list[Span], near: int) -> tuple[str, int, int] | None:
    """'sagte der Minister', 'so der venezolanische Präsident laut BBC News': the phrase opened by
    an article right after the cue is the speaker, unless a name or pronoun right before the cue
    already is ('Lawrow sagte der Zeitung': the paper is whom he told)."""
    text = context.article.text
    determiners, stopwords = context.words("determiners"), context.words("stopwords")
    after = next((i for i, t in enumerate(region) if t.start > near), None)
    if after is None or text[region[after].start : region[after].end] not in determiners:
        return None
    cue = _token_at(text, near)
    if cue is None or text[cue.start : cue.end] not in context.words("speech_verbs") | {"so"} or _subject_before(context, cue.start):
        return None
    told = _leading_addressee(context, region, after)
    if told is not None:  # "bestätigte der APA ein Sprecher", "sagte dem Kurier der Bürgermeister": they were told
        after = told
        if after >= len(region) or text[region[after].start : region[after].end].lower() not in determiners:
            return None
    phrase = noun_phrase(text, region[after:], determiners, stopwords)
    if phrase is None:
        return None
    cited = phrase_around(context, region, phrase.start, phrase.end)
    written = text[cited.start : cited.end]  # "betonte der Top-Diplomat": the one introduced as "Außenminister"
    return speaking_as(context, cited.start, cited.end) or _person_meant(context, written, cited.start, definite=True) or written, cited.start, cited.end


def _past_addressee(context: QuoteContext, words: list[str], first: int, last: int) -> int:
    """Where a speaker phrase starts when whom they told stands between the cue verb and it:
    "sagte dem Kurier | der Bürgermeister" (after "laut" or "zufolge", "dem Direktor der Behörde"
    is the source itself)."""
    told = first if 0 < first < last and words[first].lower() in context.words("addressee_openers") else None
    if told is None or words[first - 1] not in context.words("speech_verbs"):
        return first
    return next((i for i in range(told + 1, last + 1) if words[i].lower() in context.words("determiners") or i == last), first)


def _leading_addressee(context: QuoteContext, region: list[Span], first: int) -> int | None:
    """Where the phrase after an addressee starting at ``first`` begins ("der APA | ein Sprecher"):
    the addressee is its article and the capitalised words up to the next article."""
    text = context.article.text
    words = [text[t.start : t.end] for t in region[first:]]
    end = 1
    while end < len(words) and words[end][:1].isupper() and words[end].lower() not in context.words("determiners"):
        end += 1
    return first + end if end > 1 and addressee(context, words[:end]) else None


def _token_at(text: str, position: int) -> Span | None:
    """The word that starts or ends at ``position`` (callers pass a cue's start or its end)."""
    match = _WORD.match(text, position) if position < len(text) and text[position].isalnum() else None
    if match:
        return Span(match.start(), match.end())
    start = re.search(r"\w+$", text[max(0, position - 40) : position])
    return Span(position - len(start.group()), position) if start else None


_BRACKETS_AND_MARKS = set("()„“”»«\"")
_QUOTATION_AND_FRAME = re.compile(r'[“”»«"]\s*,')  # "„…“, sagte er"; not a title: "laut „news.bbc.co.uk“"


def _subject_before(context: QuoteContext, cue_start: int) -> bool:
    """Whether the clause names its subject before the cue verb ("Lawrow sagte", "Petra Pau, ...,
    fordert", "Die Behörde teilte mit"): a pronoun, a noun phrase that opens it, or a person or
    organisation that no preposition governs ("Laut BBC News sagte der Minister", "In einem
    Interview mit der BBC erklärte er": BBC is not it). After a comma the verb comes first
    ("Putin sei bereit, sagte der Minister") unless all before it is a name and its apposition."""
    text = context.article.text
    sentence = sentence_at(context, cue_start)
    floor = sentence.start if sentence else 0
    start = max([floor] + [m.start() + 1 for m in _QUOTATION_AND_FRAME.finditer(text, floor, cue_start)])
    tokens = tokenize(text, start, cue_start)
    words = [text[t.start : t.end] for t in tokens]
    if words and words[-1] == ",":
        return name_and_appositions(context, words[:-1])
    if set(words) & context.words("pronouns") or opening_phrase(context, tokens) is not None:
        return True
    return any(m.type in ("PER", "ORG") and m.end <= cue_start and not governed(context, m.start, start) for m in context.mentions_from(start, cue_start))


def name_and_appositions(context: QuoteContext, words: list[str]) -> bool:
    """'Arni Finnsson, ein Vertreter der „Iceland Nature Conservation Association“ (Inca)', 'Elon
    Musk, der Milliardär hinter der Firma': a noun phrase, then phrases set off by commas."""
    kept = [w for w in words if w not in _BRACKETS_AND_MARKS]
    segments = [segment.split() for segment in " ".join(kept).split(" , ")]
    vocabulary = context.words("determiners"), context.words("stopwords")
    return (
        len(segments) >= 2
        and is_apposition(context, [w for w in segments[0] if w not in context.words("conjunctions")])
        and all(segment and opens_phrase(segment[0], *vocabulary) for segment in segments[1:])
    )


def governed(context: QuoteContext, position: int, floor: int = 0) -> bool:
    """Whether a preposition governs the phrase at ``position`` ("mit der britischen BBC",
    "laut Reuters"): such a name is not the subject of its clause."""
    prepositions = context.words("prepositions") | set(cues_by_first_word(context.language))
    determiners = context.words("determiners")
    preceding = context.article.text[max(floor, position - 60) : position].split()
    while preceding and (preceding[-1].lower() in determiners or is_adjective(preceding[-1]) and preceding[-1] not in prepositions):
        preceding.pop()  # past article and adjectives to the preposition
    return bool(preceding) and preceding[-1].lower() in prepositions


def phrase_around(context: QuoteContext, region: list[Span], start: int, end: int) -> Span:
    """The noun phrase a name stands in, as a reader would cite the speaker: its determiner,
    adjectives and titles before it ("der Wissenschaftsjournalist Dirk Lorenzen", "Ein Reporter
    des Fernsehsenders n-tv"), what "von" or "des" attach after it ("John Sifton von Human Rights
    Watch") and an apposition set off by commas ("Petra Pau, PDS-Bundestagsabgeordnete,"). "der"
    after the name stays out: "sagte Lawrow der Zeitung" names whom he told."""
    text = context.article.text
    sentence = sentence_at(context, start)
    opens_sentence = False
    if sentence is not None:  # what stands around the name may run past the searched region
        tokens = context.tokens(sentence)
        region = [t for t in tokens if t.end <= region[0].start] + region + [t for t in tokens if t.start >= region[-1].end]
        opens_sentence = bool(tokens)  # the phrase opens it when it reaches its first word, wherever the name stands ("Die Politiker X und Y begründen ...")
    words = [text[t.start : t.end] for t in region]
    vocabulary = context.words("determiners"), context.words("stopwords")
    first = next(i for i, t in enumerate(region) if t.end > start)
    last = max(i for i, t in enumerate(region) if t.start < end)
    first, last = with_name_marks(words, first, last)
    while first > 0 and words[first - 1] not in context.words("speech_verbs") and (
        phrase_word(context, words, first - 1) or _joins_names(context, words, first - 1) or _body_before(context, words, first - 1)
    ):
        if _opens_own_phrase(context, words, first) or _capitalised_function_word(context, words[first - 1]):
            break  # "hat Russland einem Medienbericht zufolge": a noun before "einem" is not its phrase; nor is "Während" that opens the sentence
        first -= 1
    first = _past_addressee(context, words, first, last)
    while 0 < first < last and words[first].islower() and words[first] not in vocabulary[0]:
        first += 1  # an adjective without its article is the end of something else, unless the region starts there ("nach jüngsten Untersuchungen")
    attachers = context.words("genitive_openers")
    if words[last] not in context.words("attribution_nouns"):
        attachers -= context.words("dative_openers")
    while last + 2 < len(region) and words[last + 1] in attachers and names_something(words[last + 2], *vocabulary):
        attached = last + 2
        while attached + 1 < len(region) and phrase_word(context, words, attached + 1):
            attached += 1
        while attached > last + 2 and words[attached].islower():
            attached -= 1  # ends at its noun
        if words[attached].islower() and (words[attached] in vocabulary[0] or not names_something(words[attached], *vocabulary)):
            break  # "von der" and the region ends: nothing attached
        last = attached
    last = with_parenthesis(words, last)
    last = _with_place(context, region, words, last)
    first, last = _antecedent(context, words, first, last)
    first, last = _with_appositions(context, words, first, last)
    if opens_sentence and first == 0:
        last = _whole_subject(context, region, words, last)
    return Span(region[first].start, region[last].end)


def _body_before(context: QuoteContext, words: list[str], index: int) -> bool:
    """A "von" that ties a name to the body or spokesperson it stands for ("die Regierung von |
    Kim", "ein Sprecher von | Tesla"): the phrase is the body's, so it reaches back over it."""
    return words[index].lower() in ("von", "vom") and index > 0 and words[index - 1][:1].isupper() and words[index - 1].lower().endswith(tuple(context.words("speaker_nouns")))


def _capitalised_function_word(context: QuoteContext, word: str) -> bool:
    """A conjunction or preposition written with a capital because it opens the sentence ("Während",
    "Nach"): no noun, so no part of a speaker's phrase."""
    lowered = word.lower()
    return word != lowered and lowered in context.words("subordinators") | context.words("prepositions")


def with_name_marks(words: list[str], first: int, last: int) -> tuple[int, int]:
    """A name set in quotation marks is cited with its marks, and so is the name after a noun it
    names ("„Reuters“", "die Musikzeitschrift „Billboard“", "die Nachrichtensite „Golem“")."""
    if first > 0 and last + 1 < len(words) and words[first - 1] in _OPENING_MARKS and words[last + 1] in _CLOSING_MARKS:
        return first - 1, last + 1
    if last + 2 < len(words) and words[last + 1] in _OPENING_MARKS and _is_noun(words[last + 2]):
        closing = next((i for i in range(last + 2, min(len(words), last + 7)) if words[i] in _CLOSING_MARKS), None)
        if closing is not None and all(w[:1].isalnum() for w in words[last + 2 : closing]):  # a short name, not someone's words
            return first, closing
    return first, last


_OPENING_MARKS = set("„»«\"")
_CLOSING_BRACKETS = set(")“”«»\"")  # what may end a title set off before a name: "der Firma „Ener1“, Name"
_CLOSING_MARKS = set("“”«»\"")


def _whole_subject(context: QuoteContext, region: list[Span], words: list[str], last: int) -> int:
    """A speaker that opens its sentence is the whole subject up to the verb, as a reader cites it:
    "John Kline, ein Repräsentant aus Minnesota und Marineoberst außer Dienst, sagte", "Human
    Rights Watch-Sprecher Malinowski erklärte", "Martin Behrsing, Sprecher des Erwerbslosen Forum
    Deutschland kommentierte"; an apposition ends it, a relative clause does not belong to it."""
    end = index = last
    while index + 1 < len(words):
        word = words[index + 1]
        if word == ",":
            segment = index + 2
            while segment < len(words) and _in_subject(context, region, words, segment):
                segment += 1
            if segment == index + 2 or segment == len(words):
                break  # a comma that ends the words: nothing after it belongs to the subject
            closed = words[segment] == ","
            relative = words[index + 2].lower() in context.words("determiners") and not closed
            if relative or not (closed or _verb_like(context, words, segment)):
                break  # a relative clause ("Frank Sichau, der als ... fungiert, erklärte") or the next clause
            end = index = segment - 1
        elif _in_subject(context, region, words, index + 1):
            index += 1
            end = index if not words[index].islower() or words[index] in _BRACKETS_AND_MARKS or is_brand(words[index]) else end
        else:
            break
    return end if words[end + 1 : end + 2] == [","] or _verb_like(context, words, end + 1) else last


def _in_subject(context: QuoteContext, region: list[Span], words: list[str], index: int) -> bool:
    """A word of a subject phrase: a noun phrase's words, brackets, a name's own words ("Movement
    for Democratic Change"), and a preposition or conjunction that joins a further noun."""
    word = words[index]
    if _after_noun(context, words, index):
        return False  # "Rice forderte China ...": an adjective follows an article or adjective, never a noun
    if phrase_word(context, words, index) or word in _BRACKETS_AND_MARKS:
        return True
    if any(m.start < region[index].start and region[index].end < m.end for m in context.mentions):
        return True
    return _joins_phrase(context, words, index)


def _after_noun(context: QuoteContext, words: list[str], index: int) -> bool:
    """A verb form right after a capitalised noun or name: there it is the clause's finite verb
    ("Rice forderte China ...", "Barrons bezeichnete"), not an adjective, which follows an article,
    another adjective or a genitive ("Jelpkes wissenschaftlicher Mitarbeiter")."""
    word, previous = words[index], words[index - 1] if index else ""
    return (
        context.language == "de" and word.isalpha() and word.islower() and word.lower() not in _closed_class(context.language)
        and previous[:1].isupper() and previous.lower() not in _closed_class(context.language) and _verb_form(word)
    )


def _joins_phrase(context: QuoteContext, words: list[str], index: int) -> bool:
    """A preposition or conjunction that joins a further noun to a phrase: "Repräsentant aus
    Minnesota", "EU-Kommission und Bundesregierung", "am Montag zurückgetretenen"."""
    following = words[index + 1] if index + 1 < len(words) else ""
    return words[index].lower() in _joining_words(context.language) and (
        opens_phrase(following, context.words("determiners"), context.words("stopwords")) or is_adjective(following) or following in _OPENING_MARKS
    )  # "Der Geschäftsführer von „Ener1“"


@cache
def _joining_words(language: str | None) -> frozenset[str]:
    return lang.words(language, "prepositions") | lang.words(language, "conjunctions") | lang.words(language, "title_prepositions")


@cache
def _closed_class(language: str | None) -> frozenset[str]:
    """Determiners and stop words: never adjectives, whatever their ending."""
    return lang.words(language, "determiners") | lang.words(language, "stopwords")


def phrase_word(context: QuoteContext, words: list[str], index: int) -> bool:
    """``in_phrase`` for a word in its context: a lower-case word in -e or -en is an adjective only
    before a noun or another adjective ("kündigte einen Vorschlag an" holds a verb)."""
    word, closed = words[index], _closed_class(context.language)
    if _open_adjective(word, closed):
        following = words[index + 1] if index + 1 < len(words) else ""
        if _is_noun(following):
            return True
        return _open_adjective(following, closed) and not (context.language == "de" and _verb_form(word))  # "äußerten indessen Zweifel"
    return in_phrase(word, context.words("determiners"), context.words("stopwords"))


def _open_adjective(word: str, closed: frozenset[str]) -> bool:
    return is_adjective(word) and word.lower() not in closed


@cache
def _verb_form(word: str) -> bool:
    """A German word whose lemma is another word's infinitive ("äußerten" -> "äußern")."""
    lemma = simplemma.lemmatize(word, lang="de")
    return lemma != word and lemma.endswith(("en", "rn", "ln"))


def _verb_like(context: QuoteContext, words: list[str], index: int) -> bool:
    """A lower-case word that no noun phrase is made of: the finite verb after a subject."""
    word = words[index] if index < len(words) else ""
    return word.isalpha() and word.islower() and not phrase_word(context, words, index)


def _opens_own_phrase(context: QuoteContext, words: list[str], index: int) -> bool:
    """Whether a determiner at ``index`` after a noun starts a phrase of its own: only a genitive
    article ("Sprecher der Regierung") continues the noun before it."""
    word = words[index].lower()
    return word in context.words("determiners") and word not in context.words("genitive_openers") and _is_noun(words[index - 1]) and words[index - 1].lower() not in context.words("determiners")


def _antecedent(context: QuoteContext, words: list[str], first: int, last: int) -> tuple[int, int]:
    """A relative pronoun stands for the phrase before its comma: in "Frank Sichau, der als Sprecher
    der Fraktion fungiert, erklärte" the speaker is Frank Sichau, not "der als Sprecher"."""
    if first < 2 or words[first - 1] != "," or words[first].lower() not in context.words("determiners") or phrase_word(context, words, first + 1):
        return first, last
    begin = first - 2
    while begin > 0 and phrase_word(context, words, begin - 1):
        begin -= 1
    return (begin, first - 2) if phrase_word(context, words, first - 2) else (first, last)


def _with_place(context: QuoteContext, region: list[Span], words: list[str], last: int) -> int:
    """A place right after an organisation speaking belongs to it: "der USGS in Denver", "Airbus
    im französischen Toulouse" (a place the tagger found, not "in einem Interview"); after a
    person it is where they spoke ("sagte Kristina Schröder in Berlin")."""
    if last + 2 >= len(words) or words[last + 1] not in context.words("place_prepositions"):
        return last
    name_end = region[_before_parenthesis(words, last)].end
    if any(m.type == "PER" and m.end == name_end for m in context.mentions):
        return last  # a person, perhaps with a party in parentheses
    first = last + 2
    while first < len(words) - 1 and is_adjective(words[first]):
        first += 1
    place = next((m for m in context.mentions if m.type == "LOC" and m.start == region[first].start), None)
    if place is None:
        return last
    return max(i for i, t in enumerate(region) if t.start < place.end)


def _before_parenthesis(words: list[str], last: int) -> int:
    """The word before a parenthesis that ends at ``last`` ("Kristina Schröder (CDU)"), else ``last``."""
    if words[last] != ")":
        return last
    opening = next((i for i in range(last - 1, max(-1, last - 10), -1) if words[i] == "("), None)
    return opening - 1 if opening else last


def with_parenthesis(words: list[str], last: int) -> int:
    """A short parenthesis belongs to the name before it: "Kristina Schröder (CDU)", "Der
    Bundesgerichtshof (BGH)"."""
    if last + 2 < len(words) and words[last + 1] == "(":
        closing = next((i for i in range(last + 2, min(len(words), last + 10)) if words[i] == ")"), None)
        if closing is not None:
            return closing
    return last


def _with_appositions(context: QuoteContext, words: list[str], first: int, last: int) -> tuple[int, int]:
    """Widen a speaker phrase over a noun phrase set off by commas after it ("General Michael
    Hagee, Kommandant des US-Marine-Corps,") or standing before it ("Der Geschäftsführer der
    Firma, Gerd-Jürgen Bruckschen,")."""
    vocabulary = context.words("determiners"), context.words("stopwords")
    if last + 2 < len(words) and words[last + 1] == ",":
        end = last + 2
        while end < len(words) and words[end] != "," and (phrase_word(context, words, end) or _attaches(context, words, end) or (end > last + 2 and _joins_phrase(context, words, end))):
            end += 1  # "die Leiterin der Fachstelle für Suchtvorbeugung": a preposition inside joins another noun
        closed = end == len(words) or words[end] in ",:" or (end == len(words) - 1 and words[end] in ".!?")  # ":" opens the quotation
        if closed and end > last + 2 and not words[end - 1].islower():
            last = end - 1
    if first >= 2 and words[first - 1] == "," and (phrase_word(context, words, first - 2) or words[first - 2] in _CLOSING_BRACKETS):
        begin = first - 2
        while begin > 0 and (phrase_word(context, words, begin - 1) or _joins_phrase(context, words, begin - 1) or words[begin - 1] in _BRACKETS_AND_MARKS):
            begin -= 1  # "Der Vorsitzende des Verbands in Deutschland, Michael Knipper", "Der Vertreter der Bundesagentur (BA), Peter Clever"
        if words[begin].lower() in vocabulary[0] or words[begin][:1].isupper():
            first = begin
    return first, last


def frame_rest(context: QuoteContext, words: list[str]) -> bool:
    """Whether the words after a speaker's comma up to the sentence's end only go on describing the
    frame: appositions and whom the speaker told (", Pressesprecher des LKA, zum STANDARD."), so
    the words before ", sagt X" are what was said, not the words after."""
    if is_apposition(context, words):
        return True
    words = words[:-1] if words and words[-1] in ".!?" else words
    *described, told = [segment.split() for segment in " ".join(words).split(" , ")] if words else [[]]
    return addressee(context, told) and all(is_apposition(context, segment) for segment in described)


def addressee(context: QuoteContext, words: list[str]) -> bool:
    """A phrase naming whom a speaker told or the medium they spoke to: opened by a dative word
    ("dem Kurier", "zum STANDARD", "gegenüber der Zeitung"), or "der" with a medium ("der APA",
    "der Zeitung Die Presse"). Such a phrase is never the speaker."""
    if len(words) < 2 or not is_apposition(context, words[1:]):
        return False  # a noun phrase only: "dem Betreiber sofort die Lizenz zu entziehen" is a clause
    opener = words[0].lower()
    if opener in context.words("addressee_openers"):
        return True
    return opener in context.words("dative_openers") and names_medium(context, words[1:])


def names_medium(context: QuoteContext, words: list[str]) -> bool:
    """A news agency ("APA"), a noun of the media ("Zeitung", "Nachrichtenagentur") or a title set
    in capitals as Austrian papers style theirs ("STANDARD", "KURIER")."""
    relays = tuple(noun.lower() for noun in context.words("relay_nouns"))
    agencies = lang.shared_list("agencies")
    return any(
        w.lower() in agencies or w.lower().endswith(relays) or (len(w) >= 4 and w.isalpha() and w.isupper())
        for w in words
    )


def is_apposition(context: QuoteContext, words: list[str]) -> bool:
    """Whether the words up to the sentence's end are a noun phrase ("der Gouverneur von Tabasco."),
    not a clause."""
    words = words[:-1] if words and words[-1] in ".!?" else words
    return bool(words) and all(phrase_word(context, words, i) or _attaches(context, words, i) for i in range(len(words)))


def _attaches(context: QuoteContext, words: list[str], index: int) -> bool:
    """A preposition that ties a place or body to a title: "der Gouverneur von Tabasco"."""
    vocabulary = context.words("determiners"), context.words("stopwords")
    return words[index] in context.words("title_prepositions") and index + 1 < len(words) and names_something(words[index + 1], *vocabulary)


def names_something(word: str, determiners: frozenset[str], stopwords: frozenset[str]) -> bool:
    """What may follow "von": a phrase, or a lower-case brand ("n24", "n-tv")."""
    return opens_phrase(word, determiners, stopwords) or (word.lower() not in stopwords and any(c.isdigit() or c == "-" for c in word))


def _joins_names(context: QuoteContext, words: list[str], index: int) -> bool:
    """'und' between two capitalised words: "Sonia und Willy Bogner" speak together."""
    return words[index] in context.words("conjunctions") and 0 < index < len(words) - 1 and words[index - 1][:1].isupper() and words[index + 1][:1].isupper()


def is_adjective(word: str) -> bool:
    return _lower_case_word(word) and word.endswith(("e", "en", "er", "es", "em"))


def _lower_case_word(word: str) -> bool:
    """A lower-case word, numbers joined to it included: "russische", "56-jährige"."""
    return word.islower() and (word.isalpha() or bool(re.fullmatch(r"\d+-[^\W\d_]+", word)))


def in_phrase(word: str, determiners: frozenset[str], stopwords: frozenset[str]) -> bool:
    """A determiner, an inflected adjective or a capitalised noun: words a noun phrase is made of."""
    if word.lower() in determiners:
        return True
    if word[:1].isupper() and word[:1].isalpha():
        return word.lower() not in stopwords
    return (is_adjective(word) and word not in stopwords) or is_brand(word)


def is_brand(word: str) -> bool:
    """A name written in lower case, known by what no common word holds: a digit ("n24",
    "flightradar24"), a dot inside it ("ver.di", "tagesschau.de") or a capital after a hyphen
    ("al-Dschasira", "el-Baradei"); not an abbreviation ("u.a.", "z.B.")."""
    if not word[:1].islower() or not word[-1:].isalnum() or len(word) < 3:
        return False
    if any(c.isdigit() for c in word):
        return any(c.isalpha() for c in word)
    if "." in word:
        return word.replace(".", "").isalnum() and min(len(part) for part in word.split(".")) >= 2
    return "-" in word and any(part[:1].isupper() for part in word.split("-")[1:])


def noun_phrase(text: str, region: list[Span], determiners: frozenset[str], stopwords: frozenset[str]) -> Span | None:
    """'das russische Aussenministerium am Samstag mit' -> 'das russische Aussenministerium':
    determiners and adjectives up to a capitalised noun, and one genitive after it."""
    kept: list[Span] = []
    noun_seen = genitive_used = False
    skipped = 0
    while skipped < len(region) and skipped < 3 and not opens_phrase(text[region[skipped].start : region[skipped].end], determiners, stopwords):
        skipped += 1  # "hieß es in einer Erklärung des ...": the phrase starts at "einer"
    for token in region[skipped:]:
        word = text[token.start : token.end]
        if word.lower() in determiners and (not noun_seen or (word in ("des", "der") and not genitive_used)):
            genitive_used = genitive_used or noun_seen
            noun_seen = False
            kept.append(token)
        elif _is_noun(word) and word.lower() not in stopwords:
            kept.append(token)
            noun_seen = True
        elif not noun_seen and (_lower_case_word(word) or word.isdigit()) and kept:
            kept.append(token)  # an adjective or number between determiner and noun: "der 13 beteiligten Feuerwehrleute"
        else:
            break
    while kept and not _is_noun(text[kept[-1].start : kept[-1].end]):
        kept.pop()  # ends at a noun: an article alone names nobody
    return Span(kept[0].start, kept[-1].end) if kept else None


def _is_noun(word: str) -> bool:
    """Capitalised ("Sprecher"), or a number made a noun ("der 39-Jährige")."""
    return (word[:1].isupper() and word[:1].isalpha()) or bool(re.match(r"\d+-[^\W\d_]", word) and word.split("-", 1)[1][:1].isupper()) or is_brand(word)


def opens_phrase(word: str, determiners: frozenset[str], stopwords: frozenset[str]) -> bool:
    """A determiner or a capitalised noun ('Nach' at a sentence start is neither)."""
    return word.lower() in determiners or (word[:1].isupper() and word[:1].isalpha() and word.lower() not in stopwords)
