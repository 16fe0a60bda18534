"""Entity mentions in one article: tag, map types, restore base forms, resolve short forms.

German articles introduce a person in full ("Kim Jong Un", "Sergej Lawrow") and then use a part
("Kim", "Lawrow") or a genitive ("Putins"). Within one article such a part is unambiguous when
exactly one full name contains it, so the mention gets that full name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice

from lagebild import lang
from lagebild.extract import ner_model
from lagebild.extract.ner_features import lowercase_words
from lagebild.extract.names import name_words, place_ids
from lagebild.model import Article, Mention, Sentence, Span
from lagebild.nlp.tokens import tokenize
from lagebild.spans import Taken

# GermEval's -deriv ("nordkoreanische") and -part ("Ukraine-Krieg") labels are not mentions of
# the entity itself; OTH is the contract's MISC.
CONTRACT_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "OTH": "MISC"}
_GENITIVE_ENDINGS = ("s", "'", "’")
_POSSESSIVES = ("'s", "’s")  # English "Blair's": the name is "Blair"
_UNRESOLVED = "?"  # a capitalised word that is a name only if the article names it in full
ARTICLES_PER_BATCH = 256  # German sentences of this many articles are tagged together


def find_mentions(article: Article, sentences: list[Sentence]) -> list[Mention]:
    return next(iter_mentions([(article, sentences)]))


def iter_mentions(documents: Iterable[tuple[Article, list[Sentence]]]) -> Iterator[list[Mention]]:
    """Each article's mentions, in order. The German sentences of many articles are tagged as one
    batch: the network steps through sentences of like length together, far faster than one
    article's few sentences of mixed length."""
    documents = iter(documents)
    while chunk := list(islice(documents, ARTICLES_PER_BATCH)):
        tokenized = [(article, [_words(article.text, sentence) for sentence in sentences]) for article, sentences in chunk]
        tagged = _tagged([words for article, sentences in tokenized if article.language == "de" for _, words in sentences])
        lower_case = {article.id: _lower_case_words(article.language, sentences) for article, sentences in tokenized if article.language != "de"}
        for article, sentences in tokenized:
            raw = [
                span
                for tokens, words in sentences
                for span in (_typed_spans(tokens, words, tagged[words]) if article.language == "de" else _rule_spans(tokens, words, lower_case[article.id]))
            ]
            raw = [(start, _without_possessive(article.text, start, end), kind) for start, end, kind in raw]
            yield _resolve_names(article, _with_repeats(article.text, raw) if article.language == "de" else raw)


def _without_possessive(text: str, start: int, end: int) -> int:
    """The end of a name without an English possessive ending ("Blair's", "Trump’s" -> "Blair",
    "Trump"): the tokeniser keeps the apostrophe inside the word, the name is without it."""
    return end - 2 if end - start > 3 and text[start:end].endswith(_POSSESSIVES) else end


def _with_repeats(text: str, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The tagged spans plus every other place where the article writes a tagged name: the tagger
    reads each sentence alone and misses a name now and then ("Nordwerk baut ... ab" as a title,
    where the body says "der Windanlagenbauer Nordwerk"). A name the training text also had in
    lower case is left alone, and so is a name inside a compound ("Ukraine-Krieg")."""
    kinds: dict[str, Counter] = {}
    for start, end, kind in raw:
        kinds.setdefault(text[start:end], Counter())[kind] += 1
    taken = Taken((start, end) for start, end, _ in raw)
    added = []
    ordered = sorted(kinds.items(), key=lambda item: -len(item[0]))  # "Kim Jong Un" before "Kim"
    repeated = [(name, counts) for name, counts in ordered if name[:1].isupper() and name.lower() not in lowercase_words()]
    places = _all_occurrences(text, [name for name, _ in repeated])
    for name, counts in repeated:
        kind = counts.most_common(1)[0][0]
        for first, last in places[name]:
            if not taken.overlaps(first, last):
                added.append((first, last, kind))
                taken.add(first, last)
    return sorted(raw + added) if added else raw


_WORD_RUN = re.compile(r"[\w-]+")  # a run of the characters ``_joined`` counts as inside a word
MOST_WORD_RUNS = 8  # a longer name is looked for on its own


def _all_occurrences(text: str, names: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Where each name stands as a word of its own, as ``_occurrences`` finds them, in one pass
    over the text's words: a name that starts and ends inside a word starts where a run of word
    characters starts and ends where one ends, so the text's runs are looked up in the names
    rather than the text searched through once for each name (an article naming thousands of
    people was read thousands of times)."""
    found: dict[str, list[tuple[int, int]]] = {}
    by_runs: dict[int, set[str]] = defaultdict(set)
    for name in names:
        runs = len(_WORD_RUN.findall(name))
        if _joined(name, 0) and _joined(name, len(name) - 1) and runs <= MOST_WORD_RUNS:
            by_runs[runs].add(name)
            found[name] = []
        else:
            found[name] = list(_occurrences(text, name))
    if by_runs:
        runs = [(run.start(), run.end()) for run in _WORD_RUN.finditer(text)]
        for index, (start, _) in enumerate(runs):
            for count, wanted in by_runs.items():
                if index + count <= len(runs):
                    end = runs[index + count - 1][1]
                    if text[start:end] in wanted:
                        found[text[start:end]].append((start, end))
    return found


def _occurrences(text: str, name: str) -> Iterator[tuple[int, int]]:
    """Where ``name`` stands as a word of its own (str.find: a regular expression per name costs
    more to compile than to run)."""
    start = text.find(name)
    while start != -1:
        end = start + len(name)
        if not (_joined(text, start - 1) or _joined(text, end)):
            yield start, end
        start = text.find(name, start + 1)


def _joined(text: str, index: int) -> bool:
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] in "-_")


def _words_before(text: str, start: int, count: int) -> list[str]:
    """Up to ``count`` words right before ``start`` (a window wide enough for them)."""
    return text[max(0, start - 30 * count) : start].split()[-count:]


def _words(text: str, sentence: Sentence) -> tuple[list[Span], tuple[str, ...]]:
    tokens = tokenize(text, sentence.start, sentence.end)
    return tokens, tuple(text[t.start : t.end] for t in tokens)


def _typed_spans(tokens: list[Span], words: tuple[str, ...], found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """German: the tagger's spans (GermEval 2014 labels) as mentions of the contract's types."""
    typed = []
    for first, end, label in found:
        kind = CONTRACT_TYPES.get(label)
        after_place_noun = _skip_place_noun(words, first, end)
        if kind and after_place_noun > first:
            first, kind = after_place_noun, "LOC"  # "die Küstenstadt Wonsan"
        first = _skip_descriptors(words, first, end)
        if kind == "PER":
            end = _end_of_person_name(words, first, end)
        if not any(word[:1].isupper() or word[:1].isdigit() for word in words[first:end]):
            continue  # "»heroisch«": a word in quotation marks, no name
        while end - first > 1 and words[end - 1].isdigit() and end < len(words) and words[end][:1].isupper():
            end -= 1  # "der Reederei Baltic Link 312 Passagiere": a number before a noun counts it
        if kind and _after_role_word(words, first, end):
            kind = "PER"
        if kind == "MISC" and " ".join(words[first:end]) in lang.all_languages_list("currency_names"):
            kind = None  # "4,5 Millionen Euro": money, not a name to follow
        if kind:
            typed.append((tokens[first].start, tokens[end - 1].end, kind))
    return typed


def _after_role_word(words: tuple[str, ...], first: int, end: int) -> bool:
    """'seiner Kollegin Choe Son Hui': a multi-word name right after a role word is a person,
    unless the whole name is a known place."""
    if end - first < 2 or first == 0 or words[first - 1] not in lang.all_languages_list("person_cues"):
        return False
    return " ".join(words[first:end]).casefold() not in place_ids()


_SENTENCE_CACHE: dict[tuple[str, ...], list[tuple[int, int, str]]] = {}
SENTENCE_CACHE_SIZE = 200_000


def _tagged(sentences: list[tuple[str, ...]]) -> dict[tuple[str, ...], list[tuple[int, int, str]]]:
    """Entity spans of each sentence; the new ones tagged in one batch, all remembered, since wire
    copy repeats sentences word for word."""
    if len(_SENTENCE_CACHE) + len(sentences) > SENTENCE_CACHE_SIZE:
        _SENTENCE_CACHE.clear()
    new = list(dict.fromkeys(words for words in sentences if words and words not in _SENTENCE_CACHE))
    for words, tags in zip(new, ner_model.tag_sentences([list(words) for words in new])):
        _SENTENCE_CACHE[words] = ner_model.spans(tags)
    return {words: _SENTENCE_CACHE.get(words, []) for words in sentences}


def _skip_place_noun(words: tuple[str, ...], first: int, end: int) -> int:
    """'Küstenstadt Wonsan' -> 'Wonsan': a leading place noun introduces a place's name."""
    return first + 1 if end - first > 1 and words[first] in lang.all_languages_list("place_cues") else first


def _end_of_person_name(words: tuple[str, ...], first: int, end: int) -> int:
    """'Kim dem Kreml' -> 'Kim': a lower-case word other than a particle ('von der') ends a name."""
    for index in range(first + 1, end):
        if words[index][:1].islower() and words[index] not in lang.shared_list("name_particles"):
            return index
    return end


def _skip_descriptors(words: tuple[str, ...], first: int, end: int) -> int:
    """'Reederei Baltic Link' -> 'Baltic Link': a leading role or organisation word is not the name."""
    descriptors = lang.all_languages_list("org_cues") | lang.all_languages_list("person_cues")
    while end - first > 1 and words[first] in descriptors:
        first += 1
    return first


def _lower_case_words(language: str | None, sentences: list[tuple[list[Span], tuple[str, ...]]]) -> tuple[frozenset[str], frozenset[str]]:
    """(the words an article writes in lower case somewhere: "officials", "shares"; its
    language's stop words and number words: "one", "more", "some")."""
    written = frozenset(word for _, words in sentences for word in words if word[:1].islower())
    return written, lang.words(language, "stopwords") | lang.words(language, "numerals")


def _rule_spans(tokens: list[Span], words: tuple[str, ...], lower_case: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())) -> list[tuple[int, int, str]]:
    """Other languages (English for now): runs of capitalised words, typed by gazetteers and cues.

    A run is a place if GeoNames knows it, an organisation if it holds an organisation word or is
    a news agency, a person if it has two to four words or follows a person cue ("Minister").
    A single unknown word is kept only if it is the short form of a person named in full. A word
    capitalised only because it opens the sentence ("One", "More", "Some") is no name word."""
    found = []
    index = 0
    while index < len(words):
        end = index
        while end < len(words) and _is_name_word(words[end]) and not _shouted(words[end], lower_case[1]) and not (end == index and _only_sentence_case(words, end, lower_case)):
            end += 1
        while end - index > 1 and words[end - 2].endswith(_POSSESSIVES):
            end -= 1  # "Trump's White House": the possessor is the name, the run stops after it
        if end > index:
            start = _after_last_cue(words, index, end)
            kind = _rule_type(words, start, end)
            if kind:
                found.append((tokens[start].start, tokens[end - 1].end, kind))
            index = end
        else:
            index += 1
    return found


def _after_last_cue(words: tuple[str, ...], start: int, end: int) -> int:
    """'Emergency Situations Minister Azamat Chyngyshev': the name starts after the role word."""
    cues = lang.all_languages_list("person_cues")
    last = max((i for i in range(start, end - 1) if words[i] in cues), default=None)
    return start if last is None else last + 1


def _is_name_word(word: str) -> bool:
    if not word[:1].isupper() or not word[:1].isalpha():
        return False
    return word not in lang.all_languages_list("function_words")


def _shouted(word: str, function_words: frozenset[str]) -> bool:
    """A function word in capitals ("Trump MORE (D-Mass.)": a web page's link text): no name. Two
    and three letters may be an acronym ("US", "WHO") and are kept."""
    return len(word) > 3 and word.isupper() and word.lower() in function_words


def _only_sentence_case(words: tuple[str, ...], index: int, lower_case: tuple[frozenset[str], frozenset[str]]) -> bool:
    """A capitalised word at the start of a sentence (or after an opening quotation mark) that the
    language writes in lower case: a stop word or number word ("One", "More", "Some"), or, standing
    alone, a word the article itself writes in lower case elsewhere ("Officials said"; but "Bill
    Clinton" stays whole). All-capital words keep their case ("WHO" is an acronym)."""
    word = words[index]
    opens = index == 0 or (index == 1 and not words[0][:1].isalnum())
    if not opens or (word.isupper() and len(word) > 1):
        return False
    written, function_words = lower_case
    alone = index + 1 == len(words) or not _is_name_word(words[index + 1])
    return word.lower() in function_words or (alone and word.lower() in written)


def _rule_type(words: tuple[str, ...], start: int, end: int) -> str | None:
    name = " ".join(words[start:end])
    if name in lang.all_languages_list("currency_names"):
        return None
    cues = lang.all_languages_list("org_cues")
    if name.lower() in lang.shared_list("agencies") or any(word in cues for word in words[start:end]):
        return "ORG"
    if end - start > 1 and words[end - 1] in lang.all_languages_list("media_heads"):
        return "ORG"  # "BFM TV", "Chicago Tribune": a medium
    if name.casefold() in place_ids() or any(word in lang.all_languages_list("place_cues") for word in words[start:end]):
        return "LOC"
    if end - start > 1 and any(word in lang.all_languages_list("event_cues") for word in words[start + 1 : end]):
        return "MISC"  # "World Cup", "Affordable Care Act": an event, law or work, not a person
    if 2 <= end - start <= 4 or (start > 0 and words[start - 1] in lang.all_languages_list("person_cues")):
        return "PER"
    return _UNRESOLVED if end - start == 1 else None


def _introduced_as(text: str, start: int) -> str | None:
    """'das Dorf Myrne', 'die Region Kursk', 'the city of Karakol': a place noun introduces a place;
    'der Windanlagenbauer Nordwerk': an organisation noun, an organisation."""
    before = _words_before(text, start, 2)
    before = before[:-1] if before and before[-1] == "of" else before
    if not before:
        return None
    if before[-1] in lang.all_languages_list("place_cues"):
        return "LOC"
    return "ORG" if before[-1] in lang.all_languages_list("org_cues") else None


def _resolve_names(article: Article, raw: list[tuple[int, int, str]]) -> list[Mention]:
    texts = [article.text[start:end] for start, end, _ in raw]
    people = [text for text, (_, _, kind) in zip(texts, raw) if kind == "PER" and " " in text]
    cued = ((text, _introduced_as(article.text, start)) for text, (start, _, _) in zip(texts, raw))
    introduced = {text: kind for text, kind in cued if kind}
    known = _Known(texts, people)
    mentions = []
    for text, (start, end, kind) in zip(texts, raw):
        # "das Dorf Myrne ... um Myrne einzunehmen": what the article called a village stays one
        kind = introduced.get(text) or kind
        name = known.base_form(text)
        if " " not in name:  # a short form of a person named in full is that person, whatever the tagger said
            full = known.full_name(name)
            if full:
                name, kind = full, "PER"
            elif kind == "PER" and name.casefold() in place_ids():
                kind = "LOC"  # "Pjöngjang sei bereit ...": a capital speaking for its government is still the place
        if kind != _UNRESOLVED:
            mentions.append(Mention(article.id, start, end, text, kind, name))
    return sorted(mentions + _role_mentions(article, mentions), key=lambda m: m.start)


def _role_mentions(article: Article, mentions: list[Mention]) -> list[Mention]:
    """'den nordkoreanischen Machthaber Kim Jong Un ... traf den Machthaber am Samstag': a role
    word with a definite article stands for the one person the article introduced with it, when
    it introduced exactly one ("Beide Machthaber" is none of them)."""
    text = article.text
    cues = lang.words(article.language, "person_cues")
    introduced: dict[str, set[str]] = defaultdict(set)
    first_seen: dict[str, int] = {}
    for mention in mentions:
        before = _words_before(text, mention.start, 1)
        if mention.type == "PER" and " " in mention.name and before and before[-1] in cues:
            introduced[before[-1]].add(mention.name)
            first_seen.setdefault(before[-1], mention.end)
    starts = {mention.start for mention in mentions}
    taken = Taken((mention.start, mention.end) for mention in mentions)
    roles = []
    for cue, names in introduced.items():
        if len(names) != 1:
            continue
        for start, end in _occurrences(text, cue):
            after_name = start >= first_seen[cue] and end + 1 not in starts  # "Machthaber Kim" introduces, not refers
            if after_name and _definite_before(text, start, article.language) and not taken.overlaps(start, end):
                roles.append(Mention(article.id, start, end, cue, "PER", next(iter(names)), role=True))
    return roles


def _definite_before(text: str, start: int, language: str | None) -> bool:
    """'den Machthaber', 'den nordkoreanischen Machthaber': a definite article, perhaps one
    adjective between."""
    before = _words_before(text, start, 2)
    articles = lang.words(language, "definite_articles")
    return bool(before) and (before[-1] in articles or (len(before) == 2 and before[-1][:1].islower() and before[0] in articles))


class _Known:
    """The names an article's tagger found, looked up by word: each mention is resolved against
    all of them, so a look-up through every name made an article of many names quadratic (4,000
    people named in 300,000 characters: 19 s)."""

    def __init__(self, texts: list[str], people: list[str]):
        self.texts = set(texts)
        self.words = {word for text in self.texts for word in text.split()}
        self.people: dict[str, list[str]] = defaultdict(list)  # word -> the person names holding it, as often as named
        for name in people:
            for word in name_words(name):
                self.people[word].append(name)

    def base_form(self, text: str) -> str:
        """'Putins' -> 'Putin' when the article also names 'Putin' (or a name containing it), or
        when the stem is a known place and the word is none ('Berlins'; not 'Paris', whose stem
        'Pari' is a place too)."""
        if text.endswith(_GENITIVE_ENDINGS) and len(text) > 3:
            stem = text[:-1]
            places = place_ids()
            if stem in self.texts or stem in self.words or (stem.casefold() in places and text.casefold() not in places):
                return stem
        return text

    def full_name(self, part: str) -> str | None:
        """The multi-word person name of the article that contains ``part`` as a word (a
        hyphenated surname whole: "Mikl-Leitner" of "Johanna Mikl-Leitner"; "Assad" of "Baschar
        al-Assad"): the most often named one, and of those the one introduced first."""
        candidates = self.people.get(part)
        if not candidates:
            return None
        counts = Counter(candidates)
        return max(counts, key=lambda name: counts[name])  # a Counter keeps first-seen order: ties go to the first introduced
