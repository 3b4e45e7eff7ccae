"""The main screen: four panes, and the one owner of the browsing state.

Panes post messages up; this screen decides and pushes state down. It owns the current article,
the query and its results, the entity filter and the period filter.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from threading import Event as CancelFlag

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from index.build.builder import QUIT_WAIT, Cancelled, UpdateReport
from index.library import Library, QueryError
from index.models import Article, ArticleInfo, Event, SearchHit, paragraph_index
from index.search.advice import Advice
from index.search.fuzzy import MIN_QUERY
from index.store.catalogue import CatalogueDamaged
from index.store.postgres import BackendUnavailable
from tui.failures import ReportsFailures
from tui.heap import bulk_read, keep_long_lived
from tui.keymap import KeyIds
from tui.messages import (
    ArticleHighlighted,
    BookmarksChanged,
    BookmarksStale,
    EntityChosen,
    OpenArticle,
    PeriodChosen,
    SnippetsWanted,
)
from tui.screens.compare_mixin import CompareMixin
from tui.screens.entity_pane import EntityPaneMixin
from tui.screens.findings import FindingsMixin
from tui.screens.reads import (
    ArticleRead,
    CatalogueDamagedFound,
    CatalogueRead,
    EntityIdsRead,
    Read,
    ReadAhead,
)
from tui.session import SESSION_BINDINGS, SessionMixin
from tui.text import plain
from tui.widgets.article_list import ArticleList, Row
from tui.widgets.entity_list import EntityFind, EntityList
from tui.widgets.footer import Footer
from tui.widgets.period_chart import month_counts
from tui.widgets.reader import Reader
from tui.widgets.search_box import QueryInput, SearchBox
from tui.widgets.timeline import EventList, PeriodChart, Timeline

# Lists up to this long (a search's 200 hits) are counted per month on the UI thread (well
# under a millisecond), so that the chart changes in the same frame as the list.
COUNT_AT_ONCE = 2_000
# Seconds a build (the start's check of the corpus too) runs before its progress line shows.
SHOW_PROGRESS_AFTER = 1.0
# Seconds the list's cursor rests before the articles next to it are read ahead.
READ_AHEAD_AFTER = 0.05
# Below this many columns the article list sits above the Reader, and the Entities and
# Timeline panes fold away behind the Reader (3 or 4 brings them back).
NARROW = 100
RECONNECT_SECONDS = 5.0  # how often a lost database server is tried again
FIRST_CUT = 24  # search rows whose snippets come with the results: more than a list shows
# At start-up the list's first rows are read and drawn before the others: more than a tall
# terminal shows, and read from the catalogue's list index alone, whatever the corpus's size.
FIRST_PAGE = 120
FIRST_PAGE_WAIT = 2.0  # at most this long the rest waits for the first page to be drawn


class FirstPage:
    """The article list's first page, read in a thread of its own from the moment the app is
    made: ready before Textual's first paint, which then holds the titles. If the read is not
    done by then (or failed), the catalogue's worker reads the page again (and reports what
    went wrong: a damaged catalogue, a lost database)."""

    def __init__(self, library: Library) -> None:
        self.infos: list[ArticleInfo] | None = None
        self.error: Exception | None = None
        self._done = threading.Event()
        threading.Thread(target=self._read, args=(library, FIRST_PAGE), daemon=True).start()

    def _read(self, library: Library, limit: int) -> None:
        try:
            self.infos = library.first_articles(limit)
        except Exception as exc:  # read again by the worker, which reports it
            self.error = exc
        finally:
            self._done.set()

    def ready(self) -> list[ArticleInfo] | None:
        """The page if it has been read (never waits)."""
        return self.infos if self._done.is_set() else None


class MainScreen(
    KeyIds,
    SessionMixin,
    FindingsMixin,
    CompareMixin,
    EntityPaneMixin,
    ReportsFailures,
    Screen[None],
):
    """Articles on the left; the Reader above Entities and Timeline on the right."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("ctrl+e", "export_results", "Export list", show=False),
        Binding("1", "focus_pane('articles')", "Articles", show=False),
        Binding("2", "focus_pane('reader')", "Reader", show=False),
        Binding("3", "focus_pane('entities')", "Entities", show=False),
        Binding("4", "focus_pane('timeline')", "Timeline (again: its chart)", show=False),
        Binding("x", "clear_filters", "Clear filters"),
        Binding("B", "notes", "Notes"),
        Binding("Q", "quotes", "Quotes", show=False),
        Binding("ctrl+o", "any_word", "Any word", show=False),
        Binding("c", "similar", "Copies & similar"),
        Binding("C", "compare_outlets", "Compare outlets"),
        *SESSION_BINDINGS,
    ]

    entity_filter: reactive[str | None] = reactive(None, init=False)
    period_filter: reactive[str | None] = reactive(None, init=False)

    def __init__(
        self, library: Library, fresh: bool = False, first_page: FirstPage | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.first_page = first_page
        self.fresh = fresh  # --fresh: the last session is not restored
        self.session_init()
        self.infos: list[ArticleInfo] = []
        self.by_id: dict[str, ArticleInfo] = {}
        # Whether the whole catalogue has been read once (before, only the first page is
        # shown: the list waits for the rest to search, filter or sort; see refresh_list).
        self.listed = False
        self._plain_rows: list[Row] = []  # a row per article, made by the reading worker
        self._first_drawn = threading.Event()  # set once the first page is on screen
        self._after_list: list[Callable[[], object]] = []  # started once the list is settled
        self.query_text = ""
        self.results: list[SearchHit] | None = None
        self.any_word = False  # ctrl+o: the current search relaxed to any of its words
        self.current_id: str | None = None
        self.current_terms: tuple[str, ...] = ()
        self.cancel = CancelFlag()
        self.undo_stack = []
        # The articles that mention the filtered entity (read by a worker when it changes).
        self.entity_ids: frozenset[str] | None = None
        # Open requests are numbered: an article read for an older request is not shown.
        self.opening = 0
        # Enter in the search box opens the top hit of this query once its results are in.
        self.open_top_of: str | None = None
        # After a build changed the index: reopen the article and search again once the new
        # catalogue is read.
        self.reopen_after_catalogue = False
        # Bookmarked paragraphs per article, as the app (their owner) last told this screen.
        self.bookmarks: dict[str, frozenset[int]] = {}
        self._searching = threading.Lock()  # one search at a time (see run_search)
        # The articles next to the list's cursor, read before it moves there.
        self.reads = ReadAhead()
        self._last_cursor = 0

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="articles-pane", classes="pane"):
                yield SearchBox()
                yield Static("", id="filters")
                yield ArticleList(id="article-list")
            with Vertical(id="right"):
                # Looked up when first used: the backend (Whoosh) is imported after the first
                # titles are drawn (index.store.opening._WhooshOnFirstUse).
                yield Reader(lambda text: self.library.fulltext.analyze(text), id="reader")
                with Horizontal(id="side"):
                    with Vertical(id="entities-pane", classes="pane"):
                        yield EntityFind(id="entity-find")
                        yield EntityList(id="entity-list")
                    with Vertical(id="timeline-pane", classes="pane"):
                        yield Timeline()
        with Horizontal(id="status"):
            yield Static("", id="status-text")
            yield ProgressBar(id="progress", show_eta=False)
        yield Footer()

    def on_mount(self) -> None:
        titles = {
            "#articles-pane": "Articles · oldest first",
            "#reader": "Reader",
            "#entities-pane": "Entities",
            "#timeline-pane": "Timeline",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        self.query_one("#entities-pane").border_subtitle = "this article"
        # A shared corpus is named by its database (without a password), not a local folder.
        name = self.library.shared or self.library.settings.corpus_name
        self.app.title = f"thaad-tui — {name}"
        problem = self.library.corpus_problem
        if problem:  # nothing to index or show; no index folder is made for it
            message = f"Cannot open the corpus: {problem}. Start again with --corpus DIR."
            self.query_one("#status-text", Static).update(plain(message))
            self.query_one(Reader).show_message(message)
            self.notify(message, severity="error", timeout=30, markup=False)
            self.app.refresh_bookmarks(report=True)
            return
        # The check for new and changed files starts once the first titles are drawn: it opens
        # Whoosh and scans the corpus, and in a thread of its own it would hold the GIL half the
        # time the catalogue's reading and drawing need (see _on_catalogue_read).
        self._check_corpus_after_read = True
        page = self.first_page.ready() if self.first_page else None
        if page is not None:  # in the first paint (read while the app started)
            self._show_first_page(page)
        self.load_catalogue(page_shown=page is not None)
        self.query_one(ArticleList).focus()
        self.start_session()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "-narrow")

    # -- loading ----------------------------------------------------------------------------
    def load_catalogue(self, page_shown: bool = False) -> None:
        """Show what the index holds now (fast: metadata only, bodies load when opened); at
        the first read, the list's first page is shown before the rest is read (it is already,
        with ``page_shown``)."""
        first = not self.listed and not page_shown
        self.read_catalogue(self.entity_filter, first_page=first, wait=not self.listed)

    # Every read worker lets its exception go: the app shows it (ThaadApp.on_worker_state_changed)
    # and keeps running; the description names what could not be read.
    @work(
        thread=True,
        exclusive=True,
        group="catalogue",
        exit_on_error=False,
        description="Reading the article list",
    )
    def read_catalogue(
        self, entity: str | None, first_page: bool = False, wait: bool = False
    ) -> None:
        """Read the article list (and the filtered entity's articles) off the UI thread; with
        ``first_page``, its first FIRST_PAGE articles first, posted before the others; with
        ``wait``, the others once the first page is on screen."""
        worker = get_current_worker()
        try:
            self.library.reload()  # a build in progress may have committed more since
            if first_page:
                page = self.library.first_articles(FIRST_PAGE)
                if not worker.is_cancelled:
                    self.post_message(CatalogueRead(page, partial=True))
            if wait:
                # The rest is read once the first titles are on screen: read meanwhile, it
                # held the GIL half the time their drawing needed.
                self._first_drawn.wait(FIRST_PAGE_WAIT)
            with bulk_read():
                infos = self.library.articles()
                by_id = {i.id: i for i in infos}
                rows = [Row(info) for info in infos]
            ids = frozenset(self.library.articles_with_entity(entity)) if entity else None
        except CatalogueDamaged as exc:
            self.post_message(CatalogueRead([], damaged=exc))
            return
        except BackendUnavailable as exc:
            self.app.call_from_thread(self._backend_lost, exc)
            return
        if not worker.is_cancelled:
            read = CatalogueRead(infos, entity=entity, entity_ids=ids, by_id=by_id, rows=rows)
            self.post_message(read)

    @on(CatalogueRead)
    def _on_catalogue_read(self, message: CatalogueRead) -> None:
        if message.partial:
            if not self.listed:
                self._show_first_page(message.infos)
            else:
                self._first_drawn.set()
            return
        if not self.listed:
            self.app.refresh_bookmarks(report=True)  # after the list: it reads the list too
        self.listed = True
        self.infos = message.infos
        self.reads.forget()  # the index changed: what was read ahead may have too
        if self._lost_backend:
            self._lost_backend = False
            self.notify("Connected to the database again", timeout=6)
            self.app.refresh_bookmarks()
            self.warm_search()
        if message.by_id is not None and message.rows is not None:
            self.by_id, self._plain_rows = message.by_id, message.rows
        else:
            self.by_id = {i.id: i for i in self.infos}
            self._plain_rows = [Row(info) for info in self.infos]
        if message.damaged is not None:
            self._catalogue_damaged(message.damaged)
        if message.entity is not None and message.entity == self.entity_filter:
            self.entity_ids = message.entity_ids
        # The titles are drawn now; the side panes fill from workers (at 20,000 articles they
        # read ~100,000 events and tens of thousands of entities).
        self.refresh_list(reload_entities=True)
        keep_long_lived()  # the infos and the list's rows stay until the next read (tui/heap.py)
        # The timeline, the copies and the corpus check start once the list has its rows in
        # order: started with the list's sorting worker, their threads' start and their work
        # held the UI thread's drawing up (a stall of 150-200 ms at 100,000 articles).
        later: list[Callable[[], object]] = [self.refresh_timeline, self.load_copies]
        if self._check_corpus_after_read:
            self._check_corpus_after_read = False
            if message.damaged is None:  # damage starts its own rebuild
                later.append(self.update_index)
        self._after_list = later
        if self.query_one(ArticleList).settled:
            self._list_settled()
        if self.reopen_after_catalogue:
            self.reopen_after_catalogue = False
            if self.current_id:
                self.open_article(self.current_id, focus=False)
            typed = self.query_one(QueryInput).value.strip()
            if typed:
                self.run_search(typed)  # typed while the index was still being built

    @on(ArticleList.Settled)
    def _list_settled(self) -> None:
        later, self._after_list = self._after_list, []
        for start in later:
            start()

    def _show_first_page(self, infos: list[ArticleInfo]) -> None:
        """The first titles; the side panes fill once all are in."""
        rows = [Row(info) for info in infos]
        self.query_one(ArticleList).set_rows(rows, keep=self.current_id, complete=False)
        self.call_after_refresh(self._first_drawn.set)

    @work(
        thread=True,
        exclusive=True,
        group="timeline",
        exit_on_error=False,
        description="Reading the timeline",
    )
    def refresh_timeline(self) -> None:
        """Read the timeline for the current filters off the UI thread, then show it."""
        entity, period = self.entity_filter, self.period_filter
        with bulk_read():  # 500,000 events at 100,000 articles
            events = self.library.timeline(entity)
        if period:
            events = [e for e in events if e.date.startswith(period)]
        label = f"{entity} over time" if entity else "whole corpus"
        if period:
            label += f" · {period}"
        titles = {i.id: i.title for i in self.infos}  # here: 100,000 of them
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_timeline, events, label, titles)

    def _show_timeline(self, events: list[Event], label: str, titles: dict[str, str]) -> None:
        self.query_one(EventList).set_events(events, titles)
        self.query_one("#timeline-pane").border_subtitle = plain(label)
        keep_long_lived()  # the events (100,000 at 20,000 articles) stay until the next read

    @work(
        thread=True,
        exclusive=True,
        group="index",
        exit_on_error=False,
        description="Indexing",
    )
    def update_index(self) -> None:
        """Build or update the index off the UI thread, with a progress bar."""
        worker = get_current_worker()
        app = self.app
        # A flag per run: a run started while another is being cancelled must not inherit it.
        cancel = self.cancel = CancelFlag()

        def progress(stage: str, done: int, total: int) -> None:
            if worker.is_cancelled:
                cancel.set()  # a newer run (or quitting) took over: report nothing more
                return
            app.call_from_thread(self._progress, stage, done, total)

        outcome: list[UpdateReport | BaseException] = []

        def build() -> None:
            try:
                outcome.append(self.library.update(progress=progress, cancel=cancel))
            except BaseException as exc:  # handed to the worker below, which reports it
                outcome.append(exc)

        # The build runs in a thread of its own: a Textual worker's thread is waited for when
        # the app exits, and a build stops only between files (a big Whoosh commit can take
        # many seconds). Quitting waits QUIT_WAIT for it, then leaves it (see run_app).
        runner = threading.Thread(target=build, name="index build", daemon=True)
        app.build_thread = runner
        runner.start()
        while runner.is_alive() and not (cancel.is_set() or worker.is_cancelled):
            runner.join(0.1)
        runner.join(QUIT_WAIT)
        if runner.is_alive():
            cancel.set()
            return
        try:
            if isinstance(outcome[0], BaseException):
                raise outcome[0]
            report = outcome[0]
        except Cancelled:
            if not worker.is_cancelled:
                app.call_from_thread(self._build_stopped)
            return
        except Exception as exc:  # shown to the user, never a silent hang
            app.call_from_thread(self._index_failed, f"{type(exc).__name__}: {exc}")
            return
        app.call_from_thread(self._index_done, report)

    def _build_stopped(self) -> None:
        self._not_busy()

    _show_busy: Timer | None = None

    def _not_busy(self) -> None:
        if self._show_busy is not None:
            self._show_busy.stop()
            self._show_busy = None
        self.query_one("#status").remove_class("-busy")

    def _progress(self, stage: str, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        status = self.query_one("#status")
        if not status.has_class("-busy") and self._show_busy is None:
            # Shown if the build is still running then: the start's check of an unchanged
            # corpus (half a second at 19,043 articles) showed the line and took it away,
            # each time laying out and repainting every pane, under the user's first keys.
            self._show_busy = self.set_timer(SHOW_PROGRESS_AFTER, self._busy)
        bar.update(total=total or None, progress=done)
        label = {
            "scan": "Scanning corpus…",
            "index": "Indexing",
            "copies": "Finding copies…",
            "entities": "Linking entities…",
        }
        self.query_one("#status-text", Static).update(label.get(stage, stage))
        if stage == "index" and done and done % 500 == 0:
            self.load_catalogue()  # usable as soon as the first batches are in

    @work(
        thread=True,
        exclusive=True,
        group="warm",
        exit_on_error=False,
        description="Preparing the search",
    )
    def warm_search(self) -> None:
        """Prepare the search caches in the background once the index is current."""
        try:
            # The vocabularies it reads stay until the index changes: no collector pass while
            # it makes them (each walked them all, 20-60 ms under the user's keys), and frozen
            # after (tui/heap.py).
            with bulk_read():
                self.library.warm()
        except BackendUnavailable as exc:  # said once, and retried (see _backend_lost)
            self.app.call_from_thread(self._backend_lost, exc)

    def _busy(self) -> None:
        self._show_busy = None
        self.query_one("#status").add_class("-busy")

    def _index_done(self, report: UpdateReport) -> None:
        self._not_busy()
        self.warm_search()
        changed = report.added or report.updated or report.removed or report.rebuilt
        for notice in report.notices:
            self.notify(notice, severity="warning", timeout=8)
        if report.warnings:
            self.notify(
                f"{len(report.warnings)} file(s) skipped: {report.warnings[0]}",
                severity="warning",
                timeout=8,
            )
        if report.duplicates:
            self.notify(
                f"{len(report.duplicates)} duplicate article(s) not indexed again: "
                f"{report.duplicates[0]}",
                severity="warning",
                timeout=8,
                markup=False,
            )
        if changed:
            self.reopen_after_catalogue = True
            self.load_catalogue()
            self.post_message(BookmarksStale())  # ids may have changed: the app finds them again

    def _index_failed(self, message: str) -> None:
        self._not_busy()
        self.notify(f"Indexing failed: {message}", severity="error", timeout=15)

    # -- the article list -------------------------------------------------------------------
    def refresh_list(self, reload_entities: bool = False) -> None:
        if not self.listed:
            # Only the first page is in: a search's results, a filter or the session's place
            # are shown when the whole catalogue is (_on_catalogue_read calls this again).
            return
        rows: list[Row]
        if self.results is not None:
            rows = [
                Row(
                    self.by_id[h.id],
                    h.title_spans,
                    h.snippet,
                    h.spans,
                    rank,
                    h.paragraph,
                    h.terms,
                    h.cut,
                )
                for rank, h in enumerate(self.results)
                if h.id in self.by_id
            ]
        else:
            rows = self._plain_rows
        if self.entity_filter and self.entity_ids is not None:
            allowed = self.entity_ids
            rows = [r for r in rows if r.info.id in allowed]
        if self.period_filter:
            rows = [
                r
                for r in rows
                if r.info.published and r.info.published.isoformat().startswith(self.period_filter)
            ]
        # The chart counts exactly what the list shows; within a chosen year, y and enter on a
        # month narrow the period further.
        filters = self._filter_words()
        if len(rows) <= COUNT_AT_ONCE:  # drawn in the frame that draws the list
            self.workers.cancel_group(self, "histogram")  # a longer list's count is stale
            self._show_histogram(_per_month(rows), len(rows), filters)
        else:
            self.refresh_histogram(rows, filters)
        article_list = self.query_one(ArticleList)
        article_list.set_rows(rows, snippets=self.results is not None, keep=self.current_id)
        self._describe(len(rows))
        # the Entities pane counts what the list shows (every article: their ids in C, not a
        # loop over 100,000 rows on the UI thread)
        shown = list(self.by_id) if rows is self._plain_rows else [r.info.id for r in rows]
        self.follow_articles(shown, len(self.infos), reload_entities)
        if not rows:
            self.current_id = None
            self.query_one(Reader).show_empty()
        self.search_shown()

    def _filter_words(self) -> list[str]:
        filters = []
        if self.query_text:
            filters.append(f"search “{self.query_text}”")
        if self.entity_filter:
            filters.append(f"entity: {self.entity_filter}")
        if self.period_filter:
            filters.append(f"period: {self.period_filter}")
        return filters

    @work(
        thread=True,
        exclusive=True,
        group="histogram",
        exit_on_error=False,
        description="Counting articles per month",
    )
    def refresh_histogram(self, rows: list[Row], filters: list[str]) -> None:
        """Count the listed articles per month off the UI thread, then redraw the chart."""
        counts = _per_month(rows)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_histogram, counts, len(rows), filters)

    def _show_histogram(self, counts: Counter[str], listed: int, filters: list[str]) -> None:
        self.query_one(PeriodChart).set_counts(counts, self.period_filter)
        what = f"{listed} of {len(self.infos)} articles" if filters else f"{listed} articles"
        title = f"Timeline · {what}"
        if filters:
            title += " · " + ", ".join(filters)
        self.query_one("#timeline-pane").border_title = plain(title)

    def _describe(self, shown: int) -> None:
        total = len(self.infos)
        filters = self._filter_words()
        count = f"{shown} of {total} articles" if shown != total else f"{total} articles"
        self.app.sub_title = " · ".join([count, *filters])
        self.query_one("#articles-pane").border_subtitle = count
        bar = self.query_one("#filters", Static)
        active = [f for f in filters if not f.startswith("search")]
        if bar.display != bool(active):  # setting it lays the screen out again, even unchanged
            bar.display = bool(active)
        bar.update(plain("  ".join(f"[{f}] ✕" for f in active) + "   x: remove"))

    @on(ArticleHighlighted)
    def _on_highlighted(self, message: ArticleHighlighted) -> None:
        if message.article_id == self.current_id:
            return  # the list caught up with an article opened elsewhere
        row = self.query_one(ArticleList).current
        if row is None or row.info.id != message.article_id:
            return  # the cursor has moved on (or an article was opened elsewhere since)
        paragraph = row.paragraph if row and row.info.id == message.article_id else None
        ready = self.reads.get(message.article_id)
        if ready is None:
            self.open_article(message.article_id, paragraph=paragraph, focus=False)
        else:  # read ahead: shown in the frame that moves the cursor
            self.opening += 1
            self.current_id = message.article_id
            self.query_one(Reader).wait_for_article()
            self._on_article_read(ready.message(self.opening, False, paragraph))
        # Once the keys stop for a moment: read at once, it would slow the frames that
        # draw this article (the GIL), and a held j would read articles it passes by.
        if self._read_ahead_timer is not None:
            self._read_ahead_timer.stop()
        self._read_ahead_timer = self.set_timer(READ_AHEAD_AFTER, self._read_ahead_of_cursor)

    _read_ahead_timer: Timer | None = None

    def _read_ahead_of_cursor(self) -> None:
        """Read the article the list's cursor would move to next (in the direction it last
        moved), and the one it is on, if they are not read already."""
        article_list = self.query_one(ArticleList)
        rows, cursor = article_list.rows, article_list.cursor
        step = -1 if cursor < self._last_cursor else 1
        self._last_cursor = cursor
        wanted = [rows[i].info.id for i in (cursor + step, cursor) if 0 <= i < len(rows)]
        wanted = [article_id for article_id in wanted if article_id not in self.reads]
        if wanted:
            self.read_ahead(wanted, self.reads.generation)

    @work(
        thread=True,
        exclusive=True,
        group="read-ahead",
        exit_on_error=False,
        description="Reading ahead of the cursor",
    )
    def read_ahead(self, ids: list[str], generation: int) -> None:
        """Read ``ids`` (with their related line) for :class:`ReadAhead`, off the UI thread."""
        worker = get_current_worker()
        for article_id in ids:
            if worker.is_cancelled:
                return
            if not self._read_for_cursor(article_id, generation):
                return

    def _read(self, article_id: str) -> Read | None:
        """One article and what the Reader marks in it (None if it is gone), in a worker."""
        article = self.library.article(article_id)
        if article is None:
            return None
        mentions = self.library.mentions(article_id)
        entities = self.library.entities(article_id)
        return Read(article, mentions, entities, self.library.quotes(article=article_id), None)

    def _read_for_cursor(self, article_id: str, generation: int, related: bool = True) -> bool:
        """Read ``article_id`` (and its related line, if ``related``) into :class:`ReadAhead`,
        in a worker; False if the storage failed."""
        try:
            read = self._read(article_id)
            if read is None:
                return True
        except (CatalogueDamaged, BackendUnavailable):
            # Not handled here: opening the article reads it again, and rebuilds the index or
            # reconnects (read_article); handled here too, that would happen twice. Any other
            # failure is shown like every worker's (ReportsFailures).
            return False
        # Kept at once (a millisecond's read), and again with the related line (a search of
        # its own, tens of ms): a key that comes between shows the article without it.
        self.app.call_from_thread(self.reads.keep, generation, read)
        if related:
            read = replace(read, related=self.related_line(article_id))
            self.app.call_from_thread(self.reads.keep, generation, read)
        return True

    @on(OpenArticle)
    def _on_open(self, message: OpenArticle) -> None:
        paragraph = message.paragraph
        if paragraph is None and message.offset is None:
            row = self.query_one(ArticleList).current
            if row and row.info.id == message.article_id:
                paragraph = row.paragraph
        reader = self.query_one(Reader)
        if message.offset is None and reader.shows(message.article_id):
            # Enter on the article the list's cursor already opened: no second read (and no
            # second drawing of it), only the place and the focus.
            self.current_id = message.article_id
            if paragraph is not None:
                reader.place_at(paragraph)
            self.mark_read(message.article_id)
            self.focus_pane("reader")
        else:
            self.open_article(
                message.article_id, paragraph, focus=True, offset=message.offset, end=message.end
            )
        self.visit(self.here(message.article_id, paragraph))
        self._send_on_typeahead()

    _lost_backend = False
    _reconnect: Timer | None = None
    _check_corpus_after_read = False

    def _backend_lost(self, exc: BackendUnavailable) -> None:
        """The shared database's server went away: say so once, and try again every few
        seconds (what the user was reading stays on screen)."""
        message = f"{exc}; retrying every {RECONNECT_SECONDS:.0f} s"
        self.query_one("#status-text", Static).update(plain(message))
        if not self._lost_backend:
            self._lost_backend = True
            self.notify(message, severity="error", timeout=15, markup=False)
        if self._reconnect is None:  # one pending retry, however many reads failed
            self._reconnect = self.set_timer(RECONNECT_SECONDS, self._try_again)

    def _try_again(self) -> None:
        self._reconnect = None
        self.load_catalogue()

    def _catalogue_damaged(self, exc: CatalogueDamaged) -> None:
        """Damaged text found while reading: say so, and rebuild the index."""
        self.library.recover(f"catalogue unreadable: {exc}")
        self.notify(
            f"The index is damaged ({exc}); rebuilding it", severity="warning", markup=False
        )
        self.update_index()

    @on(CatalogueDamagedFound)
    def _on_damaged(self, message: CatalogueDamagedFound) -> None:
        self._catalogue_damaged(message.error)

    def open_article(
        self,
        article_id: str,
        paragraph: int | None = None,
        focus: bool = False,
        offset: int | None = None,
        end: int | None = None,
    ) -> None:
        """Open ``article_id`` in the Reader at ``paragraph`` (or at the character ``offset``
        of its text, selecting the sentence up to ``end``). The read runs in a worker; keys
        typed for the Reader meanwhile wait and apply to this article once it is shown."""
        self.opening += 1
        self.current_id = article_id
        self.query_one(ArticleList).select(article_id)
        self.query_one(Reader).wait_for_article()
        if focus:
            self.mark_read(article_id)
        if focus:
            self.focus_pane("reader")
        self.read_article(self.opening, article_id, paragraph, focus, offset, end)

    @work(
        thread=True,
        exclusive=True,
        group="article",
        exit_on_error=False,
        description="Opening the article",
    )
    def read_article(
        self,
        request: int,
        article_id: str,
        paragraph: int | None,
        focus: bool,
        offset: int | None,
        end: int | None,
    ) -> None:
        """Read one article and what the Reader marks in it, off the UI thread."""
        try:
            parts = self._read(article_id)
            if parts is None:
                self.post_message(ArticleRead(request, None, focus))
                return
            read = parts.message(request, focus, paragraph)
        except CatalogueDamaged as exc:
            self.post_message(CatalogueDamagedFound(exc))
            return
        except BackendUnavailable as exc:
            self.app.call_from_thread(self._backend_lost, exc)
            return
        if offset is not None:
            read.paragraph, read.sentence = _place(parts.article, offset, end)
        if not get_current_worker().is_cancelled:
            self.post_message(read)

    @on(ArticleRead)
    def _on_article_read(self, message: ArticleRead) -> None:
        if message.request != self.opening:
            return  # the user has asked for another article since
        reader = self.query_one(Reader)
        article = message.article
        if article is None:  # gone since the list was read (a build removed it)
            reader.show_message("This article is no longer in the index.")
            return
        terms: tuple[str, ...] = ()
        if self.results is not None:
            hit = next((h for h in self.results if h.id == article.id), None)
            terms = hit.terms if hit else ()
        reader.active_entity = self.entity_filter
        reader.show(
            article,
            message.mentions,
            terms,
            message.paragraph,
            self.bookmarks.get(article.id, frozenset()),
            [(c.quote.start, c.quote.end, c.speaker) for c in message.quotes],
            sentence=message.sentence,
        )
        self.query_one(EntityList).set_entities(
            article=message.entities,
            article_quotes=Counter(c.speaker for c in message.quotes),
        )
        if message.related is None:
            self.show_related(article.id)
        else:
            reader.set_related(article.id, message.related)

    # -- search -----------------------------------------------------------------------------
    @on(Input.Changed, "#query")
    def _on_query_changed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        self.any_word = False
        box = self.query_one(SearchBox)
        if not text:
            self.query_text = ""
            self.results = None
            box.show_status("")
            self.refresh_list()
            return
        mode = box.mode_of(text)
        if mode == "fuzzy" and len(text) < MIN_QUERY:
            self.query_text = ""
            self.results = None
            box.show_status("fuzzy: keep typing…")
            self.refresh_list()
            return
        box.show_status(f"{mode}: searching…")
        self.run_search(text)

    @work(
        thread=True,
        exclusive=True,
        group="search",
        exit_on_error=False,
        description="Searching",
    )
    def run_search(self, text: str, any_word: bool = False) -> None:
        worker = get_current_worker()
        try:
            # One search at a time: keystrokes typed while one runs wait for it, and those a
            # newer keystroke has overtaken meanwhile are skipped. Each ran at once before,
            # competing for the same two cores and each holding its own searcher's memory.
            with self._searching:
                if worker.is_cancelled:
                    return
                hits = self._search(text, any_word)
                # why there is nothing or little, and the way out (off the UI thread: it searches)
                advice = None if any_word else self.library.advise(text, len(hits))
                if hits and hits[0].id != self.current_id:
                    # the list's cursor goes to the best hit: shown with the results, in one
                    # frame (its copies-and-similar line follows: it is a search of its own)
                    self._read_for_cursor(hits[0].id, self.reads.generation, related=False)
        except QueryError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._search_failed, text, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_results, text, hits, advice, any_word)

    def _search(self, text: str, any_word: bool = False) -> list[SearchHit]:
        # Snippets are cut for the first rows only (the list shows fewer): the others when
        # they are scrolled to (SnippetsWanted). Cutting all 200 was most of a keystroke.
        if SearchBox.mode_of(text) == "full-text":
            return self.library.search(text, limit=200, any_word=any_word, snippets=FIRST_CUT)
        return self.library.fuzzy(text, limit=200, any_word=any_word, snippets=FIRST_CUT)

    @on(SnippetsWanted)
    def _on_snippets_wanted(self, message: SnippetsWanted) -> None:
        if self.results is None:
            return
        wanted = set(message.article_ids)
        self.cut_snippets([h for h in self.results if h.id in wanted and not h.cut])

    @work(
        thread=True,
        group="snippets",
        exit_on_error=False,
        description="Cutting the search snippets",
    )
    def cut_snippets(self, hits: list[SearchHit]) -> None:
        """Cut the snippets of search rows scrolled into view, off the UI thread."""
        if hits:
            cut = self.library.snippets(hits)
            self.app.call_from_thread(self._show_snippets, hits, cut)

    def _show_snippets(self, asked: list[SearchHit], cut: list[SearchHit]) -> None:
        if self.results is None:
            return
        # only into the results they were cut for (a newer search has hits of its own)
        done = {id(old): new for old, new in zip(asked, cut, strict=True)}
        if not any(id(h) in done for h in self.results):
            return
        self.results = [done.get(id(h), h) for h in self.results]
        self.query_one(ArticleList).set_snippets(
            {h.id: (h.snippet, h.spans, h.paragraph) for h in cut}
        )

    def _show_results(
        self,
        text: str,
        hits: list[SearchHit],
        advice: Advice | None = None,
        any_word: bool = False,
    ) -> None:
        if text != self.query_one(QueryInput).value.strip() or any_word != self.any_word:
            return  # the user has typed on; a newer search is on its way
        self.query_text = text
        self.results = hits
        self.query_one(SearchBox).show_results(SearchBox.mode_of(text), len(hits), advice, any_word)
        self.refresh_list()
        # The open article stays open when it is still a hit: highlight what this query matched
        # in it (not what the prefix typed a keystroke ago matched).
        hit = next((h for h in hits if h.id == self.current_id), None)
        if hit is not None:
            self.query_one(Reader).set_terms(hit.terms)
        if self.open_top_of == text:
            self.open_top_of = None
            self._open_top()

    def action_any_word(self) -> None:
        """ctrl+o: show the articles with any of the words, or all of them again."""
        text = self.query_one(QueryInput).value.strip()
        if not text or text != self.query_text:
            self.notify("Type a search first", timeout=2)
            return
        self.any_word = not self.any_word
        self.run_search(text, self.any_word)

    def _search_failed(self, text: str, reason: str) -> None:
        if self.open_top_of == text:  # Enter was waiting for these results: back to the box
            self.open_top_of = None
            self.query_one(Reader).stop_waiting()
            self.action_focus_search()
        if text == self.query_one(QueryInput).value.strip():
            self.query_one(SearchBox).show_status(
                f"error: {reason} (showing last results)", error=True
            )

    @on(Input.Submitted, "#query")
    def _on_query_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text and (text != self.query_text or not self.results):
            # The search runs in its worker; the top hit opens when its results are in. The
            # Reader takes the keys typed meanwhile (Enter j j: two paragraphs down in it).
            self.open_top_of = text
            self.query_one(Reader).wait_for_article()
            self.focus_pane("reader")
            self.run_search(text, self.any_word)
        else:
            self._open_top()
        self._send_on_typeahead()

    def _send_on_typeahead(self) -> None:
        """Keys typed after an Enter, before it was answered: on to where the focus is now."""
        for widget in (self.query_one(QueryInput), self.query_one(ArticleList)):
            for key in widget.take_typeahead():
                self.app.post_message(key)

    def _open_top(self) -> None:
        article_list = self.query_one(ArticleList)
        if self.query_text:
            self.visit(self.here())
        if article_list.rows:
            article_list.cursor = 0
            top = article_list.rows[0]
            self.open_article(top.info.id, paragraph=top.paragraph, focus=True)
            self.visit(self.here(top.info.id, top.paragraph))
        elif self.focused is self.query_one(Reader):  # nothing to open: back to the box
            self.query_one(Reader).stop_waiting()
            self.action_focus_search()

    @on(QueryInput.ToResults)
    def _to_results(self) -> None:
        if self.query_text:
            self.visit(self.here())
        self.focus_pane("articles")

    @on(ArticleList.SortChanged)
    def _on_sort(self, message: ArticleList.SortChanged) -> None:
        self.query_one("#articles-pane").border_title = f"Articles · {message.label}"
        self.sort = (message.sort, message.descending)
        self.save_state()

    # -- filters ----------------------------------------------------------------------------
    @on(EntityChosen)
    def _on_entity(self, message: EntityChosen) -> None:
        self.entity_filter = message.name

    @on(PeriodChosen)
    def _on_period(self, message: PeriodChosen) -> None:
        self.period_filter = None if self.period_filter == message.period else message.period

    def watch_entity_filter(self, name: str | None) -> None:
        if name is None:
            self.entity_ids = None
            self._entity_filtered(None)
        else:  # the list narrows when the entity's articles are read
            self.read_entity_ids(name)

    @work(
        thread=True,
        exclusive=True,
        group="entity-ids",
        exit_on_error=False,
        description="Reading the entity's articles",
    )
    def read_entity_ids(self, name: str) -> None:
        """Read the articles that mention ``name`` off the UI thread."""
        ids = frozenset(self.library.articles_with_entity(name))
        if not get_current_worker().is_cancelled:
            self.post_message(EntityIdsRead(name, ids))

    @on(EntityIdsRead)
    def _on_entity_ids(self, message: EntityIdsRead) -> None:
        if message.entity == self.entity_filter:
            self.entity_ids = message.ids
            self._entity_filtered(message.entity)

    def _entity_filtered(self, name: str | None) -> None:
        self.refresh_list()
        self.refresh_timeline()
        self.query_one(Reader).set_active_entity(name)
        self.visit(self.here())

    def watch_period_filter(self) -> None:
        self.refresh_list()
        self.refresh_timeline()
        self.visit(self.here())

    def action_clear_filters(self) -> None:
        if self.period_filter:
            self.period_filter = None
        elif self.entity_filter:
            self.entity_filter = None
        else:
            self.notify("No filters to clear", timeout=1.5)

    # -- focus ------------------------------------------------------------------------------
    def action_focus_search(self) -> None:
        self.set_focus(self.query_one(QueryInput))
        self._send_on_typeahead()  # "/gold" typed fast: the letters the list held

    def action_focus_pane(self, pane: str) -> None:
        self.focus_pane(pane)

    def focus_pane(self, pane: str) -> None:
        self.set_class(pane in ("entities", "timeline"), "-show-side")
        # Focus moves now, not after the keys already typed (widget.focus() waits for them):
        # "/chang" typed fast goes into the box, and Enter j j moves in the Reader.
        if pane == "timeline" and isinstance(self.focused, EventList):
            self.set_focus(self.query_one(PeriodChart))  # 4 again: the chart, no shift+tab
            return
        target = {
            "articles": ArticleList,
            "reader": Reader,
            "entities": EntityList,
            "timeline": EventList,
        }[pane]
        self.set_focus(self.query_one(target))

    def on_descendant_focus(self) -> None:
        focused = self.focused
        if focused is None:
            return
        in_side = any(a.id == "side" for a in focused.ancestors)
        if focused.id == "reader" or in_side:
            self.set_class(in_side, "-show-side")

    # -- bookmarks --------------------------------------------------------------------------
    # The app owns the bookmarks; the Reader's BookmarkRequested goes up to it unhandled here.
    @on(BookmarksChanged)
    def _on_bookmarks(self, message: BookmarksChanged) -> None:
        self.bookmarks = message.marks
        reader = self.query_one(Reader)
        if reader.article is not None:
            reader.mark_bookmarked(self.bookmarks.get(reader.article.id, frozenset()))

    def action_notes(self) -> None:
        self.app.action_notes()

    def action_quotes(self) -> None:
        self.app.action_quotes()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failed open or search leaves nothing to wait for: the Reader takes keys again.
        # (ReportsFailures shows the failure itself.)
        if event.state == WorkerState.ERROR and event.worker.group in ("article", "search"):
            self.open_top_of = None
            self.query_one(Reader).stop_waiting()

    def on_unmount(self) -> None:
        self.cancel.set()
        self.save_state_now()


def _per_month(rows: list[Row]) -> Counter[str]:
    """The listed articles per month, as the timeline's chart shows them."""
    return month_counts(r.info.published for r in rows if r.info.published)


def _place(article: Article, offset: int, end: int | None) -> tuple[int, tuple[int, int] | None]:
    """The paragraph holding ``offset`` of the article's text, and ``offset``..``end`` in that
    paragraph's coordinates (None without ``end``)."""
    starts = article.paragraph_starts()
    paragraph = paragraph_index(starts, offset)
    if end is None:
        return paragraph, None
    size = len(article.paragraphs[paragraph])
    start = offset - starts[paragraph]
    return paragraph, (start, min(end - starts[paragraph], size))
