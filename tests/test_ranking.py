"""Issue 28: a picture that ranks. One weight orders the stories of the web app, the reports and
the listings; a story of one article is an "other report", one line after the ranked stories; a
story is titled like a headline; the HTML report of many articles stays small."""

from __future__ import annotations

import json

from lagebild.report import html
from lagebild.report.events import story_records
from lagebild.report.labels import HEADLINE_CHARACTERS, lead_headline
from lagebild.store import Store, picture, views

from helpers import analyze_report, run_cli


def _card(story_id: str, articles: int, sources: int, last_day: str, conflicts: int = 0, statements: int = 0, last_seq: int = 1) -> views.StoryCard:
    return views.StoryCard(story_id, story_id, articles, sources, "2026-03-01", last_day, last_seq, conflicts, statements)


def test_more_sources_weigh_more_than_more_reprints():
    ranked = views.rank([_card("reprinted", 12, 1, "2026-03-10"), _card("sourced", 3, 3, "2026-03-10")], today="2026-03-10")
    assert [card.id for card in ranked] == ["sourced", "reprinted"]  # twelve reprints of one agency are one voice
    assert ranked[0].weight > ranked[1].weight > 0


def test_a_quiet_story_loses_weight_by_the_day():
    ranked = views.rank([_card("last week", 4, 4, "2026-03-03"), _card("today", 3, 3, "2026-03-10"), _card("yesterday", 3, 3, "2026-03-09")], today="2026-03-10")
    assert [card.id for card in ranked] == ["today", "yesterday", "last week"]
    assert abs(ranked[1].weight / ranked[0].weight - 0.5 ** (1 / views.HALF_LIFE_DAYS)) < 1e-3  # same size, a day quieter


def test_conflicts_then_statements_then_the_newest_break_ties():
    cards = [
        _card("plain", 3, 2, "2026-03-10", last_seq=9),
        _card("quoted", 3, 2, "2026-03-10", statements=4),
        _card("disputed", 3, 2, "2026-03-10", conflicts=1),
        _card("earlier", 3, 2, "2026-03-10", last_seq=2),
    ]
    assert [card.id for card in views.rank(cards, today="2026-03-10")] == ["disputed", "quoted", "plain", "earlier"]


def test_an_article_dated_in_the_future_does_not_age_the_rest():
    ranked = views.rank([_card("misdated", 2, 1, "2031-01-01"), _card("big", 5, 4, "2026-03-10")], today="2026-03-10")
    assert ranked[0].id == "big" and ranked[0].weight > 4


def test_a_story_dated_ahead_loses_weight_for_each_day_after_tomorrow():
    cards = [_card("misdated", 9, 9, "2031-01-01"), _card("small", 2, 2, "2026-03-10"), _card("tomorrow", 2, 2, "2026-03-11"), _card("next week", 2, 2, "2026-03-16")]
    ranked = {card.id: card.weight for card in views.rank(cards, today="2026-03-10")}
    assert ranked["tomorrow"] == ranked["small"]  # a clock ahead: no loss
    assert abs(ranked["next week"] - ranked["small"] * 0.5 ** (5 / views.HALF_LIFE_DAYS)) < 0.001  # five days after tomorrow
    assert ranked["misdated"] < 0.001 < ranked["small"]


def test_reports_listings_and_web_app_share_one_order(tmp_path, examples):
    db = tmp_path / "s.db"
    report, _ = analyze_report(tmp_path, examples, db=db)
    in_report = [story["id"] for story in report["stories"]]
    weights = [story["weight"] for story in report["stories"]]
    assert weights == sorted(weights, reverse=True) and all(story["articles"] >= 1 and story["sources"] >= 1 for story in report["stories"])
    with Store(db) as store:
        cards = views.story_cards(store.connection, picture.story_ids(store.connection))
    assert [card.id for card in cards] == in_report
    assert all(card.statements > 0 for card in cards if card.articles > 1)  # every story of several articles quotes someone
    listing = run_cli("stories", "--db", db).stdout
    ranked, others = listing.split("Other reports", 1)
    listed = [line.split(", story ")[1].split(",")[0].rstrip(")") for line in ranked.splitlines() if not line.startswith("  ")]
    singles = [story["id"] for story in report["stories"] if story["articles"] == 1]
    assert listed == [story_id for story_id in in_report if story_id not in singles]  # the ranked stories, then ...
    assert [line.rsplit("story ", 1)[1].rstrip("]") for line in others.splitlines()[1:]] == singles  # ... the other reports


def test_in_a_window_a_story_weighs_what_it_holds_there(tmp_path, examples):
    db = tmp_path / "s.db"
    analyze_report(tmp_path, examples, db=db)
    with Store(db) as store:
        whole = {card.title: card for card in views.story_cards(store.connection, picture.story_ids(store.connection))}
        ferry = next(title for title in whole if "Nordlicht" in title)
        assert whole[ferry].articles == 6  # five reports of the grounding on the 14th, one on the 21st
        day = views.story_cards(store.connection, picture.story_ids(store.connection, "2026-03-21", "2026-03-21"), since="2026-03-21", until="2026-03-21")
        assert [(card.title, card.articles, card.last_day) for card in day] == [(ferry, 1, "2026-03-21")]
        week = {card.title: card for card in views.story_cards(store.connection, picture.story_ids(store.connection, "2026-03-01", "2026-06-30"),
                                                              since="2026-03-01", until="2026-06-30")}
        assert week[ferry].articles == 6  # a window holding the whole story counts it whole
    report = json.loads(run_cli("report", "--db", db, "--since", "2026-03-21", "--until", "2026-03-21", "--json", "-").stdout)
    assert [(story["articles"], story["sources"]) for story in report["stories"]] == [(1, 1)]


def test_a_story_of_one_article_is_an_other_report(tmp_path, examples):
    page, briefing = tmp_path / "r.html", tmp_path / "r.md"
    assert run_cli("analyze", examples, "--html", page, "--md", briefing, "--quiet").exit_code == 0
    text = page.read_text(encoding="utf-8")
    single = "Neue Fährlinie von Sassnitz nach Bornholm"  # one article, a story of its own
    nav = text[text.index("<nav id='stories'>") : text.index("</nav>")]
    others = text[text.index("<section id='others'>") :]
    assert single not in nav and "Fähre &quot;Nordlicht&quot;" in nav
    assert single in others[: others.index("</section>")]
    assert "<article id='a-" + _id_of(others, single) not in text  # listed in one line, not as an article
    markdown = briefing.read_text(encoding="utf-8")
    assert markdown.index("## Other reports") > markdown.index("## Windanlagenbauer Nordwerk") and f"- {single} \\[" in markdown
    assert f"## {single}" not in markdown


def _id_of(others: str, title: str) -> str:
    line = next(line for line in others.splitlines() if title in line)
    return line.split("id='a-", 1)[1].split("'", 1)[0]


def _article(number: int, words: str) -> dict:
    text = f"{words} " * 40
    return {
        "id": f"{number:016x}", "path": f"in/{number}.txt", "title": f"Bericht {number}", "date": f"2026-03-{1 + number % 28:02d}",
        "date_source": "header", "dateline": None, "credits": [], "byline": None, "desk_code": None, "language": "de",
        "url": f"https://zeitung.example/{number}", "outlet": "zeitung.example", "source_format": "text", "text": text,
        "body_offset": 0, "fields": [], "sentences": [{"start": 0, "end": len(text) - 1, "heading": False, "shared_with": []}],
        "duplicate_of": None, "warnings": [],
    }  # fmt: skip


def _event(event_id: str, article_ids: list[str], day: str) -> dict:
    return {
        "id": event_id, "story_id": event_id, "article_ids": article_ids, "title": f"Ereignis {event_id}",
        "summary": [{"text": "Ein Satz.", "article_ids": article_ids[:1]}], "timeline": [{"date": day, "text": "x", "article_ids": article_ids}],
        "dated_statements": [], "merged_event_ids": [], "split_from": None,
    }  # fmt: skip


def _report(articles: list[dict], events: list[dict]) -> dict:
    stories = [{"id": event["id"], "title": event["title"], "event_ids": [event["id"]], "merged_story_ids": []} for event in events]
    return {
        "lagebild": {"generated_at": "2026-03-10T00:00:00+00:00"}, "run": {"skipped": []}, "articles": articles,
        "events": events, "stories": stories, "reuse": [], "entities": [], "times": [], "quotes": [], "claims": [], "disagreements": [],
    }  # fmt: skip


def test_the_html_report_of_many_single_articles_carries_no_text_of_theirs():
    singles = [_article(number, f"Einzelmeldung{number}") for number in range(300)]
    told_twice = [_article(1000, "Hochwasser am Rhein"), _article(1001, "Hochwasser am Rhein")]
    events = [_event("story", [a["id"] for a in told_twice], "2026-03-09")] + [_event(a["id"], [a["id"]], a["date"]) for a in singles]
    page = html.render(_report(told_twice + singles, events))
    assert "Hochwasser am Rhein Hochwasser" in page  # the ranked story's articles in full
    assert not any(f"Einzelmeldung{number} Einzelmeldung" in page for number in range(300))  # the other reports: one line each
    assert page.count("<li id='a-") == 300 and "href='https://zeitung.example/7'" in page
    assert len(page.encode("utf-8")) < 300 * 600  # a line apiece, not 300 texts of 1,000 characters


def test_an_other_report_links_only_to_a_web_address():
    hostile = {**_article(1, "Meldung"), "url": "javascript:alert(1)"}
    page = html.render(_report([hostile], [_event(hostile["id"], [hostile["id"]], hostile["date"])]))
    assert "javascript:alert(1)" not in page and "Bericht 1" in page[page.index("<section id='others'>") :]


def test_article_texts_fill_the_page_heaviest_story_first(monkeypatch):
    stories = [[_article(10 * story + n, f"Geschichte{story}") for n in range(2)] for story in range(6)]
    events = [_event(f"s{story}", [a["id"] for a in articles], "2026-03-09") for story, articles in enumerate(stories)]
    report = _report([a for articles in stories for a in articles], events)
    whole = html.render(report)
    assert all(f"Geschichte{story} Geschichte" in whole for story in range(6))  # a small report: every text
    monkeypatch.setattr(html, "PAGE_BYTES", len(whole.encode("utf-8")) - 4000)
    cut = html.render(report)
    shown = [story for story in range(6) if f"Geschichte{story} Geschichte" in cut]
    assert shown and shown == list(range(len(shown))) and len(shown) < 6  # the first stories keep theirs
    assert len(cut.encode("utf-8")) <= html.PAGE_BYTES
    assert "where it was published" in cut  # the others point to their source


def test_only_numbers_in_conflict_are_tabled_and_the_rest_counted():
    groups = [({"kind": "conflicting"}, []) for _ in range(html.CONFLICTS_SHOWN + 2)] + [({"kind": "agreeing"}, [])]
    story = {"claims": groups}
    html._cut_numbers(story)
    assert len(story["claims"]) == html.CONFLICTS_SHOWN and all(group["kind"] == "conflicting" for group, _ in story["claims"])
    assert story["numbers_note"] == "Numbers compared: 2 more in conflict and 1 group(s) that agree or fit together, in the JSON report."


def test_a_story_is_titled_by_its_largest_event():
    events = [
        {"id": "a", "story_id": "a", "title": "Nebenschauplatz", "article_ids": ["1"], "summary": []},
        {"id": "b", "story_id": "a", "title": "Hauptereignis", "article_ids": ["2", "3", "4"], "summary": []},
        {"id": "c", "story_id": "a", "title": "Ebenso groß, später", "article_ids": ["5", "6", "7"], "summary": []},
    ]
    assert story_records(events, [])[0]["title"] == "Hauptereignis"


def test_an_untitled_article_gets_a_headline_from_its_lead():
    assert lead_headline("Der Bundestag hat das Gesetz beschlossen.") == "Der Bundestag hat das Gesetz beschlossen"
    lead = (
        "Die Bundesregierung hat am Mittwoch beschlossen, dass alle Schulen bis Ostern geschlossen bleiben, "
        "wie Regierungssprecher Steffen Seibert nach der Sitzung des Kabinetts in Berlin mitteilte."
    )
    assert lead_headline(lead) == "Die Bundesregierung hat am Mittwoch beschlossen, dass alle Schulen bis Ostern geschlossen bleiben"
    unbroken = "Einsatzkräfte " * 30
    made = lead_headline(unbroken)
    assert made.endswith("…") and len(made) <= HEADLINE_CHARACTERS and not made[:-1].endswith(" ")


def test_report_schema_documents_the_story_weight():
    from lagebild.report import schema

    story = schema()["$defs"]["story"]["properties"]
    assert story["weight"]["type"] == "number" and story["articles"]["type"] == story["sources"]["type"] == "integer"
