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
