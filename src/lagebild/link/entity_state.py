"""Entities that grow with the store: a run reads the names it meets (``store.names``), counts its
articles' mentions into them, and groups again only the names its counts can have moved; the
groups are those ``link.entities.group_names`` makes of every name at once
(tests/test_entity_state.py).

What a change can move: a name's key groups it with every name of that key, and the key's
genitive family decides the root it joins ("kirgistans" joins "kirgistan"); a one-word person
joins a multi-word person on the evidence of the multi-word names that hold its word. So a run
groups again the families of the changed names' keys (as they were and are), the one-word names
that are words of those groups, and, to decide where each one-word person goes, it reads the
groups a mention wrote as its word and, where one group alone holds the word, that group; of the
other holders (thousands, for a first name) it reads only their keys. An entity's id is a hash
of its root key: it keeps its id while its names grow, and a name that moves rewrites the entity
it left and the one it joined.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from lagebild.extract.names import name_words
from lagebild.link.entities import NamedEntity, NameStats, entity_id, genitive_family, is_place, name_key, named_entity, one_word_groups, root_groups, short_name_owners
from lagebild.model import Mention
from lagebild.report.quotes import spelling_owner
from lagebild.store.names import NameChanges, NameRow, StoredNames, one_word_texts


class EntityBook:
    """The names one run reads and counts, and the entities they make (``stored`` None: linking
    from scratch, the store's names do not count)."""

    def __init__(self, stored: StoredNames | None) -> None:
        self.stored = stored
        self.rows: dict[str, NameRow] = {}  # as stored, of the names read
        self.stats: dict[str, NameStats] = {}  # as counted now, of every name read or counted
        self.asked: set[str] = set()  # names looked up in the store, found or not
        self.changed: set[str] = set()
        self.loaded_keys: set[str] = set()  # keys whose every name is read
        self.keys: dict[str, str] = {}  # name -> its key, as worked out since its counts last changed
        self.assigned: dict[str, str] = {}  # name -> its entity id, where grouped again
        self.made: dict[str, NamedEntity | None] = {}  # entity id -> as made again (None: gone)
        self.regrouped = True

    # reading and counting

    def read(self, names: Iterable[str]) -> None:
        wanted = set(names) - self.asked
        self.asked |= wanted
        if self.stored and wanted:
            self._take(self.stored.rows(wanted))

    def _take(self, rows: dict[str, NameRow]) -> None:
        for name, row in rows.items():
            if name not in self.rows:  # a name counted this run is read before it is counted
                self.rows[name] = row
                self.keys.pop(name, None)
                self.asked.add(name)
                self.stats[name] = NameStats(row.stats.types.copy(), row.stats.named_types.copy(), set(row.stats.texts), row.stats.articles)

    def count(self, mentions: list[Mention], sign: int) -> None:
        """One article's mentions added (``sign`` 1) or taken away again (-1)."""
        by_name: defaultdict[str, list[Mention]] = defaultdict(list)
        for mention in mentions:
            by_name[mention.name].append(mention)
        self.read(by_name)
        for name, found in by_name.items():
            stats = self.stats.setdefault(name, NameStats())
            stats.add(found, sign)
            self.keys.pop(name, None)  # whether it is a place's may have changed
            if not stats.types:
                del self.stats[name]
            self.changed.add(name)
        self.regrouped = False

    def longer_names(self, mentions: dict[str, list[Mention]]) -> dict[str, NameStats]:
        """The names known so far whose first word one of these mentions is as written (what
        ``complete_names`` completes a name cut short with)."""
        texts = {mention.text for found in mentions.values() for mention in found}
        if self.stored:
            self.read(self.stored.names_with_words(texts, opening=True))
        return {name: stats for name, stats in self.stats.items() if " " in name and name.split(maxsplit=1)[0] in texts}

    # grouping

    def entities_of(self, names: Iterable[str]) -> dict[str, NamedEntity]:
        """The entity each of these counted names stands for now."""
        self._regroup()
        names = set(names)
        self.read(names)
        ids = {name: self._entity_id(name) for name in names}
        known = {**self._stored_entities(set(ids.values()) - self.made.keys()), **self.made}
        return {name: known[identifier] for name, identifier in ids.items()}

    def by_spelling(self, spellings: set[str]) -> dict[str, NamedEntity]:
        """The entity a speaker written so stands for (``report.quotes.spelling_owner``)."""
        self._regroup()
        owners: defaultdict[str, set[str]] = defaultdict(set)
        for spelling, identifier in self.stored.spelt(spellings) if self.stored else []:
            if identifier not in self.made:
                owners[spelling].add(identifier)
        for identifier, entity in self.made.items():
            for variant in set(entity.variants if entity else ()) & spellings:
                owners[variant].add(identifier)
        known = {**self._stored_entities({i for ids in owners.values() for i in ids} - self.made.keys()), **self.made}
        found = {spelling: spelling_owner(spelling, [known[i] for i in sorted(ids)]) for spelling, ids in owners.items()}
        return {spelling: entity for spelling, entity in found.items() if entity}

    def changes(self) -> NameChanges:
        self._regroup()
        stats = {name: (self.stats[name], self._key(name)) if name in self.stats else None for name in self.changed}
        new = {name for name in self.changed if name in self.stats and name not in self.rows}
        stored_texts = {name: one_word_texts(self.rows[name].stats.texts) for name in self.changed if name in self.rows}
        return NameChanges(stats, dict(self.assigned), new, dict(self.made), stored_texts)

    def _regroup(self) -> None:
        """Group again the names the counts can have moved, and make their entities again."""
        if self.regrouped:
            return
        trusted, groups = self._changed_families()
        groups, elsewhere = self._groups_with_evidence(trusted, groups)
        owners = short_name_owners(groups, self.stats, elsewhere)
        regrouped = {name: entity_id(owners.get(root, root)) for root in trusted & groups.keys() for name in groups[root]}
        self.assigned = {name: identifier for name, identifier in regrouped.items() if name in self.changed or self._stored_id(name) != identifier}
        touched = set(self.assigned.values()) | {self._stored_id(name) for name in self.assigned.keys() | self.changed} - {None}
        if self.stored:
            self._take(self.stored.rows_of_entities(touched))
        members: defaultdict[str, list[str]] = defaultdict(list)
        for name in self.stats:
            if (identifier := self._entity_id(name)) in touched:
                members[identifier].append(name)
        self.made = {identifier: named_entity(identifier, sorted(members[identifier]), self.stats) if members[identifier] else None for identifier in touched}
        self.regrouped = True

    def _changed_families(self) -> tuple[set[str], dict[str, list[str]]]:
        """The roots whose names the counts can have moved (of the changed names' key families,
        and of the one-word names that are words of those roots' names), and the groups read."""
        keys = {self.rows[name].key for name in self.changed if name in self.rows} | {self._key(name) for name in self.changed if name in self.stats}
        first = self._load_families(keys)
        words = {word for name in first | self.changed for word in name_words(name)}
        self.read(words)
        second = self._load_families({self._key(word) for word in words if word in self.stats})
        groups = self._universe()
        return {root for root, names in groups.items() if any(name in first or name in second for name in names)}, groups

    def _groups_with_evidence(self, trusted: set[str], groups: dict[str, list[str]]) -> tuple[dict[str, list[str]], dict[str, set[str]]]:
        """The groups as the keys make them, with every group that can decide where a regrouped
        one-word person goes: those a mention wrote as its word (its users) and a group that alone
        holds the word (whose surname it may be); of the other groups holding it, only their roots,
        by word (a first name is held by thousands of names: they only tell that more than one
        group holds it)."""
        words = {name for root in one_word_groups({root: groups[root] for root in trusted & groups.keys()}) for name in groups[root]}
        elsewhere, families = self._holder_roots(words)
        written = {name for name, stats in self.stats.items() if one_word_texts(stats.texts) & words}
        if self.stored:
            written |= self.stored.written_as(words)
            self.read(written)
        self._load_families(families | {self._key(name) for name in written if name in self.stats})
        groups = self._universe()
        if lone := self._lone_holders(words, groups, elsewhere) - self.loaded_keys:
            self._load_families(lone)
            groups = self._universe()
        return groups, elsewhere

    def _holder_roots(self, words: set[str]) -> tuple[dict[str, set[str]], set[str]]:
        """Of the names that hold these words: the roots of those of more than one word with a key
        of more than one (such a key is its group's root), by word, up to two from the store (two
        tell that no one group alone holds the word); the keys of the others, whose groups are
        read to tell whether they hold a name of more than one word."""
        held = [(word, name, self._key(name)) for name in self.stats for word in name_words(name) & words]
        if self.stored:  # the names the run read are as it counts them (or gone), the others as stored
            held += [(word, name, key) for word, name, key in self.stored.other_holders(words) if name not in self.rows]
        roots: defaultdict[str, set[str]] = defaultdict(set)
        families = set()
        for word, name, key in held:
            if len(name.split()) > 1 and " " in key:
                roots[word].add(key)
            else:
                families.add(key)
        for word in sorted(words) if self.stored else ():
            roots[word] |= self._stored_roots(word, families)
        return roots, families

    def _stored_roots(self, word: str, families: set[str]) -> set[str]:
        """Up to two roots of the stored multi-word names holding the word that the run did not
        read (adding to ``families`` the key of a name with a space at its edge only)."""
        found: set[str] = set()
        for name, key in self.stored.spaced_holders(word):
            if len(found) == 2:
                break
            if name in self.rows:
                continue
            if len(name.split()) > 1:
                found.add(key)
            else:
                families.add(key)
        return found

    @staticmethod
    def _lone_holders(words: set[str], groups: dict[str, list[str]], elsewhere: dict[str, set[str]]) -> set[str]:
        """The roots of the multi-word groups that alone hold one of these words."""
        held: defaultdict[str, set[str]] = defaultdict(set)
        for word, roots in elsewhere.items():
            held[word] |= roots
        for root in groups.keys() - set(one_word_groups(groups)):
            for name in groups[root]:
                for word in name_words(name) & words:
                    held[word].add(root)
        return {next(iter(roots)) for roots in held.values() if len(roots) == 1}

    def _load_families(self, keys: set[str]) -> set[str]:
        """Read every name of these keys' genitive families (going on up a family while its
        longest key read is there); returns the names of those families."""
        wanted = {family_key for key in keys for family_key in genitive_family(key)}
        while fresh := wanted - self.loaded_keys:
            if self.stored:
                self._take(self.stored.rows_with_keys(fresh))
            self.loaded_keys |= fresh
            present = self._present_keys()
            wanted = {key + "s" for key in fresh if key in present and " " not in key}
        stems = {key.rstrip("s") for key in keys if " " not in key}
        return {name for name in self.stats if (key := self._key(name)) in keys or (" " not in key and key.rstrip("s") in stems)}

    def _present_keys(self) -> set[str]:
        return {self._key(name) for name in self.stats}

    def _universe(self) -> dict[str, list[str]]:
        """The groups of every name whose whole key family is read."""
        return root_groups({name: key for name in self.stats if (key := self._key(name)) in self.loaded_keys})

    def _key(self, name: str) -> str:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = self._worked_out_key(name)
        return key

    def _worked_out_key(self, name: str) -> str:
        row = self.rows.get(name)
        if row and (name not in self.stats or is_place(self.stats[name]) == is_place(row.stats)):
            return row.key  # as stored: a key changes only with whether the name is a place's
        return name_key(name, self.stats[name])

    def _stored_id(self, name: str) -> str | None:
        row = self.rows.get(name)
        return row.entity_id if row else None

    def _entity_id(self, name: str) -> str | None:
        return self.assigned.get(name) or self._stored_id(name)

    def _stored_entities(self, ids: set[str]) -> dict[str, NamedEntity]:
        return self.stored.entities(ids) if self.stored and ids else {}
