"""The search box: one input for fuzzy filtering and Whoosh full-text queries."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from index.search.advice import Advice
from index.search.query import is_fulltext
from tui.keymap import KeyIds
from tui.text import plain
from tui.widgets.typeahead import HoldsKeysAfterEnter


class QueryInput(KeyIds, HoldsKeysAfterEnter, Input):
    """The input itself; escape clears it and returns to the list; up and down go through the
    searches run before (down past the newest moves into the results)."""

    BINDINGS = [
        Binding("escape", "clear_query", "Clear", show=True),
        Binding("up", "older", "Earlier searches", show=False),
        Binding("down", "results", "Results", show=False),
    ]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # The session's search history, oldest first (the screen shares its list).
        self.history: list[str] = []
        self._back = 0  # how far back in the history the box is (0: the user's own text)
        self._typed = ""

    @dataclass
    class ToResults(Message):
        """Down-arrow: move the focus into the result list."""

    def action_clear_query(self) -> None:
        """Clear the search and leave the box: the next key is a command again, not text."""
        self.value = ""
        self.post_message(self.ToResults())

    def action_older(self) -> None:
        """Up: the search before the one shown."""
        if self._back >= len(self.history):
            return
        if self._back == 0:
            self._typed = self.value
        self._back += 1
        self._show_history()

    def action_results(self) -> None:
        """Down: a newer search from the history, else into the results."""
        if self._back == 0:
            self.post_message(self.ToResults())
            return
        self._back -= 1
        self._show_history()

    def _show_history(self) -> None:
        self.value = self.history[-self._back] if self._back else self._typed
        self.cursor_position = len(self.value)

    def on_key(self, event: events.Key) -> None:
        if event.key not in ("up", "down"):
            self._back = 0  # typing (or anything else) leaves the history where it is


class SearchBox(Vertical):
    """Input plus a status line saying which mode ran, how many matched, or what is wrong."""

    DEFAULT_CSS = """
    SearchBox { height: auto; }
    SearchBox QueryInput { border: none; height: 1; padding: 0 1; background: $boost; }
    SearchBox QueryInput:focus { border: none; background: $accent 25%; }
    SearchBox #search-status {
        height: auto; max-height: 4; padding: 0 1; color: $text-muted; display: none;
    }
    SearchBox #search-status.-advice { color: $warning; }
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

    def show_status(self, text: str, error: bool = False, advice: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.display = bool(text)
        status.set_class(error, "-error")
        status.set_class(advice and not error, "-advice")
        status.update(plain(text) if error else Text(text))

    def show_results(
        self, mode: str, count: int, advice: Advice | None = None, any_word: bool = False
    ) -> None:
        """The status after a search: how many matched, and why so few, with the way out."""
        text = (
            f"{mode}{', any word' if any_word else ''}: {count} match{'es' if count != 1 else ''}"
        )
        if advice is not None:
            text += f" — {advice.text()}"
            if advice.any_count:
                text += " · ctrl+o: show them"
        if any_word:
            text += " · ctrl+o: all words again"
        self.show_status(text, advice=advice is not None)
