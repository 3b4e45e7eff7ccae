"""Full-text search on a PostgreSQL server (issue 19): the second search backend.

:func:`open_fulltext` gives the backend for a database, from a ``postgresql://`` URL or the
catalogue's connections.
"""

from __future__ import annotations

from index.search.postgres.backend import Connections, PostgresBackend


def open_fulltext(target: str | Connections) -> PostgresBackend:
    """The search backend of the database ``target`` (a URL or a connection pool)."""
    return PostgresBackend(target)


__all__ = ["PostgresBackend", "open_fulltext"]
