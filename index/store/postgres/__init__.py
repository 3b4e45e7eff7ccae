"""The catalogue on a PostgreSQL server: one database shared by a team, read by many app and
CLI instances at once and filled by ``thaad-tui index --backend postgresql://...``.

``connect`` owns the connections (a pool, credentials never shown), ``schema`` the
tables and their version, ``catalogue`` the reads and writes the SQLite catalogue answers,
``corrections`` the entity corrections every user of the database shares.
"""

from __future__ import annotations


class BackendUnavailable(RuntimeError):
    """The database cannot be reached (server down, connection lost, wrong credentials); the
    message is one line naming the database without its password. The next read reconnects.

    Defined here, not beside the connections, so that catching it does not import psycopg
    (0.1-0.2 s of every start-up, with or without a database)."""


def is_postgres_url(backend: str | None) -> bool:
    """Whether ``backend`` (a ``--backend`` value) names a PostgreSQL database."""
    return bool(backend) and str(backend).startswith(("postgresql://", "postgres://"))
