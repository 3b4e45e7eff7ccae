"""A PostgreSQL connection in the shape of the ``sqlite3`` calls index.analysis.copies makes
(``execute``/``executemany`` with ``?`` marks, ``with conn:`` for a transaction), so that the
copy finder runs unchanged on either store. Values stay bound parameters: only the marks are
rewritten, and a ``?`` inside a quoted literal is left alone."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any

import psycopg

from index.store.postgres.connect import PgConnections

_MARK_OR_LITERAL = re.compile(r"'(?:[^']|'')*'|\?")


def to_pg(sql: str) -> str:
    """``sql`` with SQLite's ``?`` parameter marks as psycopg's ``%s`` (``%`` escaped)."""
    sql = sql.replace("%", "%%")
    return _MARK_OR_LITERAL.sub(lambda m: "%s" if m.group(0) == "?" else m.group(0), sql)


class Rows(list[tuple[Any, ...]]):
    """A statement's rows, read like a ``sqlite3`` cursor."""

    def fetchone(self) -> tuple[Any, ...] | None:
        """The first row, or None."""
        return self[0] if self else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every row."""
        return list(self)


class SqliteLike:
    """See the module docstring; ``dialect`` tells the caller which SQL it talks to."""

    dialect = "postgresql"

    def __init__(self, connections: PgConnections) -> None:
        self._db = connections
        self._transaction: Any = None

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Rows:
        """Run one statement; its rows (if any) are read at once."""

        def rows(conn: psycopg.Connection[Any]) -> Rows:
            cur = conn.execute(to_pg(sql), list(args))
            return Rows(cur.fetchall() if cur.description else [])

        if self._transaction is not None:
            return rows(self._conn)
        return self._db.run(rows)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement per row of ``rows``."""
        rows = [list(r) for r in rows]
        if not rows:
            return
        if self._transaction is not None:
            self._conn.cursor().executemany(to_pg(sql), rows)
            return
        self._db.run(lambda conn: conn.cursor().executemany(to_pg(sql), rows))

    def __enter__(self) -> SqliteLike:
        self._cm = self._db.transaction()
        self._conn = self._cm.__enter__()
        self._transaction = True
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._transaction = None
        self._cm.__exit__(kind, exc, tb)
