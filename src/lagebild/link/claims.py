"""Claims about the same quantity across a story's articles, compared as intervals.

Claims group by story, counted thing and role (what the number is of: the injured, those aboard,
a company's revenue; in English for all languages, so that "2.400 Stellen" meets "2,400 jobs"), modality (what happened versus what is planned or possible) and whether
they count additional ones ("weitere"). Counts of people in one role compare whatever noun they
count with ("37 Menschen kamen ums Leben" and "35 Tote"); a claim whose sentence names no role
compares only with others that name none. A group with claims from at least two articles, or
from two sources of one article ("Nach Angaben der IG Metall ... rund 3.000 Menschen. Die
Polizei sprach von etwa 1.800 Teilnehmern"), is labelled: ``agreeing`` (same interval),
``compatible`` (the intervals overlap) or ``conflicting`` (two precise claims cannot both be
true). Vague counts ("Tausende") never make a conflict.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from lagebild import lang
from lagebild.model import Claim

PROSPECTIVE = {"plan", "possibility"}


def compare_claims(claims: list[Claim], story_of_article: dict[str, str], relayed_by: dict[str, str | None] | None = None) -> list[dict]:
    """``relayed_by``: claim id -> whom the article cites for it (its quotation's speaker or relay)."""
    relayed_by = relayed_by or {}
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.unit:
            outlook = "planned or possible" if claim.modality in PROSPECTIVE else "reported"
            groups[(story_of_article.get(claim.article_id), _thing(claim), outlook, claim.increment)].append(claim)
    found = []
    for (_, _, outlook, increment), members in groups.items():
        voices = {(claim.article_id, relayed_by.get(claim.id)) for claim in members}
        if len({claim.article_id for claim in members}) < 2 and len(voices) < 2:
            continue
        found.append({
            "about": f"{'additional ' if increment else ''}{_counted(members[0])} ({outlook})",
            "claim_ids": [claim.id for claim in members],
            "kind": _kind(members),
            "range": _range(members),
        })
    return sorted(found, key=lambda g: ({"conflicting": 0, "compatible": 1, "agreeing": 2}[g["kind"]], g["about"]))


def _thing(claim: Claim) -> tuple[str | None, str | None]:
    """What a claim counts in one language for all (``in_english`` of ``lang/<code>/claims.json``):
    "2.400 Stellen" and "2,400 jobs" are one quantity, and so are a Verlust and a loss."""
    if claim.role and claim.unit in lang.all_languages_setting("claims", "people_nouns"):
        return "people", claim.role
    english = _in_english()
    return english.get(claim.unit, claim.unit), english.get(claim.role, claim.role)


@cache
def _in_english() -> dict[str, str]:
    merged: dict[str, str] = {}
    for code in lang.SUPPORTED:
        merged.update(lang.settings(code, "claims").get("in_english", {}))
    return merged


def _counted(claim: Claim) -> str:
    """What a claim counts, as its group is labelled: "people injured", "Euro, Umsatz", "Soldat"."""
    if claim.role and claim.unit in lang.all_languages_setting("claims", "people_nouns"):
        return f"people {claim.role}"
    return f"{claim.unit}, {claim.role}" if claim.role else str(claim.unit)


def _kind(members: list[Claim]) -> str:
    if any(conflicting_pair(a, b) for i, a in enumerate(members) for b in members[i + 1 :]):
        return "conflicting"
    if len({(claim.low, claim.high) for claim in members}) == 1:
        return "agreeing"
    return "compatible"


def conflicting_pair(a: Claim, b: Claim) -> bool:
    """Two precise claims of one quantity that cannot both be true: their intervals are disjoint."""
    return a.value is not None and b.value is not None and (a.high < b.low or b.high < a.low)


def _range(members: list[Claim]) -> dict:
    values = [claim.value for claim in members if claim.value is not None]
    return {"min_value": min(values) if values else None, "max_value": max(values) if values else None}
