"""SVG snapshots of the main layouts (pytest-textual-snapshot).

Update after an intended visual change with ``pytest tests/test_snapshots.py --snapshot-update``
and review the SVGs in the diff.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from index import paths
from tests.screen import still
from tui.app import create_app


@pytest.fixture
def snapshot_app(built_seed_index, tmp_path):
    corpus, index_dir = built_seed_index
    return create_app(paths.resolve(corpus, index_dir, tmp_path / "notes.md"))


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20)])
def test_main_screen(snap_compare, snapshot_app, size) -> None:
    """The four panes on a large, a standard and a small terminal."""
    assert snap_compare(snapshot_app, terminal_size=size, run_before=still)


def test_help_screen(snap_compare, snapshot_app) -> None:
    """? shows every key from the live bindings, then the prose guide."""

    async def open_help(pilot: Pilot) -> None:
        await still(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=open_help)


def test_search_as_you_type(snap_compare, snapshot_app) -> None:
    """A fuzzy search typed with a typo: three results, snippets, matches highlighted."""

    async def search(pilot: Pilot) -> None:
        await still(pilot)
        await pilot.press("slash", *"chang wanqan")
        await still(pilot)

    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=search)


def test_narrow_terminal_with_entities_shown(snap_compare, snapshot_app) -> None:
    """At 80x24, 3 brings the folded Entities and Timeline panes back."""

    async def show_side(pilot: Pilot) -> None:
        await still(pilot)
        await pilot.press("3")
        await pilot.pause()

    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=show_side)
