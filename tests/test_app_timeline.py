"""The Timeline pane: focus lands on a row, its keys, the chart following the search and filters,
readable events with an aligned date column, and old background folded into one row.

The app tests drive the app through the factory the CLI uses, over a copy of the five seeds.
Every wait polls for the condition asserted (bounded), never a fixed sleep.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from itertools import pairwise

from rich.console import Console
from textual.app import App, ComposeResult
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot

from index.library import Library
from index.models import Event
from index.paths import Settings
from tests.screen import main_screen, screen_text, settle, wait_until
from tui.app import create_app
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader
from tui.widgets.timeline import EARLIER, MAX_ROWS, EventList, PeriodChart


async def until(pilot: Pilot, condition: Callable[[], bool]) -> None:
    """Let the app run until ``condition`` holds (bounded, see tests.screen.wait_until)."""
    await wait_until(pilot, condition, "the app reached the expected state", failures=True)


def _timeline_title(app) -> str:
    return str(main_screen(app).query_one("#timeline-pane").border_title)


async def test_4_lands_on_a_highlighted_event_and_the_keys_work(
    settings: Settings, library: Library
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        events = main_screen(app).query_one(EventList)
        await until(pilot, lambda: app.focused is events)
        assert events.highlighted == 0  # a row to act on: y and Enter are not dead
        assert events.option_count > 3
        await pilot.press("G")
        assert events.highlighted == events.option_count - 1
        await pilot.press("g")
        assert events.highlighted == 0
        chart = main_screen(app).query_one(PeriodChart)
        assert chart.by == "year"
        await pilot.press("y")  # the chart's grouping, from the list too
        assert chart.by == "month"
        await pilot.press("j", "enter")
        row = events.rows[1]
        assert row is not None
        await until(pilot, lambda: main_screen(app).current_id == row.article)
        assert app.focused is main_screen(app).query_one(Reader)


async def test_4_again_reaches_the_chart_without_shift_tab(
    settings: Settings, library: Library
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        chart, events = screen.query_one(PeriodChart), screen.query_one(EventList)
        await pilot.press("4")
        await until(pilot, lambda: app.focused is events)
        await pilot.press("4")
        await until(pilot, lambda: app.focused is chart)
        await pilot.press("g")
        assert chart.current_period == "2015"
        await pilot.press("l")
        assert chart.current_period == "2016"
        await pilot.press("G")
        assert chart.current_period == "2019"
        await pilot.press("4")
        await until(pilot, lambda: app.focused is events)


async def test_chart_follows_the_search_and_the_entity_filter(
    settings: Settings, library: Library
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        chart = screen.query_one(PeriodChart)
        await until(pilot, lambda: chart.total == 5)
        assert _timeline_title(app) == "Timeline · 5 articles"

        await pilot.press("slash", *"Lotte")
        listed = screen.query_one(ArticleList)
        await until(pilot, lambda: len(listed.rows) == 1 and chart.total == 1)
        assert _timeline_title(app) == "Timeline · 1 of 5 articles · search “Lotte”"
        only = listed.rows[0].info.published
        assert only is not None
        assert [c.period for c in chart.columns if c.count] == [str(only.year)]

        await pilot.press("escape")
        await until(pilot, lambda: chart.total == 5)
        screen.entity_filter = "Chang Wanquan"
        wanted = len(app.library.articles_with_entity("Chang Wanquan"))
        await until(pilot, lambda: chart.total == wanted)
        assert wanted < 5
        assert "entity: Chang Wanquan" in _timeline_title(app)


async def test_choosing_a_period_narrows_the_chart_and_a_month_narrows_it_more(
    settings: Settings,
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        chart = screen.query_one(PeriodChart)
        chart.focus()
        await pilot.press("g", "l", "l", "enter")  # 2015, 2016, 2017
        await until(pilot, lambda: screen.period_filter == "2017")
        listed = screen.query_one(ArticleList)
        await until(pilot, lambda: chart.total == len(listed.rows) == 2)
        assert [c.period for c in chart.columns] == ["2017"]
        assert _timeline_title(app) == "Timeline · 2 of 5 articles · period: 2017"
        assert all(e.date.startswith("2017") for e in screen.query_one(EventList).events)
        await pilot.press("y")  # the months of 2017
        months = [(c.period, c.count) for c in chart.columns if c.period]
        assert months and all(m.startswith("2017-") for m, _ in months)
        await pilot.press("G", "enter")
        month, count = months[-1]
        await until(pilot, lambda: screen.period_filter == month)
        await until(pilot, lambda: chart.total == len(listed.rows) == count)
        assert [c.period for c in chart.columns] == [month]
        await pilot.press("x")
        await until(pilot, lambda: screen.period_filter is None and chart.total == 5)


async def test_chart_fits_100_columns_with_counts_readable(
    settings: Settings, library: Library
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        chart = main_screen(app).query_one(PeriodChart)
        await until(pilot, lambda: chart.total == 5)
        for by in ("year", "month"):
            chart.by = by
            await settle(pilot)
            lines = chart.render().plain.split("\n")
            assert all(len(line) <= chart.content_size.width for line in lines)
            assert "…" not in lines[0]
            period = chart.current_period
            assert period is not None
            count = next(c.count for c in chart.columns if c.period == period)
            noun = "article" if count == 1 else "articles"
            assert f"{period} {count} {noun}" in lines[-1]
        # months without articles collapse: the seeds span 2015-02 .. 2019-12 (59 months)
        assert len(chart.columns) < 20
        assert any(c.period is None for c in chart.columns)


async def test_events_are_readable_and_their_dates_aligned(
    settings: Settings, library: Library
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        events = main_screen(app).query_one(EventList)
        await until(pilot, lambda: app.focused is events)
        text = screen_text(app)
        # the Timeline is the rightmost pane: its cells follow the last "││" of a line
        pane = [line.rsplit("││", 1)[-1].rstrip("│ ") for line in text.splitlines()]
        shown = next(e for e in events.rows if e is not None and e.kind == "event")
        # the sentence's first words are on screen, over its wrapped lines (not cut at 15)
        words = " ".join(shown.text.split()[:6])
        assert len(words) > 25
        assert words in " ".join(" ".join(pane).split())
        dated = re.compile(r"│(\d{4}(?:-\d\d(?:-\d\d)?|-W\d\d| \w+)?)\s+([•▣])")
        columns = {m.start(2) - m.start(1) for m in dated.finditer(text)}
        assert len(columns) == 1  # the marker after the date column is at one offset


def _plain(grid: object) -> str:
    """The text of an event row (a Rich table of a date and a sentence)."""
    console = Console(width=200, record=True)
    console.print(grid)
    return " ".join(console.export_text().split())


class _Listing(App[None]):
    def compose(self) -> ComposeResult:
        yield EventList(id="events")


async def test_old_background_folds_into_one_row_that_enter_unfolds() -> None:
    published = Event("2016-07-10", "day", "published", "a", "A story")
    war = Event("1950", "year", "event", "a", "The 1950-53 Korean War ended in a truce.")
    later = Event("2016-07-08", "day", "event", "a", "They said on Friday.", also=("b", "c"))

    async def check() -> None:
        app = _Listing()
        async with app.run_test(size=(80, 20)) as pilot:
            listing = app.query_one(EventList)
            listing.set_events([war, published, later], {"a": "A story"})
            listing.focus()
            await settle(pilot)
            assert listing.rows == [None, published, later]
            assert listing.get_option_at_index(0).id == EARLIER
            assert listing.highlighted == 0
            grouped = listing.get_option_at_index(2).prompt
            assert "mentioned in 3 articles, e.g. They said on Friday." in _plain(grouped)
            await pilot.press("enter")
            await until(pilot, lambda: listing.rows == [None, war, published, later])
            await pilot.press("enter")
            await until(pilot, lambda: listing.rows == [None, published, later])

    await check()


async def test_chart_groups_by_month_or_year_and_filters(
    settings: Settings, library: Library
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        chart = screen.query_one(PeriodChart)
        chart.focus()
        await until(pilot, lambda: chart.total == 5)
        years = [c.period for c in chart.columns]
        assert years == ["2015", "2016", "2017", "2018", "2019"]
        assert [c.count for c in chart.columns][3] == 0  # one empty year stays a column
        await pilot.press("y")
        months = [c.period for c in chart.columns]
        assert months[0] == "2015-02" and months[-1] == "2019-12" and "2017-10" in months
        # runs of two or more empty months are one gap column
        empty = [c.period is not None and c.count == 0 for c in chart.columns]
        assert not any(a and b for a, b in pairwise(empty))
        assert len(months) < 59 // 2
        await pilot.press("y")
        assert [c.period for c in chart.columns] == years
        await pilot.press("g", "l", "l", "h")
        assert chart.current_period == "2016"
        await pilot.press("l", "enter")
        await until(pilot, lambda: screen.period_filter == "2017")
        assert len(screen.query_one(ArticleList).rows) == 2
        await until(
            pilot,
            lambda: (
                str(screen.query_one("#timeline-pane").border_subtitle) == "whole corpus · 2017"
            ),
        )
        assert all(e.date.startswith("2017") for e in screen.query_one(EventList).events)


async def test_a_timeline_that_cannot_be_read_is_a_message(
    settings: Settings, library: Library
) -> None:
    app = create_app(settings)
    notices: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            notices.append(str(message.notification.message))

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)

        def broken(entity: str | None = None) -> list[Event]:
            raise sqlite3.DatabaseError("database disk image is malformed")

        app.library.timeline = broken  # type: ignore[method-assign]
        main_screen(app).refresh_timeline()
        await until(pilot, lambda: any("Reading the timeline failed" in n for n in notices))
        assert app.is_running


async def test_a_long_timeline_says_how_many_rows_it_left_out() -> None:
    published = Event("2016-07-10", "day", "published", "a", "A story")
    many = [
        Event(f"2016-07-{1 + n % 9:02d}", "day", "event", "a", f"Event {n}.") for n in range(520)
    ]

    async def check() -> None:
        app = _Listing()
        async with app.run_test(size=(80, 20)) as pilot:
            listing = app.query_one(EventList)
            listing.set_events([published, *many], {"a": "A story"})
            await settle(pilot)
            assert len(listing.rows) == MAX_ROWS
            last = listing.get_option_at_index(listing.option_count - 1)
            assert last.disabled and "21 more" in str(last.prompt)

    await check()
