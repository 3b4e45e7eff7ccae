"""What each key makes the app do: its frames, layout passes, paints and collector passes.

Usage::

    python benchmarks/trace_frames.py CORPUS_DIR INDEX_DIR [--keys "j j j enter j"] [--gap 0.4]
        [--wait 3] [--show N]

``bench_keys.py`` says how long a key takes to reach the screen; this says why. The app runs in
a detached tmux pane (private server, 120x40) with Textual's compositor, screen and collector
wrapped to log, with their times in ms since the start: each key, each layout pass (and what it
resized), each paint (its duration and the region it repainted) and each collector pass of
generation 1 or 2. Then it prints, per key, the time from the key to the end of the last paint
before the next key, and the number of frames it took; ``--show N`` prints the log of the Nth
key. Textual's frames after the first are 17 to 33 ms apart, so a key drawn in one frame is fast
and each frame more costs that much: the log shows which part of the app asked for it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Runs inside the app's process (python -c): wraps Textual's internals, then starts the app.
TRACER = r"""
import gc, os, sys, time
from textual import events
from textual._compositor import Compositor
from textual.app import App
from textual.screen import Screen
log, start = [], time.perf_counter()
def now():
    return (time.perf_counter() - start) * 1000
reflow, paint, layout = Compositor.reflow, Compositor.render_partial_update, Screen._refresh_layout
def traced_reflow(self, *args):
    result = reflow(self, *args)
    resized = sorted(type(w).__name__ for w in result.resized)
    shown, hidden = len(result.shown), len(result.hidden)
    log.append(f"{now():9.1f} layout shown={shown} hidden={hidden} resized={resized}")
    return result
def traced_paint(self):
    regions, began = list(self._dirty_regions), now()
    result = paint(self)
    log.append(f"{began:9.1f} paint {now() - began:5.1f} ms, {len(regions)} regions")
    return result
post = App.post_message
def traced_post(self, message):
    if isinstance(message, events.Key):
        log.append(f"{now():9.1f} KEY {message.key} {message.time}")  # posted twice: one time
    return post(self, message)
began = {}
def collector(phase, info):
    if phase == "start":
        began[0] = now()
    elif info["generation"] >= 1:
        log.append(f"{began[0]:9.1f} collector gen{info['generation']} {now() - began[0]:5.1f} ms")
gc.callbacks.append(collector)
Compositor.reflow, Compositor.render_partial_update = traced_reflow, traced_paint
App.post_message = traced_post
from tui.cli import main
try:
    main(sys.argv[1:])
finally:
    with open(os.environ["TRACE_FRAMES_OUT"], "w") as out:
        out.write("\n".join(log))
"""


def per_key(lines: list[str]) -> list[tuple[str, float, int, list[str]]]:
    """(key, ms from the key to the end of its last paint, paints, its log lines) per key."""
    keys: list[tuple[str, float, int, list[str]]] = []
    current: tuple[str, float] | None = None
    last, paints, own, seen = 0.0, 0, [], ""
    for line in lines:
        parts = line.split()
        at = float(parts[0])
        if parts[1] == "KEY":
            if parts[3] == seen:  # the same key event, posted again
                continue
            seen = parts[3]
            if current is not None:
                keys.append((current[0], last - current[1] if paints else 0.0, paints, own))
            current, last, paints, own = (parts[2], at), at, 0, [line]
        elif current is not None:
            own.append(line)
            if parts[1] == "paint":
                last, paints = at + float(parts[2]), paints + 1
    if current is not None:
        keys.append((current[0], last - current[1] if paints else 0.0, paints, own))
    return keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--keys", default=" ".join(["j"] * 20), help="tmux key names, spaced")
    parser.add_argument("--gap", type=float, default=0.4, help="seconds between keys")
    parser.add_argument("--wait", type=float, default=3.0, help="seconds after the first titles")
    parser.add_argument("--show", type=int, default=0, help="print the log of the Nth key")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "trace.log"
        env = {
            "TRACE_FRAMES_OUT": str(out),
            "HOME": folder,
            "THAAD_TUI_DATA_DIR": f"{folder}/data",
            "THAAD_TUI_CACHE_DIR": f"{folder}/cache",
            "PYTHONPATH": os.environ.get("PYTHONPATH", str(HERE.parent)),
        }
        app = [sys.executable, "-c", TRACER, "--corpus", str(args.corpus)]
        app += ["--index-dir", str(args.index_dir), "--fresh"]
        command = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        command += " " + shlex.join(app)
        tmux = ["tmux", "-S", f"{folder}/tmux.sock"]
        subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", command], check=True)
        try:
            deadline = time.monotonic() + 60
            while (
                "articles"
                not in subprocess.run(
                    [*tmux, "capture-pane", "-p"], capture_output=True, text=True
                ).stdout
            ):
                if time.monotonic() > deadline:
                    raise SystemExit("the app did not show its titles in 60 s")
                time.sleep(0.2)
            time.sleep(args.wait)
            for key in args.keys.split():
                subprocess.run([*tmux, "send-keys", key], check=True)
                time.sleep(args.gap)
            time.sleep(1)
            for key in ("Escape", "Escape", "q"):  # out of the search box, if in it; quit
                subprocess.run([*tmux, "send-keys", key], check=True)
                time.sleep(0.3)
            deadline = time.monotonic() + 20
            while not out.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            subprocess.run([*tmux, "kill-server"], capture_output=True)
        lines = out.read_text().splitlines() if out.exists() else []
    if not lines:
        raise SystemExit("no trace was written (did the app quit?)")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    sent = len(args.keys.split())
    keys = per_key(sorted(lines, key=lambda line: float(line.split()[0])))[:sent]
    for number, (key, took, paints, _own) in enumerate(keys, 1):
        print(f"{number:3} {key:8} {took:6.0f} ms to the last paint, {paints} paint(s)")
    if args.show and 0 < args.show <= len(keys):
        print("\n".join(keys[args.show - 1][3]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
