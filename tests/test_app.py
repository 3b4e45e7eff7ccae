"""The app driven through Pilot: keys pressed, state and screen checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import paths
from tests.screen import (
    main_screen,
    palette_offers,
    pause_until,
    screen_text,
    settle,
    wait_until,
)
from tui.app import ThaadApp, create_app
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.notes import NotesScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView
from tui.widgets.entity_list import EntityList
from tui.widgets.reader import Reader
from tui.widgets.search_box import QueryInput
from tui.widgets.timeline import EventList, PeriodChart

CHANG_TITLES = {
    "Door open to defense dialogue with ROK, gov't says",
    "China raises concerns over missile defense",
    "China, South Korea defence ministers hold first meeting in two years",
}


@pytest.fixture
def app(settings: paths.Settings) -> ThaadApp:
    return create_app(settings)


def titles(app: ThaadApp) -> list[str]:
    return [r.info.title for r in main_screen(app).query_one(ArticleList).rows]


async def test_launch_shows_titles_and_the_four_panes(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        for pane in ("Articles", "Reader", "Entities", "Timeline"):
            assert pane in text
        assert "China raises concerns over missile defense" in text
        assert "5 articles" in text
        assert app.focused is main_screen(app).query_one(ArticleList)


async def test_the_done_when_walkthrough(app: ThaadApp) -> None:
    """/ chang wanqan, Enter opens the top result in the Reader, ? help, escape, q."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused, QueryInput)
        await pilot.press(*"chang wanqan")
        await settle(pilot)
        assert set(titles(app)) == CHANG_TITLES
        assert "fuzzy: 3 matches" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        assert app.focused is reader
        assert reader.article is not None and reader.article.title == titles(app)[0]
        assert reader.hits and reader.passage.first == reader.hits[0][0]
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        assert "Bookmark" in help_text and "Next hit" in help_text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0


async def test_the_open_article_highlights_what_the_latest_query_matched(app: ThaadApp) -> None:
    """Typing on keeps the top article open; its highlights follow the query as it grows (the
    prefix "wa" matched "was" everywhere; "wanqan" matches only the name)."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"chang wa")
        await settle(pilot)
        screen = main_screen(app)
        reader = screen.query_one(Reader)
        article = reader.article
        assert article is not None and article.id == screen.current_id

        def highlighted() -> set[str]:
            return {article.paragraphs[p][s:e].lower() for p, s, e in reader.hits}

        assert "was" in highlighted()
        await pilot.press(*"nqan")
        await settle(pilot)
        assert reader.article is article  # still open, cursor kept
        hit = next(h for h in screen.results or [] if h.id == screen.current_id)
        assert reader.terms == frozenset(hit.terms)
        # "Chang Wanquan" is one hit (a phrase), "was" none
        assert any("wanquan" in h for h in highlighted()), highlighted()
        assert "was" not in highlighted(), highlighted()


async def test_list_keys_move_open_and_sort(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        article_list = main_screen(app).query_one(ArticleList)
        reader = main_screen(app).query_one(Reader)
        await pilot.press("j")
        await settle(pilot)
        assert article_list.cursor == 1
        assert reader.article is not None and reader.article.id == article_list.rows[1].info.id
        await pilot.press("G")
        assert article_list.cursor == 4
        await pilot.press("k", "g")
        assert article_list.cursor == 0
        await pilot.press("down", "up", "end", "home")
        assert article_list.cursor == 0
        await pilot.press("s")
        assert article_list.sort == "outlet"
        assert article_list.rows[0].info.outlet == "AFP"
        await pilot.press("s")
        assert article_list.sort == "title"
        assert titles(app) == sorted(titles(app), key=str.lower)
        await pilot.press("s")
        assert article_list.sort == "date"
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is reader


async def test_pane_keys_and_tab_cycle(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        for key, widget in (
            ("2", Reader),
            ("3", EntityList),
            ("4", EventList),
            ("1", ArticleList),
        ):
            await pilot.press(key)
            assert isinstance(app.focused, widget)
        await pilot.press("tab")
        assert isinstance(app.focused, Reader)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, ArticleList)
        assert screen.query_one(ArticleList).has_focus


async def test_reader_passage_cursor_and_hits(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"hydrogen", "enter")
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        assert app.focused is reader
        first_hit = reader.passage.first
        await pilot.press("j")
        assert reader.passage.first == first_hit + 1
        await pilot.press("k", "k")
        assert reader.passage.first == first_hit - 1
        await pilot.press("n")
        assert reader.passage.first == first_hit
        await pilot.press("N")
        assert reader.passage.first == first_hit
        await pilot.press("J")
        assert (reader.passage.first, reader.passage.last) == (first_hit, first_hit + 1)
        await pilot.press("escape", "l")
        assert reader.passage.sentence is not None
        assert reader.passage_text().startswith("North Korea claimed in September")
        await pilot.press("l")
        assert reader.passage_text().startswith("It was the reclusive nation")
        await pilot.press("h", "escape")
        assert reader.passage.sentence is None
        await pilot.press("G")
        assert reader.passage.first == len(reader.article.paragraphs) - 1
        await pilot.press("g", "space", "pageup")
        assert reader.passage.first == 0


async def test_bookmark_from_the_reader(app: ThaadApp, settings: paths.Settings) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "j", "b")
        await settle(pilot)
        await pilot.press(*"key quote", "enter")
        await settle(pilot)
        notes = settings.notes_path.read_text("utf-8")
        reader = main_screen(app).query_one(Reader)
        assert reader.article.paragraphs[1][:60] in notes.replace("\n> ", " ")
        assert "key quote" in notes and reader.article.title in notes
        assert 1 in reader.bookmarked
        await pilot.press("b", "escape")
        await settle(pilot)
        assert settings.notes_path.read_text("utf-8") == notes  # escape cancels


async def test_unwritable_notes_keep_the_bookmark(settings: paths.Settings, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = create_app(paths.resolve(settings.corpus_roots[0], settings.index_dir, blocker / "n.md"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "b", "enter")
        await settle(pilot)
        assert len(app.pending) == 1
        assert isinstance(app.screen, MainScreen)  # still running
        app.notes.path = tmp_path / "elsewhere.md"
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.pending == []
        assert "thaad-tui:bookmark" in (tmp_path / "elsewhere.md").read_text("utf-8")


async def test_notes_view_opens_and_deletes(app: ThaadApp, settings: paths.Settings) -> None:
    settings.notes_path.write_text("# My notes\n\nhand-written\n", encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("G", "enter", "j", "j", "b", "enter")
        await settle(pilot)
        target = main_screen(app).query_one(Reader).article.id
        await pilot.press("1", "g", "B")
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        assert "hand-written" not in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        assert reader.article.id == target and reader.passage.first == 2
        await pilot.press("B", "d", "y")
        await settle(pilot)
        after = settings.notes_path.read_text("utf-8")
        # the user's bytes are intact; only the blank line our append put before the entry stays
        assert after.startswith("# My notes\n\nhand-written\n") and after.strip() == (
            "# My notes\n\nhand-written"
        )


async def test_entity_filter_and_clear(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3", "a")
        entity_list = main_screen(app).query_one(EntityList)
        assert entity_list.scope == "corpus"
        for _ in range(entity_list.option_count):  # down to it, as a user would (bounded)
            if entity_list.current_entity() == "Chang Wanquan":
                break
            await pilot.press("down")
        assert entity_list.current_entity() == "Chang Wanquan"
        await pilot.press("enter")
        await settle(pilot)
        assert main_screen(app).entity_filter == "Chang Wanquan"
        assert set(titles(app)) == CHANG_TITLES
        assert "entity: Chang Wanquan" in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert main_screen(app).entity_filter is None and len(titles(app)) == 5


async def test_timeline_period_filter(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chart = main_screen(app).query_one(PeriodChart)
        chart.focus()
        await pilot.press("home")
        for _ in range(20):  # right to 2017, as a user would (bounded)
            if chart.current_period == "2017":
                break
            await pilot.press("right")
        assert chart.current_period == "2017"
        await pilot.press("enter")
        await settle(pilot)
        assert main_screen(app).period_filter == "2017"
        assert len(titles(app)) == 2
        await pilot.press("y")
        assert chart.by == "month"
        await pilot.press("x")
        assert len(titles(app)) == 5


async def test_malformed_query_shows_inline_error_and_keeps_results(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Lotte")
        await settle(pilot)
        assert len(titles(app)) == 1
        await pilot.press(*' "unclosed')
        await settle(pilot)
        assert "unclosed quote" in screen_text(app)
        assert len(titles(app)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert len(titles(app)) == 5
        await pilot.press("down")
        assert isinstance(app.focused, ArticleList)


async def test_escape_clears_the_search_and_leaves_the_box(app: ThaadApp) -> None:
    """After escape the next key is a command: `3` goes to the Entities pane, not the box."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lotte")
        await settle(pilot)
        assert len(titles(app)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert len(titles(app)) == 5
        assert isinstance(app.focused, ArticleList)
        await pilot.press("3")
        await settle(pilot)
        query = main_screen(app).query_one(QueryInput)
        assert query.value == "" and app.focused is main_screen(app).query_one(EntityList)


async def test_fulltext_mode_is_shown(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"hydrogen bomb"')
        await settle(pilot)
        assert "full-text: 1 match" in screen_text(app)


async def test_command_palette_opens_an_article(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Open: Warm Frozen")
        await wait_until(pilot, lambda: palette_offers(app, "Warm Frozen"), "the palette offers it")
        await pilot.press("enter")
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        assert reader.article.title == "South Korea, China Seek to Warm Frozen Ties"


async def test_small_terminal_folds_side_panes(app: ThaadApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.has_class("-narrow")
        assert not screen.query_one("#side").display or not screen.query_one("#side").region
        await pilot.press("3")
        assert screen.has_class("-show-side") and isinstance(app.focused, EntityList)
        await pilot.press("2")
        assert not screen.has_class("-show-side") and isinstance(app.focused, Reader)


async def test_resize_keeps_working(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert main_screen(app).has_class("-narrow")
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert not main_screen(app).has_class("-narrow")
        assert "Articles" in screen_text(app)


async def test_mouse_clicks_open_and_move_the_passage(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        article_list = main_screen(app).query_one(ArticleList)
        fourth, height = article_list.row_span(3)  # rows are as tall as their wrapped titles
        await pilot.click(ArticleList, offset=(5, fourth + height - 1))  # its last line
        await settle(pilot)
        assert article_list.cursor == 3
        reader = main_screen(app).query_one(Reader)
        assert reader.article.id == article_list.rows[3].info.id
        top, _height = reader.view.paragraph_span(1)
        await pilot.click(ArticleView, offset=(5, top - reader.view.scroll_y))
        await settle(pilot)
        assert app.focused is reader and reader.passage.first == 1


@pytest.fixture
def held_build(monkeypatch: pytest.MonkeyPatch):
    """Hold every build at its scan step until the test sets the returned Event."""
    import threading

    from index.build import builder as build

    release = threading.Event()
    scan = build.scan

    def held_scan(*args, **kwargs):
        release.wait(timeout=30)
        return scan(*args, **kwargs)

    monkeypatch.setattr(build, "scan", held_scan)
    return release


async def test_search_typed_during_the_first_build_is_answered(app: ThaadApp, held_build) -> None:
    """On a fresh install the index is built while the user already types."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"chang wanqan")  # the index is still empty
        await settle(pilot, besides=("index",))
        status = main_screen(app).query_one("#status")
        # (shown once the build has run SHOW_PROGRESS_AFTER)
        await pause_until(
            pilot, lambda: status.has_class("-busy"), "the held build shown", 100, 0.1
        )
        assert titles(app) == []
        held_build.set()
        await settle(pilot)
        assert set(titles(app)) == CHANG_TITLES
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, Reader)


async def test_a_second_build_is_not_cancelled_by_the_first(app: ThaadApp, held_build) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, besides=("index",))
        screen = main_screen(app)
        worker = screen.update_index()  # replaces the held start-up build (exclusive)
        await settle(pilot, besides=("index",))
        status = screen.query_one("#status")
        # (shown once the build has run SHOW_PROGRESS_AFTER)
        await pause_until(
            pilot, lambda: status.has_class("-busy"), "the held build shown", 100, 0.1
        )
        held_build.set()
        await worker.wait()
        await settle(pilot)
        assert len(titles(app)) == 5
        assert not screen.query_one("#status").has_class("-busy")


async def test_page_keys_in_the_list_and_shrinking_a_passage(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 12)) as pilot:  # a short list: five rows need paging
        await settle(pilot)
        article_list = main_screen(app).query_one(ArticleList)
        await pilot.press("pagedown")
        assert article_list.cursor > 0
        await pilot.press("pageup")
        assert article_list.cursor == 0
        await pilot.press("space")
        assert article_list.cursor > 0
        await pilot.press("g", "enter", "J", "J")
        reader = main_screen(app).query_one(Reader)
        assert (reader.passage.first, reader.passage.last) == (0, 2)
        await pilot.press("K")
        assert (reader.passage.first, reader.passage.last) == (0, 1)
        await pilot.press("shift+up")
        assert (reader.passage.first, reader.passage.last) == (0, 0)


async def test_command_palette_filters_by_entity(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Filter by entity: Chang Wanquan")
        await wait_until(
            pilot, lambda: palette_offers(app, "Chang Wanquan"), "the palette offers it"
        )
        await pilot.press("enter")
        await settle(pilot)
        assert main_screen(app).entity_filter == "Chang Wanquan"
        assert set(titles(app)) == CHANG_TITLES
