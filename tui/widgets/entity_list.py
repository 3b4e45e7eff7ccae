"""The Entities pane: people, organisations, places and other, for one article or the corpus.

Enter filters the article list by the highlighted entity. ``r``, ``m``, ``t`` and ``h`` correct
it (rename, merge into another, change type, hide): the dialog's answer goes up as
:class:`EntityList.Corrected`, and the screen saves it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from index.models import ENTITY_TYPES, Entity, EntityType
from tui.messages import EntityChosen
from tui.screens.confirm import ConfirmDialog
from tui.screens.entity_edit import Correction, MergeDialog, RenameDialog, TypeDialog
from tui.text import plain

TYPE_LABELS = {
    "person": "People",
    "organisation": "Organisations",
    "place": "Places",
    "other": "Other",
}
TYPE_STYLES = {"person": "cyan", "organisation": "magenta", "place": "green", "other": "yellow"}


class EntityList(OptionList):
    """Entities grouped by type, most mentioned first. Enter filters the article list."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
        Binding("a", "toggle_scope", "Article/corpus"),
        Binding("r", "rename", "Rename"),
        Binding("m", "merge", "Merge"),
        Binding("t", "retype", "Type"),
        Binding("h", "hide", "Hide"),
    ]
    CORRECTIONS = ("rename", "merge", "retype", "hide")

    DEFAULT_CSS = "EntityList { text-wrap: nowrap; text-overflow: ellipsis; }"

    scope: reactive[str] = reactive("article")

    class Corrected(Message):
        """The user corrected an entity in a dialog; the screen saves it."""

        def __init__(self, correction: Correction) -> None:
            super().__init__()
            self.correction = correction

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._article: list[Entity] = []
        self._corpus: list[Entity] = []

    def set_entities(
        self, article: Sequence[Entity] | None = None, corpus: Sequence[Entity] | None = None
    ) -> None:
        if article is not None:
            self._article = list(article)
        if corpus is not None:
            self._corpus = list(corpus)
        self._fill()

    def watch_scope(self) -> None:
        self._fill()
        parent = self.parent
        if isinstance(parent, Widget):  # the pane around the list shows the scope
            parent.border_subtitle = "this article" if self.scope == "article" else "whole corpus"

    def action_toggle_scope(self) -> None:
        self.scope = "corpus" if self.scope == "article" else "article"

    def _fill(self) -> None:
        entities = self._article if self.scope == "article" else self._corpus
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        self.clear_options()
        options: list[Option | None] = []
        for kind in ENTITY_TYPES:
            group = [e for e in entities if e.type == kind]
            if not group:
                continue
            options.append(
                Option(Text(f"{TYPE_LABELS[kind]} ({len(group)})", "bold"), disabled=True)
            )
            for e in group:
                label = Text("  ", end="", no_wrap=True, overflow="ellipsis")
                label.append_text(plain(e.name, TYPE_STYLES[kind]))
                label.append(f"  {e.mentions}", "dim")
                options.append(Option(label, id=f"{kind}:{e.name}"))
        if not options:
            empty = "No entities in this article" if self.scope == "article" else "No entities yet"
            options.append(Option(Text(empty, "dim"), disabled=True))
        self.add_options(options)
        if highlighted:
            with suppress(OptionDoesNotExist):  # not in the new list: keep the default position
                self.highlighted = self.get_option_index(highlighted)
        self.refresh_bindings()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityChosen(event.option.id.split(":", 1)[1]))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()  # the correction keys apply to entities, not to group headings

    def current_entity(self) -> str | None:
        option = self.highlighted_option
        return option.id.split(":", 1)[1] if option and option.id else None

    def current_type(self) -> EntityType | None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return None
        kind = option.id.split(":", 1)[0]
        return next((t for t in ENTITY_TYPES if t == kind), None)

    def select_entity(self, name: str) -> bool:
        """Highlight ``name`` if it is listed; True when it is."""
        for kind in ENTITY_TYPES:
            with suppress(OptionDoesNotExist):
                self.highlighted = self.get_option_index(f"{kind}:{name}")
                return True
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing highlighted to correct (a heading, an empty list): hide the keys.
        return not (action in self.CORRECTIONS and self.current_entity() is None)

    # -- corrections ------------------------------------------------------------------------
    def _ask(self, screen: ModalScreen[Any], make: Callable[[Any], Correction]) -> None:
        """Push ``screen``; an answer (not None, not "no") becomes a correction posted up."""

        def answered(value: Any) -> None:
            if value is not None and value is not False:
                self.post_message(self.Corrected(make(value)))

        self.app.push_screen(screen, answered)

    def action_rename(self) -> None:
        name = self.current_entity()
        if name is not None:
            self._ask(RenameDialog(name), lambda new: Correction("rename", name, new))

    def action_merge(self) -> None:
        name = self.current_entity()
        if name is not None:
            candidates = [e.name for e in self._corpus or self._article]
            self._ask(MergeDialog(name, candidates), lambda into: Correction("merge", name, into))

    def action_retype(self) -> None:
        name, kind = self.current_entity(), self.current_type()
        if name is not None and kind is not None:
            self._ask(TypeDialog(name, kind), lambda new: Correction("retype", name, new))

    def action_hide(self) -> None:
        name = self.current_entity()
        if name is not None:
            dialog = ConfirmDialog(
                f"Hide “{name}” everywhere?",
                "It leaves the Entities pane and the filters. Undo by removing it from the "
                "'hide' list of the corrections file.",
            )
            self._ask(dialog, lambda _yes: Correction("hide", name))
