"""How readable the article list is: titles shown in full, outlet and date shown, draw time.

Usage::

    python benchmarks/bench_list_titles.py CORPUS_DIR INDEX_DIR [--runs N]

For each terminal size (120x40, 80x24) the app is started headless (``App.run_test``) on the
built index. The list's own lines are read from its ``render_line`` (what the terminal shows,
without the panes around it). A title counts as readable in full when its whole text appears in
the lines of its row (wrapped lines joined by a space); outlet and date count when both appear in
the row. Draw time: the list's visible lines rendered again, median over runs.

Then 20,000 synthetic rows (invented titles of 20 to 110 characters) are given to the list in a
bare app at 120x40: the time ``set_rows`` takes (sorting, and measuring every row's wrapped
height), for new rows and for the same rows again (heights cached), median over runs.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus_arguments, isolate_user_folders, settings_for, summary

SIZES = ((120, 40), (80, 24))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


async def measure(corpus: Path, index_dir: Path, size: tuple[int, int], runs: int) -> str:
    from tui.app import create_app
    from tui.screens.main import MainScreen
    from tui.widgets.article_list import ArticleList

    app = create_app(settings_for(corpus, index_dir))
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        article_list = screen.query_one(ArticleList)
        height = article_list.scrollable_content_region.height
        lines = [article_list.render_line(y).text for y in range(height)]
        rows = _rows_on_screen(article_list, height)
        full = outlet_date = 0
        for index, first, last in rows:
            info = article_list.rows[index].info
            shown = _squash(" ".join(lines[first:last]))
            full += _squash(info.title) in shown
            day = info.published.isoformat() if info.published else "undated"
            outlet = (info.outlet or "—")[:6]
            outlet_date += day in shown and outlet in shown
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            for y in range(height):
                article_list.render_line(y)
            times.append((time.perf_counter() - started) * 1000)
        width = article_list.scrollable_content_region.width
    return (
        f"{size[0]}x{size[1]}: list {width} columns x {height} lines, {len(rows)} rows on screen; "
        f"titles in full {full}/{len(rows)}; outlet and date shown {outlet_date}/{len(rows)}; "
        f"draw {summary(times, ' ms', 2)}"
    )


def _rows_on_screen(article_list, height: int) -> list[tuple[int, int, int]]:
    """(row index, first line, end line) of each row whose first line is on screen."""
    spans = getattr(article_list, "row_span", None)
    found = []
    for index in range(len(article_list.rows)):
        if spans is not None:
            top, size = spans(index)
        else:
            top, size = index * article_list.row_height, article_list.row_height
        top -= int(article_list.scroll_offset.y)
        if 0 <= top < height:
            found.append((index, top, min(height, top + size)))
    return found


async def synthetic(count: int, runs: int) -> str:
    import random
    from datetime import date, timedelta

    from textual.app import App, ComposeResult

    from index.models import ArticleInfo
    from tui.widgets.article_list import ArticleList, Row

    words = ["defence", "ministers", "agree", "hotline", "seoul", "beijing", "radar", "talks"]
    rng = random.Random(18)

    def row(n: int) -> Row:
        title = " ".join(rng.choice(words) for _ in range(rng.randint(3, 14)))
        day = date(2016, 1, 1) + timedelta(days=n % 700)
        return Row(ArticleInfo(f"id{n}", title.capitalize(), "Outlet", None, day, False, 0, ""))

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield ArticleList(id="list")

    first, again = [], []
    for _ in range(runs):
        rows = [row(n) for n in range(count)]
        app = Bare()
        async with app.run_test(size=(52, 40)) as pilot:
            await pilot.pause()
            article_list = app.query_one(ArticleList)
            started = time.perf_counter()
            article_list.set_rows(rows)
            first.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            article_list.set_rows(list(rows))
            again.append((time.perf_counter() - started) * 1000)
    return (
        f"{count} rows, list 52 columns: set_rows new {summary(first, ' ms')}; "
        f"same rows again {summary(again, ' ms')}"
    )


def main() -> None:
    parser = corpus_arguments(__doc__, runs=20)
    args = parser.parse_args()
    isolate_user_folders()
    for size in SIZES:
        print(asyncio.run(measure(args.corpus, args.index_dir, size, args.runs)))
    print(asyncio.run(synthetic(20_000, 5)))
    print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
