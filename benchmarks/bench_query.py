"""Full-text query latency and per-keystroke fuzzy filtering latency on a built index.

Usage::

    python benchmarks/bench_query.py CORPUS_DIR INDEX_DIR [--queries N] [--typed N] [--runs N]

INDEX_DIR must hold an index of CORPUS_DIR (``thaad-tui --corpus CORPUS_DIR --index-dir
INDEX_DIR index``, or run this once: it builds the index if it is missing or stale).

Both searches are timed as the search box runs them (``tui/screens/main.py``: ``run_search``),
each in a new thread as the app's worker does: the app's limit of 200 hits, the snippets of
the rows on screen (``--rows``, 24: the app's ``FIRST_CUT``, more than the 17 two-line rows a
40-line terminal shows; the others are cut when scrolled to), and the advice
(``Library.advise``) that the same worker computes before the results are shown.

Full-text: a few hundred mixed queries (single terms, AND, phrases, ``~`` fuzzy terms, prefixes,
date ranges) drawn reproducibly from the corpus's own titles, each through
``Library.search(q, limit=200, snippets=ROWS)`` + ``advise``. The first query after opening
the index is reported on its own (it opens the searcher; the first ``~`` or ``*`` query loads
a vocabulary). Fuzzy: ~50 titles and entity names typed one character at a time, timed twice:
through ``Library.fuzzy_index().match(prefix)`` (titles, outlets and names only) and through
``Library.fuzzy(prefix, limit=200, snippets=ROWS)`` + ``advise``, which is what the app runs on
every keystroke (it also searches the article bodies). Reports p50/p95/max per run, and the
median of each over runs. ``--app-runs`` sets the runs of the app's path (slower, so fewer).
``--limit 10 --rows 10`` gives the old, CLI-sized figure.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus_arguments, isolate_user_folders, percentile, settings_for, summary

from index.library import Library
from index.search.fuzzy import MIN_QUERY

_WORD = re.compile(r"[A-Za-z]{4,}")


def _title_words(library: Library, rng: random.Random, count: int) -> list[list[str]]:
    titles = [i.title for i in library.articles()]
    picked = []
    while len(picked) < count:
        found = _WORD.findall(rng.choice(titles))
        if len(found) >= 2:
            picked.append([w.lower() for w in found])
    return picked


def fulltext_queries(library: Library, count: int, seed: int = 7) -> list[str]:
    """A reproducible mix of query kinds, built from words that occur in the corpus."""
    rng = random.Random(seed)
    dated = sorted(i.published for i in library.articles() if i.published)
    queries: list[str] = []
    for n, words in enumerate(_title_words(library, rng, count)):
        a, b = words[0], words[1]
        kind = n % 6
        if kind == 0:
            queries.append(a)
        elif kind == 1:
            queries.append(f"{a} AND {b}")
        elif kind == 2:
            queries.append(f'"{a} {b}"')
        elif kind == 3:
            queries.append(f"{a}~")
        elif kind == 4:
            queries.append(f"{a[:4]}*")
        elif dated:
            start = rng.choice(dated)
            end = dated[min(len(dated) - 1, dated.index(start) + len(dated) // 20)]
            queries.append(f"{a} date:[{start.isoformat()} TO {end.isoformat()}]")
        else:
            queries.append(f"{a} OR {b}")
    return queries


def typed_queries(library: Library, count: int, seed: int = 11) -> list[str]:
    """Half title fragments, half entity names (with a typo in every fourth), lowercased."""
    rng = random.Random(seed)
    out = [" ".join(w[:2]) for w in _title_words(library, rng, count // 2)]
    names = [e.name for e in library.entities()[:500]] or ["seoul"]
    while len(out) < count:
        name = rng.choice(names).lower()
        if len(out) % 4 == 0 and len(name) > 5:
            i = rng.randrange(1, len(name) - 1)
            name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]  # swap two letters
        out.append(name)
    return out


def _cut(library: Library, hits: list, rows: int) -> list:
    """The snippets the list shows; with the code before lazy snippets, all were cut."""
    return library.snippets(hits[:rows]) if hasattr(library, "snippets") else hits


def app_search(library: Library, text: str, limit: int, rows: int, fulltext: bool) -> int:
    """What the search box's worker runs for ``text`` (search, snippets on screen, advice),
    in a new thread as the app's worker does (a searcher kept per thread is opened again)."""
    found: list[int] = []
    failed: list[BaseException] = []

    def work() -> None:
        try:
            found.append(_app_search(library, text, limit, rows, fulltext))
        except BaseException as exc:  # re-raised below, in the caller's thread
            failed.append(exc)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    if failed:
        raise failed[0]
    return found[0]


def _app_search(library: Library, text: str, limit: int, rows: int, fulltext: bool) -> int:
    lazy = {"snippets": 0} if hasattr(library, "snippets") else {}
    if fulltext:
        hits = library.search(text, limit=limit, **lazy)
    else:
        hits = library.fuzzy(text, limit=limit, **lazy)
    _cut(library, hits, rows)
    library.advise(text, len(hits), fuzzy=not fulltext)
    return len(hits)


def time_fulltext(
    library: Library, queries: list[str], limit: int, rows: int
) -> tuple[list[float], int]:
    latencies, hits = [], 0
    for q in queries:
        started = time.perf_counter()
        hits += app_search(library, q, limit, rows, fulltext=True)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies, hits


def time_typing(library: Library, typed: list[str]) -> list[float]:
    index = library.fuzzy_index()
    latencies = []
    for text in typed:
        for end in range(1, len(text) + 1):
            started = time.perf_counter()
            index.match(text[:end])
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def time_app_typing(library: Library, typed: list[str], limit: int, rows: int) -> list[float]:
    """Per keystroke, what the app runs (:func:`app_search`) from the second character on
    (the app waits for two)."""
    latencies = []
    for text in typed:
        for end in range(MIN_QUERY, len(text) + 1):
            started = time.perf_counter()
            app_search(library, text[:end], limit, rows, fulltext=False)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def describe(name: str, per_run: list[list[float]]) -> None:
    for key, pct in (("p50", 50), ("p95", 95), ("max", 100)):
        values = [percentile(run, pct) for run in per_run]
        print(f"{name} {key}: {summary(values, ' ms', 1)}")


def main(argv: list[str] | None = None) -> int:
    parser = corpus_arguments(__doc__, runs=3)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--typed", type=int, default=50)
    parser.add_argument("--app-runs", type=int, default=1)
    parser.add_argument("--limit", type=int, default=200, help="hits per search (the app's)")
    parser.add_argument(
        "--rows", type=int, default=24, help="snippets cut with the results (the app's FIRST_CUT)"
    )
    args = parser.parse_args(argv)
    isolate_user_folders()
    library = Library(settings_for(args.corpus, args.index_dir))
    started = time.perf_counter()
    report = library.update()
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"index ready: {report.articles} articles ({time.perf_counter() - started:.1f} s)")
    queries = fulltext_queries(library, args.queries)
    typed = typed_queries(library, args.typed)

    started = time.perf_counter()
    app_search(library, queries[0], args.limit, args.rows, fulltext=True)
    print(f"first query (opens the searcher): {(time.perf_counter() - started) * 1000:.0f} ms")
    first_fuzzy = next(q for q in queries if q.endswith("~"))
    started = time.perf_counter()
    app_search(library, first_fuzzy, args.limit, args.rows, fulltext=True)
    print(
        f"first word~ query ({first_fuzzy!r}, loads the vocabularies): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    started = time.perf_counter()
    library.fuzzy_index()
    print(f"fuzzy index build: {(time.perf_counter() - started) * 1000:.0f} ms")

    search_runs, typing_runs = [], []
    for _ in range(args.runs):
        latencies, hits = time_fulltext(library, queries, args.limit, args.rows)
        search_runs.append(latencies)
        typing_runs.append(time_typing(library, typed))
    keystrokes = len(typing_runs[0])
    print(
        f"{len(queries)} full-text queries ({hits} hits per run; limit {args.limit}, "
        f"{args.rows} snippets, advice), {args.runs} runs"
    )
    describe("full-text search", search_runs)
    slowest = sorted(zip(search_runs[-1], queries, strict=True), reverse=True)[:5]
    print("  slowest: " + "; ".join(f"{q!r} {ms:.0f} ms" for ms, q in slowest))
    print(f"{len(typed)} typed queries = {keystrokes} keystrokes, {args.runs} runs")
    describe("fuzzy per keystroke", typing_runs)
    print(f"  mean per keystroke: {statistics.mean(typing_runs[-1]):.2f} ms")
    library.warm()
    app_runs = [
        time_app_typing(library, typed, args.limit, args.rows) for _ in range(args.app_runs)
    ]
    print(
        f"app path Library.fuzzy(limit={args.limit}) + {args.rows} snippets + advice: "
        f"{len(app_runs[0])} keystrokes, {args.app_runs} runs"
    )
    describe("app fuzzy per keystroke", app_runs)
    slowest = sorted(app_runs[-1], reverse=True)[:1]
    print(f"  mean per keystroke: {statistics.mean(app_runs[-1]):.2f} ms; max {slowest[0]:.0f} ms")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
