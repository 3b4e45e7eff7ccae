"""What the main screen's read workers post back to it.

Every read of the index runs in a worker thread; the worker posts one of these messages and
the screen applies it on the UI thread. Each carries what the request was (a request number,
an entity name) so that an answer to a request the user has since replaced is dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual.message import Message

from index.models import Article, ArticleInfo, Entity, Mention
from index.store.catalogue import CatalogueDamaged
from index.store.quoteindex import CitedQuote

if TYPE_CHECKING:
    from tui.widgets.article_list import Row


@dataclass
class CatalogueRead(Message):
    """The catalogue's article list (and the ids of the filtered entity, if there is one)."""

    infos: list[ArticleInfo]
    damaged: CatalogueDamaged | None = None
    entity: str | None = None
    entity_ids: frozenset[str] | None = None
    # At start-up the list's first page comes first (partial), then every article.
    partial: bool = False
    # Made by the reading worker: at 100,000 articles they are a stall on the UI thread.
    by_id: dict[str, ArticleInfo] | None = None
    rows: list[Row] | None = None


@dataclass
class EntityIdsRead(Message):
    """The articles that mention ``entity`` (for the entity filter)."""

    entity: str
    ids: frozenset[str]


@dataclass
class ArticleRead(Message):
    """One article and what is marked in it, for open request number ``request``."""

    request: int
    article: Article | None
    focus: bool
    paragraph: int | None = None
    sentence: tuple[int, int] | None = None
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[CitedQuote] = field(default_factory=list)
    related: Text | None = None  # the copies-and-similar line, if it was read too


@dataclass(frozen=True)
class Read:
    """One article and what the Reader shows with it, read ahead of the list's cursor."""

    article: Article
    mentions: list[Mention]
    entities: list[Entity]
    quotes: list[CitedQuote]
    related: Text | None  # None: not read with it (the Reader asks for it when it shows it)

    def message(self, request: int, focus: bool, paragraph: int | None) -> ArticleRead:
        """What the screen shows it from, for open request number ``request``."""
        return ArticleRead(
            request,
            self.article,
            focus,
            paragraph,
            mentions=self.mentions,
            entities=self.entities,
            quotes=self.quotes,
            related=self.related,
        )


class ReadAhead:
    """The articles read ahead of the list's cursor, so that ``j`` shows the next one in the
    same frame as the cursor, without waiting for a worker.

    Bounded (the last ``size`` reads). :meth:`forget` drops them all when what they show may
    have changed (the index was updated, an entity corrected); a read that was under way then
    is dropped too when it comes (its generation is older)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.generation = 0
        self._reads: OrderedDict[str, Read] = OrderedDict()

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._reads

    def get(self, article_id: str) -> Read | None:
        return self._reads.get(article_id)

    def keep(self, generation: int, read: Read) -> None:
        """Keep ``read``, made at ``generation``, unless the reads were forgotten since."""
        if generation != self.generation:
            return
        self._reads[read.article.id] = read
        self._reads.move_to_end(read.article.id)
        while len(self._reads) > self.size:
            self._reads.popitem(last=False)

    def forget(self) -> None:
        self.generation += 1
        self._reads.clear()


@dataclass
class CatalogueDamagedFound(Message):
    """A read found damaged text in the catalogue: the screen says so and rebuilds."""

    error: CatalogueDamaged
