"""Report records for wire-copy reuse: the `reuse` list and the shared/own marks on articles."""

from __future__ import annotations

from lagebild.groups import Groups
from lagebild.model import Article, ReuseLink, Sentence, SentenceAlignment


def reuse_records(links: list[ReuseLink], documents: dict[str, tuple[Article, list[Sentence]]]) -> list[dict]:
    """One record per linked pair (``documents``: by id, both sides of every link)."""
    records = []
    for link in links:
        (a, a_sentences), (b, b_sentences) = documents[link.article_a], documents[link.article_b]
        records.append(
            {
                "article_ids": [a.id, b.id],
                "kind": link.kind,
                "passages": [_passage(run, a, a_sentences, b, b_sentences) for run in _runs(link.alignments)],
                "direction": link.direction,
                "direction_reason": link.direction_reason,
                "credits": {a.id: a.credits, b.id: b.credits},
                "shared_sentences": len(link.alignments),
            }
        )
    return records


def mark_reuse(records_by_id: dict[str, dict], links: list[ReuseLink], rank: dict[str, tuple]) -> None:
    """Mark on the article records given (others may be named by the links): each sentence's
    sharers, and each near-duplicate's earliest copy (``duplicate_of``; ``rank``: every article of
    the links -> (date or "9999", arrival), the earliest first)."""
    for link in links:
        for article_id, other, side in ((link.article_a, link.article_b, "a"), (link.article_b, link.article_a, "b")):
            if article_id in records_by_id:
                for match in link.alignments:
                    records_by_id[article_id]["sentences"][getattr(match, side)]["shared_with"].append(other)
    groups = Groups(order=rank.__getitem__)
    for link in links:
        if link.kind == "duplicate":
            groups.join(link.article_a, link.article_b)
    for article_id, record in records_by_id.items():
        root = groups.root(article_id)
        record["duplicate_of"] = root if root != article_id else None


def _runs(alignments: list[SentenceAlignment]) -> list[list[SentenceAlignment]]:
    """Consecutive aligned sentences (next in both articles) form one passage."""
    runs: list[list[SentenceAlignment]] = []
    for match in sorted(alignments, key=lambda m: m.a):
        previous = runs[-1][-1] if runs else None
        if previous and match.a == previous.a + 1 and match.b == previous.b + 1:
            runs[-1].append(match)
        else:
            runs.append([match])
    return runs


def _passage(run: list[SentenceAlignment], a: Article, a_sentences, b: Article, b_sentences) -> dict:
    start_a, end_a = a_sentences[run[0].a].start, a_sentences[run[-1].a].end
    start_b, end_b = b_sentences[run[0].b].start, b_sentences[run[-1].b].end
    words = sum(match.words for match in run) or 1
    return {
        "text_a": a.text[start_a:end_a],
        "text_b": b.text[start_b:end_b],
        "similarity": round(sum(match.similarity * match.words for match in run) / words, 3),
        "start_a": start_a,
        "end_a": end_a,
        "start_b": start_b,
        "end_b": end_b,
        "sentences": [{"a": match.a, "b": match.b, "similarity": match.similarity} for match in run],
    }
