"""The indexing cost of quote extraction per article, over a whole corpus folder.

    .venv/bin/python benchmarks/bench_quote_cost.py /tmp/reuters-corpus [--runs 3]

Parses every file of the folder as the index does (``index.ingest.corpus``), extracts each article's
entity mentions once (the index does that anyway; not timed), then times
``index.analysis.quotes.extract_quotes`` over all the articles in one process, ``--runs`` times, and
divides by the number of articles. Prints the per-article cost (median, min, max over the
runs), the 95th percentile and the slowest single article of the last run, the quotes found,
and the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import percentile, summary
from index.analysis import entities
from index.analysis.quotes import extract_quotes
from index.ingest import corpus as ingest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    articles = []
    for path in ingest.corpus_files(args.corpus):
        found, _warnings = ingest.parse_file(path, args.corpus)
        articles.extend(found)
    if not articles:
        print(f"bench_quote_cost: no articles in {args.corpus}")
        return 1
    t0 = time.perf_counter()
    analysed = [(a, entities.extract(a.text)) for a in articles]
    mention_s = time.perf_counter() - t0
    per_article, singles, quotes = [], [], 0
    for _ in range(args.runs):
        singles, quotes = [], 0
        start = time.perf_counter()
        for article, mentions in analysed:
            t = time.perf_counter()
            quotes += len(extract_quotes(article, mentions))
            singles.append((time.perf_counter() - t) * 1000)
        per_article.append((time.perf_counter() - start) * 1000 / len(analysed))
    print(f"{len(analysed)} articles from {args.corpus}; {quotes} quotes found")
    print(f"quote extraction per article: {summary(per_article, ' ms', 3)}")
    print(f"last run: p95 {percentile(singles, 95):.3f} ms, slowest article {max(singles):.1f} ms")
    print(f"(entity mentions, not timed above: {mention_s * 1000 / len(analysed):.2f} ms/article)")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
