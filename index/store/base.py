"""What a store of the catalogue must answer: the seam between the library and its database.

:class:`~index.store.catalogue.Catalogue` (SQLite, in the index folder) is the one store today;
:func:`index.store.opening.open_store` chooses the store for a run's ``Settings.backend``. A
second store (PostgreSQL) implements :class:`Store` and is added to ``open_store``: nothing
else in ``index/`` needs to know which database it talks to. Reads that find damaged content
raise :class:`~index.store.catalogue.CatalogueDamaged`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from index.models import Article, ArticleInfo, Entity, Event, Mention

if TYPE_CHECKING:
    from index.analysis.copies import CopyPair
    from index.analysis.quotes import Quote


@dataclass(frozen=True, slots=True)
class FileState:
    """What a file was when it was indexed: an update re-reads it only if this changed."""

    size: int
    mtime_ns: int
    sha1: str


@dataclass(frozen=True, slots=True)
class Analysed:
    """An article with what analysis found in it, ready to be written."""

    root: str
    article: Article
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...] = ()
    # The full-text index's ``joined`` field, made where the article was analysed (a worker
    # process in a big build): it took a tenth of the build's time in the main process.
    joined: str | None = None


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An article not indexed because the corpus has it already: ``kept`` is the id it has
    there, ``kept_source`` the file holding it, ``reason`` "same URL" or "same text"."""

    root: str
    source: str
    line: int | None
    title: str
    reason: str
    kept: str
    kept_source: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: “{self.title}”: {self.reason} as {self.kept} in {self.kept_source}"


PerArticle = dict[str, dict[str, tuple[str, int]]]
"""Per article id: entity name -> (type, mentions in that article)."""


class Store(Protocol):
    """The catalogue of one corpus: articles, entities, events, quotes, copies, file states.

    Safe to use from several threads (a worker builds while the UI reads).
    """

    # -- opening and recovery ----------------------------------------------------------------
    def problem(self, stamp_file: Path) -> str | None:
        """Why the stored content cannot be trusted (damaged, another schema), or None.
        ``stamp_file`` may record that an expensive check already passed."""
        ...

    def drop(self) -> None:
        """Delete everything stored (a damaged store); the next build makes it again."""
        ...

    def write_refused(self, exc: BaseException) -> str | None:
        """Why ``exc`` means the storage refused a write (full disk, read-only), or None when
        it is some other error."""
        ...

    def close(self) -> None:
        """Close this thread's connection."""
        ...

    # -- meta and files (the build) ----------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """A recorded value (``"schema"``: the version that wrote the store), or None."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Record a value under ``key``."""
        ...

    def file_states(self) -> dict[tuple[str, str], FileState]:
        """The size, mtime and hash of every indexed file, by ``(root, source)``."""
        ...

    def commit_batch(
        self,
        files: Iterable[tuple[str, str, FileState]],
        analysed: Sequence[Analysed],
        removed_sources: Iterable[tuple[str, str]] = (),
        duplicates: Sequence[Duplicate] = (),
    ) -> None:
        """Replace the articles (and skipped duplicates) of the given files, forget the removed
        ones, and record the files' new state: all or nothing (a killed build resumes)."""
        ...

    def record_states(self, files: Iterable[tuple[str, str, FileState]]) -> None:
        """Record the new size/mtime of files whose content did not change."""
        ...

    def ids_for_sources(self, sources: Iterable[tuple[str, str]]) -> list[str]:
        """The ids of the articles these ``(root, source)`` files hold."""
        ...

    def holders(
        self, ids: Iterable[str], text_keys: Iterable[str]
    ) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str, str, bool]]]:
        """Where the corpus holds these articles already: ``{id: (root, source)}`` and
        ``{text key: (id, root, source, has a URL)}``."""
        ...

    def orphaned_duplicates(self) -> list[tuple[str, str]]:
        """Files with a skipped duplicate whose kept copy has left the corpus since."""
        ...

    def clear(self) -> None:
        """Delete every article, entity, quote, skipped duplicate and file state (a
        rebuild); the copy pairs follow at the next :meth:`update_copies`."""
        ...

    def replace_entities(self, entities: Sequence[Entity], per_article: PerArticle) -> None:
        """Store the corpus-wide entity table and each article's entity counts."""
        ...

    def upsert_entities(self, entities: Sequence[Entity], per_article: PerArticle) -> None:
        """Insert or replace some entities and the entity counts of some (new) articles."""
        ...

    def update_copies(
        self,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
        pool: Callable[[], Executor] | None = None,
    ) -> int:
        """Bring the copy pairs up to date with the articles; returns how many articles were
        (re)done. Stopped by ``stop()`` between chunks, it keeps what it committed; ``pool``
        gives worker processes for the MinHash band keys of a big pass."""
        ...

    def copies_complete(self) -> bool:
        """Whether every article has been compared for copies."""
        ...

    # -- reads -------------------------------------------------------------------------------
    def count(self) -> int:
        """How many articles."""
        ...

    def infos(self) -> list[ArticleInfo]:
        """Every article without its body, sorted by date (undated last), then title."""
        ...

    def first_infos(self, limit: int) -> list[ArticleInfo]:
        """The first ``limit`` of :meth:`infos`, read without the others (the list's first
        page at start-up: its cost does not grow with the corpus)."""
        ...

    def ids(self) -> list[str]:
        """Every article id."""
        ...

    def article(self, article_id: str) -> Article | None:
        """One article with its body, or None."""
        ...

    def sources(self) -> dict[str, Path]:
        """Every article's source file (root folder / relative path), by id."""
        ...

    def mentions(self, article_id: str) -> list[Mention]:
        """The article's entity mentions as extracted (names before corrections)."""
        ...

    def iter_mentions(self) -> Iterator[tuple[str, str, list[Mention]]]:
        """(article id, body text, mentions) for every article: input to entity aggregation."""
        ...

    def events(self) -> list[Event]:
        """Every publication date and dated event."""
        ...

    def quotes(
        self, article: str | None = None, speakers: Iterable[str] | None = None
    ) -> list[tuple[Quote, str, str | None, str | None]]:
        """Quotes with their article's (title, outlet, published), by article and offset; only
        those of ``article`` and/or said by one of ``speakers`` (stored names)."""
        ...

    def quote_speakers(self) -> list[tuple[str, int]]:
        """Every stored speaker name with its number of quotes."""
        ...

    def entities(self, limit: int | None = None) -> list[Entity]:
        """Corpus entities, most mentioned first; the first ``limit`` of them if given."""
        ...

    def has_entities(self) -> bool:
        """Whether the entity table has been filled."""
        ...

    def entity_aliases(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(name, aliases)`` of every entity, in ``entities()`` order."""
        ...

    def canonical_for(self, names: Iterable[str]) -> dict[str, str]:
        """For each of ``names`` that belongs to an entity, that entity's name (a hidden
        entity's names are absent)."""
        ...

    def entities_named(self, names: Iterable[str]) -> dict[str, Entity]:
        """The entities with these names (those that exist)."""
        ...

    def article_entities(self, article_id: str) -> list[tuple[str, str, int]]:
        """``(name, type, mentions)`` of one article's entities, most mentioned first."""
        ...

    def entity_counts_among(
        self, article_ids: Iterable[str], limit: int | None = None
    ) -> list[tuple[str, str, int, int]]:
        """``(name, type, mentions, articles)`` summed over ``article_ids``, most mentioned
        first (there may be tens of thousands of ids)."""
        ...

    def articles_with_entity(self, name: str) -> list[str]:
        """The ids of the articles that mention the entity (by its name)."""
        ...

    def copy_pairs_of(self, article_id: str) -> list[CopyPair]:
        """The copy pairs an article is in, the other article second, best first."""
        ...

    def all_copy_pairs(self) -> list[CopyPair]:
        """Every copy pair."""
        ...
