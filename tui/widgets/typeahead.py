"""Keys typed right after Enter, held for the widget Enter sends the focus to.

Textual hands each key to the focused widget as it arrives, and runs a binding only when the
key comes back up unhandled; so in "Enter j j" typed fast, both j keys reach the search box (or
the article list) before Enter has opened anything and moved the focus to the Reader. A widget
with :class:`HoldsKeysAfterEnter` keeps the keys that follow its Enter; the screen that answers
the Enter takes them (:meth:`take_typeahead`) and sends them on once the focus has moved.
"""

from __future__ import annotations

from textual import events


class HoldsKeysAfterEnter:
    """Mixed into a focusable widget whose Enter moves the focus elsewhere."""

    typeahead: list[events.Key] | None = None

    async def _on_key(self, event: events.Key) -> None:
        if self.typeahead is not None:
            self.typeahead.append(events.Key(event.key, event.character))
            event.stop()
            event.prevent_default()  # not for this widget (its own key handler is skipped)
        elif event.key == "enter":
            self.typeahead = []

    def take_typeahead(self) -> list[events.Key]:
        """The keys typed since Enter; from now on keys are this widget's again."""
        keys, self.typeahead = self.typeahead or [], None
        return keys
