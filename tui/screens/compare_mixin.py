"""The main screen's side of issue 16: copy groups for the article list, the open article's
copies and similar articles under the Reader's header, and the screens that compare (similar
list, side by side, compare outlets). Every read runs in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work

from tui.text import plain
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader

if TYPE_CHECKING:
    from index.library import Library


class CompareMixin:
    """Mixed into :class:`tui.screens.main.MainScreen` (which provides ``library``, ``app``,
    ``query_one``, ``notify``, ``current_id``, ``query_text``, ``entity_filter`` and
    ``open_article``)."""

    library: Library
    current_id: str | None
    query_text: str
    entity_filter: Any
    app: Any
    query_one: Any
    notify: Any
    open_article: Any

    copies_asked = 0

    def load_copies(self) -> None:
        """Mark (and fold) the articles that have copies in the list."""
        self.copies_asked += 1
        self._load_copies(self.copies_asked)

    # Not exclusive: a cancelled worker makes waiting for the workers fail (tests, quitting);
    # a stale answer is dropped instead (the counter; the Reader checks the article id).
    @work(thread=True, group="copies", exit_on_error=False, description="Reading the copies")
    def _load_copies(self, asked: int) -> None:
        # The comparing modules are imported when first used, not at start (issue 20).
        from index.compare.similar import copy_groups

        try:
            groups = copy_groups(self.library)
        except Exception as exc:  # shown, not swallowed: the list just stays unmarked
            self.app.call_from_thread(
                self.notify, f"Cannot read the copies: {exc}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._set_copies, asked, groups)

    def _set_copies(self, asked: int, groups: dict[str, tuple[str, ...]]) -> None:
        if asked == self.copies_asked:
            self.query_one(ArticleList).set_copies(groups)

    @work(thread=True, group="related", exit_on_error=False, description="Finding similar articles")
    def show_related(self, article_id: str) -> None:
        """Count the open article's copies and similar articles for the Reader's header."""
        self.app.call_from_thread(self._show_related, article_id, self.related_line(article_id))

    def related_line(self, article_id: str) -> Text:
        """The Reader's line of copies and similar articles (read in a worker)."""
        from index.compare.similar import similar
        from tui.screens.similar import describe

        try:
            return describe(self.library, similar(self.library, article_id))
        except Exception as exc:  # shown in the Reader instead of the counts
            return plain(f"Similar articles unavailable: {type(exc).__name__}: {exc}")

    def _show_related(self, article_id: str, text: Text) -> None:
        self.query_one(Reader).set_related(article_id, text)

    def action_similar(self) -> None:
        if self.current_id is None:
            self.notify("Open an article first", severity="warning")
            return
        current = self.current_id
        from tui.screens.side_by_side import SideBySideScreen
        from tui.screens.similar import SimilarScreen

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            what, other = result
            if what == "diff":
                self.app.push_screen(SideBySideScreen(self.library, current, other))
            else:
                self.open_article(other, focus=True)

        self.app.push_screen(SimilarScreen(self.library, current), chosen)

    def action_compare_outlets(self) -> None:
        query = self.query_text.strip()
        entity = self.entity_filter if not query else None
        from tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(self.library, query or "", entity))
