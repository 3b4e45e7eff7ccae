"""The article list: a virtual list that renders only the rows on screen.

Built on Textual's line API (``render_line``), so 20,000 articles cost nothing until they are
scrolled into view. Each row is the title, wrapped to the list's width, with the outlet and date at
the right of its last line (see :mod:`tui.widgets.row_layout`); a star and a read mark in the
gutter; in search mode one more line shows the snippet, with the matched characters highlighted.
Rows differ in height: ``_tops`` holds where each one starts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from itertools import accumulate
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from index.models import ArticleInfo
from tui.heap import bulk_read
from tui.keymap import KeyIds
from tui.messages import ArticleHighlighted, OpenArticle, SnippetsWanted
from tui.text import Span, marked, plain
from tui.widgets.row_layout import GUTTER, Layout, layout, meta_text
from tui.widgets.typeahead import HoldsKeysAfterEnter

SORTS = ("date", "outlet", "title", "relevance")
# How each sort reads in the pane's title, ascending then descending.
SORT_LABELS = {
    "date": ("oldest first", "newest first"),
    "outlet": ("outlet A→Z", "outlet Z→A"),
    "title": ("title A→Z", "title Z→A"),
    "relevance": ("best first", "best last"),
}
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
    cut: bool = True  # False: the snippet is not cut yet (asked for once the row is shown)


def _shown(text: str | None) -> str:
    """``text`` as :func:`tui.text.plain` shows it (the check is fast: 20,000 rows are measured
    at once, and corpus text is cleaned at ingest)."""
    if not text:
        return ""
    return text if text.isprintable() else plain(text).plain


def _sort_key(sort: str) -> Callable[[Row], Any]:
    if sort == "outlet":
        return lambda r: ((r.info.outlet or "~").lower(), r.info.published or _FAR)
    if sort == "title":
        return lambda r: r.info.title.lower()
    if sort == "relevance":
        return lambda r: r.rank
    return lambda r: (r.info.published is None, r.info.published or _FAR, r.info.title.lower())


# Above this many rows the list is sorted and measured in a worker: at 100,000 articles that is
# a second of work, which on the UI thread stops every key and every redraw until it is done.
# The rows shown before stay (and take keys) until the new order is ready.
BACKGROUND_ROWS = 3000

Copies = dict[str, tuple[str, ...]]
Layouts = dict[tuple[str, int], Layout]


def _ordered(rows: list[Row], sort: str, descending: bool, copies: Copies | None) -> list[Row]:
    """``rows`` in the list's order; with ``copies``, each copy group as its first row."""
    ordered = sorted(rows, key=_sort_key(sort), reverse=descending)
    if descending and sort == "date":  # undated articles stay at the end
        ordered.sort(key=lambda r: r.info.published is None)
    if not copies:
        return ordered
    shown: set[str] = set()
    kept = []
    for row in ordered:
        group = copies.get(row.info.id)
        if group and group[0] in shown:
            continue
        if group:
            shown.add(group[0])
        kept.append(row)
    return kept


def _row_layout(row: Row, width: int, copies: Copies) -> Layout:
    """How ``row`` is laid out at ``width`` (pure: the measuring worker calls it too)."""
    group = copies.get(row.info.id)
    prefix = f"×{len(group)} " if group else ""
    info = row.info
    day = info.published.isoformat() if info.published else "undated"
    meta = meta_text(_shown(info.outlet) or None, day, width)
    return layout(prefix + _shown(info.title), meta, width)


def _heights(
    rows: list[Row], width: int, copies: Copies, extra: int, known: Layouts, new: Layouts
) -> list[int]:
    """Each row's height at ``width``: layouts looked up in ``known``, the others made and put
    in ``new`` (the same dict as ``known`` on the UI thread; the worker's own in a worker)."""
    heights = []
    for row in rows:  # 100,000 rows: the cached layouts are looked up inline
        group = copies.get(row.info.id)
        key = (row.info.id, len(group) if group else 0)
        found = known.get(key) or new.get(key)
        if found is None:
            found = new[key] = _row_layout(row, width, copies)
        heights.append(found.height + extra)
    return heights


class ArticleList(KeyIds, HoldsKeysAfterEnter, ScrollView, can_focus=True):
    """Articles, one or two lines each. Moving the cursor posts :class:`ArticleHighlighted`."""

    HOLD_AFTER_ACTIONS = frozenset({"focus_search"})  # "/" (the keymap's key for it)

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Down", show=False),
        Binding("k,up", "cursor(-1)", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "open", "Read"),
        Binding("s", "cycle_sort", "Sort"),
        Binding("S", "reverse_sort", "Reverse sort"),
        Binding("asterisk", "star", "Star"),
        Binding("f", "toggle_fold", "Fold copies"),
    ]
    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--date",
        "article-list--outlet",
        "article-list--match",
        "article-list--snippet",
        "article-list--copies",
        "article-list--star",
        "article-list--read",
    }
    # The scrollbar is kept even when the list fits: otherwise the width changes when the rows
    # arrive and make it appear, and 20,000 titles are wrapped a second time; and a search whose
    # results fit would lay out the screen again, in a frame of its own.
    DEFAULT_CSS = """
    ArticleList { background: $surface; overflow-x: hidden; overflow-y: scroll; }
    ArticleList > .article-list--cursor { background: $accent 30%; }
    ArticleList:focus > .article-list--cursor { background: $accent 60%; text-style: bold; }
    ArticleList > .article-list--date { color: $text-muted; }
    ArticleList > .article-list--outlet { color: $secondary; }
    ArticleList > .article-list--match { color: $warning; text-style: bold underline; }
    ArticleList > .article-list--snippet { color: $text-muted; }
    ArticleList > .article-list--copies { color: $warning; text-style: bold; }
    ArticleList > .article-list--star { color: $warning; text-style: bold; }
    ArticleList > .article-list--read { color: $success; }
    """

    @dataclass
    class SortChanged(Message):
        """The sort or its direction changed (the pane's title shows it)."""

        sort: str
        descending: bool

        @property
        def label(self) -> str:
            return SORT_LABELS[self.sort][self.descending]

    class Settled(Message):
        """Every row is in and in its order (after the first page, or a resort in a worker)."""

    @dataclass
    class StarRequested(Message):
        """``*`` on a row: star the article, or unstar it."""

        article_id: str

    # repaint=False: watch_cursor repaints the two rows that change (or the list, if it scrolls)
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    sort: reactive[str] = reactive("date", init=False)
    descending: reactive[bool] = reactive(False, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._all: list[Row] = []
        self.rows: list[Row] = []
        self.show_snippets = False
        # Copy groups (index.compare.similar.copy_groups): an article with copies is marked "×N";
        # folded, each group shows as its first row in the current order.
        self.copies: dict[str, tuple[str, ...]] = {}
        self.folded = True
        # Search rows drawn before their snippet was cut: asked for together, once per row.
        self._wanted: dict[str, None] = {}
        self._asked: set[str] = set()
        # Shared with the screen, which keeps them in the data folder.
        self.starred: set[str] = set()
        self.read: set[str] = set()
        self._tops: list[int] = [0]  # first line of each row; the last entry is the total
        self._layouts: dict[tuple[str, int], Layout] = {}
        self._layout_width = 0
        self._browse_sort = ("date", False)  # the sort to go back to when a search ends
        self._drawn: tuple[tuple[object, ...], list[Text]] | None = None
        self._painted_cursor = 0  # the row drawn with the cursor (repainted when it moves)
        # False while only the first page of the catalogue is in; and a resort running in a
        # worker (BACKGROUND_ROWS) is numbered: only the latest is shown.
        self.complete = True
        self._ordering = 0
        self._ordered = 0
        self._keep: str | None = None  # the article to keep the cursor on when it is shown
        self._keep_from: str | None = None  # the cursor's article when the resort was asked
        self._last_wanted = False  # G pressed before the rows were all in: the end, then
        self._measured_width = 0  # the width _tops was measured at (0: not measured yet)

    @property
    def settled(self) -> bool:
        """Whether every row is in and in its order (no first page, no resort running)."""
        return self.complete and self._ordered == self._ordering

    # -- data -------------------------------------------------------------------------------
    def set_rows(
        self,
        rows: list[Row],
        snippets: bool = False,
        keep: str | None = None,
        complete: bool = True,
    ) -> None:
        """Replace the rows (keeping the cursor on article ``keep`` if it is still there).
        ``complete=False``: these are the first rows only (at start-up), the rest is coming."""
        self._all = rows
        self.complete = complete
        entering = snippets and not self.show_snippets
        self.show_snippets = snippets
        self._wanted.clear()
        self._asked.clear()
        if entering:  # a new search: best first; the list's own sort comes back after it
            self._browse_sort = (self.sort, self.descending)
            self.set_sort("relevance", False)
        elif not snippets and self.sort == "relevance":
            self.set_sort(*self._browse_sort)
        self._resort(keep)

    def set_snippets(self, cut: dict[str, tuple[str, tuple[Span, ...], int | None]]) -> None:
        """Put in the snippets cut since the rows were set: article id -> (snippet, its
        match spans, the paragraph it is from)."""

        def filled(row: Row) -> Row:
            if row.cut or row.info.id not in cut:
                return row
            snippet, spans, paragraph = cut[row.info.id]
            return replace(row, snippet=snippet, snippet_spans=spans, paragraph=paragraph, cut=True)

        self._all = [filled(r) for r in self._all]
        self.rows = [filled(r) for r in self.rows]
        self.refresh()

    def _ask_snippets(self) -> None:
        wanted = tuple(self._wanted)
        self._wanted.clear()
        if wanted:
            self.post_message(SnippetsWanted(wanted))

    def _resort(self, keep: str | None = None) -> None:
        keep = keep or (self.current.info.id if self.current else None)
        self._ordering += 1
        width = self.scrollable_content_region.width
        if len(self._all) > BACKGROUND_ROWS and width:
            self._keep, self._keep_from = keep, self.current.info.id if self.current else None
            extra = 1 if self.show_snippets else 0
            sort = (self.sort, self.descending, self.folded)
            known = self._layouts if width == self._layout_width else {}
            self._order_rows(self._ordering, self._all, sort, self.copies, width, extra, known)
            return
        self._ordered = self._ordering
        self.rows = _ordered(
            self._all, self.sort, self.descending, self.copies if self.folded else None
        )
        self._measure()
        self._place_cursor(keep)

    def _place_cursor(self, keep: str | None) -> None:
        if self.settled:
            self.post_message(self.Settled())
        if self._last_wanted and self.settled:
            self._last_wanted = False
            self.cursor = len(self.rows) - 1 if self.rows else 0
        else:
            index = next((i for i, r in enumerate(self.rows) if r.info.id == keep), None)
            if index is None and keep in self.copies:  # folded: onto its group's row
                group = set(self.copies[keep])
                index = next((i for i, r in enumerate(self.rows) if r.info.id in group), None)
            self.cursor = index if index is not None and self.rows else 0
        self.refresh()

    # The description is given: without it Textual writes one from the arguments' repr (all
    # the rows: 0.15 s at 20,000).
    @work(
        thread=True,
        exclusive=True,
        group="article-order",
        exit_on_error=False,
        description="Sorting the article list",
    )
    def _order_rows(
        self,
        number: int,
        rows: list[Row],
        sort: tuple[str, bool, bool],
        copies: Copies,
        width: int,
        extra: int,
        known: Layouts,
    ) -> None:
        """Sort and measure the rows off the UI thread; shown if no newer resort was asked."""
        by, descending, folded = sort
        with bulk_read():  # the rows' layouts stay (tui/heap.py)
            ordered = _ordered(rows, by, descending, copies if folded else None)
            if get_current_worker().is_cancelled:
                return  # a newer order was asked for: not measured for nothing
            new: Layouts = {}
            # the list's own layouts are only read here (the UI thread adds to them meanwhile)
            heights = _heights(ordered, width, copies, extra, known, new)
            tops = [0, *accumulate(heights)]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_order, number, ordered, tops, new, width)

    def _show_order(
        self, number: int, rows: list[Row], tops: list[int], new: Layouts, width: int
    ) -> None:
        if number != self._ordering:
            return  # a newer resort is on its way
        if width != self.scrollable_content_region.width:
            self._resort(self._keep)  # resized meanwhile: measured again at the new width
            return
        moved = (self.current.info.id if self.current else None) != self._keep_from
        keep = self.current.info.id if moved and self.current else self._keep
        if width != self._layout_width:
            self._layouts.clear()
            self._layout_width = width
        if len(new) > len(self._layouts):  # the first whole list: the few drawn go into it
            new.update(self._layouts)
            self._layouts = new
        else:
            self._layouts.update(new)
        self.rows, self._tops = rows, tops
        self._measured_width = width
        self.virtual_size = Size(width, tops[-1])
        self._ordered = number
        self._place_cursor(keep)

    # -- row geometry ------------------------------------------------------------------------
    def _layout(self, row: Row, width: int) -> Layout:
        if width != self._layout_width:
            self._layouts.clear()
            self._layout_width = width
        key = (row.info.id, len(self.copies.get(row.info.id, ())))
        found = self._layouts.get(key)
        if found is None:
            found = self._layouts[key] = _row_layout(row, width, self.copies)
        return found

    def _measure(self) -> None:
        """Where each row starts at the current width (titles wrap, so heights differ)."""
        width = self.scrollable_content_region.width
        if not width:  # not laid out yet: on_resize measures at the real width, once
            self._tops = list(range(len(self.rows) + 1))
            self._measured_width = 0
            self.virtual_size = Size(0, len(self.rows))
            return
        if width != self._layout_width:
            self._layouts.clear()
            self._layout_width = width
        extra = 1 if self.show_snippets else 0
        heights = _heights(self.rows, width, self.copies, extra, self._layouts, self._layouts)
        self._tops = [0, *accumulate(heights)]
        self._measured_width = width
        self.virtual_size = Size(width, self._tops[-1])

    def row_span(self, index: int) -> tuple[int, int]:
        """First line and height of row ``index`` in the list's virtual space."""
        return self._tops[index], self._tops[index + 1] - self._tops[index]

    def _row_at(self, line: int) -> int:
        return bisect_right(self._tops, line) - 1

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
        self.post_message(self.SortChanged(self.sort, self.descending))

    def watch_descending(self) -> None:
        self._resort()
        self.post_message(self.SortChanged(self.sort, self.descending))

    def set_sort(self, sort: str, descending: bool) -> None:
        """Sort by ``sort`` in the given direction (one re-sort, one message)."""
        if sort not in SORTS:
            return
        turned = descending != self.descending
        self.set_reactive(ArticleList.descending, descending)
        if sort == self.sort:
            if turned:  # the same order is not sorted again (100,000 rows: a second's work)
                self._resort()
            self.post_message(self.SortChanged(self.sort, self.descending))
        else:
            self.sort = sort

    def mark_read(self, article_id: str) -> None:
        """Show ``article_id`` as read (the screen keeps the set)."""
        if article_id not in self.read:
            self.read.add(article_id)
            self.refresh()

    def watch_cursor(self, value: int) -> None:
        if not self.rows:
            return
        clamped = max(0, min(value, len(self.rows) - 1))
        if clamped != value:
            self.cursor = clamped
            return
        # Straight to the screen, first: it opens the article before it paints again, so the
        # moved cursor and the article under it are drawn in one frame. Bubbling up through
        # the panes, the message came after the screen had painted the cursor alone, and the
        # article waited for a second frame (Textual's frames are 17 to 33 ms apart).
        self.screen.post_message(ArticleHighlighted(self.rows[clamped].info.id))
        top = self.scroll_offset.y
        y, height = self.row_span(clamped)
        visible = max(1, self.scrollable_content_region.height)
        if y < top:
            self.scroll_to(y=y, animate=False)  # a scroll repaints the whole list
        elif y + height > top + visible:
            self.scroll_to(y=min(y, y + height - visible), animate=False)
        # Otherwise only the row the cursor left and the row it is on change.
        self._refresh_row(self._painted_cursor)
        self._refresh_row(clamped)
        self._painted_cursor = clamped

    def _refresh_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            y, height = self.row_span(index)
            self.refresh_lines(y, height)

    def select(self, article_id: str) -> None:
        """Move the cursor onto ``article_id`` if it is listed (it posts ArticleHighlighted);
        if it may be in the rows still coming, onto it when they are in."""
        index = next((i for i, r in enumerate(self.rows) if r.info.id == article_id), None)
        if index is None and not self.settled:
            self._keep = article_id
        if index is not None and index != self.cursor:
            self.cursor = index

    # -- actions ----------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        self.cursor = self.cursor + delta

    def action_first(self) -> None:
        self._last_wanted = False
        self.cursor = 0

    def action_last(self) -> None:
        # Before every row is in, the end of the first page is not the end: G goes there
        # when the rest is in (and to the end of what is shown meanwhile).
        self._last_wanted = not self.settled
        self.cursor = len(self.rows) - 1

    def action_page(self, direction: int) -> None:
        if not self.rows:
            return
        visible = max(1, self.scrollable_content_region.height)
        y, _height = self.row_span(self.cursor)
        target = self._row_at(max(0, y + direction * visible))
        if target == self.cursor:
            target += direction
        self.cursor = max(0, min(target, len(self.rows) - 1))

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

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending

    def action_star(self) -> None:
        if self.current:
            self.post_message(self.StarRequested(self.current.info.id))

    def on_click(self, event: events.Click) -> None:
        line = event.y + self.scroll_offset.y
        row = self._row_at(line) if line < self._tops[-1] else -1
        if 0 <= row < len(self.rows):
            self.cursor = row
            if event.chain > 1:
                self.action_open()

    # -- rendering --------------------------------------------------------------------------
    def on_resize(self) -> None:
        if self.scrollable_content_region.width == self._measured_width:
            return  # only the height changed (a bar came or went): the rows' heights stand
        if len(self.rows) > BACKGROUND_ROWS:
            self._resort()  # measured at the new width in the worker (see BACKGROUND_ROWS)
        else:
            self._measure()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + self.scroll_offset.y
        if line >= self._tops[-1] or not self.rows:
            return Strip.blank(width, self.rich_style)
        index = self._row_at(line)
        row = self.rows[index]
        base = self.rich_style
        if index == self.cursor:
            base += self.get_component_rich_style("article-list--cursor")
        if self.show_snippets and not row.cut and row.info.id not in self._asked:
            # the snippet is cut off the UI thread; the row is drawn again when it comes
            self._asked.add(row.info.id)
            if not self._wanted:
                self.call_later(self._ask_snippets)
            self._wanted[row.info.id] = None
        key = (row, width, row.info.id in self.starred, row.info.id in self.read)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = (key, self._row_lines(row, width))  # the next lines are the same row's
        lines = self._drawn[1]
        text = lines[min(line - self._tops[index], len(lines) - 1)]
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        return Strip(Segment.apply_style(segments, base), width)

    def _ink(self, part: str) -> Style:
        """A part's colour and text style, without its background: the cursor's shows through."""
        style = self.get_component_rich_style(f"article-list--{part}")
        return Style(
            color=style.color, bold=style.bold, italic=style.italic, underline=style.underline
        )

    def _prefix(self, row: Row) -> str:
        group = self.copies.get(row.info.id)
        return f"×{len(group)} " if group else ""

    def _meta(self, row: Row, width: int) -> str:
        info = row.info
        day = info.published.isoformat() if info.published else "undated"
        return meta_text(_shown(info.outlet) or None, day, width)

    def _row_lines(self, row: Row, width: int) -> list[Text]:
        """Every line of one row: the wrapped title, the outlet and date, the snippet."""
        info = row.info
        shape = self._layout(row, width)
        prefix = self._prefix(row)
        title = Text(end="")
        title.append(prefix, self._ink("copies"))
        match = self._ink("match")
        spans = [(s + len(prefix), e + len(prefix)) for s, e in row.title_spans]
        title.append_text(marked(info.title, (), match))
        for start, end in spans:
            if 0 <= start < end <= len(title):
                title.stylize(match, start, end)
        gutter = Text(end="")
        star = info.id in self.starred
        gutter.append("*" if star else " ", self._ink("star"))
        was_read = info.id in self.read
        gutter.append("✓" if was_read else " ", self._ink("read"))
        gutter.append(" " * (GUTTER - 2))
        lines = []
        for number, (start, end) in enumerate(shape.breaks):
            text = gutter.copy() if number == 0 else Text(" " * GUTTER, end="")
            part = title[start:end]
            if shape.truncated and number == len(shape.breaks) - 1:
                part.truncate(max(1, width - GUTTER), overflow="ellipsis")
            text.append_text(part)
            lines.append(text)
        meta = Text(self._meta(row, width), self._ink("date"))
        outlet_end = meta.plain.rfind(" · ")
        meta.stylize(self._ink("outlet"), 0, max(0, outlet_end))
        if shape.meta_inline:
            last = lines[-1]
            last.pad_right(max(1, width - last.cell_len - meta.cell_len))
            last.append_text(meta)
        else:
            lines.append(Text(" " * max(GUTTER, width - meta.cell_len), end="") + meta)
        if self.show_snippets:
            lines.append(self._snippet_line(row))
        return lines

    def _snippet_line(self, row: Row) -> Text:
        match = self._ink("match")
        text = Text(" " * GUTTER, end="")
        snippet = marked(row.snippet, row.snippet_spans, match)
        snippet.stylize(self._ink("snippet"), 0, len(snippet))
        # matches stay visible over the muted snippet colour
        for start, end in row.snippet_spans:
            if 0 <= start < end <= len(snippet):
                snippet.stylize(match, start, end)
        text.append_text(snippet)
        return text
