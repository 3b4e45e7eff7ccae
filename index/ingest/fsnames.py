"""File names as the operating system has them, and as people and SQLite can take them.

On POSIX a file name is bytes; Python turns bytes that are not UTF-8 into lone surrogates
(``bad\\xff.txt`` becomes ``'bad\\udcff.txt'``), which no UTF-8 output, SQLite text or hash
input accepts. Names stay in that form in memory, so the file can be opened again, and pass
through here on their way out.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def shown(path: str | os.PathLike[str]) -> str:
    """A path (or name) for people: bytes that are not UTF-8 appear as ``\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def to_db(name: str) -> str | bytes:
    """A name (path, relative path) as SQLite stores it: the text itself when it is valid
    Unicode, else its bytes (``os.fsencode``), stored as a BLOB. A BLOB never equals a TEXT
    value, so the two kinds of names cannot collide, and valid names are stored as before."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name)
    return name


def from_db(value: str | bytes) -> str:
    """Undo :func:`to_db`: the name as Python has it from the file system."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def hashable(text: str) -> bytes:
    """UTF-8 bytes of ``text`` for a hash; a name's undecodable bytes are hashed as they are."""
    return text.encode("utf-8", "surrogateescape")


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """A regular file opened for reading. Anything else (a FIFO, a device) raises OSError
    before a byte is read: reading a FIFO would wait for a writer forever."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else _special(mode)
            raise OSError(errno.EINVAL, f"is {kind}, not a regular file", str(path))
        with open(fd, "rb", closefd=False) as handle:
            yield handle
    finally:
        os.close(fd)


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most ``limit``); see :func:`open_regular`."""
    with open_regular(path) as handle:
        return handle.read() if limit is None else handle.read(limit)


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "a special file"
