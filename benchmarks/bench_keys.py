"""Key-to-screen latency in a real terminal, and event-loop stalls, over a scripted session.

Usage::

    python benchmarks/bench_keys.py CORPUS_DIR INDEX_DIR [--runs N]

The app runs in a detached tmux pane (private server, 120x40) on a built index. Each key is
sent with ``tmux send-keys`` and the clock runs until the pane (``capture-pane -e``: text and
colours, so a moved cursor counts) has changed and then stayed the same for ``QUIET`` seconds;
the figure is the time of the LAST change seen, so a key whose effect is drawn in two frames
(the cursor, then the article it opens) is timed to the second. For a search keystroke the
screen must also no longer say "searching…" (the results for the typed prefix are shown).
Polling costs one ``capture-pane`` call per sample; its median is printed as the resolution.

Session (per run): j x30 and k x15 in the article list; Enter (open an article) x8; j x5
and k x5 in the Reader, in three articles; the list scrolled to the end and back (G, g); two
searches typed one character at a time ("oil prices", "japan trade"); an entity filter (3, j,
Enter) and the timeline (4, j, Enter). ``THAAD_TUI_STALL_LOG`` (tui/stall.py) makes the app log
each gap over 50 ms between the ticks of a 10 ms timer: the longest gap is the longest stall.
"""

from __future__ import annotations

import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus_arguments, isolate_user_folders, percentile, settings_for, summary

from index.library import Library

QUIET = 0.15  # s without a change: the screen is final
TIMEOUT = 10.0
NO_CHANGE = 3.0  # s: a key that changed nothing by then had nothing to do (j on the last line)


class Pane:
    """A tmux pane on a private server, polled with capture-pane."""

    def __init__(self, folder: Path, command: str) -> None:
        self.socket = str(folder / "tmux.sock")
        self.polls: list[float] = []
        self.tmux("new-session", "-d", "-s", "k", "-x", "120", "-y", "40", command)

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=10
        ).stdout

    def screen(self) -> str:
        started = time.perf_counter()
        text = self.tmux("capture-pane", "-p", "-e", "-t", "k")
        self.polls.append(time.perf_counter() - started)
        return text

    def wait_for(self, text: str) -> None:
        deadline = time.perf_counter() + 60
        while text not in self.screen():
            if time.perf_counter() > deadline:
                raise SystemExit(f"{text!r} did not appear:\n{self.screen()}")

    def key(self, key: str, ready: Callable[[str], bool] = lambda s: True) -> float | None:
        """Seconds from sending ``key`` to the last change of the screen it caused; None if
        the screen did not change (e.g. j on the last paragraph)."""
        before = self.screen()
        sent = time.perf_counter()
        self.tmux("send-keys", "-t", "k", key)
        last_change, current = None, before
        while True:
            now = time.perf_counter()
            screen = self.screen()
            if screen != current:
                current, last_change = screen, time.perf_counter()
            if last_change is None:
                if now - sent > NO_CHANGE and ready(current):
                    return None  # nothing changed in a second: the key had nothing to do
            elif now - last_change >= QUIET and ready(current):
                return last_change - sent
            if now - sent > TIMEOUT:
                return (last_change or now) - sent

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


def not_searching(screen: str) -> bool:
    return "searching…" not in screen


def session(pane: Pane, times: dict[str, list[float]]) -> None:
    def press(kind: str, key: str, ready: Callable[[str], bool] = lambda s: True) -> None:
        took = pane.key(key, ready)
        if took is not None:
            times.setdefault(kind, []).append(took * 1000)

    for key, count in (("j", 30), ("k", 15)):
        for _ in range(count):
            press("list j/k", key)
    for _ in range(8):
        press("open article (Enter)", "Enter")
        pane.key("1")
        pane.key("j")
    for _ in range(3):  # Reuters stories are short: a few paragraphs down and up in each
        pane.key("j")
        pane.key("2")
        for key in "jjjjjkkkkk":
            press("Reader j/k", key)
        pane.key("1")
    press("list G (to the end)", "G")
    press("list g (to the top)", "g")
    for word in ("oil prices", "japan trade"):
        pane.key("/")
        for char in word:
            press("search keystroke", "Space" if char == " " else char, not_searching)
        pane.key("Escape")
    pane.key("3")
    pane.key("j")
    press("entity filter (Enter)", "Enter")
    pane.key("x")
    pane.key("4")
    pane.key("j")
    press("timeline (Enter)", "Enter")


def main(argv: list[str] | None = None) -> int:
    parser = corpus_arguments(__doc__, runs=2)
    args = parser.parse_args(argv)
    isolate_user_folders()
    library = Library(settings_for(args.corpus, args.index_dir))
    report = library.update()
    first_title = library.articles()[0].title[:40]
    library.catalogue.close()
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"index ready: {report.articles} articles")
    per_run: dict[str, list[list[float]]] = {}
    stalls: list[float] = []
    polls: list[float] = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "stall.log"
            argv_app = [sys.executable, "-m", "tui", "--corpus", str(args.corpus)]
            argv_app += ["--index-dir", str(args.index_dir)]
            command = f"env THAAD_TUI_STALL_LOG={shlex.quote(str(log))} {shlex.join(argv_app)}"
            pane = Pane(Path(folder), command)
            try:
                pane.wait_for(first_title)
                pane.key("1")  # let the start-up workers finish drawing
                times: dict[str, list[float]] = {}
                session(pane, times)
                pane.tmux("send-keys", "-t", "k", "q")
            finally:
                polls.extend(pane.polls)
                pane.close()
            text = log.read_text(encoding="utf-8") if log.exists() else ""
            gaps = [float(g) for g in re.findall(r"max ([\d.]+)", text)]
            stalls.append(max(gaps, default=float("nan")))
            over = [float(g) for g in re.findall(r"gap ([\d.]+)", text) if float(g) > 100]
            print(
                f"run {run + 1}: longest event-loop stall {stalls[-1]:.0f} ms; "
                f"{len(over)} stalls over 100 ms"
                + (f" ({', '.join(f'{g:.0f}' for g in sorted(over)[-5:])} ms)" if over else "")
            )
            for kind, values in times.items():
                per_run.setdefault(kind, []).append(values)
                print(
                    f"  {kind}: n={len(values)} p50 {percentile(values, 50):.0f} ms, "
                    f"p95 {percentile(values, 95):.0f} ms, max {max(values):.0f} ms"
                )
    print(f"poll (one capture-pane) median {statistics.median(polls) * 1000:.1f} ms")
    for kind, runs in per_run.items():
        p95s = [percentile(values, 95) for values in runs]
        print(f"{kind} p95: {summary(p95s, ' ms', 0)}")
    print(f"longest stall: {summary(stalls, ' ms', 0)}")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
