"""The compound rule after the German tagger's network: a name, a hyphen and an institution noun
make an organisation's own name (GermEval ORG); common nouns, part heads and spans stay."""

from __future__ import annotations

from lagebild.extract.ner_model import spans, tag
from lagebild.extract.ner_rules import correct


def test_an_untagged_institution_compound_becomes_an_organisation():
    assert correct(["im", "Vivantes-Klinikum", "."], ["O", "O", "O"]) == ["O", "S-ORG", "O"]


def test_an_institution_named_after_a_person_or_place_is_the_institution():
    words = ["Goethe-Museum", "Rhön-Klinikum", "DEFA-Stiftung"]
    assert correct(words, ["S-PERpart", "S-LOC", "S-ORGpart"]) == ["S-ORG", "S-ORG", "S-ORG"]


def test_genitive_heads_count():
    assert correct(["des", "Fraunhofer-Instituts"], ["O", "O"]) == ["O", "S-ORG"]


def test_a_common_noun_before_the_head_is_no_name():
    assert correct(["Universitäts-Klinik", "Software-Verlag"], ["O", "O"]) == ["O", "O"]


def test_heads_that_name_a_part_and_foreign_descriptors_stay():
    assert correct(["SPD-Fraktion", "Bayer-Konzern"], ["S-ORGpart", "S-ORGpart"]) == ["S-ORGpart", "S-ORGpart"]
    assert correct(["US-Verlag"], ["S-LOCpart"]) == ["S-LOCpart"]  # an American publisher, not its name


def test_a_multi_word_span_is_the_networks_reading_and_stays():
    tags = ["B-ORG", "E-ORG", "O"]
    assert correct(["Ruhr-Universität", "Bochum", "."], tags) == tags


def test_the_tagger_applies_the_rule():
    words = "Die Patientin wurde in das Vivantes-Klinikum gebracht .".split()
    assert ("Vivantes-Klinikum", "ORG") in {(" ".join(words[a:b]), kind) for a, b, kind in spans(tag(words))}
