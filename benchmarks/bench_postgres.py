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
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.pgserver

from _common import isolate_user_folders, percentile, summary
from bench_query import _title_words

from index.search import fuzzysearch
from index.search import query as whoosh_query
from index.search import querytree as qt
from index.search.fulltext import FullTextIndex
from index.search.fuzzy import MIN_QUERY, Surface, Vocabulary
from index.search.highlight import best_paragraph, cut_snippet
from index.search.postgres import PostgresBackend
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


def query_mix(items: Sequence[Analysed], count: int, seed: int = 7) -> list[tuple[str, qt.Query]]:
    """bench_query.py's mix (same seed, same words): each as the search box's text (for
    Whoosh's parser) and as the neutral query tree (for the PostgreSQL backend)."""
    titles = _Titles(items)
    rng = random.Random(seed)
    dated = sorted(i.published for i in titles.infos if i.published)
    mix: list[tuple[str, qt.Query]] = []
    for n, words in enumerate(_title_words(titles, rng, count)):  # type: ignore[arg-type]
        a, b = words[0], words[1]
        kind = n % 6
        if kind == 0:
            mix.append((a, qt.Term(a)))
        elif kind == 1:
            mix.append((f"{a} AND {b}", qt.And((qt.Term(a), qt.Term(b)))))
        elif kind == 2:
            mix.append((f'"{a} {b}"', qt.Phrase(f"{a} {b}")))
        elif kind == 3:
            mix.append((f"{a}~", qt.Fuzzy(a, maxdist=1, prefix=0)))
        elif kind == 4:
            mix.append((f"{a[:4]}*", qt.Prefix(a[:4])))
        elif dated:
            start = rng.choice(dated)
            end = dated[min(len(dated) - 1, dated.index(start) + len(dated) // 20)]
            first = datetime(start.year, start.month, start.day)
            last = datetime(end.year, end.month, end.day, 23, 59, 59, 999999)
            text = f"{a} date:[{start.isoformat()} TO {end.isoformat()}]"
            mix.append((text, qt.And((qt.Term(a), qt.DateRange(first, last)))))
        else:
            mix.append((f"{a} OR {b}", qt.Or((qt.Term(a), qt.Term(b)))))
    return mix


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
    """One backend as the benchmark drives it."""

    name: str

    def write(self, removed: Sequence[str], items: Sequence[Analysed]) -> None: ...

    def search(self, text: str, tree: qt.Query, limit: int) -> list[tuple[str, frozenset[str]]]: ...

    def typed(self, text: str, surface: Surface) -> list[tuple[str, frozenset[str]]]: ...

    def close(self) -> None: ...


class WhooshSide(Side):
    name = "whoosh"

    def __init__(self, folder: Path) -> None:
        self.index = FullTextIndex(folder)

    def write(self, removed: Sequence[str], items: Sequence[Analysed]) -> None:
        # as the builder writes a big batch with one worker: a new segment, no merge
        self.index.write_batch(removed, items, procs=1, merge=len(items) < 500)

    def search(self, text: str, tree: qt.Query, limit: int) -> list[tuple[str, frozenset[str]]]:
        return [(a, t) for a, _s, t in self.index.search(whoosh_query.parse(text), limit)]

    def typed(self, text: str, surface: Surface) -> list[tuple[str, frozenset[str]]]:
        plans = fuzzysearch.plan(text, _with_surface(self.index.vocabulary, surface), self._df)
        return [(a, t) for a, _s, t in self.index.search(fuzzysearch.to_query(plans), 200)]

    def _df(self, field: str, word: str) -> int:
        return self.index.doc_frequency(field, word)

    def close(self) -> None:
        self.index.close()


class PostgresSide(Side):
    name = "postgresql"

    def __init__(self, url: str) -> None:
        self.backend = PostgresBackend(url)

    def write(self, removed: Sequence[str], items: Sequence[Analysed]) -> None:
        self.backend.write_batch(removed, items)

    def search(self, text: str, tree: qt.Query, limit: int) -> list[tuple[str, frozenset[str]]]:
        return [(h.id, h.terms) for h in self.backend.search(tree, limit=limit).hits]

    def typed(self, text: str, surface: Surface) -> list[tuple[str, frozenset[str]]]:
        vocabulary = _with_surface(self.backend.vocabulary, surface)
        plans = fuzzysearch.plan(text, vocabulary, self.backend.doc_frequency)
        hits = self.backend.search(plan_tree(plans), limit=200).hits
        return [(h.id, h.terms) for h in hits]

    def close(self) -> None:
        self.backend.close()


def plan_tree(plans: list[fuzzysearch.WordPlan]) -> qt.Query:
    """``fuzzysearch.to_query`` as a neutral tree: every wanted word (one of its forms), none of
    the ``-words``."""

    def clause(p: fuzzysearch.WordPlan) -> qt.Query:
        return qt.Or(tuple(qt.IndexTerm(f, w, boost) for (f, w), boost in p.forms.items()))

    wanted = [p for p in plans if p.sign != "-"]
    unwanted = [clause(p) for p in plans if p.sign == "-" and p.matched]
    positive: qt.Query
    if wanted and all(p.matched for p in wanted):
        positive = qt.And(tuple(clause(p) for p in wanted))
    else:
        positive = qt.MatchNone() if wanted else qt.MatchAll()
    return qt.AndNot(positive, qt.Or(tuple(unwanted))) if unwanted else positive


def _with_surface(
    vocabulary: Callable[[str], Vocabulary], surface: Surface
) -> Callable[[str], Vocabulary]:
    return lambda field: surface if field == fuzzysearch.SURFACE else vocabulary(field)


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
    for text, tree in mix:
        started = time.perf_counter()
        found = side.search(text, tree, 10)
        for aid, terms in found:
            paras = paragraphs[aid]
            i, spans = best_paragraph(paras, terms)
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
        for text, tree in mix:
            if stop.is_set():
                break
            started = time.perf_counter()
            side.search(text, tree, 10)
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
            return WhooshSide(Path(self.where))
        return PostgresSide(self.where)


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
    surface = Surface(w for i in items for w in fuzzysearch.words(i.article.title))
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
        side.search(*mix[0], 10)  # opens the searcher / connection
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
