"""Reading the quote index: quotes with their article's citation and their speaker as the
entity it is now.

Quotes are stored with the speaker's name as the article's mention gave it
(:mod:`index.analysis.quotes`); the canonical-name map (entity names and aliases after the user's
corrections) turns it into the entity's current name when read, so a merge or a rename of an
entity reaches its quotes without re-indexing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.store.base import Store

if TYPE_CHECKING:
    from index.analysis.quotes import Quote

_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class CitedQuote:
    """A quote, who said it (the entity's current name, or the role as written) and where."""

    quote: Quote
    speaker: str
    title: str
    outlet: str | None
    published: str | None


def fold(name: str) -> str:
    """A name for comparison: case, spaces and punctuation aside."""
    return _NOT_ALNUM.sub("", name.casefold())


def speaker_names(wanted: str, stored: list[str], canon: Mapping[str, str]) -> list[str]:
    """The stored speaker names ``wanted`` stands for.

    ``wanted`` naming an entity (its name or any alias, case and punctuation aside) gives every
    stored name of that entity ("Park" finds the quotes stored as "Park Geun-hye" once the two
    are merged); otherwise the stored names (or their entities' names) that contain it, so
    "official" finds "a senior U.S. official".
    """
    key = fold(wanted)
    if not key:
        return []
    entity = next((name for alias, name in canon.items() if fold(alias) == key), None)
    if entity is None:
        entity = next((canon.get(s, s) for s in stored if fold(s) == key), None)
    if entity is not None:
        return [s for s in stored if canon.get(s, s) == entity]
    return [s for s in stored if key in fold(s) or key in fold(canon.get(s, s))]


def read_quotes(
    catalogue: Store,
    canon: Mapping[str, str],
    speaker: str | None = None,
    article: str | None = None,
) -> list[CitedQuote]:
    """Quotes in publication order, of one ``article`` and/or by one ``speaker`` (see
    :func:`speaker_names`), each with its speaker's current name."""
    names = None
    if speaker is not None:
        names = speaker_names(speaker, [s for s, _n in catalogue.quote_speakers()], canon)
        if not names:
            return []
    return [
        CitedQuote(q, canon.get(q.speaker, q.speaker), title, outlet, published)
        for q, title, outlet, published in catalogue.quotes(article, names)
    ]


def quote_counts(catalogue: Store, canon: Mapping[str, str]) -> Counter[str]:
    """How many quotes each speaker (entity name after corrections, or role) has."""
    counts: Counter[str] = Counter()
    for name, n in catalogue.quote_speakers():
        counts[canon.get(name, name)] += n
    return counts


_SPEAKER_CLAUSE = re.compile(r'(?<![\w:])speaker:(?:"([^"]*)"|([^\s()"]+))')


def expand_speakers(text: str, catalogue: Store, canon: Mapping[str, str]) -> str:
    """A full-text query with each ``speaker:NAME`` turned into the stored speaker names NAME
    stands for (see :func:`speaker_names`), so ``speaker:"han min-koo"`` finds the articles
    that quote him as "Han", and a renamed or merged entity finds its quotes."""
    if "speaker:" not in text:
        return text
    stored = [s for s, _n in catalogue.quote_speakers()]

    def expand(m: re.Match[str]) -> str:
        names = speaker_names(m.group(1) if m.group(1) is not None else m.group(2), stored, canon)
        if not names:
            return m.group()
        clauses = [f'speaker:"{n.replace(chr(34), "")}"' for n in names]
        return clauses[0] if len(clauses) == 1 else f"({' OR '.join(clauses)})"

    return _SPEAKER_CLAUSE.sub(expand, text)
