"""The PostgreSQL search backend side by side with the Whoosh index, in the same run.

Usage::

    python benchmarks/bench_postgres.py CORPUS_DIR [--url postgresql://...] [--runs N]
        [--queries N] [--typed N] [--readers 8] [--rebuild N] [--cache FILE]

On the same analysed articles (parsed and entity-tagged once, then given to both backends):

- build rate: articles per second written into each backend, in batches of 1,000 as
  ``thaad-tui index`` writes them (the analysis, common to both, is timed apart);
- full-text query p50/p95 with snippets: the query mix of ``bench_query.py`` (terms, AND,
  phrases, ``word~``, ``word*``, date ranges, drawn from the corpus's titles with the same
  seed), each a search for 10 hits whose snippets are then cut from the articles' paragraphs;
- fuzzy as you type: the app's plain-word search per keystroke (typo plan over the backend's
  vocabulary, then the search for 200 hits), from the second character;
- query p95 with ``--readers`` reader processes running the query mix while a writer process
  rewrites ``--rebuild`` articles in batches.

Without ``--url``, a throwaway PostgreSQL server is started in a temporary folder (as the tests
do; fsync off, so its write figures are the best case of a server with fsync on). Medians over
``--runs``, with min and max, and the load average, are printed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import pickle
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.pgserver

from _common import isolate_user_folders, percentile, summary
from bench_query import _title_words, fulltext_queries

from index.search import fuzzysearch, query
from index.search import querytree as qt
from index.search.backend import SearchBackend
from index.search.fuzzy import MIN_QUERY, Surface, Vocabulary
from index.search.highlight import best_paragraph, cut_snippet
from index.search.postgres import PostgresBackend
from index.search.whoosh.backend import WhooshBackend
from index.store.catalogue import Analysed

BATCH = 1000


# -- the articles ------------------------------------------------------------------------------
def analysed_corpus(folder: Path, cache: Path | None) -> list[Analysed]:
    """Every article of ``folder`` with its entity mentions (cached in ``cache``)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)
    from index.analysis import entities
    from index.ingest import corpus as ingest

    items: list[Analysed] = []
    seen: set[str] = set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".md"):
        articles, _warnings = ingest.parse_file(path, folder, None)
        for a in articles:
            if a.id not in seen:  # the corpus repeats some ids; the builder keeps the first
                seen.add(a.id)
                items.append(Analysed("bench", a, tuple(entities.extract(a.text)), ()))
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(items, f)
    return items


@dataclass
class _Info:
    title: str
    published: date | None


class _Titles:
    """What ``bench_query._title_words`` reads of a library: its articles' titles."""

    def __init__(self, items: Sequence[Analysed]) -> None:
        self.infos = [_Info(i.article.title, i.article.published) for i in items]

    def articles(self) -> list[_Info]:
        return self.infos


def query_mix(items: Sequence[Analysed], count: int) -> list[tuple[str, qt.Query]]:
    """bench_query.py's mix (same seed, same words), parsed by the project's parser: both
    backends answer the same trees."""
    return [(text, query.parse(text)) for text in fulltext_queries(_Titles(items), count)]  # type: ignore[arg-type]


def typed_texts(items: Sequence[Analysed], count: int, seed: int = 11) -> list[str]:
    """Half title fragments, half entity names (a typo in every fourth), as bench_query.py."""
    rng = random.Random(seed)
    out = [" ".join(w[:2]) for w in _title_words(_Titles(items), rng, count // 2)]  # type: ignore[arg-type]
    names = sorted({m.name for i in items for m in i.mentions})[:500] or ["seoul"]
    while len(out) < count:
        name = rng.choice(names).lower()
        if len(out) % 4 == 0 and len(name) > 5:
            i = rng.randrange(1, len(name) - 1)
            name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        out.append(name)
    return out


# -- the two backends behind one face ---------------------------------------------------------
class Side:
    """One backend as the benchmark drives it: the same query trees for both."""

    def __init__(self, name: str, backend: SearchBackend) -> None:
        self.name, self.backend = name, backend

    def write(self, removed: Sequence[str], items: Sequence[Analysed]) -> None:
        # as the builder writes a big batch with one worker (Whoosh: a new segment, no merge)
        self.backend.write_batch(removed, items, procs=1, merge=len(items) < 500)

    def search(self, tree: qt.Query, limit: int) -> list[tuple[str, frozenset[str]]]:
        return [(h.id, h.terms) for h in self.backend.search(tree, limit=limit).hits]

    def typed(self, text: str, surface: Surface) -> list[tuple[str, frozenset[str]]]:
        """The search box's plain-word search: the typo plan over this backend's vocabulary,
        then the search for 200 hits."""

        def vocabulary(field: str) -> Vocabulary:
            return surface if field == fuzzysearch.SURFACE else self.backend.vocabulary(field)

        plans = fuzzysearch.plan(text, vocabulary, self.backend.analyze, self.backend.doc_frequency)
        return self.search(fuzzysearch.to_query(plans), 200)

    def close(self) -> None:
        self.backend.close()


# -- measuring ---------------------------------------------------------------------------------
def time_build(side: Side, items: Sequence[Analysed]) -> float:
    started = time.perf_counter()
    for start in range(0, len(items), BATCH):
        side.write([], items[start : start + BATCH])
    return len(items) / (time.perf_counter() - started)


def time_queries(
    side: Side, mix: Sequence[tuple[str, qt.Query]], paragraphs: dict[str, tuple[str, ...]]
) -> tuple[list[float], int]:
    latencies, hits = [], 0
    for _text, tree in mix:
        started = time.perf_counter()
        found = side.search(tree, 10)
        for aid, terms in found:
            paras = paragraphs[aid]
            i, spans = best_paragraph(paras, terms, side.backend.analyze)
            cut_snippet(paras[i] if paras else "", spans)
        latencies.append((time.perf_counter() - started) * 1000)
        hits += len(found)
    return latencies, hits


def time_typing(side: Side, typed: Sequence[str], surface: Surface) -> list[float]:
    latencies = []
    for text in typed:
        for end in range(MIN_QUERY, len(text) + 1):
            started = time.perf_counter()
            side.typed(text[:end], surface)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _reader(make: Callable[[], Side], mix, paragraphs, stop, out) -> None:
    side = make()
    latencies: list[float] = []
    while not stop.is_set():
        for _text, tree in mix:
            if stop.is_set():
                break
            started = time.perf_counter()
            side.search(tree, 10)
            latencies.append((time.perf_counter() - started) * 1000)
    side.close()
    out.put(latencies)


def _writer(make: Callable[[], Side], items, done) -> None:
    side = make()
    for start in range(0, len(items), BATCH // 2):
        chunk = items[start : start + BATCH // 2]
        side.write([i.article.id for i in chunk], chunk)
    side.close()
    done.put(True)


def time_concurrent(make, mix, paragraphs, items, readers: int) -> tuple[list[float], float]:
    """Query latencies of ``readers`` processes while one process rewrites ``items``."""
    ctx = mp.get_context("fork")
    stop, out, done = ctx.Event(), ctx.Queue(), ctx.Queue()
    procs = [
        ctx.Process(target=_reader, args=(make, mix, paragraphs, stop, out)) for _ in range(readers)
    ]
    for p in procs:
        p.start()
    started = time.perf_counter()
    writer = ctx.Process(target=_writer, args=(make, items, done))
    writer.start()
    done.get()
    took = time.perf_counter() - started
    writer.join()
    stop.set()
    latencies = [x for _ in procs for x in out.get()]
    for p in procs:
        p.join()
    return latencies, took


class _Make:
    """A picklable factory of one backend (each process opens its own)."""

    def __init__(self, kind: str, where: str) -> None:
        self.kind, self.where = kind, where

    def __call__(self) -> Side:
        if self.kind == "whoosh":
            return Side("whoosh", WhooshBackend(Path(self.where)))
        return Side("postgresql", PostgresBackend(self.where))


def _empty(name: str, where: Path, url: str) -> None:
    if name == "whoosh":
        shutil.rmtree(where / "whoosh", ignore_errors=True)
    else:
        backend = PostgresBackend(url)
        backend.reset()
        backend.close()


def describe(label: str, runs: list[list[float]]) -> None:
    for key, pct in (("p50", 50), ("p95", 95), ("max", 100)):
        print(f"  {label} {key}: {summary([percentile(r, pct) for r in runs], ' ms', 1)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--url", help="a postgresql:// URL (default: a throwaway server)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build-runs", type=int, default=1)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--typed", type=int, default=50)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--rebuild", type=int, default=5000)
    parser.add_argument("--cache", type=Path, help="pickle of the analysed articles")
    args = parser.parse_args(argv)
    isolate_user_folders()
    server = None
    url = args.url
    if url is None:
        from tests.pgserver import PostgresServer, find_bin_dir

        bin_dir = find_bin_dir()
        if bin_dir is None:
            print("no PostgreSQL server binaries: give --url", file=sys.stderr)
            return 2
        server = PostgresServer(bin_dir)
        server.start()
        url = server.url(server.create_database())
    try:
        return _run(args, url, server is not None)
    finally:
        if server is not None:
            server.stop()


def _run(args: argparse.Namespace, url: str, throwaway: bool) -> int:
    print(f"load average: {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    items = analysed_corpus(args.corpus, args.cache)
    print(f"{len(items)} articles analysed in {time.perf_counter() - started:.1f} s (both)")
    paragraphs = {i.article.id: tuple(i.article.paragraphs) for i in items}
    mix = query_mix(items, args.queries)
    typed = typed_texts(items, args.typed)
    surface = Surface(
        (w for i in items for w in fuzzysearch.words(i.article.title)),
        PostgresBackend(url).analyze,  # the same analysis as Whoosh's (a test checks)
    )
    where = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    makers = {
        "whoosh": _Make("whoosh", str(where / "whoosh")),
        "postgresql": _Make("postgresql", url),
    }
    print(f"PostgreSQL: {'a throwaway server (fsync off)' if throwaway else 'the given server'}")
    sides = {}
    for name, make in makers.items():
        rates = []
        for _ in range(args.build_runs):
            _empty(name, where, url)
            side = make()
            rates.append(time_build(side, items))
            side.close()
        print(f"build, {name}: {summary(rates, ' articles/s', 0)}")
        sides[name] = make()
    for name, side in sides.items():
        runs, typing = [], []
        hits = 0
        side.search(mix[0][1], 10)  # opens the searcher / connection
        for _ in range(args.runs):
            latencies, hits = time_queries(side, mix, paragraphs)
            runs.append(latencies)
            typing.append(time_typing(side, typed, surface))
        print(f"{name}: {len(mix)} full-text queries with snippets ({hits} hits), {args.runs} runs")
        describe("full-text", runs)
        slowest = sorted(zip(runs[-1], (t for t, _q in mix), strict=True), reverse=True)[:3]
        print("    slowest: " + "; ".join(f"{q!r} {ms:.0f} ms" for ms, q in slowest))
        print(f"{name}: fuzzy as you type, {len(typing[0])} keystrokes, {args.runs} runs")
        describe("fuzzy per keystroke", typing)
    for side in sides.values():
        side.close()
    rebuild = items[: args.rebuild]
    for name, make in makers.items():
        latencies, took = time_concurrent(make, mix, paragraphs, rebuild, args.readers)
        print(
            f"{name}: {args.readers} readers while {len(rebuild)} articles are rewritten "
            f"({took:.1f} s): {len(latencies)} queries, p50 {percentile(latencies, 50):.1f} ms, "
            f"p95 {percentile(latencies, 95):.1f} ms, max {max(latencies):.0f} ms"
        )
    print(f"load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
