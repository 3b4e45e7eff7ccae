"""Issue 20's start-up: the article list's first page is read and drawn before the rest, and
the keys that need the whole list wait for it; a big list is sorted and measured off the UI
thread.

The fixture (tests/fixtures/first_page) is twelve made-up articles with same-day ties, titles
that differ only in case and two undated ones. The catalogue's full read is held (its store
read blocks on an event) to look at the app while only the first page is in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from index import paths
from index.library import Library, open_library
from index.models import ArticleInfo
from tests.screen import TIMEOUT, fixture_settings, main_screen, settle, wait_until
from tui.app import ThaadApp, create_app
from tui.screens import main as main_module
from tui.widgets import article_list as article_list_module
from tui.widgets.article_list import ArticleList
from tui.widgets.search_box import QueryInput

FIXTURE = Path(__file__).parent / "fixtures" / "first_page"
PAGE = 4


@pytest.fixture
def settings(tmp_path: Path) -> paths.Settings:
    return fixture_settings(FIXTURE, tmp_path)


@pytest.fixture
def library(settings: paths.Settings) -> Library:
    return open_library(settings)


# -- the store ------------------------------------------------------------------------------
def test_the_first_page_is_the_start_of_the_whole_list(library: Library) -> None:
    infos = library.catalogue.infos()
    assert len(infos) == 12 and infos[-1].published is None  # undated last
    for limit in range(len(infos) + 2):
        assert library.catalogue.first_infos(limit) == infos[:limit], limit
    assert library.first_articles(5) == infos[:5]
    library.articles()  # once the whole list is read, the page comes from it
    assert library.first_articles(5) == infos[:5]


def test_the_first_page_reads_only_the_list_index(library: Library) -> None:
    """The page is read from the start of the covering index: no scan of the table and no sort
    of every row, so its cost does not grow with the corpus."""
    conn = library.catalogue._connect()  # type: ignore[attr-defined]
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        library.catalogue.first_infos(11)  # both parts: the dated, then the undated
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2
    for statement in selects:
        plan = " ".join(str(r) for r in conn.execute("EXPLAIN QUERY PLAN " + statement))
        assert "COVERING INDEX articles_list" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


# -- the app --------------------------------------------------------------------------------
class HeldRead:
    """Holds the catalogue's full read (the store's ``infos``) until released."""

    def __init__(self, library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.reads = 0
        read = library.catalogue.infos

        def held() -> list[ArticleInfo]:
            self.reads += 1
            assert self.release.wait(TIMEOUT), "the test never released the catalogue's read"
            return read()

        monkeypatch.setattr(library.catalogue, "infos", held)


async def poll_until(
    pilot: Pilot, condition: Callable[[], object], what: str, held: HeldRead
) -> None:
    """Let the app run until ``condition()`` holds, without waiting for its workers (one is
    held); fail saying ``what`` never happened (the read let go first: the app can end)."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            held.release.set()
            raise AssertionError(f"after {TIMEOUT:.0f} s, still not: {what}")
        await pilot.pause(0.01)  # the held worker's thread runs meanwhile


@pytest.fixture
def app(settings: paths.Settings, monkeypatch: pytest.MonkeyPatch) -> ThaadApp:
    monkeypatch.setattr(main_module, "FIRST_PAGE", PAGE)
    return create_app(settings, fresh=True)


def listed(app: ThaadApp) -> list[str]:
    return [r.info.id for r in main_screen(app).query_one(ArticleList).rows]


async def test_the_first_titles_are_drawn_before_the_rest_is_read(
    app: ThaadApp, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldRead(app.library, monkeypatch)
    everything = [i.id for i in library.articles()]
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = main_screen(app).query_one(ArticleList)
        await poll_until(pilot, lambda: article_list.rows, "the first titles", held)
        assert listed(app) == everything[:PAGE]
        assert not article_list.settled and not main_screen(app).listed
        # the full read starts once they are drawn, and the titles stay while it is held
        await poll_until(pilot, lambda: held.reads == 1, "the full read", held)
        assert listed(app) == everything[:PAGE]
        held.release.set()
        await wait_until(pilot, lambda: article_list.settled, "the whole list")
        await settle(pilot)
        assert listed(app) == everything
        assert main_screen(app).by_id.keys() == set(everything)


async def test_G_pressed_on_the_first_page_goes_to_the_end_of_the_whole_list(
    app: ThaadApp, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldRead(app.library, monkeypatch)
    last = library.articles()[-1].id
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = main_screen(app).query_one(ArticleList)
        await poll_until(pilot, lambda: article_list.rows, "the first titles", held)
        await pilot.press("G")
        assert article_list.cursor == PAGE - 1  # the end of what is shown, meanwhile
        held.release.set()
        await wait_until(pilot, lambda: article_list.settled, "the whole list")
        await settle(pilot)
        assert article_list.cursor == len(article_list.rows) - 1 == 11
        assert article_list.current is not None and article_list.current.info.id == last


async def test_a_search_typed_on_the_first_page_is_shown_once_the_rest_is_in(
    app: ThaadApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = HeldRead(app.library, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        article_list = screen.query_one(ArticleList)
        await poll_until(pilot, lambda: article_list.rows, "the first titles", held)
        first_page = listed(app)
        await pilot.press("slash", *"otters")
        assert isinstance(app.focused, QueryInput)
        # the list waits for the whole catalogue: the first page stays as it is meanwhile
        assert listed(app) == first_page and not article_list.show_snippets
        held.release.set()
        await wait_until(
            pilot,
            lambda: article_list.settled and article_list.show_snippets,
            "the search's results",
        )
        await settle(pilot)
        assert [r.info.title for r in article_list.rows] == ["zoo welcomes two otters"]


async def test_a_big_list_is_sorted_and_measured_off_the_ui_thread(
    app: ThaadApp, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above BACKGROUND_ROWS (lowered here to the fixture's size) every resort runs in a
    worker: the rows and the cursor are as a resort on the UI thread leaves them."""
    monkeypatch.setattr(article_list_module, "BACKGROUND_ROWS", 5)
    threads: list[str] = []
    ordered = article_list_module._ordered

    def spy(*args: object, **kwargs: object) -> list[article_list_module.Row]:
        threads.append(threading.current_thread().name)
        return ordered(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(article_list_module, "_ordered", spy)
    by_title = sorted(library.articles(), key=lambda i: i.title.lower())
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = main_screen(app).query_one(ArticleList)
        await wait_until(pilot, lambda: article_list.settled and article_list.rows, "the list")
        await settle(pilot)
        assert len(article_list.rows) == 12
        main_thread = threading.main_thread().name
        assert threads and threads[-1] != main_thread  # the whole list: in a worker
        await pilot.press("j", "j")
        kept = article_list.current
        assert kept is not None
        threads.clear()
        await pilot.press("s", "s")  # outlet, then title
        await wait_until(pilot, lambda: article_list.settled, "the sorted list")
        await settle(pilot)
        assert threads and main_thread not in threads
        assert [r.info.id for r in article_list.rows] == [i.id for i in by_title]
        assert article_list.current is not None
        assert article_list.current.info.id == kept.info.id  # the cursor stayed on its article
        tops = article_list._tops
        assert len(tops) == 13 and tops[-1] == article_list.virtual_size.height
        await pilot.press("G")
        assert article_list.current is not None
        assert article_list.current.info.id == by_title[-1].id


async def test_the_first_page_is_read_as_the_app_is_made_and_drawn_in_its_first_paint(
    app: ThaadApp, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page read while Textual starts is the one shown: the catalogue's worker, held here
    for its page and its whole list alike, is not needed for the first titles."""
    held = HeldRead(app.library, monkeypatch)
    assert app.first_page._done.wait(TIMEOUT)  # a thread started when the app was made
    page = app.library.first_articles

    def held_page(limit: int) -> list[ArticleInfo]:
        assert held.release.wait(TIMEOUT), "the test never released the catalogue's read"
        return page(limit)

    monkeypatch.setattr(app.library, "first_articles", held_page)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = main_screen(app).query_one(ArticleList)
        await poll_until(pilot, lambda: article_list.rows, "the first titles", held)
        assert listed(app) == [i.id for i in library.articles()[:PAGE]]
        assert not article_list.settled
        held.release.set()
        await wait_until(pilot, lambda: article_list.settled, "the whole list")
        assert len(article_list.rows) == 12


async def test_a_resize_that_keeps_the_width_does_not_measure_the_rows_again(
    app: ThaadApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows' heights depend on the width alone: a bar that comes or goes (the build's
    progress) changes the height, and at 100,000 rows measuring again was a second's work."""
    measured: list[int] = []
    heights = article_list_module._heights

    def spy(rows: list[article_list_module.Row], width: int, *args: object) -> list[int]:
        measured.append(width)
        return heights(rows, width, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(article_list_module, "_heights", spy)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = main_screen(app).query_one(ArticleList)
        await wait_until(pilot, lambda: article_list.settled and article_list.rows, "the list")
        await settle(pilot)
        width, tops = article_list.scrollable_content_region.width, list(article_list._tops)
        measured.clear()
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert article_list.scrollable_content_region.width == width
        assert measured == [] and article_list._tops == tops
        await pilot.resize_terminal(150, 30)  # wider: measured again, at the new width
        await settle(pilot)
        assert measured and measured[-1] == article_list.scrollable_content_region.width != width


async def test_exporting_the_list_waits_for_the_whole_list(
    app: ThaadApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+e on the first page would export its rows only: it says to wait instead."""
    held = HeldRead(app.library, monkeypatch)
    said: list[str] = []
    notify = app.notify

    def heard(message: str, **kwargs: Any) -> None:
        said.append(message)
        notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", heard)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        article_list = screen.query_one(ArticleList)
        await poll_until(pilot, lambda: article_list.rows, "the first titles", held)
        await pilot.press("ctrl+e")
        await poll_until(pilot, lambda: said, "a word about the export", held)
        assert "still loading" in said[-1]
        assert app.screen is screen  # no export dialog
        held.release.set()
        await wait_until(pilot, lambda: article_list.settled, "the whole list")
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: app.screen is not screen, "the export dialog")


async def test_the_side_panes_and_the_corpus_check_start_once_the_list_is_in_order(
    app: ThaadApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timeline, the copies and the corpus check wait for the list's sorting worker (their
    threads' start and work held the UI thread's drawing up when started beside it)."""
    monkeypatch.setattr(article_list_module, "BACKGROUND_ROWS", 5)  # sorted in a worker
    started: list[tuple[str, bool]] = []
    screen_class = main_module.MainScreen
    for name in ("refresh_timeline", "load_copies", "update_index"):
        original = getattr(screen_class, name)

        def spy(self: main_module.MainScreen, *a: Any, _f: Any = original, _n: str = name) -> Any:
            started.append((_n, self.query_one(ArticleList).settled))
            return _f(self, *a)

        monkeypatch.setattr(screen_class, name, spy)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = main_screen(app).query_one(ArticleList)
        await wait_until(pilot, lambda: len(started) >= 3, "the side panes and the check")
        await settle(pilot)
        assert article_list.settled and len(article_list.rows) == 12
        names = [n for n, _ in started]
        assert {"refresh_timeline", "load_copies", "update_index"} <= set(names)
        assert all(settled for _, settled in started[:3]), started


async def test_folding_copies_keeps_the_cursor_on_its_story(tmp_path: Path) -> None:
    """The cursor on a copy that folding hides goes to its group's row (it went to the top:
    at start-up, G pressed before the copies were read ended at the top once they were)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    wire = Path(__file__).parent / "fixtures" / "copies" / "wire.jsonl"
    (folder / "wire.jsonl").write_text(wire.read_text())
    settings = paths.resolve(folder, tmp_path / "index", tmp_path / "notes.md")
    open_library(settings).update()
    app = create_app(settings, fresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = main_screen(app).query_one(ArticleList)
        await wait_until(pilot, lambda: bool(article_list.copies), "the copy groups")
        await pilot.press("f", "s", "s")  # unfolded, by title
        await wait_until(
            pilot,
            lambda: len(article_list.rows) == 6 and article_list.sort == "title",
            "the unfolded list by title",
        )
        await pilot.press("G")
        last = article_list.current
        assert last is not None and last.info.id in article_list.copies
        await pilot.press("f")
        await wait_until(pilot, lambda: len(article_list.rows) == 2, "the folded list")
        current = article_list.current
        assert current is not None and article_list.cursor == 1  # not the other story, above
        assert current.info.id in article_list.copies[last.info.id]
