"""simplemma's dictionaries decoded once per machine, and read in place, not loaded, per process.

simplemma ships each language's dictionary front-coded and compressed; decoding the German one
(1.1 million words) takes 1.5 to 2.5 seconds, and every process that lemmatises pays it: the
linking process and each worker of a run. Kept decoded (``marshal``), reading it back still took
0.8 s per process, most of what a run of a hundred articles spent before its first word. So the
decoded mapping is kept in the user's cache folder as a hash table on disk (``DiskDictionary``),
which a process maps into memory and looks words up in where they lie: opening it costs nothing,
and the processes of a run share one copy in the page cache. The file is named by simplemma's
and Python's versions, so an upgrade of either decodes afresh. Where the cache cannot be read or
written (no home, a read-only disk) simplemma decodes as it always did: the lemmas are the same
either way.
"""

from __future__ import annotations

import mmap
import struct
import sys
import zlib
from array import array
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import simplemma
from simplemma.strategies.dictionaries import dictionary_factory as factories

from lagebild import user_cache

_MAGIC = b"LGBDICT1"
_HEADER = struct.Struct("<8sQQQ")  # magic, slots, entries, the file's size (a cut file is not read)
_RECORD = struct.Struct("<HH")  # a word's length and its lemma's, in bytes


def install() -> None:
    """Have simplemma's process-wide dictionary factory read decoded dictionaries from the cache.
    Does nothing where simplemma's internals are not those of the version this was written for."""
    factory = getattr(factories, "DEFAULT_DICTIONARY_FACTORY", None)
    needed = ("MappingStrToByteString", "DecodedStrMapping", "_load_dictionary_from_disk")
    if factory is None or not all(hasattr(factories, name) for name in needed):
        return
    factory._get_dictionary = lru_cache(maxsize=8)(_dictionary)


def _dictionary(lang: str):
    tag = f"{lang}-py{sys.version_info[0]}{sys.version_info[1]}"
    path = user_cache.folder() / f"simplemma-{simplemma.__version__}-{tag}.table"
    if (table := _opened(path)) is None:
        decoded = factories._load_dictionary_from_disk(lang)  # not there yet, or damaged: decode, and keep it
        user_cache.write_whole(path, table_bytes(decoded))
        table = _opened(path)
        if table is None:
            return factories.MappingStrToByteString(decoded)  # no cache: held in memory, as simplemma does
    _drop_older(path, tag)
    return table


def _drop_older(kept: Path, tag: str) -> None:
    """The keepings of other simplemma versions, and the decoded dictionaries (``.marshal``, tens
    of megabytes) that lagebild's earlier code kept, go once this one is kept: nothing reads them."""
    for older in kept.parent.glob(f"simplemma-*-{tag}.*"):
        if older != kept and older.suffix in (".table", ".marshal"):  # not another process's file being written
            older.unlink(missing_ok=True)


def _opened(path: Path) -> DiskDictionary | None:
    try:
        return DiskDictionary(path)
    except (OSError, ValueError):
        return None


def table_bytes(decoded: dict[bytes, bytes]) -> bytes:
    """The hash table of a word -> lemma mapping: slots holding each record's place (0: empty;
    open addressing, at most half full), then the records (lengths, word, lemma)."""
    slot_count = 1 << max(4, (2 * len(decoded) - 1).bit_length())
    mask, slots = slot_count - 1, array("I", bytes(4 * slot_count))
    records = bytearray()
    start = _HEADER.size + slots.itemsize * slot_count
    for word, lemma in decoded.items():
        if len(word) > 0xFFFF or len(lemma) > 0xFFFF:
            raise ValueError("a dictionary entry longer than a table record holds")
        slot = zlib.crc32(word) & mask
        while slots[slot]:
            slot = (slot + 1) & mask
        slots[slot] = start + len(records)
        records += _RECORD.pack(len(word), len(lemma)) + word + lemma
    if start + len(records) > 0xFFFFFFFF:
        raise ValueError("a dictionary larger than a table holds")
    size = start + len(records)
    return _HEADER.pack(_MAGIC, slot_count, len(decoded), size) + slots.tobytes() + records


class DiskDictionary(factories.DecodedStrMapping):
    """A dictionary of ``table_bytes`` looked up in place (the file mapped, never read whole)."""

    __slots__ = ("_data", "_slots", "_mask", "_entries")

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as handle:
            self._data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if len(self._data) < _HEADER.size:
            raise ValueError(f"{path} is not a dictionary table")
        magic, slot_count, self._entries, size = _HEADER.unpack_from(self._data)
        if magic != _MAGIC or size != len(self._data) or slot_count & (slot_count - 1) or _HEADER.size + 4 * slot_count > size:
            raise ValueError(f"{path} is not a whole dictionary table")
        self._slots = memoryview(self._data)[_HEADER.size : _HEADER.size + 4 * slot_count].cast("I")
        self._mask = slot_count - 1

    def _lookup(self, key: str) -> str | None:
        word, data, slots, mask = key.encode(), self._data, self._slots, self._mask
        slot = zlib.crc32(word) & mask
        while place := slots[slot]:
            word_length, lemma_length = _RECORD.unpack_from(data, place)
            start = place + _RECORD.size
            if word_length == len(word) and data[start : start + word_length] == word:
                return data[start + word_length : start + word_length + lemma_length].decode()
            slot = (slot + 1) & mask
        return None

    def __iter__(self) -> Iterator[str]:
        for place in self._slots:
            if place:
                word_length, _ = _RECORD.unpack_from(self._data, place)
                yield self._data[place + _RECORD.size : place + _RECORD.size + word_length].decode()

    def __len__(self) -> int:
        return self._entries
