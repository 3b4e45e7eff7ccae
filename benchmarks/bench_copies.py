"""Cost of the copies (issue 16): finding them at index time, per article, over a built
index; opening an article's similar list; aligning two copies side by side; and the copy
pairs found against a gold list (korea_news ``index.tsv``, column ``near_duplicate_of``).

    python benchmarks/bench_copies.py --corpus /tmp/reuters-corpus --index-dir DIR
    python benchmarks/bench_copies.py --corpus KN --index-dir DIR --gold .../index.tsv \\
        --gold-jsonl .../articles.jsonl

The index must be built (``thaad-tui index``). The whole copy pass is redone on a copy of the
catalogue (the index itself is not touched).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import isolate_user_folders, settings_for, summary
from index.analysis import copies
from index.compare import textdiff
from index.compare.similar import similar
from index.library import open_library


def full_pass(catalogue: Path, runs: int) -> None:
    per_article = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-copies-") as tmp:
            path = Path(tmp) / "catalogue.sqlite"
            src = sqlite3.connect(catalogue)
            dst = sqlite3.connect(path)
            src.backup(dst)
            src.close()
            for table in ("copy_bands", "copy_pairs", "copy_done"):
                dst.execute(f"DROP TABLE IF EXISTS {table}")
            dst.commit()
            started = time.perf_counter()
            done = copies.update(dst)
            seconds = time.perf_counter() - started
            per_article.append(seconds / max(1, done) * 1000)
            pairs = dst.execute("SELECT count(*) FROM copy_pairs").fetchone()[0]
            print(f"  full pass: {done} articles in {seconds:.1f} s, {pairs} copy pairs")
            # One more article into the full state: what `add` pays.
            one = []
            ids = [r[0] for r in dst.execute("SELECT article FROM copy_done")]
            for aid in random.Random(1).sample(ids, min(20, len(ids))):
                dst.execute("DELETE FROM copy_done WHERE article = ?", (aid,))
                dst.execute("DELETE FROM copy_bands WHERE article = ?", (aid,))
                dst.commit()
                started = time.perf_counter()
                copies.update(dst)
                one.append((time.perf_counter() - started) * 1000)
            dst.close()
    print(f"index time per article (full pass): {summary(per_article, ' ms', 2)}")
    print(f"one added article into the full state: {summary(one, ' ms')}")


def query_times(settings, sample: int) -> None:
    library = open_library(settings)
    ids = library.catalogue.ids()
    rng = random.Random(2)
    opened = []
    for aid in rng.sample(ids, min(sample, len(ids))):
        started = time.perf_counter()
        similar(library, aid)
        opened.append((time.perf_counter() - started) * 1000)
    print(f"similar list (copies + more like this): {summary(opened, ' ms')}")
    pairs = library.catalogue.all_copy_pairs()
    aligned = []
    for pair in rng.sample(pairs, min(sample, len(pairs))):
        started = time.perf_counter()
        a, b = library.article(pair.a), library.article(pair.b)
        assert a is not None and b is not None
        for row in textdiff.align(a.paragraphs, b.paragraphs):
            if row.kind == "changed":
                assert row.left is not None and row.right is not None
                textdiff.word_diff(a.paragraphs[row.left], b.paragraphs[row.right])
        aligned.append((time.perf_counter() - started) * 1000)
    print(f"side-by-side (two reads + alignment + word diff): {summary(aligned, ' ms')}")


def gold_scores(settings, gold_tsv: Path, gold_jsonl: Path) -> None:
    library = open_library(settings)
    by_url = {info.url: info.id for info in library.articles()}
    kh = {}
    for line in gold_jsonl.read_text().splitlines():
        row = json.loads(line)
        if row.get("url") in by_url:
            kh[by_url[row["url"]]] = row["id"]
    lines = gold_tsv.read_text().splitlines()
    header = lines[0].split("\t")
    col = header.index("near_duplicate_of")
    gold = set()
    for line in lines[1:]:
        cells = line.split("\t")
        if cells[col]:
            gold.add(tuple(sorted((cells[0], cells[col]))))
    found = {
        tuple(sorted((kh[p.a], kh[p.b])))
        for p in library.catalogue.all_copy_pairs()
        if p.a in kh and p.b in kh
    }
    hit = found & gold
    print(f"gold pairs {len(gold)}, found {len(found)}, correct {len(hit)}")
    print(
        f"precision {len(hit) / max(1, len(found)):.2f}, recall {len(hit) / max(1, len(gold)):.2f}"
    )
    for pair in sorted(found - gold):
        print(f"  false pair: {pair}")
    for pair in sorted(gold - found):
        print(f"  missed pair: {pair}")


def lsh_recall(catalogue: Path, sample: int) -> None:
    """Recall of the LSH candidate step against brute force: ``sample`` random articles are
    compared exactly with every article; the copies found that way that the index lacks are
    pairs LSH never proposed."""
    conn = sqlite3.connect(catalogue)
    rows = conn.execute("SELECT id, title, paragraphs FROM articles").fetchall()
    prints = {aid: copies.fingerprint(title, json.loads(p)) for aid, title, p in rows}
    stored = {(p.a, p.b) for p in copies.all_pairs(conn)}
    exact: set[tuple[str, str]] = set()
    for aid in random.Random(3).sample(sorted(prints), min(sample, len(prints))):
        mine = prints[aid]
        for other, theirs in prints.items():
            if other == aid:
                continue
            containment, _j, shared = copies.compare(mine.shingles, theirs.shingles)
            if copies.is_copy(containment, shared, copies.details_agree(mine, theirs)):
                a, b = sorted((aid, other))
                exact.add((a, b))
    found = exact & stored
    print(
        f"LSH recall against brute force ({sample} articles x {len(prints)}): "
        f"{len(found)}/{len(exact)} = {len(found) / max(1, len(exact)):.2f}"
    )


def devset_scores(settings, devset: Path) -> None:
    """Precision over hand-checked groups: of the checked groups the index still forms, the
    share whose verdict is "copy" ("mixed" and "no" count as wrong)."""
    library = open_library(settings)
    groups = copies.groups(library.catalogue.all_copy_pairs())
    group_of = {aid: n for n, group in enumerate(groups) for aid in group}
    rows = [
        line.split("\t")
        for line in devset.read_text().splitlines()
        if line and not line.startswith(("#", "group\t"))
    ]
    formed = [r for r in rows if len({group_of.get(a, a) for a in r[1].split(",")}) == 1]
    right = sum(r[2] == "copy" for r in formed)
    print(f"hand-checked groups {len(rows)}, still formed {len(formed)}, copies {right}")
    print(f"precision on the checked groups {right / max(1, len(formed)):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=1, help="full copy passes (each is long)")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--gold", type=Path, help="korea_news index.tsv")
    parser.add_argument("--gold-jsonl", type=Path, help="korea_news articles.jsonl (its URLs)")
    parser.add_argument("--devset", type=Path, help="benchmarks/devsets/copies_reuters.tsv")
    parser.add_argument("--recall-sample", type=int, default=0, metavar="N")
    parser.add_argument("--skip-full", action="store_true")
    args = parser.parse_args()
    isolate_user_folders()
    settings = settings_for(args.corpus, args.index_dir)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.gold and args.gold_jsonl:
        gold_scores(settings, args.gold, args.gold_jsonl)
    if args.devset:
        devset_scores(settings, args.devset)
    if args.recall_sample:
        lsh_recall(args.index_dir / "catalogue.sqlite", args.recall_sample)
    if not args.skip_full:
        full_pass(args.index_dir / "catalogue.sqlite", args.runs)
    query_times(settings, args.sample)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    shutil.rmtree(Path(os.environ["THAAD_TUI_DATA_DIR"]).parent, ignore_errors=True)


if __name__ == "__main__":
    main()
