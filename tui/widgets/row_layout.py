"""How one article is laid out in the article list: the title wrapped to the width, then the
outlet and date at the right of its last line (or on a line of their own when they do not fit).

Pure functions on strings, so the list can measure 20,000 rows without drawing them.
"""

from __future__ import annotations

from dataclasses import dataclass

GUTTER = 3  # star, read mark, space
MAX_TITLE_LINES = 3  # a longer title ends with an ellipsis on its third line


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the title breaks (character offsets), and whether the outlet and date share its
    last line. ``height`` is the number of title and meta lines (the snippet adds one)."""

    breaks: tuple[tuple[int, int], ...]
    meta_inline: bool
    truncated: bool
    height: int


def wrap(
    text: str, width: int, max_lines: int = MAX_TITLE_LINES
) -> tuple[list[tuple[int, int]], bool]:
    """Greedy word wrap: (start, end) offsets of each line, and whether text was left over.

    Breaks at spaces; a word longer than the line is cut. Spaces at a break are dropped.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    start, size = 0, len(text)
    while start < size and len(lines) < max_lines:
        if size - start <= width:
            lines.append((start, size))
            start = size
            break
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:
            cut = start + width  # one word longer than the line
        lines.append((start, cut))
        start = cut
        while start < size and text[start] == " ":
            start += 1
    return lines or [(0, 0)], start < size


def meta_text(outlet: str | None, day: str, width: int) -> str:
    """Outlet (abbreviated on narrow lists) and date, as shown at the end of a row."""
    room = 16 if width >= 60 else 10
    name = (outlet or "—").strip()
    if len(name) > room:
        name = name[: room - 1].rstrip() + "…"
    return f"{name} · {day}"


def layout(title: str, meta: str, width: int) -> Layout:
    """The layout of a row whose title text (copies marker included) is ``title``."""
    room = max(1, width - GUTTER)
    if len(title) + 2 + len(meta) <= room:  # the common case on a wide list: one line
        return Layout(((0, len(title)),), True, False, 1)
    breaks, truncated = wrap(title, room)
    if truncated:  # the last line runs on to the end and is cut with an ellipsis when drawn
        breaks[-1] = (breaks[-1][0], len(title))
    start, end = breaks[-1]
    inline = not truncated and (end - start) + 2 + len(meta) <= room
    return Layout(tuple(breaks), inline, truncated, len(breaks) + (0 if inline else 1))
