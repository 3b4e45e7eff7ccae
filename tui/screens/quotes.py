"""The Quotes view: who said what, grouped by speaker (most quoted first), each quote with its
outlet and date; enter opens the article at the quote, ``b`` bookmarks it with its citation.

The quotes are read in a worker (a big corpus has tens of thousands); a failure is shown in
the view. Quote text comes from the corpus: it is shown through :func:`tui.text.plain`,
never parsed as markup.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from index.library import Library
from index.store.quoteindex import CitedQuote
from tui.failures import ReportsFailures
from tui.keymap import KeyIds
from tui.messages import BookmarkRequested
from tui.text import plain
from tui.widgets.footer import Footer

UNATTRIBUTED = "(unattributed)"
# Options the list holds at most: 53,000 quotes of 19,000 articles took half a minute to lay
# out, with the UI frozen. The most quoted speakers come first; the CLI lists them all.
MAX_SHOWN = 3000


def grouped(quotes: list[CitedQuote]) -> list[tuple[str, list[CitedQuote]]]:
    """Quotes by speaker, the most quoted speaker first (ties by name), each speaker's quotes
    in publication order; quotes with no speaker come last."""
    groups: dict[str, list[CitedQuote]] = {}
    for c in quotes:
        groups.setdefault(c.speaker or UNATTRIBUTED, []).append(c)
    counts = Counter({name: len(items) for name, items in groups.items()})
    order = sorted(groups, key=lambda n: (n == UNATTRIBUTED, -counts[n], n.casefold()))
    return [(name, groups[name]) for name in order]


@dataclass
class _Listing:
    status: str
    options: list[Option]
    by_option: dict[str, CitedQuote]


class QuotesView(KeyIds, OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("b", "bookmark", "Bookmark"),
    ]

    def action_bookmark(self) -> None:
        screen = self.screen
        if isinstance(screen, QuotesScreen):
            screen.bookmark_highlighted()


class QuotesScreen(KeyIds, ReportsFailures, Screen[tuple[str, int] | None]):
    """Dismisses with ``(article id, 0-based paragraph)`` when the user opens a quote."""

    BINDINGS = [Binding("escape,Q", "back", "Back")]
    DEFAULT_CSS = """
    QuotesScreen #quotes-box { border: round $primary; border-title-color: $accent; }
    QuotesScreen #quotes-status { color: $text-muted; height: auto; }
    QuotesScreen QuotesView { height: 1fr; background: $surface; border: none; }
    """

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.by_option: dict[str, CitedQuote] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="quotes-box"):
            yield Static("Reading quotes…", id="quotes-status")
            yield QuotesView(id="quotes-list")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#quotes-box").border_title = "Quotes: who said what"
        self.query_one(QuotesView).focus()
        self._load()

    @work(
        thread=True,
        exclusive=True,
        group="quotes",
        exit_on_error=False,
        description="Reading the quotes",
    )
    def _load(self) -> _Listing:
        return self.listing(self.library.quotes())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "quotes":
            return
        status = self.query_one("#quotes-status", Static)
        if event.state == WorkerState.ERROR:
            status.update(plain(f"Could not read the quotes: {event.worker.error}"))
        elif event.state == WorkerState.SUCCESS and isinstance(event.worker.result, _Listing):
            self.show_listing(event.worker.result)

    def listing(self, quotes: list[CitedQuote]) -> _Listing:
        """The options for ``quotes`` (built off the UI thread): a header per speaker, then
        that speaker's quotes, at most :data:`MAX_SHOWN` quotes in all."""
        groups = grouped(quotes)
        by_option: dict[str, CitedQuote] = {}
        options: list[Option] = []
        for name, items in groups:
            if len(by_option) >= MAX_SHOWN:
                break
            header = Text(end="")
            header.append_text(plain(name, "bold"))
            header.append(f"  {len(items)} quote{'' if len(items) == 1 else 's'}", "dim")
            options.append(Option(header, disabled=True))
            for c in items[: MAX_SHOWN - len(by_option)]:
                key = f"q{len(by_option)}"
                by_option[key] = c
                options.append(Option(self._label(c), id=key))
        if not quotes:
            status = "No quotes in this corpus (or the index predates them: re-index)."
        else:
            status = f"{len(quotes)} quotes by {len(groups)} speakers; enter: open, b: bookmark"
            if len(by_option) < len(quotes):
                status += (
                    f". Showing the {len(by_option)} of the most quoted speakers; "
                    "`thaad-tui quotes --speaker NAME` lists anyone's"
                )
        return _Listing(status, options, by_option)

    def show_listing(self, listing: _Listing) -> None:
        self.query_one("#quotes-status", Static).update(plain(listing.status))
        view = self.query_one(QuotesView)
        view.clear_options()
        self.by_option = listing.by_option
        view.add_options(listing.options)
        first = next((i for i, o in enumerate(listing.options) if o.id), None)
        if first is not None:
            view.highlighted = first

    @staticmethod
    def _label(c: CitedQuote) -> Text:
        q = c.quote
        label = Text(end="")
        text = q.text if len(q.text) <= 300 else q.text[:299] + "…"
        label.append_text(plain(f"  “{text}”" if q.kind == "direct" else f"  {text}", "italic"))
        label.append("\n")
        verb = f"{q.verb} · " if q.verb else ""
        citation = (
            f"    {verb}{c.outlet or '—'} · {c.published or 'undated'} · {c.title} ¶{q.paragraph}"
        )
        label.append_text(plain(citation, "dim"))
        return label

    def highlighted_quote(self) -> CitedQuote | None:
        option = self.query_one(QuotesView).highlighted_option
        return self.by_option.get(option.id or "") if option is not None else None

    @on(OptionList.OptionSelected, "#quotes-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        c = self.by_option.get(event.option.id or "")
        if c is not None:
            self.dismiss((c.quote.article, c.quote.paragraph - 1))

    def bookmark_highlighted(self) -> None:
        """Bookmark the quote's sentence, cited by its article, with who said it as comment."""
        c = self.highlighted_quote()
        if c is None:
            return
        q = c.quote
        passage = q.sentence if q.sentence.strip() else q.text
        comment = f"{c.speaker or UNATTRIBUTED} ({q.kind})"
        self.post_message(BookmarkRequested(q.article, q.paragraph - 1, passage, comment))

    def action_back(self) -> None:
        self.dismiss(None)
