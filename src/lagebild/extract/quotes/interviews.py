"""Interviews printed as turns ("ZEIT ONLINE: Herr Boos, ...?" / "Boos: Klar. ..."): each answer is
its speaker's words, whole, whatever it holds; the questions are the medium's and say nobody's
words.

A turn opens a paragraph (or follows the end of the turn before it) with a label of one to four
capitalised words and a colon. An article is an interview when at least two labels open at least
two turns each, at least MIN_TURNS in all. The interviewer's label is the one whose turns mostly
end in a question mark; a label that names no person mentioned ("ZEIT ONLINE", "Frage") says
nothing either; every other label is a speaker, cited as the article names the person ("Boos"
is "Hans-Christian Boos", introduced before; a transcript's "CONWAY" is "Kellyanne Conway").
What other rules found inside an answer gives way to the answer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from lagebild.extract.quotes.context import QuoteContext
from lagebild.model import Quote
from lagebild.spans import ByStart, Covering

MIN_TURNS = 4
_LABEL = r"([A-ZÄÖÜ][\w.'’-]*(?: [A-ZÄÖÜ][\w.'’-]*){0,3}):[ \t]+(?=\S)"
_TURN = re.compile(r"(?:\A|\n|(?<=[.?!…\"“”»«)])\s{2,})[ \t]*" + _LABEL)
_RUN_ON_TURN = re.compile(r"(?<=[.?!…\"“”»«)]) " + _LABEL)  # "… Boos: Entschuldigen Sie, dass ich Sie da unterbreche"


@dataclass(frozen=True)
class Turn:
    label: str
    label_start: int
    start: int  # the words, after the label
    end: int


def interview_turns(context: QuoteContext, quotes: list[Quote]) -> list[Quote]:
    """The quotations with each answer of an interview as its speaker's direct words (and what
    was found inside the answers dropped); unchanged when the article is no interview."""
    by_label: dict[str, list[Turn]] = defaultdict(list)
    for turn in _turns(context.article.text):
        by_label[turn.label].append(turn)
    if not _an_interview(by_label):
        return quotes
    text = context.article.text
    persons = _persons(context)
    answers, asked = [], []
    for label, said in by_label.items():
        speaker = _speaker(context, persons, label, said[0].label_start)
        if speaker is None or _asks(text, said):
            asked += said
            continue
        answers += [Quote(context.article.id, t.start, t.end, text[t.start : t.end], True, "direct", None, speaker, t.label_start, t.label_start + len(label), None) for t in said]
    if not answers:
        return quotes
    answered = Covering((answer.start, answer.end) for answer in answers)
    questions = ByStart(asked)
    kept = [q for q in quotes if not answered.covers(q.start, q.end) and not _asker(q, questions)]
    return sorted(kept + answers, key=lambda q: (q.start, q.end))


def _asker(quote: Quote, questions: ByStart[Turn]) -> bool:
    """Whether a question gives the quotation to the interviewer's label ("ZEIT ONLINE: Manche
    bezeichnen ..., dass ...": the label read as the subject of the sentence after it). Turns do
    not overlap: the one starting last before the quotation is the only one that may hold it."""
    index = questions.last_starting_by(quote.start)
    turn = questions.items[index] if index >= 0 else None
    return turn is not None and quote.end <= turn.end and (quote.speaker == turn.label or quote.speaker_start == turn.label_start)


def _turns(text: str) -> list[Turn]:
    """The turns: those opening a paragraph, and, once their labels are known, those that run on
    after the end of the turn before (an interruption)."""
    openings = list(_TURN.finditer(text))
    labels = {opening.group(1) for opening in openings}
    openings = sorted(openings + [m for m in _RUN_ON_TURN.finditer(text) if m.group(1) in labels], key=lambda m: m.start(1))
    turns = []
    for opening, following in zip(openings, [*openings[1:], None]):
        end = following.start() if following is not None else _paragraph_end(text, opening.end())
        while end > opening.end() and text[end - 1].isspace():
            end -= 1
        turns.append(Turn(opening.group(1), opening.start(1), opening.end(), end))
    return turns


def _paragraph_end(text: str, start: int) -> int:
    """The last answer runs to the end of its paragraph (what follows may be the article's own)."""
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _an_interview(by_label: dict[str, list[Turn]]) -> bool:
    return sum(map(len, by_label.values())) >= MIN_TURNS and sum(1 for said in by_label.values() if len(said) >= 2) >= 2


def _persons(context: QuoteContext) -> tuple[dict[int, str], dict[str, str]]:
    """The article's person mentions by start, and its persons' names by each of their endings
    ("hans-christian boos", "boos"), casefolded: each label is then one look-up."""
    at: dict[int, str] = {}
    ending: dict[str, str] = {}
    for mention in context.mentions:
        if mention.type != "PER":
            continue
        at.setdefault(mention.start, mention.name)
        words = mention.name.casefold().split()
        for first in range(len(words)):
            known = ending.get(key := " ".join(words[first:]))
            if known is None or len(mention.name) > len(known):
                ending[key] = mention.name  # the longest, the first named of equal length
    return at, ending


def _speaker(context: QuoteContext, persons: tuple[dict[int, str], dict[str, str]], label: str, at: int) -> str | None:
    """The person a label names: a person mention at the label, else the person named in the
    article whose name is or ends with the label, in any case ("Boos", a transcript's "CONWAY").
    None: no person's label ("Frage", "ZEIT ONLINE", "Read More", "THE FACTS")."""
    if label.split()[0].casefold() in context.words("determiners"):
        return None
    mentioned, ending = persons
    return mentioned.get(at) or ending.get(label.casefold())


def _asks(text: str, said: list[Turn]) -> bool:
    """Whether the label's turns are the interviewer's: mostly questions."""
    questions = sum(1 for turn in said if text[turn.start : turn.end].rstrip("\"“”»« ").endswith("?"))
    return 2 * questions > len(said)
