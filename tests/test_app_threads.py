"""The UI thread does no I/O: every read of the index runs in a worker, keys typed while an
article is read apply to that article, and a worker's failure is a message, not a crash."""

from __future__ import annotations

import ast
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.worker import WorkerState

import tui
from index import paths
from index.analysis.sentences import sentence_spans
from index.library import Library
from tests.screen import fixture_settings, main_screen, pause_until, settle, wait_until
from tui.app import ThaadApp, create_app
from tui.screens.bookmark import BookmarkDialog
from tui.screens.similar import SimilarScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.entity_list import EntityList
from tui.widgets.reader import Reader
from tui.widgets.search_box import QueryInput

FIXTURE = Path(__file__).parent / "fixtures" / "reading"


@pytest.fixture
def reading(tmp_path: Path) -> paths.Settings:
    return fixture_settings(FIXTURE, tmp_path, built=False)


class Notices:
    """The notifications the app showed (a message hook)."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.texts.append(str(message.notification.message))

    def any(self, words: str) -> bool:
        return any(words in text for text in self.texts)


def record_reads(library: Library) -> list[tuple[str, str]]:
    """Wrap every public method of ``library``: (method, thread name) of each call."""
    calls: list[tuple[str, str]] = []
    for name in dir(type(library)):
        method = getattr(type(library), name)
        if name.startswith("_") or not callable(method) or isinstance(method, type):
            continue

        def wrapped(*args: Any, _name: str = name, **kwargs: Any) -> Any:
            calls.append((_name, threading.current_thread().name))
            return getattr(type(library), _name)(library, *args, **kwargs)

        setattr(library, name, wrapped)
    return calls


async def test_no_library_read_runs_on_the_ui_thread(reading: paths.Settings) -> None:
    app = create_app(reading)
    calls = record_reads(app.library)
    ui = threading.current_thread().name
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # start-up: the index is built, the list read
        await pilot.press("j", "k")  # the cursor opens articles
        await settle(pilot)
        await pilot.press("slash", *"launcher", "enter", "j")  # search, Enter opens the top hit
        await settle(pilot)
        await pilot.press("escape", "1", "3", "a")  # the entities of the corpus
        await settle(pilot)
        entities = main_screen(app).query_one(EntityList)
        assert entities.select_entity(entities._corpus[0].name)
        await pilot.press("enter")  # the entity filter
        await settle(pilot)
        await pilot.press("x", "4", "enter")  # clear it; open the article at a timeline event
        await settle(pilot)
        await pilot.press("b")  # bookmark: the dialog, then escape
        await wait_until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "dialog shown")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c")  # copies and similar articles
        await wait_until(pilot, lambda: isinstance(app.screen, SimilarScreen), "similar list")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
    names = {name for name, _thread in calls}
    # The flows above did read: articles, one article, search, entities, timeline.
    assert {"articles", "article", "mentions", "fuzzy", "timeline"} <= names, names
    on_ui = sorted({name for name, thread in calls if thread == ui})
    assert on_ui == [], f"read on the UI thread: {on_ui}"


class Gate:
    """Holds every call of one Library method until :meth:`open` (bounded): the keys typed
    while an article is being read are what these tests are about, and a small corpus is read
    too fast to type anything meanwhile."""

    def __init__(self, library: Library, name: str) -> None:
        self.opened = threading.Event()
        real = getattr(library, name)

        def held(*args: Any, **kwargs: Any) -> Any:
            assert self.opened.wait(60), "the gate was never opened"
            return real(*args, **kwargs)

        setattr(library, name, held)

    def open(self) -> None:
        self.opened.set()


def typed_fast(app: ThaadApp, *keys: str) -> None:
    """Keys arriving together, as from a fast typist or a paste: each is handed to the focused
    widget before the one before it has been answered (unlike Pilot.press, which waits)."""
    for key in keys:
        app.post_message(events.Key(key, "\r" if key == "enter" else key))


async def until_queued(pilot: Pilot, reader: Reader, count: int) -> None:
    """Let the app take the keys typed fast (a bounded poll: the read they wait for is held
    by a gate, so settle would wait for it)."""
    for _ in range(500):
        if len(reader.queued) >= count:
            return
        await pilot.pause()
    raise AssertionError(f"{len(reader.queued)} keys wait in the Reader, not {count}")


async def test_enter_then_j_j_moves_two_paragraphs_in_the_opened_article(
    reading: paths.Settings,
) -> None:
    app = create_app(reading)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"launcher")
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        gate = Gate(app.library, "article")
        # Enter j j typed together; the article is still being read when the j keys arrive.
        typed_fast(app, "enter", "j", "j")
        await until_queued(pilot, reader, 2)
        gate.open()
        await settle(pilot)
        top = main_screen(app).query_one(ArticleList).rows[0]
        assert main_screen(app).query_one(QueryInput).value == "launcher"  # no j typed in
        assert reader.article is not None and reader.article.id == top.info.id
        assert reader.passage.first == (top.paragraph or 0) + 2
        assert app.focused is reader


async def test_1_g_enter_j_l_l_b_bookmarks_the_second_sentence_of_paragraph_2(
    reading: paths.Settings,
) -> None:
    app = create_app(reading)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = main_screen(app)
        await pilot.press("1", "G")  # another article is open; g goes back to the first
        await settle(pilot)
        reader = main.query_one(Reader)
        gate = Gate(app.library, "article")
        main.reads.forget()  # the first article must be read again (not shown from the read-ahead)
        await pilot.press("1", "g")
        typed_fast(app, "enter", "j", "l", "l", "b")
        await until_queued(pilot, reader, 4)  # they wait for the article being read
        gate.open()
        await wait_until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "dialog shown")
        dialog = app.screen
        assert isinstance(dialog, BookmarkDialog)
        first = main.query_one(ArticleList).rows[0].info
        assert dialog.article_title == first.title
        assert reader.article is not None
        paragraph = reader.article.paragraphs[1]
        start, end = sentence_spans(paragraph)[1]
        assert (
            # one sentence, as the timeline events split it (not "Lt." and "Col." alone)
            dialog.passage == paragraph[start:end] == "Lt. Col. Kim met Prof. Lee at the gate."
        )


async def test_a_failed_read_is_a_message_and_the_app_keeps_working(
    reading: paths.Settings,
) -> None:
    app = create_app(reading)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await settle(pilot)
        library = app.library
        healthy: Callable[..., Any] = library.article

        def locked(article_id: str) -> None:
            raise sqlite3.OperationalError("database is locked")

        library.article = locked  # type: ignore[method-assign]
        main_screen(app).reads.forget()  # what was read ahead before the lock
        await pilot.press("1", "j", "enter", "j")
        await wait_until(
            pilot, lambda: notices.any("database is locked"), "the failure shown", failures=True
        )
        assert app.is_running
        assert notices.any("Opening the article failed: OperationalError")
        # Recoverable: once the database answers again, the same keys open the article.
        library.article = healthy  # type: ignore[method-assign]
        await pilot.press("1", "k", "enter", "j")
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        assert reader.article is not None and reader.passage.first == 1


def _work_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in Path(tui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "work":
                found.append((f"{path.name}:{node.lineno}", node))
    return found


def test_every_worker_reports_its_failure_through_the_app() -> None:
    """One pattern: workers let a failure go to ThaadApp.on_worker_state_changed, which says
    what failed (their description); none ends the app (exit_on_error would)."""
    calls = _work_calls()
    assert len(calls) >= 10
    for where, call in calls:
        keywords = {k.arg: k.value for k in call.keywords}
        assert "description" in keywords, f"{where}: no description to name it in a failure"
        value = keywords.get("exit_on_error")
        assert isinstance(value, ast.Constant) and value.value is False, where


async def test_a_search_typed_fast_after_the_slash_goes_to_the_search_box(
    reading: paths.Settings,
) -> None:
    """ "/" and the words typed together (a fast typist, a paste): the letters reached the list,
    as its commands (g, o, s...), before "/" had moved the focus to the search box."""
    app = create_app(reading)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        articles = main_screen(app).query_one(ArticleList)
        assert app.focused is articles
        sort = articles.sort
        typed_fast(app, "slash", *"gos")
        await settle(pilot)
        assert main_screen(app).query_one(QueryInput).value == "gos"
        assert articles.typeahead is None  # the list's keys are its own again
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.focused is articles
        assert articles.sort == sort  # the sort before the search: "s" did not reach the list
        await pilot.press("s")  # and now it does
        await settle(pilot)
        assert articles.sort != sort


async def test_keystrokes_overtaken_while_a_search_runs_are_not_searched(
    reading: paths.Settings,
) -> None:
    """Typed while a search runs, each keystroke started a search of its own at once; now they
    wait, and only the newest is searched (the others' answers were dropped anyway)."""
    app = create_app(reading)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        searched: list[str] = []
        gate = Gate(app.library, "fuzzy")  # holds the first search (and would hold others)
        held = app.library.fuzzy

        def recorded(text: str, *args: Any, **kwargs: Any) -> Any:
            searched.append(text)
            return held(text, *args, **kwargs)

        app.library.fuzzy = recorded  # type: ignore[method-assign]
        await pilot.press("slash", "l", "a")  # "la": the first search, held
        await pause_until(pilot, lambda: searched, "the first search to begin", tries=500)
        for key in "unch":  # four more keystrokes while "la" is searched, each one's worker
            await pilot.press(key)  # running before the next key (not cancelled unstarted)
            await pause_until(pilot, lambda: newest_search_runs(app), "its worker", tries=500)
        gate.open()
        await settle(pilot)
        assert searched == ["la", "launch"]
        assert main_screen(app).query_one(QueryInput).value == "launch"


def newest_search_runs(app: ThaadApp) -> bool:
    """Whether the newest search worker runs in its thread."""
    searches = [w for w in app.workers if w.group == "search"]
    return bool(searches) and searches[-1].state == WorkerState.RUNNING
