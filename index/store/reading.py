"""The library's reads: articles, bookmarks' passages, mentions, entities, quotes, events.

Each read goes to the store (:class:`~index.store.base.Store`) and applies what the store does
not know: the user's entity corrections (names shown are the entities' names now), the
hidden entities, the corpus that cannot be read (nothing to show).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from index.models import Article, ArticleInfo, Bookmark, Entity, Event, Mention
from index.store.base import Store
from index.store.caches import Located
from index.store.opening import IndexFolder
from index.store.quoteindex import CitedQuote, quote_counts, read_quotes


class Reading:
    """The read part of :class:`index.library.Library` (see there)."""

    folder: IndexFolder
    _cache_lock: threading.Lock
    _cache_epoch: int
    _infos: list[ArticleInfo] | None
    _canon: dict[str, str] | None
    _located: dict[tuple[str, int, str, str], Located]

    catalogue: Store

    if TYPE_CHECKING:  # Searching's (index/search/searching.py)

        def _passage_candidates(self, passage: str, limit: int = 5) -> Iterator[str]: ...

    def articles(self) -> list[ArticleInfo]:
        """Every article without its body, sorted by date (undated last)."""
        if self.folder.corpus_problem:
            return []
        with self._cache_lock:
            if self._infos is not None:
                return self._infos
            epoch = self._cache_epoch
        # Read outside the cache lock (1-2 s at 100,000 articles): every article's read of its
        # speakers' names takes that lock, and the Reader waited for the whole list.
        infos = self.catalogue.infos()
        with self._cache_lock:
            if self._infos is None and epoch == self._cache_epoch:
                self._infos = infos
            return self._infos if self._infos is not None else infos

    def first_articles(self, limit: int) -> list[ArticleInfo]:
        """The first ``limit`` of :meth:`articles`, read without the others (the article list's
        first page at start-up; from the cache when the whole list has been read)."""
        if self.folder.corpus_problem:
            return []
        with self._cache_lock:
            if self._infos is not None:
                return self._infos[:limit]
        return self.catalogue.first_infos(limit)

    def article(self, article_id: str) -> Article | None:
        """One article with its body, or None if the id is unknown."""
        return None if self.folder.corpus_problem else self.catalogue.article(article_id)

    def resolve_id(self, prefix: str) -> str | None:
        """The article id that ``prefix`` names uniquely, or None."""
        ids = self.ids_starting(prefix)
        return ids[0] if len(ids) == 1 else None

    def ids_starting(self, prefix: str) -> list[str]:
        """Every article id beginning with ``prefix`` (all of them if it is a whole id), sorted."""
        if not prefix:
            return []
        return sorted(i.id for i in self.articles() if i.id.startswith(prefix))

    def locate_bookmark(self, bookmark: Bookmark) -> Located:
        """Where a bookmark's passage is now: ``(status, article id, 1-based paragraph)``.

        Its own article first (see :func:`index.notes.notebook.locate`). When that id has left the
        corpus (the article was edited, or the bookmark predates the current ids), the passage
        is looked for across the corpus before the bookmark is called ``"missing"``; found
        elsewhere, it is ``"moved"`` with the article that holds it now.
        """
        from index.notes.notebook import locate

        if self.folder.corpus_problem:
            return "missing", None, None
        article = self.article(bookmark.article)
        status, paragraph = locate(bookmark, article)
        if status != "missing" or article is not None:
            return status, bookmark.article if status != "missing" else None, paragraph
        if not self.catalogue.count():  # not built yet: searching would create an empty index
            return "missing", None, None
        key = (bookmark.article, bookmark.paragraph, bookmark.passage_hash, bookmark.text)
        found = self._located.get(key)
        if found is None:
            found = "missing", None, None
            for candidate in self._passage_candidates(bookmark.text):
                status, paragraph = locate(bookmark, self.article(candidate))
                if status != "missing":
                    found = "moved", candidate, paragraph
                    break
            self._located[key] = found  # until the index changes (see Caches._invalidate)
        return found

    def article_paths(self) -> dict[str, Path]:
        """Each article's source file (a JSON Lines file for its articles), by id."""
        return self.catalogue.sources()

    def mentions(self, article_id: str) -> list[Mention]:
        """The article's mentions, named by the corpus entity each belongs to.

        Names are the ones :meth:`entities` shows (after merges and renames), so a mention
        matches the entity filter; mentions of entities the user hid are left out.
        """
        mentions = self.catalogue.mentions(article_id)
        if not self.catalogue.has_entities():
            return mentions  # entities not aggregated yet (first build still running)
        canon = self.catalogue.canonical_for(m.name for m in mentions)
        out = []
        for m in mentions:
            name = canon.get(m.name)
            if name is not None:
                out.append(m if name == m.name else replace(m, name=name))
        return out

    def canonical_names(self) -> dict[str, str]:
        """Every entity name and alias -> the name of the entity it belongs to now."""
        # The extractor's import is slow: only on use.
        from index.analysis.entities import canonical_map

        with self._cache_lock:
            if self._canon is not None:
                return self._canon
            epoch = self._cache_epoch
        # Names and aliases only: the article lists of every entity are not needed. Made
        # outside the cache lock, as the article list is (see articles).
        canon = canonical_map(
            [
                Entity(name, "other", aliases, (), 0)
                for name, aliases in self.catalogue.entity_aliases()
            ]
        )
        with self._cache_lock:
            if self._canon is None and epoch == self._cache_epoch:
                self._canon = canon
            return self._canon if self._canon is not None else canon

    def entities(self, article_id: str | None = None, limit: int | None = None) -> list[Entity]:
        """Corpus-wide entities (the ``limit`` most mentioned, if given), or those of one
        article (with that article's counts)."""
        if article_id is None:
            return self.catalogue.entities(limit)
        rows = self.catalogue.article_entities(article_id)
        # Only this article's entities: loading all 60,000 of a big corpus took 0.4 s per open.
        by_name = self.catalogue.entities_named(name for name, _kind, _count in rows)
        out = []
        for name, kind, count in rows:
            e = by_name.get(name)
            aliases = e.aliases if e else ()
            out.append(Entity(name, kind, aliases, (article_id,), count))  # type: ignore[arg-type]
        return out

    def entities_among(self, article_ids: Iterable[str], limit: int | None = None) -> list[Entity]:
        """Entities of the articles ``article_ids`` (what a search and filters show), counted
        over those articles only: ``mentions`` and ``articles`` are theirs, not the corpus's."""
        ids = list(article_ids)
        rows = self.catalogue.entity_counts_among(ids, limit)
        by_name = self.catalogue.entities_named(name for name, _kind, _n, _count in rows)
        shown = set(ids)
        out = []
        for name, kind, mentions, _count in rows:
            e = by_name.get(name)
            aliases = e.aliases if e else ()
            articles = tuple(a for a in e.articles if a in shown) if e else ()
            out.append(Entity(name, kind, aliases, articles, mentions))  # type: ignore[arg-type]
        return out

    def articles_with_entity(self, name: str) -> list[str]:
        """Ids of the articles that mention the entity (by its canonical name)."""
        return self.catalogue.articles_with_entity(name)

    def quotes(self, speaker: str | None = None, article: str | None = None) -> list[CitedQuote]:
        """Who said what: quotes in publication order, optionally by one speaker (an entity's
        name or alias, or part of a role) or of one article (see index/store/quoteindex.py)."""
        return read_quotes(self.catalogue, self.canonical_names(), speaker, article)

    def quote_counts(self) -> Counter[str]:
        """Quotes per speaker (entity name after corrections, or role)."""
        return quote_counts(self.catalogue, self.canonical_names())

    def timeline(self, entity: str | None = None) -> list[Event]:
        """Publication dates and dated events, chronologically; optionally for one entity."""
        events = self.catalogue.events()
        if entity is not None:
            ids = set(self.articles_with_entity(entity))
            # Events keep the extractor's names; compare the entities they belong to now,
            # so a renamed or merged entity keeps its events.
            canon = self.canonical_names()
            folded = canon.get(entity, entity).lower()
            events = [
                e
                for e in events
                if any(canon.get(n, n).lower() == folded for n in e.entities)
                or (e.kind == "published" and e.article in ids)
            ]
        ordered = sorted(events, key=lambda e: (e.date, e.kind != "published", e.article, e.start))
        from index.analysis.events import group_background  # date rules: not for start-up

        return group_background(ordered)
