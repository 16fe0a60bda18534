"""Report records for quotations: speaker resolved to an entity, statements grouped."""

from __future__ import annotations

from collections import defaultdict

from lagebild.link.statements import speaker_key, statement_ids
from lagebild.model import Entity, Quote


def quote_records(quotes: list[Quote], entities: list[Entity], languages: dict[str, str | None]) -> list[dict]:
    mentions: dict[str, list] = defaultdict(list)
    for entity in entities:
        for mention in entity.mentions:
            mentions[mention.article_id].append((mention, entity))
    entity_named = _by_name(entities)
    speakers = [_speaker_entity(q, mentions[q.article_id]) or entity_named.get(q.speaker or "") for q in quotes]
    keys = [entity.id if entity else speaker_key(q.speaker) for q, entity in zip(quotes, speakers)]
    ids = statement_ids(quotes, keys, languages)
    return [
        {
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
        for quote, entity, statement in zip(quotes, speakers, ids)
    ]


def _by_name(entities: list[Entity]) -> dict[str, Entity]:
    """Entities by canonical name, and by each variant only one entity has ("Hagedorn", named
    back through "nach seinen Angaben", is Jens Hagedorn)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        for variant in entity.variants:
            owners[variant].add(entity.id)
    by_id = {entity.id: entity for entity in entities}
    named = {variant: by_id[next(iter(ids))] for variant, ids in owners.items() if len(ids) == 1}
    return {**named, **{entity.name: entity for entity in entities}}


def _speaker_entity(quote: Quote, mentions: list) -> Entity | None:
    """The entity of the name the speaker phrase was built around ("Sergej Lawrow" in "Moskaus
    Außenminister Sergej Lawrow"), else the one the phrase starts with."""
    if quote.speaker_start is None:
        return None
    inside = [(m, entity) for m, entity in mentions if quote.speaker_start <= m.start < quote.speaker_end]
    named = next((entity for m, entity in inside if m.name == quote.speaker), None)
    return named or next((entity for m, entity in inside if m.start == quote.speaker_start), None)
