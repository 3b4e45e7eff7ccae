"""Full index build throughput, and the latency of adding one article to a built index.

Usage::

    python benchmarks/bench_build.py CORPUS_DIR [--runs N] [--adds N] [--workers N]

Each run builds into a fresh index folder (ingest, entity extraction, events, Whoosh, the
corpus-wide entity table) through ``Library.update()``, exactly what ``thaad-tui index`` does,
and reports articles per second end to end, with the time spent per stage. After the last run,
``--adds`` single articles are added one at a time with ``Library.add()`` (copy into the
writable folder, scan, analyse, write, refresh entities) and their latency is reported (the
first one is that process's first add); then ``--fresh-adds`` more, each by a new interpreter
as ``thaad-tui add`` runs (nothing imported or built yet; the gazetteer the build's workers
left in the cache folder is there, as it is for a user after a build).

The yardstick, in the same run (``--bare-runs``, alternating with the app's builds): a bare
Whoosh writer with two processes and multisegment commits, stock schema (id, title, outlet and
body with Whoosh's default analyzer), fed the same titles and texts, already read (reading
files and everything the app does besides Whoosh are the app's cost, so they are not in the
yardstick). The ratio app/bare is printed per run and as a median; the load average too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import isolate_user_folders, settings_for, summary

from index.library import Library

ADDED = """---
title: Seoul and Beijing talk about THAAD again, number {n}
outlet: Benchmark Wire
published: 2017-03-{day:02d}
---

South Korea's defence ministry said on Tuesday that the THAAD battery in Seongju would be
operational by the end of the year, and China's foreign ministry repeated its objection
(item {n}).

Officials in Seoul and Beijing met in Tokyo on March {day}, 2017, to discuss the deployment.
"""


class StageClock:
    """A progress callback that records when each stage was first reported."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.marks: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.marks.setdefault(stage, time.perf_counter() - self.started)

    def stages(self, end: float) -> str:
        names = list(self.marks)
        parts = []
        for i, name in enumerate(names):
            stop = self.marks[names[i + 1]] if i + 1 < len(names) else end
            parts.append(f"{name} {stop - self.marks[name]:.1f} s")
        return ", ".join(parts)


def build_once(corpus: Path, workdir: Path, workers: int | None) -> tuple[Library, float, int]:
    index_dir = workdir / "index"
    extra = workdir / "added"
    extra.mkdir(parents=True)
    library = Library(settings_for(corpus, index_dir, extra))
    clock = StageClock()
    started = time.perf_counter()
    report = library.update(progress=clock, workers=workers)
    seconds = time.perf_counter() - started
    rate = report.articles / seconds
    print(
        f"  build: {report.articles} articles in {seconds:.1f} s = {rate:.0f} articles/s "
        f"({clock.stages(seconds)}; {report.errors} warnings)",
        flush=True,
    )
    return library, seconds, report.articles


def read_texts(corpus: Path) -> list[tuple[str, str, str, str]]:
    """(id, title, outlet, body) of every article of the corpus, read with the app's ingest."""
    from index.ingest.corpus import corpus_files, ingest_root

    if not any(corpus_files(corpus)):
        return []
    articles, _warnings = ingest_root(corpus)
    return [(a.id, a.title, a.outlet or "", "\n\n".join(a.paragraphs)) for a in articles]


def bare_whoosh(texts: list[tuple[str, str, str, str]], folder: Path) -> float:
    """Articles per second of a bare Whoosh writer (2 procs, multisegment) over ``texts``."""
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(
        id=ID(stored=True, unique=True), title=TEXT(stored=True), outlet=TEXT, body=TEXT
    )
    folder.mkdir(parents=True)
    started = time.perf_counter()
    ix = whoosh_index.create_in(str(folder), schema)
    writer = ix.writer(procs=2, multisegment=True, limitmb=128)
    for aid, title, outlet, body in texts:
        writer.add_document(id=aid, title=title, outlet=outlet, body=body)
    writer.commit()
    ix.close()
    seconds = time.perf_counter() - started
    shutil.rmtree(folder)
    rate = len(texts) / seconds
    print(
        f"  bare Whoosh writer: {len(texts)} articles in {seconds:.1f} s = {rate:.0f}/s", flush=True
    )
    return rate


def add_latencies(library: Library, workdir: Path, count: int) -> list[float]:
    latencies = []
    for n in range(count):
        path = workdir / f"new-{n}.md"
        path.write_text(ADDED.format(n=n, day=n % 28 + 1), encoding="utf-8")
        started = time.perf_counter()
        report = library.add([path])
        latencies.append(time.perf_counter() - started)
        if report.added != 1:
            raise SystemExit(f"adding {path} indexed {report.added} articles, expected 1")
    return latencies


FRESH_ADD = """import sys, time
started = time.perf_counter()
sys.path[:0] = [{bench!r}, {root!r}]
from pathlib import Path
from _common import settings_for
from index.library import Library
library = Library(settings_for(Path({corpus!r}), Path({index!r}), Path({extra!r})))
opened = time.perf_counter()
report = library.add([Path({path!r})])
done = time.perf_counter()
if report.added != 1:
    raise SystemExit("indexed " + str(report.added) + " articles, expected 1")
print((done - opened) * 1000, (done - started) * 1000)
"""


def fresh_adds(corpus: Path, workdir: Path, count: int) -> list[tuple[float, float]]:
    """``thaad-tui add`` as a user runs it: each article added by a new interpreter (nothing
    imported or built yet), ``(add ms, interpreter start to added ms)`` each."""
    import subprocess

    here = Path(__file__).resolve().parent
    times = []
    for n in range(count):
        path = workdir / f"fresh-{n}.md"
        path.write_text(ADDED.format(n=1000 + n, day=n % 28 + 1), encoding="utf-8")
        code = FRESH_ADD.format(
            bench=str(here),
            root=str(here.parent),
            corpus=str(corpus),
            index=str(workdir / "run" / "index"),
            extra=str(workdir / "run" / "added"),
            path=str(path),
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"the fresh add failed: {done.stderr.strip()[-500:]}")
        add_ms, total_ms = (float(x) for x in done.stdout.split()[-2:])
        times.append((add_ms, total_ms))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--adds", type=int, default=7)
    parser.add_argument("--fresh-adds", type=int, default=3, help="adds, each by a new interpreter")
    parser.add_argument("--workers", type=int, default=None, help="analysis processes")
    parser.add_argument("--bare-runs", type=int, default=None, help="default: --runs")
    args = parser.parse_args(argv)
    isolate_user_folders()
    bare_runs = args.runs if args.bare_runs is None else args.bare_runs
    texts = read_texts(args.corpus) if bare_runs else []
    bare: list[float] = []
    ratios: list[float] = []
    print(f"load average: {os.getloadavg()[0]:.2f}", flush=True)
    rates: list[float] = []
    seconds: list[float] = []
    library = None
    workdir = Path(tempfile.mkdtemp(prefix="thaad-bench-build-"))
    try:
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs}", flush=True)
            if library is not None:
                library.catalogue.close()
                library.fulltext.close()
                shutil.rmtree(workdir / "run")
            library, secs, articles = build_once(args.corpus, workdir / "run", args.workers)
            rates.append(articles / secs)
            seconds.append(secs)
            if run < bare_runs:
                bare.append(bare_whoosh(texts, workdir / f"bare-{run}"))
                ratios.append(rates[-1] / bare[-1])
                print(f"  ratio app/bare: {ratios[-1]:.2f}", flush=True)
        print(f"full build: {summary(rates, ' articles/s', 0)}")
        if bare:
            print(f"bare Whoosh writer (2 procs, multisegment): {summary(bare, ' articles/s', 0)}")
            print(f"ratio app/bare: {summary(ratios, '', 2)}")
        print(f"full build time: {summary(seconds, ' s', 1)}")
        if library is not None and args.adds:
            adds = add_latencies(library, workdir, args.adds)
            print(f"add one article: {summary([a * 1000 for a in adds], ' ms', 0)}")
            print(f"  each add (ms): {', '.join(f'{a * 1000:.0f}' for a in adds)}")
        if library is not None and args.fresh_adds:
            fresh = fresh_adds(args.corpus, workdir, args.fresh_adds)
            print(
                "first add of a new process (thaad-tui add): "
                f"{summary([a for a, _t in fresh], ' ms', 0)}; from the interpreter's start "
                f"(imports, opening the index): {summary([t for _a, t in fresh], ' ms', 0)}"
            )
        print(f"load average: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
