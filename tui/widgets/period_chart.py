"""A compact bar chart of articles per month or year that fits the width it is given.

One column per period from the first dated article to the last; runs of two or more empty
periods collapse into one narrow gap (``┊``) so that years without articles take no room.
The cursor column is shown under the chart with its count, so counts stay readable at any
width. ``left``/``right`` (or ``h``/``l``, ``j``/``k``) move, ``enter`` keeps only that
period in the article list, ``y`` switches months and years.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from tui.keymap import KeyIds
from tui.messages import PeriodChosen

BAR_ROWS = 3
_EIGHTHS = " ▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Column:
    """One period of the chart (``period`` None for a collapsed run of empty periods)."""

    period: str | None
    count: int
    first: str = ""
    last: str = ""


def month_counts(dates: Iterable[date]) -> Counter[str]:
    """Articles per ``YYYY-MM``: the part of the counting that grows with the corpus (run it
    in a worker)."""
    return Counter(d.isoformat()[:7] for d in dates)


def periods(months: Counter[str], by: str) -> list[Column]:
    """Columns for the counts: every period from the first to the last, empty runs collapsed."""
    counts: Counter[str] = Counter()
    for month, n in months.items():
        if n:
            counts[month[:4] if by == "year" else month] += n
    if not counts:
        return []
    keys = _every_period(min(counts), max(counts), by)
    out: list[Column] = []
    run: list[str] = []
    for key in [*keys, None]:
        if key is not None and not counts.get(key):
            run.append(key)
            continue
        if len(run) >= 2:
            out.append(Column(None, 0, run[0], run[-1]))
        else:
            out.extend(Column(k, 0) for k in run)
        run = []
        if key is not None:
            out.append(Column(key, counts[key]))
    return out


def _every_period(first: str, last: str, by: str) -> list[str]:
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class PeriodChart(KeyIds, Widget, can_focus=True):
    """Articles per period as vertical bars; Enter chooses the period under the cursor."""

    BINDINGS = [
        Binding("left,h,k", "move(-1)", "Chart: previous period", show=False),
        Binding("right,l,j", "move(1)", "Chart: next period", show=False),
        Binding("g,home", "first", "Chart: first period", show=False),
        Binding("G,end", "last", "Chart: last period", show=False),
        Binding("enter", "choose", "Chart: keep only this period"),
        Binding("y", "toggle_grouping", "Chart: months / years"),
    ]
    DEFAULT_CSS = """
    PeriodChart { height: 5; padding: 0 1; }
    """
    by: reactive[str] = reactive("year")
    cursor: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._months: Counter[str] = Counter()
        self.columns: list[Column] = []
        self.chosen: str | None = None

    # -- data -------------------------------------------------------------------------------
    def set_counts(self, months: Counter[str], chosen: str | None = None) -> None:
        """Show these articles per month (see :func:`month_counts`); mark period ``chosen``."""
        keep = self.current_period
        self._months = months
        self.chosen = chosen
        self._fill(keep or chosen)

    @property
    def months(self) -> Counter[str]:
        """The articles per month the chart shows."""
        return self._months

    @property
    def current_period(self) -> str | None:
        """The period under the cursor (None on a gap or an empty chart)."""
        if 0 <= self.cursor < len(self.columns):
            return self.columns[self.cursor].period
        return None

    @property
    def total(self) -> int:
        """How many dated articles the chart counts."""
        return sum(self._months.values())

    def watch_by(self) -> None:
        keep = self.current_period
        self._fill(keep[:4] if keep and self.by == "year" else keep)

    def _fill(self, keep: str | None) -> None:
        self.columns = periods(self._months, self.by)
        ids = [c.period for c in self.columns]
        if keep and self.by == "month" and len(keep) == 4:
            keep = next((p for p in ids if p and p.startswith(keep)), None)
        if keep in ids:
            self.cursor = ids.index(keep)
        else:  # the busiest period: where an analyst looks first
            counts = [c.count for c in self.columns]
            self.cursor = counts.index(max(counts)) if counts else 0
        self.refresh()

    # -- keys -------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        if self.columns:
            self.cursor = max(0, min(len(self.columns) - 1, self.cursor + step))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self.columns) - 1)

    def action_choose(self) -> None:
        period = self.current_period
        if period:
            self.post_message(PeriodChosen(period))

    def action_toggle_grouping(self) -> None:
        self.by = "month" if self.by == "year" else "year"

    def watch_cursor(self) -> None:
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------
    def render(self) -> Text:
        width = max(8, self.size.width)
        if not self.columns:
            return Text("No dated articles", "dim")
        peak = max(c.count for c in self.columns) or 1
        label = f"{peak}"
        axis = len(label) + 1
        step = max(1, min(6, (width - axis) // len(self.columns)))
        visible = max(1, (width - axis) // step)
        start = min(max(0, self.cursor - visible // 2), max(0, len(self.columns) - visible))
        shown = self.columns[start : start + visible]
        lines = [Text(no_wrap=True, overflow="crop") for _ in range(BAR_ROWS + 2)]
        for row in range(BAR_ROWS):
            lines[row].append(f"{label if row == 0 else '':>{axis - 1}}│", "dim")
        for index, column in enumerate(shown, start):
            self._draw_column(lines, column, index, peak, step)
        lines[BAR_ROWS] = self._labels(shown, start, axis, step)
        lines[BAR_ROWS + 1] = self._caption(width)
        return Text("\n").join(lines)

    def _draw_column(
        self, lines: list[Text], column: Column, index: int, peak: int, step: int
    ) -> None:
        bar = max(0, step - 1) or 1
        is_cursor = index == self.cursor and self.has_focus
        chosen = column.period is not None and column.period == self.chosen
        style = "reverse bold" if is_cursor else "yellow" if chosen else "green"
        eighths = round(column.count / peak * BAR_ROWS * 8) if column.count else 0
        if column.count and not eighths:
            eighths = 1
        for row in range(BAR_ROWS):
            level = max(0, min(8, eighths - (BAR_ROWS - 1 - row) * 8))
            if column.period is None:
                cell = "┊" if row == BAR_ROWS - 1 else " "
                lines[row].append(cell.ljust(bar), "dim")
            else:
                lines[row].append(_EIGHTHS[level] * bar, style)
            if step > bar:
                lines[row].append(" ")

    def _labels(self, shown: list[Column], start: int, axis: int, step: int) -> Text:
        """Under the bars: each year near where it begins (``2016``), where it fits."""
        line = Text(" " * axis, no_wrap=True, overflow="crop")
        free = 0  # the first cell not yet written
        pending: str | None = None  # a year whose first column had no room for its label
        for offset, column in enumerate(shown):
            year = (column.period or column.first)[:4]
            previous = (shown[offset - 1].period or shown[offset - 1].last)[:4] if offset else ""
            if column.period is not None and year != previous:
                pending = year
            at = offset * step
            if pending is None or at < free or column.period is None or year != pending:
                continue
            label = pending if (len(shown) - offset) * step >= 4 else ""
            line.append(" " * (at - free))
            cursor_year = (self.current_period or "")[:4]
            line.append(label, "bold" if label == cursor_year else "dim")
            free = at + len(label) + 1
            line.append(" ")
            pending = None
        return line

    def _caption(self, width: int) -> Text:
        column = self.columns[self.cursor] if self.columns else None
        caption = Text(no_wrap=True, overflow="ellipsis")
        if column is None:
            return caption
        if column.period is None:
            caption.append(f"{column.first} – {column.last}: no articles", "dim")
        else:
            noun = "article" if column.count == 1 else "articles"
            caption.append(f"{column.period}", "bold")
            caption.append(f" {column.count} {noun}")
            if column.period == self.chosen:
                caption.append("  (kept: x clears)", "yellow")
        caption.append(f"  · per {self.by} (y)", "dim")
        caption.truncate(width, overflow="ellipsis")
        return caption
