"""Precision and recall of the app's fuzzy search (``Library.fuzzy(q, limit=200)``) on a
hand-checked development set of typo'd queries.

Usage::

    python benchmarks/bench_fuzzy_quality.py [--devset FILE] [--data DIR] [--work DIR] [-v]

``--data`` is the shared data folder (default ``/work/shared/data``): the ``korea_news`` corpus is
its ``korea_news_2016_2017/articles.jsonl`` plus the shipped seeds, copied into one folder under
``--work``; ``news2016`` is ``news2016_whenitson/_posts``. Indexes are built under ``--work`` on
the first run and reused. Per query: precision = relevant returned / returned (0 when nothing is
returned), recall = relevant returned / relevant. Prints the mean of each over the queries, per
corpus and overall, the per-keystroke time of the queries, and (with ``-v``) every query that
is not perfect.

The devset names articles by a stable key, not by the app's id (which has changed with the id
scheme): a korea_news record by its own ``id`` field (``kh002``), a seed or a news2016 post by
its file name. Each key is mapped to the app's id at run time (see :func:`ids_by_key`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import isolate_user_folders, settings_for, summary

from index.ingest.corpus import corpus_files, load_metadata, parse_file
from index.library import Library

ROOT = Path(__file__).resolve().parent.parent


def korea_news_folder(data: Path, work: Path) -> Path:
    """korea_news articles.jsonl plus the seeds, in one corpus folder."""
    folder = work / "korea_news"
    folder.mkdir(parents=True, exist_ok=True)
    sources = [data / "korea_news_2016_2017" / "articles.jsonl"]
    sources += sorted((ROOT / "corpus" / "articles").iterdir())
    for source in sources:
        target = folder / source.name
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    return folder


def ids_by_key(folder: Path) -> dict[str, str]:
    """The devset's stable key -> the app's id, by parsing the corpus folder as the index does:
    a JSON Lines record's key is its own ``id`` field, any other article's its file name. Two
    keys can share an id: a copy of an article (same URL or text) is one article in the app."""
    metadata, _ = load_metadata(folder)
    out: dict[str, str] = {}
    for path in corpus_files(folder):
        source = path.relative_to(folder).as_posix()
        entry = metadata.get(source)
        articles, _ = parse_file(path, folder, {source: entry} if entry else None)
        if path.suffix != ".jsonl":
            out.update((path.name, a.id) for a in articles)
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        records = {
            n: str(json.loads(line)["id"]) for n, line in enumerate(lines, 1) if line.strip()
        }
        out.update((records[a.line], a.id) for a in articles if a.line in records)
    return out


def indexed(library: Library, article_id: str | None) -> bool:
    """Whether the index holds ``article_id`` (a devset key that parsed to no id does not)."""
    return article_id is not None and library.article(article_id) is not None


def score(hits: list[str], relevant: set[str]) -> tuple[float, float]:
    found = len(set(hits) & relevant)
    precision = found / len(hits) if hits else 0.0
    recall = found / len(relevant) if relevant else 1.0
    return precision, recall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--devset", type=Path, default=ROOT / "benchmarks/devsets/fuzzy_queries.yaml"
    )
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/thaad-fuzzy-quality"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    isolate_user_folders()
    print(f"load average: {os.getloadavg()[0]:.2f}")
    corpora = {
        "korea_news": korea_news_folder(args.data, args.work),
        "news2016": args.data / "news2016_whenitson" / "_posts",
    }
    libraries: dict[str, Library] = {}
    ids: dict[str, dict[str, str]] = {}
    for name, folder in corpora.items():
        library = Library(settings_for(folder, args.work / f"index-{name}"))
        report = library.update()
        library.warm()
        print(f"{name}: {report.articles} articles")
        libraries[name] = library
        ids[name] = ids_by_key(folder)
    queries = yaml.safe_load(args.devset.read_text(encoding="utf-8"))
    per_corpus: dict[str, list[tuple[float, float]]] = {name: [] for name in corpora}
    timings: list[float] = []
    unknown = sorted(
        {
            str(r["key"])
            for entry in queries
            for r in entry["relevant"]
            if not indexed(libraries[entry["corpus"]], ids[entry["corpus"]].get(str(r["key"])))
        }
    )
    if unknown:
        print(f"devset names articles not in the index: {', '.join(unknown)}")
        return 2
    for entry in queries:
        library = libraries[entry["corpus"]]
        relevant = {ids[entry["corpus"]][str(r["key"])] for r in entry["relevant"]}
        started = time.perf_counter()
        hits = [h.id for h in library.fuzzy(entry["query"], limit=200)]
        timings.append((time.perf_counter() - started) * 1000)
        p, r = score(hits, relevant)
        per_corpus[entry["corpus"]].append((p, r))
        if args.verbose and (p < 1 or r < 1):
            print(
                f"  {entry['query']!r} ({entry['corpus']}): P {p:.2f} R {r:.2f} "
                f"({len(hits)} returned, {len(relevant)} relevant)"
            )
    everything = [pr for scores in per_corpus.values() for pr in scores]
    for name, scores in [*per_corpus.items(), ("all", everything)]:
        if scores:
            mean_p = statistics.mean(p for p, _ in scores)
            mean_r = statistics.mean(r for _, r in scores)
            print(
                f"{name}: {len(scores)} queries, mean precision {mean_p:.3f}, recall {mean_r:.3f}"
            )
    print(f"time per query: {summary(timings, ' ms', 1)}")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
