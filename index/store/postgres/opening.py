"""Opening a library on a PostgreSQL database: its catalogue, its full-text index and the
writers' lock, all in the one database the URL names."""

from __future__ import annotations

from index.search.postgres import PostgresBackend, open_fulltext
from index.store.postgres.catalogue import PgCatalogue
from index.store.postgres.connect import BuildLock, PgConnections


def open_shared(url: str) -> tuple[PgCatalogue, PostgresBackend, BuildLock]:
    """The catalogue, the full-text index and the build lock of the database at ``url``, on
    one pool of connections. Nothing connects yet: the first read does (a server that is down
    is then one message)."""
    connections = PgConnections(url)
    return PgCatalogue(connections), open_fulltext(connections), BuildLock(connections)
