"""Entities that grow with the store: grouping again only what a run's names can have moved gives
the entities that grouping every name at once gives, whatever the runs, and reads only what a run
needs."""

from __future__ import annotations

import json
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagebild.link.entities import NameStats, group_names
from lagebild.link.entity_state import EntityBook
from lagebild.model import Mention
from lagebild.store import Store, names as stored_names
from lagebild.store.names import StoredNames, one_word_texts

# words that make genitive chains, surnames of several people, particles, places in two languages
WORDS = ("Merkel", "Merkels", "Angela", "Kim", "Jong", "Un", "Jong-un", "Assad", "al-Assad", "Baschar", "Trump", "Donald", "Bis", "Biss", "Bisss", "Moskau", "Moscow", "Mikl-Leitner", "Johanna", "Bashir", "Baschir", "Ahmed")
NAMES = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
MENTION = st.tuples(NAMES, st.sampled_from(("PER", "PER", "LOC", "ORG", "MISC")), st.booleans(), st.booleans())
ARTICLE = st.lists(MENTION, min_size=1, max_size=4)
RUNS = st.lists(st.lists(ARTICLE, min_size=1, max_size=4), min_size=1, max_size=5)


def _mentions(article_id: str, drawn: list[tuple]) -> list[Mention]:
    """A drawn mention is written as its name or, shortened, as its last word (what makes a
    one-word name a short form of the longer one)."""
    return [Mention(article_id, n, n + 1, name.split()[-1] if short else name, kind, name, role and n > 0) for n, (name, kind, short, role) in enumerate(drawn)]


def _count(stats: dict[str, NameStats], mentions: list[Mention], sign: int) -> None:
    by_name = defaultdict(list)
    for mention in mentions:
        by_name[mention.name].append(mention)
    for name, found in by_name.items():
        stats.setdefault(name, NameStats()).add(found, sign)
        if not stats[name].types:
            del stats[name]


def _stored_entities(store: Store) -> dict[str, tuple]:
    """name -> (its entity's id, name, type, variants, mentions, articles) as the store holds it."""
    rows = store.connection.execute(
        "SELECT n.name, e.id, e.name, e.type, e.variants, e.mentions, e.articles FROM picture_entity_names n JOIN picture_entities e ON e.id = n.entity_id"
    )
    return {name: (identifier, canonical, kind, json.loads(variants), mentions, articles) for name, identifier, canonical, kind, variants, mentions, articles in rows}


def _grouped_at_once(stats: dict[str, NameStats]) -> dict[str, tuple]:
    return {name: (e.id, e.name, e.type, e.variants, e.mentions, e.articles) for e in group_names(stats) for name in e.names}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(RUNS, st.data())
def test_runs_that_group_again_what_they_moved_give_the_entities_of_every_name_at_once(runs, data):
    store = Store(":memory:")
    stats: dict[str, NameStats] = {}
    counted: list[list[Mention]] = []
    for number, run in enumerate(runs):
        book = EntityBook(StoredNames(store.connection) if number else None)
        for drawn in run:
            mentions = _mentions(f"a{len(counted)}", drawn)
            book.count(mentions, 1)
            _count(stats, mentions, 1)
            counted.append(mentions)
        if counted and data.draw(st.booleans()):  # an article counted before is counted again differently
            again = data.draw(st.integers(0, len(counted) - 1))
            changed = _mentions(counted[again][0].article_id, data.draw(ARTICLE))
            for sign, mentions in ((-1, counted[again]), (1, changed)):
                book.count(mentions, sign)
                _count(stats, mentions, sign)
            counted[again] = changed
        asked = {m.name for m in counted[-1]}
        assert {name: entity.id for name, entity in book.entities_of(asked).items()} == {name: _grouped_at_once(stats)[name][0] for name in asked}
        with store.connection as connection:
            stored_names.save(connection, book.changes())
        assert _stored_entities(store) == _grouped_at_once(stats)
        spelt = store.connection.execute("SELECT COUNT(*) FROM picture_entity_spellings").fetchone()[0]
        assert spelt == sum(len(entity.variants) for entity in group_names(stats))
        written = set(store.connection.execute("SELECT text, name FROM link_name_texts"))
        assert written == {(text, name) for name, stat in stats.items() for text in one_word_texts(stat.texts)}


def test_a_run_reads_the_names_it_meets_not_the_store():
    store = Store(":memory:")
    book = EntityBook(None)
    for number in range(300):  # 300 unrelated people, then one article about one of them
        book.count([Mention(f"a{number}", 0, 1, f"Person{number} Nachname{number}", "PER", f"Person{number} Nachname{number}")], 1)
    with store.connection as connection:
        stored_names.save(connection, book.changes())
    book = EntityBook(StoredNames(store.connection))
    book.count([Mention("b", 0, 1, "Nachname7", "PER", "Nachname7")], 1)
    entity = book.entities_of({"Nachname7"})["Nachname7"]
    assert entity.name == "Person7 Nachname7" and sorted(entity.names) == ["Nachname7", "Person7 Nachname7"]
    assert len(book.stats) <= 3  # the short name and the person it is short for


def test_a_first_name_alone_reads_the_people_written_so_not_every_holder():
    """A first name that thousands of names hold: a run decides where it goes from the people a
    mention wrote as that word (and from the count of the others), without reading them all."""
    store = Store(":memory:")
    book = EntityBook(None)
    for number in range(300):
        book.count([Mention(f"a{number}", 0, 1, f"Michael Nachname{number}", "PER", f"Michael Nachname{number}")], 1)
    written_alone = Mention("b", 0, 1, "Michael", "PER", "Michael Nachname7")  # resolved in its article
    book.count([written_alone, Mention("b", 9, 10, "Michael Nachname7", "PER", "Michael Nachname7")], 1)
    with store.connection as connection:
        stored_names.save(connection, book.changes())
    book = EntityBook(StoredNames(store.connection))
    book.count([Mention("c", 0, 1, "Michael", "PER", "Michael")], 1)
    entity = book.entities_of({"Michael"})["Michael"]
    assert entity.name == "Michael Nachname7"
    assert len(book.stats) <= 3
