"""Compare outlets: how each outlet told it. For a search (or an entity), the matching passages
grouped by outlet, their counts per month, and each outlet's distinctive words (G2)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from index.compare import coverage
from index.library import Library, QueryError
from tui.failures import ReportsFailures
from tui.text import marked, plain
from tui.widgets.footer import Footer

PASSAGES = 4  # per outlet
BARS = " ▁▂▃▄▅▆▇█"


def outlet_block(view: coverage.OutletView, months: list[str], most: int) -> Text:
    """One outlet: name and count, a bar per month, distinctive words, a few passages."""
    text = plain(view.outlet, "bold cyan")
    text.append(f"  {len(view.passages)} article{'s' * (len(view.passages) != 1)}\n")
    text.append("  per month ", "dim")
    for month in months:
        n = view.by_month.get(month, 0)
        text.append(BARS[round(n / most * (len(BARS) - 1))] if n else "·", "yellow")
    text.append(f"  ({months[0]} … {months[-1]})\n" if months else "\n", "dim")
    text.append("  distinctive ", "dim")
    if view.keywords:
        for n, k in enumerate(view.keywords):
            text.append(", " if n else "")
            text.append_text(plain(k.word, "bold"))
            text.append(f" {k.g2:.1f}", "dim")
    else:
        text.append("none significant (G2 < 3.84)", "dim")
    for p in view.passages[:PASSAGES]:
        text.append(f"\n  {p.published or 'undated'} ", "dim")
        if p.copies:
            text.append(f"×{p.copies + 1} ", "bold yellow")
        text.append_text(marked(p.snippet, p.spans, "bold black on yellow"))
    if len(view.passages) > PASSAGES:
        text.append(f"\n  … and {len(view.passages) - PASSAGES} more", "dim")
    return text


class CompareScreen(ReportsFailures, Screen[None]):
    """Type a query (enter runs it); escape goes back."""

    BINDINGS = [Binding("escape", "back", "Back")]
    DEFAULT_CSS = """
    CompareScreen #compare-status { color: $text-muted; padding: 0 1; height: auto; }
    CompareScreen #compare-body { background: $surface; }
    CompareScreen #compare-body > Static { padding: 0 1; margin-bottom: 1; }
    """

    def __init__(self, library: Library, query: str = "", entity: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.initial = query
        self.entity = entity

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.initial, placeholder="query (Whoosh syntax), enter", id="compare-query")
        yield Static("", id="compare-status")
        yield VerticalScroll(id="compare-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial or self.entity:
            self.run(self.initial, self.entity)

    @on(Input.Submitted, "#compare-query")
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.entity = None
            self.run(event.value.strip(), None)

    def run(self, query: str, entity: str | None) -> None:
        what = f"entity {entity}" if entity else query
        self.query_one("#compare-status", Static).update(plain(f"Comparing outlets on {what}…"))
        self.compute(query, entity)

    @work(
        thread=True,
        exclusive=True,
        group="compare",
        exit_on_error=False,
        description="Comparing outlets",
    )
    def compute(self, query: str, entity: str | None) -> None:
        try:
            views = coverage.compare(self.library, query or None, entity=entity)
        except QueryError as exc:
            self.app.call_from_thread(self._failed, f"bad query: {exc}")
            return
        except Exception as exc:  # shown, not swallowed
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
            return
        self.app.call_from_thread(self._show, query, entity, views)

    def _failed(self, message: str) -> None:
        self.query_one("#compare-status", Static).update(plain(message))
        self.notify(message, severity="error", markup=False)

    def _show(self, query: str, entity: str | None, views: list[coverage.OutletView]) -> None:
        body = self.query_one("#compare-body", VerticalScroll)
        body.remove_children()
        what = f"entity {entity}" if entity else query
        total = sum(len(v.passages) for v in views)
        status = f"{total} articles from {len(views)} outlets on {what} · distinctive: G2 ≥ 3.84"
        self.query_one("#compare-status", Static).update(plain(status))
        months = coverage.months(views)
        most = max((n for v in views for n in v.by_month.values()), default=1)
        body.mount_all(Static(outlet_block(v, months, most), classes="outlet") for v in views)

    def action_back(self) -> None:
        self.dismiss(None)
