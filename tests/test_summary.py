"""Event summaries: extractive, every sentence cited by all the articles that carry it."""

from __future__ import annotations

from helpers import analyze_report
from lagebild.compose.standalone import needs_context
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


def test_seed_summary_opens_with_the_meeting_and_keeps_the_statements(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    wonsan = max(report["events"], key=lambda e: len(e["article_ids"]))
    sentences = [s["text"] for s in wonsan["summary"]]
    summary = " ".join(sentences)
    assert len(sentences) <= 6
    assert "Lawrow" in sentences[0] and "Kim" in sentences[0] and "getroffen" in sentences[0]  # what happened first
    assert "strategische Partnerschaft" in summary  # what the dpa-AFX report leads with
    assert "Wonsan" in summary
    assert "bedingungslos" in summary  # Kim's unconditional support
    assert "direkte" in summary and "Kontakte" in summary  # Putin's hope for direct contacts
    assert "Soldaten" in summary
    assert all(s["article_ids"] for s in wonsan["summary"])


def test_phone_call_summary_opens_with_the_call_and_story_summary_follows(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    call = next(e for e in report["events"] if any("Telefonat" in s["text"] for s in e["summary"]))
    assert "Telefonat" in call["summary"][0]["text"]
    [story] = report["stories"]
    assert call["summary"][0] in story["summary"]  # a story tells each event by its opening sentence


def test_summary_sentences_stand_alone_or_follow_their_antecedent(tmp_path, seeds, examples):
    report, _ = analyze_report(tmp_path, seeds, examples)
    texts = {a["id"]: a for a in report["articles"]}
    for event in report["events"]:
        shown = [s["text"] for s in event["summary"]]
        for position, sentence in enumerate(event["summary"]):
            article = texts[sentence["article_ids"][0]]
            if needs_context(sentence["text"], article["language"]):
                assert position > 0 and _sentence_before(article, sentence["text"]) == shown[position - 1]


def _sentence_before(article: dict, text: str) -> str | None:
    spans = [article["text"][s["start"] : s["end"]] for s in article["sentences"]]
    index = spans.index(text)
    return spans[index - 1] if index else None


def test_a_feature_opening_leaves_the_lead_to_the_sentence_that_tells_the_headline(tmp_path):
    article = tmp_path / "faehre.txt"
    article.write_text(
        " date 2026-03-14 Fähre Nordlicht läuft vor Rügen auf Grund\n\n"
        "Gestern gab es auf der Ostsee erneut einen schweren Zwischenfall mit vielen Menschen an Bord. "
        "Vor der Insel Rügen ist die Fähre Nordlicht mit 300 Passagieren bei Nebel auf Grund gelaufen. "
        "Sie sitzt rund zwei Kilometer vor der Hafeneinfahrt von Sassnitz auf einer Sandbank fest. "
        "Schlepper des Havariekommandos versuchten am Mittag vergeblich, das lange Schiff freizuziehen.\n",
        encoding="utf-8",
    )
    report, _ = analyze_report(tmp_path, article)
    [event] = report["events"]
    texts = [s["text"] for s in event["summary"]]
    assert texts[0].startswith("Vor der Insel Rügen ist die Fähre")
    if any(t.startswith("Sie sitzt") for t in texts):  # it leans on the sentence before: shown after it
        assert texts[texts.index(next(t for t in texts if t.startswith("Sie sitzt"))) - 1].startswith("Vor der Insel")


def test_an_article_of_leaning_sentences_still_gets_a_summary(tmp_path):
    article = tmp_path / "rede.txt"
    article.write_text(
        " date 2026-03-14 Regierung warnt\n\n"
        "Er sagte am Abend in Berlin, die Lage an der Küste sei ernst und die Regierung müsse sofort handeln.\n",
        encoding="utf-8",
    )
    report, _ = analyze_report(tmp_path, article)
    [event] = report["events"]
    assert [s["text"] for s in event["summary"]] == ["Er sagte am Abend in Berlin, die Lage an der Küste sei ernst und die Regierung müsse sofort handeln."]


def test_an_event_of_a_thousand_articles_is_summarised_in_bounded_time():
    """A running topic that clustering made one event: its summary costs like a small event's."""
    import random
    import time

    from lagebild.compose.summary import summarise
    from lagebild.ingest.article import build_article
    from lagebild.model import RawDocument
    from lagebild.nlp.sentences import split_article

    rng = random.Random(3)
    vocabulary = [f"Wort{n}" for n in range(400)] + ["Corona", "Regierung", "Berlin", "Infektionen", "Maßnahmen"]
    documents = []
    for number in range(1000):
        sentences = [" ".join(["Die", *rng.sample(vocabulary, 9)]) + "." for _ in range(12)]
        article = build_article(RawDocument(path=f"a{number}", text=" ".join(sentences), source_format="text", title=f"Meldung {number}", date="2020-04-01"))
        documents.append((article, split_article(article)))
    started = time.perf_counter()
    summary = summarise(documents, [], {})
    assert time.perf_counter() - started < 30 and 1 <= len(summary) <= 6
