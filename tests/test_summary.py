"""Event summaries: extractive, every sentence cited by all the articles that carry it."""

from __future__ import annotations

from helpers import analyze_report
from lagebild.link.reuse import sentence_words


def test_summary_sentences_are_cited_and_distinct(tmp_path, examples):
    report, _ = analyze_report(tmp_path, examples)
    texts = {a["id"]: a["text"] for a in report["articles"]}
    ferry = max(report["events"], key=lambda e: len(e["article_ids"]))
    summary = ferry["summary"]
    assert 1 <= len(summary) <= 6
    assert len({s["text"] for s in summary}) == len(summary)
    for sentence in summary:
        assert sentence["text"] in texts[sentence["article_ids"][0]]
        assert set(sentence["article_ids"]) <= set(ferry["article_ids"])
        words = set(sentence_words(sentence["text"]))
        for cited in sentence["article_ids"][1:]:  # wire copy: mostly the same words, edits allowed
            assert len(words & set(sentence_words(texts[cited]))) >= 0.7 * len(words)
    assert any(len(s["article_ids"]) > 1 for s in summary)  # reprinted agency copy is cited once, by all


def test_story_summary_follows_its_events_in_time_order(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    [story] = report["stories"]
    assert len(story["summary"]) == len(story["event_ids"])


def test_seed_summary_covers_the_meeting_the_statements_and_the_numbers(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    wonsan = max(report["events"], key=lambda e: len(e["article_ids"]))
    summary = " ".join(s["text"] for s in wonsan["summary"])
    assert len(wonsan["summary"]) <= 6
    assert "Lawrow" in summary and "Kim" in summary and "Wonsan" in summary  # who met where
    assert "bedingungslos" in summary  # Kim's unconditional support
    assert "direkte" in summary and "Kontakte" in summary  # Putin's hope for direct contacts
    assert "Kursk" in summary and "Soldaten" in summary
    assert "30.000 weitere" in summary
    assert all(s["article_ids"] for s in wonsan["summary"])
