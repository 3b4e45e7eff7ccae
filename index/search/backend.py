"""The search-backend seam: what any full-text engine behind thaad-tui must do.

The catalogue (SQLite) keeps the articles; a backend keeps the full-text index of them and
answers :mod:`index.search.querytree` queries. The embedded default is Whoosh
(:mod:`index.search.whoosh`); a second implementation plugs in by satisfying
:class:`SearchBackend` and passing ``tests/contract/``.

What stays outside the backend, so that every backend's answers look the same: the query syntax
(:mod:`index.search.query` parses it), snippets and highlight spans (cut by
:mod:`index.search.highlight` from the catalogue's text, around the ``terms`` a hit reports,
found again with the backend's own :meth:`SearchBackend.analyze`), and the typo rules of the
as-you-type search (:mod:`index.search.fuzzysearch` plans words over the backend's
:meth:`SearchBackend.vocabulary` and asks for :class:`~index.search.querytree.IndexTerm` queries).

Errors: :class:`IndexDamaged` means the index itself cannot be read (the library rebuilds it);
a query the backend cannot answer is :class:`~index.search.query.QueryError`; anything else is
a bug and propagates as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple, Protocol, runtime_checkable

from index.search.querytree import Query

if TYPE_CHECKING:
    from index.search.fuzzy import Vocabulary
    from index.store.catalogue import Analysed

Sort = Literal["relevance", "newest", "oldest"]
# The fields whose matched words a hit reports (the words the snippets highlight).
HIGHLIGHT_FIELDS = ("title", "body", "joined")


class IndexDamaged(RuntimeError):
    """The index cannot be used; ``str()`` says why in one line."""


class Token(NamedTuple):
    """One word of a text as the backend indexes it: its indexed form and where it was."""

    text: str
    start: int
    end: int


# A backend's analysis of a text (:meth:`SearchBackend.analyze`).
Analyze = Callable[[str], list[Token]]


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching article: its id, its score (higher is better; only comparable within one
    search) and the indexed words it matched in :data:`HIGHLIGHT_FIELDS`."""

    id: str
    score: float
    terms: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Results:
    """The hits of one search, in order, and how many articles matched in all."""

    hits: list[Hit] = field(default_factory=list)
    total: int = 0


@runtime_checkable
class SearchBackend(Protocol):
    """A full-text index of the corpus's articles. Safe to search from several threads while
    one thread writes; one writer at a time (the library holds the writers' lock)."""

    name: str

    def open(self) -> None:
        """Open the index, creating an empty one if there is none. Raises
        :class:`IndexDamaged`."""

    def reset(self) -> None:
        """Delete everything and start an empty index."""

    def close(self) -> None:
        """Release files and connections (the backend may be opened again)."""

    def exists(self) -> bool:
        """Whether anything of an index is there (an empty new backend says False)."""

    def doc_count(self) -> int:
        """How many articles the index holds. Raises :class:`IndexDamaged`."""

    def write_batch(
        self,
        removed_ids: Iterable[str],
        items: Sequence[Analysed],
        procs: int = 1,
        merge: bool = True,
    ) -> None:
        """Delete the articles ``removed_ids``, add (or replace, by id) ``items``, commit: one
        batch, one commit, all or nothing. ``procs`` and ``merge`` are hints for big builds
        (a backend may ignore them)."""

    def search(
        self,
        query: Query,
        *,
        limit: int | None = 10,
        sort: Sort = "relevance",
        filters: Query | None = None,
    ) -> Results:
        """The articles matching ``query`` (and ``filters``, which restrict without scoring),
        best first or by date, at most ``limit`` (all with None). Raises
        :class:`IndexDamaged` or :class:`~index.search.query.QueryError`."""

    def ids(self, query: Query) -> list[str]:
        """Every article matching ``query``, unranked (cheaper than :meth:`search`)."""

    def count(self, query: Query) -> int:
        """How many articles match ``query``."""

    def more_like(self, article_id: str, text: str, limit: int) -> list[tuple[str, float]]:
        """``(id, score)`` of the articles whose text shares the most telling words of
        ``text`` (the text of ``article_id``, which is left out), best first."""

    def vocabulary(self, field: str) -> Vocabulary:
        """The indexed words of ``field`` (for typo-tolerant matching as the user types)."""

    def doc_frequency(self, field: str, word: str) -> int:
        """How many articles have the indexed word ``word`` in ``field``."""

    def analyze(self, text: str) -> list[Token]:
        """``text`` cut into words and normalised as the index stores its text fields (the
        forms :meth:`search` reports as a hit's ``terms``), with their places in ``text``."""
