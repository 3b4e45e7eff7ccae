"""The main screen's working session: back/forward, search history, stars and read marks, saved
searches, and the session restored at start.

The state files live in the data folder (:mod:`index.session`); they are read and written in
workers. A place is recorded when the user opens an article, runs a search (enter, or down into
the results) or picks a filter; back/forward (``[``/``]``, alt+left/right) go through them.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding

from index.session.history import History, Place
from index.session.marks import Marks, load_marks, marks_path, save_marks
from index.session.saved import SavedSearch, SavedSearchError, save_search, saved_path
from index.session.state import SessionError, SessionState, load_session, save_session
from index.session.state import session_path as state_path
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader
from tui.widgets.search_box import QueryInput

if TYPE_CHECKING:
    from index.library import Library

SESSION_BINDINGS = [
    Binding("left_square_bracket,alt+left", "back", "Back", show=False),
    Binding("right_square_bracket,alt+right", "forward", "Forward", show=False),
]


def corpus_key(library: Library) -> str:
    """The session file keeps one state per corpus, named by its folders."""
    return "\n".join(str(Path(r).expanduser().absolute()) for r in library.settings.corpus_roots)


class SessionMixin:
    """Mixed into :class:`tui.screens.main.MainScreen` (which provides ``library``, ``app``,
    ``query_one``, ``notify``, the filters, ``query_text``, ``current_id`` and ``open_article``).
    """

    library: Library
    app: Any
    query_one: Any
    notify: Any
    current_id: str | None
    query_text: str
    entity_filter: str | None
    period_filter: str | None
    fresh: bool

    def session_init(self) -> None:
        self.history = History()
        self.state = SessionState()
        self.marks = Marks()
        self._navigating = False
        self._pending: Place | None = None  # opened once the search it needs has shown
        self._pending_sort: tuple[str, bool] | None = None
        self._save_lock = threading.Lock()
        self._saves = 0
        self._loaded = False  # nothing is saved before the last session has been read
        # Kept as they change, so the state can be saved after the widgets are gone (on exit).
        self.paragraph: int | None = None
        self.sort: tuple[str, bool] = ("date", False)

    # -- start -----------------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return Path(self.library.settings.data_dir)

    def start_session(self) -> None:
        """Follow the Reader's passage, then read the last session in a worker."""
        reader = self.query_one(Reader)

        def follow(passage: Any) -> None:
            shown = reader.article is not None and reader.article.id == self.current_id
            self.paragraph = passage.first if shown else None

        self.watch(reader, "passage", follow, init=False)  # type: ignore[attr-defined]
        self.load_session()

    @work(
        thread=True,
        exclusive=True,
        group="session-load",
        exit_on_error=False,
        description="Reading the last session",
    )
    def load_session(self) -> None:
        """Read the marks and (unless --fresh) the last session, then apply them."""
        marks, marks_problem = load_marks(marks_path(self.data_dir))
        problem = None
        state = SessionState()
        if not self.fresh:
            try:
                state = load_session(state_path(self.data_dir), corpus_key(self.library))
            except SessionError as exc:
                problem = f"Session not restored: {exc}. Starting clean."
        self.app.call_from_thread(self._session_loaded, marks, marks_problem, state, problem)

    def _session_loaded(
        self, marks: Marks, marks_problem: str | None, state: SessionState, problem: str | None
    ) -> None:
        self._loaded = True
        for message in (marks_problem, problem):
            if message:
                self.notify(message, severity="warning", timeout=10)
        self.marks = marks
        article_list = self.query_one(ArticleList)
        article_list.starred = marks.starred
        article_list.read = marks.read
        article_list.refresh()
        searches = state.searches
        self.state = state
        self.query_one(QueryInput).history = searches
        started = self.history.current is not None or self.sort != ("date", False)
        if started or self.query_one(QueryInput).value.strip():
            return  # the user started before the file was read: what they did stands
        # Whether the article is still in the index is known once the catalogue has been read
        # (in a worker that may end after this one): search_shown checks it.
        place = Place(state.article, state.paragraph, state.query, state.entity, state.period)
        if place != Place():
            self.go_to(place, sort=(state.sort, state.descending), focus=False)
        else:
            article_list.set_sort(state.sort, state.descending)

    # -- places ----------------------------------------------------------------------------
    def here(self, article: str | None = None, paragraph: int | None = None) -> Place:
        return Place(article, paragraph, self.query_text, self.entity_filter, self.period_filter)

    def visit(self, place: Place) -> None:
        """Record a place the user went to (not while going back or forward)."""
        if self._navigating:
            return
        self.history.visit(place)
        self.state.remember_query(place.query)
        self.save_state()

    def action_back(self) -> None:
        place = self.history.back()
        if place is None:
            self.notify("Nothing further back", timeout=1.5)
        else:
            self.go_to(place)

    def action_forward(self) -> None:
        place = self.history.forward()
        if place is None:
            self.notify("Nothing further forward", timeout=1.5)
        else:
            self.go_to(place)

    def go_to(self, place: Place, sort: tuple[str, bool] | None = None, focus: bool = True) -> None:
        """Show a place: its filters and query, then its article once the search has shown."""
        self._navigating = True
        try:
            self.entity_filter = place.entity
            self.period_filter = place.period
            box = self.query_one(QueryInput)
            self._pending = place
            self._pending_sort = sort
            self._focus_after = focus
            if box.value.strip() != place.query:
                box.value = place.query  # its Input.Changed runs the search
                if not place.query:
                    self.search_shown()
            else:
                self.search_shown()
        finally:
            self._navigating = False

    def search_shown(self) -> None:
        """Called when a search's results (or the full list) are shown: finish a go_to."""
        place, self._pending = self._pending, None
        if place is None or _expected(place.query) != self.query_text:
            self._pending = place  # still waiting for its own search
            return
        known = self.by_id  # type: ignore[attr-defined]
        if place.article is not None and place.article not in known:
            if not known:
                self._pending = place  # the catalogue has not been read yet
                return
            place = replace(place, article=None, paragraph=None)  # gone from the index
        if self._pending_sort is not None:
            self.query_one(ArticleList).set_sort(*self._pending_sort)
            self._pending_sort = None
        if place == Place():  # a fresh session: the top of the list, as at a first start
            self.query_one(ArticleList).cursor = 0
        elif place.article is not None:
            self._navigating = True
            try:
                self.open_article(place.article, paragraph=place.paragraph, focus=self._focus_after)  # type: ignore[attr-defined]
            finally:
                self._navigating = False
        elif self._focus_after:
            self.query_one(ArticleList).focus()

    # -- the state file --------------------------------------------------------------------
    def current_state(self) -> SessionState:
        return SessionState(
            self.current_id,
            self.paragraph if self.current_id else None,
            self.query_text,
            self.entity_filter,
            self.period_filter,
            *self.sort,
            list(self.state.searches),
        )

    def save_state(self) -> None:
        """Keep where the user is now (a worker writes it)."""
        if not self._loaded:
            return
        self._saves += 1
        self._write_state(self.current_state(), self._saves)

    def save_state_now(self) -> None:
        """Keep where the user is, on the way out (the paragraph read last included)."""
        if not self._loaded:
            return
        self._saves += 1
        try:
            save_session(state_path(self.data_dir), corpus_key(self.library), self.current_state())
        except OSError as exc:
            self.notify(f"Session not saved: {exc}", severity="warning", timeout=8)

    @work(
        thread=True,
        group="session-save",
        exit_on_error=False,
        description="Saving the session",
    )
    def _write_state(self, state: SessionState, number: int) -> None:
        with self._save_lock:
            if number != self._saves:
                return  # a newer state is on its way
            try:
                save_session(state_path(self.data_dir), corpus_key(self.library), state)
            except OSError as exc:
                self.app.call_from_thread(
                    self.notify, f"Session not saved: {exc}", severity="warning", timeout=8
                )

    def fresh_session(self) -> None:
        """Start clean: no query, filters, article or history; the default sort."""
        self.history.clear()
        self.state.searches.clear()
        self._pending = None
        self.current_id = None
        self.go_to(Place(), sort=("date", False))  # at the top of the list: its first article
        self.save_state()
        self.notify("Fresh session: search, filters and history cleared", timeout=3)

    # -- stars and read marks --------------------------------------------------------------
    def on_article_list_star_requested(self, message: ArticleList.StarRequested) -> None:
        starred = self.marks.toggle_star(message.article_id)
        self.query_one(ArticleList).refresh()
        self.notify("Starred" if starred else "Star removed", timeout=1.5)
        self._write_marks()

    def mark_read(self, article_id: str) -> None:
        if article_id not in self.marks.read:
            self.query_one(ArticleList).mark_read(article_id)  # the same set as marks.read
            self.marks.read.add(article_id)
            self._write_marks()

    @work(
        thread=True,
        exclusive=True,
        group="marks",
        exit_on_error=False,
        description="Saving the stars and read marks",
    )
    def _write_marks(self) -> None:
        marks = Marks(set(self.marks.starred), set(self.marks.read))
        try:
            save_marks(marks_path(self.data_dir), marks)
        except OSError as exc:
            self.app.call_from_thread(
                self.notify, f"Stars not saved: {exc}", severity="warning", timeout=8
            )

    # -- saved searches --------------------------------------------------------------------
    def save_search_as(self, name: str) -> None:
        article_list = self.query_one(ArticleList)
        search = SavedSearch(
            name.strip(),
            self.query_text,
            self.entity_filter,
            self.period_filter,
            article_list.sort,
            article_list.descending,
        )
        self._write_saved(search)

    @work(
        thread=True,
        group="saved-searches",
        exit_on_error=False,
        description="Saving the search",
    )
    def _write_saved(self, search: SavedSearch) -> None:
        path = saved_path(self.data_dir)
        try:
            save_search(path, search)
        except (SavedSearchError, OSError) as exc:
            self.app.call_from_thread(self.notify, f"Search not saved: {exc}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Saved search “{search.name}” in {path}")

    def run_saved(self, search: SavedSearch) -> None:
        place = Place(None, None, search.query, search.entity, search.period)
        self.history.visit(place)
        self.go_to(place, sort=(search.sort, search.descending))
        self.notify(f"Saved search: {search.name}", timeout=2)


def _expected(query: str) -> str:
    """The query the screen searches for when ``query`` is typed (too short a fuzzy query is no
    search at all)."""
    from index.search.fuzzy import MIN_QUERY
    from tui.widgets.search_box import SearchBox

    if SearchBox.mode_of(query) == "fuzzy" and len(query) < MIN_QUERY:
        return ""
    return query
