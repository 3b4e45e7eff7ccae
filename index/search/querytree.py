"""The neutral query tree: what a search means, independent of the engine that answers it.

:func:`index.search.query.parse` turns the search box's syntax into these nodes, the plain-word
search (:mod:`index.search.fuzzysearch`) builds them from its plans, and each search backend
(:mod:`index.search.backend`) compiles them into its own queries. Nodes are small frozen
dataclasses, so two parses of the same text compare equal and can be cached.

Text in :class:`Term`, :class:`Phrase`, :class:`Prefix`, :class:`Wildcard`, :class:`Fuzzy` and
:class:`TermRange` is as the user typed it: the backend analyses it (lowercase, fold, stem) the
way it analysed the articles. :class:`IndexTerm` holds a word as the index stores it already
(a stem from the backend's own vocabulary) and is not analysed again.

A ``field`` of None means the default fields (:data:`DEFAULT_FIELDS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

# Searched when a word names no field: titles, article text and entity names.
DEFAULT_FIELDS = ("title", "body", "entity")
# Fields a query may name (after aliases): the text fields, the entity fields and the date.
TEXT_FIELDS = ("title", "body", "outlet", "author")
NAME_FIELDS = ("entity", "person", "organisation", "place", "speaker", "joined")
FIELDS = ("id", *TEXT_FIELDS, *NAME_FIELDS, "published")
FIELD_ALIASES = {
    "date": "published",
    "org": "organisation",
    "organization": "organisation",
    "source": "outlet",
    "text": "body",
}


@dataclass(frozen=True, slots=True)
class Term:
    """A word as typed (``word``, ``title:word``); one typed word may analyse to several
    indexed words ("jae-in"), which must then all be present."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class IndexTerm:
    """A word exactly as the index stores it in ``field`` (no analysis)."""

    field: str
    term: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words in this order (``"crude oil"``); ``slop`` is how far apart they may be (1 = next
    to each other, ``"a b"~3``)."""

    text: str
    field: str | None = None
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Prefix:
    """Words beginning with ``text`` (``oil*``)."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Wildcard:
    """Words matching a pattern with ``*`` (any letters) and ``?`` (one letter) inside it."""

    text: str
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Fuzzy:
    """Words within ``maxdist`` edits of ``text`` that share its first ``prefix`` letters
    (``word~``, ``word~2``, ``word~2/3``)."""

    text: str
    field: str | None = None
    maxdist: int = 1
    prefix: int = 0
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class TermRange:
    """Words between two words, alphabetically (``title:[apple TO banana]``)."""

    field: str | None
    start: str | None
    end: str | None
    startexcl: bool = False
    endexcl: bool = False
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class DateRange:
    """Articles published between ``start`` and ``end`` (None: open end)."""

    start: datetime | None
    end: datetime | None
    startexcl: bool = False
    endexcl: bool = False
    field: str = "published"


@dataclass(frozen=True, slots=True)
class And:
    """Every part must match."""

    parts: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """At least one part must match; more matching parts score higher."""

    parts: tuple[Query, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """Inside an :class:`And`: the part must not match. Alone: every article without it."""

    part: Query


@dataclass(frozen=True, slots=True)
class AndNot:
    """Articles matching ``positive`` and not ``negative``."""

    positive: Query
    negative: Query


@dataclass(frozen=True, slots=True)
class AndMaybe:
    """Articles matching ``required``; those also matching ``optional`` score higher."""

    required: Query
    optional: Query


@dataclass(frozen=True, slots=True)
class MatchAll:
    """Every article."""


@dataclass(frozen=True, slots=True)
class MatchNone:
    """No article (a word that matches nothing in the index)."""


Query = (
    Term
    | IndexTerm
    | Phrase
    | Prefix
    | Wildcard
    | Fuzzy
    | TermRange
    | DateRange
    | And
    | Or
    | Not
    | AndNot
    | AndMaybe
    | MatchAll
    | MatchNone
)
LEAVES = (
    Term,
    IndexTerm,
    Phrase,
    Prefix,
    Wildcard,
    Fuzzy,
    TermRange,
    DateRange,
    MatchAll,
    MatchNone,
)


def children(node: Query) -> tuple[Query, ...]:
    """The direct sub-queries of ``node`` (none for a leaf)."""
    if isinstance(node, (And, Or)):
        return node.parts
    if isinstance(node, Not):
        return (node.part,)
    if isinstance(node, AndNot):
        return (node.positive, node.negative)
    if isinstance(node, AndMaybe):
        return (node.required, node.optional)
    return ()


def leaves(node: Query) -> Iterator[Query]:
    """Every leaf under ``node``, left to right."""
    if isinstance(node, LEAVES):
        yield node
        return
    for child in children(node):
        yield from leaves(child)
