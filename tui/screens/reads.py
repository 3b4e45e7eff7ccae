"""What the main screen's read workers post back to it.

Every read of the index runs in a worker thread; the worker posts one of these messages and
the screen applies it on the UI thread. Each carries what the request was (a request number,
an entity name) so that an answer to a request the user has since replaced is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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


@dataclass
class CatalogueDamagedFound(Message):
    """A read found damaged text in the catalogue: the screen says so and rebuilds."""

    error: CatalogueDamaged
