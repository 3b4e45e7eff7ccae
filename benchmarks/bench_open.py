"""Opening a built index: ``open_library`` + the article list + an update that finds nothing.

Usage::

    python benchmarks/bench_open.py CORPUS_DIR INDEX_DIR [--runs N]

This is what every CLI command and the app's start pay before showing anything: the settings,
the index folder check, the catalogue's structure check (skipped while its stamp holds), the
writers' lock, the scan of the corpus for changed files. The index is built first (not timed).
Each run opens a fresh library in this process; figures are medians with min and max, in ms.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus_arguments, isolate_user_folders, settings_for, summary

from index.library import open_library


def main() -> None:
    parser = corpus_arguments(__doc__, runs=20)
    args = parser.parse_args()
    isolate_user_folders()
    settings = settings_for(args.corpus, args.index_dir)
    open_library(settings).update()
    opened, listed, updated = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        library = open_library(settings)
        opened.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        count = len(library.articles())
        listed.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        library.update()
        updated.append((time.perf_counter() - started) * 1000)
        library.catalogue.close()
        library.fulltext.close()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{count} articles, {args.runs} runs")
    print(f"open_library: {summary(opened, ' ms', 2)}")
    print(f"articles():   {summary(listed, ' ms', 2)}")
    print(f"update (nothing changed): {summary(updated, ' ms')}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
