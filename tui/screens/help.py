"""The help screen: every key, read from the live bindings, plus a short prose guide."""

from __future__ import annotations

from importlib import resources

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def bindings_of(cls: type) -> list[Binding]:
    """The bindings a widget class declares, including those it inherits (nearest first)."""
    seen: set[str] = set()
    out: list[Binding] = []
    for klass in cls.__mro__:
        for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", ())):
            if binding.key not in seen and binding.description:
                seen.add(binding.key)
                out.append(binding)
    return out


def key_table(app: App[object], sections: list[tuple[str, list[type]]]) -> Table:
    """One row per action: all its keys (``j, ↓``) and its description."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", min_width=16)
    table.add_column()
    for title, classes in sections:
        table.add_row(Text(title, style="bold underline"), "")
        rows: dict[tuple[str, str], list[str]] = {}
        for cls in classes:
            for binding in bindings_of(cls):
                keys = rows.setdefault((binding.action, binding.description), [])
                shown = app.get_key_display(binding)
                if shown not in keys:
                    keys.append(shown)
        for (_action, description), keys in rows.items():
            table.add_row(", ".join(keys), description)
        table.add_row("", "")
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
