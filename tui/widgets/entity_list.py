"""The Entities pane: people, organisations, places and other, for one article or the corpus.

Enter filters the article list by the highlighted entity. ``r``, ``m``, ``t`` and ``h`` correct
it (rename, merge into another, change type, hide): the list posts
:class:`EntityList.EditRequested` up, and the screen asks (a dialog) and saves the answer.
With a thousand entities listed: ``f`` finds as you type (:class:`EntityFind`, above the
list), space selects several entities for one merge, and ``u`` undoes the last correction
(:class:`EntityList.UndoRequested`).
The corpus scope lists what the screen gives it: the whole corpus, or the articles the current
search and filters show (its label says which).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Literal, Self, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from index.models import ENTITY_TYPES, Entity, EntityType
from tui.keymap import KeyIds
from tui.messages import EntityChosen
from tui.text import plain

TYPE_LABELS = {
    "person": "People",
    "organisation": "Organisations",
    "place": "Places",
    "other": "Other",
}
TYPE_STYLES = {"person": "cyan", "organisation": "magenta", "place": "green", "other": "yellow"}


class EntityList(KeyIds, OptionList):
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
        Binding("space", "toggle_select", "Select", show=False),
        Binding("f", "find", "Find"),
        Binding("u", "undo", "Undo"),
        Binding("escape", "clear", "Clear", show=False),
    ]
    CORRECTIONS = ("rename", "merge", "retype", "hide", "toggle_select")

    # The list fills its pane and keeps its scrollbar: a list as tall as its entities, or a
    # scrollbar that came and went with them, would change the list's size with each article,
    # and each ``j`` in the article list would lay out the screen twice.
    DEFAULT_CSS = """
    EntityList {
        height: 1fr; text-wrap: nowrap; text-overflow: ellipsis; overflow-y: scroll;
    }
    """

    scope: reactive[str] = reactive("article")

    @dataclass
    class EditRequested(Message):
        """``r``, ``m``, ``t`` or ``h`` on ``names`` (several: a merge of the selection).
        The screen asks the user and saves the answer as one change; ``candidates`` are the
        other names listed (what a merge may go into), ``kind`` the entity's type."""

        action: Literal["rename", "merge", "retype", "hide"]
        names: tuple[str, ...]
        kind: EntityType | None = None
        candidates: tuple[str, ...] = ()

    class UndoRequested(Message):
        """``u``: the screen takes back the last correction."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._article: list[Entity] = []
        self._corpus: list[Entity] = []
        self.corpus_label = "whole corpus"
        self.find = ""  # the find box's text: only entities whose names contain it are listed
        self.selected: dict[str, None] = {}  # names marked with space, in the order marked
        # Quotes per speaker (index/store/quoteindex.py), shown as ❝N: corpus-wide and this
        # article's
        self._quotes: Mapping[str, int] = {}
        self._article_quotes: Mapping[str, int] = {}

    def set_entities(
        self,
        article: Sequence[Entity] | None = None,
        corpus: Sequence[Entity] | None = None,
        corpus_label: str | None = None,
        quotes: Mapping[str, int] | None = None,
        article_quotes: Mapping[str, int] | None = None,
    ) -> None:
        if quotes is not None:
            self._quotes = quotes
        if article_quotes is not None:
            self._article_quotes = article_quotes
        if article is not None:
            self._article = list(article)
        if corpus is not None:
            self._corpus = list(corpus)
            known = {e.name for e in self._corpus}
            self.selected = {n: None for n in self.selected if n in known}
        if corpus_label is not None:
            self.corpus_label = corpus_label
            self._show_scope()
        self._fill()

    def set_find(self, text: str) -> None:
        """List only entities whose name or an alias contains ``text`` (case, spaces and
        hyphens aside: "kimjong" finds "Kim Jong Un")."""
        self.find = text
        self._fill()
        if self.highlighted is None or self.current_entity() is None:
            self._first_entity()

    def watch_scope(self) -> None:
        self.selected = {}
        self._fill()
        self._show_scope()

    def _show_scope(self) -> None:
        parent = self.parent
        if isinstance(parent, Widget):  # the pane around the list shows the scope
            label = "this article" if self.scope == "article" else self.corpus_label
            parent.border_subtitle = label

    def action_toggle_scope(self) -> None:
        self.scope = "corpus" if self.scope == "article" else "article"

    # The list is as big as its pane whatever it holds (height 1fr, the scrollbar always
    # there), so new entities change only how far it scrolls. OptionList asks for a layout pass
    # of the screen when that changes (it sets virtual_size), and the scrollbar it moves is then
    # drawn a frame later, 17 to 33 ms after the rest: the last change a ``j`` in the article
    # list waited for. While the options are measured, that layout is not asked for; the
    # scrollbar is moved and drawn in the same frame (OptionList._update_lines does both).
    # textual is pinned; tests/test_keystroke_cost.py fails if a new article lays out again.
    _measuring = False

    def _update_lines(self) -> None:
        self._measuring = True
        try:
            super()._update_lines()
        finally:
            self._measuring = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        layout = layout and not self._measuring
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _fill(self) -> None:
        entities = self._article if self.scope == "article" else self._corpus
        if self.find:
            wanted = _fold(self.find)
            entities = [
                e for e in entities if any(wanted in _fold(n) for n in (e.name, *e.aliases))
            ]
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
                mark = "● " if e.name in self.selected else "  "
                label = Text(mark, "bold", end="", no_wrap=True, overflow="ellipsis")
                label.append_text(plain(e.name, TYPE_STYLES[kind]))
                label.append(f"  {e.mentions}", "dim")
                said = (self._article_quotes if self.scope == "article" else self._quotes).get(
                    e.name, 0
                )
                if said:
                    label.append(f"  ❝{said}", "italic")
                options.append(Option(label, id=f"{kind}:{e.name}"))
        if not options:
            if self.find:
                empty = "No entity matches"
            elif self.scope == "article":
                empty = "No entities in this article"
            elif self.corpus_label != "whole corpus":
                empty = "No entities in the articles shown"
            else:
                empty = "No entities yet"
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

    def _first_entity(self) -> None:
        for index in range(self.option_count):
            if self.get_option_at_index(index).id:
                self.highlighted = index
                return
        self.highlighted = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing highlighted to correct (a heading, an empty list): hide the keys.
        if action == "merge" and len(self.selected) >= 2:
            return True
        if action == "clear":
            return bool(self.selected or self.find)
        return not (action in self.CORRECTIONS and self.current_entity() is None)

    # -- finding and selecting ----------------------------------------------------------------
    def action_find(self) -> None:
        box = _sibling(self, EntityFind)
        if box is not None:
            box.focus()

    def action_toggle_select(self) -> None:
        name = self.current_entity()
        if name is None:
            return
        if name in self.selected:
            del self.selected[name]
        else:
            self.selected[name] = None
        index = self.highlighted
        self._fill()
        if index is not None and index + 1 < self.option_count:
            self.highlighted = index + 1  # on to the next one, as file managers do
        self.refresh_bindings()

    def action_clear(self) -> None:
        """Escape: drop the selection, then the find text."""
        if self.selected:
            self.selected = {}
            self._fill()
        elif self.find:
            box = _sibling(self, EntityFind)
            if box is not None:
                box.value = ""  # its Changed message refills the list
            else:
                self.set_find("")
        self.refresh_bindings()

    def action_undo(self) -> None:
        self.post_message(self.UndoRequested())

    # -- corrections ------------------------------------------------------------------------
    def clear_selection(self) -> None:
        """The selection was merged (or corrected): unmark it."""
        self.selected = {}
        self._fill()
        self.refresh_bindings()

    def action_rename(self) -> None:
        name = self.current_entity()
        if name is not None:
            self.post_message(self.EditRequested("rename", (name,)))

    def action_merge(self) -> None:
        known = [e.name for e in self._corpus or self._article]
        if len(self.selected) >= 2:
            names = tuple(self.selected)
            others = tuple(n for n in known if n not in self.selected)
            self.post_message(self.EditRequested("merge", names, candidates=others))
            return
        name = self.current_entity()
        if name is not None:
            self.post_message(self.EditRequested("merge", (name,), candidates=tuple(known)))

    def action_retype(self) -> None:
        name, kind = self.current_entity(), self.current_type()
        if name is not None and kind is not None:
            self.post_message(self.EditRequested("retype", (name,), kind))

    def action_hide(self) -> None:
        name = self.current_entity()
        if name is not None:
            self.post_message(self.EditRequested("hide", (name,)))


_W = TypeVar("_W", bound=Widget)


def _sibling(widget: Widget, kind: type[_W]) -> _W | None:
    """The first ``kind`` in the same pane as ``widget`` (None outside a pane)."""
    parent = widget.parent
    if not isinstance(parent, Widget):
        return None
    return next(iter(parent.query(kind)), None)


def _fold(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


class EntityFind(KeyIds, Input):
    """The find box above the entity list: the list narrows as you type.

    Enter or down goes back to the list (the find text stays); escape clears it and goes back.
    """

    BINDINGS = [
        Binding("escape", "leave(True)", "Clear", show=False),
        Binding("down,enter", "leave(False)", "To the list", show=False),
    ]
    DEFAULT_CSS = """
    EntityFind { border: none; height: 1; padding: 0 1; background: $boost; }
    EntityFind:focus { border: none; background: $accent 30%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="f: find entity", id=id)

    def _list(self) -> EntityList | None:
        return _sibling(self, EntityList)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        entity_list = self._list()
        if entity_list is not None:
            entity_list.set_find(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_leave(False)

    def action_leave(self, clear: bool) -> None:
        if clear:
            self.value = ""
        entity_list = self._list()
        if entity_list is not None:
            entity_list.focus()
