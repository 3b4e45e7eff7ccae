"""Opening a library on a PostgreSQL database: its catalogue, its full-text index and the
writers' lock, all in the one database the URL names."""

from __future__ import annotations

import importlib
from typing import Any

from index.search.fuzzy import Vocabulary
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

    def vocabulary(self, _field: str) -> Vocabulary:
        """No words: as-you-type matching finds nothing rather than failing."""
        return Vocabulary(())

    def doc_frequency(self, _field: str, _word: str) -> int:
        """No document holds any word."""
        return 0

    def more_like(self, *_args: Any) -> list[tuple[str, float]]:
        """No article on the same subject (copies are still found: they are catalogue rows)."""
        return []

    def search(self, *_args: Any) -> Any:
        """Say that searching needs the PostgreSQL search backend."""
        from index.search.query import QueryError

        raise QueryError("full-text search is not available on this PostgreSQL backend yet")

    ids = count = search


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
