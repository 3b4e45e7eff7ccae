"""The similar list of one article: its copies (same story, found at index time) first, then
articles on the same subject. Enter opens one; ``d`` shows it side by side with the article."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from index.compare.similar import Similar, similar
from index.library import Library
from index.models import ArticleInfo
from tui.failures import ReportsFailures
from tui.text import plain


def describe(library: Library, items: list[Similar]) -> Text:
    """One line for the Reader: how many copies (and from which outlets), how many similar."""
    infos = {info.id: info for info in library.articles()}
    copies = [i for i in items if i.copy]
    like = len(items) - len(copies)
    if not items:
        return plain("No copies or similar articles")
    outlets = sorted({infos[i.id].outlet or "?" for i in copies if i.id in infos})
    text = Text()
    if copies:
        text.append(f"{len(copies)} cop{'y' if len(copies) == 1 else 'ies'}", "bold")
        text.append_text(plain(f" ({', '.join(outlets)})"))
        text.append(" · ")
    text.append(f"{like} similar · c: list them")
    return text


class SimilarScreen(ReportsFailures, Screen[tuple[str, str] | None]):
    """Dismisses with ``("open", id)`` or ``("diff", id)``, or None."""

    BINDINGS = [
        Binding("escape,c", "back", "Back"),
        Binding("d", "diff", "Side by side"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]
    DEFAULT_CSS = """
    SimilarScreen #similar-box { border: round $primary; border-title-color: $accent; }
    SimilarScreen #similar-status { color: $text-muted; height: auto; }
    SimilarScreen OptionList { height: 1fr; background: $surface; border: none; }
    """

    def __init__(self, library: Library, article_id: str) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.items: list[Similar] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="similar-box"):
            yield Static("Looking for copies and similar articles…", id="similar-status")
            yield OptionList(id="similar-list")
        yield Footer()

    def on_mount(self) -> None:
        box = self.query_one("#similar-box")
        box.border_title = "Copies and similar articles"
        box.border_subtitle = plain(self.article_id)  # the title once read (load)
        self.query_one(OptionList).focus()
        self.load()

    @work(
        thread=True,
        exclusive=True,
        group="similar",
        exit_on_error=False,
        description="Finding similar articles",
    )
    def load(self) -> None:
        try:
            article = self.library.article(self.article_id)
            items = similar(self.library, self.article_id, limit=20)
            infos = {info.id: info for info in self.library.articles()}
        except Exception as exc:  # shown, not swallowed: the list stays empty
            self.app.call_from_thread(self._failed, f"{type(exc).__name__}: {exc}")
            return
        if article is not None:
            self.app.call_from_thread(self._titled, article.title)
        self.app.call_from_thread(self._show, items, infos)

    def _titled(self, title: str) -> None:
        self.query_one("#similar-box").border_subtitle = plain(title)

    def _failed(self, message: str) -> None:
        self.query_one("#similar-status", Static).update(plain(f"Cannot list them: {message}"))
        self.notify(f"Similar articles: {message}", severity="error", markup=False)

    def _show(self, items: list[Similar], infos: dict[str, ArticleInfo]) -> None:
        self.items = items
        options = []
        for item in items:
            info = infos.get(item.id)
            line = Text()
            if item.copy:
                line.append(f"copy {item.score:4.0%} ", "bold yellow")
            else:
                line.append(f"like {item.score:5.1f}", "dim")
            day = info.published.isoformat() if info and info.published else "undated"
            line.append(f" {day} ")
            outlet = plain((info.outlet if info else None) or "—", "cyan")
            outlet.truncate(16, pad=True)
            line.append_text(outlet)
            line.append(" ")
            line.append_text(plain(info.title if info else item.id))
            options.append(Option(line, id=item.id))
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        copies = sum(i.copy for i in items)
        noun = "copy" if copies == 1 else "copies"
        status = f"{copies} {noun} (same story), {len(items) - copies} on the same subject"
        self.query_one("#similar-status", Static).update(status if items else "None found")
        if options:
            option_list.highlighted = 0

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(("open", event.option.id))

    def action_diff(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is None or not self.items:
            return
        self.dismiss(("diff", self.items[option_list.highlighted].id))

    def action_move(self, delta: int) -> None:
        option_list = self.query_one(OptionList)
        if delta > 0:
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_back(self) -> None:
        self.dismiss(None)
