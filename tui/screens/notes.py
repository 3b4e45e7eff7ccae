"""The Notes view: bookmarks newest first; enter opens one, ``d`` deletes one, ``u`` brings it
back, ``e`` edits its comment; ``/`` filters (words, ``#tag``, ``outlet:``, ``article:``);
ctrl+e exports what is shown.

Every write goes through :class:`index.notes.notebook.NotesFile` (locked; atomic rewrites, or
appends) in a worker; the view reloads from the file afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from index.library import Library
from index.models import Bookmark
from index.notes.filtering import filter_bookmarks, tag_counts
from index.notes.findings import default_export_path
from index.notes.notebook import NotesError, NotesFile, NotesLoad, cited_paragraphs, export
from tui.failures import ReportsFailures
from tui.keymap import KeyIds
from tui.messages import BookmarksStale
from tui.screens.bookmark import BookmarkDialog
from tui.screens.confirm import ConfirmDialog
from tui.screens.export_dialog import ExportDialog
from tui.screens.findings import exports_folder
from tui.text import plain
from tui.widgets.footer import Footer

STATUS_LABELS = {"ok": "", "moved": "  [passage moved]", "missing": "  [passage not found]"}
_OPENING = "“\"‘'«„"
_CLOSING = "”\"’'»“"


def quoted(text: str) -> str:
    """The passage in quotation marks, without doubling the marks it already has."""
    opening = "" if text[:1] in _OPENING else "“"
    closing = "" if text[-1:] in _CLOSING else "”"
    return f"{opening}{text}{closing}"


class CommentDialog(BookmarkDialog):
    """The bookmark dialog, to change a saved bookmark's comment."""

    HEADING = "Edit comment (#tags allowed)"


class NotesFilter(KeyIds, Input):
    """The filter query; enter or escape goes back to the list (escape also clears it)."""

    BINDINGS = [Binding("escape", "leave(True)", "Clear filter")]

    def action_leave(self, clear: bool) -> None:
        if clear:
            self.value = ""
        self.screen.query_one(NotesView).focus()

    @on(Input.Submitted)
    def _done(self) -> None:
        self.action_leave(False)


class NotesView(KeyIds, OptionList):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("d", "delete", "Delete"),
        Binding("e", "edit", "Edit comment"),
    ]

    def action_delete(self) -> None:
        screen = self.screen
        if isinstance(screen, NotesScreen):
            screen.delete_highlighted()

    def action_edit(self) -> None:
        screen = self.screen
        if isinstance(screen, NotesScreen):
            screen.edit_highlighted()


class NotesScreen(KeyIds, ReportsFailures, Screen[tuple[str, int] | None]):
    """Lists the notes file's bookmarks; reports entries it had to skip.

    Dismisses with ``(article id, 0-based paragraph)`` when the user opens a bookmark.
    """

    BINDINGS = [
        Binding("escape,B", "back", "Back"),
        Binding("slash", "filter", "Filter"),
        Binding("u", "undo", "Undo delete"),
        Binding("ctrl+e", "export", "Export"),
    ]
    DEFAULT_CSS = """
    NotesScreen #notes-box { border: round $primary; border-title-color: $accent; }
    NotesScreen #notes-problems { color: $warning; height: auto; max-height: 5; }
    NotesScreen NotesFilter, NotesScreen NotesFilter:focus {
        border: none; height: 1; padding: 0 1;
    }
    NotesScreen #notes-tags { color: $text-muted; height: auto; max-height: 2; padding: 0 1; }
    NotesScreen NotesView, NotesScreen NotesView:focus {
        height: 1fr; background: $surface; border: none;
    }
    """

    def __init__(self, library: Library, notes: NotesFile) -> None:
        super().__init__()
        self.library = library
        self.notes = notes
        self.all_bookmarks: list[Bookmark] = []  # newest first
        self.bookmarks: list[Bookmark] = []  # those the filter shows
        self.targets: dict[str, tuple[str, str | None, int | None]] = {}
        self.deleted: list[Bookmark] = []  # u brings the last one back

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="notes-box"):
            yield Static("", id="notes-problems")
            yield NotesFilter(placeholder="/ filter: words, #tag, outlet:…, article:…")
            yield Static("", id="notes-tags")
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
        # Newest first by the time saved (a bookmark brought back by u returns to its place),
        # the file's order among bookmarks saved in the same second.
        newest = list(reversed(loaded.bookmarks))
        self.all_bookmarks = sorted(newest, key=lambda b: b.created, reverse=True)
        self.targets = {}
        for b in self.all_bookmarks:
            self.targets[b.id] = self.library.locate_bookmark(b)
        self.show_filtered()

    def show_filtered(self) -> None:
        """Show the bookmarks that pass the filter, and the tags they carry."""
        query = self.query_one(NotesFilter).value
        self.bookmarks = filter_bookmarks(self.all_bookmarks, query)
        counts = tag_counts(self.bookmarks)
        tags = self.query_one("#notes-tags", Static)
        tags.display = bool(counts)
        tags.update(plain("tags: " + "  ".join(f"#{t} ({n})" for t, n in counts.most_common())))
        shown = len(self.bookmarks)
        total = len(self.all_bookmarks)
        box = self.query_one("#notes-box")
        box.border_title = f"Notes · {shown} of {total}" if query.strip() else f"Notes · {total}"
        view = self.query_one(NotesView)
        view.clear_options()
        options: list[Option | None] = []  # None: a separator line
        for b in self.bookmarks:
            status, _article, paragraph = self.targets.get(b.id, ("missing", None, None))
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
        if not options:
            empty = "No bookmark matches the filter." if total else "No bookmarks yet: press b."
            options.append(Option(Text(empty, "dim"), disabled=True))
        view.add_options(options)
        if self.bookmarks:
            view.highlighted = 0

    @on(Input.Changed, "NotesFilter")
    def _filter_changed(self) -> None:
        self.show_filtered()

    def action_filter(self) -> None:
        self.query_one(NotesFilter).focus()

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

    def _highlighted(self) -> Bookmark | None:
        option = self.query_one(NotesView).highlighted_option
        return next((b for b in self.bookmarks if option and b.id == option.id), None)

    def delete_highlighted(self) -> None:
        bookmark = self._highlighted()
        if bookmark is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.deleted.append(bookmark)
                self._write(
                    lambda: self.notes.delete(bookmark.id),
                    "Bookmark deleted (u brings it back)",
                )

        self.app.push_screen(ConfirmDialog("Delete this bookmark?", bookmark.text[:200]), confirmed)

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo", timeout=2)
            return
        bookmark = self.deleted.pop()

        def add_again() -> bool:
            self.notes.add(bookmark)  # appended: the file is never cut or rewritten for this
            return True

        self._write(add_again, "Bookmark brought back", bookmark)

    def edit_highlighted(self) -> None:
        bookmark = self._highlighted()
        if bookmark is None:
            return

        def save(comment: str | None) -> None:
            if comment is not None and comment != bookmark.comment:
                self._write(
                    lambda: self.notes.update_comment(bookmark.id, comment), "Comment saved"
                )

        self.app.push_screen(CommentDialog(bookmark.title, bookmark.text, bookmark.comment), save)

    @work(
        thread=True, group="notes-write", exit_on_error=False, description="Writing the notes file"
    )
    def _write(
        self, change: Callable[[], bool], done: str, restore: Bookmark | None = None
    ) -> None:
        """Run one change of the notes file off the UI thread (its lock may be held for a few
        seconds by another instance), then reload; a failure is said, and an undo kept."""
        try:
            changed = change()
        except NotesError as exc:
            if restore is not None:
                self.deleted.append(restore)
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=12)
            return
        message = done if changed else "That bookmark is no longer in the notes file"
        self.app.call_from_thread(self._written, message, changed)

    def _written(self, message: str, changed: bool) -> None:
        self.notify(message, severity="information" if changed else "warning", timeout=4)
        self.reload()
        self.post_message(BookmarksStale())  # the app marks what is left

    def action_export(self) -> None:
        """ctrl+e: the bookmarks shown (the filter applies) to CSV, JSON or JSON Lines."""
        if not self.bookmarks:
            self.notify("No bookmarks shown: nothing to export", severity="warning")
            return
        chosen = list(self.bookmarks)
        folder = exports_folder(self.library.settings)
        default = default_export_path(folder, "notes", ".csv")
        what = f"{len(chosen)} bookmark{'s' if len(chosen) != 1 else ''}"
        if self.query_one(NotesFilter).value.strip():
            what += " (those the filter shows)"

        def write(path: Path | None) -> None:
            if path is not None:
                self._export(chosen, path)

        self.app.push_screen(ExportDialog(what, default, (".csv", ".jsonl", ".json")), write)

    @work(thread=True, group="notes-export", exit_on_error=False, description="Exporting the notes")
    def _export(self, bookmarks: list[Bookmark], path: Path) -> None:
        try:
            export(bookmarks, path)
        except NotesError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=12)
            return
        count = len(bookmarks)
        note = f"Exported {count} bookmark{'s' if count != 1 else ''} to {path}"
        self.app.call_from_thread(self.notify, note, timeout=8)
