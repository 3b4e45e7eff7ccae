"""What the library keeps in memory between reads, and when it forgets it.

The article list, the canonical-name map, the fuzzy matcher and the places bookmarks were
found are read once and kept until the index changes (an update, a correction, or
:meth:`Caches.reload` after another thread or process wrote). One lock guards them all: the
UI reads them while a worker rebuilds.
"""

from __future__ import annotations

import threading
from contextlib import suppress
from typing import TYPE_CHECKING

from index.models import ArticleInfo
from index.search.backend import IndexDamaged, SearchBackend
from index.search.fuzzy import FuzzyIndex

Located = tuple[str, str | None, int | None]
"""Where a bookmark's passage is: (status, article id, 1-based paragraph)."""


class Caches:
    """The cache part of :class:`index.library.Library` (see there)."""

    fulltext: SearchBackend
    _cache_lock: threading.Lock
    _fuzzy: FuzzyIndex | None
    _infos: list[ArticleInfo] | None
    _canon: dict[str, str] | None
    _located: dict[tuple[str, int, str, str], Located]
    _fuzzy_building: threading.Lock
    _cache_epoch: int

    def _init_caches(self) -> None:
        self._cache_lock = threading.Lock()
        # The matcher takes about a second to build at 20,000 articles: built under a lock of
        # its own (one build at a time), not the cache lock, which every article's read of its
        # entity names takes (the Reader waited for the warm-up, up to two seconds at start).
        self._fuzzy_building = threading.Lock()
        self._cache_epoch = 0  # counts what _invalidate forgot: a build from before is dropped
        self._fuzzy = None
        self._infos = None
        self._canon = None
        self._located = {}

    if TYPE_CHECKING:  # Searching's (index/search/searching.py)

        def _fuzzy_snapshot(self) -> tuple[list[ArticleInfo], FuzzyIndex]: ...

    def warm(self) -> None:
        """Build the search caches now (the matcher and the body vocabulary, about a second at
        20,000 articles) so that the first keystroke of a search does not pay for them."""
        self._fuzzy_snapshot()[1].surface.written("")
        with suppress(IndexDamaged):  # said by the next search, which runs `thaad-tui index`
            for field in ("body", "title", "joined"):
                self.fulltext.vocabulary(field)

    def reload(self) -> None:
        """Forget cached lists, so the next read sees what another thread or process wrote."""
        self._invalidate()

    def _invalidate(self) -> None:
        with self._cache_lock:
            self._cache_epoch += 1
            self._fuzzy = None
            self._infos = None
            self._canon = None
            self._located.clear()
