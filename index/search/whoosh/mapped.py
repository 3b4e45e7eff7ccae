"""Whoosh's segment files read in place from their memory map, not copied into memory.

Whoosh maps each compound segment file (``*.seg``) and opens every file inside it as a
``BufferFile`` over a slice of the map. ``BufferFile`` wraps that slice in ``io.BytesIO``, and
``BytesIO`` copies a memoryview it is given: every reader (each searcher, each vocabulary load,
each merge) held its own private copy of the whole index. That was 122 MB a reader at 19,043
articles (measured with tracemalloc: ``structfile.py:351``), and 821 MB at 100,000, where
the first search spent seconds copying. :func:`install` makes the files of a mapped segment read
through :class:`MapView`, which copies only the bytes asked for, as a real file would; the
pages of the map are the kernel's page cache, shared by every reader and process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import StorageError
from whoosh.filedb.structfile import BufferFile

_PEEK = 4096  # bytes a peek returns at least (Whoosh's pickles are small)
_LINE_CHUNK = 256  # bytes looked at a time for a line end (Whoosh reads lines only in pickles)


class MapView:
    """A read-only file over a memoryview: ``read`` copies only what it returns."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._pos = 0
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes from the current position (the rest with -1 or None)."""
        end = (
            len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        )
        start, self._pos = self._pos, max(self._pos, end)
        return bytes(self._view[start:end])

    def peek(self, size: int = 1) -> bytes:
        """Bytes from the current position without moving it: the C unpickler reads ahead
        with it, then asks ``read`` once for what it used (not a ``read`` per opcode)."""
        return bytes(self._view[self._pos : self._pos + max(size, _PEEK)])

    def readinto(self, target: Any) -> int:
        """Fill ``target`` from the current position; the number of bytes copied."""
        out = memoryview(target).cast("B")
        data = self._view[self._pos : self._pos + len(out)]
        out[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        """The bytes up to and including the next newline (at most ``size``)."""
        limit = (
            len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        )
        end = self._pos
        while end < limit:
            chunk = bytes(self._view[end : min(limit, end + _LINE_CHUNK)])
            found = chunk.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(chunk)
        start, self._pos = self._pos, end
        return bytes(self._view[start:end])

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Move to ``offset`` (from the start, the current position or the end)."""
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self) -> int:
        """The current position."""
        return self._pos

    def close(self) -> None:
        """Mark closed (the map is the storage's to close, when its last reader is done)."""
        self.closed = True


class MappedFile(BufferFile):
    """Whoosh's ``BufferFile`` over a slice of a segment's map, without its private copy."""

    def __init__(self, buf: memoryview, name: str | None = None) -> None:
        self._buf = buf
        self._name = name
        self.file = MapView(buf)
        self.onclose = None
        self.is_real = False
        self.is_closed = False


def _open_file(self: CompoundStorage, name: str, *args: Any, **kwargs: Any) -> Any:
    """``CompoundStorage.open_file``: a mapped segment's file as a :class:`MappedFile`."""
    if self.is_closed:
        raise StorageError("Storage was closed")
    source = self._source
    if not source:
        return _whoosh_open_file(self, name, *args, **kwargs)
    offset, length = self.range(name)
    return MappedFile(memoryview(source)[offset : offset + length], name=name)


_whoosh_open_file = CompoundStorage.open_file


def install() -> None:
    """Make Whoosh read mapped segment files in place (idempotent)."""
    CompoundStorage.open_file = _open_file  # type: ignore[method-assign]
