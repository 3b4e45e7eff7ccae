"""Score quote extraction (who said what) against hand labels on real articles.

    .venv/bin/python benchmarks/bench_quotes.py [--devset benchmarks/devsets/quotes.yaml]
        [--articles /work/shared/data/korea_news_2016_2017/articles.jsonl] [-v]

The extractor runs as the index runs it: the article as ingested, its mentions from
``index.analysis.entities.extract``, then ``index.analysis.quotes.extract_quotes``. A predicted
quote matches a
gold one of the same article and paragraph when their start words agree: the gold's first
words (up to 3, lowercased, punctuation aside) are the first words of the prediction, or
appear among its first 3 words after them (a leading "that" or "on Monday"). Each gold quote
matches at most one prediction. Prints quote span F1 (precision, recall), speaker accuracy on
matched quotes (the speaker through the corpus's canonical names, folded; for a role,
leading a/an/the aside, the predicted role may go on after the gold one), the misses
and extras with -v, and the cost per article (median of 5 runs over the labelled articles,
and over every article of the file) with the load average.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import summary
from index.analysis import entities
from index.analysis.quotes import Quote, extract_quotes
from index.ingest.corpus import parse_file
from index.models import Article

HERE = Path(__file__).resolve().parent
DEFAULT_ARTICLES = Path("/work/shared/data/korea_news_2016_2017/articles.jsonl")
_WORD = re.compile(r"[\w’'\-.]+")
_SLACK = 3  # words a prediction may carry before the gold's first word


def words(text: str, n: int | None = None) -> list[str]:
    """Lowercased words, quote marks and punctuation at their ends stripped."""
    out = [w.strip(".’'-").replace("’", "'") for w in _WORD.findall(text.lower())]
    out = [w for w in out if w]
    return out if n is None else out[:n]


def matches(gold_start: str, predicted: str) -> bool:
    """Whether a prediction starts where the gold quote starts (see the module's docstring)."""
    gold = words(gold_start, 3)
    pred = words(predicted, len(gold) + _SLACK)
    return any(pred[i : i + len(gold)] == gold for i in range(_SLACK + 1))


def fold_speaker(name: str) -> str:
    name = re.sub(r"^(?:a|an|the)\s+", "", name.strip(), flags=re.IGNORECASE)
    return re.sub(r"[\W_]+", "", name.casefold())


def same_speaker(predicted: str, gold: str) -> bool:
    """The same entity name, or a role that starts with the gold role ("an official at the
    U.S. embassy in Seoul" for "an official at the U.S. embassy")."""
    p, g = fold_speaker(predicted), fold_speaker(gold)
    return bool(g) and (p == g or p.startswith(g))


def run(articles: list[Article]) -> tuple[dict[str, list[Quote]], dict[str, str]]:
    """Each article's quotes, and the corpus's canonical names (as the index reads them)."""
    mentions = {a.id: (a.text, entities.extract(a.text)) for a in articles}
    canonical = entities.canonical_map(entities.aggregate(mentions))
    return {a.id: extract_quotes(a, mentions[a.id][1]) for a in articles}, canonical


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=HERE / "devsets" / "quotes.yaml")
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    gold = yaml.safe_load(args.devset.read_text(encoding="utf-8"))["articles"]
    every, _ = parse_file(args.articles, args.articles.parent)
    by_id = {a.id: a for a in every}
    missing = [g["id"] for g in gold if g["id"] not in by_id]
    if missing:
        print(f"bench_quotes: devset ids not in {args.articles}: {', '.join(missing)}")
        return 1
    labelled = [by_id[g["id"]] for g in gold]
    predicted_all, canonical = run(every)
    predicted = {a.id: predicted_all[a.id] for a in labelled}
    tp = fp = fn = right = 0
    outlets = set()
    for g in gold:
        outlets.add(g.get("outlet", "?"))
        preds = list(predicted[g["id"]])
        for q in g["quotes"]:
            hit = next(
                (p for p in preds if p.paragraph == q["paragraph"] and matches(q["start"], p.text)),
                None,
            )
            if hit is None:
                fn += 1
                if args.verbose:
                    print(f"  miss  {g['kh']} ¶{q['paragraph']} {q['start']!r} ({q['speaker']})")
                continue
            preds.remove(hit)
            tp += 1
            if same_speaker(canonical.get(hit.speaker, hit.speaker), q["speaker"]):
                right += 1
            elif args.verbose:
                print(
                    f"  who   {g['kh']} ¶{q['paragraph']} {q['start']!r}: "
                    f"{hit.speaker!r} != {q['speaker']!r}"
                )
        fp += len(preds)
        if args.verbose:
            for p in preds:
                print(f"  extra {g['kh']} ¶{p.paragraph} {p.text[:40]!r} ({p.speaker}, {p.kind})")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"{len(gold)} articles ({len(outlets)} outlets), {tp + fn} gold quotes, {tp + fp} predicted"
    )
    print(f"quote span F1 {f1:.3f} (precision {precision:.3f}, recall {recall:.3f})")
    print(f"speaker accuracy {right / tp if tp else 0.0:.3f} ({right}/{tp} matched quotes)")
    for label, group in (("labelled", labelled), ("all", every)):
        mentions = [(a, entities.extract(a.text)) for a in group]
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            for a, m in mentions:
                extract_quotes(a, m)
            times.append((time.perf_counter() - t0) * 1000 / len(group))
        print(f"quote extraction per article ({label}, {len(group)}): {summary(times, ' ms', 2)}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
