"""Events and stories: online clustering in a deterministic order, stable ids, evidence."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np

from conftest import shared_data
from helpers import analyze_report, store_report, run_cli
from lagebild.link import events
from lagebild.link.events import ArticleSignals, OnlineClusterer, content_words, day_range


def by_name(report: dict) -> dict[str, str]:
    return {a["id"]: a["path"].split("/")[-1][:3] for a in report["articles"]}


def test_seed_events_and_story(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    name = by_name(report)
    events = sorted(sorted(name[i] for i in e["article_ids"]) for e in report["events"])
    assert events == [["000", "001", "002", "003"], ["004"]]  # four reports of Wonsan; the later phone call
    [story] = report["stories"]
    assert len(story["event_ids"]) == 2
    # the first report has no title: the event takes a headline another report wrote, not a lead sentence
    wonsan = next(e for e in report["events"] if len(e["article_ids"]) == 4)
    assert wonsan["title"] == story["title"] == "Russischer Aussenminister Lawrow trifft Nordkoreas Machthaber Kim"


def test_example_corpus_stories(tmp_path, examples):
    report, _ = analyze_report(tmp_path, examples)
    path = {a["id"]: a["path"].split("corpus/")[1] for a in report["articles"]}
    stories = {frozenset(path[a] for e in report["events"] if e["story_id"] == s["id"] for a in e["article_ids"]) for s in report["stories"]}
    ferry = {f"faehre/0{n}_{name}" for n, name in ((1, "dpa_havarie.txt"), (2, "tageblatt_havarie.txt"), (3, "afp_havarie.txt"), (4, "sda_havarie.txt"))}
    assert any(ferry | {"wire_english.jsonl:1"} <= story for story in stories)
    assert frozenset({"faehre/06_faehrlinie_bornholm.txt"}) in stories  # shares places, not the story
    events = {frozenset(path[a] for a in e["article_ids"]) for e in report["events"]}
    # the English Reuters report shares few words with the German ones (its verbs and nouns are
    # other words), but what the words mean brings it into their event
    assert frozenset(ferry | {"wire_english.jsonl:1"}) in events
    assert frozenset({"faehre/05_dpa_untersuchung.txt"}) in events  # a week later: its own event


def test_example_follow_up_joins_its_story(tmp_path, examples):
    report, _ = analyze_report(tmp_path, examples / "faehre")
    path = {a["id"]: a["path"].split("/")[-1] for a in report["articles"]}
    stories = [{path[a] for e in report["events"] if e["story_id"] == s["id"] for a in e["article_ids"]} for s in report["stories"]]
    assert any({"01_dpa_havarie.txt", "05_dpa_untersuchung.txt"} <= story for story in stories)


def test_event_ids_stay_stable_when_articles_arrive_later(tmp_path, examples):
    db = tmp_path / "s.db"
    first, _ = analyze_report(tmp_path, examples / "faehre", db=db)
    analyze_report(tmp_path, examples / "nordwerk", db=db)
    second = store_report(tmp_path, db)
    before = {e["id"]: set(e["article_ids"]) for e in first["events"]}
    after = {e["id"]: set(e["article_ids"]) for e in second["events"]}
    assert all(after[event_id] == members for event_id, members in before.items())


def test_same_input_same_result(tmp_path, examples):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one, _ = analyze_report(tmp_path / "a", examples)
    two, _ = analyze_report(tmp_path / "b", examples)
    assert [e["article_ids"] for e in one["events"]] == [e["article_ids"] for e in two["events"]]


def test_idle_events_leave_memory():
    clusterer = OnlineClusterer()
    for number in range(40):
        day = f"2026-01-{number % 28 + 1:02d}" if number < 28 else f"2026-03-{number - 27:02d}"
        clusterer.add(ArticleSignals(f"a{number}", "de", day_range(day), [f"wort{number}", "gemeinsam"], [f"e{number}"]))
    assert len(clusterer.event_of) == 40
    assert len(clusterer.active_events) < 20  # January's events were evicted by March


def test_month_precision_dates_are_ranges():
    first, last = day_range("2025-07")
    assert last - first == 30
    assert day_range(None) is None


def test_compare_and_stories_commands(examples):
    result = run_cli("compare", examples / "faehre" / "03_afp_havarie.txt", examples / "faehre" / "04_sda_havarie.txt")
    assert result.exit_code == 0 and "shared wire copy: yes" in result.output
    assert "shared words (as the first article writes them): Fähre" in result.output
    assert "word meaning 0.9" in result.output  # one report, two wordings: their meaning vectors nearly agree
    assert "shared passages (7 sentence(s)" in result.output  # the reprinted AFP sentences, listed
    assert "    Vor der Ostseeinsel Rügen ist eine Fähre mit rund 350 Menschen an Bord auf Grund gelaufen." in result.output
    result = run_cli("stories", examples / "erdbeben")
    assert result.exit_code == 0 and "Erdbeben" in result.output


def test_listings_go_to_stdout_one_line_each(examples):
    # results are piped and grepped: stdout, and no line of a listing broken at 80 columns
    result = run_cli("quotes", examples / "faehre")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) > 10
    assert all(re.match(r"((\d{4}-\d{2}-\d{2}|undated)  |    also: )\S", line) for line in lines)
    assert any(len(line) > 100 for line in lines)


def test_cluster_and_pair_evals_print_metrics():
    metrics = json.loads(run_cli("eval", "clusters", shared_data("uci_news_headlines/uci-news-aggregator-head.csv")).stdout)["metrics"]
    assert metrics["bcubed_f1"] > 0.8  # regression guard; measured value in docs/benchmarks.md
    found = json.loads(run_cli("eval", "pairs", shared_data("semeval2022_task8/training_set.csv"), "--folds", "3").stdout)
    metrics = found["metrics"]
    assert metrics["pearson_de_de"] > 0.55 and metrics["pearson_en_en"] > 0.72 and metrics["pearson_de_en"] > 0.57
    assert len(found["cross_validated"]["chosen_floor_weight"]) == 3 and found["cross_validated"]["held_out"]["pearson_de_de"] > 0.5


def test_pairs_cross_validation_keeps_an_article_in_one_fold_and_chooses_on_the_others():
    import random

    from lagebild.eval.events import PairEvidence, _grouped_folds, cross_validated

    chance = random.Random(7)
    parts = []
    for number in range(300):  # the gold follows the dense cosine above 0.82; words add noise
        cosine, lexical = chance.uniform(0.7, 1.0), chance.uniform(0.0, 0.6)
        texts = (f"t{number}", f"t{number + 1}" if number % 3 else f"u{number}")  # chains of pairs sharing a text
        evidence = {"embedding_cosine": cosine, "meaning_cosine": None, "lexical": lexical, "copy_bonus": 0.0}
        parts.append(PairEvidence(["de_de", "de_en", "en_en"][number % 3], texts, evidence, max(0.0, cosine - 0.82) + chance.gauss(0, 0.01)))
    folds = _grouped_folds(parts, 5)
    fold_of_text = {}
    for part, fold in zip(parts, folds):
        for text in part.texts:
            assert fold_of_text.setdefault(text, fold) == fold  # no text in two folds
    assert len(set(folds)) > 2
    found = cross_validated(parts, 5)
    assert all(floor >= 0.8 for floor, _ in found["chosen_floor_weight"])  # near where the gold starts, not the grid's edge
    assert all(found["held_out"][f"pearson_{language}"] > 0.9 for language in ("de_de", "de_en", "en_en"))
    assert set(found["fitted"]) == set(found["held_out"])


def test_wire_copy_partner_event_is_a_candidate_even_without_shared_words():
    clusterer = OnlineClusterer()
    day = day_range("2026-03-14")
    first = clusterer.add(ArticleSignals("a", "de", day, ["faehre", "sandbank", "ruegen"], ["e1"]))
    for number in range(60):  # many other events that share the common words
        clusterer.add(ArticleSignals(f"x{number}", "de", day, ["faehre", f"wort{number}"], [f"o{number}"]))
    second = clusterer.add(ArticleSignals("b", "de", day, ["ganz", "andere", "worte"], [], reused_with={"a"}))
    assert second == first


DAY = day_range("2026-03-14")
SHARED = [f"gemeinsam{n}" for n in range(10)]
LEFT, RIGHT = [f"links{n}" for n in range(30)], [f"rechts{n}" for n in range(30)]


def two_events(second_entities: list[str]) -> OnlineClusterer:
    """Two articles with too little in common to be one event on their own."""
    clusterer = OnlineClusterer()
    clusterer.add(ArticleSignals("first", "de", DAY, LEFT + SHARED, []))
    clusterer.add(ArticleSignals("second", "de", DAY, RIGHT + SHARED, second_entities))
    assert clusterer.event_of["first"] != clusterer.event_of["second"]
    return clusterer


def bridge(clusterer: OnlineClusterer) -> None:
    """An article close to both."""
    clusterer.add(ArticleSignals("bridge", "de", DAY, SHARED + LEFT[:6] + RIGHT[:6], []))


def test_an_article_that_bridges_two_events_merges_them_into_the_older():
    clusterer = two_events([])
    bridge(clusterer)
    assert clusterer.event_of == {"first": "first", "second": "first", "bridge": "first"}
    assert clusterer.merges == [("second", "first")]
    assert "second" not in clusterer.active_events and "second" not in clusterer.story_of
    # no names, so each founded a story of its own; one event now, so one story
    assert clusterer.story_merges == [("second", "first")] and clusterer.story_of == {"first": "first"}
    assert list(clusterer.active_stories) == ["first"] and clusterer.active_stories["first"].event_ids == ["first"]


def test_when_two_events_merge_their_stories_merge_too():
    clusterer = two_events(["Hafen"])
    clusterer.add(ArticleSignals("third", "de", DAY, [f"anders{n}" for n in range(30)], ["Hafen", "Kai", "Mole"]))  # own event, same story
    assert clusterer.story_of == {"first": "first", "second": "second", "third": "second"}
    bridge(clusterer)
    assert clusterer.merges == [("second", "first")] and clusterer.story_merges == [("second", "first")]
    assert clusterer.story_of == {"first": "first", "third": "first"}


def test_the_report_lists_merged_events():
    from lagebild.report.events import merged_events

    assert merged_events([("b", "a"), ("a", "c"), ("d", "e")]) == {"c": ["b", "a"], "e": ["d"]}


def test_an_event_that_drifted_into_another_splits_and_keeps_its_id():
    # headlines: three on one matter, one on both, then four on the other, which join through it;
    # at eight articles the event falls into two groups that share too little
    clusterer = OnlineClusterer()
    day = day_range("2026-03-14")
    left, right = [f"links{n}" for n in range(20)], [f"rechts{n}" for n in range(20)]
    articles = [(f"l{n}", left[n:]) for n in range(3)] + [("m", left[:9] + right[:11])] + [(f"r{n}", right[n:]) for n in range(4)]
    for article_id, words in articles:
        clusterer.add(ArticleSignals(article_id, "de", day, words, []))
    assert clusterer.splits == [("l0", "m")]
    assert clusterer.event_of == {"l0": "l0", "l1": "l0", "l2": "l0", "m": "m", "r0": "m", "r1": "m", "r2": "m", "r3": "m"}
    assert clusterer.story_of["m"] == clusterer.story_of["l0"]  # parted, but one story
    assert set(clusterer.active_events) == {"l0", "m"}


def test_reports_tell_how_an_event_was_reshaped():
    from lagebild.report.events import history_notes

    events = {"a": {"title": "Fähre läuft auf Grund", "merged_event_ids": ["c"], "split_from": None}}
    events["b"] = {"title": "Bergung beginnt", "merged_event_ids": [], "split_from": "a"}
    assert history_notes(events["a"], events) == ["1 event(s) merged into it"]
    assert history_notes(events["b"], events) == ["split off “Fähre läuft auf Grund”"]


def test_the_html_story_list_counts_merged_stories():
    from lagebild.report.html import _story_counts

    events = {"a": {"article_ids": ["x", "y"]}, "b": {"article_ids": ["z"]}}
    story = {"event_ids": ["a", "b"], "merged_story_ids": ["c"]}
    assert _story_counts(story, events) == "2 event(s), 3 article(s), 1 story(ies) merged into it"


def test_the_report_names_the_event_a_split_one_came_from():
    from lagebild.report.events import split_origins

    assert split_origins([("a", "b")], []) == {"b": "a"}
    assert split_origins([("a", "b")], [("a", "c")]) == {"b": "c"}  # its origin merged on
    assert split_origins([("a", "b")], [("b", "c")]) == {}  # merged away again: no event of its own


def test_german_and_english_reports_share_words_in_english():
    german = content_words("Die Soldaten besuchten nach dem Erdbeben die Regierung in Österreich", "de")
    english = content_words("The soldiers visited the government in Austria after the earthquake", "en")
    assert set(german) == set(english) == {"soldier", "visit", "earthqu", "governm", "austria"}


def test_content_words_keep_base_forms_and_drop_stop_words():
    assert content_words("Die Maßnahmen der Straße", "de") == content_words("Maßnahme Straße", "de")  # ß survives lemmatising
    assert content_words("los soldados del gobierno", "es") == ["los", "soldado", "del", "gobiern"]  # no table: folded stems


def test_a_restored_clusterer_goes_on_as_if_never_stopped():
    from lagebild.link import event_state

    day = day_range("2026-03-14")
    left, right = [f"links{n}" for n in range(20)], [f"rechts{n}" for n in range(20)]
    articles = [(f"l{n}", left[n:], []) for n in range(3)] + [("m", left[:9] + right[:11], [])]
    articles += [(f"r{n}", right[n:], []) for n in range(4)] + [("x", ["ganz", "anderes"], ["e9"])]
    signals = [ArticleSignals(article_id, "de", day, words, entities) for article_id, words, entities in articles]
    whole = OnlineClusterer()
    for article in signals:
        whole.add(article)
    halves = OnlineClusterer()
    for article in signals[:5]:
        halves.add(article)
    halves = _saved_and_restored(halves)  # as linking keeps it between runs: its state and its tables
    for article in signals[5:]:
        halves.add(article)
    assert halves.event_of == whole.event_of and halves.story_of == whole.story_of
    assert halves.splits == whole.splits == [("l0", "m")]  # the split needs the articles kept before
    assert event_state.dump(halves) == event_state.dump(whole)
    with_vectors = OnlineClusterer()
    for number in range(3):
        with_vectors.add(ArticleSignals(f"v{number}", "de", day, left, [], embedding=np.full(4, 0.5, dtype=np.float32)))
    assert event_state.dump(event_state.load(event_state.dump(with_vectors))) == event_state.dump(with_vectors)


def _saved_and_restored(clusterer: OnlineClusterer) -> OnlineClusterer:
    from lagebild.link import event_state
    from lagebild.store import Store, clustering

    store = Store()
    with store.connection:
        clustering.save(store.connection, clusterer, afresh=True)
    return event_state.load(event_state.dump(clusterer), clustering.StoredMemory(store.connection))


def test_an_older_report_arriving_late_keeps_the_event_id(tmp_path, examples):
    folder = tmp_path / "in"
    folder.mkdir()
    later = (examples / "faehre" / "02_tageblatt_havarie.txt").read_text(encoding="utf-8").replace("2026-03-14", "2026-03-15", 1)
    (folder / "02.txt").write_text(later, encoding="utf-8")
    db = tmp_path / "s.db"
    first, _ = analyze_report(tmp_path, folder, db=db)
    [event] = first["events"]
    for name in ("01_dpa_havarie.txt", "03_afp_havarie.txt"):  # a day earlier, stored later
        shutil.copy(examples / "faehre" / name, folder / name)
    second, _ = analyze_report(tmp_path, folder, db=db)
    assert [(e["id"], len(e["article_ids"])) for e in second["events"]] == [(event["id"], 3)]
    assert first["lagebild"]["clustering"]["continued"] is False
    assert second["lagebild"]["clustering"] == {"continued": True, "articles_placed": 2, "note": None, "article_vectors": False}


def test_an_unreadable_saved_clustering_starts_afresh(tmp_path, examples):
    from lagebild.link.event_state import state_key
    from lagebild.store import Store

    db = tmp_path / "s.db"
    with Store(db) as store:
        store.save_clusterer_state(state_key(False), b"not a clustering")
    report, result = analyze_report(tmp_path, examples / "faehre", db=db)
    assert result.exit_code == 0 and len(report["events"]) == 3
    assert report["lagebild"]["clustering"]["note"] == "the saved event clustering could not be read: clustered afresh"
    assert "Note: the saved event clustering could not be read" in result.output and "Traceback" not in result.output


def test_stories_command_top_and_since(tmp_path, examples):
    db = tmp_path / "s.db"
    analyze_report(tmp_path, examples, db=db)
    listed, others = run_cli("stories", "--db", db, "--top", "1").stdout.split("Other reports")
    titles = [line for line in listed.splitlines() if not line.startswith("  ")]
    # the heaviest: the newest story told by several sources (the ferry, larger, is two months older)
    assert len(titles) == 1 and titles[0].startswith("Windanlagenbauer Nordwerk")
    assert listed.splitlines()[-1] == "  … 2 lighter stories (--top N lists more)"
    assert others.splitlines()[1:] == ["  2026-04-02  Neue Fährlinie von Sassnitz nach Bornholm  [dpa, story 913ce2cc899adae1]"]  # the only one
    since = run_cli("stories", "--db", db, "--since", "2026-05").stdout
    assert "Erdbeben" in since and "Nordwerk" in since and "Fähre" not in since
    assert run_cli("stories", "--db", db, "--since", "Mai").exit_code == 2


def test_listings_print_brackets_in_titles_as_text(tmp_path):
    article = tmp_path / "update.txt"
    article.write_text("[Update] Fähre [b]Nordlicht[/b] wieder frei\n\nSASSNITZ (dpa) - Die Fähre ist am Montag von Schleppern freigezogen worden. "
                       "Sie wurde nach Rostock gebracht, teilte die Reederei Baltic Link mit.", encoding="utf-8")
    db = tmp_path / "s.db"
    assert run_cli("analyze", article, "--db", db, "--quiet").exit_code == 0
    assert "[Update] Fähre [b]Nordlicht[/b] wieder frei" in run_cli("stories", "--db", db).stdout
    assert "[Update] Fähre [b]Nordlicht[/b] wieder frei" in run_cli("articles", "--db", db).stdout


def undated_report(tmp_path, texts: list[str]) -> dict:
    path = tmp_path / "undated.jsonl"
    path.write_text("".join(json.dumps({"text": text, "outlet": "Blatt"}) + "\n" for text in texts), encoding="utf-8")
    report, result = analyze_report(tmp_path, path)
    assert result.exit_code == 0, result.output
    return report


MINISTERS = "Die Außenminister Frankreichs und Polens trafen sich {when} in Wien zu Gesprächen über die Flüchtlingskrise und die Grenzkontrollen an der Balkanroute."


def test_undated_articles_take_the_day_their_text_names():
    from lagebild.link.events import days_named
    from lagebild.model import TimeExpression

    named = days_named([
        TimeExpression(0, 16, "am 12. März 2016", "DATE", "2016-03-12"),
        TimeExpression(20, 27, "gestern", "DATE", "2016-03-20"),  # resolved against a date given, not named
        TimeExpression(30, 34, "2017", "DATE", "2017"),  # a year is no day
        TimeExpression(40, 58, "am 2. Februar 2016", "DATE", "2016-02-02"),
    ])  # fmt: skip
    assert named == day_range("2016-03-12")
    assert days_named([TimeExpression(0, 7, "Montag", "DATE", "XXXX-XX-XX")]) is None


def test_undated_reports_of_days_years_apart_are_not_one_event(tmp_path):
    report = undated_report(tmp_path, [MINISTERS.format(when="am 12. März 2016"), MINISTERS.format(when="am 14. März 2019")])
    assert len(report["events"]) == 2


def test_undated_reports_naming_one_day_are_one_event(tmp_path):
    report = undated_report(tmp_path, [MINISTERS.format(when="am 12. März 2016"), MINISTERS.format(when="am Samstag, dem 12. März 2016,")])
    assert len(report["events"]) == 1


def test_an_article_joins_an_event_only_near_one_of_its_articles(monkeypatch):
    # four reports share a core (written twice in each); a fifth takes a little of what each adds
    # and none of the core: near the event's centroid (the sum of all four), near none of its
    # articles. Thirty unrelated reports come first, so that words have document frequencies.
    core = [f"kern{n}" for n in range(10)] * 2
    own = [[f"eigen{m}x{n}" for n in range(20)] for m in range(4)]
    newcomer = ArticleSignals("mix", "de", DAY, [word for words in own for word in words[:7]] + [f"neu{n}" for n in range(5)], [])
    default = events.ANCHOR_FACTOR

    def placed(anchor_factor: float) -> bool:
        monkeypatch.setattr(events, "ANCHOR_FACTOR", anchor_factor)
        clusterer = OnlineClusterer()
        for number in range(30):
            clusterer.add(ArticleSignals(f"other{number}", "de", DAY, [f"fueller{number}x{n}" for n in range(30)], []))
        for number, words in enumerate(own):
            clusterer.add(ArticleSignals(f"r{number}", "de", DAY, core + words, []))
        assert {clusterer.event_of[f"r{number}"] for number in range(4)} == {"r0"}
        return clusterer.add(newcomer) == "r0"

    assert placed(0.0)  # the centroid alone takes it in
    assert not placed(default)


def test_undated_reports_naming_no_day_still_join_when_they_tell_the_same(tmp_path):
    # no date given or named: the score is lowered (more caution), not the evidence ignored
    report = undated_report(tmp_path, [MINISTERS.format(when="gestern"), MINISTERS.format(when="am Montag")])
    assert len(report["events"]) == 1


def test_idle_undated_events_leave_memory_by_arrivals(monkeypatch):
    from lagebild.link import events as events_module

    monkeypatch.setattr(events_module, "EVENT_WINDOW_ARRIVALS", 20)
    monkeypatch.setattr(events_module, "UNDATED_CHECK", 10)
    clusterer = OnlineClusterer()
    for number in range(60):
        clusterer.add(ArticleSignals(f"u{number}", "de", None, [f"wort{number}", f"anders{number}"], [f"e{number}"]))
    assert len(clusterer.event_of) == 60
    # looked at after 60 arrivals: u39 took its article at arrival 40, idle for 20; u38 for 21
    assert sorted(clusterer.active_events) == sorted(f"u{number}" for number in range(39, 60))


def _weeks_of_events(count: int, start: int = 0) -> list[ArticleSignals]:
    """``count`` dated articles, five a day, events of five articles with words and names of
    their own (a vocabulary that grows with the stream, as news does), some sharing wire copy."""
    first = day_range("2026-01-01")[0]
    articles = []
    for number in range(start, start + count):
        event, day = number // 5, first + number // 5
        words = [f"wort{event}x{k}" for k in range(8)] + ["regierung", "sagte", f"tag{day % 7}"]
        copy = {f"a{number - 1}"} if number % 5 == 4 else set()
        articles.append(ArticleSignals(f"a{number}", "de", (day, day), words, [f"e{event}", "e-land"], copy))
    return articles


def test_the_saved_state_does_not_grow_with_the_articles_once_events_leave_memory():
    from lagebild.link import event_state

    sizes = {}
    clusterer = OnlineClusterer()
    for total in (1000, 2000):
        for article in _weeks_of_events(1000, start=total - 1000):
            clusterer.add(article)
        sizes[total] = len(event_state.dump(clusterer))
    assert len(clusterer.event_of) == 2000 and len(clusterer.frequencies.counts) > 3000  # what the store's tables hold
    assert len(clusterer.active_events) < 100
    assert abs(sizes[2000] - sizes[1000]) < 0.1 * sizes[1000], sizes


class _CountingMemory:
    """The store's tables, counting the rows a run reads of them."""

    def __init__(self, memory) -> None:
        self.memory, self.rows = memory, 0

    def __getattr__(self, name):
        def read(*args):
            found = getattr(self.memory, name)(*args)
            self.rows += len(found)
            return found

        return read


def test_a_run_reads_of_the_clusterings_tables_what_its_articles_need():
    from lagebild.link import event_state
    from lagebild.store import Store, clustering

    read = {}
    for stored in (1000, 3000):
        store, clusterer = Store(), OnlineClusterer()
        for article in _weeks_of_events(stored):
            clusterer.add(article)
        with store.connection:
            clustering.save(store.connection, clusterer, afresh=True)
        memory = _CountingMemory(clustering.StoredMemory(store.connection))
        going_on = event_state.load(event_state.dump(clusterer), memory)
        new = _weeks_of_events(20, start=stored)
        going_on.recall(new)
        for article in new:
            going_on.add(article)
        event_state.event_history(going_on, sorted({going_on.event_of[a.article_id] for a in new}))
        read[stored] = memory.rows
        assert 0 < memory.rows < 20 * 15  # a few rows an article: its items' counts, its wire copy's event
    assert read[1000] == read[3000]


def test_the_history_read_for_some_events_tells_of_them_what_the_whole_history_does():
    from lagebild.link import event_state
    from lagebild.report.events import merged_events, split_origins
    from lagebild.store import Store, clustering

    merges = [("b", "a"), ("x", "y"), ("a", "c"), ("p", "q"), ("d", "e")]
    splits = [("a", "s6"), ("c", "s1"), ("q", "s2"), ("s3", "s4"), ("e", "s5")]  # s6's origin merged on into c
    story_merges = [("t2", "t1"), ("t1", "t3"), ("u1", "u2")]
    earlier = OnlineClusterer()
    earlier.merges, earlier.splits, earlier.story_merges = merges[:3], splits[:3], story_merges[:2]
    store = Store()
    with store.connection:
        clustering.save(store.connection, earlier, afresh=True)
    going_on = event_state.load(event_state.dump(earlier), clustering.StoredMemory(store.connection))
    going_on.merges, going_on.splits, going_on.story_merges = merges[3:], splits[3:], story_merges[2:]  # this run's
    for wanted in (["c"], ["s1", "s2", "s6"], ["e", "s5", "y"], ["q", "s4"]):
        found_merges, found_splits = event_state.event_history(going_on, wanted)
        assert {e: merged_events(found_merges).get(e) for e in wanted} == {e: merged_events(merges).get(e) for e in wanted}
        assert {e: split_origins(found_splits, found_merges).get(e) for e in wanted} == {e: split_origins(splits, merges).get(e) for e in wanted}
    assert merged_events(event_state.story_history(going_on, ["t3", "u2"])) == merged_events(story_merges)


ARTICLE_WORDS = 300  # an article, not a headline (whose events may run for weeks: UCI)


def test_an_event_spans_a_happening_and_its_next_day_not_a_story():
    # the same words day after day are a story's next happenings, not one happening
    words, names = ["streik", "bahn", "gewerkschaft", "tarif", "lokfuehrer"], ["e-gdl", "e-bahn"]
    clusterer = OnlineClusterer()
    first = clusterer.add(ArticleSignals("mon", "de", day_range("2026-03-02"), words, names, length=ARTICLE_WORDS))
    follow_up = clusterer.add(ArticleSignals("tue", "de", day_range("2026-03-03"), words, names, length=ARTICLE_WORDS))
    later = clusterer.add(ArticleSignals("wed", "de", day_range("2026-03-04"), words, names, length=ARTICLE_WORDS))
    assert follow_up == first  # the next day's report of it
    assert later != first  # two days on: another happening of the strike
    assert clusterer.story_of[later] == clusterer.story_of[first]  # of the same story


def test_reports_whose_leads_name_days_apart_are_two_happenings():
    # published the same day, in the same words: the first sentences tell Monday's arrest and
    # Wednesday's hearing, two happenings of one case
    words, names = ["festnahme", "anklage", "flughafen", "verdaechtig", "gericht"], ["e-fall"]
    clusterer = OnlineClusterer()
    day = day_range("2026-03-04")
    monday = clusterer.add(ArticleSignals("mon", "de", day, words, names, length=ARTICLE_WORDS, happening=day_range("2026-03-02")[0]))
    wednesday = clusterer.add(ArticleSignals("wed", "de", day, words, names, length=ARTICLE_WORDS, happening=day[0]))
    unnamed = clusterer.add(ArticleSignals("any", "de", day, words, names, length=ARTICLE_WORDS))
    assert wednesday != monday
    assert unnamed in (monday, wednesday)  # a lead naming no day says nothing against either


def test_the_happening_day_is_the_day_the_first_sentence_names():
    from lagebild.link.events import happening_day
    from lagebild.model import Article, Sentence, TimeExpression

    text = "Die Polizei nahm am Montag zwei Verdächtige fest. Am Sonntag hatte es gebrannt."
    article = Article("a", "a.txt", "txt", text, text, 0, date="2026-03-04")
    sentences = [Sentence(0, 49, text[:49], 0), Sentence(50, len(text), text[50:], 0)]
    monday = TimeExpression(20, 26, "Montag", "DATE", "2026-03-02")
    sunday = TimeExpression(53, 60, "Sonntag", "DATE", "2026-03-01")
    assert happening_day(article, sentences, [sunday, monday]) == day_range("2026-03-02")[0]
    assert happening_day(article, sentences, [sunday]) is None  # the background's day, not the lead's
    plan = TimeExpression(20, 26, "Montag", "DATE", "2026-03-09")  # "ab Montag": a plan, no happening yet
    assert happening_day(article, sentences, [plan]) is None
    night = TimeExpression(20, 26, "Montagnacht", "TIME", "2026-03-02TNI")  # a time of day names its day
    assert happening_day(article, sentences, [night]) == day_range("2026-03-02")[0]


def test_a_desks_next_day_report_joins_its_own_report_only_through_shared_text_or_others():
    words, names = ["klinik", "messehalle", "betten", "personal", "aufbau"], ["e-klinik"]
    before, after = day_range("2026-03-19"), day_range("2026-03-20")

    def placed(*articles: ArticleSignals) -> list[str]:
        clusterer = OnlineClusterer()
        return [clusterer.add(article) for article in articles]

    def report(key: str, day, outlet: str, **more) -> ArticleSignals:
        return ArticleSignals(key, "de", day, words, names, length=ARTICLE_WORDS, outlet=outlet, **more)

    first, next_day = placed(report("a", before, "blatt"), report("b", after, "blatt"))
    assert next_day != first  # the desk's next report of its story
    first, update = placed(report("a", before, "blatt"), report("b", after, "blatt", reused_with={"a"}))
    assert update == first  # it prints part of the earlier report again
    first, other, next_day = placed(report("a", before, "blatt"), report("c", before, "zeitung"), report("b", after, "blatt"))
    assert other == first and next_day == first  # another outlet's report of the happening ties them


def test_events_more_than_a_day_apart_do_not_merge():
    clusterer = OnlineClusterer()
    monday = clusterer.add(ArticleSignals("mon", "de", day_range("2026-03-02"), SHARED, [], length=ARTICLE_WORDS))
    clusterer.add(ArticleSignals("wed", "de", day_range("2026-03-04"), SHARED, [], length=ARTICLE_WORDS))
    a, b = (clusterer.active_events[clusterer.event_of[key]] for key in ("mon", "wed"))
    assert a.id == monday and a.id != b.id
    assert clusterer._closeness(a, b) == 0.0


def test_month_dates_may_be_one_day_with_any_day_of_the_month():
    # "July 2025" says only which days a report can be of: not that its event spans the month
    words, names = ["treffen", "lawrow", "wonsan", "partnerschaft"], ["e-lawrow", "e-kim"]
    clusterer = OnlineClusterer()
    first = clusterer.add(ArticleSignals("a", "de", day_range("2025-07"), words, names, length=ARTICLE_WORDS))
    assert clusterer.add(ArticleSignals("b", "de", day_range("2025-07-12"), words, names, length=ARTICLE_WORDS)) == first
    assert clusterer.add(ArticleSignals("c", "de", day_range("2025-07"), words, names, length=ARTICLE_WORDS)) == first
    assert clusterer.add(ArticleSignals("d", "de", day_range("2025-07-14"), words, names, length=ARTICLE_WORDS)) != first  # 12 and 14 July: two


def test_text_used_again_weeks_later_is_no_late_report_of_the_old_event():
    words, names = ["streik", "bahn", "gewerkschaft", "tarif", "lokfuehrer"], ["e-gdl", "e-bahn"]
    clusterer = OnlineClusterer()
    march = clusterer.add(ArticleSignals("march", "de", day_range("2026-03-02"), words, names, length=ARTICLE_WORDS))
    for day in range(3, 28):  # the stream moves on; the March event retires
        clusterer.add(ArticleSignals(f"other{day}", "de", day_range(f"2026-03-{day:02d}"), [f"thema{day}", "anders"], [f"e{day}"], length=ARTICLE_WORDS))
    assert march not in clusterer.active_events
    # an article of the stream's last days printing the March report's paragraphs again
    reused = clusterer.add(ArticleSignals("reused", "de", day_range("2026-03-27"), ["klima", "demo"], ["e-fff"], {"march"}, length=ARTICLE_WORDS))
    assert reused != march
    # a report of the March day arriving late (a feed catching up) joins the retired event
    late = clusterer.add(ArticleSignals("late", "de", day_range("2026-03-02"), ["ganz", "andere"], [], {"march"}, length=ARTICLE_WORDS))
    assert late == march


def test_a_few_lines_an_outlet_prints_again_are_weaker_evidence_than_wire_copy():
    """Two reports of one outlet sharing a sentence (its desk's standing line) are not one event
    for that alone; the same sentence in another outlet's report is agency copy, and joins them."""
    first_words, second_words = SHARED[:5] + LEFT[:25], SHARED[:5] + RIGHT[:25]  # articles, not headlines
    for own_copy, joined in (({}, True), ({"first": 1}, False), ({"first": events.OWN_COPY_SENTENCES}, True), (None, False)):
        reused_with = set() if own_copy is None else {"first"}
        clusterer = OnlineClusterer()
        first = clusterer.add(ArticleSignals("first", "de", DAY, first_words, []))
        second = clusterer.add(ArticleSignals("second", "de", DAY, second_words, [], reused_with=reused_with, own_copy=own_copy or {}))
        assert (second == first) == joined, own_copy


def test_own_copy_is_copy_within_one_outlet_shorter_than_a_report():
    from lagebild.model import ReuseLink, SentenceAlignment

    def link(a: str, b: str, sentences: int) -> ReuseLink:
        return ReuseLink(a, b, [SentenceAlignment(n, n, 1.0) for n in range(sentences)], "partial")

    outlets = {"a": "zeit.de", "b": "zeit.de", "c": "taz.de", "d": "zeit.de"}
    own = events._own_copy([link("a", "b", 1), link("a", "c", 1), link("a", "d", events.OWN_COPY_SENTENCES)], outlets)
    assert own == {"a": {"b": 1}, "b": {"a": 1}}


def test_a_later_report_must_still_be_near_the_events_first(monkeypatch):
    """An event chains from report to report; a report near only its latest one, and far from the
    first, has moved on to another happening of the story."""
    first_words, follow_up, other = ([f"{prefix}{n}" for n in range(30)] for prefix in ("pp", "rr", "ss"))
    clusterer = OnlineClusterer()
    event_id = clusterer.add(ArticleSignals("a", "de", DAY, first_words, []))
    assert clusterer.add(ArticleSignals("b", "de", DAY, first_words[:22] + follow_up[:8], [])) == event_id
    event = clusterer.active_events[event_id]
    drifted = ArticleSignals("c", "de", DAY, first_words[:8] + follow_up[:8] + other[:14], [])
    clusterer.frequencies.add(drifted.words)
    vectors = events._vectors_of(drifted, clusterer.frequencies)
    assert not clusterer._anchored(event, drifted, vectors, events.EVENT_THRESHOLD)
    monkeypatch.setattr(events, "FOUNDING_FACTOR", 0.0)
    assert clusterer._anchored(event, drifted, vectors, events.EVENT_THRESHOLD)  # near the follow-up alone
