"""The Timeline pane: a histogram of the corpus over time and a chronological list.

The histogram has one bar per month (or per year, toggled with ``y``); Enter on a bar filters
the article list to that period. Below it, publication dates and dated events in order; Enter
opens the article at that point.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.models import ArticleInfo, Event
from tui.messages import OpenArticle, PeriodChosen
from tui.text import plain

BAR_WIDTH = 14


def periods(infos: Sequence[ArticleInfo], by: str) -> list[tuple[str, int]]:
    """(period, article count) for every period between the first and last dated article."""
    dates = sorted(i.published for i in infos if i.published)
    if not dates:
        return []
    counts = Counter(_period(d.isoformat(), by) for d in dates)
    first, last = dates[0], dates[-1]
    out = []
    if by == "year":
        for year in range(first.year, last.year + 1):
            out.append((str(year), counts.get(str(year), 0)))
    else:
        y, m = first.year, first.month
        while (y, m) <= (last.year, last.month):
            key = f"{y:04d}-{m:02d}"
            out.append((key, counts.get(key, 0)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _period(iso: str, by: str) -> str:
    return iso[:4] if by == "year" else iso[:7]


class PeriodChart(OptionList):
    """One bar per period; Enter chooses the period."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("y", "toggle_grouping", "Month/year"),
    ]
    by: reactive[str] = reactive("year")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._infos: Sequence[ArticleInfo] = ()

    def set_articles(self, infos: Sequence[ArticleInfo]) -> None:
        self._infos = infos
        self._fill()

    def watch_by(self) -> None:
        self._fill()

    def action_toggle_grouping(self) -> None:
        self.by = "month" if self.by == "year" else "year"

    def _fill(self) -> None:
        rows = periods(self._infos, self.by)
        peak = max((n for _, n in rows), default=0) or 1
        self.clear_options()
        options = []
        for period, n in rows:
            bar = "█" * max(1 if n else 0, round(n / peak * BAR_WIDTH))
            label = Text(f"{period:<8}", "bold", end="", no_wrap=True)
            label.append(f"{bar:<{BAR_WIDTH}} ", "green")
            label.append(str(n), "dim")
            options.append(Option(label, id=period))
        self.add_options(options or [Option(Text("No dated articles", "dim"), disabled=True)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(PeriodChosen(event.option.id))


class EventList(OptionList):
    """Publication dates and dated events, chronologically; Enter opens the article there."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.events: list[Event] = []
        self.titles: dict[str, str] = {}

    def set_events(self, events: Sequence[Event], titles: dict[str, str]) -> None:
        self.events = list(events)
        self.titles = titles
        self.clear_options()
        options = []
        # OptionList lays out every option it holds: 5,000 took seconds at start-up on a
        # 19,000-article corpus. Narrow by entity or period to reach the rest.
        for n, e in enumerate(self.events[:500]):
            label = Text(f"{e.date:<10} ", "bold", end="", no_wrap=True, overflow="ellipsis")
            if e.kind == "published":
                label.append("▣ ", "cyan")
                label.append_text(plain(titles.get(e.article, e.article)))
            else:
                label.append("• ", "yellow")
                label.append_text(plain(e.text))
            options.append(Option(label, id=str(n)))
        self.add_options(options or [Option(Text("No dated events", "dim"), disabled=True)])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        chosen = self.events[int(event.option.id)]
        if chosen.kind == "event":  # open at the event's sentence, selected
            self.post_message(OpenArticle(chosen.article, offset=chosen.start, end=chosen.end))
        else:
            self.post_message(OpenArticle(chosen.article))


class Timeline(Vertical):
    """The histogram above the chronological list."""

    DEFAULT_CSS = """
    Timeline PeriodChart { height: auto; max-height: 45%; border-bottom: solid $primary-darken-2; }
    Timeline EventList { height: 1fr; }
    Timeline OptionList { text-wrap: nowrap; text-overflow: ellipsis; }
    Timeline OptionList { background: $surface; }
    """

    def compose(self) -> ComposeResult:
        yield PeriodChart(id="periods")
        yield EventList(id="events")
