"""Report records for quotations: speaker resolved to an entity, statements grouped.

Resolving a speaker needs the entities named in its article and, for a speaker named by a
spelling alone, the entity that spelling belongs to; grouping statements needs the other
quotations of the same speaker (``link.statements``). Both are given by the caller: all of a
corpus, or what a store holds of the speakers a run touches.
"""

from __future__ import annotations

from typing import Protocol

from lagebild.link.statements import speaker_key
from lagebild.model import Quote
from lagebild.spans import ByStart


class Named(Protocol):
    id: str
    name: str
    mentions: int


def speaker_entities(quotes: list[Quote], mentions: dict[str, list], named: dict[str, Named]) -> list[Named | None]:
    """Each quotation's speaker entity: ``mentions``, article id -> its (mention, entity) pairs;
    ``named``: spelling -> entity (``by_spelling``)."""
    by_start = {article_id: ByStart(found, start=lambda pair: pair[0].start) for article_id, found in mentions.items()}
    empty = ByStart([])
    return [_speaker_entity(q, by_start.get(q.article_id, empty)) or named.get(q.speaker or "") for q in quotes]


def speaker_groups(quotes: list[Quote], speakers: list[Named | None]) -> list[str | None]:
    """What groups a quotation's versions: its speaker entity, else its speaker as written."""
    return [entity.id if entity else speaker_key(q.speaker) for q, entity in zip(quotes, speakers)]


def record(quote: Quote, entity: Named | None, statement: str) -> dict:
    return {
        "article_id": quote.article_id,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "direct": quote.direct,
        "kind": quote.kind,
        "speaker": entity.name if entity else quote.speaker,
        "speaker_entity_id": entity.id if entity else None,
        "speaker_start": quote.speaker_start,
        "speaker_end": quote.speaker_end,
        "cue": quote.cue,
        "via": quote.via,
        "statement_id": statement,
    }


def spelling_owner(spelling: str, entities: list) -> Named | None:
    """Of the entities spelt so, the one whose name it is (the most mentioned, then the first id,
    if several are), else the only one with it among its variants ("Hagedorn", named back
    through "nach seinen Angaben", is Jens Hagedorn)."""
    named = [entity for entity in entities if entity.name == spelling]
    if named:
        return min(named, key=lambda entity: (-entity.mentions, entity.id))
    return entities[0] if len(entities) == 1 else None


def _speaker_entity(quote: Quote, mentions: ByStart):
    """The entity of the name the speaker phrase was built around ("Sergej Lawrow" in "Moskaus
    Außenminister Sergej Lawrow"), else the one the phrase starts with."""
    if quote.speaker_start is None:
        return None
    inside = mentions.starting_in(quote.speaker_start, quote.speaker_end)
    named = next((entity for m, entity in inside if m.name == quote.speaker), None)
    return named or next((entity for m, entity in inside if m.start == quote.speaker_start), None)
