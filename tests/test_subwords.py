"""Sub-word pieces and their vectors: the tagger's knowledge of words it never saw."""

from __future__ import annotations

import numpy as np

from lagebild.nlp.subwords import WORD_START, piece_rows, piece_vectors, segment


def test_words_are_segmented_into_vocabulary_pieces():
    assert segment("Berlin") == (WORD_START + "Berlin",)
    pieces = segment("Verteidigungsministerium")
    assert len(pieces) > 1 and "".join(pieces) == WORD_START + "Verteidigungsministerium"


def test_a_character_outside_the_vocabulary_still_segments():
    assert "".join(segment("Ω-Test")) == WORD_START + "Ω-Test"


def test_politicians_lie_closer_to_each_other_than_to_a_weekday():
    def vector(word: str) -> np.ndarray:
        (row,) = piece_rows(word)
        embedding = piece_vectors()[row, : piece_vectors().shape[1] // 2]  # the input-embedding half
        return embedding / np.linalg.norm(embedding)

    assert vector("Merkel") @ vector("Macron") > vector("Merkel") @ vector("Montag") + 0.2


def test_every_piece_has_a_row_and_an_unknown_one_the_zero_vector():
    rows = piece_rows("Dnipropetrowsk")
    assert len(rows) == len(segment("Dnipropetrowsk")) > 1 and all(rows)
    assert not piece_vectors()[piece_rows("Ω")[-1]].any()
