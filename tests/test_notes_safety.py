"""The notes file under hostile conditions: a full disk, a FIFO or device as the path, and
deletes that must give back the exact bytes the user had."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.message import Message
from textual.notifications import Notify

from index import paths
from index.models import Article, Bookmark
from index.notes.notebook import NotesError, NotesFile, new_bookmark
from tests.screen import main_screen, settle

ARTICLE = Article(
    id="000_thaad",
    title="Seoul confirms THAAD site",
    paragraphs=(
        "South Korea and the United States said on Friday they would deploy THAAD. " * 80,
        "China said the system would damage its security interests.",
    ),
    outlet="Yonhap",
)
USER_TEXT = ("# My notes\n\n" + "A line the user wrote about the deployment.\n" * 1400)[:57_375]


def bookmark(paragraph: int = 1, comment: str = "") -> Bookmark:
    return new_bookmark(ARTICLE, paragraph, comment=comment)


# --- a full disk -----------------------------------------------------------------------------


def fail_after(monkeypatch: pytest.MonkeyPatch, budget: int) -> None:
    """``os.write`` writes at most ``budget`` more bytes in all, then fails with ENOSPC."""
    real_write = os.write
    left = [budget]

    def write(fd: int, data: bytes | memoryview) -> int:
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = real_write(fd, bytes(data[: left[0]]))
        left[0] -= written
        return written

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize("budget", [0, 1, 100, 1500])
def test_a_full_disk_leaves_the_notes_file_byte_for_byte_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    path = tmp_path / "notes.md"
    path.write_text(USER_TEXT, encoding="utf-8")
    notes = NotesFile(path)
    notes.add(bookmark(2))
    before = path.read_bytes()
    fail_after(monkeypatch, budget)
    with pytest.raises(NotesError) as caught:
        notes.add(bookmark(1))
    monkeypatch.undo()
    assert str(caught.value) == f"cannot write notes file {path}: no space left on device"
    assert path.read_bytes() == before
    loaded = notes.load()
    assert loaded.problems == [] and [b.paragraph for b in loaded.bookmarks] == [2]


def test_a_full_disk_on_the_first_bookmark_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.md"
    fail_after(monkeypatch, 200)
    with pytest.raises(NotesError, match="no space left on device"):
        NotesFile(path).add(bookmark())
    monkeypatch.undo()
    assert not path.exists()


def test_a_full_disk_through_a_symlink_to_a_new_file_keeps_the_symlink(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "synced" / "notes.md"
    target.parent.mkdir()
    link = tmp_path / "notes.md"
    link.symlink_to(target)
    fail_after(monkeypatch, 200)
    with pytest.raises(NotesError, match="no space left on device"):
        NotesFile(link).add(bookmark())
    monkeypatch.undo()
    assert link.is_symlink() and not target.exists()


def test_an_fsync_failure_also_takes_the_entry_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.md"
    path.write_text(USER_TEXT, encoding="utf-8")
    real_fsync = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(NotesError, match="input/output error"):
        NotesFile(path).add(bookmark())
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == USER_TEXT


@pytest.fixture
def small_tmpfs(tmp_path: Path):
    """A real 64 KiB tmpfs (needs root and mount); skipped where it cannot be made."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    folder = tmp_path / "small"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True,
        timeout=30,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True, timeout=30)


def test_a_real_full_filesystem_keeps_the_notes_file(small_tmpfs: Path) -> None:
    path = small_tmpfs / "notes.md"
    path.write_text(USER_TEXT, encoding="utf-8")
    fd = os.open(small_tmpfs / "filler", os.O_WRONLY | os.O_CREAT)
    try:  # fill what is left
        with pytest.raises(OSError) as full:
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    assert full.value.errno == errno.ENOSPC
    with pytest.raises(NotesError, match="no space left on device"):
        NotesFile(path).add(bookmark())
    assert path.read_text(encoding="utf-8") == USER_TEXT
    assert NotesFile(path).load().problems == []


# --- add then delete gives back the same bytes -----------------------------------------------

STARTING_FILES = {
    "missing": None,
    "empty": "",
    "one newline": "\n",
    "no final newline": "# Notes\n\nmy last line",
    "final newline": "# Notes\n\nmy last line\n",
    "final blank line": "# Notes\n\nmy last line\n\n",
    "two blank lines": "# Notes\n\nmy last line\n\n\n",
    "crlf": "# Notes\r\n\r\nmy last line\r\n",
    "crlf without final newline": "# Notes\r\n\r\nmy last line",
    "crlf blank line": "# Notes\r\n\r\nmy last line\r\n\r\n",
    "hand-written": "# THAAD\n\n- Seongju, *March*\n- ask about Lotte\n\n> a quote of mine\n",
}


@pytest.mark.parametrize("name", STARTING_FILES)
def test_add_then_delete_gives_back_the_same_bytes(tmp_path: Path, name: str) -> None:
    path = tmp_path / "notes.md"
    start = STARTING_FILES[name]
    if start is not None:
        path.write_bytes(start.encode())
    notes = NotesFile(path)
    b = bookmark(2, comment="mine")
    notes.add(b)
    assert notes.load().bookmarks == [b]
    assert notes.delete(b.id) is True
    assert path.read_bytes() == (start or "").encode()
    assert notes.load().problems == []


@pytest.mark.parametrize("name", STARTING_FILES)
@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0), (0, 2, 1), (1, 2, 0)])
def test_deleting_in_any_order_is_as_if_never_added(
    tmp_path: Path, name: str, order: tuple[int, ...]
) -> None:
    """After deleting some bookmarks, the file is the one the others alone would have made."""
    start = (STARTING_FILES[name] or "").encode()
    marks = [bookmark(1), bookmark(2, comment="second"), bookmark(1, comment="third")]

    def made_by(kept: list[Bookmark]) -> bytes:
        path = tmp_path / "reference.md"
        path.write_bytes(start)
        for b in kept:
            NotesFile(path).add(b)
        return path.read_bytes()

    path = tmp_path / "notes.md"
    path.write_bytes(start)
    for b in marks:
        NotesFile(path).add(b)
    gone: set[int] = set()
    for n in order:
        assert NotesFile(path).delete(marks[n].id) is True
        gone.add(n)
        kept = [b for i, b in enumerate(marks) if i not in gone]
        assert path.read_bytes() == made_by(kept), f"after deleting {sorted(gone)}"
        assert NotesFile(path).load().bookmarks == kept


# --- a FIFO or a device as the notes path ----------------------------------------------------

HANG_LIMIT = 20.0  # seconds; far more than any of these takes, and bounds the test on a hang


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO as the notes path, with a watchdog: if something opens it to read and waits
    for a writer, the watchdog plays the writer after HANG_LIMIT so the test fails instead of
    hanging. ``fifo.hung`` says whether it had to."""
    path = tmp_path / "notes.md"
    os.mkfifo(path)
    hung: list[bool] = []

    def unblock() -> None:
        hung.append(True)
        os.close(os.open(path, os.O_RDWR))  # O_RDWR never waits, and releases a reader

    watchdog = threading.Timer(HANG_LIMIT, unblock)
    watchdog.start()
    try:
        yield path
    finally:
        watchdog.cancel()
        assert not hung, "something waited on the FIFO"


def test_the_notes_layer_refuses_a_fifo_without_waiting(fifo: Path) -> None:
    notes = NotesFile(fifo)
    refusal = re.escape(f"{fifo}: is a FIFO (named pipe), not a regular file")
    with pytest.raises(NotesError, match=f"^cannot read notes file {refusal}"):
        notes.load()
    with pytest.raises(NotesError, match=f"^cannot write notes file {refusal}"):
        notes.add(bookmark())
    with pytest.raises(NotesError, match=f"^cannot write notes file {refusal}"):
        notes.delete("20170301T000000-00000000")
    assert sorted(p.name for p in fifo.parent.iterdir()) == ["notes.md"]  # no lock file


def test_a_device_is_refused_as_the_notes_file(tmp_path: Path) -> None:
    link = tmp_path / "notes.md"
    link.symlink_to(os.devnull)
    with pytest.raises(NotesError, match="is a character device, not a regular file"):
        NotesFile(link).add(bookmark())
    with pytest.raises(NotesError, match="is a character device, not a regular file"):
        NotesFile(link).load()


@pytest.mark.parametrize("command", [["notes"], ["notes", "--json"]])
def test_cli_notes_on_a_fifo_says_why_and_exits(fifo: Path, tmp_path: Path, command) -> None:
    argv = [*command, "--notes", str(fifo), "--corpus", str(tmp_path / "empty")]
    done = subprocess.run(
        [sys.executable, "-m", "tui", *argv],
        capture_output=True,
        text=True,
        timeout=HANG_LIMIT,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2  # an error: every error of the CLI exits 2
    assert done.stdout == ""
    assert done.stderr == (
        f"thaad-tui: cannot read notes file {fifo}: is a FIFO (named pipe), not a regular "
        "file; choose another notes file (--notes)\n"
    )


async def test_the_app_starts_with_a_fifo_as_notes_shows_why_and_quits(
    fifo: Path, seed_corpus: Path, tmp_path: Path
) -> None:
    from tui.app import create_app
    from tui.screens.notes import NotesScreen
    from tui.widgets.article_list import ArticleList

    app = create_app(paths.resolve(seed_corpus, tmp_path / "index", fifo))
    seen: list[Message] = []

    async def drive() -> None:
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await settle(pilot)
            assert len(main_screen(app).query_one(ArticleList).rows) == 5
            notices = [str(m.notification.message) for m in seen if isinstance(m, Notify)]
            assert any("is a FIFO (named pipe)" in n for n in notices), notices
            app.action_notes()
            await settle(pilot)
            assert isinstance(app.screen, NotesScreen)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("q")
            for _ in range(100):  # the app exits within a few frames
                if not app.is_running:
                    break
                await pilot.pause(0.05)
            assert not app.is_running

    await drive()


def test_a_separator_edited_away_by_hand_is_not_counted(tmp_path: Path) -> None:
    """The anchor says sep=1 but the user deleted that line ending: only the entry goes, and
    a following entry that takes the separator over records it only once."""
    path = tmp_path / "notes.md"
    path.write_text("my line\n", encoding="utf-8")
    a, b, c = bookmark(1), bookmark(2), bookmark(1, comment="c")
    notes = NotesFile(path)
    notes.add(a)
    data = path.read_bytes()
    assert b" sep=1 -->" in data
    path.write_bytes(data.replace(b"my line\n\n", b"my line\n"))  # the separator is gone
    notes.add(b)
    notes.add(c)
    assert notes.delete(a.id) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith("my line\n<!-- thaad-tui:bookmark")
    assert [x.id for x in notes.load().bookmarks] == [b.id, c.id]
    b_anchor = text.splitlines()[1]
    assert b_anchor.count("sep=") == 0


@settings(max_examples=60, deadline=None)
@given(
    start=st.lists(st.sampled_from(["note", " ", "\n", "\r\n", "# h"]), max_size=8).map("".join),
    count=st.integers(1, 4),
    order=st.randoms(use_true_random=False),
)
def test_any_start_any_deletes_leave_what_the_others_alone_make(
    tmp_path_factory: pytest.TempPathFactory, start: str, count: int, order
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    marks = [bookmark(1 + n % 2, comment=f"c{n}") for n in range(count)]

    def made_by(kept: list[Bookmark]) -> bytes:
        path = folder / "reference.md"
        path.write_bytes(start.encode())
        for b in kept:
            NotesFile(path).add(b)
        return path.read_bytes()

    path = folder / "notes.md"
    path.write_bytes(made_by(marks))
    kept = list(marks)
    for victim in order.sample(marks, len(marks)):
        assert NotesFile(path).delete(victim.id) is True
        kept.remove(victim)
        assert path.read_bytes() == made_by(kept)
