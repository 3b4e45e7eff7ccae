"""The one entry point the CLI, the app and the tests use: a corpus with its index.

``Library`` composes the parts, one job each:

* opening and recovery: :class:`index.store.opening.IndexFolder` (the folder, its store, the
  writers' lock, a damaged catalogue set aside);
* locked writes: :class:`index.build.writing.Writing` (update, add, entity corrections);
* caches: :class:`index.store.caches.Caches`;
* reads: :class:`index.store.reading.Reading` (articles, mentions, entities, quotes, events);
* search: :class:`index.search.searching.Searching` over a search backend
  (:mod:`index.search.backend`; Whoosh by default).

It is safe to read from several threads while one worker updates it.
"""

from __future__ import annotations

from collections.abc import Callable

from index.build.writing import CorpusUnavailable, IndexWriteError, Writing
from index.paths import Settings
from index.search import query
from index.search.backend import SearchBackend
from index.search.searching import Searching
from index.store.caches import Caches
from index.store.opening import (
    CHECKED_STAMP,
    DAMAGED_MARK,
    IndexBusy,
    IndexFolder,
    StoreUnavailable,
    corpus_problem,
    mark_damaged,
)
from index.store.reading import Reading

QueryError = query.QueryError

__all__ = [
    "CHECKED_STAMP",
    "DAMAGED_MARK",
    "CorpusUnavailable",
    "IndexBusy",
    "IndexWriteError",
    "Library",
    "QueryError",
    "StoreUnavailable",
    "corpus_problem",
    "mark_damaged",
    "open_library",
]


class Library(Reading, Writing, Caches, Searching):
    """A corpus and its index. Create with :func:`open_library`.

    ``settings`` are the run's settings with the index folder actually used (a temporary one
    when the chosen one cannot be written: see :class:`IndexFolder`).
    """

    def __init__(self, settings: Settings) -> None:
        self.folder = IndexFolder(settings)
        self.settings = self.folder.settings
        self.catalogue = self.folder.store
        # The search backend beside the store (Whoosh, or the PostgreSQL database's own).
        self.fulltext: SearchBackend = self.folder.search_backend()
        self._init_caches()

    @property
    def shared(self) -> str | None:
        """The shared (PostgreSQL) database the library reads, as it may be shown; None for
        the embedded index."""
        return self.folder.shared

    @property
    def waiting(self) -> Callable[[str], None] | None:
        """Told (one line) when a build waits for another program's build to finish."""
        return self.folder.waiting

    @waiting.setter
    def waiting(self, tell: Callable[[str], None] | None) -> None:
        self.folder.waiting = tell

    @property
    def corpus_problem(self) -> str | None:
        """Why the corpus cannot be read (one line), or None."""
        return self.folder.corpus_problem


def open_library(settings: Settings) -> Library:
    """A :class:`Library` for the resolved settings (nothing is built until ``update``).

    What opening found (a folder that cannot be written, a damaged catalogue set aside) is said
    in the first update's ``UpdateReport.notices``.
    """
    return Library(settings)
