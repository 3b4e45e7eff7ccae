"""What every one-field dialog does: the field has the focus, escape cancels (returns None)."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input

ResultT = TypeVar("ResultT")


class InputDialog(ModalScreen[ResultT | None], Generic[ResultT]):
    """A modal dialog around one :class:`Input`: focused when shown; escape returns None.

    Subclasses compose the field and dismiss with their result when it is submitted."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
