"""Two articles side by side: paragraphs aligned, what one drops (red) or adds (green)
highlighted, shared passages dimmed; ``n``/``N`` step through the differences."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from index.compare import textdiff
from index.library import Library
from index.models import Article
from tui.failures import ReportsFailures
from tui.text import plain
from tui.widgets.footer import Footer

DROPPED, ADDED = "bold red", "bold green"


def _changed(left: str, right: str) -> tuple[Text, Text]:
    a, b = textdiff.word_diff(left, right)
    out = []
    for pieces, style in ((a, DROPPED), (b, ADDED)):
        text = Text()
        for piece, differs in pieces:
            text.append_text(plain(piece, style if differs else ""))
        out.append(text)
    return out[0], out[1]


def _fields(article: Article) -> list[tuple[str, str]]:
    day = article.published.isoformat() if article.published else "undated"
    return [
        ("title", article.title),
        ("outlet", article.outlet or "unknown outlet"),
        ("date", day),
        ("URL", article.url or "no URL"),
    ]


def rows_for(left: Article, right: Article) -> list[tuple[str, Text, Text]]:
    """(kind, left text, right text) for the title, outlet, date and URL, then each aligned
    paragraph (corpus text is never markup)."""
    rows = []
    for (label, a_value), (_label, b_value) in zip(_fields(left), _fields(right), strict=True):
        if a_value == b_value:
            a, b = plain(a_value), plain(b_value)
        else:
            a, b = _changed(a_value, b_value)
        for side in (a, b):
            side.stylize("bold" if label == "title" else "italic")
            side.append_text(plain(f"  ({label})", "dim"))
        rows.append(("same" if a_value == b_value else "changed", a, b))
    for row in textdiff.align(left.paragraphs, right.paragraphs):
        a = plain(left.paragraphs[row.left]) if row.left is not None else Text()
        b = plain(right.paragraphs[row.right]) if row.right is not None else Text()
        if row.kind == "changed":
            assert row.left is not None and row.right is not None
            a, b = _changed(left.paragraphs[row.left], right.paragraphs[row.right])
        elif row.kind == "dropped":
            a.stylize(DROPPED)
            b = plain("(not in this one)", "italic dim")
        elif row.kind == "added":
            b.stylize(ADDED)
            a = plain("(not in this one)", "italic dim")
        rows.append((row.kind, a, b))
    return rows


class DiffRow(Horizontal):
    DEFAULT_CSS = """
    DiffRow { height: auto; margin-bottom: 1; }
    DiffRow > Static { width: 1fr; padding: 0 1; }
    DiffRow.-same > Static { color: $text-muted; }
    DiffRow.-current { background: $boost; border-left: thick $accent; }
    """


class SideBySideScreen(ReportsFailures, Screen[None]):
    """The two articles; dismissed with escape."""

    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("n", "step(1)", "Next difference"),
        Binding("N", "step(-1)", "Previous difference"),
    ]
    DEFAULT_CSS = """
    SideBySideScreen #sbs-heads { height: auto; border-bottom: solid $primary; }
    SideBySideScreen #sbs-heads > Static { width: 1fr; padding: 0 1; }
    SideBySideScreen #sbs-summary { color: $text-muted; padding: 0 1; height: auto; }
    SideBySideScreen #sbs-rows { background: $surface; }
    """

    def __init__(self, library: Library, left_id: str, right_id: str) -> None:
        super().__init__()
        self.library = library
        self.ids = (left_id, right_id)
        self.differences: list[int] = []
        self.position = -1

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="sbs-heads"):
            yield Static("", id="sbs-left")
            yield Static("", id="sbs-right")
        yield Static("Aligning…", id="sbs-summary")
        yield VerticalScroll(id="sbs-rows")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sbs-rows").focus()
        self.load()

    @work(
        thread=True,
        exclusive=True,
        group="side-by-side",
        exit_on_error=False,
        description="Reading the two articles",
    )
    def load(self) -> None:
        try:
            left, right = (self.library.article(i) for i in self.ids)
            if left is None or right is None:
                raise LookupError("the article is no longer in the index")
            rows = rows_for(left, right)
        except Exception as exc:  # shown, not swallowed
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._show, left, right, rows)

    def _failed(self, message: str) -> None:
        self.query_one("#sbs-summary", Static).update(plain(f"Cannot compare: {message}"))
        self.notify(f"Side by side: {message}", severity="error", markup=False)

    def _head(self, article: Article) -> Text:
        text = plain(article.outlet or "unknown outlet", "bold")
        text.append_text(plain(f" · {article.id}", "dim"))
        return text

    def _show(self, left: Article, right: Article, rows: list[tuple[str, Text, Text]]) -> None:
        self.query_one("#sbs-left", Static).update(self._head(left))
        self.query_one("#sbs-right", Static).update(self._head(right))
        self.differences = [n for n, (kind, _a, _b) in enumerate(rows) if kind != "same"]
        fields = len(_fields(left))
        differ = sum(n >= fields for n in self.differences)
        details = [label for n, (label, _v) in enumerate(_fields(left)) if n in self.differences]
        summary = f"{len(rows) - fields - differ} paragraphs shared (dimmed), {differ} differ"
        if details:
            summary += f"; {', '.join(details)} differ{'s' * (len(details) == 1)}"
        self.query_one("#sbs-summary", Static).update(
            summary + " · red: only on the left · green: only on the right · n/N: step"
        )
        self.query_one("#sbs-rows").mount_all(
            DiffRow(Static(a), Static(b), classes=f"-{kind}") for kind, a, b in rows
        )

    def action_step(self, delta: int) -> None:
        if not self.differences:
            self.notify("The two texts do not differ", timeout=2)
            return
        self.position = (self.position + delta) % len(self.differences)
        rows = list(self.query(DiffRow).results(DiffRow))
        for n, row in enumerate(rows):
            row.set_class(n == self.differences[self.position], "-current")
        target = rows[self.differences[self.position]]
        self.query_one("#sbs-rows", VerticalScroll).scroll_to_widget(target, animate=False)

    def action_back(self) -> None:
        self.dismiss(None)
