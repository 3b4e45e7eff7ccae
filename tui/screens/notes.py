"""The Notes view: bookmarks newest first; enter opens one, ``d`` deletes one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from index.library import Library
from index.models import Bookmark
from index.notes.notebook import NotesError, NotesFile, NotesLoad, cited_paragraphs
from tui.messages import BookmarksStale
from tui.screens.confirm import ConfirmDialog
from tui.text import plain

STATUS_LABELS = {"ok": "", "moved": "  [passage moved]", "missing": "  [passage not found]"}
_OPENING = "“\"‘'«„"
_CLOSING = "”\"’'»“"


def quoted(text: str) -> str:
    """The passage in quotation marks, without doubling the marks it already has."""
    opening = "" if text[:1] in _OPENING else "“"
    closing = "" if text[-1:] in _CLOSING else "”"
    return f"{opening}{text}{closing}"


class NotesView(OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("d", "delete", "Delete"),
    ]

    def action_delete(self) -> None:
        screen = self.screen
        if isinstance(screen, NotesScreen):
            screen.delete_highlighted()


class NotesScreen(Screen[tuple[str, int] | None]):
    """Lists the notes file's bookmarks; reports entries it had to skip.

    Dismisses with ``(article id, 0-based paragraph)`` when the user opens a bookmark.
    """

    BINDINGS = [Binding("escape,B", "back", "Back")]
    DEFAULT_CSS = """
    NotesScreen #notes-box { border: round $primary; border-title-color: $accent; }
    NotesScreen #notes-problems { color: $warning; height: auto; max-height: 5; }
    NotesScreen NotesView { height: 1fr; background: $surface; border: none; }
    """

    def __init__(self, library: Library, notes: NotesFile) -> None:
        super().__init__()
        self.library = library
        self.notes = notes
        self.bookmarks: list[Bookmark] = []
        self.targets: dict[str, tuple[str, str | None, int | None]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="notes-box"):
            yield Static("", id="notes-problems")
            yield NotesView(id="notes-list")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#notes-box")
        box.border_title = "Notes"
        box.border_subtitle = plain(str(self.notes.path))
        self.reload()
        self.query_one(NotesView).focus()

    def reload(self) -> None:
        try:
            loaded = self.notes.load()
        except NotesError as exc:
            loaded = NotesLoad([], [str(exc)])
        problems = self.query_one("#notes-problems", Static)
        problems.display = bool(loaded.problems)
        problems.update(plain("Skipped: " + "; ".join(loaded.problems)))
        self.bookmarks = list(reversed(loaded.bookmarks))
        view = self.query_one(NotesView)
        view.clear_options()
        options: list[Option | None] = []  # None: a separator line
        for b in self.bookmarks:
            status, article, paragraph = self.library.locate_bookmark(b)
            self.targets[b.id] = (status, article, paragraph)
            label = Text(end="")
            label.append_text(plain(quoted(b.text), "italic"))
            label.append("\n")
            if b.comment:
                label.append_text(plain(f"  {b.comment}", "bold"))
                label.append("\n")
            citation = f"{b.title} · {b.outlet or '—'} · {b.published or 'undated'}"
            label.append_text(plain(f"  {citation} · ¶{cited_paragraphs(b, paragraph)}", "dim"))
            label.append(f"  ({b.created[:16].replace('T', ' ')})", "dim")
            if STATUS_LABELS[status]:
                label.append(STATUS_LABELS[status], "bold yellow")
            options.append(Option(label, id=b.id))
            options.append(None)
        view.add_options(
            options
            or [Option(Text("No bookmarks yet: press b in the Reader.", "dim"), disabled=True)]
        )
        if self.bookmarks:
            view.highlighted = 0

    @on(OptionList.OptionSelected, "#notes-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        bookmark = next((b for b in self.bookmarks if b.id == event.option.id), None)
        if bookmark is None:
            return
        _status, article, paragraph = self.targets.get(bookmark.id, ("missing", None, None))
        if article is None and self.library.article(bookmark.article) is None:
            self.notify("That article is no longer in the corpus", severity="warning")
            return
        self.dismiss((article or bookmark.article, (paragraph or bookmark.paragraph) - 1))

    def action_back(self) -> None:
        self.dismiss(None)

    def delete_highlighted(self) -> None:
        option = self.query_one(NotesView).highlighted_option
        bookmark = next((b for b in self.bookmarks if option and b.id == option.id), None)
        if bookmark is None:
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.notes.delete(bookmark.id)
            except NotesError as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify("Bookmark deleted")
            self.reload()
            self.post_message(BookmarksStale())  # the app marks what is left

        self.app.push_screen(ConfirmDialog("Delete this bookmark?", bookmark.text[:200]), confirmed)
