"""The search box: one input for fuzzy filtering and Whoosh full-text queries."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from index.query import is_fulltext
from tui.text import plain


class QueryInput(Input):
    """The input itself; escape clears, down moves into the results."""

    BINDINGS = [
        Binding("escape", "clear_query", "Clear", show=True),
        Binding("down", "results", "Results", show=False),
    ]

    @dataclass
    class ToResults(Message):
        """Down-arrow: move the focus into the result list."""

    def action_clear_query(self) -> None:
        if self.value:
            self.value = ""
        else:
            self.post_message(self.ToResults())

    def action_results(self) -> None:
        self.post_message(self.ToResults())


class SearchBox(Vertical):
    """Input plus a status line saying which mode ran, how many matched, or what is wrong."""

    DEFAULT_CSS = """
    SearchBox { height: auto; }
    SearchBox QueryInput { border: none; height: 1; padding: 0 1; background: $boost; }
    SearchBox QueryInput:focus { border: none; background: $accent 25%; }
    SearchBox #search-status { height: 1; padding: 0 1; color: $text-muted; display: none; }
    SearchBox #search-status.-error { color: $error; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield QueryInput(
            placeholder='/ search: words (fuzzy) or "phrase", AND, field:… (full-text)', id="query"
        )
        yield Static("", id="search-status")

    @property
    def input(self) -> QueryInput:
        return self.query_one(QueryInput)

    @staticmethod
    def mode_of(text: str) -> str:
        return "full-text" if is_fulltext(text) else "fuzzy"

    def show_status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.display = bool(text)
        status.set_class(error, "-error")
        status.update(plain(text) if error else Text(text))
