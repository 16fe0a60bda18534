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
from threadpoolctl import ThreadpoolController

from lagebild.extract.ner_features import marks_matrix
from lagebild.nlp import subwords

MODEL_NAME = "ner-de.npz"
WORD_CACHE_SIZE = 50_000  # word vectors kept (about 1 kB each)
BATCH_SIZE = 128  # sentences run together: numpy's per-step overhead shared, padding small
LETTER_CHUNK = 512  # words whose letters run through the character CNN together
BATCHES_PER_GROUP = 8  # batches whose words are read together (their vectors and gates held at once)
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
        self.size = size = weights["forward_hidden"].shape[1]
        # The three sigmoid gates' columns negated (the candidate's kept): the products then give
        # -x exactly (IEEE rounding is symmetric), so 1 / (1 + exp(-x)) needs no negation pass.
        signs = np.where(np.arange(4 * size) // size == 2, 1, -1).astype(np.float32)
        self.input_weights = np.ascontiguousarray(np.hstack([weights[f"{side}_input"].T * signs for side in sides]))
        self.bias = np.concatenate([weights[f"{side}_bias"] * signs for side in sides])
        self.hidden_weights = np.stack([weights[f"{side}_hidden"].T * signs for side in sides])

    def project(self, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The inputs' share of the forward and of the backward gates, bias added, one row per
        input row. A word's share is the same wherever it stands, so it is taken once per
        distinct word instead of once per token (BLAS may round a last bit otherwise for another
        number of rows, as between batches before: the tags are the same). Each half contiguous:
        the steps gather rows."""
        both = inputs @ self.input_weights + self.bias  # 2-D: one BLAS call
        return np.ascontiguousarray(both[:, : 4 * self.size]), np.ascontiguousarray(both[:, 4 * self.size :])

    def run(self, halves: tuple[np.ndarray, np.ndarray], tokens: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Both directions' hidden states, side by side (sentences x tokens x 2 * size), for a
        padded batch of sentences (``tokens``: rows of ``project``'s halves) of the given lengths,
        longest sentence first. Each step gathers its rows: a copy of the whole batch's gate
        inputs would not stay in the processor's cache."""
        size, (sentences, steps) = self.size, tokens.shape
        backwards = _reversed_steps(lengths, steps)
        rows = (tokens.T.copy(), np.take_along_axis(tokens, backwards, axis=1).T.copy())  # step-major
        hidden = np.zeros((2, sentences, size), dtype=np.float32)
        cell = np.zeros_like(hidden)
        outputs = np.zeros((steps, 2, sentences, size), dtype=np.float32)
        step_buffers = _StepBuffers(sentences, size)
        actives = np.count_nonzero(lengths[None, :] > np.arange(steps)[:, None], axis=1)  # padding is never computed
        with np.errstate(over="ignore"):  # exp overflows to inf for closed gates: 1 / inf is 0
            for step, active in enumerate(actives.tolist()):
                inputs, *buffers = step_buffers.sized(active)
                for side in (0, 1):
                    np.take(halves[side], rows[side][step, :active], axis=0, out=inputs[side], mode="clip")  # rows are valid: no check
                self._step(inputs, hidden[:, :active], cell[:, :active], buffers)
                outputs[step, :, :active] = hidden[:, :active]
        forward = outputs[:, 0].transpose(1, 0, 2)
        backward = outputs[backwards, 1, np.arange(sentences)[:, None]]  # back in reading order
        return np.concatenate([forward, backward], axis=2)

    def _step(self, inputs: np.ndarray, hidden: np.ndarray, cell: np.ndarray, buffers: tuple[np.ndarray, ...]) -> None:
        """One step of both directions, in place. Every operation is the textbook one
        (gates = input + hidden @ W; sigmoid as 1 / (1 + exp(-x))), in the same order, so the
        result is the same to the bit; the temporaries are reused buffers, since allocating a
        fresh half-megabyte array per operation cost more than the arithmetic."""
        size = self.size
        gates, opened, candidate = buffers
        np.matmul(hidden, self.hidden_weights, out=gates)
        np.add(inputs, gates, out=gates)  # -x for the sigmoid gates (see __init__)
        # sigmoids of the input, forget and output gates; the candidate's quarter is read through tanh
        np.exp(gates[..., : 2 * size], out=opened[..., : 2 * size])
        np.exp(gates[..., 3 * size :], out=opened[..., 2 * size :])
        np.add(opened, 1.0, out=opened)
        np.divide(1.0, opened, out=opened)
        np.tanh(gates[..., 2 * size : 3 * size], out=candidate)
        np.multiply(opened[..., :size], candidate, out=candidate)
        np.multiply(opened[..., size : 2 * size], cell, out=cell)
        np.add(cell, candidate, out=cell)
        np.tanh(cell, out=candidate)
        np.multiply(opened[..., 2 * size :], candidate, out=hidden)


class _StepBuffers:
    """Contiguous scratch arrays for one step of ``active`` sentences (both directions): the gate
    inputs, the gates' pre-activations, the three sigmoid gates (input, forget, output), and one
    hidden-sized temporary."""

    def __init__(self, sentences: int, size: int):
        self.widths = (4 * size, 4 * size, 3 * size, size)
        self.flat = [np.empty(2 * sentences * width, dtype=np.float32) for width in self.widths]

    def sized(self, active: int) -> list[np.ndarray]:
        return [flat[: 2 * active * width].reshape(2, active, width) for flat, width in zip(self.flat, self.widths)]


def _reversed_steps(lengths: np.ndarray, steps: int) -> np.ndarray:
    """(sentences x steps): where each position reads from when a sentence is read backwards;
    padding stays where it is (at the end)."""
    positions = np.arange(steps)[None, :]
    return np.where(positions < lengths[:, None], lengths[:, None] - 1 - positions, positions)


class WordMemory:
    """Word vectors met before, in one bounded table: news repeats its vocabulary, but a stream
    never stops bringing new word forms. When full it forgets the words least recently used,
    never those of the batch at hand (issue 28: emptying it mid-batch lost the batch's words)."""

    def __init__(self, capacity: int, width: int):
        self.width = width
        self.table = np.zeros((capacity, width), dtype=np.float32)  # pages are touched only when used
        self.row_of: dict[str, int] = {}
        self.word_at: list[str | None] = [None] * capacity
        self.last_used = np.full(capacity, -1, dtype=np.int64)  # -1: a free row
        self.free = list(range(capacity - 1, -1, -1))
        self.batch = 0

    def __len__(self) -> int:
        return len(self.row_of)

    def recall(self, words: list[str]) -> tuple[list[int], list[int]]:
        """Starts a batch: for the words it holds, their places in ``words`` and their rows."""
        self.batch += 1
        places, rows = [], []
        for place, word in enumerate(words):
            row = self.row_of.get(word)
            if row is not None:
                places.append(place)
                rows.append(row)
        self.last_used[rows] = self.batch
        return places, rows

    def remember(self, words: list[str], vectors: np.ndarray) -> None:
        """Keeps the batch's new words, as many as fit beside the batch's own known words."""
        if len(self.free) < len(words):
            self._forget(len(words) - len(self.free))
        kept = min(len(words), len(self.free))
        rows = self.free[len(self.free) - kept :]
        del self.free[len(self.free) - kept :]
        for word, row in zip(words, rows):
            self.row_of[word] = row
            self.word_at[row] = word
        self.table[rows] = vectors[:kept]
        self.last_used[rows] = self.batch

    def _forget(self, count: int) -> None:
        """Frees ``count`` rows (or all that earlier batches hold), the least recently used first."""
        earlier = np.flatnonzero((self.last_used >= 0) & (self.last_used < self.batch))
        count = min(count, len(earlier))
        if not count:
            return
        oldest = earlier[np.argpartition(self.last_used[earlier], count - 1)[:count]]
        for row in oldest.tolist():
            del self.row_of[self.word_at[row]]
            self.word_at[row] = None
        self.last_used[oldest] = -1
        self.free.extend(oldest.tolist())


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
        width = self.lstm.input_weights.shape[0] - 1  # a word's vector; the 'first' mark comes on top
        self.memory = WordMemory(WORD_CACHE_SIZE, width)

    def tag(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIOES labels for each sentence; sentences of similar length run as one batch, and
        several batches as one group whose words are read together (bounded, for memory)."""
        order = sorted(range(len(sentences)), key=lambda row: -len(sentences[row]))  # longest first
        order = [row for row in order if sentences[row]]  # the empty ones, last, keep no labels
        labels: list[list[str]] = [[] for _ in sentences]
        group_size = BATCH_SIZE * BATCHES_PER_GROUP
        with _one_blas_thread():
            for start in range(0, len(order), group_size):
                rows = order[start : start + group_size]
                for row, found in zip(rows, self._tag_group([sentences[row] for row in rows])):
                    labels[row] = found
        return labels

    def _tag_group(self, sentences: list[list[str]]) -> list[list[str]]:
        """Labels for non-empty sentences, longest first: the new words' vectors made in one
        pass, each distinct word's share of the gates taken once, then batch by batch."""
        vectors, token_rows = self._vectors_of(sentences)
        projections, token_rows = self._projections(vectors, token_rows)
        return [labels for start in range(0, len(token_rows), BATCH_SIZE) for labels in self._tag_batch(token_rows[start : start + BATCH_SIZE], projections)]

    def _tag_batch(self, token_rows: list[list[int]], projections: tuple[np.ndarray, np.ndarray]) -> list[list[str]]:
        lengths = np.array([len(rows) for rows in token_rows])
        scores = self.lstm.run(projections, _padded(token_rows, lengths, len(projections[0]) - 1), lengths) @ self.output_weights.T + self.output_bias
        paths = best_paths(scores, lengths, self.transitions, self.starts, self.ends)
        return [[self.labels[i] for i in path] for path in paths]

    def _projections(self, vectors: np.ndarray, token_rows: list[list[int]]) -> tuple[tuple[np.ndarray, np.ndarray], list[list[int]]]:
        """The gates' share of each distinct input: every word as it is, and each word that opens
        a sentence once more with the 'first' mark (capitals prove nothing there). The last row
        is all zeros, for padding. Returns them and each sentence's tokens as their rows."""
        firsts = list(dict.fromkeys(rows[0] for rows in token_rows))
        inputs = np.zeros((len(firsts) + len(vectors), vectors.shape[1] + 1), dtype=np.float32)
        inputs[: len(firsts), :-1] = vectors[firsts]
        inputs[: len(firsts), -1] = 1.0
        inputs[len(firsts) :, :-1] = vectors  # its last row: the zeros of padding
        first_row = {row: place for place, row in enumerate(firsts)}
        token_rows = [[first_row[rows[0]], *(row + len(firsts) for row in rows[1:])] for rows in token_rows]
        return self.lstm.project(inputs), token_rows

    def _vectors_of(self, sentences: list[list[str]]) -> tuple[np.ndarray, list[list[int]]]:
        """One row per distinct word of the sentences (and a last row of zeros, for padding), and
        each sentence's words as rows. Words met before come from memory, new ones are computed
        together and remembered."""
        row_of: dict[str, int] = {}
        token_rows = [[row_of.setdefault(word, len(row_of)) for word in words] for words in sentences]
        distinct = list(row_of)
        vectors = np.zeros((len(distinct) + 1, self.memory.width), dtype=np.float32)
        places, rows = self.memory.recall(distinct)
        vectors[places] = self.memory.table[rows]
        recalled = set(places)
        new_places = [place for place in range(len(distinct)) if place not in recalled]
        if new_places:
            new_words = [distinct[place] for place in new_places]
            vectors[new_places] = computed = self._word_vectors(new_words)
            self.memory.remember(new_words, computed)
        return vectors, token_rows

    def _word_vectors(self, words: list[str]) -> np.ndarray:
        """Everything the network knows about each word out of context (the 'first' mark aside)."""
        own = self.word_vectors[[self.word_index.get(word.lower(), 0) for word in words]]
        summaries = piece_summaries([subwords.piece_rows(word) for word in words], self.pieces)
        pieces = np.tanh(summaries @ self.piece_weights.T + self.piece_bias)
        marks = marks_matrix(words, self.lexicon_labels)
        return np.hstack([own, self._letters(words), pieces, marks]).astype(np.float32)

    def _letters(self, words: list[str]) -> np.ndarray:
        """The character CNN: filters over each word's letters, max over its positions. Words of
        like length run together, a chunk at a time: little padding, arrays that fit the cache."""
        order = sorted(range(len(words)), key=lambda row: len(words[row]))
        found = np.empty((len(words), self.conv_bias.shape[0]), dtype=np.float32)
        for start in range(0, len(order), LETTER_CHUNK):
            rows = order[start : start + LETTER_CHUNK]
            found[rows] = self._letters_of([words[row] for row in rows])
        return found

    def _letters_of(self, words: list[str]) -> np.ndarray:
        ids = [char_ids(word, self.char_index) for word in words]
        lengths = np.array([len(chars) for chars in ids])
        width = lengths.max()
        rows = np.zeros((len(words), width + 2), dtype=np.int64)  # CHAR_PAD (a zero vector) around
        rows[:, 1:-1][np.arange(width)[None, :] < lengths[:, None]] = [char for chars in ids for char in chars]
        embedded = self.char_vectors[rows]
        filtered = sum(embedded[:, offset : offset + width] @ kernel for offset, kernel in enumerate(self.conv_kernels))
        active = np.maximum(filtered + self.conv_bias, 0)
        active[np.arange(width)[None, :] >= lengths[:, None]] = 0  # past the word's end: never the max, relu >= 0
        return active.max(axis=1)


def _padded(token_rows: list[list[int]], lengths: np.ndarray, padding: int) -> np.ndarray:
    """The sentences' rows as one (sentences x tokens) matrix, ``padding`` past each end."""
    steps = lengths.max()
    index = np.full((len(token_rows), steps), padding)
    index[np.arange(steps)[None, :] < lengths[:, None]] = [row for rows in token_rows for row in rows]
    return index


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


def _one_blas_thread():
    """The tagger's matrix products are small (a step: 128 x 128 by 128 x 512): a second BLAS
    thread gains little on a quiet machine, and where the cores are busy (``--jobs``, or other
    work) each product waits for a thread that is not running: 20 to 75 times slower, measured."""
    return _blas_libraries().limit(limits=1, user_api="blas")


@cache
def _blas_libraries() -> ThreadpoolController:
    return ThreadpoolController()


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
