"""The Entities pane: people, organisations, places and other, for one article or the corpus."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from index.models import ENTITY_TYPES, Entity
from tui.messages import EntityChosen
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
    ]

    DEFAULT_CSS = "EntityList { text-wrap: nowrap; text-overflow: ellipsis; }"

    scope: reactive[str] = reactive("article")

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
        if parent is not None:
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

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(EntityChosen(event.option.id.split(":", 1)[1]))

    def current_entity(self) -> str | None:
        option = self.highlighted_option
        return option.id.split(":", 1)[1] if option and option.id else None
