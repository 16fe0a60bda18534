"""Quotations and reported speech in one article: content, cue, speaker, and the relay (via).

Direct quotations are found by their marks in every style („…“ »…« «…» “…” "…"), across
sentences and paragraphs. Reported speech is found sentence by sentence:

- a speech verb before a clause: "sagte Kim, sein Land sei bereit ..." (indirect),
- a clause before a speech verb: "Die Ursache sei unklar, sagte ein Sprecher." (indirect),
- an attribution without a verb: "Laut Medienberichten könnte ...", "X zufolge" (reported),
- a subjunctive sentence with no cue of its own (free indirect): within three sentences after a
  quotation it continues that speaker's words; before any speaker is named it stays unattributed.

Speakers are the entity mentions (or noun phrases) next to the cue, the subject before the finite
verb first where the clause names one, cited with what attaches to them; an attribution's speaker
is its whole source phrase ("laut dieser Studie"). A pronoun stands for the last person named
before it. A news agency or medium named in an attribution ("laut KCNA", "der
Nachrichtenagentur Tass zufolge") is the relay between speaker and article (``via``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import replace
from functools import lru_cache

import simplemma

from lagebild import lang
from lagebild.extract.quotes import speakers
from lagebild.extract.quotes.interviews import interview_turns
from lagebild.extract.quotes.context import QuoteContext, covered_by, cues_by_first_word, sentence_at, sentence_index
from lagebild.extract.quotes.marks import direct_spans
from lagebild.extract.quotes.speakers import SPEAKER_WINDOW, base_form
from lagebild.model import Article, Mention, Quote, Sentence, Span
from lagebild.nlp.tokens import tokenize
from lagebild.spans import ByStart, Covering

__all__ = ["direct_spans", "find_quotes"]

MIN_QUOTE_WORDS = 2


def find_quotes(article: Article, sentences: list[Sentence], mentions: list[Mention]) -> list[Quote]:
    context = QuoteContext(article, [s for s in sentences if not s.is_heading], sorted(mentions, key=lambda m: m.start), article.language)
    quotes = _share_frames(context, [q for q in (_direct(context, span) for span in direct_spans(article.text)) if q is not None])
    covered = Covering((q.start, q.end) for q in quotes)
    framing = ByStart(q for q in quotes if q.speaker and not _is_title(q.text))
    said = _Attributed(quotes)
    previous_speaker: Quote | None = None
    for index, sentence in enumerate(context.sentences):
        is_framed = bool(framing.starting_in(sentence.start, sentence.end + 1))
        told = _told_before(context, index, quotes)
        if told is not None:
            quotes.append(told)
            said.add(told)
            continue  # "Dies gab Airbus bekannt.": the frame of the sentence before, no statement of its own
        if _frames_the_sentence_before(context, index, quotes, said):
            previous_speaker = said.last_in(context.sentences[index - 1].start, sentence.start) or previous_speaker
            continue  # "Dies sagte Abwerzger am Mittwoch in Innsbruck.": the frame, not a quotation
        reported = _reported(context, sentence, covered)
        if is_framed and not _embeds_quotation(context.article.text, reported, framing.starting_in(sentence.start, sentence.end + 1)):
            reported = None  # the sentence frames words in marks; only a reported clause around them is more
        if reported is None and not is_framed and (previous_speaker is None or _follows(context, index, previous_speaker)):
            reported = _free_indirect(context, sentence, previous_speaker, covered)
        if reported is None and not is_framed:
            reported = _speech_act(context, sentence, covered)
        if reported is not None and _for_a_body(context, reported):
            if previous_speaker is not None and _follows(context, index, previous_speaker) and _body_goes_on(context, previous_speaker):
                reported = _continued(reported, previous_speaker)  # "The agency said ... It said ...": the agency, not another organisation named since
        elif reported is not None and reported.speaker is None and previous_speaker is not None and _follows(context, index, previous_speaker):
            if not (previous_speaker.direct and _opens_with_cue(sentence, reported)):
                # ", hieß es weiter": the same source goes on. A sentence that opens with a cue
                # naming no source ("Demnach ...": according to that) points back at a report, not
                # at someone's words in quotation marks
                reported = _continued(reported, previous_speaker)
        elif reported is not None and reported.speaker is None and (told := _source_pointed_back_at(context, index, reported, said)):
            reported = _continued(reported, told)  # "Das hat CNN berichtet. Sollten die Angaben zutreffen, ... Demnach hat ..."
        if reported is not None:
            quotes.append(reported)
            said.add(reported)
        attributed = said.last_in(sentence.start, sentence.end + 1)
        previous_speaker = attributed or reported or _introduced(context, sentence, previous_speaker)
    found = interview_turns(context, _fold_nested(_continue_direct(context, sorted(_share_frames(context, quotes), key=lambda q: (q.start, q.end)))))
    return [_without_share_speaker(context, quote) for quote in found]


def _without_share_speaker(context: QuoteContext, quote: Quote) -> Quote:
    """A quotation whose speaker is a share of a group ("Nur 20 Prozent sagten, sie ...") names
    no one; the phrase stays its source's span. It is dropped only now: until here the share
    stands as the sentence's speaker, so the words are not handed to the person quoted before."""
    if quote.speaker_start is None:
        return quote
    phrase = context.article.text[quote.speaker_start : quote.speaker_end]
    if not (speakers.names_a_share(context, phrase) or (quote.speaker and speakers.names_a_share(context, quote.speaker))):
        return quote
    return replace(quote, speaker=None)


_SAID_CLAUSES = frozenset({"indirect", "free_indirect"})  # what was said without its frame; a speech act ("reported") holds its frame


def _fold_nested(quotes: list[Quote]) -> list[Quote]:
    """Words in marks that lie wholly inside a clause the same speaker said ("sein Land sei bereit,
    »alle Maßnahmen ... zu unterstützen«") are part of that one quotation, not a second one: a
    reader would see the same words twice. A speech act's sentence ("Putin würdigte die
    „aufopfernde Einstellung“ der Armee") keeps its words in marks: they are all that was said.
    A speaker is known by name, or by the words that name them ("It said „…“ had inflated „…“":
    one "It", whoever it stands for). One pass in order of start, keeping for each speaker the
    widest quotation seen so far (linear in the number of quotations)."""
    ordered = sorted(quotes, key=lambda q: (q.start, -q.end))
    widest: dict[object, tuple[int, int]] = {}  # speaker -> (start, end) of the clause reaching furthest
    kept = []
    for quote in ordered:
        keys = _speaker_keys(quote)
        outer = max((widest[key] for key in keys if key in widest), key=lambda span: span[1], default=None)
        if quote.direct and outer is not None and outer[1] >= quote.end and outer != (quote.start, quote.end):
            continue  # folded into the clause around it
        if keys and quote.kind in _SAID_CLAUSES and (outer is None or quote.end > outer[1]):
            widest.update(dict.fromkeys(keys, (quote.start, quote.end)))
        kept.append(quote)
    return sorted(kept, key=lambda q: (q.start, q.end))


def _speaker_keys(quote: Quote) -> list[object]:
    """What tells a quotation's speaker: the name, and the words that name them where written."""
    keys: list[object] = [quote.speaker] if quote.speaker else []
    if quote.speaker_start is not None:
        keys.append((quote.speaker_start, quote.speaker_end))
    return keys


def _embeds_quotation(text: str, reported: Quote | None, marked: list[Quote]) -> bool:
    """Whether a reported clause holds words in marks inside it ("X sagte, das Land sei ein „Opfer
    des Terrorismus“ geworden"): the clause, marks and all, is what was said. Words in marks after
    a colon are the quotation itself ("X sagte dazu: „…“"); what stands before the colon frames them."""
    return reported is not None and reported.kind == "indirect" and any(_inside(text, reported, q) and ":" not in text[reported.start : q.start] for q in marked)


def _inside(text: str, outer: Quote, inner: Quote) -> bool:
    """Whether the clause holds the quotation and opens with words of its own ("das Dorf sei
    „…“"; not "„…“, sagte Putin", where the clause only runs on into the frame)."""
    return outer.start < inner.start and inner.end < outer.end and _has_word(text[outer.start : inner.start])


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


class _Attributed:
    """The quotations with a speaker found so far, by start: the last one found that starts in a
    sentence is one binary search away (not a pass over every quotation for every sentence)."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.found: list[tuple[int, int, Quote]] = []  # (start, order found, quotation)
        for quote in quotes:
            self.add(quote)

    def add(self, quote: Quote) -> None:
        if quote.speaker:
            insort(self.found, (quote.start, len(self.found), quote), key=lambda item: item[:2])

    def last_in(self, start: int, end: int) -> Quote | None:
        """The quotation found last among those starting in [start, end)."""
        inside = self.found[bisect_left(self.found, (start, -1), key=lambda item: item[:2]) : bisect_left(self.found, (end, -1), key=lambda item: item[:2])]
        return max(inside, key=lambda item: item[1])[2] if inside else None

    def latest_in(self, start: int, end: int) -> Quote | None:
        """The quotation that starts last in [start, end)."""
        index = bisect_left(self.found, (end, -1), key=lambda item: item[:2]) - 1
        return self.found[index][2] if index >= 0 and self.found[index][0] >= start else None


def _continue_direct(context: QuoteContext, quotes: list[Quote]) -> list[Quote]:
    """A quotation that makes up a sentence on its own, right after a sentence with an attributed
    quotation, goes on with those words ("..., so der Gewerkschaftsvorstand Uwe Foullong. „Eine
    Unternehmenspolitik von solcher Kälte ...“"); so does one framed by "hieß es weiter"."""
    text = context.article.text
    continued = []
    spoken: list[tuple[int, Quote]] = []  # the attributed ones among them, by start (the quotes come sorted)
    for quote in quotes:
        index = sentence_index(context, quote.start)
        alone = index and not text[context.sentences[index].start : quote.start].strip(" „“”»«\"'")
        if quote.direct and quote.speaker is None and index and (alone or quote.cue):
            earliest = context.sentences[index - 1 if alone else max(0, index - 3)]
            before = bisect_left(spoken, quote.start, key=lambda item: item[0])
            if before and spoken[before - 1][0] >= earliest.start and (not _for_a_body(context, quote) or _body_goes_on(context, spoken[before - 1][1])):
                quote = _continued(quote, spoken[before - 1][1])  # '„…“, it said' never goes on with a person
        continued.append(quote)
        if quote.speaker:
            spoken.append((quote.start, quote))
    return continued


def _for_a_body(context: QuoteContext, quote: Quote) -> bool:
    """Whether a quotation's speaker is a pronoun that stands for an organisation ("It said ...")."""
    return quote.speaker_start is not None and context.article.text[quote.speaker_start : quote.speaker_end] in context.words("organisation_pronouns")


def _body_goes_on(context: QuoteContext, previous: Quote) -> bool:
    """Whether "It said ..." continues the previous speaker: a body that spoke ("The agency said"),
    not a person ("it" never stands for one) and not words no one was named for."""
    return previous.speaker is not None and not any(m.type == "PER" and m.name == previous.speaker for m in context.mentions)


def _continued(quote: Quote, previous: Quote) -> Quote:
    """The quote as the previous speaker's words; an attribution of its own that names no one
    ("Nach ersten Erkenntnissen habe es ...") stays its speaker's span."""
    start, end = (quote.speaker_start, quote.speaker_end) if quote.speaker_start is not None else (previous.speaker_start, previous.speaker_end)
    return replace(quote, speaker=previous.speaker, speaker_start=start, speaker_end=end, via=quote.via or previous.via)


def _frames_the_sentence_before(context: QuoteContext, index: int, quotes: list[Quote], said: _Attributed) -> bool:
    """'„Wir treten an.“ Dies sagte Abwerzger am Mittwoch.': a sentence of only "Dies" and a
    reporting verb with its speaker is the frame of the quotation before it; the quotations of that
    sentence which no frame of their own gave a speaker become the speaker's."""
    frame = _anaphoric_frame(context, index)
    previous = context.sentences[index - 1] if index else None
    if frame is None or previous is None:
        return False  # before the pass over the quotations: most sentences are no such frame
    inside = [i for i, q in enumerate(quotes) if previous.start <= q.start < previous.end]
    if not inside:
        return False
    cue, (name, start, end) = frame
    for position in inside:
        quote = quotes[position]
        if quote.speaker is None or quote.kind == "free_indirect":  # its words, now with their own frame
            kind = "indirect" if quote.kind == "free_indirect" else quote.kind
            quotes[position] = replace(quote, kind=kind, cue=quote.cue or cue, speaker=name, speaker_start=start, speaker_end=end)
            said.add(quotes[position])
    return True


def _anaphoric_frame(context: QuoteContext, index: int) -> tuple[str, tuple[str, int, int]] | None:
    """The speaker of a sentence that opens with "Dies"/"Das" and a reporting verb ("Dies sagte
    Abwerzger", "Das teilte die Polizei mit") and says nothing else."""
    opening = _anaphoric_opening(context, index)
    if opening is None:
        return None
    tokens, words, verb = opening
    if "," in words or set(words) & context.words("subjunctive"):
        return None  # "Dies sagte er, nachdem ..." may go on with a clause of its own words
    speaker = speakers.find_speaker(context, _anaphoric_speaker_tokens(tokens, verb), near=tokens[1].end)
    return (words[verb], speaker) if speaker is not None and speaker[0] is not None else None


def _anaphoric_opening(context: QuoteContext, index: int) -> tuple[list[Span], list[str], int] | None:
    """A sentence after the first that opens with "Dies"/"Das" and a reporting verb: its tokens,
    its words and where the verb stands, right after the opener ("Dies sagte Abwerzger") or, after
    an auxiliary, as the participle that ends the sentence ("Das hat CNN ... berichtet."). Every
    sentence is asked (twice), so the opener is looked at before the words are read."""
    if index == 0:
        return None
    text = context.article.text
    tokens = context.tokens(context.sentences[index])
    if len(tokens) < 3 or text[tokens[0].start : tokens[0].end] not in context.words("anaphoric_openers"):
        return None
    words = [text[t.start : t.end] for t in tokens]
    verbs = context.words("speech_verbs")
    if words[1] in verbs:
        return tokens, words, 1
    last = len(words) - 1 if words[-1].isalpha() else len(words) - 2
    if last > 2 and words[1] in context.words("finite_auxiliaries") and (words[last] in verbs or _reporting_form(context, words[last], "")):
        return tokens, words, last  # "berichtet", "mitgeteilt", "erklärt"
    return None


def _anaphoric_speaker_tokens(tokens: list, verb: int) -> list:
    """The words that may name the speaker: after the verb, or between the auxiliary and the
    participle that ends the sentence."""
    return tokens[2:] if verb == 1 else tokens[2:verb]


def _told_before(context: QuoteContext, index: int, quotes: list[Quote]) -> Quote | None:
    """'Der A380 startet am Mittwoch zum Erstflug. Dies gab Airbus bekannt.': a sentence that opens
    with "Dies" and a reporting verb makes the sentence before it that speaker's statement."""
    opening = _anaphoric_opening(context, index)
    if opening is None:
        return None
    tokens, words, verb = opening
    previous = context.sentences[index - 1]
    if any(previous.start <= q.end and q.start <= previous.end for q in quotes):
        return None
    text = context.article.text
    span = Span(previous.start, _strip_end(text, previous.end))
    main_clause = tokens[: words.index(",")] if "," in words else tokens
    speaker = speakers.find_speaker(context, _anaphoric_speaker_tokens(main_clause, verb), near=tokens[1].end)
    if speaker is None and len(main_clause) < len(tokens):
        return None  # "Das heißt, dass ...": no one named before the comma, a sentence of its own
    return _quote(context, span, "indirect", words[verb], speaker, _via(context, context.sentences[index].start, context.sentences[index].end, exclude=span))


def _share_frames(context: QuoteContext, quotes: list[Quote]) -> list[Quote]:
    """Quotation marks that one frame holds together: in 'Die „…“ hätten „…“, so Murtha' both
    pieces are Murtha's, though only the last stands next to the cue."""
    framers = ByStart(((q.start, position, q) for position, q in enumerate(quotes) if q.speaker), start=lambda item: item[0])
    shared = []
    for quote in quotes:
        sentence = sentence_at(context, quote.start) if quote.speaker is None else None
        inside = framers.starting_in(sentence.start, sentence.end + 1) if sentence else []
        framing = min(inside, key=lambda item: item[1])[2] if inside else None  # the first in the article's order
        if framing is not None:
            quote = replace(quote, cue=framing.cue, speaker=framing.speaker, speaker_start=framing.speaker_start, speaker_end=framing.speaker_end, via=quote.via or framing.via)
        shared.append(quote)
    return shared


def _direct(context: QuoteContext, span: Span) -> Quote | None:
    text = context.article.text
    content = text[span.start : span.end]
    if len(content.split()) < MIN_QUOTE_WORDS:
        return None
    last = sentence_at(context, span.end) or sentence_at(context, span.start)
    first = sentence_at(context, span.start) or last
    if last is None:
        return None
    # the frame is the rest of the sentence around the quotation: ", sagte Kim." or "Kim sagte: „"
    after = tokenize(text, span.end + 1, last.end)
    before = tokenize(text, first.start, max(first.start, span.start - 1))
    after_found = speakers.cue_and_speaker(context, after, "after")
    before_found = speakers.cue_and_speaker(context, before, "before")
    if after_found and before and _embedded(text, after, after_found[0]):
        after_found = None  # "Nordkorea habe «…» der Offensive unterstrichen": the clause's subject speaks
    via = _via(context, first.start, last.end, exclude=span)
    if after_found and before_found and after_found[1] and before_found[1] and _is_relay(context, after_found[1][0]):
        after_found = None  # "Lawrow erklärte, Putin hoffe auf »…«, berichtete Tass": Tass relays
    cue, speaker = after_found or before_found or (None, None)
    if _is_title(content) and not (cue and speaker and any(w[:1].islower() for w in content.split())):
        return None  # „Eine unbequeme Wahrheit“, „National Democratic Party“, „Al Jazeera“: a name in quotation marks
    introduced = before and text[before[-1].start : before[-1].end] == ":"
    if speaker is None and (first is last or introduced):
        speaker = speakers.sentence_subject(context, before, countries=True)  # "Sie warf der Regierung vor, „…“ zu betreiben", "Er fuhr fort: „…“"
    if speaker is None and introduced:
        speaker = speakers.opening_phrase(context, before)  # "Die Autoren der Studie werfen den Behörden vor: „…“"
    if content.rstrip().endswith(",") and lang.settings(context.language, "grammar").get("frame_comma_inside_quotes"):
        # English puts the frame's comma inside the marks: "“… hurt,” he said"
        span = Span(span.start, span.start + len(content.rstrip()) - 1)
    return _quote(context, span, "direct", cue, speaker, via)


def _embedded(text: str, after: list[Span], cue: str) -> bool:
    """Whether a quotation stands inside its clause rather than before its frame: neither it nor
    the cue verb is followed or preceded by a comma ("Die Armee sei „…“ eingedrungen, um ...,
    hieß es": the words are the clause's, the frame belongs to the whole sentence)."""
    words = [text[t.start : t.end] for t in after]
    words = words[1:] if words and not words[0][:1].isalnum() and words[0] != "," else words  # a closing mark
    if not words or words[0] == ",":
        return False
    at = words.index(cue) if cue in words else 0
    return at > 0 and words[at - 1] != ","


def _is_title(content: str) -> bool:
    """A film, book, party or slogan in quotation marks rather than someone's words: a few words,
    no sentence punctuation, at most one of them lower case."""
    words = content.split()
    return len(words) <= 6 and not re.search(r"[.,:;!?]", content) and sum(1 for w in words if w[:1].islower()) <= 1


def _is_relay(context: QuoteContext, name: str) -> bool:
    """An agency or medium: a known agency, a name holding a relay noun ("Nachrichtenagentur
    Tass"), or one the article introduces with one ("die staatliche Nachrichtenagentur KCNA")."""
    relays = context.words("relay_nouns")
    return name.lower() in lang.shared_list("agencies") or any(noun in name for noun in relays) or _introduced_as_relay(context, name)


def _introduced_as_relay(context: QuoteContext, name: str) -> bool:
    return name in context.introduced_as_relays


def _reported(context: QuoteContext, sentence: Sentence, covered) -> Quote | None:
    text = context.article.text
    tokens = [t for t in context.tokens(sentence) if not covered_by(t, covered)]
    words = [text[t.start : t.end] for t in tokens]
    if len(words) < 4:
        return None
    verbs = context.words("speech_verbs")
    commas = [i for i, w in enumerate(words) if w == ","]
    for index, word in enumerate(words):
        if word == "so" and _so_frame(context, words, index, commas):
            clause = _clause(tokens, 0, index - 1, words)  # "Einigen wurde geschossen, so Militärkreise."
            if clause:
                speaker = speakers.find_speaker(context, tokens[index + 1 :], near=tokens[index].end)
                return _quote(context, clause, "indirect", word, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
        if (word not in verbs and not _frames_a_report(context, words, index)) or _not_a_finite_verb(context, words, index):
            continue
        interposed = _interposed_frame(context, words, index, commas)
        quote = _interposed_quote(context, sentence, tokens, words, index, interposed) if interposed else None
        if quote is not None:  # "The plan, he said, would cost ...": the whole sentence was said
            return quote
        later_commas = [c for c in commas if c > index]
        earlier_commas = [c for c in commas if c < index]
        if _subject_verb_order(context) and index + 3 < len(words) and words[index + 1] != "," and not earlier_commas:
            clause = _clause(tokens, index + 1, len(tokens), words)  # "The Red Cross said it had sent twelve trucks"
            if clause:
                speaker = speakers.find_speaker(context, tokens[:index], near=tokens[index].start)
                return _quote(context, clause, "indirect", word, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
        if (
            later_commas and later_commas[0] - index <= SPEAKER_WINDOW + 2 and not (_subject_verb_order(context) and earlier_commas)
            and not speakers.frame_rest(context, words[later_commas[0] + 1 :])  # "..., sagte X, der Gouverneur von Tabasco.", "..., sagt X, Sprecher des LKA, zum STANDARD."
        ):  # "sagte Kim, sein Land sei ..."
            if later_commas[0] + 1 < len(words) and words[later_commas[0] + 1] in verbs:
                continue  # "Wie KCNA berichtete, sagte Kim, ...": the first clause only relays
            clause = _clause(tokens, later_commas[0] + 1, _before_trailing_frame(context, words, commas), words)
            speaker_tokens = tokens[max(0, index - SPEAKER_WINDOW) : later_commas[0]]
            if clause:  # "sagte X, ..." needs no subjunctive to be reported speech
                speaker = _vorfeld_subject(context, tokens, words, index) or speakers.find_speaker(context, speaker_tokens, near=tokens[index].start)
                if _a_thing(context, speaker):
                    continue  # "Das heißt, ...", "Das bedeutet, ...": what a fact means, nobody's words
                return _quote(context, clause, "indirect", word, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
        if earlier_commas and len(words) - index <= SPEAKER_WINDOW + 4 and not speakers.name_and_appositions(context, words[: earlier_commas[-1]]):
            # "..., sagte ein Sprecher."; not "X, Manager von Y, bezeichnete ...": a subject with its apposition is no clause
            clause = _clause(tokens, 0, earlier_commas[-1], words) if not _puts_a_question(context, words) else None
            framed_by = words[earlier_commas[-1] + 1].lower()
            if clause and (index == earlier_commas[-1] + 1 or framed_by in context.words("frame_openers") or _sounds_reported(context, clause)):  # ", sagte X" and ", wie X mitteilte" need no mood
                frame_end = next((c for c in commas if c > index), len(tokens))  # ", he said, after her debate against Trump": not Trump
                speaker = speakers.find_speaker(context, tokens[earlier_commas[-1] + 1 : frame_end], near=tokens[index].start)  # ", sagte X" or ", X said"
                return _quote(context, clause, "indirect", word, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
    return _attribution(context, sentence, tokens, words) or _complement(context, sentence, tokens, words) or _verb_complement(context, sentence, tokens, words)


def _frames_a_report(context: QuoteContext, words: list[str], index: int) -> bool:
    """A verb that reports speech only in a frame (``reporting_verbs``): before "that" ("CNN
    reported that ..."), or ending the sentence's last clause (", CNN reported.", ", CNN
    reported, citing officials.")."""
    if words[index] not in context.words("reporting_verbs"):
        return False
    after = words[index + 1 : index + 2]
    return after == ["that"] or (after in ([], ["."], [","]) and "," in words[:index])


def _not_a_finite_verb(context: QuoteContext, words: list[str], index: int) -> bool:
    """English forms in -ed are participles too: "The attack was reported to the police", "the
    reported attack" (after an auxiliary of the passive or a determiner) say nothing of anyone."""
    if not _subject_verb_order(context) or index == 0:
        return False
    before = words[index - 1].lower()
    return before in context.words("passive_auxiliaries") or before in context.words("determiners")


def _interposed_frame(context: QuoteContext, words: list[str], verb: int, commas: list[int]) -> tuple[int, int] | None:
    """The commas around a frame set into the sentence it reports ("The plan, he said, would
    cost ...", "Without the funding, officials said, the clinic would close", "Die Lage, sagte der
    Minister, sei ernst"): the sentence's first comma opens it, a short frame holds the verb, and
    the sentence goes on after it. What follows must continue what was said, not the frame: not
    a preposition or participle (", the ministry said, citing figures", ", he said on Monday")
    and not an apposition of a name that ends the frame (", said Andres Granier, der Gouverneur")."""
    opening = commas[0] if commas else None
    closing = next((c for c in commas if c > verb), None)
    if opening is None or not 0 < opening < verb or closing is None or closing - opening - 1 > SPEAKER_WINDOW:
        return None
    if any(opening < c < verb for c in commas) or not (_subject_verb_order(context) or verb == opening + 1):
        return None  # "Emily Lau, die Vorsitzende der Partei, sagte, ...": an apposition of the subject; German frames invert (", sagte er,")
    rest = [w for w in words[closing + 1 :] if w not in ".!?"]
    if not rest or not rest[0][:1].islower():
        return None  # a name or number after the comma is the start of something else
    if rest[0] in context.words("prepositions") | context.words("subordinators") or rest[0].endswith(_participle_suffixes(context)):
        return None
    if speakers.frame_rest(context, words[closing + 1 :]) or (words[closing - 1][:1].isupper() and _opens_noun_phrase(context, words, closing + 1)):
        return None  # an apposition of the name that ends the frame (", sagte Karl Roth, kanadischer General am Montag")
    return opening, closing


def _opens_noun_phrase(context: QuoteContext, words: list[str], index: int) -> bool:
    return words[index] in context.words("determiners") | context.words("possessives") or speakers.phrase_word(context, words, index)


def _participle_suffixes(context: QuoteContext) -> tuple[str, ...]:
    return tuple(lang.settings(context.language, "grammar").get("participle_suffixes", ()))


def _interposed_quote(context: QuoteContext, sentence: Sentence, tokens: list[Span], words: list[str], verb: int, frame: tuple[int, int]) -> Quote | None:
    """The sentence around an interposed frame, frame and all (as "laut X" inside a sentence is),
    said by the one the frame names: "he" stands for the person named before, a passive frame
    ("we were told") names no one."""
    opening, closing = frame
    clause = _clause(tokens, 0, len(tokens), words)
    if clause is None:
        return None
    inside = tokens[opening + 1 : closing]
    frame = set(words[opening + 1 : closing])
    nameless = frame & (context.words("passive_auxiliaries") | context.words("impersonal_subjects"))  # "we were told", "hieß es"
    if frame & context.words("passive_auxiliaries"):
        speaker = None
    elif nameless:  # "The plan, it said, would ...": the organisation named before, as "it said" outside a frame; "hieß es": no one
        speaker = speakers.organisation_meant(context, inside, near=tokens[verb].start)
    else:
        speaker = speakers.find_speaker(context, inside, near=tokens[verb].start)
    if speaker is None and not nameless:
        return None  # "Die UN bestätigten den Vorfall, teilten jedoch mit, es sei ...": a second verb of the sentence's subject
    return _quote(context, clause, "indirect", words[verb], speaker, _via(context, sentence.start, sentence.end, exclude=Span(tokens[opening].start, tokens[closing].end)))


def _puts_a_question(context: QuoteContext, words: list[str]) -> bool:
    """"Auf die Frage, ob ..., verwies Lawrow auf Pjöngjang": the clause before the verb is the
    question put to the speaker, not what they said."""
    opening = " ".join(words[:4]).lower()
    return any(opening == frame or opening.startswith(frame + " ") for frame in context.words("question_frames"))


def _before_trailing_frame(context: QuoteContext, words: list[str], commas: list[int]) -> int:
    """Where a reported clause ends: before a short frame that closes the sentence after its last
    comma ("Lawrow sagte, Putin hoffe auf ..., berichtete Tass."): that frame cites the whole
    sentence, it is no part of what was said."""
    end = len(words) - (words[-1] in ".!?")
    last = commas[-1] if commas else None
    if last is None or last + 1 >= end or end - last > SPEAKER_WINDOW + 4 or words[last + 1] not in context.words("speech_verbs"):
        return len(words)
    return last


def _vorfeld_subject(context: QuoteContext, tokens: list[Span], words: list[str], verb: int) -> tuple[str, int, int] | None:
    """The subject of a German main clause that names it before its finite verb: "Polizeichef
    Anna Berg forderte Herrn Kurz auf, ..." (Berg, not the object nearer the verb), "Bürgermeister
    Max Roth (SPD), der Vorsitzende des Rats, hat ... betont, ...". Only a name or pronoun that
    opens the clause and no preposition governs counts, in a phrase no article marks as an object:
    "In der Zeitung schrieb X", "Dem Sender sagte X", "Den Minister forderte X auf" leave the
    speaker to be found after the verb."""
    commas = [i for i in range(verb) if words[i] == ","]
    start = commas[-1] + 1 if commas else 0
    if commas and speakers.name_and_appositions(context, words[: commas[-1]]):
        start = 0  # the commas only set off an apposition of the subject
    if start >= verb or words[start].lower() in context.words("subordinators") | context.words("frame_openers"):
        return None  # verb first, or a subordinate clause whose verb comes last
    finite = next((i for i in range(start, verb) if words[i] in context.words("finite_auxiliaries")), verb)
    share = speakers.share_subject(context, tokens[finite])
    if share is not None:
        return share  # "Nur vier Prozent erklären, ...": no one, with the count
    vorfeld = tokens[start:finite]
    if not vorfeld:
        return None
    if speakers.addressee(context, words[start:finite]) or words[start].lower() in context.words("oblique_determiners"):
        after = tokens[finite + 1 : min(len(tokens), finite + 1 + SPEAKER_WINDOW)]  # "Den Kritiker X forderte Y auf": a fronted object, the subject follows the verb
        after = after[: next((i for i, t in enumerate(after) if words[finite + 1 + i] == ","), len(after))]
        return speakers.find_speaker(context, after, near=tokens[finite].end) if after else None
    if words[start] in context.words("pronouns") and finite == start + 1:
        return speakers.find_speaker(context, vorfeld, near=vorfeld[0].start)
    opening = vorfeld[0].start
    named = [m for m in context.mentions if opening <= m.start and m.end <= vorfeld[-1].end and m.type in ("PER", "ORG") and not speakers.governed(context, m.start, opening)]
    if words[start].lower() in context.words("prepositions"):
        return None
    if not named:  # "Ein Sachbearbeiter sagte gegenüber Heise, ...": the phrase speaks, not the name after the verb
        return _unnamed_subject(context, vorfeld)
    return speakers.find_speaker(context, vorfeld, near=named[0].start)


def _unnamed_subject(context: QuoteContext, vorfeld: list[Span]) -> tuple[str, int, int] | None:
    """A subject before the finite verb that names no one: a demonstrative standing alone for the
    last person named ("Dieser behauptete, ..."), or a noun phrase that fills the place before the
    verb ("Der grüne Staatssekretär sagte der Zeitung, ..."); an adverb there ("Heute sagte ...")
    is no noun phrase."""
    text = context.article.text
    first = text[vorfeld[0].start : vorfeld[0].end]
    if len(vorfeld) == 1 and first.lower() in context.words("demonstratives"):
        person = speakers.antecedent(context, "sie" if first.lower() == "diese" else "er", vorfeld[0].start)
        return (person.name if person else None), vorfeld[0].start, vorfeld[0].end
    phrase = speakers.opening_subject(context, vorfeld)
    return phrase if phrase is not None and phrase[2] >= vorfeld[-1].end else None


def _verb_complement(context: QuoteContext, sentence: Sentence, tokens: list[Span], words: list[str]) -> Quote | None:
    """'Die EU hat die Regierung aufgefordert, die Grenzen zu öffnen', 'Die Feuerwehr gibt an, es
    gebe keine Berichte': a verb of saying, asking or promising in any of its forms (known by its
    infinitive; a separable one by its particle before the comma) governs the clause after its
    comma when that clause is a zu-infinitive, a dass-clause or in the subjunctive. The verb's
    clause must be indicative (a subjunctive one is someone's words already, the whole sentence)
    and the verb no adjective ("die angekündigten Zeuginnen")."""
    if not context.words("speech_verb_lemmas"):
        return None
    commas = [i for i, w in enumerate(words) if w == ","]
    for index, word in enumerate(words):
        comma = next((c for c in commas if c > index), None)
        if comma is None or comma - index > SPEAKER_WINDOW + 2 or not _reporting_form(context, word, words[comma - 1]):
            continue
        start = max([0] + [c + 1 for c in commas if c < index])
        if _has_subjunctive(context, set(words[start:comma])) or speakers.phrase_word(context, words, index):
            continue
        subordinate = words[start].lower() in context.words("subordinators") and not set(words[start + 1 : index]) & context.words("finite_auxiliaries")  # "Als Begründung wurde angegeben," is a main clause
        end = next((c for c in commas if c > comma), len(tokens)) if subordinate else len(tokens)  # "Während X ankündigte, ... zu prüfen, stellt sich ..."
        clause = _clause(tokens, comma + 1, end, words)
        if clause is None or not _complement_clause(context, words[comma + 1 : end]):
            continue
        speaker = _verb_subject(context, tokens, words, start + subordinate, index, comma)
        return _quote(context, clause, "indirect", word, speaker, _via(context, sentence.start, sentence.end, exclude=clause))
    return None


def _reporting_form(context: QuoteContext, word: str, particle: str) -> bool:
    """A form of a verb of saying ("aufgefordert", "beschloss"), or the finite part of a separable
    one whose particle ends its clause ("warf ihm vor,": vorwerfen)."""
    if not (word.isalpha() and word.islower()) or word in context.words("contentless_speech_verbs"):
        return False
    lemmas = context.words("speech_verb_lemmas")
    lemma = base_form(word, context.language)
    return lemma in lemmas or (particle in context.words("verb_particles") and particle + lemma in lemmas)


def _complement_clause(context: QuoteContext, words: list[str]) -> bool:
    """A clause a verb of saying governs: "dass ...", a zu-infinitive ("die Grenzen zu öffnen",
    "eine Zone einzurichten"; not "um ... zu", which says what for), or a main clause in the
    subjunctive ("es gebe keine Berichte"). A clause opened by "da", "weil" or "wenn" gives a
    reason or condition, and one whose verb ends it is a relative clause ("..., die ... hervorrufe")."""
    first = words[0].lower() if words else ""
    if first in context.words("complementisers"):
        return True
    if first in context.words("subordinators") or first in context.words("purpose_openers"):
        return False
    segment = words[: words.index(",")] if "," in words else words
    if any(_zu_infinitive(context, segment, i) for i in range(len(segment))):
        return True
    second_place = [w for w in segment[1:5] if w != segment[-1]]  # a main clause's verb comes second
    return _has_subjunctive(context, set(second_place))


def _zu_infinitive(context: QuoteContext, words: list[str], index: int) -> bool:
    word = words[index]
    if word == "zu":
        following = words[index + 1] if index + 1 < len(words) else ""
        return following.isalpha() and following.islower() and base_form(following, context.language) == following
    inner = word.find("zu", 2)  # "einzurichten", "aufzuheben": the particle, "zu", the verb
    if inner < 0 or not (word.isalpha() and word.islower()):
        return False
    infinitive = word[:inner] + word[inner + 2 :]
    return infinitive.endswith("n") and base_form(infinitive, context.language) == infinitive


def _verb_subject(context: QuoteContext, tokens: list[Span], words: list[str], start: int, verb: int, comma: int) -> tuple[str, int, int] | None:
    """Who says it, as a German main clause orders it: in the passive only the "von" phrase ("wurde
    von der Stadt angegeben"; "Ihm wird vorgeworfen, ..." names no one); else the phrase before
    the finite verb when it is a noun phrase ("Die EU hat ... aufgefordert"), or the one right
    after it ("Am Montag forderte die EU ... auf")."""
    auxiliaries = context.words("finite_auxiliaries")
    if set(words[start:verb]) & (context.words("passive_auxiliaries") | {"worden"}):
        agent = next((i for i in range(start, verb) if words[i].lower() in ("von", "vom")), None)
        return speakers.find_speaker(context, tokens[agent + 1 : verb], near=tokens[agent].end) if agent is not None and agent + 1 < verb else None
    finite = next((i for i in range(start, verb + 1) if i == verb or words[i] in auxiliaries), verb)
    share = speakers.share_subject(context, tokens[finite])  # "27 Prozent der Befragten gaben an, ...": no one, not the one named before
    if share is not None:
        return share
    if finite > start and words[start] in context.words("pronouns"):
        return speakers.find_speaker(context, tokens[start : start + 1], near=tokens[start].start)
    if finite == start + 1 and words[start].lower() in context.words("demonstratives"):
        return _unnamed_subject(context, tokens[start:finite])  # "Dieser hat angekündigt, ..."
    phrase = speakers.opening_subject(context, tokens[start:finite]) if finite > start else None
    if phrase is not None:
        return phrase
    after = tokens[finite + 1 : min(comma, finite + 1 + SPEAKER_WINDOW)]
    return speakers.find_speaker(context, after, near=tokens[finite].end) if after else None


def _so_frame(context: QuoteContext, words: list[str], index: int, commas: list[int]) -> bool:
    """"..., so Militärkreise." or "..., so Celebi, die auch angab, ...": "so" after a comma and
    before a short phrase naming the source (not "so dass", "so weit", "so können wir")."""
    if index == 0 or words[index - 1] != "," or index + 1 >= len(words) or words[index + 1] in ("dass", "wie", "weit"):
        return False
    frame_end = next((c for c in commas if c > index), len(words))  # the frame ends at its comma
    following = words[index + 1]
    names = speakers.opens_phrase(following, context.words("determiners"), context.words("stopwords")) or following in context.words("pronouns")
    return frame_end - index <= SPEAKER_WINDOW + 2 and names


def _subject_verb_order(context: QuoteContext) -> bool:
    """English reports "X said (that) ..." without a comma; German "sagte X, ..." with one."""
    return bool(lang.settings(context.language, "grammar").get("clause_follows_verb_without_comma"))


def _attribution(context: QuoteContext, sentence: Sentence, tokens: list[Span], words: list[str]) -> Quote | None:
    """'Laut X, ...' / 'X zufolge ...' / 'nach Angaben von X ...': reported without a speech verb."""
    cues = cues_by_first_word(context.language)
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
            end = _source_end(context, tokens, words, _phrase_end(context, words, index))
            end, after = _source_apposition(context, words, end) if begin == 0 else (end, end)
            if begin == 0 and after == end and words[end : end + 1] == [","]:
                after += 1  # "Nach Angaben der Polizei, ...": what was said starts after the comma
            source, rest = tokens[begin + 1 : end], tokens[:begin] + tokens[after:]  # "jüngsten Untersuchungen", after "nach"
            if all(not w[:1].isalnum() for w in words[end:]):
                rest = tokens[:begin]  # "..., nach Angaben der Polizei.": what was said ends before its source
        elif word.lower() == "zufolge":  # "Unter den Passagieren befanden sich Berichten zufolge 75 Kinder"
            begin = _phrase_begin(context, words, index)
            source, rest = tokens[begin:index], tokens[:begin] + tokens[index + 1 :]
        elif begin > 0 and phrase == "laut":  # "Zudem wurde laut russischen Angaben ein weiteres Dorf erobert"
            end = _source_end(context, tokens, words, _phrase_end(context, words, _head_noun(context, words, index + 1)))
            source, rest = tokens[index + 1 : end], tokens[:begin] + tokens[end:]
        else:
            end = _source_end(context, tokens, words, _opening_source_end(context, words, index + 1))
            end, after = _source_apposition(context, words, end)
            source, rest = tokens[index + 1 : end], tokens[after if after > end else _after_relative_clause(context, words, end) :]
        if len(rest) < 3 or (not source and phrase != "demnach"):
            return None
        clause = Span(rest[0].start, _strip_end(context.article.text, rest[-1].end))
        speaker = speakers.find_speaker(context, source, near=source[0].start) if source else None
        if phrase == "demnach":  # the adverb stands for the source as a pronoun does: its span, the source named before
            speaker = (None, tokens[begin].start, tokens[begin].end)
        elif speaker is not None:  # named as whom the phrase cites ("laut russischen Angaben": no one)
            speaker = (_cited_by(context, source, rest, speaker[0]), source[0].start, source[-1].end)  # the whole phrase: "Angaben einer Bauerngewerkschaft", "laut dieser Studie"
        via = _via(context, sentence.start, sentence.end, exclude=clause) or _nameless_relay(context, source, speaker)
        relayed = _speaking_through(context, rest, speaker)
        if relayed is not None:  # "Putin würdigte laut KCNA die ...": Putin speaks, KCNA relays
            speaker, via = relayed, speaker[0]
        return _quote(context, clause, "reported", phrase, speaker, via)
    return None


def _nameless_relay(context: QuoteContext, source: list[Span], speaker) -> str | None:
    """The medium of an attribution that names no one ("einem Medienbericht zufolge" inside the
    clause it attributes): it relays, as "Medienberichten zufolge" before the clause does."""
    if not source or speaker is None or speaker[0] is not None:
        return None
    last = context.article.text[source[-1].start : source[-1].end]
    return last if any(last.endswith(noun) for noun in context.words("relay_nouns")) else None


def _speaking_through(context: QuoteContext, clause: list[Span], source) -> tuple[str, int, int] | None:
    """Who speaks when an attribution names a relay ("laut KCNA"): the subject of a reporting verb
    in the clause ("Putin würdigte laut KCNA ...", "Laut Tass sagte Lawrow ..."); else no one but
    the relay, which then reports in its own name."""
    if source is None or source[0] is None or not _is_relay(context, source[0]):
        return None
    text = context.article.text
    words = [text[t.start : t.end] for t in clause]
    if not set(words) & context.words("speech_verbs"):
        return None
    subject = speakers.sentence_subject(context, clause)
    return subject if subject is not None and subject[0] != source[0] else None


def _source_end(context: QuoteContext, tokens: list[Span], words: list[str], end: int) -> int:
    """Where an attribution's source ends once what belongs to its name is taken in: the rest of a
    name the tagger found ("laut Peter Lahm", "Angaben der Organisation Ärzte ohne Grenzen"), a
    short parenthesis ("Angaben des Senders (SWR)"), a name in quotation marks and the place a body sits in ("des
    Bundesamts in Flensburg", a place the tagger found)."""
    previous = -1
    while 0 < end < len(tokens) and end != previous:
        previous = end
        name_end = _name_running_on(context, tokens, words, end)
        if name_end is not None:
            end = max(i for i, t in enumerate(tokens) if t.start < name_end) + 1
        elif words[end] == "(":
            end = speakers.with_parenthesis(words, end - 1) + 1
        elif words[end] in _BRACKETS_AND_MARKS:
            end = speakers.with_name_marks(words, end - 1, end - 1)[1] + 1  # "des Fachmagazins „Autowelt“"
        elif words[end] in context.words("place_prepositions") and end + 1 < len(tokens):
            place = next((m for m in context.mentions if m.type == "LOC" and m.start == tokens[end + 1].start), None)
            end = end if place is None else max(i for i, t in enumerate(tokens) if t.start < place.end) + 1
    return end


def _name_running_on(context: QuoteContext, tokens: list[Span], words: list[str], end: int) -> int | None:
    """Where a name ends that a source cut at ``end`` leaves unfinished: one the tagger found running
    past the cut ("laut Peter | Lahm"), or a person's name right after a title ("laut
    Verkehrsreferent | Tobias Kranich")."""
    last, following = tokens[end - 1], tokens[end]
    for mention in context.mentions:
        if mention.start < last.end < mention.end:
            return mention.end
        if mention.start == following.start and mention.type == "PER" and words[end - 1][:1].isupper():
            return mention.end
    return None


def _source_apposition(context: QuoteContext, words: list[str], end: int) -> tuple[int, int]:
    """A noun phrase set off by commas after a sentence-opening source belongs to it ("Nach Angaben
    von Eva Roth, der Leiterin des Amtes, ..."; "..., Jefferson Irwin Jauwena, ..."): the source's
    new end, and where what was said begins (``end`` both when there is none)."""
    if end >= len(words) or words[end] != ",":
        return end, end
    closing = next((i for i in range(end + 1, len(words)) if words[i] == ","), None)
    if closing is None or closing == end + 1 or not speakers.is_apposition(context, words[end + 1 : closing]):
        return end, end
    return closing, closing + 1


def _opening_source_end(context: QuoteContext, words: list[str], first: int) -> int:
    """Where the source of a sentence-opening "Laut ..." ends: at its comma ("Laut einem Sprecher
    der Polizei, ...") or at the verb that follows it ("Laut KCNA hat Kim ...": KCNA alone)."""
    joining = context.words("title_prepositions") | context.words("conjunctions")
    for i in range(first, len(words)):
        word = words[i]
        if word == ",":
            return i
        if i > first and word[:1].islower() and word not in joining and not speakers.phrase_word(context, words, i) and not _brand(word):
            return i  # "starben" is no adjective here: no noun follows it
    return len(words)


def _cited_by(context: QuoteContext, source: list[Span], clause: list[Span], found: str) -> str | None:
    """Whom an attribution phrase cites: "nach eigenen Angaben", the clause's own subject ("Das
    Rote Kreuz schickte nach eigenen Angaben ..."); an attribution noun that names no one ("Nach
    ersten Erkenntnissen habe es ..."), no one; else the speaker found in the phrase."""
    text = context.article.text
    words = [text[t.start : t.end] for t in source]
    if words[0].lower() in context.words("self_references"):
        subject = speakers.clause_subject(context, clause)
        return subject[0] if subject else None
    nameless = words[0].lower() not in context.words("possessives") and all(
        speakers.is_adjective(word) or word.lower() in context.words("determiners") for word in words[:-1]
    )
    return None if nameless and words[-1] in context.words("attribution_nouns") else found


_BRACKETS_AND_MARKS = frozenset("()„“”»«\"")


def _phrase_begin(context: QuoteContext, words: list[str], end: int) -> int:
    """Where the noun phrase ending before ``end`` begins ("der Nachrichtenagentur Tass" zufolge),
    with the attribution noun its source depends on ("Berichten der Fernsehsender Sky News und
    BBC" zufolge)."""
    determiners, stopwords = context.words("determiners"), context.words("stopwords")
    begin = end
    while begin > 0 and words[begin].lower() not in determiners and (
        speakers.in_phrase(words[begin - 1], determiners, stopwords)
        or speakers.names_something(words[begin - 1], determiners, stopwords)
        or (words[begin - 1] in context.words("conjunctions") and begin > 1 and words[begin - 2][:1].isupper())
        or (words[begin - 1] in context.words("title_prepositions") and begin > 1 and words[begin - 2][:1].isupper())
        or words[begin - 1] in _BRACKETS_AND_MARKS
    ):
        begin -= 1  # stops at the phrase's article: "hat Russland einem Medienbericht zufolge"; takes in "des Instituts von Athen (ISA)", "dem „Kurier“"
    if begin > 0 and words[begin] in context.words("genitive_openers") and words[begin - 1] in context.words("attribution_nouns"):
        return _phrase_begin(context, words, begin - 1)
    return begin


def _complement(context: QuoteContext, sentence: Sentence, tokens: list[Span], words: list[str]) -> Quote | None:
    """"Hugo Chávez vertritt die Ansicht, dass ...", "Das Ministerium legte fest, dass ...": a
    dass-clause whose main clause names its subject is that subject's statement, whatever the verb."""
    joints = [i for i in range(1, len(words) - 3) if words[i] == "," and words[i + 1].lower() in context.words("complementisers")]
    if not joints:
        return None
    named = speakers.sentence_subject(context, tokens[: joints[0]])
    if named is None and set(words[: joints[0]]) & context.words("copulas"):
        return None  # "Das Problem ist, dass ...": a fact about a thing, nobody's words
    speaker = named or speakers.opening_subject(context, tokens[: joints[0]])
    if speaker is None or speakers.governed(context, speaker[1]) or _a_thing(context, speaker):
        return None  # "Das liegt daran, dass ...": a fact's consequence, nobody's words
    clause = _clause(tokens, joints[0] + 1, len(tokens), words)
    if clause is None:
        return None
    return _quote(context, clause, "indirect", words[joints[0] + 1], speaker, _via(context, sentence.start, sentence.end, exclude=clause))


def _attribution_after_nach(context: QuoteContext, words: list[str], index: int) -> str | None:
    """'nach (den) (jüngsten) Angaben/Untersuchungen/...': the attribution phrase, if this is one."""
    nouns = context.words("attribution_nouns")
    for offset in range(1, 4):
        if index + offset < len(words) and words[index + offset] in nouns:
            return " ".join(words[index : index + offset + 1]).lower()
    return None


def _after_relative_clause(context: QuoteContext, words: list[str], end: int) -> int:
    """Where what was said begins after a source phrase ending at ``end``: past its comma, and past
    a relative clause that describes the source ("Laut Medienberichten, die sich auf den
    Geheimdienst berufen, könnte Nordkorea ...")."""
    if end >= len(words) or words[end] != ",":
        return end
    if end + 1 < len(words) and words[end + 1].lower() in context.words("determiners"):
        closing = next((i for i in range(end + 2, len(words)) if words[i] == ","), None)
        if closing is not None:
            return closing + 1
    return end + 1


def _head_noun(context: QuoteContext, words: list[str], start: int) -> int:
    """The first word from ``start`` that is not an article or adjective: "laut [den] [russischen]
    Angaben", "laut [russischen und nordkoreanischen] Staatsmedien"."""
    determiners, conjunctions = context.words("determiners"), context.words("conjunctions")
    while start + 1 < len(words) and (
        words[start].lower() in determiners or speakers.is_adjective(words[start])
        or (words[start] in conjunctions and speakers.is_adjective(words[start + 1]))
    ):
        start += 1
    return start


def _phrase_end(context: QuoteContext, words: list[str], noun: int) -> int:
    """End of an attribution phrase: the noun and up to three genitives after it, with their
    names ('der Polizei', 'einer Sprecherin der Stadt Den Haag', 'von n24', 'politischer
    Beobachter', 'der New York Times und der Los Angeles Times')."""
    openers = context.words("genitive_openers")
    end = noun + 1
    for _ in range(3):
        start = end
        if end + 1 < len(words) and words[end] in context.words("conjunctions") and words[end + 1] in openers and start > noun + 1:
            end += 1  # a second source joined to the first
        opened = end < len(words) and words[end] in openers
        end += opened
        while end + 1 < len(words) and speakers.is_adjective(words[end]) and (opened or words[end].endswith("er")):
            end += 1  # "der jüngsten", or a genitive without article: "politischer Beobachter"
        names = end
        while end < len(words) and (words[end][:1].isupper() or (opened and end == names and _brand(words[end]))):
            end += 1
        if end == names or names == start:  # a bare capitalised word is the clause's next noun: "nach ersten Meldungen Schäden"
            return start  # no noun: what follows is not the source
    return end


def _brand(word: str) -> bool:
    """A lower-case name with a digit or hyphen: "n24", "n-tv"."""
    return word[:1].islower() and any(c.isdigit() or c == "-" for c in word)


def _free_indirect(context: QuoteContext, sentence: Sentence, previous: Quote | None, covered) -> Quote | None:
    text = context.article.text
    words = {text[t.start : t.end] for t in context.tokens(sentence)}
    if previous is None:  # with nobody to attribute it to, only a Konjunktiv I marks reported speech
        words -= context.words("subjunctive_ii")
    if not (_has_subjunctive(context, words) or _is_hearsay(context, sentence)) or covered_by(Span(sentence.start, sentence.end), covered):
        return None
    span = Span(sentence.start, _strip_end(text, sentence.end))
    own = _main_clause_speaker(context, sentence)
    if own is not None:  # "Der BGH begründete dies damit, dass sich ... zusammengetan hätten"
        span = _after_main_clause(context, sentence, span)
        return Quote(context.article.id, span.start, span.end, text[span.start : span.end], False, "indirect", None, *own, None)
    span = Span(span.start, _sentence_end(text, sentence.end))  # a sentence said as a whole ends with its mark
    if _indicative_main_clause(context, sentence):  # "Die Staatsanwaltschaft gibt an, X werde ...": the frame is no part of it
        span = _after_main_clause(context, sentence, span)
    speaker = (previous.speaker, previous.speaker_start, previous.speaker_end) if previous else (None, None, None)
    return Quote(context.article.id, span.start, span.end, text[span.start : span.end], False, "free_indirect", None,
                 *speaker, previous.via if previous else None)


def _indicative_main_clause(context: QuoteContext, sentence: Sentence) -> bool:
    """Whether the sentence opens with a main clause of its own up to its first comma: a finite
    verb in the indicative, no subordinating conjunction first ("Wenn ..., sei ..." opens with a
    subordinate clause that belongs to what follows)."""
    text = context.article.text
    comma = text.find(",", sentence.start, sentence.end)
    if comma < 0:
        return False
    words = [text[t.start : t.end] for t in tokenize(text, sentence.start, comma)]
    if len(words) < 3 or words[0].lower() in context.words("subordinators") or _has_subjunctive(context, set(words)):
        return False
    if set(words) & (context.words("subjunctive_ii") | _HEARSAY_MODALS):
        return False  # "Das Objekt könnte ...", "Die Täter sollen ...": the main clause is reported too
    return any(_finite_verb(context, words, i) for i in range(1, len(words)))


_HEARSAY_MODALS = frozenset({"soll", "sollen"})


def _finite_verb(context: QuoteContext, words: list[str], index: int) -> bool:
    """An auxiliary, or a lower-case word whose dictionary form is another word in -n (a verb's
    infinitive: "gibt", "erklärte"; a noun's is capitalised) that no article or preposition
    precedes (then it is an adjective: "am externen Tank")."""
    word = words[index]
    if word in context.words("finite_auxiliaries"):
        return True
    if not (word.isalpha() and word.islower()) or words[index - 1].lower() in context.words("determiners") | context.words("prepositions"):
        return False
    lemma = base_form(word, context.language)
    return lemma != word and lemma.islower() and lemma.endswith("n")


def _after_main_clause(context: QuoteContext, sentence: Sentence, span: Span) -> Span:
    """What the owner of an indicative main clause said is the clause after its comma, not the
    main clause that frames it ("Die Firma begründete dies damit, sie habe ... gewusst")."""
    text = context.article.text
    comma = text.find(",", sentence.start, span.end)
    start = comma + 1
    while start < span.end and text[start].isspace():
        start += 1
    return Span(start, span.end) if start < span.end else span


def _is_hearsay(context: QuoteContext, sentence: Sentence) -> bool:
    """German "soll ... verletzt worden sein": a modal of hearsay with a perfect infinitive at the end."""
    return context.language == "de" and bool(re.search(r"\b(?:soll|sollen)\b.*\b(?:sein|haben)\W*$", sentence.text))


def _speech_act(context: QuoteContext, sentence: Sentence, covered) -> Quote | None:
    """A sentence that reports what someone said or demanded without its words ("Der Minister
    hat den Abzug der Truppen angekündigt", "Die SPD fordert einen Mindestlohn"): a reporting
    verb with a named subject before it; the whole sentence is the report."""
    text = context.article.text
    if covered_by(Span(sentence.start, sentence.end), covered):
        return None
    tokens = context.tokens(sentence)
    words = [text[t.start : t.end] for t in tokens]
    cue = next((i for i in range(len(words)) if _reports_content(context, words, i)), None)
    if cue is None or cue == 0:
        return None
    following = tokens[cue + 1 : cue + 2]
    next_word = words[cue + 1] if following else ""
    if next_word in context.words("reflexives"):
        return None  # "äußerte sich am Abend": he spoke, the sentence does not say what
    speaker = speakers.sentence_subject(context, tokens[:cue]) or speakers.speaking_body(context, tokens[:cue])
    if speaker is None and cue <= 2 and next_word in context.words("pronouns"):
        speaker = speakers.find_speaker(context, following, near=following[0].start)  # "Dabei bezeichnete er die Krise als ..."
    elif speaker is None and following and any(m.start == following[0].start and m.type in ("PER", "ORG") for m in context.mentions):
        speaker = speakers.sentence_subject(context, tokens[cue + 1 : cue + 1 + SPEAKER_WINDOW])  # "Kurz vor dem Treffen bekräftigten Putin und Kim ..."
    elif speaker is not None and speaker[1] > tokens[min(2, cue - 1)].start:
        return None  # the subject opens the sentence
    if speaker is None:
        return None
    span = Span(sentence.start, _sentence_end(text, sentence.end))
    return Quote(context.article.id, span.start, span.end, text[span.start : span.end], False, "reported", text[tokens[cue].start : tokens[cue].end], *speaker, None)


def _reports_content(context: QuoteContext, words: list[str], index: int) -> bool:
    """A reporting verb with content: "fordert einen Mindestlohn", and "sprach von 1.800
    Teilnehmern", but not "sprach mit seiner Frau"."""
    if words[index] not in context.words("speech_verbs"):
        return False
    if words[index] not in context.words("contentless_speech_verbs"):
        return True
    return index + 1 < len(words) and words[index + 1] in context.words("content_prepositions")


def _main_clause_speaker(context: QuoteContext, sentence: Sentence) -> tuple[str, int, int] | None:
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
    return speakers.sentence_subject(context, main)


def _introduced(context: QuoteContext, sentence: Sentence, previous: Quote | None) -> Quote | None:
    """Who speaks next after a sentence without a quotation: one that opens with a person or
    organisation doing something ("Gewerkschaftschef Konrad Freiberg begründete dies mit ...")
    hands the subjunctive sentences after the previous speaker's words to them."""
    tokens = context.tokens(sentence)
    if previous is None:
        return None
    speaker = speakers.sentence_subject(context, tokens) or _speaking_subject(context, tokens)
    if speaker is None or speaker[1] > tokens[min(2, len(tokens) - 1)].start:
        return previous
    return replace(previous, speaker=speaker[0], speaker_start=speaker[1], speaker_end=speaker[2], via=None)


def _speaking_subject(context: QuoteContext, tokens: list[Span]) -> tuple[str, int, int] | None:
    """A sentence's opening subject that names no one but whose noun is a body or person that
    speaks ("Der Minister weist auf ... hin", "Die Staatsanwaltschaft geht davon aus"), cited as
    a whole subject."""
    if speakers.speaking_body(context, tokens) is None:
        return None
    return speakers.opening_subject(context, tokens)


def _source_pointed_back_at(context: QuoteContext, index: int, quote: Quote, said: _Attributed) -> Quote | None:
    """The statement "Demnach" (according to that) points back at: the last one attributed within
    the three sentences before, though a sentence of the writer's own may stand between (the
    previous speaker is only handed on from sentence to sentence)."""
    if (quote.cue or "").lower() != "demnach" or index == 0:
        return None
    return said.latest_in(context.sentences[max(0, index - 3)].start, context.sentences[index].start)


def _opens_with_cue(sentence: Sentence, quote: Quote) -> bool:
    return bool(quote.cue) and sentence.text.lstrip().lower().startswith(quote.cue.lower() + " ")


def _follows(context: QuoteContext, index: int, previous: Quote) -> bool:
    """Whether the sentence comes within three sentences after the speaker's last words."""
    return index > 0 and context.sentences[max(0, index - 3)].start <= previous.end <= context.sentences[index - 1].end + 2


def _clause(tokens: list[Span], first: int, end: int, words: list[str]) -> Span | None:
    """The reported clause from ``first`` to ``end``, its "dass" included (it belongs to what was said)."""
    first += _relative_source(words, first)
    opener = 1 if first < len(words) and words[first].lower() in ("dass", "that") else 0
    if end - first - opener < 3:
        return None
    return Span(tokens[first].start, tokens[end - 1].end if words[end - 1] not in ".!?" else tokens[max(first, end - 2)].end)


def _relative_source(words: list[str], first: int) -> int:
    """How many words at the clause's start only point back at its source, as "laut X" would:
    "wonach", "denen zufolge", "nach denen" ("Berichte, wonach das Lager geräumt sei")."""
    lowered = [w.lower() for w in words[first : first + 2]]
    if lowered[:1] == ["wonach"]:
        return 1
    if lowered in (["denen", "zufolge"], ["nach", "denen"], ["laut", "denen"]):
        return 2
    return 0


def _sounds_reported(context: QuoteContext, clause: Span) -> bool:
    """German reported clauses carry a subjunctive or start with 'dass'; other languages pass."""
    if context.language != "de":
        return True
    text = context.article.text
    words = {text[t.start : t.end] for t in tokenize(text, clause.start, clause.end)}
    return _has_subjunctive(context, words) or text[max(0, clause.start - 6) : clause.start].strip().endswith("dass")


def _has_subjunctive(context: QuoteContext, words: set[str]) -> bool:
    """A Konjunktiv form among the words: one of the listed ones ("sei", "hätten"), or in German a
    third person singular in -e whose infinitive is the same stem in -en ("drohe", "fehle":
    indicative "droht", "fehlt")."""
    if words & context.words("subjunctive"):
        return True
    if "ich" in words or "Ich" in words:
        return False  # "ich fühle", "ich beschäftige mich": the first person's indicative has the same -e
    return context.language == "de" and any(_konjunktiv_one(word) for word in words if word.islower() and word.endswith("e"))


@lru_cache(maxsize=1 << 16)
def _konjunktiv_one(word: str) -> bool:
    lemma = simplemma.lemmatize(word, lang="de")
    return lemma == word[:-1] + "en" or (word.endswith(("ele", "ere")) and lemma == word[:-1] + "n")  # "handele", "ändere"


_ARTICLES = r"(?:[Dd]e[rnms]|[Dd]ie|[Dd]as|[Tt]he)"  # not part of a relay's name: "die Medien" is "Medien"


def _via(context: QuoteContext, start: int, end: int, exclude: Span) -> str | None:
    """A relaying agency or medium named in the attribution around the quotation."""
    text = context.article.text
    relays = context.words("relay_nouns")
    agencies = lang.shared_list("agencies")
    for mention in context.mentions_from(start, end):
        if not (exclude.start <= mention.start < exclude.end):
            preceding = text[max(start, mention.start - 60) : mention.start]
            if mention.type == "ORG" and (mention.name.lower() in agencies or any(noun in preceding for noun in relays) or _introduced_as_relay(context, mention.name)):
                return mention.name
    outside = text[start : exclude.start] + " " + text[exclude.end : end]
    cited = next((name for name in _cited_names(outside) if name.lower() in agencies or _introduced_as_relay(context, name)), None)
    if cited is not None:
        return cited  # "laut Tass", "Tass zufolge", whatever the tagger took the name for
    # "der Westdeutschen Allgemeinen Zeitung", "der Deutschen Presse-Agentur": the name whole, not its last noun
    match = re.search(r"(?<!\w)((?:[A-ZÄÖÜ]\w*e[nr]? )?(?:(?!" + _ARTICLES + r" )\w+e[nr]? )?(?:\w+-)?(?:" + "|".join(sorted(relays, key=len, reverse=True)) + r"))\b", outside) if relays else None
    return match.group(1) if match else None


_CITED_NAME = re.compile(r"\b(?:[Ll]aut|[Gg]emäß) (?:der |dem |des )?([A-ZÄÖÜ][\w-]+)|\b([A-ZÄÖÜ][\w-]+) zufolge\b")


def _cited_names(text: str) -> list[str]:
    """The names an attribution cites in a frame: "laut Tass", "KCNA zufolge"."""
    return [match.group(1) or match.group(2) for match in _CITED_NAME.finditer(text)]


def _a_thing(context: QuoteContext, speaker) -> bool:
    """Whether the speaker found is a pronoun that stands for a thing or a fact ("Das", "Dies")."""
    return speaker is not None and speaker[0] is not None and speaker[0].lower() in context.words("thing_pronouns")


def _an_article_alone(context: QuoteContext, speaker) -> bool:
    """Whether the speaker found is an article without its noun: "The" of "The committee has
    said" where the noun was not found, "Der" of "Der hatte gesagt" (a demonstrative standing for
    someone named before). Nobody is better than a word that names no one."""
    return speaker is not None and speaker[0] is not None and speaker[0].lower() in context.words("determiners") and speaker[2] - speaker[1] == len(speaker[0])


def _quote(context: QuoteContext, span: Span, kind: str, cue, speaker, via) -> Quote:
    text = context.article.text
    if _a_thing(context, speaker) or _an_article_alone(context, speaker):
        speaker = None  # 'Das ist nun anders: „Jetzt sehe ich ...“': words in marks, but "Das" said none of them
    speaker, via = _on_whose_authority(context, span, speaker, via, cue)
    name, speaker_start, speaker_end = speaker if speaker else (None, None, None)
    if via and name and (via.casefold() == name.casefold() or name.casefold().endswith(" " + via.casefold())):
        via = None  # the agency itself speaks ("KCNA berichtete, ...", "laut der Zeitung")
    return Quote(context.article.id, span.start, span.end, text[span.start : span.end], kind == "direct", kind, cue,
                 name, speaker_start, speaker_end, via)


def _on_whose_authority(context: QuoteContext, span: Span, speaker, via, cue: str | None) -> tuple:
    """(speaker, via) where a medium's frame names its report's authority ("Der Sender Nordfunk
    berichtete unter Berufung auf Regierungskreise, ...", "Das hat CNN unter Berufung auf
    Mitarbeiter des Geheimdienstes berichtet", "Laut Medienberichten, die sich auf den
    Geheimdienst berufen, ..."): the sources cited speak, and the medium relays. A person or
    body who is no medium speaks in their own name, the authority cited or not ("Berufung" is
    never the speaker); as found otherwise where the frame names none."""
    index = sentence_index(context, speaker[1] if speaker and speaker[1] is not None else span.start)
    if index is None or not _citing_phrases(context.language):
        return speaker, via
    tokens = [t for t in context.tokens(context.sentences[index]) if not (span.start <= t.start < span.end)]
    found = _cited_authority(context, tokens)
    if found is None:
        return speaker, via
    at, end, source = found
    cited = _cited_as(context, source)
    if cited is None or (speaker is not None and speaker[1] is not None and source[0].start <= speaker[1] < source[-1].end):
        return speaker, via  # found as the source already ("unter Berufung auf X ist die Rede davon, ...")
    inside = speaker is not None and speaker[1] is not None and tokens[at].start <= speaker[1] < tokens[end - 1].end  # "Berufung"
    relay = speakers.find_speaker(context, tokens[:at] + tokens[end:], near=tokens[at].start) if inside or speaker is None else speaker
    reporter = relay[0] if relay else None
    if not (via or (reporter and _reports_as_a_medium(context, reporter, cue))):
        return relay, via  # "Wieler sagte unter Berufung auf eine Studie, ...": a person citing evidence still speaks
    return cited, reporter if reporter and (via is None or via in reporter) else via  # "die Agentur" relays as Reuters, the agency named


CITED_WORDS = 12  # a citing phrase and its source: the words read after the phrase's opening at most


def _cited_authority(context: QuoteContext, tokens: list[Span]) -> tuple[int, int, list[Span]] | None:
    """Where the tokens name a report's authority (``lang/*/citing_phrases.txt``): the phrase's
    first token, the token after it, and the source's tokens, which run to a comma or a verb of
    saying, or to the verb that closes the phrase ("sich auf X berufen")."""
    text = context.article.text
    lowered = [text[t.start : t.end].lower() for t in tokens]
    for opening, closing in _citing_phrases(context.language):
        for at in (i for i in range(len(lowered)) if lowered[i : i + len(opening)] == opening):
            end = at + len(opening)
            while end < len(tokens) and end - at < CITED_WORDS and lowered[end] not in ",.;:!?" and not _closes_citing(context, text[tokens[end].start : tokens[end].end], closing):
                end += 1
            closed = closing is None or (end < len(tokens) and lowered[end].startswith(closing))
            if closed and end > at + len(opening):
                return at, end + (closing is not None), tokens[at + len(opening) : end]
    return None


def _closes_citing(context: QuoteContext, word: str, closing: str | None) -> bool:
    return word.lower().startswith(closing) if closing else speakers.reports(context, word)


@lru_cache(maxsize=8)
def _citing_phrases(language: str | None) -> list[tuple[list[str], str | None]]:
    """(opening words, the closing verb's start or None) of each citing phrase."""
    phrases = []
    for line in sorted(lang.words(language, "citing_phrases")):
        opening, _, closing = line.partition(" ... ")
        phrases.append((opening.split(), closing.strip() or None))
    return phrases


def _cited_as(context: QuoteContext, source: list[Span]) -> tuple[str, int, int] | None:
    """The source as it speaks: the person or organisation named in it, else the phrase as
    written up to the noun phrase it names ("staatliche Organe in Myanmar")."""
    cited = speakers.find_speaker(context, source, near=source[0].start)
    if cited is None or cited[0] is None:
        return None
    if any(m.end <= source[-1].end and m.type in ("PER", "ORG") for m in context.mentions_from(source[0].start, source[-1].end)):
        return cited
    text = context.article.text
    owner = speakers.statement_owner(context, text[cited[1] : cited[2]])  # "eine Einschätzung des Geheimdienstes": der Geheimdienst
    return owner or text[source[0].start : cited[2]], source[0].start, cited[2]


def _reports_as_a_medium(context: QuoteContext, reporter: str, cue: str | None) -> bool:
    """An agency or medium, or a body that is no person reporting with a medium's verb ("CNN
    berichtete", "das Blatt schreibt")."""
    if _is_relay(context, reporter):
        return True
    person = any(m.type == "PER" and m.name == reporter for m in context.mentions)
    return not person and bool(cue) and base_form(cue.split()[0], context.language) in context.words("media_verbs")


def _sentence_end(text: str, end: int) -> int:
    """The end of a sentence reported as a whole, its closing mark kept (as in a quotation in marks:
    the sentence is what was said, punctuation and all); a clause inside a frame ends before it
    (``_strip_end``), the sentence's mark belongs to the frame."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _strip_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in ".!? ":
        end -= 1
    return end
