"""Per-language knowledge, kept as data files under ``lang/<code>/`` and ``data/``.

Adding a language means adding a folder with the same file names; code never lists words.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

SUPPORTED = ("de", "en")


def _read_lines(path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _package_dir(*parts: str):
    return resources.files("lagebild").joinpath(*parts)


@cache
def word_list(language: str, name: str) -> frozenset[str]:
    """A ``lang/<language>/<name>.txt`` word list; empty for a language that lacks it."""
    path = _package_dir("lang", language, f"{name}.txt")
    listed = _read_lines(path) if path.is_file() else []
    variants = settings(language, "grammar").get("spelling_variants", {})  # Swiss German writes "hiess" for "hieß"
    return frozenset(listed + [word.replace(a, b) for word in listed for a, b in variants.items() if a in word])


@cache
def translations(language: str) -> dict[str, str]:
    """``lang/<language>/translations_en.tsv``: casefolded base form -> English base form (empty
    for English and for a language without a table)."""
    path = _package_dir("lang", language, "translations_en.tsv")
    table: dict[str, str] = {}
    for line in _read_lines(path) if path.is_file() else ():
        base, english, _ = line.split("\t")
        table.setdefault(base, english)  # noun before verb of the same letters ("Wagen", "wagen")
    return table


@cache
def settings(language: str | None, name: str) -> dict:
    """The language's settings of that name; none for an unknown language or none identified."""
    if not language:
        return {}
    path = _package_dir("lang", language, f"{name}.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def words(language: str | None, name: str) -> frozenset[str]:
    """The language's list if lagebild knows the language, else the union over all languages."""
    return word_list(language, name) if language in SUPPORTED else all_languages_list(name)


@cache
def all_languages_list(name: str) -> frozenset[str]:
    """The union of one word list over every language, for steps that run before language id."""
    return frozenset().union(*(word_list(code, name) for code in SUPPORTED))


@cache
def all_languages_setting(name: str, key: str) -> tuple[str, ...]:
    values: list[str] = []
    for code in SUPPORTED:
        values.extend(settings(code, name).get(key, []))
    return tuple(dict.fromkeys(values))


def alternation(words) -> str:
    """A regex alternation of literal words, longest first (so "mehr als" beats "mehr")."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


@cache
def shared_list(name: str) -> frozenset[str]:
    """A language-independent list from ``data/<name>.txt``, lower-cased for matching."""
    return frozenset(line.lower() for line in _read_lines(_package_dir("data", f"{name}.txt")))
