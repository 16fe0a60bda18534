"""Report records for quotations: speaker resolved to an entity, statements grouped."""

from __future__ import annotations

from lagebild.link.statements import speaker_key, statement_ids
from lagebild.model import Entity, Quote


def quote_records(quotes: list[Quote], entities: list[Entity], languages: dict[str, str | None]) -> list[dict]:
    entity_at = {(m.article_id, m.start): entity for entity in entities for m in entity.mentions}
    entity_named = {entity.name: entity for entity in entities}
    speakers = [entity_at.get((q.article_id, q.speaker_start)) or entity_named.get(q.speaker or "") for q in quotes]
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
