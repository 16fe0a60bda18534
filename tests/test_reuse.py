"""Wire-copy reuse: shared sentences aligned across outlets' edits, nothing between mere topic neighbours."""

from __future__ import annotations

import json

from conftest import shared_data
from helpers import analyze_report, run_cli
from lagebild.ingest.article import build_article
from lagebild.link.reuse import copy_direction, find_reuse
from lagebild.model import RawDocument
from lagebild.nlp.sentences import split_article


def document(text: str, **metadata):
    article = build_article(RawDocument(path="x", text=text, source_format="text", **metadata))
    return article, split_article(article)


WIRE = (
    "Die Fähre „Nordlicht“ ist am Samstag vor Rügen auf Grund gelaufen. "
    "An Bord waren nach Angaben der Reederei 312 Passagiere und 48 Besatzungsmitglieder. "
    "Sieben Menschen wurden leicht verletzt, wie die Wasserschutzpolizei mitteilte. "
    "Die Ursache der Havarie sei noch völlig unklar, sagte ein Sprecher der Reederei in Sassnitz."
)


def test_outlet_edits_are_tolerated():
    reprint = (
        "Die Fähre «Nordlicht» ist bereits vor Rügen auf Grund gelaufen. "  # quote style, small insertion
        "Ein eigener Satz der Redaktion über die Stimmung am Hafen von Sassnitz am Abend. "
        "Die Ursache der Havarie sei noch unklar, sagte ein Sprecher der Reederei in Sassnitz. "  # reordered, word dropped
        "An Bord waren nach Angaben der Reederei mehr als 300 Passagiere und 48 Besatzungsmitglieder."
    ).replace("ß", "ss")
    [link] = find_reuse([document(WIRE), document(reprint)])
    assert [(m.a, m.b) for m in link.alignments] == [(0, 0), (1, 3), (3, 2)]
    assert all(m.similarity >= 0.6 for m in link.alignments)
    assert link.kind == "partial"


def test_swiss_spelling_and_quotes_give_full_similarity():
    [link] = find_reuse([document(WIRE), document(WIRE.replace("„", "«").replace("“", "»").replace("ß", "ss"))])
    assert {m.similarity for m in link.alignments} == {1.0}
    assert link.kind == "duplicate"


def test_articles_sharing_only_a_topic_are_not_linked():
    other = (
        "Vor Rügen ist eine Fähre mit Hunderten Passagieren auf eine Sandbank geraten. "
        "Die Polizei meldete mehrere Leichtverletzte unter den Reisenden an Bord. "
        "Ein Sprecher des Havariekommandos nannte den Nebel als mögliche Ursache für das Unglück."
    )
    assert find_reuse([document(WIRE), document(other)]) == []


def test_direction_from_dates_then_credits():
    earlier, _ = document(WIRE, date="2026-03-14")
    later, _ = document(WIRE + " Mehr folgt.", date="2026-03-15")
    assert copy_direction(earlier, later) == ("a->b", "published earlier")
    afp, _ = document("Sassnitz (AFP) - " + WIRE, date="2026-03-14")
    sda, _ = document(WIRE + " (sda/afp)", date="2026-03-14")
    assert copy_direction(sda, afp) == ("b->a", "sda/afp relays AFP")
    plain, _ = document(WIRE + " Ohne Quelle.", date="2026-03-14")
    assert copy_direction(afp, plain) == (None, None)


def test_seed_reuse(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    name = {a["id"]: a["path"].rsplit("/", 1)[-1][:3] for a in report["articles"]}
    pairs = {tuple(sorted(name[i] for i in r["article_ids"])): r for r in report["reuse"]}
    assert set(pairs) == {("000", "002"), ("001", "002")}
    afp = pairs[("001", "002")]  # the sda/afp article and the uncredited one print the same AFP copy
    assert afp["shared_sentences"] == 9
    assert sum(len(p["sentences"]) for p in afp["passages"]) == 9
    [single] = pairs[("000", "002")]["passages"]  # the dpa-AFX article shares one sentence
    assert single["text_a"].startswith("Als Gegenleistung für die Militärhilfe")
    articles = {name[a["id"]]: a for a in report["articles"]}
    shared = [s for s in articles["002"]["sentences"] if s["shared_with"]]
    assert len(shared) == 10
    assert not any(s["shared_with"] for s in articles["003"]["sentences"] + articles["004"]["sentences"])


def test_example_corpus_reprints(tmp_path, examples):
    report, _ = analyze_report(tmp_path, examples)
    path = {a["id"]: a["path"].split("corpus/")[1] for a in report["articles"]}
    found = {tuple(path[i] for i in r["article_ids"]): (r["direction"], r["shared_sentences"]) for r in report["reuse"]}
    assert found == {
        ("erdbeben/01_dpa_beben.txt", "erdbeben/02_rundschau_beben.html"): ("a->b", 7),
        ("faehre/01_dpa_havarie.txt", "faehre/02_tageblatt_havarie.txt"): ("a->b", 7),
        ("faehre/03_afp_havarie.txt", "faehre/04_sda_havarie.txt"): ("a->b", 7),
        ("nordwerk/01_dpaafx_stellenabbau.txt", "nordwerk/03_weserbote_stellenabbau.txt"): ("a->b", 5),
    }


def test_syndicated_copies_count_once(tmp_path):
    copies = {
        "a.txt": f" date 2026-03-15 {WIRE} (dpa)",
        "b.txt": " date 2026-03-13 " + WIRE.replace("„", "»").replace("“", "«"),  # the earliest
        "c.txt": f" date 2026-03-14 {WIRE} (red/dpa)",
    }
    for name, text in copies.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report, _ = analyze_report(tmp_path, tmp_path)
    duplicate_of = {a["path"].rsplit("/", 1)[1]: a["duplicate_of"] for a in report["articles"]}
    earliest = next(a["id"] for a in report["articles"] if a["path"].endswith("b.txt"))
    assert duplicate_of == {"a.txt": earliest, "b.txt": None, "c.txt": earliest}
    assert [r["kind"] for r in report["reuse"]] == ["duplicate"] * 3


def test_reuse_command_shows_both_articles(examples):
    result = run_cli("reuse", examples / "faehre" / "03_afp_havarie.txt", examples / "faehre" / "04_sda_havarie.txt")
    assert result.exit_code == 0
    assert "7 shared sentence(s)" in result.output
    assert "sda/afp relays AFP" in result.output


def test_reuse_command_with_an_unknown_article(tmp_path):
    result = run_cli("reuse", "nope", "nada")
    assert result.exit_code == 2
    assert "neither a file nor an article id" in result.output


def test_reuse_eval_meets_its_targets():
    result = run_cli("eval", "reuse", shared_data("wikinews_quotes_de/dev.jsonl"))
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["precision"] >= 0.98 and metrics["recall"] >= 0.95
    assert metrics["false_article_pairs"] == 0
