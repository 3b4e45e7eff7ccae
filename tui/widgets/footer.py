"""The footer: Textual's, redrawn only when the keys it shows change.

Textual's footer rebuilds all its key widgets whenever any widget calls ``refresh_bindings``.
The entity pane calls it each time its list is refilled, which the Reader's article does on every
``j``/``k`` in the article list: at 19,043 articles the rebuild was about a third of each key's
time (cProfile of 20 presses: 1.7 of 5.5 s in the footer's styles alone).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


def shown_keys(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """What the footer of ``screen`` would show: each shown binding, and whether it is enabled."""
    return tuple(
        (key, binding.action, binding.description, enabled, tooltip)
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show
    )


class Footer(TextualFooter):
    """A footer that skips the rebuild when the shown keys are the ones it already shows."""

    _shown: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = shown_keys(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
