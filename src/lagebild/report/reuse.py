"""Report records for wire-copy reuse: the `reuse` list and the shared/own marks on articles."""

from __future__ import annotations

from lagebild.groups import Groups
from lagebild.model import Article, ReuseLink, Sentence, SentenceAlignment


def reuse_records(links: list[ReuseLink], documents: list[tuple[Article, list[Sentence]]], article_records: list[dict]) -> list[dict]:
    """One record per linked pair; also marks, on the article records, each sentence's sharers
    and each near-duplicate's earliest copy (``duplicate_of``)."""
    by_id = {article.id: (article, sentences) for article, sentences in documents}
    records_by_id = {record["id"]: record for record in article_records}
    records = []
    for link in links:
        (a, a_sentences), (b, b_sentences) = by_id[link.article_a], by_id[link.article_b]
        _mark_shared(records_by_id, link)
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
    _mark_duplicates(links, records_by_id, order=[article.id for article, _ in documents])
    return records


def _mark_shared(records_by_id: dict, link: ReuseLink) -> None:
    for match in link.alignments:
        records_by_id[link.article_a]["sentences"][match.a]["shared_with"].append(link.article_b)
        records_by_id[link.article_b]["sentences"][match.b]["shared_with"].append(link.article_a)


def _mark_duplicates(links: list[ReuseLink], records_by_id: dict, order: list[str]) -> None:
    """Near-duplicates form groups; every member but the earliest points at the earliest."""
    rank = {article_id: (records_by_id[article_id]["date"] or "9999", position) for position, article_id in enumerate(order)}
    groups = Groups(order=rank.__getitem__)
    for link in links:
        if link.kind == "duplicate":
            groups.join(link.article_a, link.article_b)
    for article_id in groups.joined():
        records_by_id[article_id]["duplicate_of"] = groups.root(article_id)


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
