"""The server's analysis worker: a process of its own that brings the picture up to date whenever
articles arrive (a POST wakes it; it also looks every few seconds, for articles another process
stored) and polls the feeds when they are due (``--watch``, or added through the API).

Analysis runs here and not in the server's threads so that requests never wait on it: linking
holds the CPU for seconds, and the store's readers see the last complete picture meanwhile.
"""

from __future__ import annotations

import os
import signal
import sys
import time

from lagebild import pipeline
from lagebild.model import AnalysisOptions
from lagebild.progress import tracker
from lagebild.store import Store

LOOK_SECONDS = 5.0  # how often the worker looks for articles no one woke it for
GATHER_SECONDS = 0.3  # after a wake-up, wait this long so that a burst of POSTs is linked at once
RETRY_SECONDS = 10.0  # after a failed analysis (a locked or full store), wait before trying again
NICENESS = 10  # readers first: on a busy machine the kernel gives the request handlers the cores


def work(settings, wake, stop) -> None:
    _yield_to_readers()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which sets ``stop``
    watcher = _watcher(settings)
    with Store(settings.db) as store:
        _catch_up(store, settings)  # a new code version re-links what the store holds
        while not stop.is_set():
            woken = wake.wait(_next_wait(watcher))
            wake.clear()
            if stop.is_set():
                break
            if woken:
                time.sleep(GATHER_SECONDS)
            _poll(watcher, store)
            if pipeline.behind(store):
                _catch_up(store, settings)


def _yield_to_readers() -> None:
    """Analysis (this process and the stage workers it starts, which inherit it) runs at a lower
    priority than the server's request handlers: a burst of POSTs is analysed with what the
    readers leave of the cores, and a page never waits behind linking for a core."""
    try:
        os.nice(NICENESS)
    except OSError:
        pass  # where priorities cannot be changed, analysis shares the cores as before


def _next_wait(watcher) -> float:
    return max(0.5, min(LOOK_SECONDS, watcher.seconds_to_next()))


def _poll(watcher, store: Store) -> None:
    try:
        for result in watcher.poll_due(store):
            if result.status == "failed" or result.added:
                print(f"lagebild worker: {result.line()}", file=sys.stderr, flush=True)
    except Exception as error:  # noqa: BLE001 - a store error must not end the worker
        print(f"lagebild worker: polling failed ({type(error).__name__}: {error})", file=sys.stderr, flush=True)


def _catch_up(store: Store, settings) -> None:
    try:
        with tracker(enabled=False) as quiet:
            pipeline.catch_up(store, quiet, AnalysisOptions(embeddings=settings.embeddings), settings.jobs)
    except Exception as error:  # noqa: BLE001 - the worker lives on; what was stored stays
        print(f"lagebild worker: analysis failed ({type(error).__name__}: {error}); retrying in {RETRY_SECONDS:g} s", file=sys.stderr, flush=True)
        time.sleep(RETRY_SECONDS)


def _watcher(settings):
    """The feed poller (``ingest.watch``): the feeds of ``--watch`` and those added through the API."""
    from lagebild.ingest.watch import Watcher

    return Watcher.from_file(settings.watch, every=settings.every) if settings.watch else Watcher(settings.every)
