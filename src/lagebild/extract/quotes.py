"""Quotations and reported speech in one article: content, cue, speaker, and the relay (via).

Direct quotations are found by their marks in every style („…“ »…« «…» “…” "…"), across
sentences and paragraphs. Reported speech is found sentence by sentence:

- a speech verb before a clause: "sagte Kim, sein Land sei bereit ..." (indirect),
- a clause before a speech verb: "Die Ursache sei unklar, sagte ein Sprecher." (indirect),
- an attribution without a verb: "Laut Medienberichten könnte ...", "X zufolge" (reported),
- a subjunctive sentence with no cue of its own (free indirect): within three sentences after a
  quotation it continues that speaker's words; before any speaker is named it stays unattributed.

Speakers are the entity mentions (or noun phrases) next to the cue; a pronoun stands for the last
person named before it. A news agency or medium named in an attribution ("laut KCNA", "der
Nachrichtenagentur Tass zufolge") is the relay between speaker and article (``via``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

import simplemma

from lagebild import lang
from lagebild.model import Article, Mention, Quote, Sentence, Span
from lagebild.nlp.tokens import tokenize

MAX_QUOTE_CHARS = 1500
MIN_QUOTE_WORDS = 2
SPEAKER_WINDOW = 8  # tokens around a cue searched for the speaker


@cache
def _mark_pairs() -> dict[str, set[str]]:
    pairs: dict[str, set[str]] = {}
    text = resources.files("lagebild").joinpath("data", "quote_marks.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            opening, closing = line.split("\t")
            pairs.setdefault(opening, set()).add(closing)
    return pairs


def _words(name: str, language: str | None) -> frozenset[str]:
    return lang.words(language, name)


def direct_spans(text: str) -> list[Span]:
    """Spans of quotation marks' contents (marks excluded), outermost only."""
    pairs = dict(_mark_pairs())
    first_guillemet = re.search("[»«]", text)
    if first_guillemet:  # »…« (German books) or «…» (Swiss): whichever comes first opens
        opening = first_guillemet.group()
        pairs.pop("«" if opening == "»" else "»", None)
    openers = _mark_class("".join(pairs))
    spans, position = [], 0
    while (found := openers.search(text, position)) is not None:
        start = found.start()
        end = _closing(text, start + 1, pairs[found.group()]) if _opens(text, start) else None
        if end is not None:
            spans.append(Span(start + 1, end))
            position = end + 1
        else:
            position = start + 1
    return spans


@cache
def _mark_class(marks: str) -> re.Pattern:
    return re.compile("[" + re.escape(marks) + "]")


@cache
def _closer_pattern(closers: frozenset[str]) -> re.Pattern:
    """A closing mark not followed by a letter or digit (an apostrophe inside a word is not one)."""
    return re.compile("[" + re.escape("".join(sorted(closers))) + "](?![^\\W_])")


def _opens(text: str, position: int) -> bool:
    """An opening mark stands before a word (not after one, as a closing straight quote does)."""
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return not after.isspace() and (before.isspace() or before in "([—–-/" or position == 0)


def _closing(text: str, start: int, closers: set[str]) -> int | None:
    limit = min(len(text), start + MAX_QUOTE_CHARS)
    found = _closer_pattern(frozenset(closers)).search(text, start, min(len(text), limit + 1))
    return found.start() if found is not None and found.start() < limit else None


@dataclass
class _Context:
    article: Article
    sentences: list[Sentence]
    mentions: list[Mention]
    language: str | None
    _tokens: dict[tuple[int, int], list[Span]] = field(default_factory=dict)

    def words(self, name: str) -> frozenset[str]:
        return _words(name, self.language)

    def tokens(self, sentence: Sentence) -> list[Span]:
        """A sentence's tokens, made once: every reported-speech test reads them."""
        key = (sentence.start, sentence.end)
        if key not in self._tokens:
            self._tokens[key] = tokenize(self.article.text, sentence.start, sentence.end)
        return self._tokens[key]


def find_quotes(article: Article, sentences: list[Sentence], mentions: list[Mention]) -> list[Quote]:
    context = _Context(article, [s for s in sentences if not s.is_heading], sorted(mentions, key=lambda m: m.start), article.language)
    quotes = _share_frames(context, [q for q in (_direct(context, span) for span in direct_spans(article.text)) if q is not None])
    covered = [(q.start, q.end) for q in quotes]
    previous_speaker: Quote | None = None
    framed = [(s.start, s.end) for s in context.sentences if any(s.start <= q.start <= s.end and q.speaker for q in quotes)]
    for index, sentence in enumerate(context.sentences):
        is_framed = (sentence.start, sentence.end) in framed
        told = _told_before(context, index, quotes)
        if told is not None:
            quotes.append(told)
        reported = None if is_framed else _reported(context, sentence, covered)
        if reported is None and not is_framed and (previous_speaker is None or _follows(context, index, previous_speaker)):
            reported = _free_indirect(context, sentence, previous_speaker, covered)
        if reported is None and not is_framed:
            reported = _speech_act(context, sentence, covered)
        if reported is not None:
            quotes.append(reported)
        attributed = [q for q in quotes if sentence.start <= q.start < sentence.end + 1 and q.speaker]
        previous_speaker = attributed[-1] if attributed else (previous_speaker if reported is None else reported)
    return sorted(quotes, key=lambda q: (q.start, q.end))


def _told_before(context: _Context, index: int, quotes: list[Quote]) -> Quote | None:
    """'Der A380 startet am Mittwoch zum Erstflug. Dies gab Airbus bekannt.': a sentence that opens
    with "Dies" and a reporting verb makes the sentence before it that speaker's statement."""
    if index == 0:
        return None
    text = context.article.text
    tokens = context.tokens(context.sentences[index])
    words = [text[t.start : t.end] for t in tokens[:3]]
    verbs = context.words("speech_verbs")
    if len(words) < 3 or words[0] not in context.words("anaphoric_openers") or words[1] not in verbs:
        return None
    previous = context.sentences[index - 1]
    if any(previous.start <= q.end and q.start <= previous.end for q in quotes):
        return None
    span = Span(previous.start, _strip_end(text, previous.end))
    speaker = _speaker(context, tokens[2:], near=tokens[1].end)
    return _quote(context, span, "indirect", words[1], speaker, _via(context, context.sentences[index].start, context.sentences[index].end, exclude=span))


def _share_frames(context: _Context, quotes: list[Quote]) -> list[Quote]:
    """Quotation marks that one frame holds together: in 'Die „…“ hätten „…“, so Murtha' both
    pieces are Murtha's, though only the last stands next to the cue."""
    shared = []
    for quote in quotes:
        sentence = _sentence_at(context, quote.start) if quote.speaker is None else None
        framing = next((q for q in quotes if q.speaker and sentence and sentence.start <= q.start <= sentence.end), None)
        if framing is not None:
            quote = replace(quote, cue=framing.cue, speaker=framing.speaker, speaker_start=framing.speaker_start, speaker_end=framing.speaker_end, via=quote.via or framing.via)
        shared.append(quote)
    return shared


def _sentence_at(context: _Context, position: int) -> Sentence | None:
    for sentence in context.sentences:
        if sentence.start <= position <= sentence.end:
            return sentence
    return None


def _direct(context: _Context, span: Span) -> Quote | None:
    text = context.article.text
    content = text[span.start : span.end]
    if len(content.split()) < MIN_QUOTE_WORDS:
        return None
    last = _sentence_at(context, span.end) or _sentence_at(context, span.start)
    first = _sentence_at(context, span.start) or last
    if last is None:
        return None
    # the frame is the rest of the sentence around the quotation: ", sagte Kim." or "Kim sagte: „"
    after = tokenize(text, span.end + 1, last.end)
    before = tokenize(text, first.start, max(first.start, span.start - 1))
    after_found = _cue_and_speaker(context, after, "after")
    before_found = _cue_and_speaker(context, before, "before")
    via = _via(context, first.start, last.end, exclude=span)
    if after_found and before_found and after_found[1] and before_found[1] and _is_relay(context, after_found[1][0]):
        after_found = None  # "Lawrow erklärte, Putin hoffe auf »…«, berichtete Tass": Tass relays
    cue, speaker = after_found or before_found or (None, None)
    if _is_title(content) and not (cue and speaker):
        return None  # „Eine unbequeme Wahrheit“, „National Democratic Party“: a name in quotation marks
    if speaker is None and first is last:
        speaker = _sentence_subject(context, before)  # "Sie warf der Regierung vor, „…“ zu betreiben"
    return _quote(context, span, "direct", cue, speaker, via)


def _sentence_subject(context: _Context, tokens: list[Span]) -> tuple[str, int, int] | None:
    """Whose words a quotation embedded in a sentence without a speech verb are: a pronoun that
    opens the sentence, else the first person named before the quotation, else an organisation
    that opens it ("Die Deutsche Bank hält am Plan von „…“ fest")."""
    if not tokens:
        return None
    text = context.article.text
    if text[tokens[0].start : tokens[0].end] in context.words("pronouns"):
        return _speaker(context, tokens[:1], near=tokens[0].start)
    named = [m for m in context.mentions if tokens[0].start <= m.start and m.end <= tokens[-1].end]
    opening = tokens[min(2, len(tokens) - 1)].end
    best = next((m for m in named if m.type == "PER"), None) or next((m for m in named if m.type == "ORG" and m.start < opening), None)
    if best is None:
        return None
    phrase = _phrase_around(context, tokens, best.start, best.end)
    return best.name, phrase.start, phrase.end


def _is_title(content: str) -> bool:
    """A film, book, party or slogan in quotation marks rather than someone's words: a few words,
    no sentence punctuation, at most one of them lower case."""
    words = content.split()
    return len(words) <= 6 and not re.search(r"[.,:;!?]", content) and sum(1 for w in words if w[:1].islower()) <= 1


def _is_relay(context: _Context, name: str) -> bool:
    return name.lower() in lang.shared_list("agencies") or any(noun in name for noun in context.words("relay_nouns"))


def _reported(context: _Context, sentence: Sentence, covered) -> Quote | None:
    text = context.article.text
    tokens = [t for t in context.tokens(sentence) if not _inside(t, covered)]
    words = [text[t.start : t.end] for t in tokens]
    if len(words) < 4:
        return None
    verbs = context.words("speech_verbs")
    commas = [i for i, w in enumerate(words) if w == ","]
    for index, word in enumerate(words):
        if (
            word == "so" and index > 0 and words[index - 1] == ","
            and len(words) - index <= SPEAKER_WINDOW + 2 and words[index + 1 : index + 2] not in (["dass"], ["wie"], ["weit"])
        ):
            clause = _clause(tokens, 0, index - 1, words)  # "Einigen wurde geschossen, so Militärkreise."
            if clause:
                speaker = _speaker(context, tokens[index + 1 :], near=tokens[index].end)
                return _quote(context, clause, "indirect", word, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
        if word not in verbs:
            continue
        later_commas = [c for c in commas if c > index]
        earlier_commas = [c for c in commas if c < index]
        if later_commas and later_commas[0] - index <= SPEAKER_WINDOW + 2:  # "sagte Kim, sein Land sei ..."
            if later_commas[0] + 1 < len(words) and words[later_commas[0] + 1] in verbs:
                continue  # "Wie KCNA berichtete, sagte Kim, ...": the first clause only relays
            clause = _clause(tokens, later_commas[0] + 1, len(tokens), words)
            speaker_tokens = tokens[max(0, index - SPEAKER_WINDOW) : later_commas[0]]
            if clause:  # "sagte X, ..." needs no subjunctive to be reported speech
                speaker = _speaker(context, speaker_tokens, near=tokens[index].start)
                return _quote(context, clause, "indirect", word, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
        if earlier_commas and len(words) - index <= SPEAKER_WINDOW + 4:  # "..., sagte ein Sprecher."
            clause = _clause(tokens, 0, earlier_commas[-1], words)
            if clause and (index == earlier_commas[-1] + 1 or _sounds_reported(context, clause)):  # ", sagte X" needs no mood
                speaker = _speaker(context, tokens[index + 1 :], near=tokens[index].end)
                return _quote(context, clause, "indirect", word, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
    return _attribution(context, sentence, tokens, words) or _complement(context, sentence, tokens, words)


@cache
def _cues_by_first_word(language: str | None) -> dict[str, list[tuple[str, list[str]]]]:
    """Attribution cues ("laut", "nach Angaben", "zufolge") by their first word, lowercased."""
    found: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for cue in _words("report_cues", language):
        parts = cue.lower().split()
        found[parts[0]].append((cue, parts))
    return {first: sorted(cues, key=lambda cue: -len(cue[1])) for first, cues in found.items()}  # longest first


def _attribution(context: _Context, sentence: Sentence, tokens: list[Span], words: list[str]) -> Quote | None:
    """'Laut X, ...' / 'X zufolge ...' / 'nach Angaben von X ...': reported without a speech verb."""
    cues = _cues_by_first_word(context.language)
    lowered = [w.lower() for w in words]
    for index, word in enumerate(words):
        phrase = next((cue for cue, parts in cues.get(lowered[index], ()) if lowered[index : index + len(parts)] == parts), None)
        if phrase is None and lowered[index] == "nach":
            phrase = _attribution_after_nach(context, words, index)
        if phrase is None:
            continue
        if index > 12 and phrase not in ("zufolge",) and not phrase.startswith("nach"):
            continue
        begin, index = index, index + len(phrase.split()) - 1
        if phrase == "demnach":  # "Demnach hat ...": the source is the one named before
            source, rest = [], tokens[index + 1 :]
        elif phrase.startswith("nach ") and index > 0:  # "... sind nach jüngsten Untersuchungen ... festgestellt worden"
            end = _phrase_end(words, index)
            source, rest = tokens[begin + 1 : end], tokens[:begin] + tokens[end:]  # "jüngsten Untersuchungen", after "nach"
        elif word.lower() == "zufolge":  # "Unter den Passagieren befanden sich Berichten zufolge 75 Kinder"
            begin = _phrase_begin(context, words, index)
            source, rest = tokens[begin:index], tokens[:begin] + tokens[index + 1 :]
        else:
            end = next((i for i in range(index + 1, len(words)) if words[i] == "," or (words[i][:1].islower() and i > index + 3)), len(words))
            source, rest = tokens[index + 1 : end], tokens[end + (1 if end < len(words) and words[end] == "," else 0) :]
        if len(rest) < 3 or (not source and phrase != "demnach"):
            return None
        clause = Span(rest[0].start, _strip_end(context.article.text, rest[-1].end))
        speaker = _speaker(context, source, near=source[0].start) if source else None
        return _quote(context, clause, "reported", phrase, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
    return None


def _phrase_begin(context: _Context, words: list[str], end: int) -> int:
    """Where the noun phrase ending before ``end`` begins ("der Nachrichtenagentur Tass" zufolge)."""
    determiners, stopwords = context.words("determiners"), context.words("stopwords")
    begin = end
    while begin > 0 and (_in_phrase(words[begin - 1], determiners, stopwords) or _names_something(words[begin - 1], determiners, stopwords)):
        begin -= 1
    return begin


def _complement(context: _Context, sentence: Sentence, tokens: list[Span], words: list[str]) -> Quote | None:
    """"Hugo Chávez vertritt die Ansicht, dass ...", "Das Ministerium legte fest, dass ...": a
    dass-clause whose main clause names its subject is that subject's statement, whatever the verb."""
    joints = [i for i in range(1, len(words) - 3) if words[i] == "," and words[i + 1].lower() in context.words("complementisers")]
    if not joints:
        return None
    speaker = _sentence_subject(context, tokens[: joints[0]]) or _opening_phrase(context, tokens[: joints[0]])
    if speaker is None or _governed(context, speaker[1]):
        return None
    clause = _clause(tokens, joints[0] + 1, len(tokens), words)
    if clause is None:
        return None
    return _quote(context, clause, "indirect", words[joints[0] + 1], speaker, _via(context, sentence.start, sentence.end, exclude=clause))


def _opening_phrase(context: _Context, tokens: list[Span]) -> tuple[str, int, int] | None:
    """The noun phrase a sentence opens with ("Das isländische Fischereiministerium legte fest")."""
    text = context.article.text
    if not tokens or not _opens_phrase(text[tokens[0].start : tokens[0].end], context.words("determiners"), context.words("stopwords")):
        return None
    phrase = _noun_phrase(text, tokens, context.words("determiners"), context.words("stopwords"))
    if phrase is None or phrase.start != tokens[0].start:
        return None
    return text[phrase.start : phrase.end], phrase.start, phrase.end


def _attribution_after_nach(context: _Context, words: list[str], index: int) -> str | None:
    """'nach (den) (jüngsten) Angaben/Untersuchungen/...': the attribution phrase, if this is one."""
    nouns = context.words("attribution_nouns")
    for offset in range(1, 4):
        if index + offset < len(words) and words[index + offset] in nouns:
            return " ".join(words[index : index + offset + 1]).lower()
    return None


def _phrase_end(words: list[str], noun: int) -> int:
    """End of an attribution phrase: the noun and a following genitive with its name
    ('der Polizei', 'der russischen Nachrichtenagentur Tass')."""
    end = noun + 1
    if end < len(words) and words[end] in ("der", "des", "von"):
        end += 1
        while end < len(words) and words[end].islower() and words[end].endswith(("en", "er", "es")):
            end += 1  # adjectives
        while end < len(words) and words[end][:1].isupper():
            end += 1  # the noun and the names after it
    return end


def _free_indirect(context: _Context, sentence: Sentence, previous: Quote | None, covered) -> Quote | None:
    text = context.article.text
    words = {text[t.start : t.end] for t in context.tokens(sentence)}
    if previous is None:  # with nobody to attribute it to, only a Konjunktiv I marks reported speech
        words -= context.words("subjunctive_ii")
    if not (_has_subjunctive(context, words) or _is_hearsay(context, sentence)) or _inside(Span(sentence.start, sentence.end), covered):
        return None
    span = Span(sentence.start, _strip_end(text, sentence.end))
    own = _main_clause_speaker(context, sentence)
    if own is not None:  # "Der BGH begründete dies damit, dass sich ... zusammengetan hätten"
        return Quote(context.article.id, span.start, span.end, text[span.start : span.end], False, "indirect", None, *own, None)
    speaker = (previous.speaker, previous.speaker_start, previous.speaker_end) if previous else (None, None, None)
    return Quote(context.article.id, span.start, span.end, text[span.start : span.end], False, "free_indirect", None,
                 *speaker, previous.via if previous else None)


def _is_hearsay(context: _Context, sentence: Sentence) -> bool:
    """German "soll ... verletzt worden sein": a modal of hearsay with a perfect infinitive at the end."""
    return context.language == "de" and bool(re.search(r"\b(?:soll|sollen)\b.*\b(?:sein|haben)\W*$", sentence.text))


def _speech_act(context: _Context, sentence: Sentence, covered) -> Quote | None:
    """A sentence that reports what someone said or demanded without its words ("Der Minister
    hat den Abzug der Truppen angekündigt", "Die SPD fordert einen Mindestlohn"): a reporting
    verb with a named subject before it; the whole sentence is the report."""
    text = context.article.text
    if _inside(Span(sentence.start, sentence.end), covered):
        return None
    tokens = context.tokens(sentence)
    verbs = context.words("speech_verbs") - context.words("contentless_speech_verbs")
    cue = next((i for i, t in enumerate(tokens) if text[t.start : t.end] in verbs), None)
    if cue is None or cue == 0:
        return None
    speaker = _sentence_subject(context, tokens[:cue])
    if speaker is None or speaker[1] > tokens[min(2, cue - 1)].start:
        return None  # the subject opens the sentence
    span = Span(sentence.start, _strip_end(text, sentence.end))
    return Quote(context.article.id, span.start, span.end, text[span.start : span.end], False, "reported", text[tokens[cue].start : tokens[cue].end], *speaker, None)


def _main_clause_speaker(context: _Context, sentence: Sentence) -> tuple[str, int, int] | None:
    """The subject of an indicative main clause whose subordinate clause is in the subjunctive:
    its owner speaks ("Twomey hat den Vorwurf zurückgewiesen, da er jeder Grundlage entbehre").
    A subjunctive main clause ("Putin sei bereit") is the previous speaker's words about Putin."""
    text = context.article.text
    comma = text.find(",", sentence.start, sentence.end)
    if comma < 0:
        return None
    main = tokenize(text, sentence.start, comma)
    if _has_subjunctive(context, {text[t.start : t.end] for t in main}):
        return None
    return _sentence_subject(context, main)


def _follows(context: _Context, index: int, previous: Quote) -> bool:
    """Whether the sentence comes within three sentences after the speaker's last words."""
    return index > 0 and context.sentences[max(0, index - 3)].start <= previous.end <= context.sentences[index - 1].end + 2


def _clause(tokens: list[Span], first: int, end: int, words: list[str]) -> Span | None:
    if first < len(words) and words[first].lower() in ("dass", "that"):
        first += 1
    if end - first < 3:
        return None
    return Span(tokens[first].start, tokens[end - 1].end if words[end - 1] not in ".!?" else tokens[max(first, end - 2)].end)


def _sounds_reported(context: _Context, clause: Span) -> bool:
    """German reported clauses carry a subjunctive or start with 'dass'; other languages pass."""
    if context.language != "de":
        return True
    text = context.article.text
    words = {text[t.start : t.end] for t in tokenize(text, clause.start, clause.end)}
    return _has_subjunctive(context, words) or text[max(0, clause.start - 6) : clause.start].strip().endswith("dass")


def _has_subjunctive(context: _Context, words: set[str]) -> bool:
    """A Konjunktiv form among the words: one of the listed ones ("sei", "hätten"), or in German a
    third person singular in -e whose infinitive is the same stem in -en ("drohe", "fehle":
    indicative "droht", "fehlt")."""
    if words & context.words("subjunctive"):
        return True
    return context.language == "de" and any(_konjunktiv_one(word) for word in words if word.islower() and word.endswith("e"))


@cache
def _konjunktiv_one(word: str) -> bool:
    lemma = simplemma.lemmatize(word, lang="de")
    return lemma == word[:-1] + "en" or (word.endswith(("ele", "ere")) and lemma == word[:-1] + "n")  # "handele", "ändere"


def _cue_and_speaker(context: _Context, tokens: list[Span], side: str):
    text = context.article.text
    words = [text[t.start : t.end] for t in tokens]
    verbs = context.words("speech_verbs") | {"so"}
    positions = range(len(words)) if side == "after" else range(len(words) - 1, -1, -1)
    for index in positions:
        if words[index] in verbs and (words[index] != "so" or index <= 1):
            if words[index + 1 : index + 2] and words[index + 1] in context.words("pronouns") and not _subject_before(context, tokens[index].start):
                return words[index], _speaker(context, tokens[index + 1 : index + 2], near=tokens[index + 1].start)
            region = tokens[index + 1 : index + 1 + SPEAKER_WINDOW] if side == "after" else tokens[max(0, index - SPEAKER_WINDOW) : index + SPEAKER_WINDOW]
            return words[index], _speaker(context, region, near=tokens[index].start)
    return None


def _speaker(context: _Context, region: list[Span], near: int) -> tuple[str, int, int] | None:
    """The person or organisation named in ``region`` closest to the cue; else a pronoun's antecedent;
    else the noun phrase as written."""
    if not region:
        return None
    inverted = _inverted_subject(context, region, near)
    if inverted is not None:
        return inverted
    start, end = region[0].start, region[-1].end
    inside = [m for m in context.mentions if start <= m.start and m.end <= end and m.type in ("PER", "ORG")]
    if inside:
        best = min(inside, key=lambda m: (m.type != "PER", " " not in m.name, abs(m.start - near)))
        phrase = _phrase_around(context, region, best.start, best.end)
        return best.name, phrase.start, phrase.end
    text = context.article.text
    pronouns = context.words("pronouns")
    for token in region:
        if text[token.start : token.end] in pronouns:
            person = next((m for m in reversed(context.mentions) if m.type == "PER" and m.end <= token.start), None)
            return (person.name if person else text[token.start : token.end]), token.start, token.end
    phrase = _noun_phrase(text, region, context.words("determiners"), context.words("stopwords"))
    if phrase is None:
        return None
    cited = _phrase_around(context, region, phrase.start, phrase.end)
    return text[cited.start : cited.end], cited.start, cited.end  # "Angaben von n24", not "Angaben"


def _inverted_subject(context: _Context, region: list[Span], near: int) -> tuple[str, int, int] | None:
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
    phrase = _noun_phrase(text, region[after:], determiners, stopwords)
    if phrase is None:
        return None
    cited = _phrase_around(context, region, phrase.start, phrase.end)
    named = [m for m in context.mentions if cited.start <= m.start and m.end <= cited.end and m.type in ("PER", "ORG")]
    return (named[0].name if named else text[cited.start : cited.end]), cited.start, cited.end


def _token_at(text: str, position: int) -> Span | None:
    """The word that starts or ends at ``position`` (callers pass a cue's start or its end)."""
    match = re.match(r"\w+", text[position:]) if position < len(text) and text[position].isalnum() else None
    if match:
        return Span(position, position + match.end())
    start = re.search(r"\w+$", text[max(0, position - 40) : position])
    return Span(position - len(start.group()), position) if start else None


def _subject_before(context: _Context, cue_start: int) -> bool:
    """Whether the clause names its subject before the cue verb ("Lawrow sagte", "Petra Pau, ...,
    fordert"): a pronoun, or a person or organisation that no preposition governs ("Laut BBC
    News sagte der Minister", "In einem Interview mit der BBC erklärte er": BBC is not it)."""
    text = context.article.text
    sentence = _sentence_at(context, cue_start)
    start = max(sentence.start if sentence else 0, max((text.rfind(mark, 0, cue_start) + 1 for mark in "“”»«\""), default=0))
    if set(text[start:cue_start].split()) & context.words("pronouns"):
        return True
    return any(m.type in ("PER", "ORG") and start <= m.start and m.end <= cue_start and not _governed(context, m.start, start) for m in context.mentions)


def _governed(context: _Context, position: int, floor: int = 0) -> bool:
    """Whether a preposition governs the phrase at ``position`` ("mit der britischen BBC",
    "laut Reuters"): such a name is not the subject of its clause."""
    prepositions = context.words("prepositions") | set(_cues_by_first_word(context.language))
    determiners = context.words("determiners")
    preceding = context.article.text[max(floor, position - 60) : position].split()
    while preceding and (preceding[-1].lower() in determiners or _is_adjective(preceding[-1]) and preceding[-1] not in prepositions):
        preceding.pop()  # past article and adjectives to the preposition
    return bool(preceding) and preceding[-1].lower() in prepositions


def _phrase_around(context: _Context, region: list[Span], start: int, end: int) -> Span:
    """The noun phrase a name stands in, as a reader would cite the speaker: its determiner,
    adjectives and titles before it ("der Wissenschaftsjournalist Dirk Lorenzen", "Ein Reporter
    des Fernsehsenders n-tv"), what "von" or "des" attach after it ("John Sifton von Human Rights
    Watch") and an apposition set off by commas ("Petra Pau, PDS-Bundestagsabgeordnete,"). "der"
    after the name stays out: "sagte Lawrow der Zeitung" names whom he told."""
    text = context.article.text
    words = [text[t.start : t.end] for t in region]
    vocabulary = context.words("determiners"), context.words("stopwords")
    first = next(i for i, t in enumerate(region) if t.end > start)
    last = max(i for i, t in enumerate(region) if t.start < end)
    while first > 0 and (_in_phrase(words[first - 1], *vocabulary) or _joins_names(words, first - 1)):
        first -= 1
    while 0 < first < last and words[first].islower() and words[first] not in vocabulary[0]:
        first += 1  # an adjective without its article is the end of something else, unless the region starts there ("nach jüngsten Untersuchungen")
    attachers = ("von", "vom", "des", "der") if words[last] in context.words("attribution_nouns") else ("von", "vom", "des")
    while last + 2 < len(region) and words[last + 1] in attachers and _names_something(words[last + 2], *vocabulary):
        attached = last + 2
        while attached + 1 < len(region) and _in_phrase(words[attached + 1], *vocabulary):
            attached += 1
        while attached > last + 2 and words[attached].islower():
            attached -= 1  # ends at its noun
        last = attached
    first, last = _with_appositions(words, first, last, vocabulary)
    return Span(region[first].start, region[last].end)


def _with_appositions(words: list[str], first: int, last: int, vocabulary) -> tuple[int, int]:
    """Widen a speaker phrase over a noun phrase set off by commas after it ("General Michael
    Hagee, Kommandant des US-Marine-Corps,") or standing before it ("Der Geschäftsführer der
    Firma, Gerd-Jürgen Bruckschen,")."""
    if last + 2 < len(words) and words[last + 1] == ",":
        end = last + 2
        while end < len(words) and words[end] != "," and _in_phrase(words[end], *vocabulary):
            end += 1
        if end < len(words) and words[end] == "," and not words[end - 1].islower():
            last = end - 1
    if first >= 2 and words[first - 1] == "," and _in_phrase(words[first - 2], *vocabulary):
        begin = first - 2
        while begin > 0 and _in_phrase(words[begin - 1], *vocabulary):
            begin -= 1
        if (begin == 0 or not words[begin - 1][:1].isalnum()) and (words[begin].lower() in vocabulary[0] or words[begin][:1].isupper()):
            first = begin
    return first, last


def _names_something(word: str, determiners: frozenset[str], stopwords: frozenset[str]) -> bool:
    """What may follow "von": a phrase, or a lower-case brand ("n24", "n-tv")."""
    return _opens_phrase(word, determiners, stopwords) or (word.lower() not in stopwords and any(c.isdigit() or c == "-" for c in word))


def _joins_names(words: list[str], index: int) -> bool:
    """'und' between two capitalised words: "Sonia und Willy Bogner" speak together."""
    return words[index] == "und" and 0 < index < len(words) - 1 and words[index - 1][:1].isupper() and words[index + 1][:1].isupper()


def _is_adjective(word: str) -> bool:
    return word.isalpha() and word.islower() and word.endswith(("e", "en", "er", "es", "em"))


def _in_phrase(word: str, determiners: frozenset[str], stopwords: frozenset[str]) -> bool:
    """A determiner, an inflected adjective or a capitalised noun: words a noun phrase is made of."""
    if word.lower() in determiners:
        return True
    if word[:1].isupper() and word[:1].isalpha():
        return word.lower() not in stopwords
    return _is_adjective(word) and word not in stopwords


def _noun_phrase(text: str, region: list[Span], determiners: frozenset[str], stopwords: frozenset[str]) -> Span | None:
    """'das russische Aussenministerium am Samstag mit' -> 'das russische Aussenministerium':
    determiners and adjectives up to a capitalised noun, and one genitive after it."""
    kept: list[Span] = []
    noun_seen = genitive_used = False
    skipped = 0
    while skipped < len(region) and skipped < 3 and not _opens_phrase(text[region[skipped].start : region[skipped].end], determiners, stopwords):
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
        elif not noun_seen and word.isalpha() and word.islower() and kept:
            kept.append(token)  # an adjective between determiner and noun
        else:
            break
    while kept and not _is_noun(text[kept[-1].start : kept[-1].end]):
        kept.pop()  # ends at a noun: an article alone names nobody
    return Span(kept[0].start, kept[-1].end) if kept else None


def _is_noun(word: str) -> bool:
    """Capitalised ("Sprecher"), or a number made a noun ("der 39-Jährige")."""
    return (word[:1].isupper() and word[:1].isalpha()) or bool(re.match(r"\d+-[^\W\d_]", word) and word.split("-", 1)[1][:1].isupper())


def _opens_phrase(word: str, determiners: frozenset[str], stopwords: frozenset[str]) -> bool:
    """A determiner or a capitalised noun ('Nach' at a sentence start is neither)."""
    return word.lower() in determiners or (word[:1].isupper() and word[:1].isalpha() and word.lower() not in stopwords)



def _via(context: _Context, start: int, end: int, exclude: Span) -> str | None:
    """A relaying agency or medium named in the attribution around the quotation."""
    text = context.article.text
    relays = context.words("relay_nouns")
    agencies = lang.shared_list("agencies")
    for mention in context.mentions:
        if start <= mention.start < end and not (exclude.start <= mention.start < exclude.end):
            preceding = text[max(start, mention.start - 60) : mention.start]
            if mention.type == "ORG" and (mention.name.lower() in agencies or any(noun in preceding for noun in relays)):
                return mention.name
    outside = text[start : exclude.start] + " " + text[exclude.end : end]
    match = re.search(r"((?:\w+e[nr]? )?(?:" + "|".join(sorted(relays, key=len, reverse=True)) + r"))\b", outside) if relays else None
    return match.group(1) if match else None


def _quote(context: _Context, span: Span, kind: str, cue, speaker, via) -> Quote:
    text = context.article.text
    name, speaker_start, speaker_end = speaker if speaker else (None, None, None)
    if via and name and via.casefold() == name.casefold():
        via = None  # the agency itself speaks ("KCNA berichtete, ...")
    return Quote(context.article.id, span.start, span.end, text[span.start : span.end], kind == "direct", kind, cue,
                 name, speaker_start, speaker_end, via)


def _inside(span: Span, covered) -> bool:
    return any(start <= span.start and span.end <= end for start, end in covered)


def _strip_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in ".!? ":
        end -= 1
    return end
