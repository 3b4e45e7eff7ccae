"""Helpers for driving the app in tests: settle it, wait for a condition, find its main screen,
read its screen.

Every wait is bounded and fails with a message saying what never happened; none sleeps for a
fixed time.
"""

from __future__ import annotations

import html
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed, WorkerState

from index import paths
from index.library import open_library
from tui.screens.main import MainScreen

_TEXT = re.compile(r'<text [^>]*clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>(.*?)</text>', re.S)

# Generous: a loaded CI machine runs eight suites at once. A wait that passes returns as soon
# as its condition holds, so the bound costs nothing then.
TIMEOUT = 60.0

_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


def fixture_settings(fixture: Path, tmp_path: Path, built: bool = True) -> paths.Settings:
    """Settings over a writable copy of the corpus folder ``fixture`` in ``tmp_path`` (index and
    notes beside it), its index built unless ``built`` is false."""
    corpus = tmp_path / "corpus"
    shutil.copytree(fixture, corpus)
    settings = paths.resolve(corpus, tmp_path / "index", tmp_path / "notes.md")
    if built:
        open_library(settings).update()
    return settings


async def settle(
    pilot: Pilot,
    timeout: float = TIMEOUT,
    failures: bool = False,
    besides: tuple[str, ...] = (),
) -> None:
    """Let messages, workers and whatever they start in turn run, until nothing is busy.

    A worker cancelled by a newer one of its group is not an error here: its answer is
    dropped by design. A worker that failed is, unless ``failures`` (a test of how failures
    are shown). Workers of the groups ``besides`` are not waited for (a build a test holds)."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:  # idle twice in a row: nothing a message handler started is left
        await pilot.pause()
        busy = [w for w in pilot.app.workers if w.state in _BUSY and w.group not in besides]
        if not busy:
            quiet += 1
            continue
        quiet = 0
        for worker in busy:
            try:
                await worker.wait()
            except WorkerCancelled:
                continue
            except WorkerFailed:
                if not failures:
                    raise
        assert time.monotonic() < deadline, (
            f"the app was still busy after {timeout:.0f} s: "
            + ", ".join(w.description or w.name for w in busy)
        )


async def wait_until(
    pilot: Pilot,
    condition: Callable[[], object],
    what: str,
    timeout: float = TIMEOUT,
    failures: bool = False,
) -> None:
    """Let the app run until ``condition()`` is true; fail saying ``what`` never happened."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"after {timeout:.0f} s, still not: {what}"
        await settle(pilot, timeout, failures)
        if not condition():
            await pilot.pause(0.01)  # a real-time wait for work outside Textual (a thread)


async def pause_until(
    pilot: Pilot,
    condition: Callable[[], object],
    what: str,
    tries: int = 200,
    delay: float | None = None,
) -> None:
    """Give the event loop up to ``tries`` turns (no waiting for workers) until ``condition()``
    is true, each ``delay`` seconds long if given; fail saying ``what`` never happened. For
    states a running worker passes through, which :func:`wait_until` would settle past."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(delay)
    raise AssertionError(f"timed out waiting for {what}")


def notices(seen: list[Message]) -> list[str]:
    """The texts of the notifications among the messages ``seen``."""
    return [str(m.notification.message) for m in seen if isinstance(m, Notify)]


async def still(pilot: Pilot, rounds: int = 1) -> None:
    """Before a snapshot: no blinking cursor, no worker running; ``rounds`` times, for work
    that a finished worker starts in turn."""
    for _ in range(rounds):
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def main_screen(app: App) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def screen_text(app: App) -> str:
    """The screen as plain text, one line per terminal row, read from Textual's public SVG
    screenshot."""
    rows: dict[int, list[str]] = {}
    for line, content in _TEXT.findall(app.export_screenshot()):
        rows.setdefault(int(line), []).append(html.unescape(content).replace("\xa0", " "))
    return "\n".join("".join(rows[n]) for n in sorted(rows))


def palette_offers(app: App, text: str) -> bool:
    """The command palette is open and its highlighted command contains ``text``."""
    screen = app.screen
    if not isinstance(screen, CommandPalette):
        return False
    commands = screen.query_one(CommandList)
    index = commands.highlighted
    return index is not None and text in str(commands.get_option_at_index(index).prompt)
