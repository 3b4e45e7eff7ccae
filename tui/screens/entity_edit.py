"""Small dialogs that correct an entity (rename, merge, retype), and saving the correction.

Each dialog returns a typed result to its callback (``None`` when cancelled). The correction is
saved by the main screen through ``Library.record_corrections``, off the UI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process, utils
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from index.models import ENTITY_TYPES, EntityType
from tui.text import plain

Action = Literal["rename", "merge", "retype", "hide"]
PICKER_LIMIT = 50  # the merge picker shows this many best matches


@dataclass(frozen=True)
class Correction:
    """One change to one entity: ``value`` is the new name, the target entity, or the type."""

    action: Action
    name: str
    value: str = ""

    def describe(self) -> str:
        """What the correction does, for a notification."""
        return {
            "rename": f"Renamed “{self.name}” to “{self.value}”",
            "merge": f"Merged “{self.name}” into “{self.value}”",
            "retype": f"“{self.name}” is now of type {self.value}",
            "hide": f"Hid “{self.name}”",
        }[self.action]

    def new_name(self) -> str | None:
        """The name the entity is shown under afterwards (None once it is hidden)."""
        if self.action == "hide":
            return None
        return self.value if self.action in ("rename", "merge") else self.name


_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 70%; max-width: 80; height: auto; max-height: 80%;
    border: thick $accent; background: $panel; padding: 0 1;
}}
{name} .dialog--hint {{ color: $text-muted; }}
{name} OptionList {{ height: auto; max-height: 12; margin: 1 0 0 0; }}
"""


class RenameDialog(ModalScreen[str | None]):
    """Enter returns the new name (stripped); escape, or an empty or unchanged name, cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = _DIALOG_CSS.format(name="RenameDialog")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.entity = name

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Rename entity"
            yield Static(plain(self.entity, "bold"))
            yield Input(self.entity, placeholder="New name", id="new-name")
            yield Static("enter: rename   escape: cancel", classes="dialog--hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#new-name")
    def _submit(self, event: Input.Submitted) -> None:
        new = " ".join(event.value.split())
        self.dismiss(new if new and new != self.entity else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def best_matches(text: str, names: Sequence[str], limit: int = PICKER_LIMIT) -> list[str]:
    """``names`` that fit ``text`` best (typo-tolerant); all of them, in order, for no text."""
    if not text.strip():
        return list(names[:limit])
    found = process.extract(
        text,
        names,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=60,
    )
    return [name for name, _score, _index in found]


class MergeDialog(ModalScreen[str | None]):
    """Pick the entity to merge into: type to filter (fuzzy), up/down to choose, enter."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]
    DEFAULT_CSS = _DIALOG_CSS.format(name="MergeDialog")

    def __init__(self, name: str, candidates: Sequence[str], merging: Sequence[str] = ()) -> None:
        super().__init__()
        self.entity = name
        # several selected entities: any of them (listed first) or another can be the target
        self.merging = list(merging)
        self.candidates = list(candidates) if merging else [c for c in candidates if c != name]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Merge entities" if self.merging else "Merge entity"
            if self.merging:
                shown = ", ".join(f"“{n}”" for n in self.merging[:4])
                more = f" and {len(self.merging) - 4} more" if len(self.merging) > 4 else ""
                yield Static(plain(f"Merge {shown}{more} into…", "bold"))
            else:
                yield Static(plain(f"Merge “{self.entity}” into…", "bold"))
            yield Input(placeholder="Type to find an entity", id="target")
            yield OptionList(id="targets")
            yield Static("enter: merge   up/down: choose   escape: cancel", classes="dialog--hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    @on(Input.Changed, "#target")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, text: str) -> None:
        targets = self.query_one(OptionList)
        targets.clear_options()
        names = best_matches(text, self.candidates)
        targets.add_options(
            [Option(plain(n), id=n) for n in names]
            or [Option(Text("No entity matches", "dim"), disabled=True)]
        )
        targets.highlighted = 0 if names else None

    def action_move(self, delta: int) -> None:
        targets = self.query_one(OptionList)
        if delta > 0:
            targets.action_cursor_down()
        else:
            targets.action_cursor_up()

    @on(Input.Submitted, "#target")
    def _submit(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(option.id)

    @on(OptionList.OptionSelected, "#targets")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TypeDialog(ModalScreen[EntityType | None]):
    """Choose a type: up/down and enter, or its first letter; escape cancels."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("p", "choose('person')", "Person", show=False),
        Binding("o", "choose('organisation')", "Organisation", show=False),
        Binding("l", "choose('place')", "Place", show=False),
        Binding("x", "choose('other')", "Other", show=False),
    ]
    DEFAULT_CSS = _DIALOG_CSS.format(name="TypeDialog")
    KEYS = {"person": "p", "organisation": "o", "place": "l", "other": "x"}

    def __init__(self, name: str, current: EntityType) -> None:
        super().__init__()
        self.entity = name
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Entity type"
            yield Static(plain(f"Type of “{self.entity}”", "bold"))
            options = []
            for kind in ENTITY_TYPES:
                label = Text(f"{self.KEYS[kind]}  {kind}")
                if kind == self.current:
                    label.append("  (now)", "dim")
                options.append(Option(label, id=kind))
            yield OptionList(*options, id="types")
            yield Static("enter or letter: choose   escape: cancel", classes="dialog--hint")

    def on_mount(self) -> None:
        types = self.query_one(OptionList)
        types.highlighted = ENTITY_TYPES.index(self.current)
        types.focus()

    @on(OptionList.OptionSelected, "#types")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option.id or self.current)

    def action_choose(self, kind: str) -> None:
        self.dismiss(None if kind == self.current else kind)  # type: ignore[arg-type]

    def action_cancel(self) -> None:
        self.dismiss(None)
