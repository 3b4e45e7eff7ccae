"""Connections to the PostgreSQL server: a small pool, redacted in every message.

A URL may hold a password (``postgresql://user:secret@host/db``). It is kept in this module
only: what is shown (errors, notices, logs) is :func:`redact`'s form, and the text of every
driver error is scrubbed of the password before it is raised again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg

from index.store.postgres import BackendUnavailable, schema

CONNECT_TIMEOUT = 5  # seconds: a server that does not answer is said at once, not after minutes
_T = TypeVar("_T")


def _password(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.password:
        return unquote(parts.password)
    query = parse_qs(parts.query)
    return query.get("password", [None])[0]


def redact(url: str) -> str:
    """``url`` as it may be shown: no password (in the authority or the query string)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    query = parse_qs(parts.query)
    if not host and "host" in query:
        host = query["host"][0]  # a Unix socket folder
    user = f"{unquote(parts.username)}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else (f":{query['port'][0]}" if "port" in query else "")
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


class PgConnections:
    """The database named by ``url``: a small pool of autocommit connections (every read sees
    the last committed state, and a running build never blocks it). Any thread borrows one
    for a read or a transaction; a connection found lost is dropped and a new one made.

    A pool, not a connection per thread: the app's workers are short-lived threads, and a
    connection per thread would leave one open on the server for every worker that ran.
    """

    max_idle = 8  # connections kept open between reads

    def __init__(self, url: str) -> None:
        self._url = url
        self._secret = _password(url)
        self.shown = redact(url)
        self._idle: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._schema_ready = False
        # Closed when this object goes: a connection left to the garbage collector warns.
        self._finalizer = weakref.finalize(self, _close_all, self._idle)

    def __repr__(self) -> str:
        return f"PgConnections({self.shown!r})"

    def scrub(self, text: str) -> str:
        """``text`` without the password (driver messages may quote the connection string)."""
        if self._secret:
            text = text.replace(self._secret, "***")
        return " ".join(text.split())

    def unavailable(self, exc: BaseException) -> BackendUnavailable:
        """The one-line error for a failed connection (``raise ... from None``: the driver's
        traceback would show the connection parameters)."""
        why = self.scrub(str(exc)) or type(exc).__name__
        return BackendUnavailable(f"cannot reach the database {self.shown}: {why}")

    def open(self, autocommit: bool = True) -> psycopg.Connection[Any]:
        """A new connection of its own (the build's lock session uses one)."""
        try:
            return psycopg.connect(
                self._url, autocommit=autocommit, connect_timeout=CONNECT_TIMEOUT
            )
        except psycopg.Error as exc:
            raise self.unavailable(exc) from None

    def _borrow(self) -> psycopg.Connection[Any]:
        with self._lock:
            while self._idle:
                conn = self._idle.pop()
                if not (conn.closed or conn.broken):
                    return conn
        conn = self.open()
        if not self._schema_ready:
            try:
                schema.migrate(conn)
            except (schema.SchemaTooNew, psycopg.Error) as exc:
                # A newer schema, or no right to create the tables: one line, not a traceback.
                conn.close()
                why = self.scrub(str(exc))
                raise BackendUnavailable(f"cannot use the database {self.shown}: {why}") from None
            except BaseException:
                conn.close()
                raise
            self._schema_ready = True
        return conn

    def _give_back(self, conn: psycopg.Connection[Any]) -> None:
        idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        if conn.closed or conn.broken or not idle:
            conn.close()
            return
        with self._lock:
            if len(self._idle) < self.max_idle:
                self._idle.append(conn)
                return
        conn.close()

    def run(self, work: Callable[[psycopg.Connection[Any]], _T]) -> _T:
        """``work(connection)``, again on a new connection if the first one was lost (a
        server restart); a server still away raises :class:`BackendUnavailable`."""
        for attempt in (1, 2):
            conn = self._borrow()
            try:
                return work(conn)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if not (conn.closed or conn.broken):
                    raise  # a failed statement on a live connection is not a lost server
                if attempt == 2:
                    raise self.unavailable(exc) from None
            finally:
                self._give_back(conn)
        raise AssertionError("unreachable")

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """A transaction on a connection of the pool: all of it is committed, or none."""
        conn = self._borrow()
        try:
            with conn.transaction():
                yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            if conn.closed or conn.broken:
                raise self.unavailable(exc) from None
            raise
        finally:
            self._give_back(conn)

    def close(self) -> None:
        """Close the idle connections (those in use close when given back)."""
        with self._lock:
            _close_all(self._idle)


def _close_all(connections: list[psycopg.Connection[Any]]) -> None:
    while connections:
        connections.pop().close()


BUILD_LOCK = "thaad-tui build"  # hashed by the server into the advisory lock's key


class BuildLock:
    """The writers' lock of a database: a session-level advisory lock on a connection of its
    own. The server frees it when that session ends, so a killed build never leaves it held."""

    def __init__(self, connections: PgConnections) -> None:
        self._connections = connections
        self._conn: psycopg.Connection[Any] | None = None
        self.on_wait: Callable[[str], None] | None = None

    def _try(self) -> bool:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = self._connections.open()
        try:
            row = self._conn.execute(
                "SELECT pg_try_advisory_lock(hashtext(%s))", (BUILD_LOCK,)
            ).fetchone()
        except psycopg.Error as exc:
            self._conn.close()
            self._conn = None
            raise self._connections.unavailable(exc) from None
        return bool(row and row[0])

    def acquire(self, timeout: float = 30) -> None:
        """Take the lock, waiting up to ``timeout`` seconds (saying so through ``on_wait``);
        raises :class:`filelock.Timeout` as the file lock of an embedded index does."""
        import time

        from filelock import Timeout

        if self._try():
            return
        if self.on_wait is not None:
            self.on_wait(
                f"another thaad-tui is building the index in {self._connections.shown}; "
                f"waiting up to {timeout:.0f} s for it to finish"
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.2)  # polling a server-side lock: there is no event to wait on
            if self._try():
                return
        self.release()
        raise Timeout(self._connections.shown)

    def release(self) -> None:
        """Free the lock (closing the session frees it whatever it held)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
