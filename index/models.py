"""The model types shared by every layer: small frozen dataclasses, no behaviour beyond views."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

EntityType = Literal["person", "organisation", "place", "other"]
Precision = Literal["year", "season", "month", "week", "day"]
ENTITY_TYPES: tuple[EntityType, ...] = ("person", "organisation", "place", "other")


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned article.

    ``source`` is the file path relative to its corpus root (posix separators), ``line`` the
    1-based line for articles that come from a JSON Lines file. ``editorial`` names the fields
    whose value came from editorial metadata (a YAML file beside the text), not from the text.
    """

    id: str
    title: str
    paragraphs: tuple[str, ...]
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    date_inferred: bool = False
    section: str | None = None
    standfirst: str | None = None
    url: str | None = None
    source: str = ""
    line: int | None = None
    editorial: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The body as one string: paragraphs joined by blank lines (offsets refer to this)."""
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    def paragraph_starts(self) -> list[int]:
        """Character offset in :attr:`text` where each paragraph begins."""
        starts, pos = [], 0
        for p in self.paragraphs:
            starts.append(pos)
            pos += len(p) + 2
        return starts


def paragraph_index(starts: Sequence[int], offset: int) -> int:
    """The paragraph that holds ``offset``, given :meth:`Article.paragraph_starts`."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What the article list needs: an article without its body."""

    id: str
    title: str
    outlet: str | None
    author: str | None
    published: date | None
    date_inferred: bool
    words: int
    source: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One entity mention: ``text[start:end]`` names the entity ``name`` of type ``type``."""

    start: int
    end: int
    type: EntityType
    name: str


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity across a set of articles."""

    name: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class Event:
    """A dated statement from an article, or an article's publication (``kind='published'``).

    ``date`` is ``YYYY`` (year), ``YYYY-MM`` (month; season: its first month) or ``YYYY-MM-DD``
    (day; week: its Monday) according to ``precision``; ``start``/``end`` locate ``text`` (the
    sentence) in the article's :attr:`Article.text`.
    """

    date: str
    precision: Precision
    kind: Literal["published", "event"]
    article: str
    text: str
    start: int = 0
    end: int = 0
    entities: tuple[str, ...] = ()
    inferred: bool = False
    also: tuple[str, ...] = ()
    """Other articles that mention the same background date (see ``events.group_background``)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. ``spans`` are (start, end) offsets of matched text in ``snippet``.

    ``paragraph`` is the 0-based index of the paragraph the snippet comes from (None when the
    match was in the title or metadata only).
    """

    id: str
    title: str
    score: float
    snippet: str
    spans: tuple[tuple[int, int], ...] = ()
    title_spans: tuple[tuple[int, int], ...] = ()
    paragraph: int | None = None
    mode: Literal["fulltext", "fuzzy"] = "fulltext"
    terms: tuple[str, ...] = ()
    """Indexed (lowercased, stemmed) forms of the matched words: the reader highlights these."""
    url: str | None = None
    names: tuple[str, ...] = ()
    """Joined names (``"jaein"``) the article matched: its snippet marks them too."""
    cut: bool = True
    """False until the snippet is cut (``Library.snippets``): a search cuts the first few only."""


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A saved passage. ``paragraph`` is 1-based, as ``thaad-tui show`` numbers them."""

    id: str
    article: str
    paragraph: int
    text: str
    comment: str = ""
    created: str = ""
    title: str = ""
    outlet: str | None = None
    published: str | None = None
    passage_hash: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    url: str | None = None
    """The article's source URL, cited under the passage in the notes file."""
