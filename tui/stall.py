"""An event-loop stall detector for benchmarks: ``THAAD_TUI_STALL_LOG=FILE`` makes the app
tick every :data:`TICK` seconds and write, to ``FILE``, each gap between two ticks longer than
:data:`REPORTED` (``gap <ms> at <monotonic s>``) and, every second, the longest gap so far
(``max <ms> ticks <n>``). A gap is time the loop could not run: keys and redraws waited for it.
Timestamps are ``time.monotonic()``, the clock a benchmark in another process reads too.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from textual.app import App

ENV = "THAAD_TUI_STALL_LOG"
TICK = 0.01
REPORTED = 0.05


class StallWatch:
    """Measures the gaps between the ticks of a timer on the app's event loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last = time.monotonic()
        self.longest = 0.0
        self.ticks = 0
        self.reported = self.last
        path.write_text("", encoding="utf-8")

    def tick(self) -> None:
        now = time.monotonic()
        gap = now - self.last
        self.last = now
        self.ticks += 1
        lines = []
        if gap > REPORTED:
            lines.append(f"gap {gap * 1000:.1f} at {now:.3f}")
        self.longest = max(self.longest, gap)
        if now - self.reported >= 1.0 or lines:
            self.reported = now
            lines.append(f"max {self.longest * 1000:.1f} ticks {self.ticks}")
        if lines:
            with self.path.open("a", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")


def watch_if_asked(app: App[Any]) -> StallWatch | None:
    """Start the watch on ``app`` if the environment asks for it (see the module's docstring)."""
    target = os.environ.get(ENV)
    if not target:
        return None
    watch = StallWatch(Path(target))
    app.set_interval(TICK, watch.tick)
    return watch
