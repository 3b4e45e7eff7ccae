"""The bookmark dialog: shows the passage, asks for an optional comment."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.screens.dialog import InputDialog
from tui.text import plain


class BookmarkDialog(InputDialog[str]):
    """Enter saves (returns the comment, possibly empty); escape cancels (returns None)."""

    HEADING = "Bookmark passage"
    DEFAULT_CSS = """
    BookmarkDialog { align: center middle; }
    BookmarkDialog > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 80%;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    BookmarkDialog #passage { max-height: 12; overflow-y: auto; color: $text-muted; margin: 1 0; }
    BookmarkDialog #hint { color: $text-muted; }
    """

    def __init__(self, title: str, passage: str, comment: str = "") -> None:
        super().__init__()
        self.article_title = title
        self.passage = passage
        self.comment = comment  # a suggested comment the user may edit (who said a quote)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.HEADING
            yield Label(plain(self.article_title, "bold"))
            yield Static(plain(self.passage), id="passage")
            yield Input(self.comment, placeholder="Comment (optional)", id="comment")
            yield Static("enter: save   escape: cancel", id="hint")

    @on(Input.Submitted, "#comment")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
