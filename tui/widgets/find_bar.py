"""Find in the open article: a query for the Reader alone, docked at the Reader's foot.

The bar holds an input and a count ("3/7"). Typing marks every match in the article (literal
text, any case; see :func:`index.search.highlight.find_spans`); enter and shift+enter (or ``n``
and ``N`` once back in the Reader) step from match to match; escape closes the bar and the
Reader's hits are the search's again.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from tui.keymap import KeyIds


class FindInput(KeyIds, Input):
    """The find query. Escape closes the bar; shift+enter steps back."""

    BINDINGS = [
        Binding("escape", "close", "Close find"),
        Binding("shift+enter", "step(-1)", "Previous match"),
        Binding("down", "step(1)", "Next match", show=False),
        Binding("up", "step(-1)", "Previous match", show=False),
    ]

    class Step(Message):
        """Go to the next (1) or previous (-1) match."""

        def __init__(self, delta: int) -> None:
            super().__init__()
            self.delta = delta

    class Close(Message):
        """Leave find: back to the Reader with the search's hits."""

    def action_close(self) -> None:
        self.post_message(self.Close())

    def action_step(self, delta: int) -> None:
        self.post_message(self.Step(delta))


class FindBar(Horizontal):
    """Hidden until ``ctrl+f`` in the Reader; see the module docstring."""

    DEFAULT_CSS = """
    FindBar {
        dock: bottom; height: 1; display: none; background: $panel;
    }
    FindBar.-open { display: block; }
    FindBar > .find-label { width: auto; padding: 0 1; color: $text-muted; }
    FindBar > FindInput, FindBar > FindInput:focus {
        width: 1fr; height: 1; border: none; padding: 0;
    }
    FindBar > .find-count { width: auto; min-width: 8; padding: 0 1; }
    FindBar > .find-count.-none { color: $error; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Find:", classes="find-label")
        yield FindInput(placeholder="text in this article (enter: next, escape: close)")
        yield Static("", classes="find-count")

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.query_one(FindInput).focus()

    def close(self) -> None:
        self.remove_class("-open")

    def show_count(self, current: int, total: int, query: str) -> None:
        """ "3/7" for the third of seven matches; "0/0" in red when ``query`` finds nothing."""
        count = self.query_one(".find-count", Static)
        text = f"{current}/{total}" if query else ""
        if text != self._count:  # an update lays out the screen again: each article asks
            self._count = text
            count.update(text)
        count.set_class(bool(query) and not total, "-none")

    _count = ""
