"""Sentences that can be read alone, and those that need the sentence before them."""

from __future__ import annotations

import pytest

from lagebild.compose.standalone import needs_context


@pytest.mark.parametrize(
    "text, language",
    [
        ("Dort hält sich dieser zu einem dreitägigen Besuch auf.", "de"),
        ("Demnach hat der Sohn Selbstmord begangen.", "de"),
        ("Das hat CNN unter Berufung auf Geheimdienstkreise berichtet.", "de"),
        ("Nun empfing er dort hohen Besuch aus dem Ausland.", "de"),
        ("Momentan ist sie im Homeoffice in Finnland und vergleicht den Unterricht.", "de"),
        ("Die Ursache sei noch völlig unklar, sagte er am Abend.", "de"),
        ("Nordkorea habe zudem seine Unterstützung aller Ziele bekräftigt.", "de"),
        ("Neben Ägypten verdächtigen auch andere Länder diese Gruppe, sagte er.", "de"),  # its speaker is a pronoun
        ("In diesem wird unter anderem festgehalten, dass es keine Grenze gibt.", "de"),
        ("The talks would resume next week, he said.", "en"),
        ("He added that the ferry was insured.", "en"),
        ("Later, she told reporters that the ferry was insured.", "en"),
    ],
)
def test_sentences_that_lean_on_the_one_before(text, language):
    assert needs_context(text, language)


@pytest.mark.parametrize(
    "text",
    [
        "Nach einem Telefonat beider Staatschefs erklärten sie, ihre Zusammenarbeit weiter auszubauen.",
        "Das russische Verteidigungsministerium veröffentlichte eine Videoaufnahme.",
        "Lawrow sei von Kim empfangen worden, teilte das Außenministerium am Samstag mit.",
        "Laut Medienberichten könnte Nordkorea bis zu 30.000 weitere Soldaten entsenden.",
        "Merkel sagte, sie werde nicht erneut kandidieren.",
        "Die Regierung will diese Woche und diese neue Regel beraten.",
        "Der Präsident droht mit einem Veto gegen den Entwurf, falls dieser nicht abgeschwächt wird.",
        "Etwa 250 Menschen seien verletzt worden, meldete die Nachrichtenagentur Kabar.",
    ],
)
def test_sentences_that_stand_alone(text):
    assert needs_context(text, "de") is None


def test_english_sentence_with_its_speaker_named_stands_alone():
    assert needs_context("The ferry ran aground in dense fog, police said.", "en") is None
