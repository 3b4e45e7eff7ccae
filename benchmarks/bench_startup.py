"""App cold start to the first article titles on screen, against a bare Textual app; peak RSS.

Usage::

    python benchmarks/bench_startup.py CORPUS_DIR INDEX_DIR [--runs N]

Method (the same for both apps, alternating in one run): each app is started as a fresh
process in a detached tmux pane (a real terminal, 120x40) and the clock runs from just before
``tmux new-session`` until ``tmux capture-pane`` first shows the expected text, polled every
10 ms. For thaad-tui the text is the title of the first article in the list (the index is
already built; the app only opens it); for the bare app it is the one static label it shows.
tmux's own start-up is in both figures, so the ratio is fair and slightly flattering to neither.

Peak memory: after the titles appear, the list is scrolled to the end, a search is typed and
an article opened; then VmHWM (peak resident set) is read from /proc/PID/status.
"""

from __future__ import annotations

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
    print(f"index ready: {report.articles} articles; waiting for {first_title!r}")
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
    app_times, bare_times, ratios, peaks = [], [], [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            pane = Pane(Path(folder), bare)
            try:
                bare_s = pane.wait_for("BARE APP READY")
            finally:
                pane.close()
        with tempfile.TemporaryDirectory() as folder:
            pane = Pane(Path(folder), app)
            try:
                app_s = pane.wait_for(first_title)
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
            f"  run {run + 1}: app {app_s:.2f} s, bare {bare_s:.2f} s, ratio {app_s / bare_s:.2f}"
        )
    print(f"app to first titles: {summary(app_times, ' s', 2)}")
    print(f"bare Textual app:    {summary(bare_times, ' s', 2)}")
    print(f"ratio app/bare:      {summary(ratios, '', 2)}")
    if peaks:
        print(f"peak RSS (VmHWM) after scroll to end, search, open: {peaks[0]:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
