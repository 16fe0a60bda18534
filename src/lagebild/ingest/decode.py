"""Bytes to text: binary refusal, encoding detection, repair of double-encoded UTF-8, Unicode
normalisation."""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes


class UnreadableInput(Exception):
    """Raised with a one-line, user-facing reason why a file or record cannot be read."""


# Magic numbers of formats that are certainly not article text.
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
    b"\x1f\x8b": "a gzip file that is not a WARC",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # C0 and C1 but tab, newlines, form feed
_WESTERN_PUNCTUATION = set("„“”‚‘’«»‹›–—…•·€£§°±²³µ×÷\xa0")


def decode(data: bytes) -> str:
    """Decode article bytes to NFC text, or raise UnreadableInput saying why not."""
    return decode_with_notes(data)[0]


def decode_with_notes(data: bytes) -> tuple[str, list[str]]:
    """Like decode, plus warnings about repairs (replaced bytes, guessed encoding)."""
    if not data.strip():
        raise UnreadableInput("empty file")
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise UnreadableInput(f"binary file ({what}), not text")
    text, notes = _decode_with_bom(data), []
    if text is None:
        if b"\x00" in data[:4096]:
            raise UnreadableInput("binary file (contains NUL bytes), not text")
        text, notes = _decode_guessing(data)
    if _control_share(text) > 0.01:
        raise UnreadableInput("binary content: too many control characters to be text")
    return normalise(text), notes


def repair_mojibake(text: str) -> tuple[str, bool]:
    """UTF-8 read once too often ("FÃ¤hre vor RÃ¼gen") made right again (ftfy's encoding fix
    alone: quotation marks and the like stay as written); ftfy's quick check spares clean text the
    repair. Returns the text and whether it was repaired."""
    if not looks_like_mojibake(text):
        return text, False
    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
MOJIBAKE_REACH = 7  # characters: the longest sequence ftfy's quick check looks for


def looks_like_mojibake(text: str) -> bool:
    """ftfy's quick check (``ftfy.badness.is_bad``), asked only around the text's non-ASCII
    characters: each sequence it looks for holds one and is at most ``MOJIBAKE_REACH`` long, so
    the answer is the same, and German text, mostly ASCII, is read a fifth as long (the check
    over every position cost 1.7 ms an article, a POST's largest share)."""
    start = end = -1
    for run in _NOT_ASCII.finditer(text):
        if run.start() - MOJIBAKE_REACH > end:  # a new window: look in the one before
            if end >= 0 and ftfy.badness.BADNESS_RE.search(text, start, end):
                return True
            start = max(0, run.start() - MOJIBAKE_REACH)
        end = run.end() + MOJIBAKE_REACH
    return end >= 0 and ftfy.badness.BADNESS_RE.search(text, start, end) is not None


def normalise(text: str) -> str:
    """NFC and unified newlines; the character sequence a reader sees is otherwise unchanged."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableInput(f"undecodable: not valid {encoding} despite its byte-order mark") from error
    return None


def _decode_guessing(data: bytes) -> tuple[str, list[str]]:
    """UTF-8, then UTF-8 with a few bad bytes, then Windows-1252, then a statistical guess."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    repaired = data.decode("utf-8", errors="replace")
    bad = repaired.count("\ufffd")
    valid_non_ascii = sum(1 for char in repaired if not char.isascii()) - bad
    if valid_non_ascii > 2 * bad:  # mostly valid multi-byte sequences: UTF-8 with a few damaged bytes
        return repaired, [f"{bad} byte(s) that are not UTF-8 replaced by \ufffd"]
    try:
        western = data.decode("cp1252")
        if _implausible_share(western) < 0.01:
            return western, ["decoded as Windows-1252 (not UTF-8)"]
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:65536]).best()
    if best is None:
        raise UnreadableInput("undecodable: no text encoding fits these bytes")
    try:
        return data.decode(best.encoding), [f"encoding guessed as {best.encoding}"]
    except (UnicodeDecodeError, LookupError) as error:
        raise UnreadableInput(f"undecodable: looks like {best.encoding} but does not decode as it") from error


def _implausible_share(text: str) -> float:
    """Share of characters rarely seen in Western European text (a sign of a wrong code page)."""
    odd = sum(1 for char in text if not (char.isascii() or char.isalpha() or char in _WESTERN_PUNCTUATION))
    return odd / max(1, len(text))


def _control_share(text: str) -> float:
    sample = text[:20000]
    return len(_CONTROL_CHARACTERS.findall(sample)) / max(1, len(sample))
