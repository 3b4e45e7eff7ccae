"""Opening a library on a PostgreSQL database: its catalogue, its full-text index and the
writers' lock, all in the one database the URL names."""

from __future__ import annotations

import importlib
from typing import Any

from index.store.postgres.catalogue import PgCatalogue
from index.store.postgres.connect import BuildLock, PgConnections


class FullTextPending:
    """The full-text side of a PostgreSQL library until its search backend is installed
    (``index.search.postgres``): writing does nothing, searching says why it cannot."""

    def __init__(self, catalogue: PgCatalogue) -> None:
        self._catalogue = catalogue

    def write_batch(self, *_args: Any, **_kwargs: Any) -> None:
        """Nothing to write: the catalogue holds the articles."""

    def reset(self) -> None:
        """Nothing to empty."""

    def doc_count(self) -> int:
        """As many documents as the catalogue has articles (nothing to rebuild)."""
        return self._catalogue.count()

    def __getattr__(self, name: str) -> Any:
        from index.search.query import QueryError

        def unavailable(*_args: Any, **_kwargs: Any) -> Any:
            raise QueryError("full-text search is not available on this PostgreSQL backend yet")

        return unavailable


def open_shared(url: str) -> tuple[PgCatalogue, Any, BuildLock]:
    """The catalogue, the full-text index and the build lock of the database at ``url``.

    Nothing connects yet: the first read does (a server that is down is then one message).
    """
    connections = PgConnections(url)
    catalogue = PgCatalogue(connections)
    try:
        search = importlib.import_module("index.search.postgres")
    except ModuleNotFoundError:
        fulltext: Any = FullTextPending(catalogue)
    else:
        fulltext = search.open_fulltext(connections)
    return catalogue, fulltext, BuildLock(connections)
