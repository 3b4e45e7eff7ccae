"""Messages that cross panes. Panes post them up; the main screen routes them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from index.models import Article


@dataclass
class ArticleHighlighted(Message):
    """The article list's cursor moved onto an article (held keys replace each other)."""

    article_id: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ArticleHighlighted)


@dataclass
class OpenArticle(Message):
    """Open an article in the Reader and focus it, optionally at a paragraph or offset.

    With ``end`` too, ``offset``..``end`` (in :attr:`Article.text`) is a sentence to select.
    """

    article_id: str
    paragraph: int | None = None
    offset: int | None = None
    end: int | None = None


@dataclass
class EntityChosen(Message):
    """Filter the article list to the articles that mention this entity."""

    name: str


@dataclass
class PeriodChosen(Message):
    """Filter the article list to a period: ``YYYY`` or ``YYYY-MM``."""

    period: str


@dataclass
class BookmarkRequested(Message):
    """The Reader asks to bookmark a passage (paragraph is 0-based)."""

    article_id: str
    paragraph: int
    text: str


@dataclass
class CopyPassage(Message):
    """The Reader asks to copy a passage (paragraphs ``first``..``last``, 0-based) with its
    citation."""

    article: Article
    first: int
    last: int
    text: str


@dataclass
class OpenSource(Message):
    """The Reader asks to open the article's source URL in the browser."""

    article: Article
