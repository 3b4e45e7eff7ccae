"""The help screen: every key, read from the live bindings, plus a short prose guide."""

from __future__ import annotations

from importlib import resources

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static


def declared_bindings(cls: type) -> list[tuple[type, Binding]]:
    """The bindings a widget class declares, including those it inherits (nearest first),
    each with the class that declares it."""
    seen: set[str] = set()
    out: list[tuple[type, Binding]] = []
    for klass in cls.__mro__:
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", ())):
            if binding.key not in seen and binding.description:
                seen.add(binding.key)
                out.append((klass, binding))
    return out


def bindings_of(cls: type) -> list[Binding]:
    """The bindings a widget class declares, including those it inherits (nearest first)."""
    return [binding for _owner, binding in declared_bindings(cls)]


# Inherited from Textual's scrolling widgets, and no use in panes that never scroll sideways
# (nor, in a one-line input, up and down).
NOISE = {"scroll_left", "scroll_right", "page_left", "page_right"}
NOISE_IN_INPUT = NOISE | {"scroll_up", "scroll_down", "page_up", "page_down"}


def key_table(app: App[object], sections: list[tuple[str, list[type]]]) -> Table:
    """One row per action: all its keys (``j, ↓``), its description and its binding id (what
    the keymap file names).

    The keys are those in force: the user's keymap applied, keys the app takes first (ctrl+c)
    left out of the other rows, and sideways scrolling, which no pane does, left out. Keys
    that several panes inherit from one Textual class (an input's editing keys) are listed in
    the first section only.
    """
    keymap: dict[str, str] = getattr(app, "user_keymap", {})
    app_bindings = bindings_of(type(app))
    taken = {b.key for b in app_bindings if b.priority}
    rebound = {key for keys in keymap.values() for key in keys.split(",")}
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", min_width=16)
    table.add_column()
    table.add_column(style="dim", overflow="fold")
    listed: set[tuple[type, str]] = set()  # a key an ancestor class gives is listed once
    for title, classes in sections:
        table.add_row(Text(title, style="bold underline"), "", "")
        rows: dict[tuple[str, str], tuple[list[str], str]] = {}
        for cls in classes:
            noise = NOISE_IN_INPUT if issubclass(cls, Input) else NOISE
            for owner, binding in declared_bindings(cls):
                if binding.action in noise or (owner, binding.key) in listed:
                    continue
                if owner is not cls:
                    listed.add((owner, binding.key))
                if binding.key in taken and binding not in app_bindings:
                    continue
                if binding.id in keymap:
                    names = keymap[binding.id].split(",")
                elif binding.key in rebound:
                    continue  # the keymap gave this key to another action
                else:
                    names = [binding.key]
                keys, _id = rows.setdefault((binding.action, binding.description), ([], ""))
                rows[(binding.action, binding.description)] = (keys, _id or binding.id or "")
                for name in names:
                    shown = app.get_key_display(binding.with_key(name))
                    if shown not in keys:
                        keys.append(shown)
        for (_action, description), (keys, binding_id) in rows.items():
            table.add_row(", ".join(keys), description, binding_id)
        table.add_row("", "", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
        Binding("j,down", "scroll('down')", "Scroll", show=False),
        Binding("k,up", "scroll('up')", "Scroll", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 110; height: 90%; border: thick $accent; background: $panel;
        padding: 0 2;
    }
    HelpScreen #help-keys { margin-bottom: 1; }
    """

    def __init__(self, sections: list[tuple[str, list[type]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Help: keys (escape closes)"
            yield Static(key_table(self.app, self.sections), id="help-keys")
            # Imported here: the Markdown widget (markdown-it) is a tenth of a second of the
            # app's start-up, and the help screen is rarely the first thing opened.
            from textual.widgets import Markdown

            yield Markdown(resources.files("tui").joinpath("help.md").read_text("utf-8"))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)
