"""File names as the operating system has them, and as people and SQLite can take them.

On POSIX a file name is bytes; Python turns bytes that are not UTF-8 into lone surrogates
(``bad\\xff.txt`` becomes ``'bad\\udcff.txt'``), which no UTF-8 output, SQLite text or hash
input accepts. Names stay in that form in memory, so the file can be opened again, and pass
through here on their way out.
"""

from __future__ import annotations

import os


def shown(path: str | os.PathLike[str]) -> str:
    """A path (or name) for people: bytes that are not UTF-8 appear as ``\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
