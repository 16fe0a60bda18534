"""Numeric claims: value, qualifier as interval, counted thing, modality; groups compared."""

from __future__ import annotations

import math

import pytest

from helpers import analyze_report, run_cli
from lagebild.extract.claims import find_claims
from lagebild.extract.times import find_times
from lagebild.model import Sentence
from lagebild.nlp.sentences import split_text


def claims_in(text: str, language: str = "de"):
    sentences = [Sentence(s.start, s.end, text[s.start : s.end], 0) for s in split_text(text, language)]
    return find_claims("a1", text, sentences, find_times(text, sentences, "2025-07-13", language), language)


@pytest.mark.parametrize(
    "text,value,qualifier,low,high,unit",
    [
        ("Etwa 14.000 nordkoreanische Soldaten waren beteiligt.", 14000, "approx", 12600, 15400, "Soldat"),
        ("Nordkorea hat mehr als 10.000 Soldaten verlegt.", 10000, "over", 10000, math.inf, "Soldat"),
        ("Es könnten bis zu 30.000 weitere Soldaten folgen.", 30000, "upto", 0, 30000, "Soldat"),
        # a scaled figure is precise to its last written digit: 4,5 Millionen is 4.45 to 4.55 million
        ("Der Schaden liegt bei 4,5 Millionen Euro.", 4500000, "exact", 4450000, 4550000, "Euro"),
        ("Der Umsatz lag bei 4,1 Milliarden Euro.", 4100000000, "exact", 4050000000, 4150000000, "Euro"),
        ("Die Aktie fiel um mehr als 9 Prozent.", 9, "over", 9, math.inf, "Prozent"),
    ],
)
def test_claims_with_qualifiers(text, value, qualifier, low, high, unit):
    [claim] = claims_in(text)
    assert (claim.value, claim.qualifier, claim.unit) == (value, qualifier, unit) and type(claim.value) is type(value)
    assert claim.low == pytest.approx(low) and claim.high == pytest.approx(high)


def test_digits_past_any_count_are_no_claim_and_the_report_is_written(tmp_path):
    text = "Es kamen 99999999999999999999999 Menschen. Es kamen 1e999 Menschen. Es kamen 200 Menschen."
    assert [claim.value for claim in claims_in(text)] == [200]
    (tmp_path / "huge.txt").write_text("Große Zahlen\n\n" + text, encoding="utf-8")
    report, result = analyze_report(tmp_path, tmp_path / "huge.txt", db=tmp_path / "s.db")
    assert result.exit_code == 0 and [claim["value"] for claim in report["claims"]] == [200]


def test_not_claims_dates_times_scores():
    assert claims_in("Am 13. August 2025 um 07.30 Uhr stand es 2:1. Seit 2022 ist das so.") == []


def test_modality_and_increment():
    [plan] = claims_in("Demnach könnten bis zu 30.000 weitere nordkoreanische Soldaten entsendet werden.")
    assert plan.modality == "possibility" and plan.increment
    [report] = claims_in("Im Juli soll Nordkorea weitere knapp 30.000 Truppen entsendet haben.")
    assert report.modality == "report" and report.increment and report.qualifier == "almost"


def test_seed_soldier_counts_disagree_and_plans_stay_apart(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    claims = {c["id"]: c for c in report["claims"]}
    groups = {g["about"]: g for g in report["disagreements"]}
    deployed = groups["Soldat (reported)"]
    assert deployed["kind"] == "conflicting"
    values = {(claims[i]["value"], claims[i]["qualifier"]) for i in deployed["claim_ids"]}
    assert {(14000, "approx"), (10000, "over"), (10000, "approx")} <= values
    plans = groups["additional Soldat (planned or possible)"]
    assert {claims[i]["value"] for i in plans["claim_ids"]} == {30000}
    assert all("Truppe" != claims[i]["unit"] for g in report["disagreements"] for i in g["claim_ids"])


def test_claims_command(seeds):
    result = run_cli("claims", seeds)
    assert result.exit_code == 0 and "conflicting" in result.output and "~14,000" in result.output


@pytest.mark.parametrize(
    "text,value,qualifier,low,high,unit",
    [
        ("Zwischen 1.000 und 1.500 Mann sollen es sein.", None, "range", 1000, 1500, "Mann"),
        ("Nordkorea besitze vier bis sechs Atomwaffen.", None, "range", 4, 6, "Atomwaffe"),
        ("Die Zahl stieg auf 52 Tote.", 52, "exact", 52, 52, "Toter"),
        ("Insgesamt kamen zirka 500 Gäste.", 500, "approx", 450, 550, "Gast"),
        ("The quake killed at least 35 people.", 35, "atleast", 35, math.inf, "person"),
        ("About 14,000 troops were sent.", 14000, "approx", 12600, 15400, "soldier"),
        ("Between 1,000 and 1,500 soldiers could follow.", None, "range", 1000, 1500, "soldier"),
        ("Damage reached 3.5 million dollars.", 3500000, "exact", 3450000, 3550000, "dollar"),
    ],
)
def test_ranges_inflections_and_english_notation(text, value, qualifier, low, high, unit):
    language = "de" if any(w in text for w in ("Zwischen", "Nordkorea", "Zahl", "Insgesamt")) else "en"
    [claim] = claims_in(text, language)
    assert (claim.value, claim.qualifier, claim.unit) == (value, qualifier, unit) and type(claim.value) is type(value)
    assert claim.low == pytest.approx(low) and claim.high == pytest.approx(high)


@pytest.mark.parametrize(
    "text",
    [
        "Nach einem Flug mit Apollo 11 zusammen mit seinen Kollegen landete er.",
        "Der Virusstamm H5N1 breitet sich aus.",
        "Der 37-jährige Fahrer wurde verletzt.",
        "Der Täter, ein 64 Jahre alter Deutscher, wurde festgenommen.",
        "Die Maschine vom Typ „Do 228“ stürzte ab.",
        "Er ist seit 20 Jahren im Amt.",
        "The Boeing 737 landed safely.",
        "He waited three days.",
        # a numbered item of a text: a law's article or paragraph
        "Die Kommission soll nach dem Notfallartikel (Art. 122 AEUV) Kredite vergeben.",
        "Nach Paragraf 219 ist Werbung verboten.",
        "The law's Section 230 shields the platforms.",
    ],
)
def test_identifiers_ages_and_durations_are_not_claims(text):
    language = "en" if text.startswith(("The", "He")) else "de"
    assert claims_in(text, language) == []


@pytest.mark.parametrize(
    "text,language,value,unit",
    [
        ("Es gingen mehr als 190 000 Anträge ein.", "de", 190000, "Antrag"),  # thousands after a space, as SZ and Tagesspiegel write them
        ("In Frankreich gibt es 14\u202f967 Todesfälle.", "de", 14967, "Todesfall"),  # or a narrow one
        ("Es sind 1 234,5 Tonnen.", "de", 1234.5, "Tonne"),
        ("In drei Berliner Bezirken gibt es Fälle.", "de", 3, "Bezirk"),  # a place adjective: the districts are counted
        ("Die Quote stieg auf 12 %.", "de", 12, "Prozent"),
        ("Das kostet 5 € pro Stück.", "de", 5, "Euro"),
        ("The rate rose to 12%.", "en", 12, "percent"),  # the language's unit, as "12 percent"
        ("Ukraine got $391 million in aid.", "en", 391000000, "dollar"),
        ("The $5 billion deal collapsed.", "en", 5000000000, "dollar"),  # money, not a count of deals
    ],
)
def test_numbers_as_real_news_writes_them(text, language, value, unit):
    [claim] = claims_in(text, language)
    assert (claim.value, claim.unit) == (value, unit)


def test_english_counts_the_last_noun_of_its_phrase_and_a_withdrawn_figure_is_none():
    assert [c.unit for c in claims_in("Five House members missed the vote.", "en")] == ["member"]
    assert [c.unit for c in claims_in("Koch rated the seven Democratic candidates.", "en")] == ["candidate"]
    assert [c.unit for c in claims_in("The RNC gained 600,000 new donors.", "en")] == ["donor"]
    assert claims_in("In einer vorherigen Version dieses Artikels war von 43 Wissenschaftlern die Rede.") == []


def test_a_figure_of_a_past_year_is_another_moment():
    from lagebild.link.claims import comparable
    from lagebild.model import Claim

    def claim(article: str, text: str, value: int, sentence: str) -> Claim:
        return Claim(f"c-{article}", article, 0, len(text), text, value, value, value, "exact", "Democrat", "reported", False, sentence, None)

    dates = {"a": "2019-12-14", "b": "2019-12-18", "c": "2019-12-18"}
    old = claim("a", "34 Democrats", 34, "The House passed the bill in 2010, with 34 Democrats voting against it.")
    now = claim("b", "two Democrats", 2, "Two Democrats voted against the first article.")
    plan = claim("c", "three Democrats", 3, "Three Democrats will retire by 2021.")
    assert not comparable(old, now, {}, dates)  # "in 2010," is a year before the report's
    assert comparable(now, plan, {}, dates)  # a later year is a target, not another moment


@pytest.mark.parametrize(
    "text,language,low,high",
    [
        ("Mehrere hundert Minderjährige warten.", "de", 200, 999),  # was exactly 100
        ("Es warten einige tausend Flüchtlinge.", "de", 2000, 9999),
        ("Ein paar hundert Menschen demonstrierten.", "de", 200, 999),
        ("A few hundred people protested.", "en", 200, 999),
    ],
)
def test_a_few_hundred_is_a_vague_count(text, language, low, high):
    [claim] = claims_in(text, language)
    assert (claim.value, claim.low, claim.high, claim.qualifier) == (None, low, high, "approx")


def test_the_base_of_a_share_is_no_count():
    assert claims_in("Nine in 10 Republican voters back him.", "en") == []
    assert claims_in("One out of five voters backs him.", "en") == []
    assert [c.unit for c in claims_in("Drei Berliner wurden verletzt.")] == ["Berliner"]  # alone, the people


def test_darunter_is_not_a_qualifier_and_coordinated_numbers_share_their_noun():
    claims = claims_in("An Bord waren zwölf Menschen, darunter acht Passagiere. Die Gebühr stieg von 410 auf 490 Punkte.")
    assert [(c.value, c.qualifier, c.unit) for c in claims] == [(12, "exact", "Mensch"), (8, "exact", "Passagier"), (410, "exact", "Punkt"), (490, "exact", "Punkt")]


@pytest.mark.parametrize(
    "text,role",
    [
        ("Sieben Menschen wurden leicht verletzt, wie die Polizei mitteilte.", "injured"),
        ("Vor Rügen ist eine Fähre mit rund 350 Menschen an Bord auf Grund gelaufen.", "aboard"),
        ("Bei dem Beben sind mindestens 37 Menschen ums Leben gekommen.", "killed"),
        ("In Kassel leben etwa 150 Menschen mit kirgisischen Wurzeln.", "residents"),
        ("Das Unternehmen rechnet mit einem Umsatz von etwa 4,1 Milliarden Euro.", "Umsatz"),
        ("Nordwerk hatte einen Verlust von 312 Millionen Euro gemacht.", "Verlust"),
        ("Etwa 14.000 nordkoreanische Soldaten waren an den Gefechten beteiligt.", None),
        ("Die Explosion hat drei Menschen das Leben gekostet.", "killed"),  # "das Leben": no residents
    ],
)
def test_what_a_number_is_of(text, role):
    [claim] = claims_in(text)
    assert claim.role == role


def test_role_words_of_another_number_and_the_whole_of_a_part():
    killed, injured = claims_in("2009 starben in Chengdu 28 Menschen und mehr als 70 wurden verletzt.")
    assert (killed.role, injured.role) == ("killed", "injured")
    whole = [c for c in claims_in("Nordwerk will 2.400 von rund 9.500 Stellen streichen.") if c.value == 9500]
    assert [c.role for c in whole] == ["whole"]


def test_counts_of_people_compare_only_in_the_same_role(tmp_path, examples):
    report, _ = analyze_report(tmp_path, examples)
    groups = {g["about"]: g for g in report["disagreements"]}
    claims = {c["id"]: c for c in report["claims"]}
    # the injured, those aboard, the dead: three quantities, each agreed on across outlets
    assert groups["people injured (reported)"]["kind"] == "agreeing"
    assert {claims[i]["value"] for i in groups["people aboard (reported)"]["claim_ids"]} == {350}
    assert groups["people killed (reported)"]["kind"] == "compatible"  # at least 37 (dpa), at least 35 (AP)
    # a loss and a revenue are not one amount of euros; the real conflicts: the jobs cut, and
    # within one report the union's count of strikers against the police's
    conflicts = [g["about"] for g in report["disagreements"] if g["kind"] == "conflicting"]
    assert conflicts == ["Stelle (planned or possible)", "people took part (reported)"]
    # "2.400 Stellen", Reuters' "2,400 jobs" and the strike report's "2.400 von rund 9.500 Stellen" are one quantity
    assert {claims[i]["text"] for i in groups["Stelle (planned or possible)"]["claim_ids"]} == {"2.400 Stellen", "rund 2000 Stellen", "2,400 jobs", "2.400 von rund 9.500 Stellen"}
    strike = groups["people took part (reported)"]["claim_ids"]
    assert {(claims[i]["value"], claims[i]["via"]) for i in strike} == {(3000, "IG Metall"), (1800, "Die Polizei")}


NUMBER_WORDS = [
    ("einundzwanzig", 21, "de"), ("dreihundertfünfzig", 350, "de"), ("fünfundzwanzigtausend", 25000, "de"),
    ("zweiundvierzig", 42, "de"), ("dreiundsechzig", 63, "de"), ("neunundneunzig", 99, "de"),
    ("einhundert", 100, "de"), ("zweihundert", 200, "de"), ("viertausend", 4000, "de"),
    ("siebenhundertachtzig", 780, "de"), ("achtzehntausend", 18000, "de"), ("sechsundzwanzig", 26, "de"),
    ("vier", 4, "de"), ("zwölf", 12, "de"),
    ("twenty-one", 21, "en"), ("forty-five", 45, "en"), ("ninety-nine", 99, "en"), ("thirty-two", 32, "en"),
    ("sixty-seven", 67, "en"), ("seventy-three", 73, "en"), ("eighty-eight", 88, "en"), ("fifty-one", 51, "en"),
    ("twelve", 12, "en"),
]


@pytest.mark.parametrize("word,value,language", NUMBER_WORDS)
def test_numbers_written_as_words(word, value, language):
    noun = {"de": "Soldaten", "en": "soldiers"}[language]
    verb = {"de": "Es kamen", "en": "There came"}[language]
    [claim] = claims_in(f"{verb} {word} {noun} an die Grenze.", language)
    assert (claim.value, claim.text.split()[-1]) == (value, noun)
    [capitalised] = claims_in(f"{word[:1].upper() + word[1:]} {noun} kamen an die Grenze.", language)
    assert capitalised.value == value


def test_number_words_that_make_no_number_are_no_claim():
    assert claims_in("Es kamen zweizwei Soldaten an die Grenze.") == []


@pytest.mark.parametrize(
    "part,whole",
    [
        ("Befragt wurden rund 300.000 jüngere Berliner.", "Befragt wurden rund 1600 Berliner."),
        ("Dazu kamen 64 andere wichtige Fragen.", "Der Fragebogen hatte 50 Fragen."),
        ("The remaining 40 passengers were rescued.", "The 350 passengers were rescued."),
    ],
)
def test_a_part_of_a_whole_is_another_quantity(part, whole):
    from dataclasses import replace

    from lagebild.link.claims import comparable

    language = "en" if part.startswith("The") else "de"
    (first,), (second,) = claims_in(part, language), claims_in(whole, language)
    second = replace(second, id="c-other", article_id="a2")
    assert first.unit == second.unit and not comparable(first, second, {})
    assert comparable(second, replace(second, id="c-third", article_id="a3"), {})  # the whole against itself: one quantity


def test_another_source_is_no_part():
    from lagebild.link.claims import _subset

    assert not _subset("100, nach anderen Angaben 110 Kilometern", "Das Auto fährt 100, nach anderen Angaben 110 Kilometern weit.")
    assert _subset("64 andere wichtige Fragen", "Dazu kamen 64 andere wichtige Fragen.") == {"andere"}


def compared_in(text: str, language: str = "de") -> list[dict]:
    """The groups one article's figures make when compared (one story, no quotations)."""
    from lagebild.link.claims import compare_claims

    return compare_claims(claims_in(text, language), {"a1": "story"})


def test_a_figure_set_against_the_one_before_is_compared_beside_an_enumeration():
    # the district's dead enumerate other places, yet the article sets the second source's
    # figure against the first one's
    text = ("Im Norden wurden vier Zivilisten getötet. Unter den Toten im Süden sollen laut dem Gouverneur "
            "sechs Zivilisten gewesen sein. Die Armee geht von zehn getöteten Zivilisten aus. "
            "Im Osten wurden zwei Zivilisten getötet.")
    [group] = compared_in(text)
    assert group["kind"] == "conflicting"
    assert group["range"] == {"min_value": 6, "max_value": 10}  # the north's four and the east's two are other places


def test_a_cue_sets_against_the_figure_right_after_it():
    from lagebild.link.claims import _cue_between

    first, other, later = claims_in("Im Land sind 25 Fälle bekannt. Das Institut spricht von 12 Fällen, die Agentur zählt 30 Fälle.")
    assert [c.value for c in (first, other, later)] == [25, 12, 30]
    assert _cue_between(first, other)  # "spricht von 12": another source's figure
    assert not _cue_between(first, later)  # the cue is the 12's
    _, crew, _, other_crew = claims_in("An Bord waren 15 Passagiere und zwei Besatzungsmitglieder. "
                                       "Andere Medien berichten von 13 Passagieren und zwei Besatzungsmitgliedern.")
    assert _cue_between(crew, other_crew)  # one clause: the cue reaches both of its figures


@pytest.mark.parametrize(
    "text,values,unit",
    [
        ("Die Reparatur der Leitung dauerte sechs, nach anderen Angaben sieben Stunden.", [6, 7], "Stunde"),
        ("Die Fahrt über die Grenze dauerte 12, nach anderen Angaben 14 Tage.", [12, 14], "Tag"),
    ],
)
def test_a_duration_set_against_another_sources_is_a_disputed_figure(text, values, unit):
    assert [(c.value, c.unit) for c in claims_in(text)] == [(value, unit) for value in values]
    [group] = compared_in(text)
    assert group["kind"] == "conflicting" and group["range"] == {"min_value": values[0], "max_value": values[1]}


def test_a_duration_alone_or_after_a_cue_alone_is_no_claim():
    assert claims_in("Die Reparatur der Leitung dauerte sieben Stunden.") == []  # the time stage's
    assert claims_in("Der Richter sprach von sieben Stunden Verhandlung.") == []  # nothing set against it


@pytest.mark.parametrize(
    "text,language,unit",
    [
        ("Ein Erdbeben der Stärke 6,2 erschütterte die Küste.", "de", "Stärke"),
        ("Der Orkan erreichte eine Geschwindigkeit von 140, sagte der Wetterdienst.", "de", "Geschwindigkeit"),
        ("A magnitude 6.4 earthquake hit the island.", "en", "magnitude"),
        ("The quake had a magnitude of 6.1, the survey said.", "en", "magnitude"),
    ],
)
def test_a_measure_noun_before_a_bare_number_says_what_it_measures(text, language, unit):
    [claim] = claims_in(text, language)
    assert (claim.unit, claim.role) == (unit, unit)

def test_a_magnitude_first_reported_otherwise_conflicts():
    text = "Ein Erdbeben der Stärke 6,2 erschütterte die Küste. Die Warte hatte die Stärke des Bebens zunächst mit 5,9 angegeben."
    [group] = compared_in(text)
    assert group["kind"] == "conflicting" and group["range"] == {"min_value": 5.9, "max_value": 6.2}
    [group] = compared_in("A magnitude 6.4 earthquake hit the island. The agency initially put the magnitude at 6.0.", "en")
    assert group["kind"] == "conflicting"


@pytest.mark.parametrize(
    "text",
    [
        "Die Zeitung berichtet in ihrem Bericht von 30 beschädigten Häusern.",
        "Der Sender meldete in einer Mitteilung von Sonntag 30 beschädigte Häuser.",
        "Dagegen sprach die Agentur von 30 beschädigten Häusern.",
        "Dagegen sprach Reuters von 30 beschädigten Häusern.",
    ],
)
def test_a_medium_or_a_source_before_von_is_not_what_is_counted(text):
    [claim] = claims_in(text)
    assert claim.unit == "Haus" and claim.role is None


def test_a_range_with_about_is_a_range_and_conflicts_with_a_figure_outside_it():
    [organisers, police] = claims_in("Die Organisatoren zählten rund 800 bis 900 Läufer; nach Polizeiangaben waren es etwa 500.")
    assert (organisers.qualifier, organisers.low, organisers.high, organisers.value) == ("range", 800, 900, None)
    assert police.unit == organisers.unit == "Läufer"
    [group] = compared_in("Die Organisatoren zählten rund 800 bis 900 Läufer; nach Polizeiangaben waren es etwa 500.")
    assert group["kind"] == "conflicting"
    [group] = compared_in("Die Organisatoren zählten rund 800 bis 900 Läufer; nach Polizeiangaben waren es etwa 850.")
    assert group["kind"] == "compatible"
    [group] = compared_in("Tausende Läufer kamen. Nach Polizeiangaben waren es 500 Läufer.")
    assert group["kind"] == "compatible"  # a vague count is never a conflict


def test_a_place_adjective_names_its_place():
    from lagebild.link.claims import _places

    assert _places("Auf dem Kölner Flughafen landete eine Maschine.") == _places("In Köln landete eine Maschine.") != frozenset()
    assert _places("Der Bauer verkaufte 30 Kühe.") == frozenset()


def test_figures_under_headlines_of_different_places_are_different_quantities():
    from dataclasses import replace

    from lagebild.link.claims import compare_claims

    [first] = claims_in("Die Maschine mit 52 Passagieren an Bord landete sicher.")
    [second] = claims_in("Die Maschine mit 95 Passagieren an Bord landete sicher.")
    second = replace(second, id="c-other", article_id="a2")
    stories = {"a1": "story", "a2": "story"}
    apart = {"a1": "Notlandung in Palermo", "a2": "Notlandung auf dem Kölner Flughafen"}
    assert compare_claims([first, second], stories, title_of_article=apart) == []
    together = {"a1": "Notlandung in Köln", "a2": "Notlandung auf dem Kölner Flughafen"}
    assert [group["kind"] for group in compare_claims([first, second], stories, title_of_article=together)] == ["conflicting"]
    # a city in one sentence and its country in both headlines: the headlines meet
    [city] = claims_in("In Bischkek wurden 200 Menschen verletzt.")
    [country] = claims_in("Im ganzen Land wurden 250 Menschen verletzt.")
    country = replace(country, id="c-country", article_id="a2")
    headlines = {"a1": "Erdbeben erschüttert Kirgistan", "a2": "Dutzende Tote nach Erdbeben in Kirgistan"}
    assert [group["kind"] for group in compare_claims([city, country], stories, title_of_article=headlines)] == ["conflicting"]


def test_the_claims_listing_shows_a_page_of_the_groups_in_their_order(tmp_path, examples):
    from lagebild.store import Store, picture

    db = tmp_path / "s.db"
    analyze_report(tmp_path, examples, db=db)
    with Store(db) as store:
        story_ids = picture.story_ids(store.connection)
        every = picture.disagreements(store.connection, story_ids)
        assert len(every) > 4 and picture.disagreement_count(store.connection, story_ids) == len(every)
        for limit, offset in ((1, 0), (2, 1), (3, 2), (100, 0)):
            assert picture.disagreements(store.connection, story_ids, limit, offset) == every[offset : offset + limit]
    two = run_cli("claims", "--db", db, "--all", "--top", "2").stdout
    whole = run_cli("claims", "--db", db, "--all", "--top", "1000").stdout
    assert two.endswith(f"  … {len(every) - 2} more groups of numbers (--top N lists more)\n") and "more groups" not in whole
    assert whole.startswith(two.rsplit("  … ", 1)[0]) and sum(line.startswith(f"{g['about']}: ") for g in every for line in two.splitlines()) >= 2
