"""One entity per real-world name across articles and languages.

Mentions are grouped by type and a matching key. For places the key is the GeoNames place that
lists the name as a variant (Moskau = Moscow, Kiew = Kyiv, Pjöngjang = Pyongyang). Otherwise the
key folds what varies between outlets and languages: case, accents, hyphens and spaces
("Kim Jong-un" = "Kim Jong Un"), and German versus English transliteration of Cyrillic and
Korean names ("Lawrow" = "Lavrov", "Tschyngyschew" = "Chyngyshev"), per the rules in
``data/transliteration.tsv``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from lagebild.extract.names import name_words, place_ids
from lagebild.model import Entity, Mention

_TYPE_PRIORITY = ("PER", "ORG", "LOC", "MISC")  # breaks ties between equally frequent types


@dataclass
class NameStats:
    """What the mentions of one name (a base form: "Kim Jong Un", "Putin") add up to."""

    types: Counter = field(default_factory=Counter)  # mentions by type
    named_types: Counter = field(default_factory=Counter)  # the same, role words ("den Machthaber") aside
    texts: set[str] = field(default_factory=set)  # as written, role words aside
    articles: int = 0  # articles that name it

    def add(self, mentions: list[Mention], sign: int = 1) -> None:
        """The mentions of this name in one article (``sign`` -1: take them away again)."""
        self.types.update({kind: sign * n for kind, n in Counter(m.type for m in mentions).items()})
        self.named_types.update({kind: sign * n for kind, n in Counter(m.type for m in mentions if not m.role).items()})
        self.types, self.named_types = +self.types, +self.named_types  # counts that reach 0 go
        if sign > 0:
            self.texts.update(mention.text for mention in mentions if not mention.role)
        self.articles += sign


@dataclass
class NamedEntity:
    """An entity as its names make it up (without its mentions)."""

    id: str
    name: str
    type: str
    variants: list[str]
    names: list[str]
    mentions: int
    articles: int  # summed over its names: an article naming it twice differently counts twice


def merge_mentions(mentions: list[Mention]) -> list[Entity]:
    """Group mentions by name key; a group takes the type most of its mentions have (the tagger
    sometimes reads "Moskaus Außenminister" as a person)."""
    by_name: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_name[mention.name].append(mention)
    stats = {}
    for name, members in by_name.items():
        stats[name] = NameStats()
        by_article: dict[str, list[Mention]] = defaultdict(list)
        for mention in members:
            by_article[mention.article_id].append(mention)
        for found in by_article.values():  # one article at a time, as a store counts them
            stats[name].add(found)
    entities = []
    for entity in group_names(stats):
        members = sorted((m for name in entity.names for m in by_name[name]), key=lambda m: (m.article_id, m.start))
        entities.append(Entity(entity.id, entity.name, entity.type, entity.variants, members))
    return sorted(entities, key=lambda e: (-len(e.mentions), e.name))


def group_names(stats: dict[str, NameStats]) -> list[NamedEntity]:
    """One entity per group of names: by name key (a place's GeoNames id where any mention of the
    name is a place), a one-word name's genitive with the name, and a one-word person name with
    the multi-word person the corpus shortens to it."""
    groups = root_groups({name: name_key(name, stat) for name, stat in stats.items()})
    owners = short_name_owners(groups, stats)
    members: dict[str, list[str]] = defaultdict(list)
    for root, names in groups.items():
        members[owners.get(root, root)].extend(names)
    return [named_entity(entity_id(key), names, stats) for key, names in members.items()]


def name_key(name: str, stats: NameStats) -> str:
    """What groups a name with others before genitives and short names join them."""
    return entity_key(name, is_place(stats))


def is_place(stats: NameStats) -> bool:
    """Whether a name is ever a place's (its key is then the place's, where a gazetteer knows it)."""
    return stats.types["LOC"] > 0


def root_groups(keys: dict[str, str]) -> dict[str, list[str]]:
    """Names (name -> its key) grouped by key, a key's genitive ('kirgistans') with the key
    ('kirgistan') where both are there: each name under the root its key leads to."""
    groups: dict[str, list[str]] = defaultdict(list)
    present = set(keys.values())
    for name, key in keys.items():
        groups[genitive_root(key, present)].append(name)
    return groups


def genitive_root(key: str, present: set[str]) -> str:
    """A one-word key ending in s joins the key without it when that is there, and so on down
    ("bisss", "biss" and "bis" are one); all the keys this reads are of ``genitive_family``."""
    while " " not in key and key.endswith("s") and key[:-1] in present:
        key = key[:-1]
    return key


def genitive_family(key: str) -> list[str]:
    """Every key whose genitive root may depend on whether ``key`` is there: the key's stem without
    its final s's, with up to as many s's as the key has and two more."""
    if " " in key:
        return [key]
    stem = key.rstrip("s")
    return [stem + "s" * count for count in range(len(key) - len(stem) + 3)]


def short_name_owners(groups: dict[str, list[str]], stats: dict[str, NameStats], holders_elsewhere: dict[str, set[str]] | None = None) -> dict[str, str]:
    """The multi-word person each one-word person group joins (``_attach_short_names``), decided
    on the groups as the keys make them (so one decision never depends on another's order).
    ``holders_elsewhere``: a word -> roots of multi-word groups holding it that ``groups`` leaves
    out (a store's, whose names a run need not read: ``link.entity_state``)."""
    types = {key: sum((stats[name].types for name in names), Counter()) for key, names in groups.items()}
    evidence = short_name_evidence(groups, types, stats)
    for word, roots in (holders_elsewhere or {}).items():
        evidence.holders[word] |= roots
    return dict(_attach_short_names(groups, types, stats, evidence))


def complete_names(mentions: dict[str, list[Mention]], texts: dict[str, str], known: dict[str, "NameStats"] | None = None) -> dict[str, list[Mention]]:
    """Each article's mentions, a name the tagger cut short made whole: when the text goes on with
    the rest of a longer name that the corpus holds ("Baltic" in "der Reederei Baltic Link 312
    Passagiere", where other reports name "Baltic Link"), the mention is that name. Mentions inside
    the completed one go. ``known``: the names of other articles (a store's), besides these."""
    longer: dict[str, dict[str, Counter]] = defaultdict(dict)  # first word -> longer name -> its types
    for name, stats in (known or {}).items():
        if " " in name and stats.named_types:
            longer[name.split()[0]][name] = Counter(stats.named_types)
    for found in mentions.values():
        for mention in found:
            if not mention.role and " " in mention.name:
                longer[mention.name.split()[0]].setdefault(mention.name, Counter())[mention.type] += 1
    lengths = {first: sorted({len(name) for name in names}, reverse=True) for first, names in longer.items()}
    return {article_id: _completed(found, texts[article_id], longer, lengths) for article_id, found in mentions.items()}


def _completed(found: list[Mention], text: str, longer: dict[str, dict[str, Counter]], lengths: dict[str, list[int]]) -> list[Mention]:
    completed = []
    for mention in found:
        name = None if mention.role else _longest_written(mention, text, longer, lengths)
        if name is not None:
            others = longer[mention.text][name]  # the mention's own type if the name has it elsewhere too
            kind = mention.type if others[mention.type] else _majority(others)
            mention = Mention(mention.article_id, mention.start, mention.start + len(name), name, kind, name)
        completed.append(mention)
    inside = _inside_others({(m.start, m.end) for m in completed})
    return [m for m in completed if (m.start, m.end) not in inside]


def _longest_written(mention: Mention, text: str, longer: dict[str, dict[str, Counter]], lengths: dict[str, list[int]]) -> str | None:
    """The longest known name that the text writes from the mention on, ending at a word's end.
    Asked by length (a frequent first word starts thousands of names; they have few lengths)."""
    names = longer.get(mention.text, {})
    for length in lengths.get(mention.text, ()):
        if length <= len(mention.text):
            break
        written = text[mention.start : mention.start + length]
        if written in names and not text[mention.start + length : mention.start + length + 1].isalnum():
            return written
    return None


def _inside_others(spans: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans another span holds (as the completed "Baltic Link" holds "Link"): in order of
    start, longest first, a span is held when one before it reaches as far (one pass, not pairs)."""
    held, reach = set(), -1
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if end <= reach:
            held.add((start, end))
        reach = max(reach, end)
    return held


@dataclass
class ShortNameEvidence:
    """What the multi-word groups say of each word a one-word person may be short for."""

    users: dict[str, list[str]]  # a word -> the multi-word people shortened to it
    holders: dict[str, set[str]]  # a word -> the multi-word groups of any type holding it
    surnames: dict[str, set[str]]  # a word -> the multi-word people it ends


def short_name_evidence(groups: dict[str, list[str]], types: dict[str, Counter], stats: dict[str, NameStats]) -> ShortNameEvidence:
    evidence = ShortNameEvidence(defaultdict(list), defaultdict(set), defaultdict(set))
    for key in (k for k in groups if _is_multi_word(groups[k])):
        person = _majority(types[key]) == "PER"
        for name in groups[key]:
            for word in name_words(name):
                evidence.holders[word].add(key)
            if person:
                evidence.surnames[name.split()[-1]].add(key)
        if person:
            written = set().union(*(stats[name].texts for name in groups[key]))
            for word in {word for name in groups[key] for word in name_words(name)} & written:
                evidence.users[word].append(key)
    return evidence


def one_word_groups(groups: dict[str, list[str]]) -> list[str]:
    return [key for key in groups if not _is_multi_word(groups[key])]


def _attach_short_names(groups: dict[str, list[str]], types: dict[str, Counter], stats: dict[str, NameStats], evidence: ShortNameEvidence) -> Iterator[tuple[str, str]]:
    """A one-word person name ("Merkel", "Kramp-Karrenbauer") left unresolved in its article joins
    a multi-word person of the corpus only on agreeing evidence: of the multi-word people that hold
    the word (as a word, or after a lower-case particle: "al-Assad"), the one that other articles
    shortened to this word (it is among its written forms), when it is the only one so shortened or
    is named in far more articles than each other one ("Trump" is Donald Trump, not Donald Trump
    Jr.); failing that, the one person whose surname it is, if nothing else holds the word. A first
    name never used alone for anyone ("Assad" of "Assad Omar", "Napoleon" of "Napoleon Dynamite")
    joins no one; "Bush", used for three Bushes, joins none of them."""
    for key in [k for k in one_word_groups(groups) if _majority(types[k]) == "PER"]:
        names = groups[key]
        owner = _evidenced_owner({user for name in names for user in evidence.users.get(name, ())}, groups, stats) or _only_surname_holder(names, evidence.holders, evidence.surnames)
        if owner:
            yield key, owner


DOMINANCE = 5  # a short form goes to the one of its users named in this many times the articles of any other


def _evidenced_owner(users: set[str], groups: dict[str, list[str]], stats: dict[str, NameStats]) -> str | None:
    if len(users) < 2:
        return next(iter(users), None)
    articles = sorted(((sum(stats[name].articles for name in groups[user]), user) for user in users), reverse=True)
    return articles[0][1] if articles[0][0] >= DOMINANCE * articles[1][0] else None


def _only_surname_holder(names: list[str], holders: dict[str, set[str]], surname_of: dict[str, set[str]]) -> str | None:
    """Failing such evidence, the one person whose name ends with the word (a surname: "Hagedorn"
    of "Jens Hagedorn"), when no other multi-word name of any type holds it ("Trump Tower"); when
    the group's spellings are the surnames of two people ("Bashir" of one, "Baschir" of another),
    of neither."""
    owners = set()
    for name in names:
        people = surname_of.get(name, set())
        if len(people) == 1 and holders.get(name, set()) == people:
            owners |= people
    return next(iter(owners)) if len(owners) == 1 else None


def _is_multi_word(names: list[str]) -> bool:
    """Whether a group's names are written in more than one word ("Mikl-Leitner" is one)."""
    return any(len(name.split()) > 1 for name in names)


def _majority(counts: Counter) -> str:
    return min(counts, key=lambda kind: (-counts[kind], _TYPE_PRIORITY.index(kind)))


@lru_cache(maxsize=1 << 17)  # a run asks again for the keys of the names it reads (bounded: names are untrusted text)
def entity_key(name: str, is_place: bool) -> str:
    """The GeoNames id for a known place name, else the transliteration key."""
    if is_place:
        place = place_ids().get(name.casefold())
        if place:
            return place
    return transliteration_key(name)


def transliteration_key(name: str) -> str:
    """A spelling-independent key: 'Sergej Lawrow', 'Sergey Lavrov' -> 'sergey lavrov'."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"[-‐'’.\s]+", " ", folded).strip()
    for pattern, replacement in _transliteration_rules():
        folded = pattern.sub(replacement, folded)
    return folded


@cache
def _transliteration_rules() -> tuple[tuple[re.Pattern, str], ...]:
    text = resources.files("lagebild").joinpath("data", "transliteration.tsv").read_text(encoding="utf-8")
    rules = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, replacement = line.split("\t")
            rules.append((re.compile(pattern), replacement))
    return tuple(rules)


def entity_id(key: str) -> str:
    """The id of the entity a group of names makes: stable while its root key stays."""
    return "e-" + hashlib.sha1(key.encode()).hexdigest()[:12]


def named_entity(identifier: str, names: list[str], stats: dict[str, NameStats]) -> NamedEntity:
    counts = {name: sum(stats[name].types.values()) for name in names}
    # the most frequent full form; ties go to the longer, then alphabetically first
    canonical = min(counts, key=lambda n: (-counts[n], -len(n), n))
    variants = sorted(set().union(*(stats[name].texts for name in names)) | set(names))  # "Machthaber" is no name
    kind = _majority(sum((stats[name].types for name in names), Counter()))
    return NamedEntity(identifier, canonical, kind, variants, sorted(names), sum(counts.values()), sum(stats[name].articles for name in names))
