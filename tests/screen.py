"""Helpers for driving the app in tests: settle it, find its main screen, read its screen."""

from __future__ import annotations

import html
import re

from textual.app import App
from textual.pilot import Pilot

from tui.screens.main import MainScreen

_TEXT = re.compile(r'<text [^>]*clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>(.*?)</text>', re.S)


async def settle(pilot: Pilot) -> None:
    """Let messages, workers and the callbacks they schedule run."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
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
