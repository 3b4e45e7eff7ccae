"""Keys: the user's keymap file, the theme kept between runs, help from the live bindings
(issue 18)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from index import paths
from tests.screen import main_screen, notices, pause_until, settle
from tui.app import ThaadApp, create_app
from tui.keymap import binding_id, keymap_path, load_keymap, theme_path
from tui.screens.bookmark import BookmarkDialog
from tui.screens.help import key_table
from tui.widgets.reader import Reader


def help_rows(app: ThaadApp) -> list[str]:
    console = Console(width=140, record=True, file=io.StringIO())
    console.print(key_table(app, app.help_sections()))
    return [line.rstrip() for line in console.export_text().splitlines() if line.strip()]


def test_binding_ids_name_the_class_the_action_and_its_arguments() -> None:
    assert binding_id("Reader", "bookmark") == "Reader.bookmark"
    assert binding_id("MainScreen", "focus_pane('articles')") == "MainScreen.focus_pane.articles"
    assert binding_id("Reader", "hit(-1)") == "Reader.hit.-1"
    assert Reader._merged_bindings is not None
    ids = {b.id for bs in Reader._merged_bindings.key_to_bindings.values() for b in bs}
    assert {"Reader.bookmark", "Reader.find", "Reader.copy_passage"} <= ids


def test_a_keymap_entry_for_no_binding_is_named_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "keymap.yaml"
    path.write_text("Reader.bookmark: m\nReader.bookmrk: x\nReader.find: 5\nReader.hit.1: ' '\n")
    keymap, problems = load_keymap(path, {"Reader.bookmark", "Reader.find", "Reader.hit.1"})
    assert keymap == {"Reader.bookmark": "m"}
    assert len(problems) == 3
    assert "'Reader.bookmrk'" in problems[0] and str(path) in problems[0]
    assert "'Reader.find' must be keys as text" in problems[1]
    path.write_text("Reader.bookmark: [unclosed\n")
    keymap, problems = load_keymap(path, {"Reader.bookmark"})
    assert keymap == {} and "invalid YAML" in problems[0]


@pytest.fixture
def app(settings: paths.Settings) -> ThaadApp:
    return create_app(settings)


async def test_the_keymap_file_rebinds_a_key_and_help_shows_it(
    settings: paths.Settings,
) -> None:
    keymap_path(paths.resolve()).parent.mkdir(parents=True, exist_ok=True)
    keymap_path(paths.resolve()).write_text(
        "Reader.bookmark: m\nNo.such.binding: z\n", encoding="utf-8"
    )
    app = create_app(settings)
    seen: list = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await settle(pilot)
        assert any("'No.such.binding'" in n for n in notices(seen))
        await pilot.press("enter")
        reader = main_screen(app).query_one(Reader)
        await pause_until(pilot, lambda: app.focused is reader, "the Reader")
        await pilot.press("b")
        await settle(pilot)
        assert not isinstance(app.screen, BookmarkDialog)  # b is no longer bookmark
        await pilot.press("m")
        await pause_until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "m bookmarks")
        rows = help_rows(app)
        bookmark = next(r for r in rows if "Reader.bookmark" in r)
        assert bookmark.split()[0] == "m"


async def test_help_lists_what_can_be_used_once(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = help_rows(app)
    assert not [r for r in rows if "Scroll Left" in r or "Scroll Right" in r or "Page Left" in r]
    with_ctrl_c = [r for r in rows if r.startswith("^c")]
    assert len(with_ctrl_c) == 1 and "Quit" in with_ctrl_c[0]
    assert not [r for r in rows if "Copy selected text" in r and "^c" in r]
    assert any(r.startswith("^f") and "Find in article" in r for r in rows)


async def test_the_theme_chosen_is_kept_for_the_next_run(settings: paths.Settings) -> None:
    app = create_app(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme != "nord"
        app.theme = "nord"  # what ctrl+p, "Change theme" does
        await pause_until(pilot, theme_path(paths.resolve()).exists, "the theme saved")
        await settle(pilot)
    again = create_app(settings)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
    theme_path(paths.resolve()).write_text("theme: no-such-theme\n", encoding="utf-8")
    third = create_app(settings)
    seen: list = []
    async with third.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        assert any("no theme is called 'no-such-theme'" in n for n in notices(seen))
        assert third.theme != "no-such-theme"
