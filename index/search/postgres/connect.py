"""Connections to the PostgreSQL server for the search backend when it is given a URL.

One autocommit connection per thread (every read sees the last commit, and a running build
never blocks a reader); a lost connection is made again once, then reported in one line that
never holds the password. The catalogue's ``PgConnections`` (i19a) offers the same three
methods, so the backend takes either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg

CONNECT_TIMEOUT = 5  # seconds
_T = TypeVar("_T")


class Unavailable(RuntimeError):
    """The database cannot be reached; ``str()`` is one line without the password."""


class Connections(Protocol):
    """What the backend needs of a connection pool."""

    shown: str

    def run(self, work: Callable[[psycopg.Connection[Any]], _T]) -> _T: ...

    def transaction(self) -> Any: ...

    def close(self) -> None: ...


def redact(url: str) -> str:
    """``url`` as it may be shown: user, host, port and database, never the password."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    host = parts.hostname or query.get("host", [""])[0]
    user = f"{unquote(parts.username)}@" if parts.username else ""
    port = parts.port or query.get("port", [""])[0]
    return f"{parts.scheme}://{user}{host}{':' if port else ''}{port}{parts.path}"


class UrlConnections:
    """Per-thread connections to the database named by ``url``."""

    def __init__(self, url: str) -> None:
        self._url = url
        parts = urlsplit(url)
        secret = unquote(parts.password) if parts.password else None
        self._secret = secret or parse_qs(parts.query).get("password", [None])[0]
        self.shown = redact(url)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[psycopg.Connection[Any]] = []  # every thread's, for close()

    def __repr__(self) -> str:
        return f"UrlConnections({self.shown!r})"

    def _unavailable(self, exc: BaseException) -> Unavailable:
        why = str(exc) or type(exc).__name__
        if self._secret:
            why = why.replace(self._secret, "***")
        return Unavailable(f"cannot reach the database {self.shown}: {' '.join(why.split())}")

    def _connect(self) -> psycopg.Connection[Any]:
        conn: psycopg.Connection[Any] | None = getattr(self._local, "conn", None)
        if conn is not None and (conn.closed or conn.broken):
            conn = None
        if conn is None:
            try:
                conn = psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
            except psycopg.Error as exc:
                raise self._unavailable(exc) from None
            self._local.conn = conn
            with self._lock:
                self._all = [c for c in self._all if not c.closed] + [conn]
        return conn

    def run(self, work: Callable[[psycopg.Connection[Any]], _T]) -> _T:
        """``work(connection)``, once more on a new connection if the first was lost."""
        for attempt in (1, 2):
            conn = self._connect()
            try:
                return work(conn)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if not (conn.closed or conn.broken):
                    raise
                self._local.conn = None
                if attempt == 2:
                    raise self._unavailable(exc) from None
        raise AssertionError("unreachable")

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """A transaction on this thread's connection: all of it is committed, or none."""
        conn = self._connect()
        try:
            with conn.transaction():
                yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            if conn.closed or conn.broken:
                self._local.conn = None
                raise self._unavailable(exc) from None
            raise

    def close(self) -> None:
        """Close every thread's connection (each makes a new one on its next use)."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
