"""simplemma's dictionaries decoded once per machine: the same lemmas from the cache as without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
    [kept] = list((tmp_path / "lagebild").glob("simplemma-*-de-*.marshal"))
    second = _lemmas(PROGRAM, tmp_path)  # reads it
    assert first == second == plain and plain[0] == ["Soldat", True]
    kept.write_bytes(b"\x00broken")  # a damaged cache is decoded afresh and written again
    assert _lemmas(PROGRAM, tmp_path) == plain and kept.stat().st_size > 1000


def test_without_a_writable_cache_simplemma_decodes_as_always(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert _lemmas(PROGRAM, blocked) == _lemmas(PLAIN, tmp_path / "unused")
