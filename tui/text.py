"""Building Rich ``Text`` from untrusted corpus text.

Corpus strings are never parsed as markup: they go into ``Text`` objects as plain text (after
control characters are stripped) and styles are applied by offsets. Every widget that shows
corpus text builds it through these functions.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import Style
from rich.text import Text

from index.ingest.textclean import visible

Span = tuple[int, int]


def plain(text: str | None, style: str | Style = "") -> Text:
    """Untrusted text as a ``Text`` with no markup and no control characters."""
    return Text(visible(text), style=style, end="")


def marked(text: str | None, spans: Iterable[Span], style: str | Style, base: str = "") -> Text:
    """Untrusted text with ``style`` over each (start, end) span.

    Spans refer to the text before control characters were stripped; corpus text is cleaned at
    ingest, so in practice the offsets are the same. Spans outside the text are ignored.
    """
    result = plain(text, base)
    length = len(result)
    for start, end in spans:
        if 0 <= start < end <= length:
            result.stylize(style, start, end)
    return result
