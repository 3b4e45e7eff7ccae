"""The Notes view searched and filtered (#tags in comments), comments edited, a delete undone,
a warning before saving the same passage twice, notes exported (issue 18)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from index import paths
from index.library import open_library
from index.models import Article
from index.notes.filtering import duplicate_of, filter_bookmarks, parse_query, tags_of
from index.notes.notebook import NotesFile, new_bookmark
from tests.screen import main_screen, pause_until, settle
from tui.app import ThaadApp, create_app
from tui.screens.bookmark import BookmarkDialog
from tui.screens.confirm import ConfirmDialog
from tui.screens.export_dialog import ExportDialog
from tui.screens.notes import CommentDialog, NotesFilter, NotesScreen, NotesView
from tui.widgets.reader import Reader

FIXTURE = Path(__file__).parent / "fixtures" / "findings"
ARTICLE = Article(
    id="a1",
    title="Seoul and Beijing agree to talk",
    paragraphs=("First paragraph about the radar.", "Second, about tour groups.", "Third."),
    outlet="Example Wire",
)
OTHER = replace(ARTICLE, id="b2", title="Another story", outlet="Formula Times")


# -- without the app -------------------------------------------------------------------------
def test_tags_are_hash_words_of_the_comment() -> None:
    assert tags_of("see #Radar and #lotte-mart, #radar again") == ["radar", "lotte-mart"]
    assert tags_of("paragraph#3, #3, https://e.org/a#frag, &#8212;") == []


def test_filter_by_words_tag_outlet_and_article() -> None:
    marks = [
        new_bookmark(ARTICLE, 1, comment="#radar #todo check"),
        new_bookmark(ARTICLE, 2, comment="#tourism"),
        new_bookmark(OTHER, 1, comment="#radar"),
    ]
    ids = lambda query: [b.comment for b in filter_bookmarks(marks, query)]  # noqa: E731
    assert ids("#radar") == ["#radar #todo check", "#radar"]
    assert ids("#radar #todo") == ["#radar #todo check"]
    assert ids("tour") == ["#tourism"]
    assert ids('outlet:"formula times"') == ["#radar"]
    assert ids("article:a1 #radar") == ["#radar #todo check"]
    assert ids("article:another") == ["#radar"]
    assert ids("") == [b.comment for b in marks]
    assert not parse_query("   ")


def test_the_same_passage_is_found_as_a_duplicate() -> None:
    saved = [new_bookmark(ARTICLE, 1)]
    assert duplicate_of(saved, "a1", "First paragraph  about the radar.\n") is saved[0]
    assert duplicate_of(saved, "b2", "First paragraph about the radar.") is None
    assert duplicate_of(saved, "a1", "Second, about tour groups.") is None


def test_editing_a_comment_changes_only_that_entry(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_bytes(b"# My notes\r\n\r\nHand-written line.\r\n")
    notes = NotesFile(path)
    first, second = new_bookmark(ARTICLE, 1, comment="old"), new_bookmark(ARTICLE, 2)
    notes.add(first)
    notes.add(second)
    before = path.read_bytes()
    assert notes.update_comment(first.id, "new #radar")
    after = path.read_bytes()
    assert after.startswith(b"# My notes\r\n\r\nHand-written line.\r\n")
    assert b"\n" not in after.replace(b"\r\n", b"")  # CRLF kept throughout
    loaded = notes.load()
    assert not loaded.problems
    assert [b.comment for b in loaded.bookmarks] == ["new #radar", ""]
    assert loaded.bookmarks[1] == notes.load().bookmarks[1]
    tail = before[before.index(b"<!-- thaad-tui:bookmark id=" + second.id.encode()) :]
    assert after.endswith(tail)  # the other entry, byte for byte
    assert not notes.update_comment("no-such-id", "x")
    assert notes.update_comment(first.id, "old")
    assert path.read_bytes() == before


# -- in the app ----------------------------------------------------------------------------------
@pytest.fixture
def setup(tmp_path: Path) -> tuple[ThaadApp, NotesFile, list]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(FIXTURE / "articles.jsonl", folder)
    settings = paths.resolve(folder, tmp_path / "index", tmp_path / "notes.md")
    library = open_library(settings)
    library.update()
    articles = [library.article(i.id) for i in library.articles()]
    notes = NotesFile(settings.notes_path)
    made = []
    for n, (article, comment) in enumerate(
        zip(articles, ["#radar first", "#radar #odd second", "third #travel"], strict=True)
    ):
        assert article is not None
        b = new_bookmark(article, 1, comment=comment)
        made.append(replace(b, created=f"2017-01-0{n + 1}T10:00:00+00:00"))
        notes.add(made[-1])
    return create_app(settings), notes, made


def shown_comments(app: ThaadApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, NotesScreen)
    return [b.comment for b in screen.bookmarks]


async def test_notes_view_filters_by_tag_and_text(setup) -> None:
    app, _notes, _made = setup
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await pause_until(pilot, lambda: isinstance(app.screen, NotesScreen), "the Notes view")
        assert shown_comments(app) == ["third #travel", "#radar #odd second", "#radar first"]
        assert "#radar (2)" in str(app.screen.query_one("#notes-tags").render())
        await pilot.press("slash")
        await pause_until(pilot, lambda: isinstance(app.focused, NotesFilter), "the filter focused")
        await pilot.press(*"#radar")
        await pause_until(pilot, lambda: len(shown_comments(app)) == 2, "the tag filter")
        assert shown_comments(app) == ["#radar #odd second", "#radar first"]
        assert app.screen.query_one("#notes-box").border_title == "Notes · 2 of 3"
        await pilot.press(*" second", "enter")
        await pause_until(pilot, lambda: isinstance(app.focused, NotesView), "back to the list")
        assert shown_comments(app) == ["#radar #odd second"]
        await pilot.press("slash", "escape")
        await pause_until(pilot, lambda: len(shown_comments(app)) == 3, "the filter cleared")


async def test_delete_then_undo_brings_the_bookmark_back(setup) -> None:
    app, notes, made = setup
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await pause_until(pilot, lambda: isinstance(app.screen, NotesScreen), "the Notes view")
        await pilot.press("j")  # the second newest
        await pilot.press("d")
        await pause_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await pause_until(pilot, lambda: len(notes.load().bookmarks) == 2, "the delete")
        await pause_until(pilot, lambda: len(shown_comments(app)) == 2, "the view reloaded")
        assert made[1].id not in {b.id for b in notes.load().bookmarks}
        await pilot.press("u")
        await pause_until(pilot, lambda: len(notes.load().bookmarks) == 3, "the undo")
        await pause_until(pilot, lambda: len(shown_comments(app)) == 3, "the view reloaded")
        back = next(b for b in notes.load().bookmarks if b.id == made[1].id)
        assert back == made[1]
        assert shown_comments(app)[1] == "#radar #odd second"  # in its place again
        await pilot.press("u")
        await settle(pilot)
        assert len(notes.load().bookmarks) == 3  # nothing more to undo


async def test_edit_a_comment_in_the_notes_view(setup) -> None:
    app, notes, made = setup
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await pause_until(pilot, lambda: isinstance(app.screen, NotesScreen), "the Notes view")
        await pilot.press("e")
        await pause_until(
            pilot, lambda: isinstance(app.screen, CommentDialog), "the comment dialog"
        )
        field = app.screen.query_one("#comment")
        assert field.value == "third #travel"
        field.value = "third #travel #done"
        await pilot.press("enter")
        await pause_until(
            pilot,
            lambda: any(b.comment.endswith("#done") for b in notes.load().bookmarks),
            "the comment saved",
        )
        await pause_until(pilot, lambda: "third #travel #done" in shown_comments(app), "the view")
        assert [b.id for b in notes.load().bookmarks] == [b.id for b in made]


async def test_notes_export_writes_what_the_filter_shows(setup, tmp_path: Path) -> None:
    app, _notes, _made = setup
    target = tmp_path / "radar-notes.jsonl"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await pause_until(pilot, lambda: isinstance(app.screen, NotesScreen), "the Notes view")
        await pilot.press("slash", *"#radar", "enter", "ctrl+e")
        await pause_until(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await pause_until(pilot, target.exists, "the export")
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert sorted(line["comment"] for line in lines) == ["#radar #odd second", "#radar first"]


async def test_bookmarking_the_same_passage_twice_asks_first(setup) -> None:
    app, notes, made = setup
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.open_article(made[0].article, paragraph=0, focus=True)
        reader = screen.query_one(Reader)
        await pause_until(pilot, lambda: app.focused is reader and reader.article, "the Reader")
        await settle(pilot)
        await pilot.press("b")
        await pause_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the warning")
        await pilot.press("n")
        await pause_until(pilot, lambda: not isinstance(app.screen, ConfirmDialog), "declined")
        assert not isinstance(app.screen, BookmarkDialog)
        await pilot.press("b")
        await pause_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the warning again")
        await pilot.press("y")
        await pause_until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the dialog")
        await pilot.press("enter")
        await pause_until(pilot, lambda: len(notes.load().bookmarks) == 4, "saved again, as asked")
        await pilot.press("j", "b")  # another passage: no warning
        await pause_until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "straight to it")
