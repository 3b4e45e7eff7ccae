"""An "any of these words" clause scored as Whoosh scores it, without Whoosh's matcher tree.

An as-you-type word is a union of some 10-90 indexed words over three fields (its completions
and typos). Whoosh matches a union with a binary tree of union matchers: every matching
document walks the tree (``is_active``, ``id``, ``next`` on every node), in pure Python, in each
of 10 segments, and that walk cost more than the scoring. :class:`TermUnion` reads each word's
postings once, straight down the list, adds up the same BM25F scores Whoosh's union adds up,
and hands the documents to the search as one sorted list.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from whoosh.matching import ListMatcher, Matcher, NullMatcher
from whoosh.query import Or, Query, Term
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from index.search.whoosh.wordunion import ScoreTable

MIN_TERMS = 4  # a smaller union is cheap as a tree; full-text "a OR b" stays Whoosh's own


def term_unions(query: Query) -> Query:
    """``query`` with each plain union of at least :data:`MIN_TERMS` terms as a
    :class:`TermUnion` (same documents, same scores)."""
    if isinstance(query, Or) and type(query) is Or:
        subs = query.subqueries
        if plain_union(query) and len(subs) >= MIN_TERMS and all(type(s) is Term for s in subs):
            terms = [s for s in subs if isinstance(s, Term)]
            return TermUnion([(t.fieldname, t.text, t.boost) for t in terms])
    if query.is_leaf():
        return query
    return query.apply(term_unions)


def plain_union(query: Or) -> bool:
    """Whether ``query`` scores a document the sum of its parts' scores (no boost, bonus)."""
    return query.boost == 1.0 and not query.minmatch and query.scale is None


class TermUnion(Query):
    """Documents with any of ``terms`` (field, word, boost); each scores the sum of its words'
    scores, each word scored by the search's weighting times its boost: what Whoosh's ``Or`` of
    ``Term`` queries scores."""

    def __init__(self, words: Sequence[tuple[str, str, float]]) -> None:
        self.words = tuple(words)
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TermUnion) and self.words == other.words

    def __hash__(self) -> int:
        return hash(self.words)

    def __repr__(self) -> str:
        return f"TermUnion({len(self.words)} words)"

    def __str__(self) -> str:
        return "(" + " OR ".join(f"{f}:{w}" for f, w, _b in self.words) + ")"

    def is_leaf(self) -> bool:
        return True

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = False) -> Iterator[tuple[str, str]]:
        for field, word, _boost in self.words:
            yield (field, word)

    def estimate_size(self, ixreader: IndexReader) -> int:
        return sum(ixreader.doc_frequency(f, w) for f, w, _b in self.words if (f, w) in ixreader)

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        reader = searcher.reader()
        weighting = searcher.weighting if context is None else context.weighting
        scores: dict[int, float] = {}
        matched: dict[int, list[tuple[str, bytes]]] = {}
        for field, word, boost in self.words:
            text = searcher.schema[field].to_bytes(word)
            if (field, text) not in reader:
                continue
            postings = searcher.postings(field, text, weighting=weighting)
            term = (field, text)
            while postings.is_active():
                docnum = postings.id()
                score = postings.score() * boost if weighting is not None else 1.0
                if docnum in scores:
                    scores[docnum] += score
                    matched[docnum].append(term)
                else:
                    scores[docnum] = score
                    matched[docnum] = [term]
                postings.next()
        if not scores:
            return NullMatcher()
        return _UnionMatcher(sorted(scores), scores, matched)


class _UnionMatcher(ListMatcher):
    """The documents of a :class:`TermUnion`, with the words each matched (for the terms a
    search records: one :class:`_WordView` per word stands for Whoosh's term matchers)."""

    def __init__(
        self,
        ids: list[int],
        scores: dict[int, float],
        matched: dict[int, list[tuple[str, bytes]]],
        i: int = 0,
    ) -> None:
        super().__init__(ids, all_weights=1.0, scorer=ScoreTable(scores), position=i)
        self._scores = scores
        self._matched = matched

    def matched_here(self) -> list[tuple[str, bytes]]:
        return self._matched[self.id()] if self.is_active() else []

    def term_matchers(self) -> Iterator[Matcher]:
        words = {t for terms in self._matched.values() for t in terms}
        for term in sorted(words):
            yield _WordView(self, term)

    def copy(self) -> _UnionMatcher:
        return _UnionMatcher(self._ids, self._scores, self._matched, self._i)


class _WordView(Matcher):
    """One word of a :class:`_UnionMatcher`: active on the current document if the word is in
    it (all a search that records matched terms asks of a term matcher)."""

    def __init__(self, union: _UnionMatcher, term: tuple[str, bytes]) -> None:
        self._union = union
        self._term = term

    def is_active(self) -> bool:
        return self._term in self._union.matched_here()

    def id(self) -> int:
        return self._union.id()

    def term(self) -> tuple[str, bytes]:
        return self._term
