"""The Reader's hits: stepping through them (n/N), the count, and find in the article.

A mixin for :class:`tui.widgets.reader.Reader`. A hit is a phrase of the search (words side by
side are one hit) or, while the find bar is open, a match of its query. ``n``/``N`` (and enter
in the find bar) make the next hit current: marked apart from the others, counted ("hit 3 of
7" in the Reader's frame, "3/7" in the bar) and scrolled into view, inside a long paragraph too.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.geometry import Region

from tui.widgets.find_bar import FindBar, FindInput


class ReaderFind:
    """n/N, the hit count and the find bar's handlers (see the module docstring). The Reader
    provides the attributes below and Textual's widget methods."""

    article: Any
    hits: list[tuple[int, int, int]]
    hit_index: int
    find_text: str
    passage: Any
    view: Any  # tui.widgets.article_view.ArticleView
    border_subtitle: Any
    app: Any
    notify: Any
    query_one: Any
    call_after_refresh: Any
    focus: Any
    _find_hits: Any
    _group: Any
    _rerender: Any
    _paragraph_text: Any

    def action_hit(self, delta: int) -> None:
        if not self.hits:
            what = "matches of the find" if self.find_text else "search hits"
            self.notify(f"No {what} in this article", timeout=2)
            return
        if self.hit_index < 0 and delta < 0:
            self.hit_index = 0
        previous = self.hits[self.hit_index][0] if self.hit_index >= 0 else None
        self.hit_index = (self.hit_index + delta) % len(self.hits)
        paragraph = self.hits[self.hit_index][0]
        self.view.restyle({i for i in (previous, paragraph) if i is not None})
        self._show_count()
        self.passage = replace(self.passage, first=paragraph, last=paragraph, sentence=None)
        # After the passage's own scroll (to its paragraph's top): the hit may be lines below.
        self.call_after_refresh(self._scroll_to_hit)

    def _scroll_to_hit(self) -> None:
        """Bring the current hit's line into view when its paragraph is taller than the
        Reader (a 2,000-character passage on a small terminal)."""
        if not 0 <= self.hit_index < len(self.hits) or self.article is None:
            return
        paragraph, start, _end = self.hits[self.hit_index]
        view = self.view
        first, height = view.paragraph_span(paragraph)
        if height + 1 <= view.scrollable_content_region.height:
            return  # the whole paragraph is on screen already
        top = first + view.line_of(paragraph, start)
        view.scroll_to_region(
            Region(0, max(0, top - 1), 1, 3), animate=False, immediate=True, force=True
        )

    def _set_hits(self, index: int) -> None:
        """Recompute the hits (find query or search terms), select hit ``index``, redraw."""
        if self.article is None:
            self.hits = []
        else:
            self.hits = self._find_hits()
            self._group()
        self.hit_index = index if 0 <= index < len(self.hits) else -1
        self._rerender()
        self._show_count()

    def _show_count(self) -> None:
        """ "hit 3 of 7" in the Reader's border, and "3/7" in the find bar."""
        total, current = len(self.hits), self.hit_index + 1
        if total:
            self.border_subtitle = f"hit {current} of {total}" if current else f"{total} hits"
        else:
            self.border_subtitle = "no matches" if self.find_text else ""
        self.query_one(FindBar).show_count(current, total, self.find_text)

    def action_find(self) -> None:
        self.query_one(FindBar).open()

    # Handlers by name (a mixin's @on handlers are not collected): the bar is the Reader's
    # only input, so every Input.Changed and Input.Submitted here is the find's.
    def on_input_changed(self, event: FindInput.Changed) -> None:
        event.stop()
        self.find_text = event.value.strip()
        self._set_hits(-1)
        self._go_to_hit(1)

    def on_input_submitted(self, event: FindInput.Submitted) -> None:
        event.stop()
        self._go_to_hit(1)

    def on_find_input_step(self, event: FindInput.Step) -> None:
        event.stop()
        self._go_to_hit(event.delta)

    def _go_to_hit(self, delta: int) -> None:
        if self.hits:
            self.action_hit(delta)

    def on_find_input_close(self, event: FindInput.Close) -> None:
        event.stop()
        self.query_one(FindBar).close()
        self.query_one(FindInput).value = ""
        self.find_text = ""
        self._set_hits(-1)
        self.focus()
