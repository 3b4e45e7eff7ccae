"""A yes/no confirmation dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.text import plain


class ConfirmDialog(ModalScreen[bool]):
    """``y`` or enter confirms; ``n`` or escape declines."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 70%; max-width: 80; height: auto; border: thick $error; background: $panel;
        padding: 1 2;
    }
    """

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.question, "bold"))
            if self.detail:
                yield Static(plain(self.detail, "dim"))
            yield Static("y / enter: yes    n / escape: no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
