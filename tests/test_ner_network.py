"""The German tagger's network: batching changes nothing, labels are well-formed BIOES, and names
it never saw in training are found by what they look like and where they stand."""

from __future__ import annotations

import numpy as np

from lagebild.extract.ner_model import spans, tag, tag_sentences

SENTENCES = [
    "Außenminister Sergej Lawrow traf am Freitag in Pjöngjang ein .".split(),
    "Die nordkoreanische Nachrichtenagentur KCNA meldete , Kim Jong Un habe die Truppen gelobt .".split(),
    "Am Montag .".split(),
    [],
]


def test_a_batch_tags_each_sentence_as_alone():
    assert tag_sentences(SENTENCES) == [tag(words) for words in SENTENCES]


def test_labels_form_whole_entities():
    for tags in tag_sentences(SENTENCES):
        for before, after in zip(["O", *tags], [*tags, "O"]):
            opened = before[:1] in ("B", "I")
            assert opened == (after[:1] in ("I", "E")), (before, after)
            if opened:
                assert before[2:] == after[2:]


def test_people_places_and_organisations_in_a_news_sentence():
    found = [{(" ".join(words[a:b]), kind) for a, b, kind in spans(tags)} for words, tags in zip(SENTENCES, tag_sentences(SENTENCES))]
    assert {("Sergej Lawrow", "PER"), ("Pjöngjang", "LOC")} <= found[0]
    assert {("KCNA", "ORG"), ("Kim Jong Un", "PER"), ("nordkoreanische", "LOCderiv")} <= found[1]
    assert found[2] == set() and found[3] == set()


def test_a_vocabulary_past_the_word_memory_is_tagged_through(monkeypatch):
    """Real news brings new word forms without end: past the memory's bound, a batch that mixes
    words met before and new ones (older words forgotten in between) is tagged all the same, and
    as a network that never forgot anything tags it."""
    from lagebild.extract import ner_network

    network = ner_network.network()
    known_words = ["Bei", "der", "Sitzung", "sagte", "Merkel", "in", "Berlin"]
    sentences = [[f"Wortform{number}x{column}" for column in range(12)] + known_words for number in range(60)]  # 720 new forms
    unbounded = ner_network.WordMemory(10_000, network.memory.width)
    monkeypatch.setattr(network, "memory", unbounded)
    expected = network.tag([known_words]) + network.tag(sentences)
    bounded = ner_network.WordMemory(500, network.memory.width)
    monkeypatch.setattr(network, "memory", bounded)
    found = network.tag([known_words]) + network.tag(sentences)
    assert found == expected and all(len(labels) == len(words) for labels, words in zip(found[1:], sentences))
    assert len(bounded) == 500  # full: the batch's own words kept first, then as many new ones as fit
    assert all(word in bounded.row_of for word in known_words)
    assert network.tag([known_words]) == expected[:1]


def test_the_word_memory_forgets_the_least_recently_used_words():
    from lagebild.extract.ner_network import WordMemory

    memory = WordMemory(4, 2)
    for words in (["a", "b"], ["c", "d"], ["a"], ["e", "f"]):  # "a" used again before "e", "f" come
        places, _ = memory.recall(words)
        new = [word for place, word in enumerate(words) if place not in places]
        memory.remember(new, np.ones((len(new), 2), dtype=np.float32))
    assert set(memory.row_of) == {"a", "d", "e", "f"} or set(memory.row_of) == {"a", "c", "e", "f"}
    assert len(memory.free) == 0 and sorted(memory.row_of.values()) == [0, 1, 2, 3]


def test_the_lstm_computes_the_textbook_cell_in_both_directions():
    """The fast path (gate inputs gathered per step, sigmoid gates negated at load) against a
    plain LSTM run sentence by sentence, forwards and backwards, on random weights."""
    from lagebild.extract.ner_network import BiLstm

    rng = np.random.default_rng(7)
    size, features, lengths = 3, 5, np.array([4, 2, 1])
    weights = {}
    for side in ("forward", "backward"):
        weights[f"{side}_input"] = rng.standard_normal((4 * size, features)).astype(np.float32)
        weights[f"{side}_hidden"] = rng.standard_normal((4 * size, size)).astype(np.float32)
        weights[f"{side}_bias"] = rng.standard_normal(4 * size).astype(np.float32)
    inputs = rng.standard_normal((len(lengths), lengths.max(), features)).astype(np.float32)
    tokens = np.arange(inputs.shape[0] * inputs.shape[1]).reshape(inputs.shape[:2])
    lstm = BiLstm(weights)
    found = lstm.run(lstm.project(inputs.reshape(-1, features)), tokens, lengths)
    for row, length in enumerate(lengths):
        forward = _plain_lstm(inputs[row, :length], weights, "forward")
        backward = _plain_lstm(inputs[row, :length][::-1], weights, "backward")[::-1]
        assert np.allclose(found[row, :length], np.hstack([forward, backward]), atol=1e-5)


def _plain_lstm(inputs: np.ndarray, weights: dict, side: str) -> np.ndarray:
    size = weights[f"{side}_hidden"].shape[1]
    hidden, cell, outputs = np.zeros(size), np.zeros(size), []
    for vector in inputs:
        gates = weights[f"{side}_input"] @ vector + weights[f"{side}_hidden"] @ hidden + weights[f"{side}_bias"]
        sigmoid = 1 / (1 + np.exp(-gates))
        cell = sigmoid[size : 2 * size] * cell + sigmoid[:size] * np.tanh(gates[2 * size : 3 * size])
        hidden = sigmoid[3 * size :] * np.tanh(cell)
        outputs.append(hidden)
    return np.array(outputs)
