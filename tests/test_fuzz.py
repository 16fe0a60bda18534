"""Fuzzing (Hypothesis): every reader turns arbitrary bytes into articles or skip reasons, never an
exception, in bounded time; any text analysed gives a report that follows the contract.

A short run by default; a long one on demand: LAGEBILD_FUZZ_EXAMPLES=2000 .venv/bin/python -m
pytest tests/test_fuzz.py.
"""

from __future__ import annotations

import gzip
import os
import time

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagebild import pipeline
from lagebild.ingest import POSTED_KINDS, read_input, read_posted
from lagebild.model import Article, IngestProblem
from lagebild.progress import Tracker
from lagebild.report import schema
from lagebild.store import Store

EXAMPLES = int(os.environ.get("LAGEBILD_FUZZ_EXAMPLES", "40"))
SECONDS_PER_INPUT = 10  # generous for a shared 2-core machine; the inputs are small
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FUZZ_ANALYSIS = settings(FUZZ, max_examples=max(1, EXAMPLES // 5))  # a whole analysis per example

# what the readers are told the bytes are: by file suffix (and gzip inside for .gz)
SUFFIXES = [".txt", ".html", ".json", ".jsonl", ".xml", ".rss", ".warc", ".gz"]
MARKUP = st.sampled_from([b"<html><body><p>", b"<?xml version='1.0'?><rss><channel><item><description>", b'{"text": "', b"\n", b"</p>", b"&amp;", b"\xc3\xa4", b"\x00", b"WARC/1.0\r\n", b"\xef\xbb\xbf", b"\xff\xfe"])
BYTES = st.one_of(st.binary(max_size=3000), st.lists(st.one_of(MARKUP, st.binary(max_size=40), st.text(max_size=60).map(str.encode)), max_size=40).map(b"".join))


@FUZZ
@given(data=BYTES, suffix=st.sampled_from(SUFFIXES))
def test_every_reader_gives_articles_or_reasons(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(gzip.compress(data) if suffix == ".gz" else data)
    started = time.perf_counter()
    found = list(read_input(str(path)))
    assert time.perf_counter() - started < SECONDS_PER_INPUT
    assert all(isinstance(item, (Article, IngestProblem)) for item in found)
    assert all(item.reason and "\n" not in item.reason for item in found if isinstance(item, IngestProblem))


@FUZZ
@given(data=BYTES, media_type=st.sampled_from(sorted(POSTED_KINDS)))
def test_every_body_the_api_takes_gives_articles_or_reasons(data, media_type):
    started = time.perf_counter()
    found = list(read_posted("api/fuzz", data, media_type))
    assert time.perf_counter() - started < SECONDS_PER_INPUT
    assert all(isinstance(item, (Article, IngestProblem)) for item in found)
    assert all(item.reason and "\n" not in item.reason for item in found if isinstance(item, IngestProblem))


WORDS = st.sampled_from(["Die", "Polizei", "sagte", "„", "“", "»", "«", ",", ".", "12", "14.000", "rund", "Soldaten", "am", "Montag",
                         "2025", "Juli", "Kim", "Jong", "Un", "laut", "KCNA", "\n\n", "Berlin", "er", "habe", "'", '"', "-", "und", "der"])
TEXTS = st.one_of(st.text(min_size=30, max_size=1500), st.lists(WORDS, min_size=10, max_size=300).map(" ".join))


@FUZZ_ANALYSIS
@given(texts=st.lists(TEXTS, min_size=1, max_size=3))
def test_any_text_gives_a_report_that_follows_the_contract(tmp_path_factory, texts):
    folder = tmp_path_factory.mktemp("texts")
    for number, text in enumerate(texts):
        (folder / f"{number}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
    with Store() as store:
        run = pipeline.ingest(store, [str(folder)], Tracker(None))
        report = pipeline.analyse(store, run, Tracker(None))
    jsonschema.Draft202012Validator(schema()).validate(report)
    assert len(report["articles"]) == len(set(run.article_ids))  # a text twice is one article


def test_the_three_safe_cases_stay_safe(tmp_path):
    """A billion laughs in a feed, an external entity in a feed, a gzip bomb: skipped or not expanded."""
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">'.encode() for n in range(3, 10)
    ) + b']><rss><channel><item><title>t</title><description>&lol9;</description></item></channel></rss>'
    (tmp_path / "laughs.rss").write_bytes(laughs)
    (tmp_path / "xxe.rss").write_bytes(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><description>&x; Die Polizei nahm zehn Menschen fest.</description></item></channel></rss>')
    (tmp_path / "bomb.warc.gz").write_bytes(gzip.compress(b"\0" * 50_000_000))
    for name in ("laughs.rss", "xxe.rss", "bomb.warc.gz"):
        started = time.perf_counter()
        found = list(read_input(str(tmp_path / name)))
        assert time.perf_counter() - started < SECONDS_PER_INPUT
        assert all("root:" not in (item.text if isinstance(item, Article) else item.reason) for item in found)
        assert all(len(item.text) < 100_000 for item in found if isinstance(item, Article))
