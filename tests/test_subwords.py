"""Sub-word pieces and their clusters: the tagger's knowledge of words it never saw."""

from __future__ import annotations

from lagebild.nlp.subwords import WORD_START, piece_features, segment


def test_words_are_segmented_into_vocabulary_pieces():
    assert segment("Berlin") == (WORD_START + "Berlin",)
    pieces = segment("Verteidigungsministerium")
    assert len(pieces) > 1 and "".join(pieces) == WORD_START + "Verteidigungsministerium"


def test_a_character_outside_the_vocabulary_still_segments():
    assert "".join(segment("Ω-Test")) == WORD_START + "Ω-Test"


def test_politicians_share_a_cluster_that_a_weekday_does_not():
    def finest(word: str) -> str:
        return next(f for f in piece_features(word) if f.startswith("sf2="))

    assert finest("Merkel") == finest("Macron")
    assert finest("Merkel") != finest("Montag")
    assert "spn=1" in piece_features("Berlin") and "spn=4" in piece_features("Dnipropetrowsk")
