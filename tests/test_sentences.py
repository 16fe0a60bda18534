"""German sentence splitting: abbreviations, ordinals, quotations, headings."""

from __future__ import annotations

from lagebild.ingest.article import build_article
from lagebild.model import RawDocument
from lagebild.nlp.sentences import split_article, split_text


def sentences(text: str, language: str = "de") -> list[str]:
    return [text[span.start : span.end] for span in split_text(text, language)]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Das kostet ca. 5 Euro, z. B. für Kinder. Dr. Müller und Donald J. Trump kamen u.a. auch. Dann ging es los."
    assert sentences(text) == [
        "Das kostet ca. 5 Euro, z. B. für Kinder.",
        "Dr. Müller und Donald J. Trump kamen u.a. auch.",
        "Dann ging es los.",
    ]


def test_ordinals_before_months_and_nouns_do_not_end_sentences():
    text = "Am 13. August kam er. Es war der 3. Platz des 1. Bataillons im 19. Jahrhundert. Das war im Jahr 2024. Danach nicht mehr."
    assert sentences(text) == [
        "Am 13. August kam er.",
        "Es war der 3. Platz des 1. Bataillons im 19. Jahrhundert.",
        "Das war im Jahr 2024.",
        "Danach nicht mehr.",
    ]


def test_quotations_stay_whole_and_end_sentences_where_they_should():
    text = "„Wir kommen.“ Das sagte er. „Kommt ihr?“, fragte sie. Er rief: »Ja! Sofort.« Dann ging er."
    assert sentences(text) == [
        "„Wir kommen.“",
        "Das sagte er.",
        "„Kommt ihr?“, fragte sie.",
        "Er rief: »Ja!",
        "Sofort.«",
        "Dann ging er.",
    ]


def test_paragraph_breaks_end_sentences_and_glued_full_stops_split():
    assert sentences("Erster Absatz ohne Punkt\nZweiter Absatz. Noch einer.Der letzte.") == [
        "Erster Absatz ohne Punkt",
        "Zweiter Absatz.",
        "Noch einer.",
        "Der letzte.",
    ]


def test_english_abbreviations():
    assert sentences("Mr. Smith went to the U.S. on Monday. He met Gov. Brown.", "en") == [
        "Mr. Smith went to the U.S. on Monday.",
        "He met Gov. Brown.",
    ]


def test_subheadings_are_sentences_of_their_own():
    text = "Erster Absatz. Mit zwei Sätzen.\n\nZwischenzeile ohne Punkt\n\nDritter Absatz."
    article = build_article(RawDocument(path="x", text=text, source_format="text"))
    found = [(s.text, s.is_heading, s.paragraph) for s in split_article(article)]
    assert found == [
        ("Erster Absatz.", False, 0),
        ("Mit zwei Sätzen.", False, 0),
        ("Zwischenzeile ohne Punkt", True, 1),
        ("Dritter Absatz.", False, 2),
    ]
