"""Boilerplate never counts as content (issue 28): a notice an outlet prints under unrelated
articles joins no events, makes no wire copy, stands in no summary and is never new; wire copy
that two outlets share still links. The articles are written for this test (fictional outlets)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lagebild.link import boilerplate
from lagebild.model import Article, Sentence
from lagebild.store import Store
from tests.helpers import analyze_report, store_report

NOTICE = "Der Volltext dieses auf Agenturmeldungen basierenden Artikels steht auf tagblatt-nord.example leider nicht mehr zur Verfügung."
OUTLET = "Tagblatt Nord"

UNRELATED = [  # (date, title, text): one outlet, nothing in common but the notice
    ("2026-03-02", "Containerschiff rammt Kaimauer in Kiel",
     "Im Hafen von Kiel hat ein Containerschiff am Montagmorgen eine Kaimauer gerammt. Verletzt wurde niemand, "
     "teilte die Wasserschutzpolizei mit. Den Schaden an der Mauer schätzt die Hafenverwaltung auf mehrere hunderttausend Euro."),
    ("2026-03-02", "Niedersachsen stellt 800 Lehrkräfte ein",
     "Das Land Niedersachsen stellt im kommenden Schuljahr 800 zusätzliche Lehrerinnen und Lehrer ein. Kultusministerin "
     "Petra Albers sprach von einem wichtigen Schritt gegen den Unterrichtsausfall. Der Gewerkschaft GEW ist die Zahl zu gering."),
    ("2026-03-03", "Werder gewinnt gegen Bochum",
     "Der SV Werder Bremen hat sein Heimspiel gegen den VfL Bochum mit 3:1 gewonnen. Zwei Tore erzielte der Stürmer "
     "Marvin Ducksch. Die Bremer rücken damit auf den achten Tabellenplatz vor."),
    ("2026-03-04", "Lindauer Werke erhöhen die Dividende",
     "Der Chemiekonzern Lindauer Werke zahlt seinen Aktionären eine höhere Dividende. Der Umsatz stieg im vergangenen Jahr "
     "um sieben Prozent auf 4,2 Milliarden Euro. Vorstandschef Klaus Remmers kündigte neue Werke in Spanien an."),
    ("2026-03-05", "Stadttheater Lübeck plant neuen Faust",
     "Das Stadttheater Lübeck bringt im Herbst eine Neuinszenierung von Goethes Faust auf die Bühne. Regie führt die "
     "Berliner Regisseurin Anna Kowalczyk. Der Vorverkauf beginnt im Juni an der Theaterkasse."),
]
WIRE = ("In Magdeburg ist am Dienstag eine Fußgängerbrücke über die Elbe teilweise eingestürzt. Nach Angaben der Feuerwehr "
        "wurden zwei Passanten leicht verletzt, als ein Teil der Fahrbahn in den Fluss stürzte. Die Stadt hatte die Brücke "
        "erst im vergangenen Jahr auf Schäden an den Stahlseilen untersuchen lassen.")
BRIDGE = [  # the same agency copy in two outlets: reuse, not boilerplate
    {"date": "2026-03-03", "title": "Brücke in Magdeburg eingestürzt", "outlet": OUTLET, "text": f"{WIRE} {NOTICE}"},
    {"date": "2026-03-03", "title": "Elbbrücke teilweise eingestürzt", "outlet": "Abendpost",
     "text": f"{WIRE} Oberbürgermeisterin Simone Borris kündigte eine Untersuchung der übrigen Brücken an."},
]


def notice_articles() -> list[dict]:
    return [{"date": day, "title": title, "outlet": OUTLET, "text": f"{text} {NOTICE}"} for day, title, text in UNRELATED]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


def by_title(report: dict) -> dict[str, str]:
    return {article["title"]: article["id"] for article in report["articles"]}


def reuse_pairs(report: dict) -> set[frozenset[str]]:
    return {frozenset(link["article_ids"]) for link in report["reuse"]}


def event_of(report: dict) -> dict[str, str]:
    return {article_id: event["id"] for event in report["events"] for article_id in event["article_ids"]}


def test_an_outlet_notice_joins_no_events_makes_no_wire_copy_and_is_never_told(tmp_path):
    corpus = write_jsonl(tmp_path / "news.jsonl", notice_articles() + BRIDGE)
    report, result = analyze_report(tmp_path, corpus, "--since", "2026-03-01", db=tmp_path / "store.db")
    assert result.exit_code == 0, result.output
    ids, events = by_title(report), event_of(report)
    unrelated = [ids[title] for _, title, _ in UNRELATED]
    bridge_a, bridge_b = ids[BRIDGE[0]["title"]], ids[BRIDGE[1]["title"]]
    assert len({events[a] for a in unrelated + [bridge_a]}) == len(UNRELATED) + 1  # each its own event
    assert reuse_pairs(report) == {frozenset((bridge_a, bridge_b))}  # the agency copy, nothing from the notice
    assert events[bridge_a] == events[bridge_b]
    link = next(iter(report["reuse"]))
    assert all(NOTICE not in passage["text_a"] + passage["text_b"] for passage in link["passages"])
    summaries = [unit["text"] for event in report["events"] for unit in event["summary"]]
    assert summaries and not any(NOTICE in text for text in summaries)
    new = [sentence["text"] for sentence in report["new_since"]["sentences"]]
    assert new and NOTICE not in new
    assert any("Kaimauer" in text for text in new)  # the articles' own news is new
    by_id = {article["id"]: article for article in report["articles"]}
    for article_id in unrelated:  # what each article adds to its event: its news, never the notice
        article = by_id[article_id]
        added = [article["text"][article["sentences"][i]["start"] : article["sentences"][i]["end"]] for i in article["adds"]["sentences"]]
        assert added and NOTICE not in added


def test_a_number_in_an_outlet_notice_is_no_claim(tmp_path):
    notice = "Unsere Newsletter aus diesen drei Berliner Bezirken lesen Sie kostenlos unter leute.tagblatt-nord.example."
    records = [{"date": day, "title": title, "outlet": OUTLET, "text": f"{text} {notice}"} for day, title, text in UNRELATED]
    report, result = analyze_report(tmp_path, write_jsonl(tmp_path / "news.jsonl", records), "--since", "2026-03-01", db=tmp_path / "store.db")
    assert result.exit_code == 0, result.output
    claims = [claim["text"] for claim in report["claims"]]
    assert "4,2 Milliarden Euro" in claims  # the articles' own numbers stay
    assert not any("Bezirk" in text for text in claims)


def test_without_an_outlet_the_notice_is_content_and_glues_articles(tmp_path):
    """The control: the same articles with no source to learn from (files of a folder) share the
    notice as wire copy, which is what the outlet's name prevents."""
    records = [{key: value for key, value in record.items() if key != "outlet"} for record in notice_articles()]
    report, result = analyze_report(tmp_path, write_jsonl(tmp_path / "anonymous.jsonl", records))
    assert result.exit_code == 0, result.output
    assert len(reuse_pairs(report)) >= 2


def test_learning_is_incremental_two_runs_count_what_one_counts(tmp_path, store_at):
    """The notice is known after the first run (three articles, two days), so the second run's
    articles link as one run links them all; the counts in the store are the same to the row."""
    records = notice_articles() + BRIDGE
    first, second = records[:3], records[3:]
    one, two = store_at(), store_at()
    whole, _ = analyze_report(tmp_path, write_jsonl(tmp_path / "all.jsonl", records), db=one)
    analyze_report(tmp_path, write_jsonl(tmp_path / "first.jsonl", first), db=two)
    analyze_report(tmp_path, write_jsonl(tmp_path / "second.jsonl", second), db=two)
    rows = []
    for location in (one, two):
        with Store(location) as store:
            rows.append(sorted(store.connection.execute("SELECT key, articles, first_day, last_day, titles FROM boilerplate_sentences").fetchall()))
    assert rows[0] == rows[1] and any(row[1] == len(UNRELATED) + 1 for row in rows[0])  # the notice: six articles
    in_two_runs = store_report(tmp_path, two)
    assert reuse_pairs(in_two_runs) == reuse_pairs(whole)
    assert sorted(map(sorted, _event_groups(in_two_runs))) == sorted(map(sorted, _event_groups(whole)))


def test_articles_linked_before_the_notice_was_known_keep_their_link(tmp_path):
    """What two runs do differently: two articles that printed the notice before it was known
    (one day, two articles) were linked by it and are not linked again (their event and its
    summary stay as made until a new article joins it); the articles after it make no link from
    it, and their events' summaries leave it out."""
    records = notice_articles()
    db = tmp_path / "store.db"
    early, _ = analyze_report(tmp_path, write_jsonl(tmp_path / "early.jsonl", records[:2]), db=db)
    assert len(reuse_pairs(early)) == 1  # not boilerplate yet: two articles of one day
    later, _ = analyze_report(tmp_path, write_jsonl(tmp_path / "later.jsonl", records[2:]), db=db)
    assert reuse_pairs(store_report(tmp_path, db)) == reuse_pairs(early)  # the early link stays, no new one
    early_ids = {article["id"] for article in early["articles"]}
    made_now = [event for event in later["events"] if not set(event["article_ids"]) & early_ids]
    assert len(made_now) == len(records) - 2
    assert not any(NOTICE in unit["text"] for event in made_now for unit in event["summary"])


def _event_groups(report: dict) -> list[list[str]]:
    return [event["article_ids"] for event in report["events"]]


_headlines = iter(range(10**6))


def _article(day: str | None, outlet: str | None = OUTLET, url: str | None = None, title: str | None = None) -> Article:
    """An article of the notice alone, under a headline of its own unless one is given."""
    number = next(_headlines)
    return Article(id=f"article-{number}", path="-", source_format="jsonl", text=NOTICE, source_text=NOTICE, body_offset=0,
                   title=title or f"Meldung {number}", date=day, outlet=outlet, url=url)


class _Read:
    def __init__(self, article: Article):
        self.article = article
        self.sentences = [Sentence(0, len(NOTICE), NOTICE, 0)]


def _marked_after(*articles: Article) -> bool:
    """Whether the notice is boilerplate once these articles are learnt (each a new article)."""
    knowledge = boilerplate.Knowledge(None)
    reads = [_Read(article) for article in articles]
    knowledge.learn(reads)
    knowledge.mark(reads)
    return all(boilerplate.is_boilerplate(read.sentences[0]) for read in reads)


@pytest.mark.parametrize(
    ("articles", "marked"),
    [
        ([_article("2026-03-02"), _article("2026-03-02"), _article("2026-03-03")], True),  # three articles, two days
        ([_article("2026-03-02"), _article("2026-03-03")], False),  # two articles
        ([_article("2026-03-02") for _ in range(3)], False),  # one day: an outlet's updates of one story
        ([_article(day, title="Interview") for day in ("2026-03-02", "2026-03-03", "2026-03-04")], False),  # one text published again
        ([_article(day, title=title) for day, title in (("2026-03-02", "A"), ("2026-03-03", "B"), ("2026-03-04", "A"), ("2026-03-04", None))], True),
        ([_article("2026-03-02"), _article("2026-03-03"), _article(None)], True),  # an undated one counts as an article
        ([_article(None) for _ in range(3)], False),  # no day known
        ([_article("2026-03-02", outlet) for outlet in ("A", "B", "C")] + [_article("2026-03-03", outlet) for outlet in ("A", "B")], False),  # wire copy
        ([_article(day, None, f"https://www.tagblatt.example/{day}") for day in ("2026-03-02", "2026-03-03", "2026-03-04")], True),  # the URL's host
        ([_article(day, None) for day in ("2026-03-02", "2026-03-03", "2026-03-04")], False),  # no source
    ],
)
def test_what_counts_as_boilerplate(articles, marked):
    assert _marked_after(*articles) is marked


def test_the_stored_counts_are_what_the_next_batch_starts_from():
    knowledge = boilerplate.Knowledge(None)
    knowledge.learn([_Read(_article(day)) for day in ("2026-03-02", "2026-03-02")])
    stored = {key: tuple(counted) for key, *counted in knowledge.rows()}
    assert [counted[:3] for counted in stored.values()] == [(2, 739677, 739677)]
    later = boilerplate.Knowledge(lambda keys: {key: stored[key] for key in keys if key in stored})
    reads = [_Read(_article("2026-03-05"))]
    later.learn(reads)
    later.mark(reads)
    assert boilerplate.is_boilerplate(reads[0].sentences[0]) and later.rows()[0][1:4] == (3, 739677, 739680)
