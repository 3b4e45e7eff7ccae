"""App cold start to the first article titles on screen, against a bare Textual app; peak RSS.

Usage::

    python benchmarks/bench_startup.py CORPUS_DIR INDEX_DIR [--runs N]

Method (the same for both apps, alternating in one run): each app is started as a fresh
process in a detached tmux pane (a real terminal, 120x40) and the clock runs from just before
``tmux new-session`` until ``tmux capture-pane`` first shows the expected text, polled every
10 ms. For thaad-tui the text is the title of the first article in the list (the index is
already built; the app only opens it); for the bare app it is the one static label it shows.
tmux's own start-up is in both figures, so the ratio is fair and slightly flattering to neither.

Then the time until the whole list is in (the pane's "N articles", written once every row is
read), and the longest event-loop stall from the first titles to SETTLE seconds after that (the
app's ``THAAD_TUI_STALL_LOG``, tui/stall.py: gaps over 50 ms between the ticks of a 10 ms timer;
the rows sorted and measured, the copies, the side panes all land in that window).

Peak memory: after the titles appear, the list is scrolled to the end, a search is typed and
an article opened; then VmHWM (peak resident set) is read from /proc/PID/status.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import corpus_arguments, isolate_user_folders, settings_for, summary

from index.library import Library

SETTLE = 3.0  # seconds after the whole list is in that stalls are still counted

BARE = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Static('BARE APP READY')\n"
    "Bare().run()\n"
)


class Pane:
    def __init__(self, folder: Path, argv: list[str]) -> None:
        self.socket = folder / "tmux.sock"
        self.started = time.perf_counter()
        self.tmux("new-session", "-d", "-s", "b", "-x", "120", "-y", "40", shlex.join(argv))

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, timeout=10
        ).stdout

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if text in self.tmux("capture-pane", "-p", "-t", "b"):
                return time.perf_counter() - self.started
            time.sleep(0.01)
        raise SystemExit(f"{text!r} did not appear in {timeout} s:\n{self.screen()}")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "b")

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip())

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)


def longest_stall_ms(log: Path, since: float) -> float:
    """The longest gap the app's stall log recorded that began after ``since`` (monotonic
    seconds, the clock the log uses); 0 if none was over the log's 50 ms floor."""
    gaps = []
    for line in log.read_text().splitlines():
        if line.startswith("gap "):  # gap <ms> at <monotonic s of its end>
            _, ms, _, at = line.split()
            if float(at) - float(ms) / 1000 >= since:
                gaps.append(float(ms))
    return max(gaps, default=0.0)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = corpus_arguments(__doc__, runs=5)
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is required")
    isolate_user_folders()
    library = Library(settings_for(args.corpus, args.index_dir))
    report = library.update()
    first_title = library.articles()[0].title[:40]
    print(f"index ready: {report.articles} articles; waiting for {first_title!r}; load {load()}")
    whole = f"{report.articles} articles"
    app = [
        sys.executable,
        "-m",
        "tui",
        "--corpus",
        str(args.corpus),
        "--index-dir",
        str(args.index_dir),
        "--fresh",  # each start the same: not the session the first run's keys left
    ]
    bare = [sys.executable, "-c", BARE]
    app_times, bare_times, ratios, peaks, whole_times, stalls = [], [], [], [], [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            pane = Pane(Path(folder), bare)
            try:
                bare_s = pane.wait_for("BARE APP READY")
            finally:
                pane.close()
        with tempfile.TemporaryDirectory() as folder:
            log = Path(folder) / "stalls.log"
            pane = Pane(Path(folder), ["env", f"THAAD_TUI_STALL_LOG={log}", *app])
            try:
                app_s = pane.wait_for(first_title)
                shown = time.monotonic()
                whole_times.append(pane.wait_for(whole, timeout=120.0))
                time.sleep(SETTLE)
                stalls.append(longest_stall_ms(log, shown))
                if run == 0:
                    pid = pane.pid()
                    for keys in (["G"], ["slash"], ["oil prices", "Enter"], ["Escape", "Enter"]):
                        pane.tmux("send-keys", "-t", "b", *keys)
                        time.sleep(1.0)
                    peaks.append(peak_rss_mb(pid))
            finally:
                pane.close()
        bare_times.append(bare_s)
        app_times.append(app_s)
        ratios.append(app_s / bare_s)
        print(
            f"  run {run + 1}: app {app_s:.2f} s, bare {bare_s:.2f} s, ratio {app_s / bare_s:.2f};"
            f" whole list {whole_times[-1]:.2f} s, longest stall {stalls[-1]:.0f} ms"
        )
    print(f"app to first titles: {summary(app_times, ' s', 2)}")
    print(f"bare Textual app:    {summary(bare_times, ' s', 2)}")
    print(f"ratio app/bare:      {summary(ratios, '', 2)}")
    print(f"whole list in:       {summary(whole_times, ' s', 2)}")
    print(
        f"longest stall, titles to {SETTLE:.0f} s after the whole list: {summary(stalls, ' ms', 0)}"
    )
    print(f"load average at the end: {load()}")
    if peaks:
        print(f"peak RSS (VmHWM) after scroll to end, search, open: {peaks[0]:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
