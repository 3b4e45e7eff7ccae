"""The catalogue on a PostgreSQL server: one database shared by a team, read by many app and
CLI instances at once and filled by ``thaad-tui index --backend postgresql://...``.

``connect`` owns the connections (a pool, credentials never shown), ``schema`` the
tables and their version, ``catalogue`` the reads and writes the SQLite catalogue answers,
``corrections`` the entity corrections every user of the database shares.
"""

from __future__ import annotations


def is_postgres_url(backend: str | None) -> bool:
    """Whether ``backend`` (a ``--backend`` value) names a PostgreSQL database."""
    return bool(backend) and str(backend).startswith(("postgresql://", "postgres://"))
