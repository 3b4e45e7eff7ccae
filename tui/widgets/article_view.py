"""The Reader's text: the open article drawn as one scrolling widget with Textual's line API.

One widget for the whole article, not one per paragraph. Opening an article used to remove the
last article's widgets (header, related line, one per paragraph) and mount new ones, and every
``j`` in the article list paid for it: new widgets are styled, laid out (a layout pass that
moves them all marks the whole pane, and often the screen, for repainting) and painted whole,
in up to five frames per key. Here opening an article swaps the text, sets the scrollable size
once and paints the lines on screen; moving the passage cursor repaints only the lines of the
paragraphs it leaves and enters; the copies-and-similar line repaints its own lines. The
scrollbar is always there: one that came and went with the article's length would make each
article a second layout pass.

The text is drawn in blocks, each wrapped to the width once (a paragraph again only when its
marks change): the header (title, outlet and date, URL, standfirst) over a rule, the line of
copies and similar articles, then the paragraphs, two columns in from the left and one from the
right, a blank line after each. The passage cursor's paragraphs get a thick bar and a lighter
background; a bookmarked paragraph a half bar in green.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection
from itertools import accumulate

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

LEFT = 2  # columns before a paragraph's text: its bar and a space
RIGHT = 1  # after it
HEADER = 2  # blocks before the first paragraph: the header and the related line
_CURRENT_BAR = "█"
_BOOKMARK_BAR = "▌"


class ArticleView(ScrollView, can_focus=False):
    """A message, or an article: a header, a related line and ``count`` paragraphs, each
    paragraph drawn from ``text_of(index)``."""

    DEFAULT_CSS = """
    ArticleView { height: 1fr; overflow-x: hidden; overflow-y: scroll; }
    ArticleView > .article-view--current { background: $boost; }
    ArticleView > .article-view--bar { color: $accent; }
    ArticleView > .article-view--bookmark { color: $success; }
    ArticleView > .article-view--rule { color: $primary; }
    ArticleView > .article-view--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES = {
        "article-view--current",
        "article-view--bar",
        "article-view--bookmark",
        "article-view--rule",
        "article-view--muted",
    }

    class Clicked(Message):
        """A click on paragraph ``paragraph`` (None: between paragraphs, or on the header)."""

        def __init__(self, paragraph: int | None) -> None:
            super().__init__()
            self.paragraph = paragraph

    def __init__(self, text_of: Callable[[int], Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text_of = text_of
        self.count = 0  # paragraphs
        self.message: Text | None = Text("No article open. Pick one in the list (1) or search (/).")
        self.header = Text()
        self.related = Text()
        self.passage: tuple[int, int] | None = None  # first and last paragraph of the cursor
        self.bookmarked: frozenset[int] = frozenset()
        self._width = 0
        self._blocks: list[list[Text]] = []  # each block's lines at ``_width``
        self._tops: list[int] = [0]  # first line of each block; the last entry is the total

    # -- content ----------------------------------------------------------------------------
    def show_message(self, message: Text) -> None:
        """No article: ``message`` in its place."""
        self.message = message
        self.count = 0
        self._remeasure()
        self.scroll_to(y=0, animate=False)

    def show_article(self, header: Text, count: int, bookmarked: Collection[int] = ()) -> None:
        """A new article of ``count`` paragraphs under ``header`` (no passage cursor until
        one is set; the related line empty until :meth:`set_related`)."""
        self.message = None
        self.header = header
        self.related = Text()
        self.count = count
        self.passage = None
        self.bookmarked = frozenset(bookmarked)
        self._remeasure()
        self.scroll_to(y=0, animate=False)

    def set_related(self, text: Text) -> None:
        """The line of copies and similar articles under the header."""
        self.related = text
        if self.message is None and len(self._blocks) > 1:
            old = len(self._blocks[1])
            self._blocks[1] = self._related_lines()
            if len(self._blocks[1]) == old:
                self._refresh_block(1)
            else:
                self._retop()

    @property
    def measured(self) -> bool:
        """The text is laid out at the current width (False before the first layout)."""
        return self._width > 0

    def restyle(self, paragraphs: Collection[int]) -> None:
        """The marks of ``paragraphs`` changed (hits, a sentence, an entity): draw them again.
        The text is the same, so their heights are too."""
        for index in paragraphs:
            block = HEADER + index
            if self.message is None and 0 <= index < self.count and block < len(self._blocks):
                self._blocks[block] = self._paragraph_lines(index)
                self._refresh_block(block)

    def restyle_all(self) -> None:
        self.restyle(range(self.count))

    def set_passage(self, passage: tuple[int, int] | None) -> None:
        """Put the passage cursor on paragraphs ``first..last``."""
        old, self.passage = self.passage, passage
        for span in (old, passage):
            if span is not None:
                for index in range(span[0], min(span[1], self.count - 1) + 1):
                    self._refresh_block(HEADER + index)

    def set_bookmarked(self, paragraphs: Collection[int]) -> None:
        changed = self.bookmarked.symmetric_difference(paragraphs)
        self.bookmarked = frozenset(paragraphs)
        for index in changed:
            self._refresh_block(HEADER + index)

    # -- geometry ---------------------------------------------------------------------------
    def _wrap(self, text: Text, width: int) -> list[Text]:
        lines = list(text.wrap(self.app.console, max(1, width), overflow="fold"))
        return lines or [Text()]

    def _paragraph_lines(self, index: int) -> list[Text]:
        return self._wrap(self._text_of(index), self._width - LEFT - RIGHT)

    def _related_lines(self) -> list[Text]:
        # One line even while empty, so that the text below does not move when it comes.
        return self._wrap(self.related, self._width - 2)

    def _header_lines(self) -> list[Text]:
        lines = self._wrap(self.header, self._width - 2)
        rule = self.get_component_rich_style("article-view--rule")
        lines.append(Text("─" * self._width, Style(color=rule.color)))
        return lines

    def _remeasure(self) -> None:
        """Wrap every block at the current width and set the scrollable size."""
        width = self.scrollable_content_region.width
        self._width = width
        if not width:  # not laid out yet: on_resize measures at the real width
            self._blocks, self._tops = [], [0]
            return
        if self.message is not None:  # one line of space above it, two columns on each side
            self._blocks = [[Text(), *self._wrap(self.message, width - 4)]]
        else:
            self._blocks = [
                self._header_lines(),
                self._related_lines(),
                *(self._paragraph_lines(i) for i in range(self.count)),
            ]
        self._retop()

    def _retop(self) -> None:
        # A blank line after each block (before the message's: its top padding).
        heights = [len(lines) + 1 for lines in self._blocks]
        self._tops = [0, *accumulate(heights)]
        size = Size(self._width, self._tops[-1])
        if size != self.virtual_size:
            # Only what scrolls changes size, not this widget: no layout pass of the screen
            # (assigning virtual_size asks for one), just the scrollbar, which is always there.
            self.set_reactive(ArticleView.virtual_size, size)
            bar = self.vertical_scrollbar
            bar.window_virtual_size = size.height
            bar.window_size = self.scrollable_content_region.height
            self.scroll_y = self.validate_scroll_y(self.scroll_y)
        self.refresh()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._remeasure()

    def paragraph_span(self, index: int) -> tuple[int, int]:
        """First line (in the scrollable text) and number of lines of paragraph ``index``."""
        block = HEADER + index
        if self.message is not None or not 0 <= index < self.count or block >= len(self._blocks):
            return 0, 0
        return self._tops[block], len(self._blocks[block])

    def scroll_to_paragraph(self, index: int) -> None:
        """Scroll as little as shows paragraph ``index`` (and the blank line after it)."""
        top, height = self.paragraph_span(index)
        if height:
            self.scroll_to_region(Region(0, top, 1, height + 1), animate=False, immediate=True)

    def line_of(self, index: int, offset: int) -> int:
        """The line of paragraph ``index`` (counted from its first) that shows character
        ``offset`` of its text."""
        _top, height = self.paragraph_span(index)
        seen = 0
        for number, line in enumerate(self._blocks[HEADER + index] if height else []):
            seen += len(line.plain)
            if seen > offset:
                return number
        return max(0, height - 1)

    def shown_text(self, index: int) -> str:
        """Paragraph ``index`` as drawn: its wrapped lines, joined by newlines."""
        _top, height = self.paragraph_span(index)
        lines = self._blocks[HEADER + index] if height else []
        return "\n".join(line.plain.rstrip() for line in lines)

    def paragraph_at(self, line: int) -> int | None:
        """The paragraph drawn on ``line`` of the scrollable text (its blank line counts)."""
        if self.message is not None or not 0 <= line < self._tops[-1]:
            return None
        index = bisect_right(self._tops, line) - 1 - HEADER
        return index if 0 <= index < self.count else None

    def _refresh_block(self, block: int) -> None:
        if 0 <= block < len(self._blocks):
            self.refresh_lines(self._tops[block], len(self._blocks[block]))

    # -- drawing ----------------------------------------------------------------------------
    def _indent(self, block: int, number: int) -> int:
        """Columns before line ``number`` of ``block`` (drawn, not part of the text)."""
        if self.message is not None:
            return 2
        if block >= HEADER:
            return LEFT
        if block == 0 and number == len(self._blocks[0]) - 1:
            return 0  # the rule under the header
        return 1

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = y + self.scroll_offset.y
        if width != self._width or not 0 <= line < self._tops[-1]:
            return Strip.blank(width, base)
        block = bisect_right(self._tops, line) - 1
        lines = self._blocks[block]
        number = line - self._tops[block]
        if number >= len(lines):  # the blank line after the block
            return Strip.blank(width, base)
        indent = Text(" " * self._indent(block, number), end="")
        if self.message is not None or block == 1:
            base += Style(color=self.get_component_rich_style("article-view--muted").color)
        elif block >= HEADER:
            index = block - HEADER
            current = self.passage is not None and self.passage[0] <= index <= self.passage[1]
            if current:
                base += self.get_component_rich_style("article-view--current")
            bar, part = " ", ""
            if index in self.bookmarked:
                bar, part = (_CURRENT_BAR if current else _BOOKMARK_BAR), "bookmark"
            elif current:
                bar, part = _CURRENT_BAR, "bar"
            ink = self.get_component_rich_style(f"article-view--{part}") if part else None
            indent = Text(end="")
            indent.append(bar, Style(color=ink.color) if ink else None)
            indent.append(" " * (LEFT - 1))
        text = lines[number].copy()
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(line)) is not None:
            start, end = span
            selected = self.screen.get_component_rich_style("screen--selection")
            text.stylize(selected, start, len(text) if end == -1 else end)
        text.truncate(max(0, width - indent.cell_len), overflow="ellipsis", pad=True)
        console = self.app.console
        # The text's cells carry their place in it, for selecting with the mouse (the margin
        # is not part of the text: its cells count as the line's start).
        strip = Strip.join(
            [
                Strip(list(indent.render(console))).apply_offsets(0, line),
                Strip(list(text.render(console))).apply_offsets(0, line),
            ]
        )
        return Strip(Segment.apply_style(list(strip), base), width)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text (the article's wrapped lines, without the margins)."""
        lines: list[str] = []
        for block_lines in self._blocks:
            lines.extend(line.plain for line in block_lines)
            lines.append("")  # the blank line after it
        return selection.extract("\n".join(lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        self.post_message(self.Clicked(self.paragraph_at(event.y + self.scroll_offset.y)))
