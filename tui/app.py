"""The Textual app: global keys, the command palette, bookmarks, and start-up.

The app is thin: panes live in ``tui.widgets``, screens in ``tui.screens``, and all data comes
from ``index.library.Library``.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from index.build.builder import QUIT_WAIT
from index.ingest.textclean import visible
from index.library import Library, open_library
from index.models import Article, Bookmark
from index.notes.filtering import duplicate_of
from index.notes.notebook import NotesError, NotesFile, new_bookmark
from index.paths import Settings
from index.store.catalogue import CatalogueDamaged
from index.store.postgres import BackendUnavailable
from tui.commands import ArticleCommands, EntityCommands, SavedSearchCommands
from tui.failures import ReportsFailures
from tui.heap import keep_long_lived, release
from tui.keymap import KeyIds, keymap_path, load_keymap, load_theme, save_theme, theme_path
from tui.messages import BookmarkRequested, BookmarksChanged, BookmarksStale
from tui.screens.confirm import ConfirmDialog
from tui.screens.main import FirstPage, MainScreen
from tui.stall import watch_if_asked
from tui.widgets.article_list import ArticleList
from tui.widgets.entity_list import EntityList
from tui.widgets.find_bar import FindInput
from tui.widgets.reader import Reader
from tui.widgets.search_box import QueryInput
from tui.widgets.timeline import EventList, PeriodChart

START_NOTICE_SECONDS = 20.0


class ThaadApp(KeyIds, ReportsFailures, App[int]):
    """thaad-tui: articles, reader, entities and timeline over one corpus."""

    CSS_PATH = "app.tcss"
    TITLE = "thaad-tui"
    COMMANDS = App.COMMANDS | {ArticleCommands, EntityCommands, SavedSearchCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        # Textual binds ctrl+c to copy; people press it to leave a terminal program. It copies
        # when something is selected and quits otherwise (priority: also from the search box).
        Binding("ctrl+c", "interrupt", "Quit (copy, with a selection)", show=False, priority=True),
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False),
        Binding("ctrl+r", "retry_bookmarks", "Retry saving", show=False),
    ]

    def __init__(self, library: Library, notices: Iterable[str] = (), fresh: bool = False) -> None:
        super().__init__()
        self.library = library
        self.fresh = fresh  # --fresh: do not restore the last session
        # Read while Textual starts, so that the first paint holds the first titles.
        self.first_page = FirstPage(library)
        # Said before the app took the screen (a bad config value): said again inside it.
        self.start_notices = list(notices)
        self.notes = NotesFile(library.settings.notes_path)
        self.pending: list[Bookmark] = []
        self.saved: list[Bookmark] = []  # the notes file's bookmarks, as last read
        self._bookmarks: dict[str, frozenset[int]] = {}
        self.build_thread: threading.Thread | None = None  # the index worker's, while it runs
        # Read before the app runs (two small files): applied on mount, problems said then.
        # The ids are known from every screen's bindings: without a keymap file, none are needed
        # (and the screens opened on demand are not imported at start).
        keymap = keymap_path(library.settings)
        known = self.binding_ids() if keymap.exists() else set()
        self.user_keymap, keymap_problems = load_keymap(keymap, known)
        self.saved_theme, theme_problem = load_theme(theme_path(library.settings))
        self.start_notices += keymap_problems + ([theme_problem] if theme_problem else [])

    def _apply_theme(self, theme: str | None) -> None:
        """The config file's ``theme``; a name Textual does not know is said, not fatal."""
        if theme is None:
            return
        if theme in self.available_themes:
            self.theme = theme
            return
        known = ", ".join(sorted(self.available_themes))
        where = self.library.settings.config_path
        self.notify(
            f"{where}: unknown theme {theme!r} ignored (themes: {known})",
            severity="warning",
            timeout=10,
        )

    def action_interrupt(self) -> None:
        """Ctrl+C: copy the selected text if there is some, otherwise quit."""
        selected = getattr(self.focused, "selected_text", "")
        if isinstance(selected, str) and selected:
            self.copy_to_clipboard(selected)
        elif self.screen.get_selected_text():
            self.screen.action_copy_text()
        else:
            self.exit()

    def binding_ids(self) -> set[str]:
        """The id of every binding the keymap file may rebind."""
        return {
            b.id
            for _title, classes in self.help_sections()
            for cls in classes
            for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", ()))
            if b.id
        }

    def _apply_preferences(self) -> None:
        """The user's keymap and last theme; from now on a theme chosen is kept."""
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        if self.saved_theme:
            if self.saved_theme in self.available_themes:
                self.theme = self.saved_theme
            else:
                where = theme_path(self.library.settings)
                message = f"{where}: no theme is called '{self.saved_theme}'; ignored"
                self.notify(message, severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, self._keep_theme)

    def _keep_theme(self, theme: Theme) -> None:
        if theme.name != self.saved_theme:
            self.saved_theme = theme.name
            self._save_theme(theme.name)

    @work(
        thread=True,
        exclusive=True,
        group="theme",
        exit_on_error=False,
        description="Keeping the theme",
    )
    def _save_theme(self, name: str) -> None:
        try:
            save_theme(theme_path(self.library.settings), name)
        except OSError as exc:
            where = theme_path(self.library.settings)
            message = f"The theme cannot be kept for next time: {where}: {exc.strerror}"
            self.call_from_thread(self.notify, message, severity="warning", timeout=10)

    def on_mount(self) -> None:
        keep_long_lived()  # the imports and the app itself (tui/heap.py)
        self.stall_watch = watch_if_asked(self)  # benchmarks only (tui/stall.py)
        self._apply_preferences()
        # Problems found before the app had the screen (a bad config value, keymap or theme):
        # printed on stderr they were hidden by it, so they stay long enough to be read even
        # when the first screen is slow to come (a loaded machine, a big corpus).
        for notice in self.start_notices:
            self.notify(notice, severity="warning", timeout=START_NOTICE_SECONDS)
        self._apply_theme(self.library.settings.theme)
        # The bookmarks are read by the main screen once its list is (reading them checks
        # every article id: before the first titles, that read held them up).
        self.push_screen(MainScreen(self.library, fresh=self.fresh, first_page=self.first_page))

    def on_unmount(self) -> None:
        release()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications never interpret markup: they carry corpus text and file paths (whose
        bytes that are not UTF-8 show escaped)."""
        text = visible(message)
        super().notify(text, title=title, severity=severity, timeout=timeout, markup=False)

    # -- help and commands ------------------------------------------------------------------
    def help_sections(self) -> list[tuple[str, list[type]]]:
        return [
            ("Everywhere", [type(self), MainScreen]),
            ("Articles", [ArticleList]),
            ("Reader", [Reader]),
            ("Entities", [EntityList]),
            ("Timeline", [PeriodChart, EventList]),
            ("Search box", [QueryInput]),
            ("Find (ctrl+f)", [FindInput]),
            ("Notes view", _notes_view()),
            ("Quotes view", _quotes_view()),
        ]

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Notes", "Show your bookmarks", self.action_notes)
        yield SystemCommand("Quotes", "Who said what, by speaker", self.action_quotes)
        yield SystemCommand("Help", "Show every key", self.action_help)
        main = self._main()
        if main is not None:
            yield SystemCommand("Re-index", "Pick up new and changed files", main.update_index)
            yield SystemCommand(
                "Clear filters", "Remove the entity and period filters", main.action_clear_filters
            )
            yield SystemCommand(
                "Save search", "Name the query, filters and sort (searches.yaml)", self.save_search
            )
            yield SystemCommand(
                "Start a fresh session",
                "Clear the query, filters, sort and back/forward history",
                main.fresh_session,
            )
        if self.pending:
            yield SystemCommand(
                "Retry saving bookmarks", "Write unsaved bookmarks", self.action_retry_bookmarks
            )

    def save_search(self) -> None:
        """Ask for a name, then save the current search under it."""
        main = self._main()
        if main is None:
            return
        filters = [f for f in (main.entity_filter, main.period_filter) if f]
        what = " · ".join([main.query_text or "(no query)", *filters])

        def save(name: str | None) -> None:
            if name is not None and main is not None:
                main.save_search_as(name)

        from tui.screens.name_dialog import NameDialog

        self.push_screen(NameDialog("Save search", what), save)

    def _main(self) -> MainScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    # -- bookmarks --------------------------------------------------------------------------
    # The app is the one owner of the bookmarks: it reads and writes the notes file, and tells
    # the main screen which paragraphs are marked (BookmarksChanged); screens ask it to
    # bookmark with BookmarkRequested, which bubbles up to here.
    def bookmarked_paragraphs(self, article_id: str) -> frozenset[int]:
        """0-based paragraphs of the article that have a bookmark."""
        return self._bookmarks.get(article_id, frozenset())

    def on_bookmarks_stale(self, message: BookmarksStale) -> None:
        self.refresh_bookmarks()

    @work(
        thread=True,
        exclusive=True,
        group="bookmarks",
        exit_on_error=False,
        description="Reading the bookmarks",
    )
    def refresh_bookmarks(self, report: bool = False) -> None:
        """Read the notes file and mark its bookmarks, off the UI thread; a bookmark whose
        article id has gone is found by its passage (a corpus search each), then marked too."""
        try:
            loaded = self.notes.load()
        except NotesError as exc:
            if report:
                self.call_from_thread(
                    self.notify,
                    f"{exc}; bookmarks cannot be shown",
                    severity="warning",
                    timeout=10,
                )
            return
        self.saved = loaded.bookmarks  # one reference swapped whole: safe from this thread
        known: set[str] = set()
        try:
            if loaded.bookmarks:  # no bookmarks, no need to read the article list
                known = {info.id for info in self.library.articles()}
        except (CatalogueDamaged, BackendUnavailable):
            # The main screen finds it too and says so (rebuilds, or reconnects); the marks
            # come after.
            return
        marks: dict[str, set[int]] = {}
        lost = []
        for b in loaded.bookmarks:
            if b.article in known:
                marks.setdefault(b.article, set()).add(b.paragraph - 1)
            else:  # an edited article, or an id from an older version
                lost.append(b)
        self.call_from_thread(self._apply_marks, marks)
        if report and loaded.problems:
            self.call_from_thread(
                self.notify,
                f"Notes file: skipped {len(loaded.problems)} damaged entr"
                f"{'y' if len(loaded.problems) == 1 else 'ies'}: {loaded.problems[0]}",
                severity="warning",
                timeout=10,
            )
        if not lost:
            return
        for b in lost:
            _status, article, paragraph = self.library.locate_bookmark(b)
            if article is not None and paragraph is not None:
                marks.setdefault(article, set()).add(paragraph - 1)
        self.call_from_thread(self._apply_marks, marks)

    def _apply_marks(self, marks: dict[str, set[int]]) -> None:
        self._bookmarks = {article: frozenset(p) for article, p in marks.items()}
        main = self._main()
        if main is not None:
            main.post_message(BookmarksChanged(dict(self._bookmarks)))

    def on_bookmark_requested(self, message: BookmarkRequested) -> None:
        self.request_bookmark(message.article_id, message.paragraph, message.text, message.comment)

    @work(
        thread=True,
        group="bookmark-dialog",
        exit_on_error=False,
        description="Reading the article to bookmark",
    )
    def request_bookmark(
        self, article_id: str, paragraph: int, text: str, comment: str = ""
    ) -> None:
        """Ask for a comment, then save a bookmark of ``text`` (paragraph is 0-based); the
        article is read off the UI thread first."""
        article = self.library.article(article_id)
        if article is not None:
            self.call_from_thread(self._ask_bookmark, article, paragraph, text, comment)

    def _ask_bookmark(self, article: Article, paragraph: int, text: str, comment: str) -> None:
        def save(comment: str | None) -> None:
            if comment is None:
                self.notify("Bookmark cancelled", timeout=1.5)
                return
            self.pending.append(new_bookmark(article, paragraph + 1, text, comment))
            self.action_retry_bookmarks()

        from tui.screens.bookmark import BookmarkDialog

        def ask(again: bool | None = True) -> None:
            if again:
                self.push_screen(BookmarkDialog(article.title, text, comment), save)
            else:
                self.notify("Bookmark cancelled", timeout=1.5)

        same = duplicate_of([*self.saved, *self.pending], article.id, text)
        if same is None:
            ask()
            return
        when = same.created[:16].replace("T", " ") or "earlier"
        question = f"This passage is already bookmarked (saved {when}). Bookmark it again?"
        self.push_screen(ConfirmDialog(question, same.comment or text[:200]), ask)

    def action_retry_bookmarks(self) -> None:
        """Write every bookmark not yet saved (off the UI thread: the notes file may be locked
        by another instance for a few seconds); on failure keep them and say how to retry."""
        if self.pending:
            self.save_pending()

    @work(
        thread=True,
        exclusive=True,
        group="notes",
        exit_on_error=False,
        description="Saving the bookmarks",
    )
    def save_pending(self) -> None:
        while self.pending:
            try:
                self.notes.add(self.pending[0])
            except NotesError as exc:
                self.call_from_thread(
                    self.notify,
                    f"{exc}. The bookmark is kept: fix the path and press ctrl+r "
                    "(or use “Retry saving bookmarks” in ctrl+p).",
                    severity="error",
                    timeout=20,
                )
                return
            self.pending.pop(0)
            self.call_from_thread(self.notify, f"Bookmarked in {self.notes.path}", timeout=4)
        self.call_from_thread(self.refresh_bookmarks)

    def action_notes(self) -> None:
        from tui.screens.notes import NotesScreen

        if isinstance(self.screen, NotesScreen):
            return

        def open_bookmark(target: tuple[str, int] | None) -> None:
            main = self._main()
            if target is not None and main is not None:
                main.open_article(target[0], paragraph=target[1], focus=True)

        self.push_screen(NotesScreen(self.library, self.notes), open_bookmark)

    def action_quotes(self) -> None:
        from tui.screens.quotes import QuotesScreen

        if isinstance(self.screen, QuotesScreen):
            return

        def open_quote(target: tuple[str, int] | None) -> None:
            main = self._main()
            if target is not None and main is not None:
                main.open_article(target[0], paragraph=target[1], focus=True)

        self.push_screen(QuotesScreen(self.library), open_quote)


# The screens opened on demand are imported then (off the start: about 10 ms), and for the help
# screen's key list, or to check a keymap file's ids (ThaadApp.__init__).
def _notes_view() -> list[type]:
    from tui.screens.notes import NotesFilter, NotesScreen, NotesView

    return [NotesScreen, NotesView, NotesFilter]


def _quotes_view() -> list[type]:
    from tui.screens.quotes import QuotesScreen, QuotesView

    return [QuotesScreen, QuotesView]


def create_app(settings: Settings, notices: Iterable[str] = (), fresh: bool = False) -> ThaadApp:
    """The app for resolved settings: the factory the CLI and the tests share. ``notices``
    (problems found while resolving the settings) are shown when it starts; ``fresh`` starts
    clean instead of restoring the last session."""
    return ThaadApp(open_library(settings), notices, fresh)


def run_app(settings: Settings, notices: Iterable[str] = (), fresh: bool = False) -> int:
    app = create_app(settings, notices, fresh)
    app.run()
    code = app.return_code or 0
    _leave_build(app.build_thread, code)
    return code


def _leave_build(build: threading.Thread | None, code: int) -> None:
    """Exit now rather than wait for a build that is still stopping.

    The build stops between files, but a Whoosh commit or a worker's chunk under way can take
    many seconds on a big corpus, and Python waits for every thread before exiting. A build is
    made to be killed at any point (it resumes from its last catalogue commit, see
    index.build.builder),
    so after a short wait the process exits as a kill would; bookmarks still being written are
    waited for first.
    """
    if build is None:
        return
    build.join(QUIT_WAIT)
    if not build.is_alive():
        return
    for thread in threading.enumerate():
        if thread not in (build, threading.current_thread()) and not thread.daemon:
            thread.join()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
