"""Reading what a running app shows, through Textual's public SVG screenshot."""

from __future__ import annotations

import html
import re

from textual.app import App

_TEXT = re.compile(r'<text [^>]*clip-path="url\(#[\w-]+-line-(\d+)\)"[^>]*>(.*?)</text>', re.S)


def screen_text(app: App) -> str:
    """The screen as plain text, one line per terminal row."""
    rows: dict[int, list[str]] = {}
    for line, content in _TEXT.findall(app.export_screenshot()):
        rows.setdefault(int(line), []).append(html.unescape(content).replace("\xa0", " "))
    return "\n".join("".join(rows[n]) for n in sorted(rows))
