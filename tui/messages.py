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
    """Bookmark a passage (paragraph is 0-based), with a suggested comment. It bubbles up to
    the app, the one owner of the bookmarks."""

    article_id: str
    paragraph: int
    text: str
    comment: str = ""


@dataclass
class BookmarksChanged(Message):
    """The app (the one owner of bookmarks) tells a screen which paragraphs are bookmarked:
    0-based paragraphs per article id."""

    marks: dict[str, frozenset[int]]


class BookmarksStale(Message):
    """The index changed (article ids may have too): the app reads the bookmarks again."""


@dataclass
class SnippetsWanted(Message):
    """The article list is showing search rows whose snippets are not cut yet."""

    article_ids: tuple[str, ...]


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
