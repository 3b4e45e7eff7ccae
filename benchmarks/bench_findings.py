"""Issue 18 part B figures: snippets that show their match, n/N steps by phrase, find speed.

    python benchmarks/bench_findings.py --corpus DIR --index-dir DIR [--runs 5]

Prints, for a fixed list of queries (words, names, phrases):
- how many search snippets show their first match within the article list's snippet line
  (48 characters at 120x40, 76 at 80x24);
- how many n/N steps the Reader's highlights of multi-word searches make over the matching
  articles (a phrase such as "Chang Wanquan" is one step, not two);
- the time to find a word in the corpus's longest article and mark its matches (what typing
  in the find bar costs): median, min and max over ``--runs``, with the load average.

The index is built first if it is missing (not timed).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import isolate_user_folders, settings_for, summary
from index.library import open_library
from index.search.highlight import find_spans, phrase_spans, term_spans

QUERIES = [
    "lotte",
    "thaad",
    '"missile defense"',
    "sanctions",
    "Xi Jinping",
    "Seongju",
    "tourism",
    "boycott",
    "Moon Jae-in",
    "radar",
    '"Lotte Mart"',
    "Park Geun-hye",
    "deployment",
    "Beijing",
    "retaliation",
    "K-pop",
    "chang wanquan",
    "hyundai",
    "golf course",
    "Trump",
]
PHRASES = [
    '"chang wanquan"',
    '"moon jae-in"',
    '"missile defense"',
    '"park geun-hye"',
    '"xi jinping"',
    '"north korea"',
]
LIST_WIDTHS = (48, 76)  # snippet characters the list shows at 120x40 and 80x24 (2 of indent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    isolate_user_folders()
    library = open_library(settings_for(args.corpus, args.index_dir))
    if not library.articles():
        library.update()

    hits = [
        h for q in QUERIES for mode in ("search", "fuzzy") for h in getattr(library, mode)(q, 200)
    ]
    shown = [h for h in hits if h.paragraph is not None]
    for width in LIST_WIDTHS:
        seen = sum(1 for h in shown if h.spans and h.spans[0][1] <= width)
        print(
            f"snippets whose first match is within {width} characters: {seen}/{len(shown)} "
            f"({100 * seen / max(1, len(shown)):.1f}%)"
        )

    words = phrases = 0
    for q in PHRASES:
        for hit in library.search(q, limit=200):
            article = library.article(hit.id)
            assert article is not None
            for paragraph in article.paragraphs:
                spans = term_spans(paragraph, hit.terms)
                words += len(spans)
                phrases += len(phrase_spans(paragraph, spans))
    print(f"n/N steps over {len(PHRASES)} multi-word searches: {phrases} (one per word: {words})")

    longest = max(library.articles(), key=lambda info: info.words)
    article = library.article(longest.id)
    assert article is not None
    times = []
    found = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        found = sum(len(find_spans(p, "korea")) for p in article.paragraphs)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"find 'korea' in the longest article ({longest.words} words, {found} matches): "
        f"{summary(times, ' ms', 2)}; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
