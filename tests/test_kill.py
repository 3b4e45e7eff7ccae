"""Real processes in a real terminal: quitting while busy, kill -9 while indexing or bookmarking.

The app runs under tmux (skipped when tmux is missing), on a private tmux server socket, with
``pipe-pane`` recording every byte the app writes to its terminal.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from index import paths
from index.library import open_library
from index.models import Article
from index.notes.notebook import NotesFile, new_bookmark

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
LEAVE_ALT_SCREEN = b"\x1b[?1049l"
# Enough files to use the build's process pool and to commit one batch (500) with 200 to go.
CORPUS_SIZE = 700


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Poll a real process's observable state; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


class TmuxApp:
    """``thaad-tui`` running in a detached tmux pane whose output bytes are logged."""

    def __init__(self, folder: Path, argv: list[str], size: tuple[int, int] = (120, 40)) -> None:
        self.folder = folder
        self.socket = folder / "tmux.sock"
        self.log = folder / "terminal.log"
        go = folder / "go"
        self.status_file = folder / "exit-status"
        # The shell waits for the app and writes its exit status, as a user's shell would see
        # it. (tmux 3.3 sometimes leaves an exec'd pane process unreaped after its pty closes,
        # so #{pane_dead_status} may never be set although the app has exited.)
        command = " ".join(
            [
                f"while [ ! -e {go} ]; do sleep 0.02; done;",
                sys.executable,
                "-m",
                "tui",
                *(shlex.quote(a) for a in argv),
                f"; echo $? > {self.status_file}",
            ]
        )
        width, height = size
        self.tmux("new-session", "-d", "-s", "app", "-x", str(width), "-y", str(height), command)
        self.tmux("set-option", "-w", "-t", "app", "remain-on-exit", "on")
        # The app only starts once every byte it writes can be recorded.
        self.tmux("pipe-pane", "-t", "app", "-o", f"cat >> {self.log}")
        go.touch()

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "app", *keys)

    def dead(self) -> bool:
        return self.tmux("display-message", "-p", "-t", "app", "#{pane_dead}").strip() == "1"

    def exit_status(self) -> str:
        """``status N`` of the app, once the shell that ran it has written it."""
        wait_for(
            lambda: self.status_file.exists() and self.status_file.read_text().strip(),
            20,
            "the shell to record the exit status",
        )
        return f"status {self.status_file.read_text().strip()}"

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "app", "#{pane_pid}").strip())

    def raw(self) -> bytes:
        return self.log.read_bytes() if self.log.exists() else b""

    def close(self) -> None:
        subprocess.run(["tmux", "-S", str(self.socket), "kill-server"], capture_output=True)


def generate_corpus(folder: Path, n: int, start: int = 0) -> Path:
    """``n`` small articles: enough files that indexing takes a few seconds and uses the pool.

    Numbered from ``start``: articles are identified by their text, so a second batch made
    with the same numbers would be duplicates of the first.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        (folder / f"a{i:05d}.txt").write_text(
            f"Generated report {i} on the THAAD deployment\n\nBy Test Writer\n\n"
            f"Seoul, July {i % 28 + 1}, 2016 - Officials in Seongju met on day {i} to discuss "
            "the battery and its radar with Chinese diplomats.\n\n"
            f"A second paragraph numbered {i} mentions Beijing, Washington and Lotte.\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_corpus(tmp_path_factory.mktemp("big") / "corpus", CORPUS_SIZE)


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (the build's process pool, the forkserver)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def indexed(index_dir: Path) -> int:
    """Articles committed to the catalogue so far (read by another process, as a user would)."""
    try:
        with sqlite3.connect(f"file:{index_dir / 'catalogue.sqlite'}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


@needs_tmux
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to follow child processes")
@pytest.mark.parametrize("key", ["q", "C-c"])
def test_quit_while_indexing_restores_the_terminal(key: str, big_corpus: Path, tmp_path: Path):
    """``q`` and Ctrl+C leave promptly while a worker indexes, and leave the alternate screen."""
    argv = ["--corpus", str(big_corpus), "--index-dir", str(tmp_path / "ix")]
    term = TmuxApp(tmp_path, [*argv, "--notes", str(tmp_path / "notes.md")])
    try:
        wait_for(lambda: "Indexing" in term.screen(), 30, "indexing to start")
        app_pid = term.pid()
        helpers = descendants(app_pid)
        started = time.monotonic()
        term.keys(key)
        wait_for(term.dead, 10, f"the app to exit after {key}")
        took = time.monotonic() - started
        status = term.exit_status()
        raw = term.raw()
    finally:
        term.close()
    assert took < 5, f"{key} took {took:.1f} s to quit"
    assert status == "status 0"
    assert LEAVE_ALT_SCREEN in raw[-300:], raw[-600:]  # what came after it, if anything
    assert b"Traceback" not in raw
    wait_for(lambda: not any(alive(p) for p in helpers), 10, "the build's helper processes")


# ``thaad-tui index`` with smaller batches, so a small corpus has several commits to kill between.
INDEX_SMALL_BATCHES = """
import sys
import index.build.builder
from tui.cli import main

index.build.builder.BATCH_SIZE = 40
sys.exit(main(sys.argv[1:]))
"""


def test_kill_9_while_indexing_then_next_run_completes(tmp_path: Path):
    """kill -9 a ``thaad-tui index`` mid-build; the next run recovers and indexes everything."""
    size = 160  # below the process-pool threshold: the kill test is about commits, not workers
    corpus_dir = generate_corpus(tmp_path / "corpus", size)
    index_dir = tmp_path / "ix"
    command = [sys.executable, "-c", INDEX_SMALL_BATCHES, "index", "--corpus", str(corpus_dir)]
    command += ["--index-dir", str(index_dir)]
    with subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    ) as proc:
        wait_for(lambda: indexed(index_dir) > 0 or proc.poll() is not None, 60, "a first batch")
        assert proc.poll() is None, "the build finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)  # the process and its pool, as a crash would
    partial = indexed(index_dir)
    assert 0 < partial < size
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    library = open_library(paths.resolve(corpus_dir, index_dir, tmp_path / "notes.md"))
    try:
        assert len(library.articles()) == size
        assert library.fulltext.doc_count() == size
        assert len(library.search("generated", limit=1000)) == size
        again = library.update()
        assert again.added == again.updated == 0 and again.rebuilt is None
    finally:
        library.fulltext.close()
        library.catalogue.close()


BOOKMARK_LOOP = """
import sys
from pathlib import Path
from index.models import Article
from index.notes.notebook import NotesFile, new_bookmark

article = Article("a1", "Title", ("First paragraph.", "Second paragraph."))
notes = NotesFile(Path(sys.argv[1]))
n = 0
while True:
    notes.add(new_bookmark(article, 1 + n % 2, comment=f"bookmark number {n}"))
    print(n, flush=True)
    n += 1
"""


def test_kill_9_while_bookmarking_keeps_every_completed_bookmark(tmp_path: Path):
    notes_path = tmp_path / "notes.md"
    completed: list[int] = []
    with subprocess.Popen(
        [sys.executable, "-c", BOOKMARK_LOOP, str(notes_path)],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            completed.append(int(line))
            if len(completed) >= 40:
                proc.kill()
                break
        # Lines already printed were reported as complete before the kill landed.
        completed += [int(line) for line in proc.stdout.read().split()]
    assert proc.returncode == -signal.SIGKILL
    notes = NotesFile(notes_path)
    loaded = notes.load()
    comments = {b.comment for b in loaded.bookmarks}
    missing = [n for n in completed if f"bookmark number {n}" not in comments]
    assert not missing
    assert len(loaded.problems) <= 1
    # The one in flight may or may not have made it; nothing else is there.
    assert len(loaded.bookmarks) in (len(completed), len(completed) + 1)
    article = loaded.bookmarks[0]
    notes.add(new_bookmark(Article(article.article, "T", ("p",)), 1, comment="after the crash"))
    after = notes.load()
    assert after.bookmarks[-1].comment == "after the crash"
    assert len(after.bookmarks) == len(loaded.bookmarks) + 1
    assert len(after.problems) == len(loaded.problems)


def process_group(pgid: int) -> set[int]:
    """Live processes of a process group (a build started in its own session, and its helpers)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.add(int(entry.name))
    return found


def start_index(corpus_dir: Path, index_dir: Path, **popen) -> subprocess.Popen:
    command = [sys.executable, "-m", "tui", "index", "--corpus", str(corpus_dir)]
    command += ["--index-dir", str(index_dir), "--notes", str(index_dir.parent / "notes.md")]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen
    )


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to follow child processes")
def test_kill_9_of_a_build_leaves_no_helper_process(big_corpus: Path, tmp_path: Path):
    """The fork server, the workers and the resource tracker die with a killed build."""
    with start_index(big_corpus, tmp_path / "ix", start_new_session=True) as proc:
        # The program, the tracker, the fork server and two workers.
        wait_for(lambda: len(process_group(proc.pid)) >= 5, 60, "the build's worker processes")
        helpers = process_group(proc.pid) - {proc.pid}
        proc.kill()  # the program only, as the OOM killer or `kill -9 PID` would
        proc.wait()
    wait_for(lambda: not process_group(proc.pid), 10, f"helpers {sorted(helpers)} to exit")


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_sigint_stops_a_build_started_in_the_background(big_corpus: Path, tmp_path: Path):
    """A script's background job inherits SIGINT ignored; ``kill -INT`` still stops the build."""
    index_dir = tmp_path / "ix"
    proc = start_index(big_corpus, index_dir, start_new_session=True, preexec_fn=_ignore_sigint)
    try:
        wait_for(lambda: len(process_group(proc.pid)) >= 5, 60, "the build's worker processes")
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # never leave a build behind a failed test
            proc.communicate()
    assert proc.returncode == 130
    assert err.strip().splitlines()[-1].startswith("thaad-tui: interrupted: stopped after"), err
    assert indexed(index_dir) < CORPUS_SIZE  # it really stopped
    assert "Traceback" not in err
    wait_for(lambda: not process_group(proc.pid), 10, "the build's helpers to exit")
