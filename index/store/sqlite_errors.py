"""SQLite errors as the catalogue reports them: a full disk told apart from damaged content.

:func:`disk_refused` says when a failure is the disk's (the content must then be kept);
:func:`guarded` turns what damaged pages raise on reading into :class:`CatalogueDamaged`.
"""

from __future__ import annotations

import errno
import functools
import inspect
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_SQLITE_IOERR, _SQLITE_FULL = 10, 13


def disk_refused(exc: BaseException) -> str | None:
    """Why the disk refused a read or write, if ``exc`` says so (full, over quota, I/O error):
    such a failure says nothing about the index's content, which must then be kept."""
    if isinstance(exc, OSError) and exc.errno in _SPACE_ERRNOS:
        return (exc.strerror or "no space left on device").lower()
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code == _SQLITE_FULL:
            return "no space left on device"
        if code == _SQLITE_IOERR:
            return "disk I/O error"
    return None


class CatalogueDamaged(sqlite3.DatabaseError):
    """The catalogue's content cannot be read back (damaged pages); ``str()`` says where."""


_F = TypeVar("_F", bound=Callable[..., Any])


def guarded(method: _F) -> _F:
    """Turn what damaged pages raise on reading (undecodable text, garbled JSON, values of the
    wrong type) into :class:`CatalogueDamaged`; a locked database stays an ordinary error."""

    @functools.wraps(method)
    def read(self: object, *args: Any, **kwargs: Any) -> Any:
        try:
            result = method(self, *args, **kwargs)
            if inspect.isgenerator(result):
                return _guarded_iter(result, method.__name__)
            return result
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or disk_refused(exc):
                raise
            raise CatalogueDamaged(f"{method.__name__}: {exc}") from exc
        except CatalogueDamaged:
            raise
        except (sqlite3.DatabaseError, ValueError, TypeError, KeyError, IndexError) as exc:
            raise CatalogueDamaged(f"{method.__name__}: {type(exc).__name__}: {exc}") from exc

    return read  # type: ignore[return-value]


def _guarded_iter(rows: Iterator[Any], name: str) -> Iterator[Any]:
    try:
        yield from rows
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or disk_refused(exc):
            raise
        raise CatalogueDamaged(f"{name}: {exc}") from exc
    except (sqlite3.DatabaseError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise CatalogueDamaged(f"{name}: {type(exc).__name__}: {exc}") from exc
