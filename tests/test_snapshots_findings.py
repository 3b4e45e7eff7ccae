"""SVG snapshots of issue 18's new layouts: the Reader's find bar, the Notes view filtered by a
tag. Update after an intended change with ``--snapshot-update`` and review the SVGs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot

from index import paths
from index.library import open_library
from index.notes.notebook import NotesFile, new_bookmark
from tests.screen import still
from tui.app import create_app


@pytest.fixture
def snapshot_app(built_seed_index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    corpus, index_dir = built_seed_index
    monkeypatch.chdir(tmp_path)  # the Notes view shows the notes file's path: the same each run
    settings = paths.resolve(corpus, index_dir, Path("notes.md"))
    library = open_library(settings)
    notes = NotesFile(settings.notes_path)
    infos = sorted(library.articles(), key=lambda i: i.id)
    for n, (info, comment) in enumerate(
        zip(infos[:3], ["#radar the first", "#lotte #radar", "#tourism"], strict=True)
    ):
        article = library.article(info.id)
        assert article is not None
        mark = new_bookmark(article, 2, comment=comment)
        notes.add(replace(mark, id=f"2017010{n}T000000-0000", created=f"2017-01-0{n + 1}T10:00"))
    return create_app(settings)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_find_in_the_article(snap_compare, snapshot_app, size) -> None:
    """ctrl+f in the Reader: the bar at its foot, matches marked, the second one current."""

    async def find(pilot: Pilot) -> None:
        await still(pilot)
        await pilot.press("enter", "ctrl+f", *"china")
        await still(pilot)
        await pilot.press("enter")
        await still(pilot)

    assert snap_compare(snapshot_app, terminal_size=size, run_before=find)


def test_notes_view_filtered_by_tag(snap_compare, snapshot_app) -> None:
    """B, then / #radar: two of three bookmarks, the tags they carry counted."""

    async def notes(pilot: Pilot) -> None:
        await still(pilot)
        await pilot.press("B")
        await still(pilot)
        await pilot.press("slash", *"#radar")
        await still(pilot)

    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=notes)
