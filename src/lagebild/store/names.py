"""The entity names as the store keeps them between runs (``link.entity_state``): what the
mentions of each name add up to and the key that groups it (``link_names``), the entity it
stands for (``picture_entity_names``), the names that hold a word (``link_name_words``: which
multi-word names a one-word name may be short for, which longer names complete one cut short),
the names written somewhere as one word (``link_name_texts``: which people a one-word name is
short for, without reading every name that holds it), and each entity's spellings
(``picture_entity_spellings``: a speaker found however it is spelt). A run reads the rows of the
names it needs and writes those it changed.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import orjson

from lagebild.extract.names import name_words
from lagebild.link.entities import NamedEntity, NameStats, transliteration_key
from lagebild.store.backends import chunks as _chunks, insert_new, marks as _marks, replace

_COLUMNS = "l.name, l.types, l.named_types, l.texts, l.articles, l.key, e.entity_id"
_HOLDING = "FROM link_name_words w JOIN link_names l ON l.name = w.name WHERE"
_SPACED = "(w.name LIKE '% %' AND l.key LIKE '% %')"  # written and keyed in more than one word


@dataclass
class NameRow:
    """A name as the store holds it."""

    stats: NameStats
    key: str
    entity_id: str | None


class StoredNames:
    """Reads of the names' tables, each for the rows a run asks for."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def rows(self, names: Iterable[str]) -> dict[str, NameRow]:
        return self._rows(f"SELECT {_COLUMNS} FROM link_names l LEFT JOIN picture_entity_names e ON e.name = l.name WHERE l.name IN ({{}})", names)

    def rows_with_keys(self, keys: Iterable[str]) -> dict[str, NameRow]:
        return self._rows(f"SELECT {_COLUMNS} FROM link_names l LEFT JOIN picture_entity_names e ON e.name = l.name WHERE l.key IN ({{}})", keys)

    def rows_of_entities(self, entity_ids: Iterable[str]) -> dict[str, NameRow]:
        return self._rows(f"SELECT {_COLUMNS} FROM picture_entity_names e JOIN link_names l ON l.name = e.name WHERE e.entity_id IN ({{}})", entity_ids)

    def names_with_words(self, words: Iterable[str], opening: bool = False) -> set[str]:
        """The names that hold one of these words (``opening``: as their first word)."""
        condition = " AND opening = 1" if opening else ""
        return {row[0] for chunk in _chunks(sorted(set(words))) for row in self.connection.execute(f"SELECT name FROM link_name_words WHERE word IN ({_marks(chunk)}){condition}", chunk)}

    def spaced_holders(self, word: str) -> Iterator[tuple[str, str]]:
        """(name, key) of the names holding the word that are written with a space and keyed with
        one, read as far as the caller goes (a first name's run thousands)."""
        return iter(self.connection.execute(f"SELECT w.name, l.key {_HOLDING} w.word = ? AND {_SPACED}", (word,)))

    def other_holders(self, words: Iterable[str]) -> list[tuple[str, str, str]]:
        """(word, name, key) of the other names holding one of these words."""
        query = f"SELECT w.word, w.name, l.key {_HOLDING} w.word IN ({{}}) AND NOT {_SPACED}"
        return [row for chunk in _chunks(sorted(set(words))) for row in self.connection.execute(query.format(_marks(chunk)), chunk)]

    def written_as(self, words: Iterable[str]) -> set[str]:
        """The names some mention wrote as one of these (one-word) texts."""
        return {row[0] for chunk in _chunks(sorted(set(words))) for row in self.connection.execute(f"SELECT name FROM link_name_texts WHERE text IN ({_marks(chunk)})", chunk)}

    def spelt(self, spellings: Iterable[str]) -> list[tuple[str, str]]:
        """(spelling, entity id) of the entities spelt so."""
        return [row for chunk in _chunks(sorted(set(spellings))) for row in self.connection.execute(f"SELECT spelling, entity_id FROM picture_entity_spellings WHERE spelling IN ({_marks(chunk)})", chunk)]

    def entities(self, entity_ids: Iterable[str]) -> dict[str, NamedEntity]:
        """The entities as the picture holds them, with their names."""
        names: defaultdict[str, list[str]] = defaultdict(list)
        found = {}
        for chunk in _chunks(sorted(set(entity_ids))):
            for name, identifier in self.connection.execute(f"SELECT name, entity_id FROM picture_entity_names WHERE entity_id IN ({_marks(chunk)})", chunk):
                names[identifier].append(name)
            for identifier, name, kind, variants, mentions, articles in self.connection.execute(f"SELECT id, name, type, variants, mentions, articles FROM picture_entities WHERE id IN ({_marks(chunk)})", chunk):
                found[identifier] = NamedEntity(identifier, name, kind, json.loads(variants), sorted(names[identifier]), mentions, articles)
        return found

    def _rows(self, query: str, keys: Iterable[str]) -> dict[str, NameRow]:
        found = {}
        for chunk in _chunks(sorted(set(keys))):
            for name, types, named, texts, articles, key, entity_id in self.connection.execute(query.format(_marks(chunk)), chunk):
                # orjson: a run reads the rows of every name holding a frequent word (tens of thousands)
                found[name] = NameRow(NameStats(Counter(orjson.loads(types)), Counter(orjson.loads(named)), set(orjson.loads(texts)), articles), key, entity_id)
        return found


@dataclass
class NameChanges:
    """What a run changed of the names: their stats (``None``: the name is gone), the entity each
    named name stands for now, the names new to the store, the entities made again (``None``:
    gone), and the one-word texts the store held of each changed name."""

    stats: dict[str, tuple[NameStats, str] | None]  # name -> (its stats, its key)
    entity_of: dict[str, str]
    new: set[str]
    entities: dict[str, NamedEntity | None]
    stored_texts: dict[str, set[str]] = field(default_factory=dict)


def save(connection, changes: NameChanges) -> None:
    """Write what the run changed, inside the caller's transaction."""
    gone = sorted(name for name, stat in changes.stats.items() if stat is None)
    for table in ("link_names", "picture_entity_names"):
        _delete(connection, table, "name", gone)
    connection.executemany("DELETE FROM link_name_words WHERE word = ? AND name = ?", [(word, name) for name in gone for word in sorted(name_words(name))])
    kept = [(name, *stat) for name, stat in sorted(changes.stats.items()) if stat is not None]
    rows = [(name, json.dumps(s.types), json.dumps(s.named_types), json.dumps(sorted(s.texts), ensure_ascii=False), s.articles, key) for name, s, key in kept]
    connection.executemany(replace("link_names", ("name", "types", "named_types", "texts", "articles", "key"), ("name",)), rows)
    words = [(word, name, int(word == name.split()[0])) for name in sorted(changes.new - set(gone)) for word in sorted(name_words(name))]
    connection.executemany(replace("link_name_words", ("word", "name", "opening"), ("word", "name")), words)
    _save_texts(connection, changes)
    connection.executemany(replace("picture_entity_names", ("name", "entity_id"), ("name",)), sorted(changes.entity_of.items()))
    _save_entities(connection, changes.entities)


def _save_texts(connection, changes: NameChanges) -> None:
    """The one-word texts of the changed names as they are now (a name that went and came back in
    one run starts again with the texts of its new mentions)."""
    now = {name: one_word_texts(stat[0].texts) if stat else set() for name, stat in changes.stats.items()}
    stored = changes.stored_texts
    connection.executemany("DELETE FROM link_name_texts WHERE text = ? AND name = ?", [(text, name) for name in sorted(now) for text in sorted(stored.get(name, set()) - now[name])])
    connection.executemany(replace("link_name_texts", ("text", "name"), ("text", "name")), [(text, name) for name in sorted(now) for text in sorted(now[name] - stored.get(name, set()))])


def one_word_texts(texts: Iterable[str]) -> set[str]:
    """The texts a one-word name can be (a mention's text never loses what it was written as)."""
    return {text for text in texts if " " not in text}


def _save_entities(connection, entities: dict[str, NamedEntity | None]) -> None:
    ids = sorted(entities)
    _delete(connection, "picture_entities", "id", ids)
    _delete(connection, "picture_entity_spellings", "entity_id", ids)
    made = [entities[i] for i in ids if entities[i] is not None]
    connection.executemany(
        "INSERT INTO picture_entities (id, name, type, variants, mentions, articles) VALUES (?, ?, ?, ?, ?, ?)",
        [(e.id, e.name, e.type, json.dumps(e.variants, ensure_ascii=False), e.mentions, e.articles) for e in made],
    )
    connection.executemany("INSERT INTO picture_entity_spellings (spelling, entity_id) VALUES (?, ?)", [(v, e.id) for e in made for v in e.variants])
    remember_folded(connection, [v for e in made for v in e.variants])


def remember_folded(connection, texts: Iterable[str]) -> None:
    """Keep the folded form (``transliteration_key``) of each of these texts not kept yet: spellings
    and speakers, for ``speaker_names``."""
    wanted = sorted(set(texts))
    known = {row[0] for chunk in _chunks(wanted) for row in connection.execute(f"SELECT text FROM picture_folded WHERE text IN ({_marks(chunk)})", chunk)}
    rows = [(text, transliteration_key(text)) for text in wanted if text not in known]
    connection.executemany(insert_new("picture_folded", ("text", "folded")), rows)


def speaker_names(connection, speaker: str) -> set[str]:
    """Every name under which a speaker is quoted, however spelt: the names of the entities with a
    spelling whose folded form holds the speaker's, and the speakers that are no entity but are
    written so ("Lavrov": "Sergej Lawrow")."""
    folded = transliteration_key(speaker)
    pattern = "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    texts = [row[0] for row in connection.execute("SELECT text FROM picture_folded WHERE folded LIKE ? ESCAPE '\\'", (pattern,))]
    found: set[str] = set()
    for chunk in _chunks(sorted(texts)):
        query = f"SELECT e.name FROM picture_entity_spellings s JOIN picture_entities e ON e.id = s.entity_id WHERE s.spelling IN ({_marks(chunk)})"
        found.update(row[0] for row in connection.execute(query, chunk))
        found.update(row[0] for row in connection.execute(f"SELECT DISTINCT speaker FROM picture_quotes WHERE speaker IN ({_marks(chunk)})", chunk))
    return found


def _delete(connection, table: str, column: str, values: list[str]) -> None:
    for chunk in _chunks(values):
        connection.execute(f"DELETE FROM {table} WHERE {column} IN ({_marks(chunk)})", chunk)
