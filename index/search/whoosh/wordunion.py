"""``word~`` and ``word*`` for Whoosh: expanded over a cached vocabulary, scored by closeness.

Whoosh expands a fuzzy term by building a Levenshtein automaton in pure Python and walking every
segment's lexicon with it, on every search (hundreds of ms on a 20,000-article index); rapidfuzz
over a cached vocabulary finds the same words in a few ms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from whoosh.matching import ListMatcher, Matcher, NullMatcher
from whoosh.query import FuzzyTerm, NullQuery, Prefix, Query
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from index.search.fuzzy import Vocabulary
from index.search.typos import FUNCTION_FORMS, typo_cost

# A title match counts twice, as the schema's field boost makes it count in ranked searches.
_FIELD_WEIGHT = {"title": 2.0}


def expand_fuzzy(query: Query, vocabulary: Callable[[str], Vocabulary]) -> Query:
    """``query`` with every ``word~`` and ``word*`` replaced by a :class:`WordUnion`.

    Whoosh expands a fuzzy term by building a Levenshtein automaton in pure Python and walking
    every segment's lexicon with it, on every search (hundreds of ms on a 20,000-article index);
    rapidfuzz over a cached vocabulary finds the same words in a few ms. Prefixes come from the
    same sorted vocabulary.
    """
    if isinstance(query, FuzzyTerm):
        text = query.text
        found = vocabulary(query.fieldname).within(
            text, int(query.maxdist), int(query.prefixlength)
        )
        # Function words ("that", "had" for "thad~") would match nearly every article.
        costs = {w: typo_cost(text, w) for w in found if w == text or w not in FUNCTION_FORMS}
        words = sorted(costs, key=lambda w: (costs[w], w))
        close = [1.0 / (1.0 + costs[w]) for w in words]
        return WordUnion(query.fieldname, words, query.boost, close) if words else NullQuery
    if type(query) is Prefix:
        words = sorted(vocabulary(query.fieldname).starting_with(query.text), key=len)
        close = [max(0.3, len(query.text) / len(w)) for w in words]
        return WordUnion(query.fieldname, words, query.boost, close) if words else NullQuery
    if query.is_leaf():
        return query
    return query.apply(lambda child: expand_fuzzy(child, vocabulary))


class ScoreTable:
    """A scorer that gives each document the score worked out for it beforehand: what its best
    word is worth in a :class:`WordUnion`, what its words add up to in a
    :class:`~index.search.whoosh.termunion.TermUnion`."""

    def __init__(self, scores: dict[int, float]) -> None:
        self._scores = scores
        self._max = max(scores.values(), default=0.0)

    def supports_block_quality(self) -> bool:
        return False

    def score(self, matcher: Matcher) -> float:
        return self._scores[matcher.id()]

    def max_quality(self) -> float:
        return self._max

    def block_quality(self, matcher: Matcher) -> float:
        # A ListMatcher is one block: its quality is the best score in it.
        return self._max


class WordUnion(Query):
    """Documents containing any of ``words`` in one field, scored by their best word.

    What Whoosh's own ``FuzzyTerm`` and ``Prefix`` mean, but scored: a word counts by its
    ``closeness`` to what was typed (1.0 if not given) times its rarity (IDF), where Whoosh
    scores every expansion alike (99 of 103 articles with one score for ``thad~``). The document
    ids of each segment are read as arrays and merged once, instead of walking a tree of a
    hundred union matchers one document at a time: ``says~`` matches 16,000 articles.
    """

    def __init__(
        self,
        fieldname: str,
        words: Sequence[str],
        boost: float = 1.0,
        closeness: Sequence[float] | None = None,
    ) -> None:
        self.fieldname = fieldname
        self.words = tuple(words)
        self.boost = boost
        self.closeness = tuple(closeness) if closeness is not None else (1.0,) * len(self.words)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordUnion) and self._key() == other._key()

    def _key(self) -> tuple[str, tuple[str, ...], float, tuple[float, ...]]:
        return (self.fieldname, self.words, self.boost, self.closeness)

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"WordUnion({self.fieldname!r}, {len(self.words)} words, boost={self.boost})"

    def __str__(self) -> str:
        return f"{self.fieldname}:({' OR '.join(self.words)})"

    def is_leaf(self) -> bool:
        return True

    def field(self) -> str:
        return self.fieldname

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        for word in self.words:
            yield (self.fieldname, word)

    def estimate_size(self, ixreader: IndexReader) -> int:
        return sum(
            ixreader.doc_frequency(self.fieldname, w)
            for w in self.words
            if (self.fieldname, w) in ixreader
        )

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        reader = searcher.reader()
        total = max(1, reader.doc_count_all())
        weight = self.boost * _FIELD_WEIGHT.get(self.fieldname, 1.0)
        worth: list[tuple[float, str]] = []
        for word, close in zip(self.words, self.closeness, strict=True):
            if (self.fieldname, word) in reader:
                rarity = 1.0 + math.log(total / max(1, reader.doc_frequency(self.fieldname, word)))
                worth.append((weight * close * rarity, word))
        # Each document is owned by the best word it contains: that word is reported as
        # matched (so the snippet highlights it) and gives the document its score.
        owners: dict[int, str] = {}
        scores: dict[int, float] = {}
        for value, word in sorted(worth, key=lambda vw: -vw[0]):
            for docnum in reader.postings(self.fieldname, word).all_ids():
                if docnum not in owners:
                    owners[docnum] = word
                    scores[docnum] = value
        if reader.has_deletions():
            owners = {d: w for d, w in owners.items() if not reader.is_deleted(d)}
        if not owners:
            return NullMatcher()
        return _UnionMatcher(self.fieldname, owners, sorted(owners), scores)


class _UnionMatcher(ListMatcher):
    """A list of document ids whose ``term()`` is the word the current document matched."""

    def __init__(
        self,
        fieldname: str,
        owners: dict[int, str],
        ids: list[int],
        scores: dict[int, float],
        i: int = 0,
    ) -> None:
        super().__init__(ids, all_weights=1.0, scorer=ScoreTable(scores), position=i)
        self._fieldname = fieldname
        self._owners = owners
        self._scores = scores

    def term(self) -> tuple[str, str] | None:
        return (self._fieldname, self._owners[self.id()]) if self.is_active() else None

    def copy(self) -> _UnionMatcher:
        return _UnionMatcher(self._fieldname, self._owners, self._ids, self._scores, self._i)
