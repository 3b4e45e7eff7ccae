"""What a store of the catalogue must answer: the seam between the library and its database.

:class:`~index.store.catalogue.Catalogue` (SQLite, in the index folder) is the one store today;
:func:`index.store.opening.open_store` chooses the store for a run's ``Settings.backend``. A
second store (PostgreSQL) implements :class:`Store` and is added to ``open_store``: nothing
else in ``index/`` needs to know which database it talks to. Reads that find damaged content
raise :class:`~index.store.catalogue.CatalogueDamaged`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from index.analysis.quotes import Quote
from index.models import Article, ArticleInfo, Entity, Event, Mention

if TYPE_CHECKING:
    from index.analysis.copies import CopyPair


@dataclass(frozen=True, slots=True)
class FileState:
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
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...
    def file_states(self) -> dict[tuple[str, str], FileState]: ...
    def commit_batch(
        self,
        files: Iterable[tuple[str, str, FileState]],
        analysed: Sequence[Analysed],
        removed_sources: Iterable[tuple[str, str]] = (),
        duplicates: Sequence[Duplicate] = (),
    ) -> None: ...
    def record_states(self, files: Iterable[tuple[str, str, FileState]]) -> None: ...
    def ids_for_sources(self, sources: Iterable[tuple[str, str]]) -> list[str]: ...
    def holders(
        self, ids: Iterable[str], text_keys: Iterable[str]
    ) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str, str, bool]]]: ...
    def orphaned_duplicates(self) -> list[tuple[str, str]]: ...
    def clear(self) -> None: ...
    def replace_entities(self, entities: Sequence[Entity], per_article: PerArticle) -> None: ...
    def upsert_entities(self, entities: Sequence[Entity], per_article: PerArticle) -> None: ...
    def update_copies(
        self,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> int: ...
    def copies_complete(self) -> bool: ...

    # -- reads -------------------------------------------------------------------------------
    def count(self) -> int: ...
    def infos(self) -> list[ArticleInfo]: ...
    def ids(self) -> list[str]: ...
    def article(self, article_id: str) -> Article | None: ...
    def sources(self) -> dict[str, Path]: ...
    def mentions(self, article_id: str) -> list[Mention]: ...
    def iter_mentions(self) -> Iterator[tuple[str, str, list[Mention]]]: ...
    def events(self) -> list[Event]: ...
    def quotes(
        self, article: str | None = None, speakers: Iterable[str] | None = None
    ) -> list[tuple[Quote, str, str | None, str | None]]: ...
    def quote_speakers(self) -> list[tuple[str, int]]: ...
    def entities(self, limit: int | None = None) -> list[Entity]: ...
    def has_entities(self) -> bool: ...
    def entity_aliases(self) -> list[tuple[str, tuple[str, ...]]]: ...
    def canonical_for(self, names: Iterable[str]) -> dict[str, str]: ...
    def entities_named(self, names: Iterable[str]) -> dict[str, Entity]: ...
    def article_entities(self, article_id: str) -> list[tuple[str, str, int]]: ...
    def entity_counts_among(
        self, article_ids: Iterable[str], limit: int | None = None
    ) -> list[tuple[str, str, int, int]]: ...
    def articles_with_entity(self, name: str) -> list[str]: ...
    def copy_pairs_of(self, article_id: str) -> list[CopyPair]: ...
    def all_copy_pairs(self) -> list[CopyPair]: ...
