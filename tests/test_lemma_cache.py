"""simplemma's dictionaries decoded once per machine and read in place: the same lemmas from the cache as without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

WORDS = ["Soldaten", "Häuser", "ging", "Maßnahmen", "Fähren", "unbekanntwort"]
PROGRAM = f"""
import json, simplemma
import lagebild.nlp
print(json.dumps([[simplemma.lemmatize(w, lang="de"), simplemma.is_known(w, lang="de")] for w in {WORDS!r}]))
"""
PLAIN = f"""
import json, simplemma
print(json.dumps([[simplemma.lemmatize(w, lang="de"), simplemma.is_known(w, lang="de")] for w in {WORDS!r}]))
"""


def _lemmas(program: str, cache_home) -> list:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, env=environment, check=True)
    return json.loads(done.stdout)


def test_the_decoded_dictionary_is_kept_and_gives_simplemmas_own_lemmas(tmp_path):
    plain = _lemmas(PLAIN, tmp_path / "unused")
    first = _lemmas(PROGRAM, tmp_path)  # decodes and keeps it
    [kept] = list((tmp_path / "lagebild").glob("simplemma-*-de-*.table"))
    second = _lemmas(PROGRAM, tmp_path)  # reads it
    assert first == second == plain and plain[0] == ["Soldat", True]
    kept.write_bytes(b"\x00broken")  # a damaged cache is decoded afresh and written again
    assert _lemmas(PROGRAM, tmp_path) == plain and kept.stat().st_size > 1000


def test_older_keepings_of_a_dictionary_go(tmp_path):
    folder = tmp_path / "lagebild"
    folder.mkdir()
    tag = f"de-py{sys.version_info[0]}{sys.version_info[1]}"
    older = [folder / f"simplemma-2.0.0-{tag}.marshal", folder / f"simplemma-0.9-{tag}.table"]
    other_language = folder / f"simplemma-0.9-en-py{sys.version_info[0]}{sys.version_info[1]}.table"
    for path in [*older, other_language]:
        path.write_bytes(b"old")
    assert _lemmas(PROGRAM, tmp_path)[0] == ["Soldat", True]
    assert not any(path.exists() for path in older) and other_language.exists()
    assert len(list(folder.glob(f"simplemma-*-{tag}.table"))) == 1


def test_without_a_writable_cache_simplemma_decodes_as_always(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert _lemmas(PROGRAM, blocked) == _lemmas(PLAIN, tmp_path / "unused")


def test_a_dictionary_table_answers_as_the_mapping_it_was_made_from(tmp_path):
    from lagebild.nlp.lemma_cache import DiskDictionary, table_bytes

    words = {f"wort{n}".encode(): f"lemma{n % 7}".encode() for n in range(3000)} | {"Fähren".encode(): "Fähre".encode(), b"": b""}
    path = tmp_path / "words.table"
    path.write_bytes(table_bytes(words))
    table = DiskDictionary(path)
    assert len(table) == len(words) and sorted(table) == sorted(word.decode() for word in words)
    assert all(table[word.decode()] == lemma.decode() for word, lemma in words.items())
    assert table.get("Fähre") is None and table.get("wort3000") is None and table.get("Fähren") == "Fähre"
    path.write_bytes(table_bytes(words)[:-3])  # cut short: refused, never read past its end
    with pytest.raises(ValueError):
        DiskDictionary(path)
