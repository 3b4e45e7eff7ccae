"""What a ``j`` in the article list costs the UI thread: counted, not timed (issue 20).

A key is on screen when the frame that draws it is; Textual's frames after the first are 17 to
33 ms apart, so a ``j`` must be drawn whole in one frame: the cursor, the article under it,
its entities. These tests count what makes a second frame or a slow one: a read that waits for
a worker, a layout pass of the screen (which moves widgets and marks the panes around them for
repainting, and leaves scrollbars to draw in the next frame), and lines painted again that did
not change.
"""

from __future__ import annotations

import functools
import operator
import threading

import pytest
from rich.text import Text
from textual._compositor import Compositor
from textual.widget import Widget

from index.library import open_library
from index.models import Article
from tests.screen import main_screen, pause_until, settle, wait_until
from tui.app import create_app
from tui.screens.main import MainScreen
from tui.screens.notes import NotesScreen
from tui.screens.reads import Read, ReadAhead
from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import LEFT, ArticleView
from tui.widgets.footer import Footer
from tui.widgets.period_chart import PeriodChart
from tui.widgets.reader import Reader


def _read(article_id: str) -> Read:
    article = Article(id=article_id, title=article_id, paragraphs=("text",))
    return Read(article, [], [], [], Text("related"))


def test_read_ahead_keeps_the_last_reads_and_drops_those_made_before_it_forgot() -> None:
    reads = ReadAhead(size=2)
    for name in ("a", "b", "c"):
        reads.keep(reads.generation, _read(name))
    assert "a" not in reads and "b" in reads and "c" in reads  # bounded: the oldest goes
    under_way = reads.generation
    reads.forget()
    assert "b" not in reads and "c" not in reads
    reads.keep(under_way, _read("d"))  # read before the index changed: not kept
    assert "d" not in reads
    reads.keep(reads.generation, _read("e"))
    assert reads.get("e") is not None


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts of layout passes and of article reads started in a worker."""
    counts = {"layouts": 0, "reads": 0}
    reflow, read_article = Compositor.reflow, MainScreen.read_article

    def counting_reflow(self: Compositor, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        counts["layouts"] += 1
        return reflow(self, *args, **kwargs)

    def counting_read(self: MainScreen, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        counts["reads"] += 1
        return read_article(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "reflow", counting_reflow)
    monkeypatch.setattr(MainScreen, "read_article", counting_read)
    return counts


async def test_j_in_the_list_draws_the_next_article_in_the_same_frame(
    settings, counted: dict[str, int]
) -> None:
    """The article below the cursor was read ahead while the cursor rested: ``j`` shows it
    at once (no worker to wait for), and neither the Reader nor the Entities pane asks for a
    layout pass of the screen."""
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        rows = screen.query_one(ArticleList).rows
        reader = screen.query_one(Reader)
        await pause_until(pilot, lambda: reader.article is not None, "the first article")
        for row in rows[1:4]:
            # the cursor rests: the next article is read ahead
            read = functools.partial(operator.contains, screen.reads, row.info.id)
            await wait_until(pilot, read, "the read ahead")
            await settle(pilot)
            counted["layouts"] = counted["reads"] = 0
            await pilot.press("j")
            assert reader.article is not None and reader.article.id == row.info.id
            assert counted == {"layouts": 0, "reads": 0}
            assert reader.view.related.plain  # the copies-and-similar line came with it


async def test_j_in_the_list_repaints_only_the_two_rows_that_change(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[int] = []
    render_line = ArticleList.render_line

    def counting(self: ArticleList, y: int):  # type: ignore[no-untyped-def]
        drawn.append(y)
        return render_line(self, y)

    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        article_list = main_screen(app).query_one(ArticleList)
        monkeypatch.setattr(ArticleList, "render_line", counting)
        await pilot.press("j")
        await settle(pilot)
        changed = {y for row in (0, 1) for y in range(*_lines(article_list, row))}
        assert drawn and set(drawn) <= changed  # not the list's other 30-odd lines


def _lines(article_list: ArticleList, row: int) -> tuple[int, int]:
    top, height = article_list.row_span(row)
    return top, top + height


async def test_enter_on_the_article_the_cursor_opened_reads_and_lays_out_nothing(
    settings, counted: dict[str, int]
) -> None:
    """The article is on screen already: Enter moves the focus to the Reader, and the footer
    shows the Reader's keys, in the same line it had (no widgets mounted, no layout pass)."""
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        reader = screen.query_one(Reader)
        await pilot.press("j")
        await settle(pilot)
        shown = reader.article
        assert shown is not None
        counted["layouts"] = counted["reads"] = 0
        await pilot.press("enter")
        await pause_until(pilot, lambda: app.focused is reader, "the Reader focused")
        await settle(pilot)
        assert reader.article is shown and screen.current_id == shown.id
        assert "Bookmark" in screen.query_one(Footer).keys
        assert counted == {"layouts": 0, "reads": 0}


async def test_a_click_on_a_key_in_the_footer_presses_it(settings) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        footer = main_screen(app).query_one(Footer)
        line = footer.render().plain
        await pilot.click(Footer, offset=(line.index("Notes"), 0))
        await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen), "the notes")


async def test_a_search_shows_its_best_hit_with_its_results(
    settings, counted: dict[str, int]
) -> None:
    """The search's worker reads the best hit too: the list's cursor lands on it and the Reader
    shows it with the results, not after a read of its own."""
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        reader = screen.query_one(Reader)
        first = screen.current_id
        counted["reads"] = 0
        await pilot.press("slash", *"frozen")  # not in the article open at the start
        await wait_until(pilot, lambda: screen.results is not None, "the results")
        await settle(pilot)
        assert screen.results is not None
        best = screen.results[0].id
        assert best != first
        assert reader.article is not None and reader.article.id == best
        assert counted["reads"] == 0


async def test_text_in_the_reader_is_selected_with_the_mouse_without_its_margin(
    settings,
) -> None:
    """The article is one widget now, not a Static per paragraph: a drag over its text still
    selects that text (ctrl+c copies it), and the margin and bars are not part of it."""
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        await pause_until(pilot, lambda: reader.article is not None, "an article")
        view = reader.view
        top, _height = view.paragraph_span(0)
        row = top - int(view.scroll_y)
        first_line = view.shown_text(0).splitlines()[0]
        await pilot.mouse_down(ArticleView, offset=(LEFT, row))
        await pilot.hover(ArticleView, offset=(LEFT + 12, row))
        await pilot.mouse_up(ArticleView, offset=(LEFT + 12, row))
        selected = app.screen.get_selected_text()
        assert selected is not None and first_line.startswith(selected.strip())
        assert len(selected.strip()) >= 10


async def test_a_search_counts_its_hits_per_month_with_its_results(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search's few hundred hits are counted for the timeline's chart on the UI thread, so
    the chart changes in the frame that shows them (a worker drew it frames later)."""
    workers: list[object] = []
    refresh_histogram = MainScreen.refresh_histogram

    def counting(self: MainScreen, *args: object) -> object:
        workers.append(args)
        return refresh_histogram(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(MainScreen, "refresh_histogram", counting)
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        workers.clear()
        await pilot.press("slash", *"missile")
        await wait_until(pilot, lambda: screen.results is not None, "the results")
        await settle(pilot)
        chart = screen.query_one(PeriodChart)
        shown = screen.query_one(ArticleList).rows
        assert not workers
        assert sum(chart.months.values()) == sum(1 for r in shown if r.info.published)


async def test_a_quick_check_of_the_corpus_does_not_show_the_progress_line(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start's check of an unchanged corpus showed the progress line and took it away,
    each a layout and repaint of every pane under the user's first keys: it shows only for a
    build still running after SHOW_PROGRESS_AFTER."""
    open_library(settings).update()  # built: the app's own check finds nothing to do
    shown: list[str] = []
    add_class = Widget.add_class

    def recording(self: Widget, *names: str, update: bool = True) -> Widget:
        if self.id == "status":
            shown.extend(names)
        return add_class(self, *names, update=update)

    monkeypatch.setattr(Widget, "add_class", recording)
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert main_screen(app).query_one(ArticleList).rows
        assert "-busy" not in shown


def _reads_while_held(library, monkeypatch, owner: object, name: str, slow_work, what: str) -> None:
    """Hold ``owner.name`` (a slow part of the library) in ``slow_work``, run in a thread of its
    own, and check that what the Reader reads of an article meanwhile does not wait for it."""
    article_id = library.articles()[0].id
    library.reload()  # forget what the update built
    started, release = threading.Event(), threading.Event()
    made = getattr(owner, name)

    def held(*args: object, **kwargs: object) -> object:
        started.set()
        release.wait(10)
        return made(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    slow = threading.Thread(target=slow_work)
    slow.start()
    try:
        assert started.wait(10)

        def what_the_reader_reads() -> None:
            library.mentions(article_id)
            library.entities(article_id)
            library.quotes(article=article_id)  # its speakers' names now: the cache lock

        read = threading.Thread(target=what_the_reader_reads)
        read.start()
        read.join(5)
        assert not read.is_alive(), f"the names waited for {what}"
    finally:
        release.set()
        slow.join(10)


def test_an_articles_names_are_read_while_the_search_matcher_is_built(
    library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up builds the as-you-type matcher (a second at 20,000 articles); it held the
    lock that every article's read of its entity names takes, so the Reader showed nothing for
    up to two seconds after the start. Now the names are read meanwhile."""
    from index.search import searching

    _reads_while_held(library, monkeypatch, searching, "FuzzyIndex", library.warm, "the matcher")
    assert library.fuzzy_index() is library.fuzzy_index()  # built once, and kept


def test_an_articles_names_are_read_while_the_whole_list_is_read(
    library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole article list (1-2 s at 100,000) was read under the same lock: a Reader key
    waited 2 s for it there. The list, and the names' map, are now made outside it."""
    catalogue = library.catalogue
    _reads_while_held(
        library, monkeypatch, catalogue, "infos", library.articles, "the article list"
    )
    assert library.articles() is library.articles()  # read once, and kept
