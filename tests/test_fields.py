"""Title, date, dateline, byline and credits are found and removed from the body."""

from __future__ import annotations

import pytest

from lagebild.ingest.article import build_article
from lagebild.model import RawDocument


def article_from(text: str, **metadata):
    return build_article(RawDocument(path="t.txt", text=text, source_format="text", **metadata))


SEED_EXPECTATIONS = {
    "000_f7b2c0f8b557b5ef.txt": dict(title=None, date="2025-07", dateline="WONSAN", credits=["dpa-AFX"], desk_code="/bal/DP/nas",
                                     starts="Russland und Nordkorea wollen", ends="gibt es nicht."),
    "001_122397537753780a.txt": dict(title="Russischer Aussenminister Lawrow trifft Nordkoreas Machthaber Kim", date="2025-07",
                                     dateline=None, credits=["sda", "afp"], starts="Bei seinem Besuch", ends="zu Besuch sein."),
    "002_2555be4e492c327c.txt": dict(title=None, date=None, dateline=None, credits=[], starts="Gerade erst hatte", ends="Verteidigung enthält."),
    "003_717496cbf72b2f1d.txt": dict(title="Kim traf Lawrow in der Küstenstadt Wonsan", date="2025-07", dateline=None,
                                     credits=["APA", "dpa", "AFP"], byline="APA/dpa/AFP", starts="Nordkoreas Machthaber Kim Jong-un",
                                     ends="weiter ab."),
    "004_9ab6663508d683a1.txt": dict(title=None, date="2025-08-13", dateline=None, credits=["AFP"], starts="Nordkorea zählt zu",
                                     ends="mehrere Tausend wurden verwundet."),
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTATIONS))
def test_seed_fields_are_found_and_removed_from_the_body(seeds, name):
    expected = SEED_EXPECTATIONS[name]
    article = article_from((seeds / name).read_text(encoding="utf-8"))
    assert article.title == expected["title"]
    assert article.date == expected["date"]
    assert article.dateline == expected["dateline"]
    assert article.credits == expected["credits"]
    assert article.byline == expected.get("byline")
    assert article.desk_code == expected.get("desk_code")
    assert article.text.startswith(expected["starts"])
    assert article.text.endswith(expected["ends"])
    assert article.language == "de"
    for field in article.fields:  # every removed field is kept with its place in the source
        assert article.source_text[field.start : field.end].strip() == field.text
        assert field.text not in article.text or field.name == "title"
    assert article.source_text[article.body_offset :].startswith(article.text)


def test_seed_subheadings_are_marked(seeds):
    article = article_from((seeds / "003_717496cbf72b2f1d.txt").read_text(encoding="utf-8"))
    headings = [article.text[span.start : span.end] for span in article.headings]
    assert headings == ["“Unbesiegbare Kampfgemeinschaft”", "Russland will weiteres Dorf in Donezk eingenommen haben"]


def test_month_precision_is_kept():
    article = article_from(" date 2025-07 Titel der Meldung\n\nDer erste Absatz berichtet etwas. Und noch mehr.")
    assert article.date == "2025-07"
    assert article.date_source == "header"


def test_missing_date_is_a_recorded_warning():
    article = article_from("Ein Artikel ohne Datum. Er hat dennoch Text, der gelesen werden kann.")
    assert article.date is None
    assert any("no date" in warning for warning in article.warnings)


def test_english_dateline_with_country_and_metadata_title():
    text = "Ferry aground\nSASSNITZ, Germany (Reuters) - A ferry ran aground on Saturday, police said."
    article = article_from(text, title="Ferry aground", date="2026-03-14T14:05:00Z")
    assert article.title == "Ferry aground"
    assert article.dateline == "SASSNITZ, Germany"
    assert article.credits == ["Reuters"]
    assert article.date == "2026-03-14"
    assert article.text.startswith("A ferry ran aground")
    assert article.language == "en"


def test_mixed_case_dateline_and_author_codes_in_trailing_credit():
    article = article_from("Berlin (dpa) - Der Bundestag hat am Freitag ein Gesetz beschlossen. Es gilt ab Mai. (red/dpa)")
    assert article.dateline == "Berlin"
    assert article.credits == ["dpa"]
    assert article.text.endswith("Es gilt ab Mai.")


def test_copyright_line_and_mit_material_credit():
    text = "Die Regierung plant neue Regeln für Fähren. Sie sollen 2027 gelten. (mit Material von dpa und AFP)\n© dpa-infocom"
    article = article_from(text)
    assert article.credits == ["dpa", "AFP", "dpa-infocom"]
    assert article.text.endswith("Sie sollen 2027 gelten.")


def test_a_sentence_ending_in_parentheses_is_not_a_credit():
    article = article_from("Der Bericht nennt die Zahlen für das Jahr (siehe Tabelle).")
    assert article.credits == []
    assert article.text.endswith("(siehe Tabelle).")


def test_a_first_line_that_is_a_sentence_is_not_a_title():
    article = article_from("Nordkorea zählt zu Russlands engsten Partnern. Beide wollen kooperieren.\n\nZweiter Absatz.")
    assert article.title is None
    assert article.text.startswith("Nordkorea zählt")


def test_the_same_text_gets_the_same_id_wherever_it_comes_from():
    one = build_article(RawDocument(path="a.txt", text="Ein Text über etwas.\n", source_format="text"))
    two = build_article(RawDocument(path="b/c.txt", text="Ein  Text über etwas.", source_format="text"))
    assert one.id == two.id


def test_a_sentence_wrapped_across_lines_is_one_paragraph():
    from lagebild.ingest.fields import find_headings

    body = ("Die Lage ist ernst. Seit\n Mitte März bestehen Einschränkungen.\nZwischentitel\n"
            "Er sagte, die\nLage sei ernst, und\nwarnte vor Folgen.\n\nder Absatz danach beginnt klein.\n"
            "Senat kündigt Lockerungen an\nIn Berlin öffnen die Läden.\nDer Plan steht für\n+ Die Liste")
    paragraphs, headings = find_headings(body)
    texts = [body[p.start : p.end] for p in paragraphs]
    assert texts == [
        "Die Lage ist ernst. Seit\n Mitte März bestehen Einschränkungen.",  # "Seit" ends no line of its own
        "Zwischentitel",
        "Er sagte, die\nLage sei ernst, und\nwarnte vor Folgen.",  # an article; a line going on in lower case
        "der Absatz danach beginnt klein.",  # a blank line always ends a paragraph
        "Senat kündigt Lockerungen an",  # a verb's particle ends a German clause
        "In Berlin öffnen die Läden.",
        "Der Plan steht für",
        "+ Die Liste",  # a list's item
    ]
    assert [body[h.start : h.end] for h in headings] == ["Zwischentitel", "Senat kündigt Lockerungen an", "Der Plan steht für"]


def test_joining_wrapped_lines_grows_linearly_with_the_text():
    """Article text is untrusted: a paragraph of thousands of wrapped lines joins in linear time
    (each line was read against the whole paragraph joined before it: 43 s for 20,000 lines)."""
    import time

    from lagebild.ingest.fields import find_headings

    def seconds(lines: int) -> float:
        started = time.perf_counter()
        paragraphs, _ = find_headings("Er sagte, die\n" * lines)
        assert len(paragraphs) == 1
        return time.perf_counter() - started

    small, large = min(seconds(2_000) for _ in range(3)), min(seconds(20_000) for _ in range(3))
    assert large < 25 * small
