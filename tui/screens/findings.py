"""Getting findings out of the main screen: ``y`` copies the passage with its citation, ``o``
opens the article's source, ctrl+e exports the article list.

A mixin for :class:`tui.screens.main.MainScreen`: the Reader posts :class:`CopyPassage` and
:class:`OpenSource`; file writes and the browser run in workers, and every outcome, the path
written included, is a visible message.
"""

from __future__ import annotations

import os
import re
import sys
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from index.notes.findings import (
    EXPORT_SUFFIXES,
    RESULT_FIELDS,
    ExportError,
    append_citation,
    cited_passage,
    default_export_path,
    export_records,
)
from index.paths import Settings
from tui.messages import CopyPassage, OpenSource
from tui.screens.export_dialog import ExportDialog
from tui.widgets.article_list import ArticleList

if TYPE_CHECKING:
    from index.library import Library
    from index.models import SearchHit

CITATIONS_FILE = "citations.md"
_WEB = re.compile(r"https?://\S+\Z", re.IGNORECASE)


def citations_path(settings: Settings) -> Path:
    """Where every copied passage is also kept (the data folder's ``citations.md``)."""
    return settings.data_dir / CITATIONS_FILE


def exports_folder(settings: Settings) -> Path:
    """Where exports go unless the user names another place."""
    return settings.data_dir / "exports"


def clipboard_problem() -> str | None:
    """Why this terminal cannot take a copy (OSC 52), when that is known; else None."""
    if os.environ.get("TERM_PROGRAM") == "Apple_Terminal":
        return "macOS Terminal ignores clipboard requests (OSC 52)"
    if os.environ.get("TERM", "") in ("linux", "dumb"):
        return f"this terminal ({os.environ['TERM']}) has no clipboard request (OSC 52)"
    return None


def no_graphical_browser() -> str | None:
    """Why no graphical browser can be started here, when that is known; else None."""
    if os.environ.get("BROWSER") or sys.platform in ("darwin", "win32"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return "no graphical display, and no BROWSER set"


class FindingsMixin:
    """``y``, ``o`` and ctrl+e of the main screen (see the module docstring). Its workers'
    failures are reported by the screen's :class:`tui.failures.ReportsFailures`."""

    library: Library
    results: list[SearchHit] | None
    query_text: str

    def on_copy_passage(self, message: CopyPassage) -> None:
        message.stop()
        cited = cited_passage(message.article, message.first, message.last, message.text)
        problem = clipboard_problem()
        if problem is None:
            self.app.copy_to_clipboard(cited)  # type: ignore[attr-defined]
        self._keep_citation(cited, problem)

    @work(thread=True, group="citations", exit_on_error=False, description="Keeping the citation")
    def _keep_citation(self, cited: str, problem: str | None) -> None:
        """Append the citation to the citations file too: the copy in the terminal's
        clipboard cannot be checked, and some terminals drop it."""
        app = self.app  # type: ignore[attr-defined]
        path = citations_path(self.library.settings)
        try:
            append_citation(path, cited)
        except ExportError as exc:
            if problem is None:
                note = f"Copied the passage with its citation (not also saved: {exc})"
                app.call_from_thread(app.notify, note, severity="warning", timeout=8)
            else:
                note = f"Cannot copy: {problem}, and {exc}"
                app.call_from_thread(app.notify, note, severity="error", timeout=12)
            return
        if problem is None:
            note = f"Copied the passage with its citation (also saved in {path})"
            app.call_from_thread(app.notify, note, timeout=5)
        else:
            note = f"Cannot copy: {problem}. The passage and its citation are in {path}"
            app.call_from_thread(app.notify, note, severity="warning", timeout=12)

    def on_open_source(self, message: OpenSource) -> None:
        message.stop()
        url = (message.article.url or "").strip()
        notify = self.app.notify  # type: ignore[attr-defined]
        if not url:
            notify("This article has no source URL", severity="warning", timeout=4)
        elif not _WEB.match(url):
            notify(f"Not a web address, not opened: {url}", severity="warning", timeout=8)
        else:
            self._open_url(url)

    @work(thread=True, group="browser", exit_on_error=False, description="Opening the browser")
    def _open_url(self, url: str) -> None:
        """Start the browser off the UI thread (it may take seconds). Without a graphical
        display, Python would start a console browser (lynx, w3m) in the terminal the app
        is drawing in: the URL is copied instead."""
        app = self.app  # type: ignore[attr-defined]
        reason = no_graphical_browser()
        opened = False
        if reason is None:
            try:
                opened = webbrowser.open(url, new=2)
                reason = "no browser found"
            except webbrowser.Error as exc:
                reason = str(exc) or "no browser found"
        if opened:
            app.call_from_thread(app.notify, f"Opened {url}", timeout=4)
            return
        app.call_from_thread(app.copy_to_clipboard, url)
        note = f"Could not open a browser ({reason}); the URL is copied: {url}"
        app.call_from_thread(app.notify, note, severity="warning", timeout=12)

    def action_export_results(self) -> None:
        """ctrl+e: the article list as shown (its order, its filters) to CSV or JSON Lines."""
        article_list = self.query_one(ArticleList)  # type: ignore[attr-defined]
        if not article_list.settled:  # the first page only, or an order still being made
            self.app.notify("The list is still loading: export it once it is in", timeout=3)  # type: ignore[attr-defined]
            return
        rows = article_list.rows
        if not rows:
            self.app.notify("The list is empty: nothing to export", severity="warning")  # type: ignore[attr-defined]
            return
        scores = {h.id: h.score for h in self.results or []}
        records = [
            {
                "id": row.info.id,
                "title": row.info.title,
                "outlet": row.info.outlet,
                "date": row.info.published.isoformat() if row.info.published else None,
                "url": row.info.url,
                "score": scores.get(row.info.id),
                "snippet": row.snippet or None,
            }
            for row in rows
        ]
        what = f"{len(records)} article{'s' if len(records) != 1 else ''} of the list"
        if self.results is not None and self.query_text:
            what += f", found by “{self.query_text}”"
        default = default_export_path(exports_folder(self.library.settings), "results", ".csv")

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._write_results(records, path)

        self.app.push_screen(ExportDialog(what, default, EXPORT_SUFFIXES), chosen)  # type: ignore[attr-defined]

    @work(thread=True, group="export", exit_on_error=False, description="Exporting the list")
    def _write_results(self, records: list[dict[str, object]], path: Path) -> None:
        app = self.app  # type: ignore[attr-defined]
        try:
            count = export_records(records, RESULT_FIELDS, path)
        except ExportError as exc:
            app.call_from_thread(app.notify, str(exc), severity="error", timeout=12)
            return
        what = f"{count} article{'s' if count != 1 else ''}"
        app.call_from_thread(app.notify, f"Exported {what} to {path}", timeout=8)
