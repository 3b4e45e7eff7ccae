"""A one-line question: the name to save a search under."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.screens.dialog import InputDialog
from tui.text import plain


class NameDialog(InputDialog[str]):
    """Enter returns the name typed (not empty); escape returns None."""

    DEFAULT_CSS = """
    NameDialog { align: center middle; }
    NameDialog > Vertical {
        width: 70%; max-width: 80; height: auto;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    NameDialog #what { color: $text-muted; margin: 1 0; }
    NameDialog #hint { color: $text-muted; }
    """

    def __init__(self, title: str, what: str, placeholder: str = "Name") -> None:
        super().__init__()
        self.box_title = title
        self.what = what
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.box_title
            yield Label(plain(self.what), id="what")
            yield Input(placeholder=self.placeholder, id="name")
            yield Static("enter: save   escape: cancel", id="hint")

    @on(Input.Submitted, "#name")
    def _save(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.notify("Type a name first", timeout=1.5)
