"""The German tagger's network: batching changes nothing, labels are well-formed BIOES, and names
it never saw in training are found by what they look like and where they stand."""

from __future__ import annotations

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
    words met before and new ones (the memory emptied in between) is tagged all the same."""
    from lagebild.extract import ner_network

    network = ner_network.network()
    monkeypatch.setattr(ner_network, "WORD_CACHE_SIZE", 500)
    monkeypatch.setattr(network, "known", {})
    known_words = ["Bei", "der", "Sitzung", "sagte", "Merkel", "in", "Berlin"]
    network.tag([known_words])
    sentences = [[f"Wortform{number}x{column}" for column in range(12)] + known_words for number in range(60)]  # 720 new forms
    tagged = network.tag(sentences)
    assert len(tagged) == 60 and all(len(labels) == len(words) for labels, words in zip(tagged, sentences))
    assert len(network.known) <= 500 + len(known_words) + 720  # bounded: emptied, then the batch kept
    assert network.tag([known_words]) == network.tag([known_words])
