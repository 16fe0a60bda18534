"""Language identification (eld: n-gram based, offline, fast)."""

from __future__ import annotations

from functools import cache

_MIN_CHARS = 20
_MIN_SCORE = 0.3


@cache
def _detector():
    from eld import LanguageDetector

    return LanguageDetector()


def identify(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short or unclear."""
    sample = text[:600]  # enough for a stable guess (see eval language); eld's cost grows with length
    if len(sample.strip()) < _MIN_CHARS:
        return None
    result = _detector().detect(sample)
    if not result.language:
        return None
    score = result.scores().get(result.language, 0.0)
    return result.language if score >= _MIN_SCORE else None
