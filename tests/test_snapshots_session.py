"""SVG snapshots of issue 18's layouts: the article list with wrapped titles, stars, read marks
and a reversed sort; the dialog that names a saved search.

Update after an intended visual change with
``pytest tests/test_snapshots_session.py --snapshot-update`` and review the SVGs in the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.screen import fixture_settings, still
from tui.app import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "session" / "corpus"


async def _settle(pilot: Pilot) -> None:
    await still(pilot, rounds=3)


@pytest.fixture
def session_app(tmp_path: Path):
    return create_app(fixture_settings(FIXTURE, tmp_path))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_article_list_with_stars_read_marks_and_newest_first(
    snap_compare, session_app, size
) -> None:
    """Near-duplicate titles wrap in full, each with its outlet and date; * starred the first,
    enter read the second, S put the newest first (the pane's title says so)."""

    async def mark(pilot: Pilot) -> None:
        await _settle(pilot)
        await pilot.press("asterisk", "j", "enter")
        await _settle(pilot)
        await pilot.press("1", "S", "g")
        await _settle(pilot)
        # The "Starred" toast times out on its own clock: drawn or not, it made the
        # snapshot differ from run to run.
        pilot.app.clear_notifications()
        await _settle(pilot)

    assert snap_compare(session_app, terminal_size=size, run_before=mark)


def test_save_search_dialog(snap_compare, session_app) -> None:
    """The palette's "Save search" asks for a name and shows what is saved."""

    async def ask(pilot: Pilot) -> None:
        await _settle(pilot)
        await pilot.press("slash", *"hotline", "enter")
        await _settle(pilot)
        pilot.app.save_search()
        await _settle(pilot)

    assert snap_compare(session_app, terminal_size=(120, 40), run_before=ask)
