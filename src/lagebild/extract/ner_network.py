"""The German named-entity tagger's network, run with numpy: a BiLSTM-CRF over word vectors.

A word enters as four things a reader of German news would use: the word itself (a vector learnt
for the training text's frequent words), its letters (a character CNN: "-ow", "-ski", capitals,
hyphens), its multilingual sub-word pieces (multilingual-e5-small's input embedding and output
vector of each piece, reduced: what kind of word it is, also for words no training text had), and
a few marks (capitalised, seen in lower case, unknown to the German dictionary, a known place, a
name lexicon label). Everything about a word is context-free and computed once per word; the
BiLSTM reads the sentence both ways and the CRF picks the best consistent BIOES label sequence.

The weights ship as ``models/ner-de.npz``, written by ``scripts/train_ner.py`` (PyTorch, only for
training); this module needs numpy alone.
"""

from __future__ import annotations

import gc
from functools import cache
from importlib import resources

import numpy as np

from lagebild.extract.ner_features import word_marks
from lagebild.nlp import subwords

MODEL_NAME = "ner-de.npz"
WORD_CACHE_SIZE = 50_000  # words (about 1 kB each)
BATCH_SIZE = 128  # sentences run together: numpy's per-step overhead shared, padding small
MAX_WORD_CHARACTERS = 30  # longer words are read by their first 30 letters
CHAR_PAD, CHAR_UNKNOWN, WORD_BEGIN, WORD_END = 0, 1, 2, 3
SPECIAL_CHARACTERS = ("<pad>", "<unk>", "<bow>", "<eow>")


def char_ids(word: str, index: dict[str, int]) -> list[int]:
    """The word's letters as character-vocabulary ids between begin and end marks."""
    return [WORD_BEGIN, *(index.get(c, CHAR_UNKNOWN) for c in word[:MAX_WORD_CHARACTERS]), WORD_END]


def piece_summaries(piece_rows: list[list[int]], table: np.ndarray) -> np.ndarray:
    """For each word (its pieces' table rows): the mean of its piece vectors and its first piece's
    vector, side by side."""
    counts = np.array([len(rows) for rows in piece_rows])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    vectors = table[[row for rows in piece_rows for row in rows]]
    means = np.add.reduceat(vectors, starts, axis=0) / counts[:, None].astype(np.float32)
    return np.hstack([means, vectors[starts]])


class BiLstm:
    """Both directions of the LSTM stepped together (PyTorch's gate order: input, forget, cell,
    output): one matrix product per step for both halves the per-step overhead numpy pays."""

    def __init__(self, weights: dict[str, np.ndarray]):
        sides = ("forward", "backward")
        self.input_weights = np.ascontiguousarray(np.hstack([weights[f"{side}_input"].T for side in sides]))
        self.bias = np.concatenate([weights[f"{side}_bias"] for side in sides])
        self.hidden_weights = np.stack([weights[f"{side}_hidden"].T for side in sides])
        self.size = self.hidden_weights.shape[1]

    def run(self, inputs: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Both directions' hidden states, side by side, for a padded batch (sentences x tokens x
        features) of the given lengths, longest sentence first."""
        size = self.size
        flat = inputs.reshape(-1, inputs.shape[2]) @ self.input_weights + self.bias  # 2-D: one BLAS call
        both = flat.reshape(*inputs.shape[:2], 2, 4 * size)
        projected = np.stack([both[:, :, 0], _reverse_each(both[:, :, 1], lengths)])
        hidden = np.zeros((2, inputs.shape[0], size), dtype=np.float32)
        cell = np.zeros_like(hidden)
        outputs = np.zeros((2, *inputs.shape[:2], size), dtype=np.float32)
        with np.errstate(over="ignore"):  # exp overflows to inf for closed gates: 1 / inf is 0
            for step in range(inputs.shape[1]):
                active = int(np.count_nonzero(lengths > step))  # padding is never computed
                gates = projected[:, :active, step] + np.matmul(hidden[:, :active], self.hidden_weights)
                opened = 1.0 / (1.0 + np.exp(-gates))  # the candidate's quarter is read through tanh instead
                cell[:, :active] = opened[..., size : 2 * size] * cell[:, :active] + opened[..., :size] * np.tanh(gates[..., 2 * size : 3 * size])
                hidden[:, :active] = opened[..., 3 * size :] * np.tanh(cell[:, :active])
                outputs[:, :active, step] = hidden[:, :active]
        return np.concatenate([outputs[0], _reverse_each(outputs[1], lengths)], axis=2)


def _reverse_each(batch: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each sentence's tokens in reverse order, padding left where it was (at the end)."""
    reversed_batch = batch.copy()
    for row, length in enumerate(lengths):
        reversed_batch[row, :length] = batch[row, :length][::-1]
    return reversed_batch


class NerNetwork:
    def __init__(self, weights: dict[str, np.ndarray]):
        self.labels = [str(label) for label in weights["labels"]]
        self.word_index = {str(word): row for row, word in enumerate(weights["words"])}
        self.char_index = {str(char): row for row, char in enumerate(weights["chars"])}
        self.lexicon_labels = [str(label) for label in weights["lexicon_labels"]]
        self.word_vectors = weights["word_vectors"].astype(np.float32)
        self.char_vectors = weights["char_vectors"].astype(np.float32)
        self.conv_kernels = [np.ascontiguousarray(weights["conv_weights"][:, :, offset].T) for offset in range(weights["conv_weights"].shape[2])]
        self.conv_bias = weights["conv_bias"]
        self.pieces = subwords.piece_vectors()
        self.piece_weights, self.piece_bias = weights["piece_weights"], weights["piece_bias"]
        self.lstm = BiLstm(weights)
        self.output_weights, self.output_bias = weights["output_weights"], weights["output_bias"]
        self.transitions, self.starts, self.ends = weights["transitions"], weights["starts"], weights["ends"]
        self.known: dict[str, np.ndarray] = {}  # word -> its vector: news repeats its vocabulary

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIOES labels for each sentence; sentences of similar length run as one batch."""
        order = sorted(range(len(sentences)), key=lambda row: -len(sentences[row]))  # longest first
        labels: list[list[str]] = [[] for _ in sentences]
        for start in range(0, len(order), BATCH_SIZE):
            rows = [row for row in order[start : start + BATCH_SIZE] if sentences[row]]
            for row, found in zip(rows, self._tag_batch([sentences[row] for row in rows])):
                labels[row] = found
        return labels

    def _tag_batch(self, sentences: list[list[str]]) -> list[list[str]]:
        if not sentences:
            return []
        lengths = np.array([len(words) for words in sentences])
        scores = self.lstm.run(self._inputs(sentences, lengths), lengths) @ self.output_weights.T + self.output_bias
        paths = best_paths(scores, lengths, self.transitions, self.starts, self.ends)
        return [[self.labels[i] for i in path] for path in paths]

    def _inputs(self, sentences: list[list[str]], lengths: np.ndarray) -> np.ndarray:
        """(sentences x tokens x features), zero-padded; the last feature marks the first word."""
        vectors = self._vectors_of([word for words in sentences for word in words])
        first = next(iter(vectors.values()))
        inputs = np.zeros((len(sentences), lengths.max(), len(first) + 1), dtype=np.float32)
        for row, words in enumerate(sentences):
            inputs[row, : len(words), :-1] = [vectors[word] for word in words]
            inputs[row, 0, -1] = 1.0  # capitals prove nothing there
        return inputs

    def _vectors_of(self, words: list[str]) -> dict[str, np.ndarray]:
        """The vectors of a batch's words: those met before from memory, the others computed
        together. The memory is bounded: when the batch's new words would overflow it, it is
        emptied first and then keeps the whole batch (so a word of the batch is never missing)."""
        distinct = list(dict.fromkeys(words))
        found = {word: self.known[word] for word in distinct if word in self.known}
        new = [word for word in distinct if word not in found]
        if new:
            found.update(zip(new, self._word_vectors(new)))
            if len(self.known) + len(new) > WORD_CACHE_SIZE:
                self.known.clear()
                self.known.update(found)
            else:
                self.known.update((word, found[word]) for word in new)
        return found

    def _word_vectors(self, words: list[str]) -> np.ndarray:
        """Everything the network knows about each word out of context (the 'first' mark aside)."""
        own = self.word_vectors[[self.word_index.get(word.lower(), 0) for word in words]]
        summaries = piece_summaries([subwords.piece_rows(word) for word in words], self.pieces)
        pieces = np.tanh(summaries @ self.piece_weights.T + self.piece_bias)
        marks = np.array([word_marks(word, self.lexicon_labels) for word in words], dtype=np.float32)
        return np.hstack([own, self._letters(words), pieces, marks]).astype(np.float32)

    def _letters(self, words: list[str]) -> np.ndarray:
        """The character CNN: filters over each word's letters, max over its positions."""
        ids = [char_ids(word, self.char_index) for word in words]
        lengths = np.array([len(chars) for chars in ids])
        rows = np.zeros((len(words), lengths.max() + 2), dtype=np.int64)  # CHAR_PAD (a zero vector) around
        for row, chars in enumerate(ids):
            rows[row, 1 : 1 + len(chars)] = chars
        embedded = self.char_vectors[rows]
        width = lengths.max()
        filtered = sum(embedded[:, offset : offset + width] @ kernel for offset, kernel in enumerate(self.conv_kernels))
        active = np.maximum(filtered + self.conv_bias, 0)
        active[np.arange(width)[None, :] >= lengths[:, None]] = 0  # past the word's end: never the max, relu >= 0
        return active.max(axis=1)


def best_paths(scores: np.ndarray, lengths: np.ndarray, transitions: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[list[int]]:
    """Viterbi for a padded batch (sentences x tokens x labels): each sentence's best label
    sequence (as label rows) under the CRF, all sentences stepped together."""
    sentences, steps, _ = scores.shape
    best = starts + scores[:, 0]
    back = np.zeros(scores.shape, dtype=np.int64)
    arriving = np.ascontiguousarray(transitions.T)  # [to, from]: the reduction runs along memory
    for step in range(1, steps):
        live = lengths > step
        candidates = best[live][:, None, :] + arriving
        back[live, step] = pointers = candidates.argmax(axis=2)
        best[live] = np.take_along_axis(candidates, pointers[:, :, None], axis=2)[:, :, 0] + scores[live, step]
    rows = np.arange(sentences)
    current = (best + ends).argmax(axis=1)
    paths = np.zeros((sentences, steps), dtype=np.int64)
    for step in range(steps - 1, -1, -1):
        inside = lengths > step
        paths[inside, step] = current[inside]
        if step:
            current = np.where(inside, back[rows, step, current], current)
    return [path[:length].tolist() for path, length in zip(paths, lengths)]


@cache
def network() -> NerNetwork:
    with resources.files("lagebild").joinpath("models", MODEL_NAME).open("rb") as stream:
        with np.load(stream) as weights:
            loaded = NerNetwork({name: weights[name] for name in weights.files})
    loaded._word_vectors(["Haus"])  # loads every table a word's vector reads
    gc.freeze()  # see below
    return loaded


# Why gc.freeze(): the tables behind a word's vector (simplemma's German dictionary, about a
# million words; the sub-word pieces and their prefixes; lexicons) live as long as the process, and
# every full garbage collection would walk them again: 0.6 s each, 11 s of a 10,000-article run.
# Frozen, collections skip them (and whatever else was alive when the tagger loaded).
