"""Issue 16 in the app: copies folded in the list, copies and similar articles from the Reader,
the side-by-side view, and Compare outlets (fixture: tests/fixtures/copies, invented)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from index import paths
from index.library import open_library
from tests.screen import main_screen, screen_text, settle, wait_until
from tui.app import ThaadApp, create_app
from tui.screens.compare import CompareScreen
from tui.screens.side_by_side import DiffRow, SideBySideScreen
from tui.screens.similar import SimilarScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader

FIXTURE = Path(__file__).parent / "fixtures" / "copies" / "wire.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text().splitlines()]


@pytest.fixture
def built(tmp_path: Path) -> paths.Settings:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "wire.jsonl").write_text(FIXTURE.read_text())
    settings = paths.resolve(folder, tmp_path / "index", tmp_path / "notes.md")
    open_library(settings).update()
    return settings


@pytest.fixture
def app(built: paths.Settings) -> ThaadApp:
    return create_app(built)


def ids(app: ThaadApp) -> dict[str, str]:
    return {info.url or "": info.id for info in main_screen(app).infos}


async def test_copies_fold_into_one_row_and_unfold(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = main_screen(app).query_one(ArticleList)
        await wait_until(pilot, lambda: bool(article_list.copies), "the copy groups")
        assert len(article_list.rows) == 2  # the five copies in one row, the other story
        assert "×5" in screen_text(app)
        await pilot.press("f")
        await wait_until(pilot, lambda: len(article_list.rows) == 6, "the unfolded list")
        assert screen_text(app).count("×5") == 5
        await pilot.press("f")
        await wait_until(pilot, lambda: len(article_list.rows) == 2, "the folded list")


async def test_reader_lists_copies_and_enter_opens_one(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(pilot)
        by_url = ids(app)
        wire = by_url[ROWS[0]["url"]]
        screen.open_article(wire)
        reader = screen.query_one(Reader)
        await wait_until(
            pilot, lambda: "4 copies" in reader.view.related.plain, "the Reader's counts"
        )
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar list")
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count >= 5, "the similar articles")
        first = options.get_option_at_index(0).id
        assert first in {by_url[r["url"]] for r in ROWS if r["url"] != ROWS[0]["url"]}
        assert "copy" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.current_id == first, "the chosen article open")
        assert app.screen is screen


async def test_side_by_side_marks_differences_and_steps_through_them(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(pilot)
        wire, edited = ids(app)[ROWS[0]["url"]], ids(app)[ROWS[3]["url"]]
        app.push_screen(SideBySideScreen(app.library, wire, edited))
        # Title, outlet, date and URL, then the ten paragraphs.
        await wait_until(pilot, lambda: len(app.screen.query(DiffRow)) == 14, "the aligned rows")
        sbs = app.screen
        assert isinstance(sbs, SideBySideScreen)
        assert sbs.differences == [0, 1, 3, 4, 7, 10]  # the date is the same
        text = screen_text(app)
        assert "7 paragraphs shared (dimmed), 3 differ; title, outlet, URL differ" in text
        rows = list(sbs.query(DiffRow).results(DiffRow))
        assert rows[5].has_class("-same") and rows[4].has_class("-changed")
        await pilot.press("n")
        await wait_until(pilot, lambda: rows[0].has_class("-current"), "the first difference")
        await pilot.press("n")
        await wait_until(pilot, lambda: rows[1].has_class("-current"), "the second difference")
        assert not rows[0].has_class("-current")
        await pilot.press("N", "N")
        await wait_until(pilot, lambda: rows[10].has_class("-current"), "wrapping back to the last")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the main screen again")


async def test_side_by_side_from_the_similar_list(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await settle(pilot)
        screen.open_article(ids(app)[ROWS[0]["url"]])
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar list")
        options = app.screen.query_one(OptionList)
        await wait_until(pilot, lambda: options.option_count >= 5, "the similar articles")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, SideBySideScreen), "side by side")
        await wait_until(pilot, lambda: bool(app.screen.query(DiffRow)), "the aligned rows")


async def test_compare_outlets_shows_each_outlet_with_g2(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "Compare outlets")
        await pilot.press(*"crane", "enter")
        await wait_until(pilot, lambda: len(app.screen.query(".outlet")) >= 4, "the outlets")
        text = screen_text(app)
        assert "Wire Service  2 articles" in text
        assert "distinctive" in text and "per month" in text
        await pilot.press("ctrl+a", "ctrl+k", *"crane AND (", "enter")
        status = app.screen.query_one("#compare-status", Static)
        await wait_until(pilot, lambda: "bad query" in str(status.render()), "the query error")


def test_side_by_side_snapshot(snap_compare, built: paths.Settings) -> None:
    app = create_app(built)

    async def open_view(pilot: Pilot) -> None:
        await settle(pilot)
        by_url = {info.url: info.id for info in main_screen(app).infos}
        app.push_screen(
            SideBySideScreen(app.library, by_url[ROWS[0]["url"]], by_url[ROWS[1]["url"]])
        )
        await wait_until(pilot, lambda: bool(app.screen.query(DiffRow)), "the aligned rows")
        await pilot.press("n")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(120, 32), run_before=open_view)
