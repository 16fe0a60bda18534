"""Quotations: every quote style, speakers, relays (via), and one statement across outlets."""

from __future__ import annotations

import json

import pytest

from conftest import shared_data
from helpers import analyze_report, run_cli
from lagebild.extract.entities import find_mentions
from lagebild.extract.quotes import direct_spans, find_quotes
from lagebild.ingest.article import build_article
from lagebild.link.statements import statement_ids
from lagebild.model import Article, Quote, RawDocument, Sentence
from lagebild.nlp.sentences import split_article


def quotes_in(text: str, language: str = "de"):
    article = build_article(RawDocument(path="x", text=text, source_format="text", language=language))
    sentences = split_article(article)
    return find_quotes(article, sentences, find_mentions(article, sentences))


def quotes_by_text(text: str, language: str = "de") -> dict[str, Quote]:
    return {q.text: q for q in quotes_in(text, language)}


@pytest.mark.parametrize(
    "text,content",
    [
        ("Er sagte: „Wir kommen morgen wieder.“ Dann ging er.", "Wir kommen morgen wieder."),
        ("Er sagte: »Wir kommen morgen wieder.« Dann ging er.", "Wir kommen morgen wieder."),
        ("Er sagte: «Wir kommen morgen wieder.» Dann ging er.", "Wir kommen morgen wieder."),
        ("He said: “We will be back tomorrow.” Then he left.", "We will be back tomorrow."),
        ('He said: "We will be back tomorrow." Then he left.', "We will be back tomorrow."),
    ],
)
def test_every_quote_style(text, content):
    [span] = direct_spans(text)
    assert text[span.start : span.end] == content


def test_direct_quote_with_speaker_after_it_and_relay():
    [quote] = quotes_in(
        "Kremlchef Wladimir Putin empfing den Gast. „Wir stehen fest zusammen“, sagte Putin der Nachrichtenagentur Tass zufolge."
    )
    assert (quote.speaker, quote.via, quote.cue, quote.direct) == ("Wladimir Putin", "Tass", "sagte", True)


def test_indirect_speech_after_and_before_the_cue():
    quotes = quotes_in(
        "Innenminister Torsten Wendland sagte, das Land werde alle Hinweise prüfen. "
        "Die Ursache sei noch völlig unklar, sagte ein Sprecher der Reederei."
    )
    found = [(q.kind, q.speaker, q.text) for q in quotes]
    assert ("indirect", "Torsten Wendland", "das Land werde alle Hinweise prüfen") in found
    assert ("indirect", "ein Sprecher der Reederei", "Die Ursache sei noch völlig unklar") in found


def test_relay_clause_is_not_the_speaker():
    [quote, *_] = quotes_in(
        "Wie die Nachrichtenagentur KCNA berichtete, sagte Kim Jong Un, sein Land sei zu allem bereit."
    )
    assert (quote.speaker, quote.via) == ("Kim Jong Un", "KCNA")


def test_demnach_points_back_at_a_report_not_at_quoted_words():
    text = (
        "„Wir stehen an der Seite unserer Partner“, sagte Ministerpräsident Lars Brandt. "
        "Die Gespräche dauerten bis in den Abend. "
        "Demnach könnten bald weitere Hilfen beschlossen werden. "
        "Die Zeitung Nordkurier berichtete am Abend über neue Pläne der Regierung. "
        "Demnach sollen die Hilfen verdoppelt werden."
    )
    by_text = {q.text: q.speaker for q in quotes_in(text)}
    # after someone's quoted words, "Demnach ..." names no source of its own: unknown, not Brandt
    assert by_text["könnten bald weitere Hilfen beschlossen werden"] is None
    assert by_text["sollen die Hilfen verdoppelt werden"] == "Nordkurier"


def test_seed_quotes(tmp_path, seeds):
    report, _ = analyze_report(tmp_path, seeds)
    name = {a["id"]: a["path"].split("/")[-1][:3] for a in report["articles"]}
    [wonsan] = [q for q in report["quotes"] if name[q["article_id"]] == "000" and q["text"].startswith("Ich dachte, es sei besser")]
    assert (wonsan["speaker"], wonsan["via"], wonsan["direct"]) == ("Kim Jong Un", "Tass", True)
    formen = [q for q in report["quotes"] if q["direct"] and q["text"].startswith("die Formen, in denen wir unser Abkommen")]
    assert len(formen) == 2 and {q["speaker"] for q in formen} == {"Sergej Lawrow"}
    pledges = [q for q in report["quotes"] if q["via"] == "KCNA" and "alle Maßnahmen der russischen Führung" in q["text"]]
    assert {name[q["article_id"]] for q in pledges} == {"002", "003"}  # in 002 inside "sein Land sei bereit, »…«"
    assert len({q["statement_id"] for q in pledges}) == 1  # two outlets' versions of Kim's pledge
    assert all(q["speaker"] == "Kim Jong Un" for q in pledges)
    nested = [
        (inner["text"], outer["text"]) for inner in report["quotes"] for outer in report["quotes"]
        if inner is not outer and inner["article_id"] == outer["article_id"] and inner["speaker"] == outer["speaker"]
        and outer["start"] <= inner["start"] and inner["end"] <= outer["end"]
    ]
    assert nested == []  # words in marks inside a clause of the same speaker are listed once
    assert not [q for q in report["quotes"] if q["text"].startswith("Das hat CNN")]  # the frame of the sentence before
    [troops] = [q for q in report["quotes"] if q["text"].startswith("Im Juli soll Nordkorea weitere knapp 30.000")]
    assert (troops["speaker"], troops["via"]) == ("Mitarbeiter des ukrainischen Geheimdienstes", "CNN")  # "unter Berufung auf": the sources speak
    [estimate] = [q for q in report["quotes"] if "mit rund 10.000 Soldaten" in q["text"]]
    assert (estimate["speaker"], estimate["via"]) == ("Mitarbeiter des ukrainischen Geheimdienstes", "CNN")  # "Demnach", two sentences on
    [pioneers] = [q for q in report["quotes"] if "6.000 Pioniere" in q["text"]]
    assert pioneers["speaker"] == "die Regierung von Kim"  # the government speaks, not Kim himself


def test_quotes_command_filters_by_any_spelling(seeds):
    result = run_cli("quotes", seeds, "--speaker", "Lavrov")
    assert result.exit_code == 0
    assert "Sergej Lawrow" in result.output and "Kim Jong Un" not in result.output.split("]:")[0]


def test_quote_eval_prints_metrics():
    result = run_cli("eval", "quotes", shared_data("wikinews_quotes_de/dev.jsonl"))
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["direct_quote_f1"] > 0.8 and metrics["quote_f1"] > 0.45  # regression guards


def _quote(article_id: str, start: int, text: str) -> Quote:
    return Quote(article_id, start, start + len(text), text, True, "direct", "said", "Joe Biden", None, None, None)


def test_statements_group_versions_of_one_speaker_in_their_language():
    quotes = [
        _quote("late", 5, "We will never abandon our allies in Europe"),
        _quote("early", 0, "we will never abandon our allies in Europe, whatever happens"),
        _quote("other", 0, "The economy is growing faster than expected"),
        _quote("reprint", 9, "We will never abandon our allies in Europe"),
    ]
    languages = {"late": "en", "early": "en", "other": "en", "reprint": "en"}
    ids = statement_ids(quotes, ["biden"] * 4, languages)
    assert ids[0] == ids[1] == ids[3] != ids[2]
    assert statement_ids(quotes[1:2], ["biden"], languages)[0] != ids[0]  # named after its first version (quotes[0])
    assert len(set(statement_ids(quotes, ["biden", "putin", "biden", "scholz"], languages))) == 4


def test_a_statement_is_one_occasion_its_versions_at_most_a_week_apart():
    words = "We will never abandon our allies in Europe"
    quotes = [_quote(name, 0, words) for name in ("july", "july-later", "august", "undated")]
    languages = dict.fromkeys(("july", "july-later", "august", "undated"), "en")
    ids = statement_ids(quotes[:3], ["biden"] * 3, languages, [100, 105, 140])
    assert ids[0] == ids[1] != ids[2]  # five days apart: reports of one occasion; a month later: said again
    chained = statement_ids(quotes[:3], ["biden"] * 3, languages, [100, 106, 112])
    assert len(set(chained)) == 1  # each version near the one before: one statement reported over two weeks
    assert len(set(statement_ids(quotes, ["biden"] * 4, languages, [100, 105, 140, None]))) == 1  # an undated version may join any


def test_a_clause_holding_words_in_marks_is_one_statement_with_a_version_of_those_words_alone():
    clause = "die Regierung wolle die »Häfen rasch öffnen« und die Werften stützen"
    short = "Wir müssen die Häfen an der Ostseeküste so rasch wie möglich öffnen, für unsere Fischer und Reeder"
    quotes = [
        Quote("one", 0, len(clause), clause, False, "indirect", "said", "Joe Biden", None, None, None),
        _quote("two", 0, short),
        Quote("three", 0, len(clause) - 2, clause.replace("»", "").replace("«", ""), False, "indirect", "said", "Joe Biden", None, None, None),
    ]
    languages = {"one": "de", "two": "de", "three": "de"}
    ids = statement_ids(quotes, ["biden"] * 3, languages)
    assert ids[0] == ids[1] == ids[2]  # the marked words join the other version; the same clause unmarked, the clause
    apart = statement_ids(quotes[1:], ["biden"] * 2, languages)
    assert apart[0] != apart[1]  # without the words in marks, the two share too little


def _speaker_phrases(text: str) -> dict[str, tuple[str | None, str | None]]:
    """Quotation content -> (speaker, the words that name the speaker)."""
    return {
        q.text: (q.speaker, text[q.speaker_start : q.speaker_end] if q.speaker_start is not None else None)
        for q in quotes_in(text)
    }


def test_speaker_span_is_the_noun_phrase_a_reader_would_cite():
    text = (
        "Der Sprecher sei zufrieden, sagte der Wissenschaftsjournalist Dirk Lorenzen am Montag. "
        "„Wir werden nicht nachgeben“, sagte John Sifton von Human Rights Watch. "
        "„Das war direktes Feuer“, sagte General Michael Hagee, Kommandant des Marinekorps, am Abend."
    )
    found = _speaker_phrases(text)
    assert found["Wir werden nicht nachgeben"][1] == "John Sifton von Human Rights Watch"
    assert found["Das war direktes Feuer"][1] == "General Michael Hagee, Kommandant des Marinekorps"
    assert found["Der Sprecher sei zufrieden"][1] == "der Wissenschaftsjournalist Dirk Lorenzen"


def test_speaker_span_takes_party_apposition_and_the_whole_attribution_phrase():
    text = (
        "„Wir bleiben dabei“, sagte Bundesfamilienministerin Kristina Schröder (CDU) in Berlin. "
        "Die Lage sei ernst, sagte Andres Granier, der Gouverneur von Tabasco. "
        "Nach Angaben einer Bauerngewerkschaft sollen fünf Farmen gestürmt worden sein. "
        "Die Erschütterungen waren Berichten der Fernsehsender Sky News und BBC zufolge bis Newcastle zu spüren."
    )
    found = {" ".join(content.split()[:2]): phrase for content, (_, phrase) in _speaker_phrases(text).items()}
    assert found["Wir bleiben"] == "Bundesfamilienministerin Kristina Schröder (CDU)"
    assert found["Die Lage"] == "Andres Granier, der Gouverneur von Tabasco"
    assert found["sollen fünf"] == "Angaben einer Bauerngewerkschaft"
    assert found["Die Erschütterungen"] == "Berichten der Fernsehsender Sky News und BBC"


def test_inverted_subject_and_embedded_quotations_take_the_sentence_subject():
    text = (
        "Laut BBC News sagte der Minister, dass zehn Millionen Dollar investiert werden sollen. "
        "Ministerin Anna Berg warf der Regierung vor, „die Euphorie auszunutzen“ und zu schweigen."
    )
    found = _speaker_phrases(text)
    minister = next(v for k, v in found.items() if k.startswith("dass zehn Millionen"))  # the clause keeps its "dass"
    assert minister[1] == "der Minister"
    assert found["die Euphorie auszunutzen"][0] == "Anna Berg"


def test_reported_speech_without_quotation_marks_or_cue_phrase():
    text = (
        "Die Regierung hat den Plan vorgestellt. Der Minister Karl Weber hat den Abzug der Truppen angekündigt. "
        "Ein Sprecher bestätigte das. Mehrere Soldaten sollen bei dem Angriff verletzt worden sein. "
        "Konzernchef Peter Brandt hat den Vorwurf zurückgewiesen, da er jeder Grundlage entbehre."
    )
    found = quotes_by_text(text)
    act = found["Der Minister Karl Weber hat den Abzug der Truppen angekündigt."]
    assert act.kind == "reported" and act.speaker == "Karl Weber"
    assert "Mehrere Soldaten sollen bei dem Angriff verletzt worden sein." in found  # hearsay
    assert any(q.speaker == "Peter Brandt" and "Grundlage entbehre" in q.text for q in found.values())


def test_a_possessive_attribution_points_back_at_the_person_named_before():
    text = "Reederei-Chef Jens Hagedorn äußerte sich am Abend. Die Fähre soll nach seinen Worten in drei Wochen wieder fahren."
    [quote] = [q for q in quotes_in(text) if "Fähre" in q.text]
    assert quote.speaker == "Jens Hagedorn"
    assert text[quote.speaker_start : quote.speaker_end] == "seinen Worten"


def test_hiess_es_weiter_continues_the_source_and_a_country_speaks_for_its_government():
    text = (
        "Truppen hätten das Dorf Myrne eingenommen, teilte das russische Verteidigungsministerium am Sonntag mit. "
        "Die Armee sei „tief in die Verteidigung des Feindes“ eingedrungen, hieß es weiter. "
        "Nordkorea habe zudem «ohne Vorbehalt seine Unterstützung aller Ziele» unterstrichen."
    )
    found = quotes_by_text(text)
    [armee] = [q for text, q in found.items() if "„tief in die Verteidigung des Feindes“" in text]  # the clause, marks and all
    assert armee.speaker == "das russische Verteidigungsministerium"
    assert found["ohne Vorbehalt seine Unterstützung aller Ziele"].speaker == "Nordkorea"


def test_a_title_points_back_at_the_person_introduced_with_it():
    text = (
        "Moskaus Außenminister Sergej Lawrow traf Kim in Wonsan. "
        "Der russische Minister kündigte an, für die gefallenen Soldaten werde ein Denkmal errichtet."
    )
    [quote] = [q for q in quotes_in(text) if "Denkmal" in q.text]
    assert quote.speaker == "Sergej Lawrow"
    assert text[quote.speaker_start : quote.speaker_end] == "Der russische Minister"


def test_english_speakers_stand_before_the_verb():
    text = (
        "A ferry ran aground off Ruegen on Saturday, injuring seven people, police said. "
        '"We are relieved that nobody was seriously hurt," Baltic Link chief executive Jens Hagedorn told reporters. '
        "The ship was travelling to Sassnitz when its steering failed, the company said. "
        "The Red Cross said it had sent twelve trucks with tents, blankets and drinking water."
    )
    found = {q.text[:20]: q.speaker for q in quotes_in(text, "en")}
    assert found["A ferry ran aground "] == "police"
    assert found["We are relieved that"] == "Jens Hagedorn"
    assert found["The ship was travell"] == "the company"
    assert found["it had sent twelve t"] == "Red Cross"  # "X said <clause>": no comma in English


def test_whom_an_english_speaker_told_is_no_speaker_and_a_news_conference_no_relay():
    text = (
        "Senate Majority Leader Mitch McConnell spoke on Tuesday about the trial. "
        '"I am not impartial about this at all," McConnell told The Weekly Standard in 2017. '
        '"We are not going to do that," Pelosi said at a news conference. '
        '"I plan to serve the people," Meadows told the news outlet.'
    )
    found = {q.text[:12]: (q.speaker, q.via) for q in quotes_in(text, "en")}
    assert found["I am not imp"][0] == "Mitch McConnell"
    assert found["We are not g"][1] is None  # "at a news conference" is where, not who relayed it
    assert found["I plan to se"][1] == "news outlet"


def test_a_german_relay_is_named_whole():
    text = (
        "Die Stadt plant neue Regeln. „Wir müssen handeln“, sagte Bürgermeister Thomas Kufen der Westdeutschen Allgemeinen Zeitung. "
        "Der Minister äußerte sich am Sonntag. „Das ist falsch“, sagte Jens Spahn der Deutschen Presse-Agentur."
    )
    found = {q.text: (q.speaker, q.via) for q in quotes_in(text)}
    assert found["Wir müssen handeln"] == ("Thomas Kufen", "Westdeutschen Allgemeinen Zeitung")  # was "Allgemeinen Zeitung"
    assert found["Das ist falsch"] == ("Jens Spahn", "Deutschen Presse-Agentur")  # was "Agentur"


def test_a_quotation_standing_alone_goes_on_with_the_words_before_it():
    text = (
        "„Wer Stellen streicht, handelt nicht im Sinne der Verfassung“, so der Gewerkschaftsvorstand Uwe Foullong. "
        "„Eine Unternehmenspolitik von solcher Kälte ist unvereinbar mit der Marktwirtschaft.“ "
        "Am Abend tagte der Vorstand. „Wir prüfen alles, was der Vorstand vorlegt.“"
    )
    found = _speaker_phrases(text)
    assert found["Eine Unternehmenspolitik von solcher Kälte ist unvereinbar mit der Marktwirtschaft."][0] == "Uwe Foullong"
    assert found["Wir prüfen alles, was der Vorstand vorlegt."][0] is None  # a sentence in between ends the speech


def test_subject_before_the_verb_with_an_apposition_and_the_verb_after_a_clause():
    text = (
        "Arni Finnsson, ein Vertreter der Organisation „Iceland Nature Conservation“ (Inca), kommentierte die Entscheidung "
        "mit folgenden Worten: „Es gibt in Island keinen Markt für dieses Fleisch.“ "
        "Putin sei zu Gesprächen bereit, sagte der russische Außenminister. "
        "„Eine Vielzahl dankbarer Zuschriften beweist dies“, meint die 56-jährige Rechtsanwaltsfachangestellte."
    )
    found = _speaker_phrases(text)
    assert found["Es gibt in Island keinen Markt für dieses Fleisch."][0] == "Arni Finnsson"
    assert found["Putin sei zu Gesprächen bereit"][1] == "der russische Außenminister"
    assert found["Eine Vielzahl dankbarer Zuschriften beweist dies"][1] == "die 56-jährige Rechtsanwaltsfachangestellte"


def test_a_name_in_quotation_marks_does_not_hide_the_reported_clause():
    text = "Der israelische Fernsehsender „Channel 10“ berichtete, das Kabinett habe dem Einberufungsbefehl für weitere Reservisten zugestimmt."
    [quote] = quotes_in(text)
    assert quote.text.startswith("das Kabinett habe") and not quote.direct


def test_a_trailing_wie_frame_reports_an_indicative_clause():
    text = "Balkenende sah keinen Grund, an der Arbeitsfähigkeit seiner Regierung zu zweifeln, wie er in einem Schreiben an das Parlament mitteilte."
    [quote] = quotes_in(text)
    assert quote.text.startswith("Balkenende sah keinen Grund") and quote.cue == "mitteilte"


def test_a_speaking_body_opening_a_sentence_reports_it():
    found = _speaker_phrases("Die parlamentarische Opposition wies die geforderten Änderungen strikt zurück. Der Regen wies den Weg ins Tal.")
    assert found == {"Die parlamentarische Opposition wies die geforderten Änderungen strikt zurück.": ("Die parlamentarische Opposition", "Die parlamentarische Opposition")}


def test_the_object_of_a_citing_verb_speaks_unless_the_clause_is_passive():
    found = _speaker_phrases(
        "Die Frankfurter Rundschau zitiert einen Augenzeugen: „Der Mann hat einen Fußgänger erst angefahren.“ "
        "Der GdP-Vorsitzende Konrad Freiberg wird in einer Presseerklärung zitiert: „Was wir brauchen, ist mehr Personal.“"
    )
    assert found["Der Mann hat einen Fußgänger erst angefahren."] == ("einen Augenzeugen", "einen Augenzeugen")
    assert found["Was wir brauchen, ist mehr Personal."][0] == "Konrad Freiberg"


def test_a_quotation_inside_its_clause_belongs_to_the_clause_subject():
    found = _speaker_phrases("Nordkorea habe zudem «ohne Vorbehalt seine Unterstützung aller Ziele» der russischen Offensive unterstrichen.")
    assert found["ohne Vorbehalt seine Unterstützung aller Ziele"][0] == "Nordkorea"


def test_a_speaker_opening_the_sentence_is_the_whole_subject_up_to_the_verb():
    found = _speaker_phrases(
        "John Kline, ein Repräsentant aus Minnesota, sagte zu den Anschuldigungen, dass der Vorfall kein Unfall gewesen sei. "
        "Frank Sichau, der als Sprecher der SPD-Landesfraktion fungiert, erklärte, dass Fehler Konsequenzen haben müssten. "
        "EU-Kommission und Bundesregierung äußerten indessen Zweifel, ob bei der Vergabe alles richtig gelaufen sei. "
        "Der venezolanische Staatschef kündigte einen Vorschlag an, der das Abkommen untergraben werde."
    )
    assert found["dass der Vorfall kein Unfall gewesen sei"][1] == "John Kline, ein Repräsentant aus Minnesota"
    assert found["dass Fehler Konsequenzen haben müssten"][1] == "Frank Sichau"
    assert found["ob bei der Vergabe alles richtig gelaufen sei"][1] == "EU-Kommission und Bundesregierung"
    assert found["der das Abkommen untergraben werde"][1] == "Der venezolanische Staatschef"


def test_a_person_opening_a_sentence_takes_over_the_subjunctive_sentences_after_it():
    found = _speaker_phrases(
        "Innenminister Otto Schily sagte, die Bundeswehr solle die Stadien schützen. "
        "Gewerkschaftschef Konrad Freiberg begründete seine Ablehnung mit fehlenden Kapazitäten. "
        "Bereits heute müssten private Firmen den Schutz der Kasernen übernehmen."
    )
    assert found["die Bundeswehr solle die Stadien schützen"][0] == "Otto Schily"
    assert found["Bereits heute müssten private Firmen den Schutz der Kasernen übernehmen."] == ("Konrad Freiberg", "Gewerkschaftschef Konrad Freiberg")


def test_a_colon_hands_a_quotation_to_the_clause_before_it():
    found = _speaker_phrases(
        "John Kline sagte, der Vorfall sei kein Unfall gewesen. Er fuhr fort: „Das war keine Reaktion. Das ist eine Gräueltat.“ "
        "Die Autoren der Studie werfen den Behörden vor: „Eine Überprüfung der Qualität findet fast nicht statt.“"
    )
    assert found["Das war keine Reaktion. Das ist eine Gräueltat."] == ("John Kline", "Er")
    assert found["Eine Überprüfung der Qualität findet fast nicht statt."][1] == "Die Autoren der Studie"


def test_a_reporting_verb_before_its_pronoun_subject_reports_the_sentence():
    found = _speaker_phrases("Al Gore sprach am Montag in Stuttgart. Dabei bezeichnete er die Klimakrise als die gefährlichste Krise der Zivilisation.")
    assert found["Dabei bezeichnete er die Klimakrise als die gefährlichste Krise der Zivilisation."] == ("Al Gore", "er")


def test_hiess_es_weiter_goes_on_with_the_source_named_before():
    found = _speaker_phrases(
        "Truppen hätten das Dorf Myrne eingenommen, teilte das russische Verteidigungsministerium am Sonntag mit. "
        "Die Armee sei “tief in die Verteidigung des Feindes” eingedrungen, um Myrne einzunehmen, hieß es weiter."
    )
    [armee] = [speaker for said, speaker in found.items() if "“tief in die Verteidigung des Feindes”" in said]  # the clause holds the marks
    assert armee[1] == "das russische Verteidigungsministerium"


def test_a_title_set_off_before_the_name_belongs_to_the_speaker():
    found = _speaker_phrases(
        "Der Vorsitzende des Bauhauptverbands in Deutschland, Michael Knipper, kritisierte: „Die BaFin muss sich fragen lassen, warum.“ "
        "Wie der Direktor des Katastrophenamtes, Smith Dharmmasaroj, mitteilte, seien drei Dörfer überflutet worden. "
        "Mayra Veliz von der Staatsanwaltschaft bezeichnete die Opferangaben als übertrieben, da nur drei Menschen gestorben seien."
    )
    assert found["Die BaFin muss sich fragen lassen, warum."][1] == "Der Vorsitzende des Bauhauptverbands in Deutschland, Michael Knipper"
    assert found["seien drei Dörfer überflutet worden"][1] == "der Direktor des Katastrophenamtes, Smith Dharmmasaroj"
    assert found["da nur drei Menschen gestorben seien"][1] == "Mayra Veliz von der Staatsanwaltschaft"  # not "... bezeichnete die Opferangaben"


def test_swiss_spelling_and_a_noun_before_a_dative_article():
    found = _speaker_phrases(
        "Die Soldaten hätten der Armee «heroisch» geholfen, hiess es in einer Erklärung des russischen Aussenministeriums. "
        "Nordkoreas Machthaber hat Russland einem Medienbericht zufolge weitere Unterstützung zugesagt. "
        "Am Montag kritisierte Lawrow die Sanktionen der Europäischen Union scharf."
    )
    assert found["Die Soldaten hätten der Armee «heroisch» geholfen"][1] == "einer Erklärung des russischen Aussenministeriums"
    [report] = [speaker for text, speaker in found.items() if text.startswith("Nordkoreas Machthaber")]
    assert report[1] == "einem Medienbericht"
    assert found["Am Montag kritisierte Lawrow die Sanktionen der Europäischen Union scharf."][0] == "Lawrow"


@pytest.mark.parametrize(
    "text,speaker",
    [
        # "by its own account": the clause's subject speaks; the phrase stays the speaker's span
        ("Das Rote Kreuz schickte nach eigenen Angaben zwölf Lastwagen in das Gebiet.", "Rote Kreuz"),
        ("Nach eigenen Angaben hat das Unternehmen einen neuen Werbepartner gefunden.", "das Unternehmen"),
        # findings of no one named: no speaker, rather than "Erkenntnissen"
        ("Nach ersten Erkenntnissen gab es bei dichtem Nebel einen Ausfall der Steuerung.", None),
        ("Nach Angaben der Polizei gab es bei dichtem Nebel einen Ausfall der Steuerung.", "Angaben der Polizei"),
    ],
)
def test_whom_an_attribution_cites(text, speaker):
    [quote] = quotes_in(text)
    assert quote.kind == "reported" and quote.speaker == speaker
    assert "Angaben" in text[quote.speaker_start : quote.speaker_end] or "Erkenntnissen" in text[quote.speaker_start : quote.speaker_end]


def test_a_medium_that_names_no_one_relays_inside_the_clause_as_before_it():
    """"einem Medienbericht zufolge" inside what it attributes: no one named, the medium relays, as
    "Medienberichten zufolge" at the sentence's start does."""
    [inside] = quotes_in("Der Konzern hat einem Medienbericht zufolge die Übernahme abgesagt.")
    [before] = quotes_in("Medienberichten zufolge hat der Konzern die Übernahme abgesagt.")
    assert (inside.speaker, inside.via) == (None, "Medienbericht") and (before.speaker, before.via) == (None, "Medienberichten")


def test_quotes_command_lists_each_statement_once_with_its_outlets(examples):
    result = run_cli("quotes", examples / "faehre")
    lines = result.stdout.splitlines()
    # a two-word quotation reprinted by AFP and sda/afp is part of its clause, listed once as one statement
    assert [line for line in lines if "absoluten Vorrang" in line] == [
        "2026-03-14  Jens Hagedorn [indirect, AFP, sda/afp]: die Sicherheit der Passagiere habe »absoluten Vorrang«",
        "    also: die Sicherheit der Passagiere habe «absoluten Vorrang» (sda/afp)",
    ]
    # "Hagedorn", named back through "Nach seinen Angaben", is the Jens Hagedorn of the other reports
    assert not any("  Hagedorn [" in line for line in lines)
    # another wording of a statement stands under it, with its outlet
    assert "    also: der Vorfall müsse «lückenlos aufgeklärt» werden (sda/afp)" in lines


def test_spoke_of_reports_content_spoke_with_does_not():
    [quote] = quotes_in("Die Polizei sprach von etwa 1.800 Teilnehmern.")
    assert (quote.kind, quote.speaker) == ("reported", "Die Polizei")
    assert quotes_in("Der Minister sprach am Abend mit seiner Frau.") == []


def test_an_english_frame_comma_inside_the_marks_is_not_quoted():
    [quote] = quotes_in("“We are relieved that nobody was seriously hurt,” the company chief said.", language="en")
    assert quote.text == "We are relieved that nobody was seriously hurt"


def test_a_speaker_placed_differently_is_one_speaker():
    from lagebild.link.statements import speaker_key

    assert speaker_key("Ein Sprecher des Havariekommandos in Cuxhaven") == speaker_key("Ein Sprecher des Havariekommandos")
    assert speaker_key("Ein Sprecher in der Stadt") != speaker_key("Ein Sprecher")  # "der" is no place name


def test_an_article_of_no_identified_language_still_gets_its_quotations():
    text = "Die Lage sei ernst, sagte ein Sprecher des Amtes."
    article = Article(id="x", path="p", source_format="txt", text=text, source_text=text, body_offset=0, title=None, credits=[], language=None)
    [quote] = find_quotes(article, [Sentence(0, len(text), text, 0)], [])
    assert quote.text == "Die Lage sei ernst" and quote.cue == "sagte"


def _said(text: str) -> list[tuple[str, str | None, str | None]]:
    """(what was said, speaker span as written, relay) of each quotation."""
    return [(q.text, None if q.speaker_start is None else text[q.speaker_start : q.speaker_end], q.via) for q in quotes_in(text)]


def test_unmarked_words_before_a_trailing_sagt_frame_with_apposition_and_medium():
    text = "Wir haben die Spurensicherung abgeschlossen, sagt Maria Hinterberger, Sprecherin der Landespolizei, zum KURIER."
    [(said, speaker, _)] = _said(text)
    assert said == "Wir haben die Spurensicherung abgeschlossen"
    assert speaker == "Maria Hinterberger, Sprecherin der Landespolizei"


def test_an_apposition_then_a_clause_after_the_speaker_is_still_what_was_said():
    text = "Zudem kündigte der Leiter des Amtes, Bernd Aufhauser, eine Prüfung der Anlage an."
    [(said, speaker, _)] = _said(text)
    assert "Bernd Aufhauser" in speaker and "Prüfung der Anlage" in said


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Die Straße werde im Sommer saniert, bestätigte der APA ein Sprecher der Gemeinde.", "ein Sprecher der Gemeinde"),
        ("Die Straße werde im Sommer saniert, sagte dem Kurier der Bürgermeister der Gemeinde.", "der Bürgermeister der Gemeinde"),
        ("Die Straße werde im Sommer saniert, sagte Gerhard Moosleitner gegenüber der APA.", "Gerhard Moosleitner"),
        ("Die Straße werde im Sommer saniert, sagte Bürgermeister Gerhard Moosleitner der Zeitung Die Presse.", "Bürgermeister Gerhard Moosleitner"),
    ],
)
def test_the_dative_addressee_and_the_medium_are_never_the_speaker(text, speaker):
    [(said, found, _)] = _said(text)
    assert (said, found) == ("Die Straße werde im Sommer saniert", speaker)


@pytest.mark.parametrize(
    "text,said",
    [
        ("„Wir treten bei der Wahl an.“ Dies sagte Hinterberger am Dienstag in Innsbruck.", "Wir treten bei der Wahl an."),
        ("Die Partei werde bei der Wahl antreten. Dies sagte Hinterberger am Dienstag in Innsbruck.", "Die Partei werde bei der Wahl antreten."),
        # the perfect: the reporting verb's participle ends the sentence
        ("„Wir treten bei der Wahl an.“ Das hat Hinterberger am Dienstag in Innsbruck gesagt.", "Wir treten bei der Wahl an."),
        ("Die Partei tritt bei der Wahl an. Das hat Hinterberger am Dienstag in Innsbruck mitgeteilt.", "Die Partei tritt bei der Wahl an"),
    ],
)
def test_an_attribution_only_sentence_frames_the_quotation_before_it(text, said):
    assert _said(text) == [(said, "Hinterberger", None)]


def test_a_sentence_that_only_says_who_reported_the_one_before_is_no_quotation_of_its_own():
    text = ("Nach Angaben des Senders hat die Armee rund 10.000 Soldaten verlegt. "
            "Das hat der Sender unter Berufung auf Geheimdienstkreise berichtet. Das hat viele überrascht.")
    assert [q.text for q in quotes_in(text)] == ["hat die Armee rund 10.000 Soldaten verlegt"]


@pytest.mark.parametrize(
    "text,said,speaker,via",
    [
        ("Putin würdigte laut KCNA die „aufopfernde Einstellung“ der Armee.", "aufopfernde Einstellung", "Putin", "KCNA"),
        ("Laut Tass sagte Sergej Lawrow, die Gespräche seien offen gewesen.", "die Gespräche seien offen gewesen", "Sergej Lawrow", "Tass"),
        ("Laut KCNA hat Kim Jong Un die Truppen an der Grenze besucht.", "Kim Jong Un die Truppen an der Grenze besucht", "KCNA", None),
        ("Laut Quellen aus Seoul starben etwa 600 Soldaten.", "starben etwa 600 Soldaten", "Quellen aus Seoul", None),
    ],
)
def test_laut_an_agency_makes_it_the_relay_of_what_follows(text, said, speaker, via):
    found = {q.text: (text[q.speaker_start : q.speaker_end], q.via) for q in quotes_in(text)}
    assert any(content.endswith(said) for content in found)
    assert next(v for content, v in found.items() if content.endswith(said)) == (speaker, via)


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Die Ministerin Anna Fellner traf Bürgermeister Gerhard Moosleitner. Sie sagte, die Arbeiten lägen im Zeitplan.", "Anna Fellner"),
        ("Bürgermeister Gerhard Moosleitner traf die Ministerin Anna Fellner. Er sagte, die Arbeiten lägen im Zeitplan.", "Gerhard Moosleitner"),
        ("Gerhard Moosleitner kritisierte den Entwurf. Er sagte, der Vertrag sei nicht tragbar.", "Gerhard Moosleitner"),
    ],
)
def test_er_and_sie_stand_for_the_last_person_named_of_their_gender(text, speaker):
    [said] = [q for q in quotes_in(text) if q.kind == "indirect"]
    assert (said.speaker, text[said.speaker_start : said.speaker_end]) == (speaker, text.split(". ")[1].split()[0])


@pytest.mark.parametrize(
    "text,said,speaker",
    [
        ("Die Gemeinde hat die Anwohner aufgefordert, ihre Keller bis Freitag zu räumen.", "ihre Keller bis Freitag zu räumen", "Die Gemeinde"),
        ("Am Dienstag schlug die Bürgermeisterin vor, den Markt auf den Rathausplatz zu verlegen.", "den Markt auf den Rathausplatz zu verlegen", "die Bürgermeisterin"),
        ("Der Verein warf dem Veranstalter vor, die Eintrittspreise heimlich erhöht zu haben.", "die Eintrittspreise heimlich erhöht zu haben", "Der Verein"),
        ("Die Feuerwehr gab an, es gebe keine Verletzten.", "es gebe keine Verletzten", "Die Feuerwehr"),
        ("Dem Trainer wird vorgeworfen, Spieler beleidigt zu haben.", "Spieler beleidigt zu haben", None),
    ],
)
def test_a_reporting_verb_in_any_form_governs_its_infinitive_or_subjunctive_clause(text, said, speaker):
    found = {(q.text, q.speaker) for q in quotes_in(text)}
    assert (said, speaker) in found


@pytest.mark.parametrize(
    "text",
    [
        "Der Stadtrat hat den Antrag abgelehnt, weil das Geld fehlt.",  # a reason, not what was said
        "Die angekündigten Redner kamen spät, um das Publikum zu begrüßen.",  # an adjective; a purpose
    ],
)
def test_a_reason_or_purpose_clause_is_not_what_was_said(text):
    assert not [q for q in quotes_in(text) if not q.text.startswith(text[:10])]


def test_demnach_stands_for_the_source_as_a_pronoun_does():
    text = "Innenminister Karl Huber sagte, die Lage sei ruhig. Demnach waren in der Nacht keine Einsätze nötig."
    quote = next(q for q in quotes_in(text) if q.text.startswith("waren"))
    assert text[quote.speaker_start : quote.speaker_end] == "Demnach"
    assert quote.speaker == "Karl Huber"


def test_demnach_points_back_at_a_report_past_a_sentence_of_the_writer():
    text = (
        "Die Armee will 5.000 weitere Soldaten an die Grenze schicken. "
        "Das hat der Sender Nordfunk unter Berufung auf Regierungskreise berichtet. "
        "Sollten die Angaben zutreffen, wäre es die größte Verlegung seit Jahren. "
        "Demnach hat der Verteidigungsminister die Pläne schon im Mai gebilligt."
    )
    quote = next(q for q in quotes_in(text) if q.text.startswith("hat der Verteidigungsminister"))
    assert text[quote.speaker_start : quote.speaker_end] == "Demnach"
    assert (quote.speaker, quote.via) == ("Regierungskreise", "der Sender Nordfunk")

@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Laut „Tagblatt“ sei die Brücke gesperrt.", "„Tagblatt“"),
        ("Die Brücke sei gesperrt, berichtete die Wochenzeitung „Der Anzeiger“.", "die Wochenzeitung „Der Anzeiger“"),
    ],
)
def test_a_name_in_quotation_marks_is_cited_with_its_marks(text, speaker):
    [quote] = quotes_in(text)
    assert text[quote.speaker_start : quote.speaker_end] == speaker


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Polizeichef Martin Gruber forderte Thomas Keller auf, sich bis Montag zu melden.", "Martin Gruber"),
        ("Landrätin Sabine Vogt hat Bürgermeister Peter Lindner gestern aufgefordert, die Straße zu sperren.", "Sabine Vogt"),
        ("Anna Berger, die Vorsitzende des Vereins, hat in einem Brief an Jonas Weber betont, die Halle bleibe offen.", "Anna Berger"),
        ("Den Kritiker Paul Hofer forderte Ministerin Lena Stark auf, seine Zahlen offenzulegen.", "Lena Stark"),  # a fronted object
    ],
)
def test_the_subject_before_the_finite_verb_speaks_not_a_name_after_it(text, speaker):
    [quote] = [q for q in quotes_in(text) if q.kind == "indirect"]
    assert quote.speaker == speaker


@pytest.mark.parametrize(
    "text,speaker,said",
    [
        ("Die Straße bleibt laut Verkehrsreferent Tobias Kranich bis Mai gesperrt.", "Verkehrsreferent Tobias Kranich", "bis Mai gesperrt"),
        ("Laut dieser Umfrage sind zwei Drittel der Befragten zufrieden.", "dieser Umfrage", "sind zwei Drittel der Befragten zufrieden"),
        ("Nach Angaben des Landesamts (LfS) stieg die Zahl der Geburten deutlich.", "Angaben des Landesamts (LfS)", "stieg die Zahl der Geburten deutlich"),
        ("Nach Angaben von Eva Roth, der Leiterin des Amtes, wurden 40 Anträge gestellt.", "Angaben von Eva Roth, der Leiterin des Amtes", "wurden 40 Anträge gestellt"),
        ("Einer Mitteilung des Instituts von Bremen zufolge sinkt der Pegel weiter.", "Einer Mitteilung des Instituts von Bremen", "sinkt der Pegel weiter"),
        ("Dem Wochenblatt „Rundschau“ zufolge sinkt der Pegel weiter.", "Dem Wochenblatt „Rundschau“", "sinkt der Pegel weiter"),
        ("Der Pegel sinkt laut einem Bericht des Magazins „Flussblick“ weiter.", "einem Bericht des Magazins „Flussblick“", "weiter"),
    ],
)
def test_an_attribution_cites_its_whole_source_phrase(text, speaker, said):
    [quote] = quotes_in(text)
    assert text[quote.speaker_start : quote.speaker_end] == speaker
    assert quote.text.endswith(said)


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Die Vereinsleitung von Eintracht Nordheim hat versprochen, die Preise zu senken.", "Die Vereinsleitung von Eintracht Nordheim"),
        ("Der Besitzer eines Hauses hatte festgestellt, dass Mäuse im Keller wohnten.", "Der Besitzer eines Hauses"),
        ("Während Stadträtin Ida Brenner ankündigte, den Antrag zu prüfen, schwieg der Rat.", "Stadträtin Ida Brenner"),
        ("Die Brücke sei sicher, so Karla Merten, die Leiterin der Fachstelle für Brückenbau.", "Karla Merten, die Leiterin der Fachstelle für Brückenbau"),
    ],
)
def test_a_subject_is_cited_with_what_attaches_to_it(text, speaker):
    [quote] = [q for q in quotes_in(text) if q.kind == "indirect"]
    assert text[quote.speaker_start : quote.speaker_end] == speaker


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Dazu sagte Jana Kreutz, Bürgermeisterin: „Wir bauen die Schule neu.“", "Jana Kreutz, Bürgermeisterin"),
        ("Einer der 13 beteiligten Feuerwehrleute sagte: „So einen Brand habe ich nie gesehen.“", "Einer der 13 beteiligten Feuerwehrleute"),
    ],
)
def test_a_speaker_before_a_colon_keeps_its_apposition_and_numbers(text, speaker):
    [quote] = quotes_in(text)
    assert text[quote.speaker_start : quote.speaker_end] == speaker


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Die Politiker Hanna Seidl und Max Auer begründen ihre Vorbehalte damit, dass ihre Arbeit erschwert werde.", "Die Politiker Hanna Seidl und Max Auer"),
        ("Ministerin Carla Roth forderte Norwegen zur Aufnahme von Gesprächen auf, die Zeit dränge.", "Ministerin Carla Roth"),  # the verb ends the subject
    ],
)
def test_a_subject_opening_the_sentence_runs_to_its_verb_wherever_the_name_stands(text, speaker):
    quote = next(q for q in quotes_in(text) if q.speaker_start is not None)
    assert text[quote.speaker_start : quote.speaker_end] == speaker


@pytest.mark.parametrize(
    "text,said,speaker",
    [
        ("Bürgermeisterin Carla Nowak blieb bei ihrer Darstellung, die Fähre sei zu alt gewesen.", "die Fähre sei zu alt gewesen", "Carla Nowak"),
        ("Der Konzern Hanse Logistik hielt an seinem Kurs fest, weil die Nachfrage weiter steige.", "weil die Nachfrage weiter steige", "Hanse Logistik"),
    ],
)
def test_an_indicative_main_clause_frames_the_subjunctive_clause_after_its_comma(text, said, speaker):
    """The main clause says who speaks and how; what was said starts after its comma."""
    assert (said, speaker) in [(q.text, q.speaker) for q in quotes_in(text)]


@pytest.mark.parametrize(
    "text,said",
    [
        (
            "„Wir prüfen alles“, sagte der Sprecher Jonas Brandt. Die Behörde blieb bei ihrer Darstellung, der Schaden liege bei zwei Millionen Euro.",
            "der Schaden liege bei zwei Millionen Euro.",
        ),
        (
            "„Wir prüfen alles“, sagte der Sprecher Jonas Brandt. Sein Team arbeitet seit Tagen ohne Pause, und er wolle ihm nun danken.",
            "und er wolle ihm nun danken.",
        ),
    ],
)
def test_free_indirect_speech_leaves_out_an_indicative_main_clause_before_it(text, said):
    assert said in [q.text for q in quotes_in(text)]


@pytest.mark.parametrize(
    "text,said",
    [
        (
            "„Wir prüfen alles“, sagte der Sprecher Jonas Brandt. Die Täter sollen das Lager bereits im Mai geplündert haben, sagte er weiter.",
            "Die Täter sollen das Lager bereits im Mai geplündert haben",
        ),
        (
            "„Wir prüfen alles“, sagte der Sprecher Jonas Brandt. Auch die Schäden am alten Dach, das seit Jahren undicht ist, seien beträchtlich.",
            "Auch die Schäden am alten Dach, das seit Jahren undicht ist, seien beträchtlich.",
        ),
    ],
)
def test_a_first_clause_without_a_finite_indicative_verb_stays_in_what_was_said(text, said):
    """A hearsay modal reports by itself; an adjective after an article is no verb."""
    assert said in [q.text for q in quotes_in(text)]


@pytest.mark.parametrize(
    "text,said",
    [
        (
            "Die Ministerin Petra Lang sagte, das Dorf sei „ein Ort der Hoffnung“ geworden und brauche jetzt Hilfe.",
            "das Dorf sei „ein Ort der Hoffnung“ geworden und brauche jetzt Hilfe",
        ),
        (
            "Der Trainer Paul Weber erklärte, dass seine Mannschaft „mit voller Kraft“ gespielt habe.",
            "dass seine Mannschaft „mit voller Kraft“ gespielt habe",
        ),
    ],
)
def test_a_reported_clause_holds_the_words_in_marks_inside_it(text, said):
    """A partial quotation inside an indirect clause: the whole clause, marks and all, was said."""
    assert said in [q.text for q in quotes_in(text)]


def test_words_in_marks_after_a_colon_keep_their_frame_out():
    text = "Die Ministerin Petra Lang sagte dazu am Abend: „Das Dorf ist ein Ort der Hoffnung geworden.“"
    assert [q.text for q in quotes_in(text)] == ["Das Dorf ist ein Ort der Hoffnung geworden."]


@pytest.mark.parametrize(
    "text,said",
    [
        (
            "Der Sprecher Max Kühn sagte, die Brücke bleibe bis Freitag gesperrt, berichtete die Agentur Reuters.",
            "die Brücke bleibe bis Freitag gesperrt",
        ),
        (
            "Die Ärztin Lena Vogt erklärte, der Patient sei außer Lebensgefahr, meldete der Sender.",
            "der Patient sei außer Lebensgefahr",
        ),
    ],
)
def test_a_reported_clause_ends_before_the_frame_that_closes_the_sentence(text, said):
    assert said in [q.text for q in quotes_in(text)]


def test_a_sentence_said_as_a_whole_keeps_its_closing_mark_a_framed_clause_does_not():
    """Free indirect speech and speech acts are whole sentences, their mark included; the clause
    of "sagte X, ..." ends before the frame sentence's mark."""
    text = "Die Sprecherin Anna Roth sagte, die Straße bleibe gesperrt. Die Arbeiten seien erst am Freitag beendet."
    said = [q.text for q in quotes_in(text)]
    assert "die Straße bleibe gesperrt" in said
    assert "Die Arbeiten seien erst am Freitag beendet." in said


def test_a_first_person_verb_in_e_is_indicative_not_konjunktiv_one():
    """"ich arbeite" has the -e of a Konjunktiv I ("er arbeite"); with "ich" it is what the writer does."""
    text = "„Wir prüfen alles“, sagte die Sprecherin Eva Lind. Ich arbeite seit Jahren an diesem Thema und besuche oft die Region."
    assert all("Ich arbeite" not in q.text for q in quotes_in(text))


@pytest.mark.parametrize(
    "text,said",
    [
        ("Der Sender Radio Nord bestätigte Berichte, wonach das Lager am Morgen geräumt worden sei.", "das Lager am Morgen geräumt worden sei"),
        ("Der Sender Radio Nord bestätigte Angaben, denen zufolge das Lager am Morgen geräumt worden sei.", "das Lager am Morgen geräumt worden sei"),
    ],
)
def test_a_relative_word_that_points_at_the_source_is_no_part_of_what_was_said(text, said):
    assert said in [q.text for q in quotes_in(text)]


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Jana Kolbe, Leiterin des Tierheims Nordstadt, bezeichnete den Umzug als überfällig.", "Jana Kolbe"),
        ("Der Vorsitzende des Anglervereins, Otto Brenner, warf der Stadt eine verfehlte Planung vor.", "Otto Brenner"),
    ],
)
def test_a_subject_set_off_with_its_apposition_is_no_clause_before_its_verb(text, speaker):
    """"X, Leiterin von Y, bezeichnete ...": the commas set off an apposition of the subject; the
    words before them are no reported clause, and the object after the verb does not speak."""
    quotes = quotes_in(text)
    assert [q.speaker for q in quotes] == [speaker]
    assert quotes[0].text.startswith(text.split(",")[0])


def test_an_unnamed_subject_before_the_verb_speaks_not_the_name_after_it():
    """"Ein Sachbearbeiter sagte gegenüber X, ...": the noun phrase before the finite verb is the
    subject; the name after the verb is whom he told."""
    [quote] = quotes_in("Ein Sachbearbeiter des Amtes sagte gegenüber Radio Bremen, dass die Akten verloren seien.")
    assert quote.speaker == "Ein Sachbearbeiter des Amtes"


@pytest.mark.parametrize(
    "second",
    ["Dieser behauptete, die Tür sei offen gewesen.", "Dieser hat angekündigt, gegen das Urteil vorzugehen."],
)
def test_a_demonstrative_subject_stands_for_the_person_named_before(second):
    text = "Der Hausmeister Paul Ebert wurde als Zeuge gehört. " + second
    quote = [q for q in quotes_in(text) if q.start > text.index("Dieser")][0]
    assert quote.speaker == "Paul Ebert"
    assert text[quote.speaker_start : quote.speaker_end] == "Dieser"


def test_a_speaking_body_that_opens_a_sentence_takes_over_the_subjunctive_sentences_after_it():
    """"Der Minister weist auf ... hin. Dazu gehöre ...": the minister goes on, not the speaker
    of the quotation before."""
    text = (
        "Der Landwirt Jens Haller sagte, die Ernte sei gut. "
        "Der Minister weist auf die Gefahren der Dürre hin. Dazu gehöre vor allem der Wassermangel."
    )
    quote = [q for q in quotes_in(text) if q.text.startswith("Dazu")][0]
    assert text[quote.speaker_start : quote.speaker_end] == "Der Minister"


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Die Gewerkschaft ver.di geht davon aus, dass es im Mai zu Streiks kommen wird.", "Die Gewerkschaft ver.di"),
        ("Der Sender al-Manar hatte berichtet, in dem Lager seien Waffen gefunden worden.", "Der Sender al-Manar"),
    ],
)
def test_a_name_written_in_lower_case_belongs_to_the_speaker_phrase(text, speaker):
    [quote] = quotes_in(text)
    assert text[quote.speaker_start : quote.speaker_end] == speaker


@pytest.mark.parametrize(
    "text,speaker",
    [
        (
            "Der Geschäftsführer von „Solaro7“, Heinz Lammers, sagte, das Werk bleibe offen.",
            "Der Geschäftsführer von „Solaro7“, Heinz Lammers",
        ),
        (
            "Die Leiterin der Landesanstalt für Umwelt (LfU), Maria Sauer, hat gefordert, dass der Fluss gereinigt werde.",
            "Die Leiterin der Landesanstalt für Umwelt (LfU), Maria Sauer",
        ),
    ],
)
def test_a_title_set_off_before_the_name_may_end_in_marks_or_brackets(text, speaker):
    [quote] = quotes_in(text)
    assert text[quote.speaker_start : quote.speaker_end] == speaker


def test_words_in_marks_inside_a_clause_of_the_same_speaker_are_one_quotation():
    """"sagte, sein Land sei bereit, »alle Pläne ... zu unterstützen«": the marked words are part of
    the clause; listing them again would show a reader the same words twice."""
    text = "Der Präsident Ole Sand sagte, sein Land sei bereit, »alle Pläne der Nachbarn ohne Bedingungen zu unterstützen«."
    quotes = quotes_in(text)
    assert [(q.kind, q.speaker) for q in quotes] == [("indirect", "Ole Sand")]
    assert "»alle Pläne der Nachbarn ohne Bedingungen zu unterstützen«" in quotes[0].text


@pytest.mark.parametrize(
    "text,speaker",
    [
        (
            "Der Staatschef Paul Berger traf den Gast. Zudem hat die Regierung von Berger zugesagt, rund 300 Helfer in die Region zu entsenden.",
            "die Regierung von Berger",
        ),
        ("Die Anlage bleibe geschlossen, sagte ein Sprecher von Siemens.", "ein Sprecher von Siemens"),
    ],
)
def test_a_body_or_spokesperson_of_someone_speaks_as_itself(text, speaker):
    """"Die Regierung von X", "ein Sprecher von Y": the phrase speaks, not the name it is tied to."""
    [quote] = quotes_in(text)
    assert quote.speaker == speaker
    assert text[quote.speaker_start : quote.speaker_end] == speaker


def test_the_question_put_to_a_speaker_is_not_what_they_said():
    [quote] = quotes_in("Der Bürgermeister Max Roth sprach am Montag vor dem Rat. "
                        "Auf die Frage, ob die Brücke im Mai fertig werde, verwies Roth nach Angaben von Tass auf das Land.")
    assert (quote.kind, quote.speaker, quote.via) == ("reported", "Max Roth", "Tass")
    assert quote.text.startswith("Auf die Frage") and quote.text.endswith("auf das Land")  # the whole sentence: he referred to the state
    [answer] = quotes_in("Gefragt, wann die Brücke fertig werde, sagte der Bürgermeister, das wisse niemand.")
    assert (answer.text, answer.speaker) == ("das wisse niemand", "der Bürgermeister")


@pytest.mark.parametrize(
    "text",
    [
        "Die Proben fallen aus. Das heißt, dass die Premiere am Mittwoch verschoben wird.",
        "Die Banken sind groß. Das liegt vor allem daran, dass es im Land eine Handvoll Großbanken gibt.",
        "Die Steuern sinken. Dies bedeutet, dass die Gemeinden weniger Geld haben.",
    ],
)
def test_a_pronoun_for_a_thing_says_nothing(text):
    """"Das heißt, dass ...", "Das liegt daran, dass ...": what a fact means or comes from, nobody's
    words (on real news "Das" was the speaker of one quotation in 200)."""
    assert quotes_in(text) == []


def test_words_in_marks_after_a_sentence_about_a_thing_have_no_speaker():
    [quote] = quotes_in("Früher war das anders. Das ist nun anders: „Jetzt sehe ich, dass es doch mehr sind.“")
    assert quote.direct and quote.speaker is None


@pytest.mark.parametrize(
    "text,said",
    [
        ("Das Problem ist, dass die Schulen zu wenig Personal haben.", []),
        ("Der Grund war, dass die Brücke gesperrt wurde.", []),
        # a person or body with the copula holds a view: their statement
        ("Bürgermeisterin Anna Berg ist überzeugt, dass die Brücke im Mai fertig wird.", [("dass die Brücke im Mai fertig wird", "Anna Berg")]),
    ],
)
def test_a_thing_that_is_a_fact_is_no_speaker_but_a_person_who_is_sure_is(text, said):
    assert [(q.text, q.speaker) for q in quotes_in(text)] == said


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Trump arrived in Ohio. The committee has said that documents showed that Bannon orchestrated the talks.", "The committee"),
        ("The visit was short. The general then added that his superiors had not conferred with him.", "The general"),
        ("The plant will close. The company repeatedly said that it would keep the jobs.", "The company"),
        ("Trump spoke of an emergency. The president for months has said the country is facing an invasion.", "The president"),
    ],
)
def test_an_english_subject_stands_before_its_auxiliary_or_adverb(text, speaker):
    [quote] = quotes_in(text, "en")
    assert quote.speaker == speaker


@pytest.mark.parametrize(
    "text",
    [
        "Wirtschaftsminister Hubert Aiwanger kam spät. Der hatte gesagt, natürlich müsse man den Ausstieg im Auge behalten.",
        "Die Kita ist klein. Die freuen sich, dass ich Tischler bin, und sind offen für Neues.",
    ],
)
def test_an_article_alone_is_no_speaker(text):
    [quote] = quotes_in(text)
    assert quote.speaker is None


INTERVIEW = (
    "Die Fähre Nordlicht bleibt bis Ende April in der Werft. Wir haben mit dem Reeder Jens Hagedorn gesprochen.\n"
    "Frage: Herr Hagedorn, wann fährt die Nordlicht wieder?\n"
    "Hagedorn: Im Mai, wenn die Prüfer zustimmen. Das Ruder ist ersetzt. Die Gutachter sagen, dass der Schaden behoben ist.\n"
    "Frage: Kritiker sagen, dass Sie zu spät reagiert haben. Stimmt das?\n"
    "Hagedorn: Nein. Wir haben am ersten Tag informiert. … Frage: Und die Passagiere? … Hagedorn: Sie bekommen ihr Geld zurück.\n"
    "Die Werft in Stralsund bestätigte den Termin."
)


def test_an_interview_gives_each_answer_to_its_speaker_and_no_question_to_anyone():
    found = quotes_in(INTERVIEW)
    answers = [q for q in found if q.speaker == "Jens Hagedorn"]
    assert [q.text for q in answers] == [
        "Im Mai, wenn die Prüfer zustimmen. Das Ruder ist ersetzt. Die Gutachter sagen, dass der Schaden behoben ist.",
        "Nein. Wir haben am ersten Tag informiert. …",
        "Sie bekommen ihr Geld zurück.",
    ]
    assert all(q.direct and q.kind == "direct" and INTERVIEW[q.speaker_start : q.speaker_end] == "Hagedorn" for q in answers)
    assert not any(q.speaker == "Frage" or "Passagiere" in q.text for q in found)
    assert not any(q.speaker == "Die Gutachter" for q in found)  # inside an answer: the answer is the quotation


def test_labels_of_places_make_no_interview():
    text = (
        "Die Länder melden neue Regeln.\nBayern: Die Schulen bleiben zu, sagte der Minister.\nBerlin: Die Kitas öffnen am Montag.\n"
        "Bayern: Die Biergärten öffnen im Juni.\nBerlin: Der Senat berät am Dienstag."
    )
    assert [(q.speaker, q.text) for q in quotes_in(text)] == [("der Minister", "Bayern: Die Schulen bleiben zu")]  # as before: no turn


def test_a_transcript_in_capitals_gives_each_turn_to_the_person_the_article_names():
    text = (
        "Kellyanne Conway, counselor to the president, spoke with Chris Cuomo on Tuesday night about the funding bill.\n"
        "CUOMO: Will the president sign the bill?\n"
        "CONWAY: He will sign it. The wall money is a first step.\n"
        "CUOMO: And if the Senate changes it?\n"
        "CONWAY: Then we will talk again next week.\n"
        "THE FACTS: The bill holds less money for the wall than the White House asked for."
    )
    answers = [(q.speaker, q.text) for q in quotes_in(text, "en") if q.kind == "direct"]
    assert answers == [("Kellyanne Conway", "He will sign it. The wall money is a first step."), ("Kellyanne Conway", "Then we will talk again next week.")]


def test_a_share_of_a_group_answering_a_poll_is_no_speaker():
    text = (
        "Bildungsministerin Anna Berg sagte, die Schulen würden im Mai wieder öffnen. "
        "Nur 20 Prozent der Eltern sagten in der Umfrage, sie würden ihre Kinder sofort schicken. "
        "Die Hälfte der Befragten gab an, dass sie sich Sorgen um die Gesundheit mache. "
        "Laut einer Umfrage des Instituts Forsa sagen 63 Prozent, die Maßnahmen seien richtig. "
        "Die große Mehrheit seiner Landsleute glaubt, dass die Krise noch lange dauern werde."
    )
    found = quotes_by_text(text)
    parents = found["sie würden ihre Kinder sofort schicken"]
    assert parents.speaker is None and text[parents.speaker_start : parents.speaker_end] == "20 Prozent der Eltern"  # not Anna Berg's words either
    half = found["dass sie sich Sorgen um die Gesundheit mache"]
    assert half.speaker is None and text[half.speaker_start : half.speaker_end] == "Die Hälfte der Befragten"
    assert found["die Maßnahmen seien richtig"].speaker == "Instituts Forsa"  # the poll named as the source speaks
    assert found["dass die Krise noch lange dauern werde"].speaker is None
    assert found["die Schulen würden im Mai wieder öffnen"].speaker == "Anna Berg"


def test_an_english_share_of_respondents_is_no_speaker_but_a_majority_leader_is():
    text = (
        "Seventy percent of respondents said the country was on the wrong track. "
        "A majority of voters said the economy was their main concern. "
        "Senate Majority Leader John Miller said the chamber would vote on Tuesday."
    )
    found = quotes_by_text(text, "en")
    assert found["the country was on the wrong track"].speaker is None
    assert text[found["the country was on the wrong track"].speaker_start : found["the country was on the wrong track"].speaker_end] == "Seventy percent of respondents"
    assert found["the economy was their main concern"].speaker is None
    assert found["the chamber would vote on Tuesday"].speaker == "John Miller"


def test_a_share_is_cited_with_its_count_and_what_it_is_a_share_of():
    text = (
        "Gesundheitsminister Karl Roth sagte, die Lage sei ernst. "
        "27 Prozent der Befragten gaben an, seltener einzukaufen. "
        "Rund 40 Prozent sagten, sie würden im Sommer verreisen. "
        "In der Umfrage meinten zudem 88,5 Prozent der Eltern, die Schulen öffneten zu spät. "
        "Mehr als ein Drittel fürchtet, dass die Krise lange dauern werde. "
        "In 40 Prozent der Fälle sagten die Ärzte, die Patienten seien schon genesen."
    )
    found = quotes_by_text(text)

    def share(content: str) -> tuple[str | None, str]:
        quote = found[content]
        return quote.speaker, text[quote.speaker_start : quote.speaker_end]

    assert share("seltener einzukaufen") == (None, "27 Prozent der Befragten")  # not Karl Roth's words
    assert share("sie würden im Sommer verreisen") == (None, "Rund 40 Prozent")
    assert share("die Schulen öffneten zu spät") == (None, "88,5 Prozent der Eltern")  # the subject after the verb
    assert share("dass die Krise lange dauern werde") == (None, "Mehr als ein Drittel")
    assert share("die Patienten seien schon genesen") == ("die Ärzte", "die Ärzte")  # a share a preposition governs is no subject


def test_an_english_share_with_its_count_and_a_percent_sign_is_no_speaker():
    text = (
        "Senator John Miller said the bill would pass. "
        "About 63% of registered voters said they would vote again. "
        "Only 12 percent of Republicans said the deal was fair. "
        "Sixty percent of parents have repeatedly said that schools open too late. "
        "Future Majority said it would spend more in the fall. "
        "The company's stock fell 4.5% when it announced that sales had dropped."
    )
    found = quotes_by_text(text, "en")

    def share(content: str) -> tuple[str | None, str]:
        quote = found[content]
        return quote.speaker, text[quote.speaker_start : quote.speaker_end]

    assert share("they would vote again") == (None, "About 63% of registered voters")  # not John Miller's words
    assert share("the deal was fair") == (None, "12 percent of Republicans")  # not "Republicans"
    assert share("that schools open too late") == (None, "Sixty percent of parents")
    assert share("it would spend more in the fall")[0] is not None  # a name holding a share's word speaks
    assert share("that sales had dropped")[1] != "4.5%"  # "it" is the subject of "announced"


def test_the_third_or_the_other_of_several_speaks_as_written_not_as_a_share_or_the_one_before():
    text = (
        "Three drivers were stopped at the border. One said the queue had been long. "
        "The second said he had waited all night. The third said the guards were friendly. "
        "The other said the road was closed. "
        "Two thirds said the checks took too long. "
        "Commissioner Ann Reed listed three steps. Third, Reed said the border would reopen in May."
    )
    found = quotes_by_text(text, "en")
    assert found["the guards were friendly"].speaker == "The third"  # not a share, no one
    assert found["the road was closed"].speaker == "The other"  # not "One", quoted before
    assert found["the checks took too long"].speaker is None  # a share
    [reopen] = [q for q in found.values() if "reopen in May" in q.text]
    assert reopen.speaker == "Ann Reed"  # "Third," counts the steps


def test_der_andere_speaks_as_written_not_as_the_one_before():
    text = "„Wir bleiben hier“, sagt einer der beiden Fahrer. Der andere sagt: „Wir fahren morgen weiter.“ Es komme auf die Grenze an, sagte der Dritte."
    found = quotes_by_text(text)
    assert found["Wir fahren morgen weiter."].speaker == "Der andere"
    assert found["Es komme auf die Grenze an"].speaker == "der Dritte"


def test_a_frame_set_into_the_sentence_reports_the_whole_sentence_for_the_one_it_names():
    text = (
        "Senator John Miller visited the plant on Monday. "
        "The plan, he said, would cost more than two billion dollars over ten years. "
        "The new rules, officials said, would take effect in March for all new cars. "
        "Sales grew by two percent, the company said, citing figures from its dealers. "
        "In that light, Miller said, it's no surprise that the deal failed. "
        "Prices rose sharply again, he said, after the talks with Governor Anna Berg."
    )
    found = quotes_by_text(text, "en")
    plan = found["The plan, he said, would cost more than two billion dollars over ten years"]  # not "The plan" alone
    assert plan.speaker == "John Miller" and text[plan.speaker_start : plan.speaker_end] == "he"
    rules = found["The new rules, officials said, would take effect in March for all new cars"]
    assert rules.speaker == "officials"
    assert found["Sales grew by two percent"].speaker == "the company"  # the participle goes on with the frame
    assert found["In that light, Miller said, it's no surprise that the deal failed"].speaker == "John Miller"
    [after] = [q for q in found.values() if q.text.startswith("Prices rose")]
    assert after.text == "Prices rose sharply again" and text[after.speaker_start : after.speaker_end] == "he"  # not Anna Berg, who stands after the frame


def test_it_said_stands_for_the_organisation_named_before_in_a_frame_too():
    text = (
        "Senator John Miller criticised Acme Corp on Monday. "
        "It said that its sales had grown by two percent. "
        "The plan, it said, would cost more than two billion dollars over ten years."
    )
    found = quotes_by_text(text, "en")
    sales = found["that its sales had grown by two percent"]
    assert sales.speaker == "Acme Corp" and text[sales.speaker_start : sales.speaker_end] == "It"  # as "he" is the person named before
    plan = found["The plan, it said, would cost more than two billion dollars over ten years"]
    assert plan.speaker == "Acme Corp" and text[plan.speaker_start : plan.speaker_end] == "it"  # the frame the same way


def test_it_said_goes_on_with_the_body_that_spoke_before_never_a_person():
    text = (
        "The agency said its officers had been attacked near the fence. "
        "The crowd had gathered outside the Acme Corp plant. It said the officers used tear gas. "
        "Senator John Miller said the bill was bad. It said the factory would close."
    )
    found = quotes_by_text(text, "en")
    assert found["the officers used tear gas"].speaker == "The agency"  # not Acme Corp, named since
    assert found["the factory would close"].speaker != "John Miller"  # "it" is no person


def test_a_german_frame_set_into_the_sentence_inverts_its_verb():
    text = "Die Lage, sagte der Minister am Montag, sei ernst und werde sich noch verschärfen."
    [quote] = quotes_in(text)
    assert quote.text == "Die Lage, sagte der Minister am Montag, sei ernst und werde sich noch verschärfen"
    assert text[quote.speaker_start : quote.speaker_end] == "der Minister"


def test_a_link_card_glued_in_after_a_name_makes_no_speaker():
    text = (
        "Senator Anna Miller Anna Louise MillerSenate passes budget bill after long night Miller seeks third term MORE "
        "said the bill would pass this week. Speaker Paul Reed Paul Davis Reed Reed calls for calm on budget MORE "
        "told reporters that the House would not vote before May."
    )
    found = quotes_by_text(text, "en")
    assert found["the bill would pass this week"].speaker == "Anna Miller"
    assert not any("MillerSenate" in (q.speaker or "") or "MORE" in q.text for q in found.values())
    [house] = [q for q in found.values() if "House would not vote" in q.text]
    assert house.speaker == "Paul Reed"


def test_a_statement_is_said_by_its_owner_named_in_the_nominative():
    text = (
        "Die Soldaten hätten der Armee geholfen, hieß es in einer Erklärung des russischen Aussenministeriums. "
        "Die Straße bleibe bis zum Abend gesperrt, hieß es in einer Mitteilung der Polizei. "
        "Die Sendung werde verschoben, hieß es in einem Bericht des Senders. "
        "Die Lage sei unter Kontrolle, hieß es in einer Stellungnahme der örtlichen Behörden."
    )
    found = {" ".join(content.split()[:2]): speaker for content, (speaker, _) in _speaker_phrases(text).items()}
    assert found["Die Soldaten"] == "das russische Aussenministerium"
    assert found["Die Straße"] == "die Polizei"
    assert found["Die Sendung"] == "der Sender"
    assert found["Die Lage"] == "die örtlichen Behörden"


def test_the_quotes_listing_shows_the_latest_statements_as_the_whole_listing_ends(tmp_path, examples):
    from lagebild.report.terminal import quoted_day, statement_lines
    from lagebild.store import Store, picture, views

    db = tmp_path / "s.db"
    assert run_cli("analyze", examples, "--db", db, "--quiet").exit_code == 0
    with Store(db) as store:
        connection = store.connection
        every = picture.attributed_quote_keys(connection, limit=100_000)
        articles = picture.article_meta(connection, {key[2] for key in every})
        records = picture.quote_records(connection, [(key[2], key[1]) for key in every])
        whole = statement_lines([records[key[2], key[1]] for key in every], articles)
        statements = len(whole) - sum(line.startswith("    also: ") for line in whole)
        assert statements > 20
        for last in (1, 2, 5, 17, statements, statements + 3):
            shown, known, earlier = picture.latest_statements(connection, last, quoted_day)
            assert earlier == (last < statements) and (last > 5 or len(shown) < len(every) / 2)  # a page's records are read
            assert statement_lines([records[key[2], key[1]] for key in shown], known, last) == statement_lines([records[key[2], key[1]] for key in every], articles, last)
        now = views.now(connection)
        for window in ({"since": "2026-03", "until": "2026-04"}, {"now": now.bounds()}, {"now": (None, now.after_seq - 3, now.last_day)}, {"now": (now.first_day, 0, "2026-03-31")}, {"speakers": {"Jens Hagedorn"}}):
            keys = [key for key in every if _in_window(key, articles, **window)]
            assert keys, window
            for last in (1, 3, 100):
                shown, known, _ = picture.latest_statements(connection, last, quoted_day, **window)
                assert statement_lines([records[key[2], key[1]] for key in shown], known, last) == statement_lines([records[key[2], key[1]] for key in keys], articles, last)
    listed = run_cli("quotes", "--db", db, "--all", "--last", "5").stdout
    assert listed == "  … earlier statements: these are the latest 5 (--last N lists more)\n" + "\n".join(whole[-len(listed.splitlines()) + 1 :]) + "\n"
    assert run_cli("quotes", "--db", db, "--all", "--last", str(statements)).stdout == "\n".join(whole) + "\n"


def _in_window(key, articles, since=None, until=None, now=None, speakers=None) -> bool:
    """Whether the quotation of ``key`` is listed in the window, told from its article's days."""
    from lagebild.store import picture

    day = picture.days(articles[key[2]]["date"] or articles[key[2]].get("inferred_date"))[1]
    if speakers is not None:
        return key[4] in speakers
    if since or until:
        return day is not None and picture.window(since, until)[0] <= day <= picture.window(since, until)[1]
    return (now[0] is not None and day is not None and now[0] <= day <= now[2]) or key[0] > now[1]


def test_a_speaker_is_found_however_spelt_through_the_folded_spellings_kept(tmp_path, examples):
    import sqlite3

    from lagebild.link.entities import transliteration_key
    from lagebild.store import Store
    from lagebild.store.names import speaker_names

    db = tmp_path / "s.db"
    assert run_cli("analyze", examples, "--db", db, "--quiet").exit_code == 0

    def folding_everything(connection, speaker):  # what the listing did before: every variant and speaker folded
        key = transliteration_key(speaker)
        entities = [(name, json.loads(variants)) for name, variants in connection.execute("SELECT name, variants FROM picture_entities")]
        speakers = [row[0] for row in connection.execute("SELECT DISTINCT speaker FROM picture_quotes WHERE speaker IS NOT NULL")]
        return {name for name, variants in entities if any(key in transliteration_key(v) for v in variants)} | {s for s in speakers if key in transliteration_key(s)}

    asked = ["Chyngyshev", "Tschyngyschew", "hagedorn", "Sprecher", "50%_", "Polizei", "x"]
    with Store(db) as store:
        found = {speaker: speaker_names(store.connection, speaker) for speaker in asked}
        assert found == {speaker: folding_everything(store.connection, speaker) for speaker in asked}
        assert found["Chyngyshev"] == found["Tschyngyschew"] and "Asamat Tschyngyschew" in found["Chyngyshev"] and found["50%_"] == set()
    with sqlite3.connect(db) as connection:  # a store linked before the folded forms were kept
        connection.execute("DELETE FROM picture_folded")
        connection.execute("PRAGMA user_version = 18")
    with Store(db) as store:
        assert {speaker: speaker_names(store.connection, speaker) for speaker in asked} == found


def test_a_title_after_the_cue_is_the_person_introduced_with_it_or_with_a_title_it_stands_for():
    text = (
        "Das Treffen fand in Tallinn statt. „Wir bleiben im Gespräch“, sagte Estlands Außenminister Jaan Kask. "
        "Die Regierung werde die Gespräche fortsetzen, betonte der Top-Diplomat.\n\n"
        "Zu Ostern sprach Papst Franziskus in Rom, Franziskus rief zum Frieden auf. Wie einst Papst Benedikt mahnte er die Kirche. "
        "„Der Frieden braucht Geduld“, sagte der Papst.\n\n"
        "Der Angeklagte Karl Wendt schweigt. „Mein Mandant ist unschuldig“, sagte die Anwältin Wendts. "
        "Das Urteil sei zu hart, sagte die Anwältin."
    )
    found = _speaker_phrases(text)
    assert found["Die Regierung werde die Gespräche fortsetzen"] == ("Jaan Kask", "der Top-Diplomat")  # a diplomat: the minister
    assert found["Der Frieden braucht Geduld"] == ("Franziskus", "der Papst")  # the article's pope, not its background's
    assert found["Das Urteil sei zu hart"][0] != "Karl Wendt"  # Wendt's lawyer is not Wendt


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Nach einem Treffen beider Außenminister erklärten sie, die Gespräche würden fortgesetzt.", "beide Außenminister"),
        ("Nach dem Treffen der beiden Minister sagten sie, man sei sich einig.", "die beiden Minister"),
        ("Anna Berg und Peter Roth trafen sich, danach reisten die beiden nach Lyon. Dort erklärten sie, die Gespräche würden fortgesetzt.", "die beiden"),
        # a plural verb: not the one person named last
        ("Anna Berg traf Peter Roth in Paris. Danach erklärten sie, die Gespräche würden fortgesetzt.", None),
        ("Ministerin Anna Fellner traf Bürgermeister Gerhard Moosleitner. Danach erklärte sie, die Gespräche würden fortgesetzt.", "Anna Fellner"),
    ],
)
def test_a_plural_pronoun_stands_for_several_never_for_one_person(text, speaker):
    [quote] = quotes_in(text)
    assert text[quote.speaker_start : quote.speaker_end] == "sie"
    assert quote.speaker == speaker


@pytest.mark.parametrize(
    "text,speaker,via",
    [
        ("Der Sender Nordfunk berichtete unter Berufung auf Regierungskreise, die Armee wolle 5.000 Soldaten schicken.", "Regierungskreise", "Der Sender Nordfunk"),
        ("Unter Berufung auf staatliche Stellen in Lyon teilte die Zeitung mit, die Grenze werde geschlossen.", "staatliche Stellen in Lyon", "die Zeitung"),
        ("Die Armee wolle 5.000 Soldaten schicken, berichtete die Agentur Reuters unter Berufung auf Diplomaten.", "Diplomaten", "Reuters"),
        ("Die Armee will 5.000 Soldaten schicken. Das hat der Sender Nordfunk unter Berufung auf Regierungskreise berichtet.", "Regierungskreise", "der Sender Nordfunk"),
        ("Das Blatt Nordkurier schreibt unter Berufung auf Polizeikreise, der Täter sei gefasst.", "Polizeikreise", "Das Blatt Nordkurier"),
        # the relay's relative clause names the authority; a statement's owner in the nominative
        ("Laut Medienberichten, die sich auf eine Einschätzung des polnischen Geheimdienstes berufen, könnte die Armee 5.000 Soldaten schicken.",
         "der polnische Geheimdienst", "Medienberichten"),
        # a person citing evidence speaks in their own name
        ("Gesundheitsminister Karl Huber sagte unter Berufung auf eine Studie der Universität Lyon, die Zahl der Fälle sinke.", "Karl Huber", None),
    ],
)
def test_the_authority_a_report_cites_speaks_and_the_reporter_relays(text, speaker, via):
    [quote] = quotes_in(text)
    assert (quote.speaker, quote.via) == (speaker, via)
    assert "Berufung" not in text[quote.speaker_start : quote.speaker_end]  # it was the speaker before


@pytest.mark.parametrize(
    "text",
    ["The plan was announced by the ministry on Monday.", "The announced cuts will hit schools in the north.", "A storm was warned about by forecasters for days."],
)
def test_an_english_participle_of_a_speech_verb_reports_no_one(text):
    assert quotes_in(text, "en") == []  # "The plan" had said "by the ministry on Monday"


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Some 200 people are in custody, Fox News reported.", "Fox News"),
        ("CNN reported that the talks had failed.", "CNN"),
        ("The company reported a loss of 5 million dollars.", None),  # an object: nobody's words
        ("Officials cited news reports that the plant had closed.", None),
    ],
)
def test_reported_frames_a_report_in_english_and_takes_an_object_otherwise(text, speaker):
    found = quotes_in(text, "en")
    assert [q.speaker for q in found] == ([speaker] if speaker else [])
