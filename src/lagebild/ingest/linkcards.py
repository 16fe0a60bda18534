"""Link cards glued into an article's body: a page that shows a card of related headlines where a
person is named keeps the card's text when its body is taken as plain text, right after the name
("Senator Miller Anna Louise MillerSenate passes budget bill Miller seeks new term MORE said
on ..."). The card is no part of the article: its headlines are other stories, and its glued
words make names, speakers and numbers that no one wrote ("Miller Anna Louise MillerSenate" said).

A card is known by its shape, not by a site's strings: after a name, the person's name again in
full (middle names, a nickname in parentheses) ending in the same surname and glued to the next
capital or digit without a space (or, when the name is repeated from its first word on, after a
space), then headlines on the same line up to a closing "MORE" in capitals.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_NAME_WORD = r"(?:\(?[A-Z][\w'’.-]*\)?|[a-z]{1,3})"  # "Donald", "(Mitch)", "J.", "de"
_NAMES_AGAIN = (
    # "Miller| Anna Louise MillerSenate passes ... MORE": the surname again, glued to a headline
    re.compile(rf"\b(?P<last>[A-Z][\w'’-]+)(?P<card> ?(?:{_NAME_WORD} ){{0,5}}(?P=last)(?=[A-Z0-9'‘\"“]))"),
    # "Anna Miller| Anna Louise Miller Miller seeks ... MORE": the whole name again, from its first word
    re.compile(rf"\b(?P<first>[A-Z][\w'’-]+) (?P<last>[A-Z][\w'’-]+)(?P<card> (?P=first) (?:{_NAME_WORD} ){{0,4}}(?P=last)(?= ))"),
)
_CLOSING = re.compile(r" MORE\b")
MAX_HEADLINES_CHARS = 800  # a card's few headlines; a "MORE" further on closes no card begun here


def without_link_cards(text: str) -> tuple[str, int]:
    """The text without the link cards glued in after names, and how many there were."""
    removed = 0
    for names_again in _NAMES_AGAIN:
        closings = [match.start() for match in _CLOSING.finditer(text)]
        cards = _cards(text, names_again, closings) if closings else []
        kept = zip([0] + [end for _, end in cards], [start for start, _ in cards] + [len(text)])
        text = "".join(text[start:end] for start, end in kept)
        removed += len(cards)
    return text, removed


def _cards(text: str, names_again: re.Pattern, closings: list[int]) -> list[tuple[int, int]]:
    """Where the cards are: from the name said again to the first "MORE" after it on its line,
    not too far on. Each "MORE" is looked up, not searched for from every name (bounded time on
    any text)."""
    cards: list[tuple[int, int]] = []
    for match in names_again.finditer(text):
        start = match.start("card")
        if cards and start < cards[-1][1]:
            continue  # inside a card already found
        at = bisect_left(closings, match.end())
        closing = closings[at] if at < len(closings) else None
        if closing is not None and closing - match.end() <= MAX_HEADLINES_CHARS and "\n" not in text[match.end() : closing]:
            cards.append((start, closing + len(" MORE")))
    return cards
