"""Article dates from metadata, kept at their known precision ("2025", "2025-07", "2025-07-12")."""

from __future__ import annotations

import re
import time
from datetime import datetime
from email.utils import parsedate_to_datetime

_ISO_PREFIX = re.compile(r"\A(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?=\Z|[T ]\d|T)")
_GERMAN_NUMERIC = re.compile(r"\A(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def normalise_date(value) -> str | None:
    """An ISO date prefix from a metadata value (ISO text, RFC 2822, dd.mm.yyyy, struct_time)."""
    if value is None:
        return None
    if isinstance(value, time.struct_time):
        return time.strftime("%Y-%m-%d", value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = str(value).strip()
    match = _ISO_PREFIX.match(text)
    if match:
        return _checked("-".join(part for part in match.groups() if part))
    match = _GERMAN_NUMERIC.match(text)
    if match:
        day, month, year = match.groups()
        return _checked(f"{year}-{int(month):02d}-{int(day):02d}")
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _checked(iso: str) -> str | None:
    """The prefix itself if it names a real year, month or day, else None."""
    padded = iso + "-01" * (2 - iso.count("-"))
    try:
        datetime.strptime(padded, "%Y-%m-%d")
    except ValueError:
        return None
    return iso
