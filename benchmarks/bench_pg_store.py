"""The catalogue on PostgreSQL beside the embedded one: build time, the reads the app makes,
and reads while a rebuild runs (issue 19). The full-text side is bench_postgres.py's.

Usage::

    python benchmarks/bench_pg_store.py CORPUS_DIR [--backend whoosh] [--backend URL] [--runs N]

Each backend builds the corpus into a fresh index (an empty database for a URL), then times,
``--runs`` times each: the article list (``articles()`` after ``reload()``: what the app shows
first), opening an article (``article(id)`` for 50 ids), the corpus entities (``entities(1000)``),
entities counted over every article (``entities_among``: a search's entity pane), the whole
timeline, and every quote. Last, a requested rebuild runs in a thread while this thread opens
an article or (one time in ten) lists them all, every 20 ms: the read times then say whether
readers wait for the build.
Figures are medians with min and max (ms), and p95 for per-call reads; load average around.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import isolate_user_folders, percentile, settings_for, summary

from index.library import open_library

THINK = 0.02  # seconds between two reads during the rebuild


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _update(library: Any, **kwargs: Any) -> Any:
    """``update`` on this version (a shared database is only built when asked)."""
    if "build_shared" in inspect.signature(library.update).parameters:
        kwargs["build_shared"] = True
    return library.update(**kwargs)


def _timed(work: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _per_call(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):.2f} ms, p95 {percentile(values, 95):.2f} ms, " + (
        f"max {max(values):.1f} ms (n={len(values)})"
    )


def bench(corpus: Path, backend: str, base: Path, runs: int) -> None:
    settings = settings_for(corpus, base / "index")
    if backend != "whoosh":
        settings = dataclasses.replace(settings, backend=backend)
    library = open_library(settings)
    shown = getattr(library, "shared", None) or "whoosh (embedded)"
    print(f"\n== {shown}")
    started = time.perf_counter()
    report = _update(library)
    seconds = time.perf_counter() - started
    count = len(library.articles())
    print(f"build: {count} articles in {seconds:.1f} s ({count / seconds:.1f} articles/s)")
    print(f"  {report.summary()}")
    ids = [info.id for info in library.articles()]
    sample = random.Random(1).sample(ids, min(50, len(ids)))

    def listing() -> None:
        library.reload()
        library.articles()

    print(f"articles() after reload: {summary(_timed(listing, runs), ' ms', 2)}")
    opened: list[float] = []
    for article_id in sample * max(1, runs // 5):
        started = time.perf_counter()
        library.article(article_id)
        opened.append((time.perf_counter() - started) * 1000)
    print(f"article(id): {_per_call(opened)}")
    print(f"entities(1000): {summary(_timed(lambda: library.entities(limit=1000), runs), ' ms')}")
    among = _timed(lambda: library.entities_among(ids, 1000), runs)
    print(f"entities_among(all {len(ids)} ids): {summary(among, ' ms')}")
    print(f"timeline(): {summary(_timed(library.timeline, runs), ' ms')}")
    print(f"quotes(): {summary(_timed(library.quotes, runs), ' ms')}")

    reads: list[float] = []
    done = threading.Event()
    builder = open_library(settings)
    thread = threading.Thread(
        target=lambda: (_update(builder, rebuild=True), done.set()), daemon=True
    )
    started = time.perf_counter()
    thread.start()
    reader = open_library(settings)
    i = 0
    while not done.wait(THINK):  # a user's pace: a read every THINK seconds, not a busy loop
        t0 = time.perf_counter()
        if i % 10 == 0:
            reader.reload()
            reader.articles()
        else:
            reader.article(sample[i % len(sample)])
        reads.append((time.perf_counter() - t0) * 1000)
        i += 1
    thread.join()
    print(f"reads during a rebuild ({time.perf_counter() - started:.1f} s): {_per_call(reads)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--backend", action="append", help="whoosh, or a postgresql:// URL")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    base = isolate_user_folders()
    print(f"load average {_load()}")
    for n, backend in enumerate(args.backend or ["whoosh"]):
        bench(args.corpus, backend, base / str(n), args.runs)
    print(f"\nload average {_load()}")


if __name__ == "__main__":
    main()
