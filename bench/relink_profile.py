"""Relink a store from its kept stage results, timed per link stage (issue 24): where linking
from scratch spends its time. Works on a copy; the source store is left as it is.

    python bench/relink_profile.py SOURCE.db COPY.db [profile]

``profile`` runs it under cProfile (the 60 heaviest functions by cumulative time; COPY.db.prof
keeps the whole profile). Stages whose version changed since SOURCE was made run first, in this
process (their time is "stages").
"""
import cProfile
import json
import pstats
import shutil
import sys
import time

from lagebild import pipeline
from lagebild.progress import Tracker
from lagebild.store import Store


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    source, copy, profile = sys.argv[1], sys.argv[2], len(sys.argv) > 3
    shutil.copy(source, copy)  # a store closed cleanly: its write-ahead log is empty
    store = Store(copy)
    with store.connection as connection:  # another link version made the picture: link everything again
        connection.execute("UPDATE link_state SET value='other' WHERE key='version'")
    started = time.time()
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
    made = pipeline.catch_up(store, Tracker(None), jobs=1)
    if profile:
        profiler.disable()
        profiler.dump_stats(copy + ".prof")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
    print(json.dumps({"seconds": round(time.time() - started, 1), "stage_seconds": made["stage_seconds"]}))


if __name__ == "__main__":
    main()
