"""The main screen's side of the Entities pane: what it lists, corrections, and undo.

The corpus scope follows the article list: when a search or a filter narrows the list, the
pane counts entities over the articles shown, in a worker, and its title says so. Corrections
(one, or a multi-select merge) are saved by a worker through ``Library.record_corrections``
(the user's file, or a shared database's table); each saved change goes on a stack that ``u``
undoes.
Everything that reads the index runs off the UI thread.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import ModalScreen
from textual.worker import get_current_worker

from index.models import Entity
from index.store.corrections import Change, CorrectionError
from tui.screens.confirm import ConfirmDialog
from tui.screens.entity_edit import Correction, MergeDialog, RenameDialog, TypeDialog
from tui.widgets.entity_list import EntityList

if TYPE_CHECKING:
    from index.library import Library

# The Entities pane's corpus view lists the most mentioned entities; the command palette's
# "Filter by entity" and `thaad-tui entities` see all of them.
CORPUS_ENTITIES = 1000
_UNSET = ("\0unset",)  # no scope loaded yet: the next refresh loads whatever it is


class EntityPaneMixin:
    """Mixed into :class:`tui.screens.main.MainScreen` (which provides ``library``, ``app``,
    ``query_one``, ``notify``, ``entity_filter``, ``current_id`` and the refresh methods)."""

    library: Library
    app: Any
    query_one: Any
    notify: Any
    entity_scope: tuple[str, ...] | None = _UNSET
    undo_stack: list[tuple[Change, tuple[Correction, ...]]]

    def follow_articles(self, shown: Sequence[str], total: int, force: bool = False) -> None:
        """The article list now shows ``shown`` (of ``total``): recount the corpus scope."""
        scope = None if len(shown) == total else tuple(sorted(shown))
        if force or scope != self.entity_scope:
            self.entity_scope = scope
            self.load_corpus_entities(scope)

    def _corpus_entities(self, scope: tuple[str, ...] | None) -> tuple[list[Entity], str]:
        if scope is None:
            return self.library.entities(limit=CORPUS_ENTITIES), "whole corpus"
        entities = self.library.entities_among(scope, limit=CORPUS_ENTITIES)
        noun = "article" if len(scope) == 1 else "articles"
        return entities, f"{len(scope)} {noun} shown"

    # A failure is shown by the app (ThaadApp.on_worker_state_changed); the pane keeps what it
    # had, and the next change of the list reads again.
    @work(
        thread=True,
        exclusive=True,
        group="corpus-entities",
        exit_on_error=False,
        description="Reading the entities",
    )
    def load_corpus_entities(self, scope: tuple[str, ...] | None = None) -> None:
        entities, label = self._corpus_entities(scope)
        quotes = self.library.quote_counts()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_corpus_entities, entities, label, quotes)

    def _show_corpus_entities(
        self, entities: list[Entity], label: str, quotes: Counter[str]
    ) -> None:
        self.query_one(EntityList).set_entities(corpus=entities, corpus_label=label, quotes=quotes)

    # -- corrections --------------------------------------------------------------------------
    def on_entity_list_edit_requested(self, message: EntityList.EditRequested) -> None:
        """Ask the user (a dialog) for the correction the list asked for; save the answer."""
        names = message.names
        name = names[0]
        make: Callable[[Any], tuple[Correction, ...]]
        dialog: ModalScreen[Any]
        if message.action == "rename":
            dialog = RenameDialog(name)
            make = lambda new: (Correction("rename", name, new),)  # noqa: E731
        elif message.action == "merge" and len(names) >= 2:
            dialog = MergeDialog(name, [*names, *message.candidates], merging=list(names))
            make = lambda into: tuple(  # noqa: E731
                Correction("merge", n, into) for n in names if n != into
            )
        elif message.action == "merge":
            dialog = MergeDialog(name, list(message.candidates))
            make = lambda into: (Correction("merge", name, into),)  # noqa: E731
        elif message.action == "retype" and message.kind is not None:
            dialog = TypeDialog(name, message.kind)
            make = lambda new: (Correction("retype", name, new),)  # noqa: E731
        elif message.action == "hide":
            dialog = ConfirmDialog(
                f"Hide “{name}” everywhere?",
                "It leaves the Entities pane and the filters. u undoes it (later, remove it "
                "from the 'hide' list of the corrections file).",
            )
            make = lambda _yes: (Correction("hide", name),)  # noqa: E731
        else:
            return

        def answered(value: Any) -> None:
            if value is None or value is False:
                return
            corrections = make(value)
            if corrections:
                self.query_one(EntityList).clear_selection()
                self.save_correction(corrections)

        self.app.push_screen(dialog, answered)

    def on_entity_list_undo_requested(self, message: EntityList.UndoRequested) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo", timeout=4)
            return
        self.undo_correction(*self.undo_stack.pop())

    @work(
        thread=True, group="corrections", exit_on_error=False, description="Saving the correction"
    )
    def save_correction(self, corrections: tuple[Correction, ...]) -> None:
        """Write corrections to the user's file and re-aggregate entities, off the UI thread."""
        path = self.library.corrections_place
        try:
            change = self.library.record_corrections(
                [(c.action, c.name, c.value) for c in corrections]
            )
            loaded = self._refreshed()
        except CorrectionError as exc:
            self.app.call_from_thread(self._correction_failed, str(exc))
            return
        except Exception as exc:  # shown to the user, never a silent failure
            reason = f"{type(exc).__name__}: {exc}"
            self.app.call_from_thread(self._correction_failed, reason)
            return
        self.undo_stack.append((change, corrections))
        text = "; ".join(c.describe() for c in corrections)
        self.app.call_from_thread(
            self._corrected, corrections[0].name, corrections[0].new_name(), loaded, text, str(path)
        )

    @work(
        thread=True, group="corrections", exit_on_error=False, description="Undoing the correction"
    )
    def undo_correction(self, change: Change, corrections: tuple[Correction, ...]) -> None:
        """Take back a saved change (other corrections made since stay), off the UI thread."""
        path = self.library.corrections_place
        try:
            self.library.undo_corrections(change)
            loaded = self._refreshed()
        except Exception as exc:  # shown to the user, never a silent failure
            reason = (
                str(exc) if isinstance(exc, CorrectionError) else f"{type(exc).__name__}: {exc}"
            )
            self.undo_stack.append((change, corrections))  # still there to undo
            self.app.call_from_thread(self._correction_failed, reason)
            return
        first = corrections[0]
        text = "Undone: " + "; ".join(c.describe() for c in corrections)
        self.app.call_from_thread(
            self._corrected, first.new_name(), first.name, loaded, text, str(path)
        )

    def _refreshed(self) -> tuple[list[Entity], str, Counter[str]]:
        self.library.refresh_entities()
        entities, label = self._corpus_entities(
            self.entity_scope if self.entity_scope != _UNSET else None
        )
        return entities, label, self.library.quote_counts()

    def _correction_failed(self, reason: str) -> None:
        # Entity names are corpus text: never read as markup.
        self.notify(f"Correction not saved: {reason}", severity="error", timeout=15, markup=False)

    def _corrected(
        self,
        old_name: str | None,
        new_name: str | None,
        loaded: tuple[list[Entity], str, Counter[str]],
        text: str,
        path: str,
    ) -> None:
        """Show the corrected entities everywhere: pane, article filter, timeline, Reader."""
        screen: Any = self
        if old_name is not None and screen.entity_filter == old_name:
            screen.entity_filter = new_name
        entity_list = self.query_one(EntityList)
        entities, label, quotes = loaded
        entity_list.set_entities(corpus=entities, corpus_label=label, quotes=quotes)
        screen.reads.forget()  # the articles read ahead show the old names
        if screen.current_id:
            screen.open_article(screen.current_id, screen.query_one("#reader").passage.first)
        if new_name is not None:
            entity_list.select_entity(new_name)
        screen.refresh_list()
        screen.refresh_timeline()
        self.notify(f"{text}. Saved in {path}", timeout=6, markup=False)
