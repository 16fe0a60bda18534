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
from functools import cache
from importlib import resources

from lagebild.model import Entity, Mention

_TYPE_PRIORITY = ("PER", "ORG", "LOC", "MISC")  # breaks ties between equally frequent types


def merge_mentions(mentions: list[Mention]) -> list[Entity]:
    """Group mentions by name key; a group takes the type most of its mentions have (the tagger
    sometimes reads "Moskaus Außenminister" as a person)."""
    groups: dict[str, list[Mention]] = defaultdict(list)
    places = {mention.name for mention in mentions if mention.type == "LOC"}
    for mention in mentions:
        groups[entity_key(mention.name, mention.name in places)].append(mention)
    _attach_genitives(groups)
    _attach_short_names(groups)
    entities = [_entity(_majority_type(members), key, members) for key, members in groups.items()]
    return sorted(entities, key=lambda e: (-len(e.mentions), e.name))


def complete_names(mentions: dict[str, list[Mention]], texts: dict[str, str]) -> dict[str, list[Mention]]:
    """Each article's mentions, a name the tagger cut short made whole: when the text goes on with
    the rest of a longer name that the corpus holds ("Baltic" in "der Reederei Baltic Link 312
    Passagiere", where other reports name "Baltic Link"), the mention is that name. Mentions inside
    the completed one go."""
    typed: dict[str, list[Mention]] = defaultdict(list)
    for found in mentions.values():
        for mention in found:
            if not mention.role and " " in mention.name:
                typed[mention.name].append(mention)
    longer: dict[str, dict[str, list[Mention]]] = defaultdict(dict)  # first word -> longer name -> its mentions
    for name, members in typed.items():
        longer[name.split()[0]][name] = members
    return {article_id: _completed(found, texts[article_id], longer) for article_id, found in mentions.items()}


def _completed(found: list[Mention], text: str, longer: dict[str, dict[str, list[Mention]]]) -> list[Mention]:
    completed = []
    for mention in found:
        names = [
            name for name in longer.get(mention.text, ())
            if len(name) > len(mention.text) and text.startswith(name, mention.start)
            and not text[mention.start + len(name) : mention.start + len(name) + 1].isalnum()
        ]
        if names and not mention.role:
            name = max(names, key=len)
            others = longer[mention.text][name]  # the mention's own type if the name has it elsewhere too
            kind = mention.type if any(m.type == mention.type for m in others) else _majority_type(others)
            mention = Mention(mention.article_id, mention.start, mention.start + len(name), name, kind, name)
        completed.append(mention)
    spans = [(m.start, m.end) for m in completed]
    return [m for m in completed if not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in spans)]


def _attach_genitives(groups: dict[str, list[Mention]]) -> None:
    """'Kirgistans' joins 'Kirgistan' when the corpus has both forms of a one-word name."""
    for key in [k for k in groups if k.endswith("s") and " " not in k and k[:-1] in groups]:
        groups[key[:-1]].extend(groups.pop(key))


def _attach_short_names(groups: dict[str, list[Mention]]) -> None:
    """A one-word person name ("Kim") left unresolved in its article joins the one multi-word
    person of the corpus whose name contains it, if there is exactly one."""
    people = [key for key, members in groups.items() if " " in key and _majority_type(members) == "PER"]
    for key in [k for k, members in groups.items() if " " not in k and _majority_type(members) == "PER"]:
        owners = [person for person in people if key in person.split()]
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(key))


def _majority_type(members: list[Mention]) -> str:
    counts = Counter(mention.type for mention in members)
    return min(counts, key=lambda kind: (-counts[kind], _TYPE_PRIORITY.index(kind)))


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


@cache
def place_ids() -> dict[str, str]:
    """Casefolded place-name variant -> place id (first listed place wins: countries, then the
    most populous city)."""
    ids: dict[str, str] = {}
    for line in data_lines("places.tsv"):
        identifier, name, _, variants = line.split("\t")
        for variant in [name, *variants.split("|")]:
            ids.setdefault(variant.casefold(), identifier)
    for line in data_lines("place_variants.tsv"):  # spellings CLDR lacks ("Kirgistan")
        identifier, variants = line.split("\t")
        for variant in variants.split("|"):
            ids.setdefault(variant.casefold(), identifier)
    return ids


def data_lines(name: str) -> list[str]:
    """The rows of a shipped ``data/<name>`` table, comments dropped."""
    text = resources.files("lagebild").joinpath("data", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def _entity(kind: str, key: str, members: list[Mention]) -> Entity:
    names = Counter(mention.name for mention in members)
    # the most frequent full form; ties go to the longer, then alphabetically first
    canonical = min(names, key=lambda n: (-names[n], -len(n), n))
    variants = sorted({mention.text for mention in members if not mention.role} | set(names))  # "Machthaber" is no name
    identifier = "e-" + hashlib.sha1(key.encode()).hexdigest()[:12]
    ordered = sorted(members, key=lambda m: (m.article_id, m.start))
    return Entity(identifier, canonical, kind, variants, ordered)
