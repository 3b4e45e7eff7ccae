"""The export dialog: where to write, with the format chosen by the file name's ending."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui.screens.dialog import InputDialog
from tui.text import plain


class ExportDialog(InputDialog[Path]):
    """Enter returns the path (its ending one of ``suffixes``); escape returns None."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > Vertical {
        width: 90%; max-width: 110; height: auto;
        border: thick $accent; background: $panel; padding: 0 1;
    }
    ExportDialog #export-hint { color: $text-muted; }
    ExportDialog #export-error { color: $error; }
    """

    def __init__(self, what: str, path: Path, suffixes: tuple[str, ...]) -> None:
        super().__init__()
        self.what = what
        self.path = path
        self.suffixes = suffixes

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Export"
            yield Label(plain(self.what, "bold"))
            yield Input(str(self.path), id="export-path")
            endings = " or ".join(self.suffixes)
            yield Static(
                f"the ending chooses the format ({endings})   enter: write   escape: cancel",
                id="export-hint",
            )
            yield Static("", id="export-error")

    @on(Input.Submitted, "#export-path")
    def _submit(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip() or path.suffix.lower() not in self.suffixes:
            endings = ", ".join(self.suffixes)
            message = f"The file name must end in {endings}."
            self.query_one("#export-error", Static).update(plain(message))
            return
        self.dismiss(path)
