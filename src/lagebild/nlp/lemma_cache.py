"""simplemma's dictionaries decoded once per machine, not once per process.

simplemma ships each language's dictionary front-coded and compressed; decoding the German one
takes 1.5 to 2.5 seconds, and every process that lemmatises pays it: the linking process and each
worker of a run, so a run of a hundred articles spent several seconds of CPU on it. The decoded
mapping is kept in the user's cache folder (``marshal``: plain bytes to bytes, read back in a
third of the time) and read from there; the file is named by simplemma's and Python's versions,
so an upgrade of either decodes afresh. Where the cache cannot be read or written (no home, a
read-only disk) simplemma decodes as it always did: the lemmas are the same either way.
"""

from __future__ import annotations

import marshal
import sys
from functools import lru_cache

import simplemma
from simplemma.strategies.dictionaries import dictionary_factory as factories

from lagebild import user_cache


def install() -> None:
    """Have simplemma's process-wide dictionary factory read decoded dictionaries from the cache.
    Does nothing where simplemma's internals are not those of the version this was written for."""
    factory = getattr(factories, "DEFAULT_DICTIONARY_FACTORY", None)
    if factory is None or not all(hasattr(factories, name) for name in ("MappingStrToByteString", "_load_dictionary_from_disk")):
        return
    factory._get_dictionary = lru_cache(maxsize=8)(lambda lang: factories.MappingStrToByteString(_decoded(lang)))


def _decoded(lang: str) -> dict[bytes, bytes]:
    path = user_cache.folder() / f"simplemma-{simplemma.__version__}-{lang}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not there yet, or unreadable: decode, and keep it for the next process
    decoded = factories._load_dictionary_from_disk(lang)
    user_cache.write_whole(path, marshal.dumps(decoded))
    return decoded
