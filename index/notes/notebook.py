"""Bookmarks in a Markdown notes file the user owns.

The file is the user's: thaad-tui only ever appends entries to it (under a lock, with
``O_APPEND``, flushed and fsynced) and, to delete one, rewrites it atomically with exactly that
entry's bytes removed, with the line endings written before it: adding then deleting a bookmark
gives back the same bytes. Everything else, hand-written text, CRLF line endings, a missing
final newline, is kept byte for byte. The entry format lives in :mod:`index.notes.format`.

Readers take no lock: appends are single writes and deletes are atomic renames, so a reader sees
at worst a write in progress as one incomplete entry, which :meth:`NotesFile.load` reports.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from index.ingest.textclean import strip_controls
from index.models import Article, Bookmark
from index.notes.findings import ExportError, csv_cell, write_export
from index.notes.format import (
    Entry,
    normalise_passage,
    passage_hash,
    render,
    scan,
    with_separator,
)
from index.store.atomic import fsync_dir, replace_atomically

__all__ = [
    "NotesError",
    "NotesFile",
    "NotesLoad",
    "cited_paragraphs",
    "export",
    "locate",
    "new_bookmark",
    "passage_hash",
    "to_json",
]

LOCK_TIMEOUT = 10.0  # seconds; a writer holds the lock for one small write, so this is generous
FUZZY_CUTOFF = 80.0  # rapidfuzz partial_ratio score (0-100) for "the same passage, lightly edited"


class NotesError(Exception):
    """The notes file cannot be read or written; the message is one line for a person."""


@dataclass(frozen=True)
class NotesLoad:
    """What :meth:`NotesFile.load` found: bookmarks in file order, and what it skipped."""

    bookmarks: list[Bookmark]
    problems: list[str]


def new_bookmark(
    article: Article,
    paragraph: int,
    text: str | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Bookmark:
    """A bookmark of ``article``'s ``paragraph`` (1-based), not yet saved.

    ``text`` defaults to the whole paragraph; pass a sentence of it, or several paragraphs
    joined by blank lines, to save a narrower or wider passage. The id is time-ordered with a
    random tail, so two instances bookmarking in the same second still get distinct ids.
    """
    if not 1 <= paragraph <= len(article.paragraphs):
        raise ValueError(
            f"paragraph {paragraph} is out of range: {article.id} has "
            f"{len(article.paragraphs)} paragraphs"
        )
    moment = now if now is not None else datetime.now(UTC).astimezone()
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is taken as local time
    passage = strip_controls(article.paragraphs[paragraph - 1] if text is None else text)
    passage = passage.replace("\r", "").strip("\n")
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    return Bookmark(
        id=f"{stamp}-{secrets.token_hex(4)}",
        article=article.id,
        paragraph=paragraph,
        text=passage,
        comment=strip_controls(comment).replace("\r", "").strip(),
        created=moment.isoformat(timespec="seconds"),
        title=article.title,
        outlet=article.outlet,
        published=article.published.isoformat() if article.published else None,
        passage_hash=passage_hash(passage),
        url=article.url,
    )


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be the notes file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    kinds = {
        stat.S_ISFIFO: "a FIFO (named pipe)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    kind = next((name for test, name in kinds.items() if test(mode)), "a special file")
    return f"is {kind}, not a regular file; choose another notes file (--notes)"


class NotesFile:
    """One notes file. Cheap to create; nothing touches the disk until a method is called."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def lock_path(self) -> Path:
        """The sibling lock file every writer holds (``notes.md.lock`` beside ``notes.md``).

        It sits beside the real file, so two symlinks to one notes file share one lock.
        """
        real = self.path.resolve()
        return real.with_name(real.name + ".lock")

    @contextmanager
    def _locked(self) -> Iterator[None]:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise NotesError(f"cannot create folder {folder}: {_reason(exc)}") from exc
        if self.path.is_dir():
            raise NotesError(f"cannot write notes file {self.path}: is a directory")
        try:
            kind = _not_regular(os.stat(self.path).st_mode)
        except FileNotFoundError:
            kind = None
        except OSError as exc:
            raise NotesError(f"cannot write notes file {self.path}: {_reason(exc)}") from exc
        if kind:
            raise NotesError(f"cannot write notes file {self.path}: {kind}")
        # filelock holds fcntl.flock on the lock file (released by the kernel if we die). No
        # second flock on the notes file itself: delete replaces that inode, so a lock on it
        # would not exclude a writer that opened the new one.
        from filelock import FileLock, Timeout  # here: off the app's start (10 ms)

        lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT)
        try:
            lock.acquire()
        except Timeout as exc:
            raise NotesError(
                f"notes file {self.path} is locked by another process "
                f"(waited {LOCK_TIMEOUT:g}s for {self.lock_path})"
            ) from exc
        except OSError as exc:
            raise NotesError(f"cannot write notes file {self.path}: {_reason(exc)}") from exc
        try:
            yield
        finally:
            lock.release()

    def add(self, bookmark: Bookmark) -> None:
        """Append ``bookmark`` to the file, creating the file and its folder if needed.

        The entry goes in one ``O_APPEND`` write under the lock, then fsync. If the file does
        not end with a newline (the user edited it), a newline comes first so the entry never
        glues onto the user's last line; the file's line ending (LF or CRLF) is kept.
        Raises :class:`NotesError` if the file cannot be written; the file is then unchanged.
        """
        if bookmark.paragraph < 1 or not bookmark.id or not bookmark.article:
            raise ValueError("a bookmark needs an id, an article and a paragraph >= 1")
        with self._locked():
            existed = self.path.exists()  # through a symlink: does its target exist?
            try:
                # O_NONBLOCK: a FIFO or device put there since the check must not hang us.
                flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK
                fd = os.open(self.path, flags, 0o666)
            except OSError as exc:
                raise NotesError(f"cannot write notes file {self.path}: {_reason(exc)}") from exc
            try:
                if kind := _not_regular(os.fstat(fd).st_mode):
                    raise NotesError(f"cannot write notes file {self.path}: {kind}")
                # Under the lock every writer appends, so this is where our entry will start.
                size = os.fstat(fd).st_size
                eol, prefix = _separator(fd)
                # "replace": a lone surrogate in untrusted text must not abort the write.
                sep = prefix.count("\n")
                entry = (prefix + render(bookmark, eol, sep)).encode("utf-8", "replace")
                try:
                    _write_all(fd, entry)
                    os.fsync(fd)
                except OSError as exc:
                    # A full disk takes part of the entry: cut it off again, or the user's
                    # file keeps a broken entry that is reported on every load.
                    self._undo_append(fd, size, existed, exc)
                    raise
            except OSError as exc:
                raise NotesError(f"cannot write notes file {self.path}: {_reason(exc)}") from exc
            finally:
                os.close(fd)
            if size == 0:
                fsync_dir(self.path.parent)

    def _undo_append(self, fd: int, size: int, existed: bool, cause: OSError) -> None:
        """Bring the file back to its ``size`` bytes (or remove it if this append created
        it); if even that fails, say so in the error, with the partial entry's offset."""
        try:
            if not existed:
                os.unlink(self.path.resolve())  # the file we made, not a symlink to it
                return
            os.ftruncate(fd, size)
            os.fsync(fd)
        except OSError as undo:
            raise NotesError(
                f"cannot write notes file {self.path}: {_reason(cause)}; the incomplete entry "
                f"from byte {size} could not be removed ({_reason(undo)}): delete it by hand"
            ) from cause

    def load(self) -> NotesLoad:
        """Every valid bookmark in file order, and one problem line (with line number) per
        entry skipped. A missing file is empty with no problems."""
        entries, problems = self._scan()
        return NotesLoad([entry.bookmark for entry in entries], problems)

    def _scan(self) -> tuple[list[Entry], list[str]]:
        data = self._read()
        if data is None:
            return [], []
        entries, problems = scan(data)
        return entries, [f"{self.path}: {problem}" for problem in problems]

    def _read(self) -> bytes | None:
        """The file's bytes, or None if it does not exist. Anything but a regular file is
        refused before reading: reading a FIFO would wait for a writer forever."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise NotesError(f"cannot read notes file {self.path}: {_reason(exc)}") from exc
        try:
            if kind := _not_regular(os.fstat(fd).st_mode):
                raise NotesError(f"cannot read notes file {self.path}: {kind}")
            with open(fd, "rb", closefd=False) as handle:
                return handle.read()
        except OSError as exc:
            raise NotesError(f"cannot read notes file {self.path}: {_reason(exc)}") from exc
        finally:
            os.close(fd)

    def delete(self, bookmark_id: str) -> bool:
        """Remove the entry of ``bookmark_id``; False if no valid entry has that id.

        The file is rewritten atomically (temp file in the same folder, fsync, rename) under
        the lock, as it would be had the bookmark never been added: that entry's bytes and
        the separator written before it are removed, every other byte is kept.
        """
        with self._locked():
            data = self._read()
            if data is None:
                return False
            entries, _ = scan(data)
            found = [n for n, e in enumerate(entries) if e.bookmark.id == bookmark_id]
            if not found:
                return False
            try:
                _replace(self.path, _without(data, entries, found[0]))
            except OSError as exc:
                raise NotesError(f"cannot write notes file {self.path}: {_reason(exc)}") from exc
            return True

    def update_comment(self, bookmark_id: str, comment: str) -> bool:
        """Give the entry of ``bookmark_id`` a new comment; False if no valid entry has it.

        Like :meth:`delete`, the file is rewritten atomically under the lock and only that
        entry's bytes change (written again in the file's line ending, with its separator);
        every other byte is kept.
        """
        with self._locked():
            data = self._read()
            if data is None:
                return False
            entries, _ = scan(data)
            entry = next((e for e in entries if e.bookmark.id == bookmark_id), None)
            if entry is None:
                return False
            eol = "\r\n" if data[entry.anchor_end - 2 : entry.anchor_end] == b"\r\n" else "\n"
            clean = strip_controls(comment).replace("\r", "").strip()
            fresh = render(replace(entry.bookmark, comment=clean), eol, entry.sep)
            updated = data[: entry.start] + fresh.encode("utf-8", "replace") + data[entry.end :]
            try:
                _replace(self.path, updated)
            except OSError as exc:
                raise NotesError(f"cannot write notes file {self.path}: {_reason(exc)}") from exc
            return True


def _without(data: bytes, entries: list[Entry], n: int) -> bytes:
    """``data`` as it would be had ``entries[n]`` never been added.

    The entry goes with the line endings written before it. If the next entry was written
    right after it (with no separator, since this one ended with a blank line), that entry
    takes the separator over instead, and its anchor records it, as if it had been written
    first.
    """
    entry = entries[n]
    after = entries[n + 1] if n + 1 < len(entries) else None
    if entry.sep and after is not None and after.start == entry.end and not after.sep:
        anchor = with_separator(data[after.start : after.anchor_end], entry.sep)
        return data[: entry.start] + anchor + data[after.anchor_end :]
    return data[: entry.start - entry.sep_bytes] + data[entry.end :]


def _separator(fd: int) -> tuple[str, str]:
    """The file's line ending, and what to write before an entry so it starts on a fresh line
    after a blank one."""
    size = os.fstat(fd).st_size
    if size == 0:
        return "\n", ""
    head = _read_at(fd, 0, 4096)
    first = head.find(b"\n")
    eol = "\r\n" if first > 0 and head[first - 1 : first] == b"\r" else "\n"
    tail = _read_at(fd, max(0, size - 4), 4)
    if not tail.endswith(b"\n"):
        return eol, eol + eol
    if tail.endswith((b"\n\n", b"\n\r\n")) or size == len(eol):
        return eol, ""
    return eol, eol


def _read_at(fd: int, offset: int, size: int) -> bytes:
    # lseek + read rather than os.pread, which Windows lacks; O_APPEND still sends every
    # write to the end whatever the read position.
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _replace(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` with ``data``, keeping the file's permission bits.

    A symlinked notes file (kept in a synced folder, say) stays a symlink: its target is
    replaced.
    """
    path = path.resolve()
    replace_atomically(path, data, mode=path.stat().st_mode & 0o7777)


def locate(bookmark: Bookmark, article: Article | None) -> tuple[str, int | None]:
    """Find a bookmark's passage again in the current text of its article.

    Returns ``("ok", paragraph)`` when it is still at its paragraph, ``("moved", paragraph)``
    when it is found elsewhere (exactly, or as a close fuzzy match), and ``("missing", None)``
    when the article is gone or no paragraph is close enough. Paragraphs are 1-based.
    """
    if article is None or not article.paragraphs:
        return "missing", None
    wanted = normalise_passage(bookmark.text)
    # A passage spanning paragraphs is anchored at its first one.
    first = normalise_passage(bookmark.text.split("\n\n", 1)[0]) if bookmark.text else ""
    paragraphs = [normalise_passage(p) for p in article.paragraphs]
    start = bookmark.paragraph
    hashes = {bookmark.passage_hash, passage_hash(bookmark.text)} - {""}
    if 1 <= start <= len(paragraphs):
        span = " ".join(paragraphs[start - 1 : start - 1 + bookmark.text.count("\n\n") + 1])
        if passage_hash(span) in hashes or (wanted and wanted in span):
            return "ok", start
    if not first:
        return "missing", None
    order = sorted(range(1, len(paragraphs) + 1), key=lambda n: (abs(n - start), n))
    for number in order:
        if first in paragraphs[number - 1]:
            return ("ok" if number == start else "moved"), number
    best, best_score = None, FUZZY_CUTOFF
    for number in order:
        score = fuzz.partial_ratio(first, paragraphs[number - 1], score_cutoff=best_score)
        if score > best_score:
            best, best_score = number, score
    if best is None:
        return "missing", None
    return ("ok" if best == start else "moved"), best


def cited_paragraphs(bookmark: Bookmark, paragraph: int | None = None) -> str:
    """The paragraphs a passage covers, as cited: ``"3"``, or ``"3-4"`` for a passage of two
    paragraphs; from ``paragraph`` (where it was found again) when given."""
    first = paragraph or bookmark.paragraph
    last = first + bookmark.text.strip("\n").count("\n\n")
    return str(first) if last == first else f"{first}-{last}"


_FIELDS = (
    "id",
    "article",
    "paragraph",
    "text",
    "comment",
    "created",
    "title",
    "outlet",
    "published",
    "passage_hash",
    "url",
)


def to_json(b: Bookmark) -> dict[str, Any]:
    """A JSON-ready dict: id, article, paragraph, text, comment, created, title, outlet,
    published, passage_hash, url (and ``extra`` when the anchor carried unknown attributes)."""
    data: dict[str, Any] = {name: getattr(b, name) for name in _FIELDS}
    if b.extra:
        data["extra"] = dict(b.extra)
    return data


def export(bookmarks: Sequence[Bookmark], path: Path) -> None:
    """Write ``bookmarks`` to ``path`` as a JSON array (``.json``), JSON Lines (``.jsonl``)
    or CSV (``.csv``).

    The file is written atomically. CSV cells that a spreadsheet would run as a formula get a
    leading ``'``. Any other suffix, or a path that cannot be written, raises NotesError.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        text = json.dumps([to_json(b) for b in bookmarks], ensure_ascii=False, indent=2) + "\n"
    elif suffix == ".jsonl":
        text = "".join(json.dumps(to_json(b), ensure_ascii=False) + "\n" for b in bookmarks)
    elif suffix == ".csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(_FIELDS)
        for b in bookmarks:
            writer.writerow([csv_cell(getattr(b, name)) for name in _FIELDS])
        text = buffer.getvalue()
    else:
        raise NotesError(
            f"cannot export to {path}: the file name must end in .json, .jsonl or .csv"
        )
    try:
        write_export(path, text)
    except ExportError as exc:
        raise NotesError(str(exc)) from exc
