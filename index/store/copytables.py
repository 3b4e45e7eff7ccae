"""The store's copy methods, shared by both catalogues: index.analysis.copies keeps its tables
in the catalogue and talks to it through the connection the catalogue gives."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.analysis.copies import Connection, CopyPair


class CopyTables:
    """Mixin: the copy methods of :class:`index.store.base.Store` over :meth:`connection`.

    ``index.analysis.copies`` is imported when a copy method runs, not when the store opens."""

    def connection(self) -> Connection:
        """This thread's connection to the catalogue (a subclass gives it)."""
        raise NotImplementedError

    def update_copies(
        self,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
        pool: Callable[[], Executor] | None = None,
    ) -> int:
        """Bring the copy pairs up to date with the articles (see index.analysis.copies)."""
        from index.analysis import copies

        return copies.update(self.connection(), progress, stop, pool)

    def copies_complete(self) -> bool:
        """Whether every article has been compared for copies."""
        from index.analysis import copies

        return copies.complete(self.connection())

    def copy_pairs_of(self, article_id: str) -> list[CopyPair]:
        """The copy pairs an article is in, the other article second, best first."""
        from index.analysis import copies

        return copies.pairs_of(self.connection(), article_id)

    def all_copy_pairs(self) -> list[CopyPair]:
        """Every copy pair."""
        from index.analysis import copies

        return copies.all_pairs(self.connection())
