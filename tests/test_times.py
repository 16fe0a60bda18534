"""Temporal expressions: German news and narrative text, values against the reference date."""

from __future__ import annotations

import json

import pytest

from conftest import shared_data
from helpers import analyze_report, run_cli
from lagebild.eval.times import DOCUMENT_SETS, document_half
from lagebild.extract.times import find_times
from lagebild.model import Sentence
from lagebild.nlp.sentences import split_text


def times_in(text: str, reference: str | None, narrative: bool = False) -> dict[str, str]:
    sentences = [Sentence(s.start, s.end, text[s.start : s.end], 0) for s in split_text(text, "de")]
    return {t.text: t.value for t in find_times(text, sentences, reference, "de", narrative)}


@pytest.mark.parametrize(
    "sentence,expression,value",
    [
        ("Moskau und Pjöngjang haben im Sommer 2024 eine Partnerschaft besiegelt.", "Sommer 2024", "2024-SU"),
        ("Im vergangenen Jahr hatten beide ein Abkommen geschlossen.", "vergangenen Jahr", "2024"),
        ("Im April bestätigte Nordkorea die Entsendung.", "April", "2025-04"),
        ("Die Beziehungen haben sich seit Februar 2022 vertieft.", "Februar 2022", "2022-02"),
        ("Diesen Sommer intensivierte Russland seine Angriffe.", "Diesen Sommer", "2025-SU"),
        ("Im August 2024 hatte die Ukraine eine Offensive gestartet.", "August 2024", "2024-08"),
        ("Die Offensive dauert nun schon fast dreieinhalb Jahre.", "fast dreieinhalb Jahre", "P3.5Y"),
        ("Dort hält sich dieser zu einem dreitägigen Besuch auf.", "dreitägigen", "P3D"),
    ],
)
def test_seed_style_expressions_in_a_july_2025_article(sentence, expression, value):
    assert times_in(sentence, "2025-07")[expression] == value


def test_a_weekday_in_a_month_only_article_stays_underspecified():
    assert times_in("Lawrow traf Kim am Samstag.", "2025-07")["Samstag"] == "XXXX-XX-XX"
    assert times_in("Lawrow traf Kim am Samstag.", "2025-07-13")["Samstag"] == "2025-07-12"


def test_false_friends_are_not_times():
    found = times_in("Die Partei gewann 2:1, die Quote lag bei 5,3 Prozent, 14.000 Soldaten und rund 2000 Stellen.", "2025-07-13")
    assert found == {}


def test_future_tense_moves_a_month_forward():
    assert times_in("Im Februar wird das Werk geschlossen.", "2025-07-13")["Februar"] == "2026-02"


def test_narrative_text_resolves_against_the_last_date():
    found = times_in("Am 1. September 1939 begann der Angriff. Am 17. September folgte die Rote Armee. Zwei Tage später fiel die Stadt.", None, narrative=True)
    assert found["17. September"] == "1939-09-17"
    assert found["Zwei Tage später"] == "1939-09-19"


def test_seed_report_has_times(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    values = {(t["text"], t["value"]) for t in report["times"]}
    assert ("Sommer 2024", "2024-SU") in values and ("Februar 2022", "2022-02") in values


def test_timex_eval_prints_metrics():
    result = run_cli("eval", "timex", shared_data("wikiwars_de"))
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["strict_f1"] > 0.75 and metrics["value_accuracy"] > 0.7  # regression guards


def test_undated_article_gets_its_events_date_and_a_timeline_of_dated_statements(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    undated = next(a for a in report["articles"] if a["path"].endswith("002_2555be4e492c327c.txt"))
    assert undated["date"] is None and undated["inferred_date"] == "2025-07"
    wonsan = next(e for e in report["events"] if undated["id"] in e["article_ids"])
    [august] = [s for s in wonsan["dated_statements"] if s["date"] == "2024-08"]
    assert august["text"].startswith("Im August 2024 hatte die Ukraine") and len(august["article_ids"]) == 2  # wire copy, once
    assert any(s["date"] == "2024-SU" and "im Sommer 2024" in s["text"] for s in wonsan["dated_statements"])


def english_times(text: str, reference: str) -> dict[str, str]:
    sentences = [Sentence(s.start, s.end, text[s.start : s.end], 0) for s in split_text(text, "en")]
    return {t.text: t.value for t in find_times(text, sentences, reference, "en")}


def test_english_expressions():
    found = english_times(
        "Sales rose last year and will grow next year. In March 1998 it cut jobs; three years ago it had more. "
        "The deal was signed Oct. 25, 1998, and runs for two years. Third-quarter profit fell. Shares may rise.",
        "1998-10-27",
    )
    assert found["last year"] == "1997" and found["next year"] == "1999"
    assert found["March 1998"] == "1998-03" and found["three years ago"] == "1995"
    assert found["Oct. 25, 1998"] == "1998-10-25" and found["two years"] == "P2Y"
    assert found["Third-quarter"] == "1998-Q3"
    assert "may" not in {k.lower() for k in found}  # the verb, not the month


def test_english_company_report_reads_the_quarter_it_reports_on():
    found = english_times(
        "Net income for the third quarter rose to $5 million from $4 million a year earlier. "
        "For the year ended June 30, sales were flat. Revenue in the quarter beat the year-ago quarter. "
        "The company now pays a dividend every month; it is payable Dec. 7. Last April it cut jobs.",
        "1989-10-26",
    )
    assert found["the third quarter"] == "1989-Q3" and found["a year earlier"] == "1988-Q3"
    assert found["the year"] == "P1Y"  # a span that ended June 30
    assert found["the quarter"] == "1989-Q3" and found["the year-ago quarter"] == "1988-Q3"
    assert found["now"] == "PRESENT_REF" and found["every month"] == "P1M"
    assert found["Dec. 7"] == "1989-12-07"  # the nearest December 7: English tense does not tell
    assert found["Last April"] == "1989-04"


def test_english_days_clock_times_and_spelled_years():
    found = english_times(
        "Yesterday he spoke at 10 p.m. Wednesday; this morning the talks resumed, as in nineteen ninety-six. "
        "Over the weekend more troops arrived, and June last year was quiet. It took 48 hours.",
        "1998-02-13",
    )
    assert found["Yesterday"] == "1998-02-12" and found["10 p.m. Wednesday"] == "1998-02-11T22:00"
    assert found["this morning"] == "1998-02-13TMO" and found["nineteen ninety-six"] == "1996"
    assert found["the weekend"] == "1998-W06-WE" and found["June last year"] == "1997-06"
    assert found["48 hours"] == "P2D"


def test_the_day_after_and_anaphoric_times():
    found = times_in("Am 3. September griffen sie an. Am Tag darauf fiel die Stadt. Zu dieser Zeit war es still.", "1939-09-01", narrative=True)
    assert found["3. September"] == "1939-09-03" and found["Am Tag darauf"] == "1939-09-04"
    assert not any("dieser Zeit" in text for text in found)  # "at that time": no date to give


def test_german_sentence_start_relative_days_and_durations_after_nach():
    found = times_in("Gestern begann der Angriff. Nach sechs Wochen war er vorbei. Der Morgen danach war still.", "2025-07-12")
    assert found["Gestern"] == "2025-07-11"
    assert found["sechs Wochen"] == "P6W"
    assert "Morgen" not in found  # the morning, not tomorrow


@pytest.mark.parametrize(
    "text,reference,expression,value",
    [
        ("Trump's takeover of the Fourth of July celebration drew criticism.", "2019-07-02", "the Fourth of July", "2019-07-04"),
        ("The family met at Christmas.", "2020-01-03", "Christmas", "2019-12-25"),
        ("The family will meet at Christmas.", "2019-06-03", "Christmas", "2019-12-25"),
        ("The schools will reopen after Easter, the minister said.", "2020-04-20", "Easter", "2020-04-12"),
        ("Stores opened early on Thanksgiving.", "2019-12-02", "Thanksgiving", "2019-11-28"),
        ("Markets were closed for Good Friday.", "2020-04-14", "Good Friday", "2020-04-10"),
        ("Several states will vote on Super Tuesday.", "2019-05-28", "Super Tuesday", "2020-03-03"),
        ("Candidates eye Super Tuesday.", "2019-05-28", "Super Tuesday", "2020-03-03"),  # of election years only
        ("California will hold its primary on March 3, along with several other states.", "2019-05-28", "March 3", "2020-03-03"),
        ("The board met on March 3 and approved the plan.", "2019-05-28", "March 3", "2019-03-03"),
        ("This weekend, 14 candidates will converge on San Francisco.", "2019-05-28", "This weekend", "2019-W22-WE"),
        ("This weekend, the candidates converged on San Francisco.", "2019-05-28", "This weekend", "2019-W21-WE"),
        ("He died weeks after the financier was arrested.", "2019-08-14", "weeks", "PXW"),
        ("The company, which just months ago was losing money, recovered.", "1989-10-30", "months", "PXM"),
        ("She hangs out with friends on weekends.", "2019-10-09", "weekends", "XXXX-WXX-WE"),
        ("The deal must close within five business days.", "2019-10-09", "five business days", "P5D"),
    ],
)
def test_english_holidays_fronted_clauses_and_plain_spans(text, reference, expression, value):
    assert english_times(text, reference)[expression] == value


@pytest.mark.parametrize(
    "text,reference,expression,value",
    [
        ("Die Kirchen bleiben an Ostern geschlossen.", "2020-04-01", "Ostern", "2020-04-12"),  # present tense, the coming one
        ("Über Ostern wurden weniger Fälle gemeldet.", "2020-04-20", "Ostern", "2020-04-12"),
        ("An Pfingsten bleiben die Läden zu, die Osterferien enden.", "2020-05-03", "Pfingsten", "2020-05-31"),
        ("Am Tag der Deutschen Einheit sprach der Präsident.", "2020-10-05", "Tag der Deutschen Einheit", "2020-10-03"),
        ("Weihnachten 1914 schwiegen die Waffen.", "2020-10-05", "Weihnachten 1914", "1914-12-25"),
        ("Das Fest an Weihnachten.", None, "Weihnachten", "XXXX-12-25"),
    ],
)
def test_german_holidays_are_the_nearest_one_or_the_year_named(text, reference, expression, value):
    found = times_in(text, reference)
    assert found[expression] == value and "Osterferien" not in found


@pytest.mark.parametrize(
    "text,reference,expression,value",
    [
        ("Das Zentrum bleibt bis einschließlich Donnerstag, 19. März geschlossen.", "2020-03-09", "Donnerstag, 19. März", "2020-03-19"),
        ("Die Schulen sind ab Montag geschlossen.", "2020-03-15", "Montag", "2020-03-16"),  # "ab": from then on
        ("„Das wird Milliarden betreffen“, sagte er am vergangenen Mittwoch.", "2020-05-31", "vergangenen Mittwoch", "2020-05-27"),
        ("Kommende Woche sollen die ersten Kinder kommen.", "2020-04-07", "Kommende Woche", "2020-W16"),
        ("Letzten Monat musste ich den Laden schließen.", "2020-05-03", "Letzten Monat", "2020-04"),
        ("Trump erwägt, den diesjährigen Gipfel abzuhalten.", "2020-05-21", "diesjährigen", "2020"),
        ("Das Land steckt in einer seit Jahren andauernden Krise.", "2020-03-15", "Jahren", "PXY"),
        ("Einzelheiten will das Büro in Kürze bekanntgeben.", "2020-04-10", "in Kürze", "FUTURE_REF"),
        ("Am Mittwoch wolle das Kabinett entscheiden.", "2020-04-07", "Mittwoch", "2020-04-08"),
        ("In den folgenden Tagen erkrankten immer mehr Gäste.", "2020-05-29", "folgenden Tagen", "PXD"),
        ("Wie am Abend aus Kreisen des Élysée verlautete, kommt Macron.", "2020-05-21", "Abend", "2020-05-21TEV"),
        ("Die Zahl der Fälle ist bis Samstag auf 44 gestiegen.", "2020-03-09", "Samstag", "2020-03-07"),  # "bis" alone: up to
    ],
)
def test_german_news_expressions(text, reference, expression, value):
    assert times_in(text, reference)[expression] == value


@pytest.mark.parametrize(
    "text,expression,value",
    [
        ("Die Entscheidung soll Mitte Juni fallen.", "Mitte Juni", "2020-06"),  # "soll" with a plain infinitive: planned
        ("Er soll im März Geld genommen haben.", "März", "2020-03"),  # with a perfect one: hearsay of the past
        ("Die Länder sollen bis Mai Zeit haben.", "Mai", "2020-05"),  # "Zeit haben" is no perfect
        ("Bis Ende Mai gelten die Regeln.", "Ende Mai", "2020-05"),  # "bis Ende" before "Ende Mai"
        ("Am Wochenende waren viele Menschen unterwegs.", "Wochenende", "2020-W15-WE"),
        ("Am Wochenende soll es regnen.", "Wochenende", "2020-W16-WE"),
        ("Am vergangenen Wochenende wird Bilanz gezogen.", "vergangenen Wochenende", "2020-W15-WE"),
        ("Vorige Woche hatte der Senat beschlossen.", "Vorige Woche", "2020-W15"),
        ("Anfang nächster Woche soll die Entscheidung fallen.", "Anfang nächster Woche", "2020-W17"),
        ("Ende der Woche tagt das Kabinett.", "Ende der Woche", "2020-W16"),
        ("Ende des Monats läuft die Frist ab.", "Ende des Monats", "2020-04"),
        ("Die Frist läuft Mitte kommenden Monats ab.", "Mitte kommenden Monats", "2020-05"),
        ("Gestern Abend meldete das Institut neue Zahlen.", "Gestern Abend", "2020-04-14TEV"),
        ("Am Vortag hatte er es angekündigt.", "Am Vortag", "2020-04-14"),
        ("In den vergangenen Tagen stieg die Zahl.", "vergangenen Tagen", "PXD"),
        ("Aktuell gibt es 500 Fälle.", "Aktuell", "PRESENT_REF"),
        ("Am Donnerstag vergangener Woche sprach er.", "Donnerstag vergangener Woche", "2020-04-09"),
        ("Ab kommender Woche gilt die Maskenpflicht.", "kommender Woche", "2020-W17"),
        ("Vergangenes Jahr war alles anders.", "Vergangenes Jahr", "2019"),
        ("Im ersten Quartal sank der Umsatz.", "ersten Quartal", "2020-Q1"),
        ("Im dritten Quartal sank der Umsatz.", "dritten Quartal", "2019-Q3"),  # reports look back
        ("Im zweiten Halbjahr soll es besser werden.", "zweiten Halbjahr", "2020-H2"),
        ("Der Gipfel findet am 4. Mai statt.", "4. Mai", "2020-05-04"),  # scheduled, in the present tense
        ("Am 4. Mai hatte er es gesagt.", "4. Mai", "2019-05-04"),
        ("Im Juli kommt mein drittes Enkelkind zur Welt.", "Juli", "2020-07"),  # a month told in the present: the nearest
        ("Im Juli übernahm die Bundesanwaltschaft.", "Juli", "2019-07"),  # in the past: the last one
        ("Er leitet das Museum seit Oktober.", "Oktober", "2019-10"),  # "seit": behind
        ("Im Februar wird das Werk geschlossen.", "Februar", "2021-02"),  # the future: the next one
    ],
)
def test_german_news_weeks_weekends_plans_and_parts_of_days(text, expression, value):
    assert times_in(text, "2020-04-15")[expression] == value


def test_german_nun_is_the_reports_now_not_a_storys_then():
    assert times_in("Nun bringt der Präsident ein Treffen ins Spiel.", "2020-05-21") == {"Nun": "PRESENT_REF"}
    assert times_in("Wie Politiker nun einmal sind, schwiegen sie.", "2020-05-21") == {}
    assert "nun" not in times_in("Am 3. Mai 1915 griffen nun die Truppen an.", None, narrative=True)


def test_a_german_part_of_day_is_the_day_the_text_is_at():
    found = times_in("Am 1. August 1914 erklärte das Reich den Krieg. Am Abend desselben Tages überschritten Truppen die Grenze.", None, narrative=True)
    assert found["Abend desselben Tages"] == "1914-08-01TEV"
    assert times_in("Sie kommen morgen. Am Morgen regnete es.", "2020-05-21") == {"morgen": "2020-05-22", "Morgen": "2020-05-21TMO"}


def test_a_german_age_is_no_span():
    assert times_in("Seine Kinder, drei und sechs Jahre alt, stehen unter Quarantäne.", "2020-03-09") == {}
    assert times_in("Kinder, die jünger als 14 Jahre sind, kommen zuerst.", "2020-04-07") == {}


def test_a_holiday_that_is_also_a_name_is_no_date():
    assert times_in("Zar Nikolaus II. dankte ab.", "1917-03-15") == {}


def test_english_look_alikes_of_spans_are_not_times():
    found = english_times("He faces a steep climb to a second term and stepped away from a day-to-day role. "
                          "In the first days after the vote, a second group formed.", "2019-05-21")
    assert found == {}
    assert english_times("Wait a second or two.", "2019-05-21") == {"a second": "PT1S"}


def test_english_timebank_eval_prints_metrics():
    result = run_cli("eval", "timex", shared_data("tempeval3_en/TimeBank"))
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["relaxed_f1"] > 0.8 and metrics["value_f1"] > 0.6  # regression guards


def test_timebank_halves_split_the_documents_once_and_for_all():
    corpus = shared_data("tempeval3_en/TimeBank")
    halves = {documents: json.loads(run_cli("eval", "timex", corpus, "--documents", documents).stdout) for documents in DOCUMENT_SETS}
    assert halves["half-a"]["documents"] + halves["half-b"]["documents"] == halves["all"]["documents"]
    assert halves["half-a"]["gold"] + halves["half-b"]["gold"] == halves["all"]["gold"]
    assert min(halves["half-a"]["documents"], halves["half-b"]["documents"]) > halves["all"]["documents"] // 3  # two real halves


def test_a_document_half_depends_on_the_file_name_only():
    assert document_half("wsj_0124.tml") == document_half("wsj_0124.tml")
    assert {document_half(f"doc{number}.tml") for number in range(20)} == {"half-a", "half-b"}
    assert run_cli("eval", "timex", ".", "--documents", "half-c").exit_code == 2


def test_clock_times_day_parts_and_years_before_christ():
    found = times_in("Am 1. September 1939 um 4:45 Uhr begann der Angriff. Am Morgen des 3. September "
                     "folgte die Erklärung, gegen 23:00 Uhr mitteleuropäischer Zeit. Im Jahr 490 v. Chr. siegte Athen.", "2011-02-16", narrative=True)
    assert found["4:45 Uhr"] == "1939-09-01T04:45"
    assert found["Morgen des 3. September"] == "1939-09-03TMO"
    assert found["gegen 23:00 Uhr mitteleuropäischer Zeit"] == "1939-09-03T23:00+01"
    assert found["490 v. Chr."] == "BC0490"


def test_a_section_heading_year_sets_the_year_of_the_months_after_it():
    text = "1862\n\nIm Oktober griff die Union an. Wie schon 1776 zog sich das Heer im Dezember zurück.\n\n1863\n\nIm Mai folgte der Angriff."
    sentences = [Sentence(s.start, s.end, text[s.start : s.end], 0, is_heading="." not in text[s.start : s.end]) for s in split_text(text, "de")]
    values = {t.text: t.value for t in find_times(text, sentences, "2011-02-16", "de", narrative=True)}
    assert values["Oktober"] == "1862-10" and values["Dezember"] == "1862-12" and values["Mai"] == "1863-05"


def test_an_ordinal_date_in_parentheses_does_not_end_the_sentence():
    text = "Sie nahmen Lübeck (2. Mai) und Hamburg (3. Mai) ein."
    assert len(split_text(text, "de")) == 1


def test_enumerated_days_take_the_month_that_follows():
    found = times_in("Am 8. und 9. Mai 1865 kapitulierten sie. Am 27./28. September folgte der Angriff.", "2011-02-16", narrative=True)
    assert found["8."] == "1865-05-08" and found["9. Mai 1865"] == "1865-05-09"
    assert found["27."] == "1865-09-27" and found["28. September"] == "1865-09-28"


def test_the_new_year_moves_the_story_and_a_look_back_does_not():
    found = times_in("Im Dezember 1941 stockte der Angriff. In den Schlachten des neuen Jahres fiel am 28. Mai Charkow.", "2011-02-16", narrative=True)
    assert found["28. Mai"] == "1942-05-28"
    found = times_in("Am 28. Juli 1914 erklärte Österreich den Krieg. Bereits am 8. Dezember 1912 hatte der Kaiser gedrängt. "
                     "Am 30. Juli folgte die Mobilmachung.", "2011-02-16", narrative=True)
    assert found["30. Juli"] == "1914-07-30"


@pytest.mark.parametrize("language", ["de", "en"])
def test_trying_patterns_only_where_an_expression_can_begin_finds_what_a_full_scan_finds(examples, language):
    from lagebild.extract.times import _patterns, _scan

    texts = [path.read_text(encoding="utf-8") for path in sorted(examples.rglob("*")) if path.is_file()]
    texts.append("Am Montagabend, zwei Jahre später, kam es zum dreitägigen Treffen; the first quarter of 2024, "
                 "three weeks ago, early last summer, Um das Jahr 500 v. Chr., gegen 4:45 Uhr MEZ, 12./13. Mai.")
    for text in texts:
        for (kind, _, fast), (_, pattern) in zip(_scan(text, language), _patterns(language)):
            assert [m.span() for m in fast] == [m.span() for m in pattern.finditer(text)], kind


@pytest.mark.parametrize(
    "sentence,expression,value",
    [
        ("Er erwarte den Abschlussbericht bis Ende Juni.", "Ende Juni", "2026-06"),  # expected: the coming June
        ("Die Reederei will die Strecke im Mai wieder bedienen.", "Mai", "2026-05"),
        ("Im Juli soll Nordkorea weitere Truppen entsendet haben.", "Juli", "2025-07"),  # "soll ... haben": reportedly, past
        ("Im Juli hatte die Reederei den Fahrplan geändert.", "Juli", "2025-07"),
    ],
)
def test_a_month_without_a_year_follows_the_sentence_into_the_future_or_the_past(sentence, expression, value):
    assert times_in(sentence, "2026-03-21")[expression] == value


@pytest.mark.parametrize(
    "sentence,expression,value",
    [
        ("Talks broke off at noon Thursday.", "noon Thursday", "2001-03-08T12:00"),
        ("Year-earlier results included a gain.", "Year-earlier", "2000"),
        ("The strike lasted a week.", "a week", "P1W"),  # a span: no count before "a"
        ("A spokesman said Wednesday that the troops will stay.", "Wednesday", "2001-03-07"),  # "will" is in the other clause
        ("The sale is scheduled to close Monday.", "Monday", "2001-03-12"),
        ("The shares are to resume trading Tuesday.", "Tuesday", "2001-03-13"),
        ("The paper said so in an editorial on Sunday, March 11.", "Sunday, March 11", "2001-03-11"),
        ("A ferry leaves each Thursday.", "each Thursday", "XXXX-WXX-4"),
        ("The market is closed on Sundays.", "Sundays", "XXXX-WXX-7"),
        ("She will command a shuttle mission in December.", "December", "2001-12"),  # future clause: ahead, not the nearest
        ("He stepped down in December.", "December", "2000-12"),
        ("Revenue for the year ended June 30 rose.", "June 30", "2000-06-30"),  # "ended": before the reference
        ("The dividend is payable June 30.", "June 30", "2001-06-30"),
        ("Hiring began last fall.", "last fall", "2000-FA"),
        ("Orders rose this past winter.", "this past winter", "2000-WI"),
        ("The plant opens next summer.", "next summer", "2001-SU"),
        ("Farmers plant in the spring.", "spring", "2001-SP"),
        ("The town was ruled from abroad for centuries.", "centuries", "PXCE"),
        ("Sales grew for the first time in years.", "years", "PXY"),
        ("Many things changed over the years.", "the years", "PXY"),
        ("The temple dates from the 12th century.", "the 12th century", "11"),
        ("The lease runs for 20 more years.", "20 more years", "P20Y"),
        ("The economy should slow in coming months.", "coming months", "FUTURE_REF"),
        ("There were sell programs in past years, too.", "past years", "PAST_REF"),
        ("For nearly forty years the policy held.", "nearly forty years", "P40Y"),
        ("Trading halted at 5 p.m. EST Thursday.", "5 p.m. EST Thursday", "2001-03-08T17:00"),
        ("He had resigned the day before.", "the day before", "2001-03-08"),
        ("A day earlier, the board met.", "A day earlier", "2001-03-08"),
        ("The day after, the board met.", "The day after", "2001-03-10"),
    ],
)
def test_english_news_usage(sentence, expression, value):
    assert english_times(sentence, "2001-03-09").get(expression) == value


@pytest.mark.parametrize(
    "sentence,not_a_time",
    [
        ("It posted its first quarterly loss.", "first quarter"),
        ("He resigned the day before the vote.", "the day before"),  # the vote's day before, not the report's
        ("Mr. Smith, 61 years old, will retire.", "61 years"),
        ("The 150-year-old bank was sold.", "150-year"),
        ("The airline runs four flights a week to Lima.", "a week"),
        ("The plant saves $3 million a year.", "a year"),
        ("Prices may fall 10% this year.", "fall"),
        ("The years 1990 to 1995 were hard, and months passed.", "months"),
    ],
)
def test_english_words_that_are_not_times(sentence, not_a_time):
    assert not any(not_a_time in found for found in english_times(sentence, "2001-03-09"))


def test_english_that_year_and_the_following_year_refer_to_the_last_year_named():
    found = english_times("In May 1995 she was promoted, and the following year she moved to Rome. Imports rose that year.", "2001-03-09")
    assert found["the following year"] == "1996" and found["that year"] == "1996"
    assert "that year" not in english_times("Imports rose that year.", "2001-03-09")  # no year named before: nothing to refer to


def test_german_news_gold_is_read_from_the_german_corpus():
    result = json.loads(run_cli("eval", "timex", shared_data("realnews_de")).stdout)
    assert result["language"] == "de" and result["gold_file"] == "times_gold_de.tsv" and result["documents"] == 60 and set(result["by_round"]) == {"round 1", "round 2"}
    assert result["metrics"]["relaxed_f1"] > 0.75 and result["metrics"]["value_f1"] > 0.65  # regression guards


def test_english_news_gold_scores_its_articles_in_halves():
    corpus = shared_data("realnews_en")
    halves = {documents: json.loads(run_cli("eval", "timex", corpus, "--documents", documents).stdout) for documents in DOCUMENT_SETS}
    assert halves["all"]["documents"] == 60 and set(halves["all"]["by_round"]) == {"round 1", "round 2"} and halves["all"]["gold_file"] == "times_gold_en.tsv"
    assert halves["half-a"]["gold"] + halves["half-b"]["gold"] == halves["all"]["gold"] > 100
    assert halves["all"]["metrics"]["relaxed_f1"] > 0.85 and halves["all"]["metrics"]["value_f1"] > 0.7  # regression guards


def test_english_news_gold_names_articles_the_corpus_must_hold(tmp_path):
    other = tmp_path / "news.jsonl"
    other.write_text(json.dumps({"url": "https://example.org/a", "date": "2019-05-01", "text": "On Monday it rained."}) + "\n", encoding="utf-8")
    result = run_cli("eval", "timex", other)
    assert result.exit_code != 0 and "gold article(s) not in" in result.output and "Traceback" not in result.output
