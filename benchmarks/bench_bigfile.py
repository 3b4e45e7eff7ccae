"""Building one very large article: time and peak memory per file size, and whether they grow
linearly.

Usage::

    python benchmarks/bench_bigfile.py [--sizes 1,5,10,25,50] [--runs N] [--lines single|many]
                                       [--cap-mb MB]

For each size a plain-text article of that many MB is generated (news-like sentences with
dates, people, places and organisations; ``--lines single`` puts the whole body on one line,
as in the report that found the problem) and indexed into a fresh folder by a separate
``thaad-tui index`` process, whose wall time and peak resident memory (``ru_maxrss`` of the
child) are recorded. A search that hits the article is timed too. The last lines give the
seconds and MB of peak memory per MB of input for each size: linear growth keeps the first
roughly constant. With the caps of ``index.ingest.passages`` the cost stops growing past 1,000,000
characters; ``--cap-mb 60`` lifts them to time the whole pipeline on the whole text.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import isolate_user_folders, summary

PEOPLE = ["Park Geun-hye", "Moon Jae-in", "Xi Jinping", "Wang Yi", "Han Min-koo", "Kim Jong-un"]
PLACES = ["Seongju", "Seoul", "Beijing", "Washington", "Busan", "Gimcheon", "Tokyo"]
ORGS = ["Lotte Group", "the Defence Ministry", "the Foreign Ministry", "US Forces Korea"]
MONTHS = ["January", "February", "March", "April", "May", "July", "September", "November"]
VERBS = ["said", "warned", "announced", "denied", "confirmed", "repeated"]


# ``thaad-tui`` with other caps (for --cap-mb): the build without them, to see its own growth.
UNCAPPED = """
import sys
from index.ingest import corpus as ingest
from index.ingest import passages
from tui.cli import main

passages.MAX_ARTICLE = {chars}
ingest.MAX_ARTICLE_BYTES = {bytes}
sys.exit(main(sys.argv[1:]))
"""


def sentence(pick: random.Random) -> str:
    when = f"{pick.choice(MONTHS)} {pick.randint(1, 28)}, {pick.choice([2016, 2017])}"
    return (
        f"{pick.choice(PEOPLE)} {pick.choice(VERBS)} in {pick.choice(PLACES)} on {when} that "
        f"{pick.choice(ORGS)} would discuss the THAAD battery and its radar with officials "
        f"from {pick.choice(PLACES)}."
    )


def generate(path: Path, megabytes: float, single_line: bool, seed: int = 7) -> None:
    pick = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    written = 0
    separator = " " if single_line else "\n\n"
    with path.open("w", encoding="utf-8") as out:
        header = "A very long report on the THAAD deployment\n\nBy Benchmark Writer\n\n"
        out.write(header)
        written += len(header)
        while written < target:
            text = sentence(pick) + separator
            out.write(text)
            written += len(text)
        out.write("\n")


def run_child(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of the child, and its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    # ru_maxrss of children is the maximum over all children so far: only a new maximum is
    # this child's; the sizes run from small to large, so each is.
    return took, max(peak, before) / 1024, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,5,10,25,50", help="MB, comma separated")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--lines", choices=["single", "many"], default="single")
    parser.add_argument(
        "--cap-mb",
        type=float,
        help="raise the per-article caps to this many MB, to time the pipeline itself",
    )
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    isolate_user_folders()
    base = Path(tempfile.mkdtemp(prefix="thaad-bigfile-"))
    cli = [sys.executable, "-m", "tui"]
    if args.cap_mb:
        cap = int(args.cap_mb * 1024 * 1024)
        cli = [sys.executable, "-c", UNCAPPED.format(chars=cap, bytes=cap)]
    rows = []
    try:
        for size in sorted(sizes):
            corpus = base / f"corpus-{size:g}"
            corpus.mkdir()
            generate(corpus / "big.txt", size, args.lines == "single")
            times, peaks, searches = [], [], []
            for run in range(args.runs):
                index_dir = base / f"ix-{size:g}-{run}"
                where = ["--corpus", str(corpus), "--index-dir", str(index_dir)]
                took, peak, err = run_child([*cli, "index", *where])
                times.append(took)
                peaks.append(peak)
                started = time.perf_counter()
                subprocess.run([*cli, "search", "Seongju", *where], capture_output=True)
                searches.append(time.perf_counter() - started)
            warning = next((line for line in err.splitlines() if "big.txt" in line), "")
            rows.append((size, times, peaks, searches, warning))
            print(
                f"{size:5g} MB  build {summary(times, ' s')}  peak RSS {summary(peaks, ' MB', 0)}"
                f"  search {summary(searches, ' s', 2)}",
                flush=True,
            )
            if warning:
                print(f"         {warning}", flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print("\nper MB of input (linear growth keeps these flat):")
    for size, times, peaks, _searches, _warning in rows:
        median_time = sorted(times)[len(times) // 2]
        median_peak = sorted(peaks)[len(peaks) // 2]
        print(f"{size:5g} MB  {median_time / size:6.2f} s/MB   {median_peak / size:7.1f} MB RSS/MB")
    first, last = rows[0], rows[-1]
    ratio = (sorted(last[1])[0] / last[0]) / max(1e-9, sorted(first[1])[0] / first[0])
    print(f"\ntime per MB at {last[0]:g} MB is {ratio:.2f}x that at {first[0]:g} MB")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
