"""Keys typed right after Enter (or ``/``), held for the widget the focus goes to.

Textual hands each key to the focused widget as it arrives, and runs a binding only when the
key comes back up unhandled; so in "Enter j j" typed fast, both j keys reach the search box (or
the article list) before Enter has opened anything and moved the focus to the Reader; in "/gold"
typed fast (or pasted) all four letters reached the list, as commands, before ``/`` had moved the
focus to the search box. A widget
with :class:`HoldsKeysAfterEnter` keeps the keys that follow its Enter; the screen that answers
the Enter takes them (:meth:`take_typeahead`) and sends them on once the focus has moved.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events


class HoldsKeysAfterEnter:
    """Mixed into a focusable widget whose Enter (or a key bound to one of
    ``HOLD_AFTER_ACTIONS``) moves the focus elsewhere."""

    typeahead: list[events.Key] | None = None
    # Besides Enter, the keys bound (on this widget's screen, as the keymap has them) to one of
    # these actions: the action moves the focus and sends the held keys on.
    HOLD_AFTER_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    async def _on_key(self, event: events.Key) -> None:
        if self.typeahead is not None:
            self.typeahead.append(events.Key(event.key, event.character))
            event.stop()
            event.prevent_default()  # not for this widget (its own key handler is skipped)
        elif event.key == "enter" or self._moves_focus(event.key):
            self.typeahead = []

    def _moves_focus(self, key: str) -> bool:
        if not self.HOLD_AFTER_ACTIONS:
            return False
        bound = self.screen.active_bindings.get(key)  # type: ignore[attr-defined]
        return bound is not None and bound[1].action in self.HOLD_AFTER_ACTIONS

    def take_typeahead(self) -> list[events.Key]:
        """The keys typed since Enter; from now on keys are this widget's again."""
        keys, self.typeahead = self.typeahead or [], None
        return keys
