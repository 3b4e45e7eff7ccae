"""The Timeline pane: a bar chart of the articles over time above a chronological list.

The chart (:class:`PeriodChart`) counts the articles the article list shows; Enter on a bar
keeps only that period. Below it, publication dates and dated events in order, the date in
its own aligned column and the sentence wrapped beside it; Enter opens the article there.
Mentions of dates long before the corpus begins fold into one row that Enter unfolds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index.ingest.textclean import visible
from index.models import Event
from tui.keymap import KeyIds
from tui.messages import OpenArticle
from tui.widgets.period_chart import PeriodChart
from tui.widgets.row_layout import wrap

__all__ = ["EventList", "PeriodChart", "Timeline", "date_label"]

DATE_WIDTH = 11  # "2016 spring"
MAX_LINES = 3  # lines of a sentence shown; Enter opens the article for the rest
MAX_ROWS = 500  # OptionList lays out every option it holds; narrow by entity or period
EARLIER = "earlier"  # the option id of the folded row of old background


def date_label(event: Event) -> str:
    """The date as the list shows it: ``2016-07-08``, ``2016-W27``, ``2016 spring``…"""
    if event.precision == "week":
        year, week, _ = date.fromisoformat(event.date).isocalendar()
        return f"{year}-W{week:02d}"
    if event.precision == "season":
        name = {"03": "spring", "06": "summer", "09": "autumn", "12": "winter"}
        return f"{event.date[:4]} {name.get(event.date[5:7], event.date[5:7])}"
    return event.date


class EventList(KeyIds, OptionList):
    """Publication dates and dated events, chronologically; Enter opens the article there."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "Events: first", show=False),
        Binding("G,end", "last", "Events: last", show=False),
        Binding("enter", "select", "Events: open the article there"),
        Binding("y", "toggle_grouping", "Chart: months / years"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.events: list[Event] = []
        self.rows: list[Event | None] = []  # what each option shows (None: the folded row)
        self.titles: dict[str, str] = {}
        self.earlier: list[Event] = []  # old background, folded into one row
        self._recent: list[Event] = []
        self._before: str | None = None  # the year before which events are background
        self.unfolded = False
        self._wrapped_at = 0  # the text width the rows were wrapped at

    def set_events(self, events: Sequence[Event], titles: dict[str, str]) -> None:
        """Show ``events`` (already in order); ``titles`` name the articles."""
        self.events = list(events)
        self.titles = titles
        self.unfolded = False
        # Split once per set, not per fill (a resize or unfolding refills): at 19,043 articles
        # the events are 43,725, and three passes over them took 0.1-0.2 s of each fill.
        self._before = _corpus_start(self.events)
        before = self._before
        self.earlier, self._recent = [], []
        for event in self.events:
            (self.earlier if before and event.date < before else self._recent).append(event)
        self._fill()

    def _fill(self) -> None:
        rows: list[Event | None] = []
        if self.earlier:
            rows.append(None)
            if self.unfolded:
                rows.extend(self.earlier[:MAX_ROWS])
        rows.extend(self._recent[: MAX_ROWS + 1 - len(rows)])
        total = len(self.earlier) * self.unfolded + bool(self.earlier) + len(self._recent)
        self.rows = rows[:MAX_ROWS]
        self._wrapped_at = self._text_width()
        keep = self.highlighted
        self.clear_options()
        options = [self._option(n, row) for n, row in enumerate(self.rows)]
        if total > MAX_ROWS:  # say so, rather than end the timeline without a word
            more = f"… {total - MAX_ROWS} more: choose a period on the chart, or an entity"
            options.append(Option(Text(more, "dim italic"), disabled=True))
        self.add_options(options or [Option(Text("No dated events", "dim"), disabled=True)])
        if self.rows:
            self.highlighted = min(keep, len(self.rows) - 1) if keep is not None else 0

    def _option(self, n: int, event: Event | None) -> Option:
        if event is None:
            first, last = self.earlier[0].date[:4], self.earlier[-1].date[:4]
            cut = self._before or last
            sign = "▾" if self.unfolded else "▸"
            action = "enter folds them" if self.unfolded else "enter shows them"
            what = f"{len(self.earlier)} mentions of {first}–{last}"
            body = f"{sign} Earlier background: {what} ({action})"
            return Option(self._row(f"before {cut}", body, "dim", "dim italic"), id=EARLIER)
        if event.kind == "published":
            body = "▣ " + visible(self.titles.get(event.article, event.article))
            return Option(self._row(date_label(event), body, "cyan"), id=str(n))
        also = f"mentioned in {len(event.also) + 1} articles, e.g. " if event.also else ""
        body = "• " + also + visible(event.text)
        return Option(self._row(date_label(event), body, "yellow", bold=len(also)), id=str(n))

    def _row(self, label: str, body: str, mark: str, style: str = "", bold: int = 0) -> Text:
        """The date in its column and ``body`` wrapped beside it, at most ``MAX_LINES`` lines.

        Wrapped here, as plain strings, rather than by a Rich table per row: laying out 500
        tables took over a second on the UI thread.
        """
        lines = _wrapped(" ".join(body.split()), self._text_width())
        row = Text(f"{label:<{DATE_WIDTH}} ", "dim" if style else "bold", no_wrap=True)
        start = len(row)
        indent = " " * (DATE_WIDTH + 1)
        row.append(lines[0], style)
        for line in lines[1:]:
            row.append("\n" + indent)
            row.append(line, style)
        row.stylize(mark, start, start + 1)
        if bold:
            row.stylize("bold", start + 2, min(start + 2 + bold, len(row)))
        return row

    def _text_width(self) -> int:
        # The widget's own width, less the scrollbar's (it may appear once the rows are set):
        # a width that does not change when the scrollbar comes and goes.
        room = self.size.width - self.styles.scrollbar_size_vertical
        return max(10, (room if room > 0 else 40) - DATE_WIDTH - 1)

    def on_resize(self) -> None:
        if self.rows and self._text_width() != self._wrapped_at:
            self._fill()  # the wrapping depends on the width

    # -- keys -------------------------------------------------------------------------------
    def on_focus(self) -> None:
        # Focus must land on a row: with nothing highlighted, y and Enter seemed dead.
        if self.highlighted is None and self.rows:
            self.highlighted = 0

    def action_toggle_grouping(self) -> None:
        self.screen.query_one(PeriodChart).action_toggle_grouping()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == EARLIER:
            self.unfolded = not self.unfolded
            self._fill()
            return
        if event.option.id is None:
            return
        chosen = self.rows[int(event.option.id)]
        if chosen is None:
            return
        if chosen.kind == "event":  # open at the event's sentence, selected
            self.post_message(OpenArticle(chosen.article, offset=chosen.start, end=chosen.end))
        else:
            self.post_message(OpenArticle(chosen.article))


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in at most ``MAX_LINES`` lines of ``width``, the last ending " …" if cut.

    The article list's greedy wrap: ``textwrap`` (regular expressions) took two thirds of a
    refill of 500 rows."""
    breaks, cut = wrap(text, width, MAX_LINES)
    lines = [text[start:end] for start, end in breaks]
    if cut:  # room for " …", cutting at a space as textwrap's placeholder does
        last, room = lines[-1], max(0, width - 2)
        if len(last) > room:
            space = last.rfind(" ", 0, room + 1)
            last = last[: space if space > 0 else room]
        lines[-1] = f"{last.rstrip()} …"
    return lines


def _corpus_start(events: Sequence[Event]) -> str | None:
    """Dates before this (a year before the first publication) are old background."""
    published = [e.date for e in events if e.kind == "published"]
    if not published:
        return None
    first = date.fromisoformat(min(published))
    return (first - timedelta(days=365)).isoformat()[:4]


class Timeline(Vertical):
    """The chart above the chronological list."""

    DEFAULT_CSS = """
    Timeline PeriodChart { border-bottom: solid $primary-darken-2; height: 6; }
    Timeline EventList { height: 1fr; background: $surface; text-wrap: nowrap; }
    """

    def compose(self) -> ComposeResult:
        yield PeriodChart(id="periods")
        yield EventList(id="events")
