"""What ingest makes of real corpora: articles, paragraphs, outlets, URLs, title suffixes, ids.

Usage::

    python benchmarks/check_ingest.py FOLDER [FOLDER ...] [--runs N]

For each folder it prints how many articles it holds, how many paragraphs they have, how many
have an outlet and a URL, how many distinct ids (and distinct normalised URLs) there are, and
the ingest time (median over runs, with min/max and the load average).
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import summary

from index.ingest.corpus import ingest_root
from index.ingest.outlets import url_key


def check(folder: Path, runs: int) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        articles, warnings = ingest_root(folder)
        times.append(time.perf_counter() - started)
    paragraphs = sum(len(a.paragraphs) for a in articles)
    outlets = collections.Counter(a.outlet for a in articles if a.outlet)
    urls = {url_key(a.url) for a in articles if url_key(a.url)}
    print(f"{folder}")
    print(f"  articles            {len(articles)} ({len(warnings)} warnings)")
    print(f"  paragraphs          {paragraphs}")
    print(f"  with an outlet      {sum(outlets.values())} ({len(outlets)} outlets)")
    print(f"  with a URL          {sum(1 for a in articles if a.url)} ({len(urls)} distinct)")
    print(f"  distinct ids        {len({a.id for a in articles})}")
    print(f"  top outlets         {', '.join(f'{n} {o}' for o, n in outlets.most_common(6))}")
    print(f"  ingest time         {summary(times, ' s', 2)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for folder in args.folders:
        check(folder, args.runs)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
