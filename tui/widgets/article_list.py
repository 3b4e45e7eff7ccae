"""The article list: a virtual list that renders only the rows on screen.

Built on Textual's line API (``render_line``), so 20,000 articles cost nothing until they are
scrolled into view. Each row is date, outlet and title; in search mode a second line shows the
snippet, with the matched characters highlighted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from index.models import ArticleInfo
from tui.messages import ArticleHighlighted, OpenArticle
from tui.text import Span, marked, plain
from tui.widgets.typeahead import HoldsKeysAfterEnter

SORTS = ("date", "outlet", "title", "relevance")
_FAR = date.max


@dataclass(frozen=True, slots=True)
class Row:
    info: ArticleInfo
    title_spans: tuple[Span, ...] = ()
    snippet: str = ""
    snippet_spans: tuple[Span, ...] = ()
    rank: int = 0
    paragraph: int | None = None
    terms: tuple[str, ...] = ()


def _sort_key(sort: str) -> Callable[[Row], Any]:
    if sort == "outlet":
        return lambda r: ((r.info.outlet or "~").lower(), r.info.published or _FAR)
    if sort == "title":
        return lambda r: r.info.title.lower()
    if sort == "relevance":
        return lambda r: r.rank
    return lambda r: (r.info.published is None, r.info.published or _FAR, r.info.title.lower())


class ArticleList(HoldsKeysAfterEnter, ScrollView, can_focus=True):
    """Articles, one or two lines each. Moving the cursor posts :class:`ArticleHighlighted`."""

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "open", "Read"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("f", "toggle_fold", "Fold copies"),
    ]
    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--date",
        "article-list--outlet",
        "article-list--match",
        "article-list--snippet",
        "article-list--copies",
    }
    DEFAULT_CSS = """
    ArticleList { background: $surface; overflow-x: hidden; }
    ArticleList > .article-list--cursor { background: $accent 30%; }
    ArticleList:focus > .article-list--cursor { background: $accent 60%; text-style: bold; }
    ArticleList > .article-list--date { color: $text-muted; }
    ArticleList > .article-list--outlet { color: $secondary; }
    ArticleList > .article-list--match { color: $warning; text-style: bold underline; }
    ArticleList > .article-list--snippet { color: $text-muted; }
    ArticleList > .article-list--copies { color: $warning; text-style: bold; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    sort: reactive[str] = reactive("date", init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._all: list[Row] = []
        self.rows: list[Row] = []
        self.show_snippets = False
        # Copy groups (index.compare.similar.copy_groups): an article with copies is marked "×N";
        # folded, each group shows as its first row in the current order.
        self.copies: dict[str, tuple[str, ...]] = {}
        self.folded = True

    # -- data -------------------------------------------------------------------------------
    def set_rows(self, rows: list[Row], snippets: bool = False, keep: str | None = None) -> None:
        """Replace the rows (keeping the cursor on article ``keep`` if it is still there)."""
        self._all = rows
        self.show_snippets = snippets
        if not snippets and self.sort == "relevance":
            self.sort = "date"
        self._resort(keep)

    def _resort(self, keep: str | None = None) -> None:
        keep = keep or (self.current.info.id if self.current else None)
        self.rows = sorted(self._all, key=_sort_key(self.sort))
        if self.folded and self.copies:
            shown: set[str] = set()
            kept = []
            for row in self.rows:
                group = self.copies.get(row.info.id)
                if group and group[0] in shown:
                    continue
                if group:
                    shown.add(group[0])
                kept.append(row)
            self.rows = kept
        self.virtual_size = Size(self.size.width, len(self.rows) * self.row_height)
        index = next((i for i, r in enumerate(self.rows) if r.info.id == keep), 0)
        self.cursor = index if self.rows else 0
        self.refresh()

    @property
    def row_height(self) -> int:
        return 2 if self.show_snippets else 1

    @property
    def current(self) -> Row | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def set_copies(self, groups: dict[str, tuple[str, ...]]) -> None:
        """Mark (and fold, if folding is on) the articles that have copies."""
        self.copies = groups
        self._resort()

    def action_toggle_fold(self) -> None:
        self.folded = not self.folded
        self._resort()
        self.notify("Copies folded into one row" if self.folded else "Copies unfolded", timeout=1.5)

    def watch_sort(self) -> None:
        self._resort()

    def watch_cursor(self, value: int) -> None:
        if not self.rows:
            return
        clamped = max(0, min(value, len(self.rows) - 1))
        if clamped != value:
            self.cursor = clamped
            return
        top = self.scroll_offset.y
        y = clamped * self.row_height
        visible = max(1, self.scrollable_content_region.height)
        if y < top:
            self.scroll_to(y=y, animate=False)
        elif y + self.row_height > top + visible:
            self.scroll_to(y=y + self.row_height - visible, animate=False)
        self.refresh()
        self.post_message(ArticleHighlighted(self.rows[clamped].info.id))

    def select(self, article_id: str) -> None:
        """Move the cursor onto ``article_id`` if it is listed (it posts ArticleHighlighted)."""
        index = next((i for i, r in enumerate(self.rows) if r.info.id == article_id), None)
        if index is not None and index != self.cursor:
            self.cursor = index

    # -- actions ----------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        self.cursor = self.cursor + delta

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height // self.row_height - 1)
        self.cursor = self.cursor + direction * page

    def action_open(self) -> None:
        if self.current:
            row = self.current
            self.post_message(OpenArticle(row.info.id, paragraph=row.paragraph))
        else:  # nothing opens: the keys typed after Enter are this list's after all
            for key in self.take_typeahead():
                self.app.post_message(key)

    def action_cycle_sort(self) -> None:
        choices = SORTS if self.show_snippets else SORTS[:3]
        position = choices.index(self.sort) if self.sort in choices else -1
        self.sort = choices[(position + 1) % len(choices)]
        self.notify(f"Sorted by {self.sort}", timeout=1.5)

    def on_click(self, event: events.Click) -> None:
        row = (event.y + self.scroll_offset.y) // self.row_height
        if 0 <= row < len(self.rows):
            self.cursor = row
            if event.chain > 1:
                self.action_open()

    # -- rendering --------------------------------------------------------------------------
    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) * self.row_height)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + self.scroll_offset.y
        index, part = divmod(line, self.row_height)
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        row = self.rows[index]
        base = self.rich_style
        if index == self.cursor:
            base += self.get_component_rich_style("article-list--cursor")
        text = self._snippet_line(row) if part else self._title_line(row, width)
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, base), width)

    def _title_line(self, row: Row, width: int) -> Text:
        info = row.info
        day = info.published.isoformat() if info.published else "undated"
        text = Text(end="")
        text.append(f"{day:<10} ", self.get_component_rich_style("article-list--date"))
        if width >= 40:  # narrower lists give the title all the room
            outlet = plain(info.outlet or "—")
            outlet.truncate(14 if width >= 60 else 10, overflow="ellipsis", pad=True)
            outlet.stylize(self.get_component_rich_style("article-list--outlet"))
            text.append_text(outlet)
            text.append(" ")
        group = self.copies.get(info.id)
        if group:
            text.append(f"×{len(group)} ", self.get_component_rich_style("article-list--copies"))
        match = self.get_component_rich_style("article-list--match")
        text.append_text(marked(info.title, row.title_spans, match))
        return text

    def _snippet_line(self, row: Row) -> Text:
        match = self.get_component_rich_style("article-list--match")
        text = Text("  ", end="")
        snippet = marked(row.snippet, row.snippet_spans, match)
        snippet.stylize(self.get_component_rich_style("article-list--snippet"), 0, len(snippet))
        # matches stay visible over the muted snippet colour
        for start, end in row.snippet_spans:
            if 0 <= start < end <= len(snippet):
                snippet.stylize(match, start, end)
        text.append_text(snippet)
        return text
