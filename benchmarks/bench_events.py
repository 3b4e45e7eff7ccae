"""Score dated-event extraction against hand labels on real articles.

    .venv/bin/python benchmarks/bench_events.py [--devset benchmarks/devsets/events.yaml]
        [--articles /work/shared/data/korea_news_2016_2017/articles.jsonl] [-v]

An event counts as found when the extractor gives an event in the same article and paragraph
with the same date and the same precision (see the devset's header for the conventions).
Prints recall, precision, per-article misses and extras (with -v), the extraction time over
all the file's articles (median of 5 runs) and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import summary
from index.analysis.events import extract_events
from index.ingest.corpus import parse_file
from index.ingest.passages import bounded
from index.models import Article, paragraph_index

HERE = Path(__file__).resolve().parent
DEFAULT_ARTICLES = Path("/work/shared/data/korea_news_2016_2017/articles.jsonl")

Key = tuple[str, int, str, str]


def load_articles(path: Path) -> dict[str, Article]:
    """The file's articles as the app indexes them, by the record's own "id": long paragraphs
    cut into passages as the index cuts them, so that paragraph numbers are the ones
    `thaad-tui show` prints and events come from the text the app analyses."""
    articles, _ = parse_file(path, path.parent)
    lines = path.read_text(encoding="utf-8").splitlines()
    keys = {n: json.loads(line).get("id") for n, line in enumerate(lines, 1) if line.strip()}
    return {str(keys[a.line]): bounded(a, str(path))[0] for a in articles if a.line in keys}


def predicted(key: str, article: Article) -> set[Key]:
    """(article, paragraph, date, precision) of every dated event the extractor gives."""
    starts = article.paragraph_starts()
    return {
        (key, paragraph_index(starts, e.start) + 1, e.date, e.precision)
        for e in extract_events(article, [])
        if e.kind == "event"
    }


def gold(devset: dict) -> set[Key]:
    """The labelled events as scored keys."""
    out: set[Key] = set()
    for key, labels in (devset.get("articles") or {}).items():
        for label in labels or []:
            out.add((str(key), int(label["para"]), str(label["date"]), str(label["precision"])))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=HERE / "devsets" / "events.yaml")
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    devset = yaml.safe_load(args.devset.read_text(encoding="utf-8"))
    articles = load_articles(args.articles)
    labelled = [str(k) for k in (devset.get("articles") or {})]
    missing = [k for k in labelled if k not in articles]
    if missing:
        print(f"devset names articles not in {args.articles}: {', '.join(missing)}")
        return 2
    want = gold(devset)
    got: set[Key] = set()
    for key in labelled:
        got |= predicted(key, articles[key])
    hits = want & got
    recall = len(hits) / len(want) if want else 1.0
    precision = len(hits) / len(got) if got else 1.0
    if args.verbose:
        for key in labelled:
            for kind, keys in (("missed", want - got), ("extra", got - want)):
                for item in sorted(k for k in keys if k[0] == key):
                    print(f"  {kind:6} {item[0]} para {item[1]:>2}  {item[2]:<10} {item[3]}")
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        for article in articles.values():
            extract_events(article, [])
        timings.append(time.perf_counter() - began)
    print(f"articles labelled: {len(labelled)}, events labelled: {len(want)}, found: {len(got)}")
    print(f"recall    {recall:.2f} ({len(hits)}/{len(want)})")
    print(f"precision {precision:.2f} ({len(hits)}/{len(got)})")
    print(f"extraction over {len(articles)} articles: {summary(timings, ' s', 3)}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
