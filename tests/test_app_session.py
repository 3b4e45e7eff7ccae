"""Issue 18, part A, driven through Pilot: the article list's layout, sort, stars and read marks;
back/forward, search history, saved searches; the session restored after a restart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from textual.app import App
from textual.command import CommandPalette
from textual.message import Message
from textual.notifications import Notify

from index import paths
from index.library import open_library
from index.session.saved import SavedSearch, load_saved, save_search, saved_path
from index.session.state import SessionState, save_session
from tests.screen import fixture_settings, main_screen, screen_text, settle, wait_until
from tui.app import ThaadApp, create_app
from tui.screens.name_dialog import NameDialog
from tui.session import corpus_key
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader
from tui.widgets.search_box import QueryInput

FIXTURE = Path(__file__).parent / "fixtures" / "session" / "corpus"
LONG = (
    "Defence ministers of the two neighbours agree to reopen a hotline and to meet again before "
    "the end of the year"
)


@pytest.fixture
def settings(tmp_path: Path) -> paths.Settings:
    return fixture_settings(FIXTURE, tmp_path)


def row_text(article_list: ArticleList, index: int) -> str:
    """What the list shows for one row, its lines joined (the row must be on screen)."""
    top, height = article_list.row_span(index)
    top -= int(article_list.scroll_offset.y)
    lines = [article_list.render_line(y).text for y in range(top, top + height)]
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def shows(app: App, text: str) -> bool:
    """``text`` is on screen (spaces ignored: the screenshot drops some around highlights)."""
    return re.sub(r"\s", "", text) in re.sub(r"\s", "", screen_text(app))


async def open_palette(pilot) -> None:
    await pilot.press("ctrl+p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")


def the_list(app: App) -> ArticleList:
    return main_screen(app).query_one(ArticleList)


async def started(pilot) -> None:
    """Settled, with the session file read (its worker has applied it)."""
    await settle(pilot)
    await wait_until(pilot, lambda: main_screen(pilot.app)._loaded, "the session to load")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_full_titles_wrap_and_near_duplicates_show_outlet_and_date(
    settings: paths.Settings, size: tuple[int, int]
) -> None:
    app = create_app(settings)
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        article_list = the_list(app)
        shown = {}
        for index, row in enumerate(article_list.rows[:2]):  # the two on screen at 80x24 too
            text = row_text(article_list, index)
            info = row.info
            assert info.title in text, text
            assert info.published is not None and info.published.isoformat() in text
            assert (info.outlet or "")[:8] in text
            shown[info.id] = text
        same_title = [r for r in article_list.rows if r.info.title == LONG]
        assert len(same_title) == 2 and len(set(shown.values())) == 2


async def test_each_sort_reverses_and_the_pane_title_names_it(settings: paths.Settings) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        article_list = the_list(app)
        pane = main_screen(app).query_one("#articles-pane")

        def days() -> list[str]:
            return [str(r.info.published) for r in article_list.rows]

        assert days() == sorted(days()) and pane.border_title == "Articles · oldest first"
        await pilot.press("S")
        await wait_until(pilot, lambda: pane.border_title == "Articles · newest first", "title")
        assert days() == sorted(days(), reverse=True)
        await pilot.press("s")
        await wait_until(pilot, lambda: pane.border_title == "Articles · outlet Z→A", "title")
        outlets = [r.info.outlet or "" for r in article_list.rows]
        assert outlets == sorted(outlets, key=str.lower, reverse=True)
        await pilot.press("S")
        await wait_until(pilot, lambda: pane.border_title == "Articles · outlet A→Z", "title")
        assert article_list.rows[0].info.outlet == "Fictional Wire Service International"
        await pilot.press("S", "slash", *"hotline")  # a search lists the best first ...
        await wait_until(pilot, lambda: pane.border_title == "Articles · best first", "relevance")
        await pilot.press("escape")  # ... and the list's own sort comes back after it
        await wait_until(pilot, lambda: pane.border_title == "Articles · outlet Z→A", "back")


async def test_stars_and_read_marks_are_kept_in_the_data_folder(
    settings: paths.Settings,
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        article_list = the_list(app)
        first, second = (r.info.id for r in article_list.rows[:2])
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: row_text(article_list, 0).startswith("*"), "the star")
        await pilot.press("j", "enter")
        await wait_until(pilot, lambda: "✓" in row_text(article_list, 1), "the read mark")
        assert "✓" not in row_text(article_list, 0)
    marks = settings.data_dir / "marks.json"
    assert json.loads(marks.read_text()) == {"starred": [first], "read": [second]}
    again = create_app(settings)
    async with again.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        article_list = the_list(again)
        assert row_text(article_list, 0).startswith("*") and "✓" in row_text(article_list, 1)
        article_list.cursor = 0
        await pilot.press("asterisk")  # again: the star comes off
        await wait_until(pilot, lambda: not row_text(article_list, 0).startswith("*"), "unstar")
    assert json.loads(marks.read_text())["starred"] == []


async def test_back_and_forward_go_through_opened_articles_and_searches(
    settings: paths.Settings,
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = main_screen(app)
        box = screen.query_one(QueryInput)
        first, second = (r.info.id for r in the_list(app).rows[:2])
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.current_id == first, "the first article")
        await pilot.press("1", "j", "enter")
        await wait_until(pilot, lambda: screen.current_id == second, "the second article")
        await pilot.press("slash", *"lotte", "enter")
        await wait_until(pilot, lambda: screen.query_text == "lotte", "the search")
        lotte = screen.current_id
        assert lotte not in (first, second)
        await pilot.press("left_square_bracket")  # back to the search itself
        await wait_until(pilot, lambda: app.focused is the_list(app), "the result list")
        assert box.value == "lotte"
        await pilot.press("left_square_bracket")  # back to the second article, no query
        await wait_until(pilot, lambda: screen.current_id == second and not box.value, "back")
        assert screen.query_text == ""
        await pilot.press("alt+left")
        await wait_until(pilot, lambda: screen.current_id == first, "back to the first")
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: screen.current_id == second, "forward to the second")
        await pilot.press("alt+right", "alt+right")
        await wait_until(pilot, lambda: screen.current_id == lotte, "forward to the result")
        assert box.value == "lotte" and screen.query_text == "lotte"
        assert screen.query_one(Reader).article.id == lotte


async def test_up_and_down_in_the_search_box_go_through_earlier_searches(
    settings: paths.Settings,
) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        box = main_screen(app).query_one(QueryInput)
        for query in ("lotte", "seongju"):
            await pilot.press("slash", *query, "enter")
            await wait_until(pilot, lambda q=query: main_screen(app).query_text == q, query)
            await pilot.press("slash", "escape")
        await pilot.press("slash", *"hot")
        for expected in ("seongju", "lotte", "lotte"):
            await pilot.press("up")
            assert box.value == expected
        await pilot.press("down")
        assert box.value == "seongju"
        await pilot.press("down")
        assert box.value == "hot"  # what was typed comes back
        await pilot.press("down")
        assert app.focused is the_list(app)


async def test_the_session_is_restored_after_a_restart(settings: paths.Settings) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = main_screen(app)
        screen.period_filter = "2016"  # as enter on a bar of the chart does
        await pilot.press("slash", *"hotline", "enter")
        await wait_until(pilot, lambda: app.focused is screen.query_one(Reader), "the article")
        opened = screen.current_id
        reader = screen.query_one(Reader)
        start = reader.passage.first
        await pilot.press("j")
        await wait_until(pilot, lambda: reader.passage.first == start + 1, "the next paragraph")
        await pilot.press("1", "s", "S")
        await wait_until(pilot, lambda: screen.sort == ("date", True), "the sort")
        await pilot.press("q")
    again = create_app(settings)
    async with again.run_test(size=(120, 40)) as pilot:
        screen = main_screen(again)
        await started(pilot)
        reader = screen.query_one(Reader)
        await wait_until(pilot, lambda: screen.current_id == opened, "the last article")
        await wait_until(pilot, lambda: reader.passage.first == start + 1, "the paragraph read")
        assert screen.query_one(QueryInput).value == "hotline" == screen.query_text
        assert screen.query_one(QueryInput).history == ["hotline"]  # up in the box finds it
        assert screen.period_filter == "2016"
        article_list = the_list(again)
        assert (article_list.sort, article_list.descending) == ("date", True)
        assert screen.query_one("#articles-pane").border_title == "Articles · newest first"
        days = [r.info.published for r in article_list.rows]
        assert len(days) == 2 and days == sorted(days, reverse=True)


async def test_fresh_and_the_palette_command_start_clean(settings: paths.Settings) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("slash", *"lotte", "enter")
        await wait_until(pilot, lambda: main_screen(app).query_text == "lotte", "the search")
        await pilot.press("q")
    fresh = create_app(settings, fresh=True)
    async with fresh.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert main_screen(fresh).query_text == "" and len(the_list(fresh).rows) == 4
    restored = create_app(settings)  # the clean state of the --fresh run is the one kept
    async with restored.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = main_screen(restored)
        await wait_until(pilot, lambda: screen.query_text == "", "nothing restored after --fresh")
    # now the palette command, in a session that has a search
    again = create_app(settings)
    async with again.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = main_screen(again)
        await pilot.press("slash", *"seongju", "enter")
        await wait_until(pilot, lambda: screen.query_text == "seongju", "the search")
        await open_palette(pilot)
        await pilot.press(*"fresh session")
        await wait_until(pilot, lambda: shows(again, "Start a fresh session"), "command")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: screen.query_text == "" and len(the_list(again).rows) == 4, "clean"
        )
        await wait_until(pilot, lambda: screen.current_id == the_list(again).rows[0].info.id, "top")
        assert screen.query_one(QueryInput).history == [] and screen.history.current is None


@pytest.mark.parametrize(
    "content", ["{not json", '{"version": 7, "corpora": {}}', "\x00\xff binary"]
)
async def test_a_corrupt_or_unknown_session_file_is_a_warning_and_a_clean_start(
    settings: paths.Settings, content: str
) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "session.json").write_text(content, encoding="utf-8")
    seen: list[Message] = []
    app = create_app(settings)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await started(pilot)
        notices = [str(m.notification.message) for m in seen if isinstance(m, Notify)]
        assert any("Session not restored" in n and "session.json" in n for n in notices), notices
        assert len(the_list(app).rows) == 4 and main_screen(app).query_text == ""
        await pilot.press("slash", *"lotte", "enter")
        await wait_until(pilot, lambda: main_screen(app).query_text == "lotte", "a search")
        await pilot.press("q")
    saved = json.loads((settings.data_dir / "session.json").read_text(encoding="utf-8"))
    assert [state["query"] for state in saved["corpora"].values()] == ["lotte"]


async def test_a_search_is_saved_and_run_from_the_palette(settings: paths.Settings) -> None:
    app: ThaadApp = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = main_screen(app)
        await pilot.press("slash", *"hotline", "enter")
        await wait_until(pilot, lambda: screen.query_text == "hotline", "the search")
        await pilot.press("1", "s", "S")  # by date, newest first
        await open_palette(pilot)
        await pilot.press(*"save search")
        await wait_until(pilot, lambda: shows(app, "Save search"), "the command")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NameDialog), "the dialog")
        await pilot.press(*"ministers", "enter")
        path = saved_path(settings.data_dir)
        await wait_until(pilot, lambda: load_saved(path)[0], "the saved search")
    assert load_saved(path) == (
        [SavedSearch("ministers", "hotline", sort="date", descending=True)],
        [],
    )
    save_search(path, SavedSearch("markets", "lotte", sort="title"))
    again = create_app(settings, fresh=True)
    async with again.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = main_screen(again)
        await open_palette(pilot)
        await pilot.press(*"run saved search: ministers")
        await wait_until(pilot, lambda: shows(again, "Run saved search: ministers"), "it")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.query_text == "hotline", "the saved search")
        article_list = the_list(again)
        await wait_until(pilot, lambda: article_list.descending, "its sort")
        days = [r.info.published for r in article_list.rows]
        assert article_list.sort == "date" and days == sorted(days, reverse=True)


async def test_a_restored_paragraph_past_the_end_of_an_edited_article_falls_back_to_the_first(
    settings: paths.Settings,
) -> None:
    library = open_library(settings)
    article = library.articles()[-1].id
    path = settings.data_dir / "session.json"
    save_session(path, corpus_key(library), SessionState(article=article, paragraph=99))
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        screen = main_screen(app)
        reader = screen.query_one(Reader)
        await wait_until(pilot, lambda: screen.current_id == article, "the restored article")
        await wait_until(pilot, lambda: reader.passage.first == 0, "its first paragraph")
        assert reader.view.passage == (0, 0)  # drawn as the passage cursor
