"""The footer: the keys of the focused pane, drawn as one line of one widget.

Textual's footer is a row of widgets, one per key, made again whenever the keys change: every
focus change between panes (Enter in the article list, 1 to 4) mounted fourteen widgets, laid out
the screen and painted it in two frames more, the larger part of the time Enter took to show
the Reader focused (about 90 ms of its 150 at 19,043 articles). This one is the same line drawn
as text: a change of keys repaints one line and lays nothing out; when the keys shown are the
ones already drawn, nothing happens at all. It looks like Textual's footer (its colours,
the command palette's key at the right) and a click on a key presses it, as there.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

Item = tuple[str, str, str, bool]  # key, how it is shown, description, enabled


def shown_keys(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    """What the footer of ``screen`` would show: each shown binding, and whether it is enabled."""
    return tuple(
        (key, binding.action, binding.description, enabled, tooltip)
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show
    )


class Footer(Widget, can_focus=False):
    """The shown keys of the focused widget and its ancestors, and the command palette's."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--palette-edge"}
    DEFAULT_CSS = """
    Footer {
        dock: bottom; height: 1;
        color: $footer-foreground; background: $footer-background;
    }
    Footer > .footer--key {
        color: $footer-key-foreground; background: $footer-key-background; text-style: bold;
    }
    Footer > .footer--description {
        color: $footer-description-foreground; background: $footer-description-background;
    }
    Footer > .footer--palette-edge { color: $foreground 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[Item] = []
        self._palette: Item | None = None
        self._shown: tuple[tuple[object, ...], ...] | None = None
        self._spans: list[tuple[int, int, str, bool]] = []  # start, end, key, enabled

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return
        shown = shown_keys(screen)
        if shown == self._shown:
            return
        self._shown = shown
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        self._keys, self._palette, seen = [], None, set()
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            item = (binding.key, app.get_key_display(binding), binding.description, enabled)
            if key == palette_key:
                self._palette = item
            elif binding.show and binding.action not in seen:  # one key per action, as Textual
                seen.add(binding.action)
                self._keys.append(item)
        self.refresh()

    @property
    def keys(self) -> list[str]:
        """The descriptions of the keys shown, in order (the command palette's last)."""
        return [item[2] for item in (*self._keys, *([self._palette] if self._palette else []))]

    def render(self) -> Text:
        width = self.size.width
        self._spans = []
        right = Text(no_wrap=True, end="")
        room = width
        if self._palette is not None:  # at the right edge, after a thin rule
            room = max(0, width - self._width_of(self._palette, compact=True) - 2)
            right.append("▏", self.get_component_rich_style("footer--palette-edge"))
            right.append_text(self._part(self._palette, room + 1, compact=True))
            right.append(" ")
        line = Text(no_wrap=True, end="")
        for item in self._keys:
            part = self._part(item, line.cell_len)
            if line.cell_len + part.cell_len > room:
                self._spans.pop()  # not shown whole: not clickable
                break
            line.append_text(part)
        line.pad_right(room - line.cell_len)
        line.append_text(right)
        line.stylize_before(self.rich_style)
        return line

    @staticmethod
    def _width_of(item: Item, compact: bool = False) -> int:
        _key, shown, description, _enabled = item
        return cell_len(f"{shown} {description}" if compact else f" {shown} {description} ")

    def _part(self, item: Item, start: int, compact: bool = False) -> Text:
        """One key as drawn at column ``start``: the key, then what it does (``compact``,
        as Textual draws the command palette's: without the spaces around the key)."""
        key, shown, description, enabled = item
        part = Text.assemble(
            (shown if compact else f" {shown} ", self.get_component_rich_style("footer--key")),
            (
                f" {description}" if compact else f"{description} ",
                self.get_component_rich_style("footer--description"),
            ),
        )
        if not enabled:
            part.stylize("dim")
        self._spans.append((start, start + part.cell_len, key, enabled))
        return part

    def on_click(self, event: events.Click) -> None:
        for start, end, key, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
