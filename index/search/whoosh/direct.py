"""The best documents of an as-you-type query, scored straight from the postings.

An as-you-type query is an AND of words, each a union of indexed words (:class:`TermUnion`,
or one ``Term``). For that shape, Whoosh's collector costs more than the scoring: it opens a
scorer per word and segment (its IDF summed over every segment each time), then steps every
matching document through the matcher tree, the heap and the matched-term bookkeeping, one
Python call after another. :func:`best` scores each word's postings once, with the IDF and
average length taken once per search, and keeps the best ``limit`` with a heap. Scores, their
order (ties by document number) and matched terms are Whoosh's own; any other query returns
None and goes through Whoosh.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import FilterMatcher, Matcher
from whoosh.query import And, Or, Query, Term
from whoosh.scoring import BM25F, bm25
from whoosh.searching import Searcher

from index.search.whoosh.termunion import TermUnion, plain_union

Words = tuple[tuple[str, str, float], ...]  # (field, word, boost)
MatchedTerm = tuple[str, bytes]


@dataclass
class Scored:
    """One document found: its number in the searcher, score and the terms it matched."""

    docnum: int
    score: float
    terms: list[MatchedTerm]


def _clauses(query: Query) -> list[Words] | None:
    """The words of each clause of an AND of unions, or None for any other query."""
    if isinstance(query, TermUnion):
        return [query.words]
    if type(query) is Term and isinstance(query, Term):
        return [((query.fieldname, query.text, query.boost),)]
    if type(query) is Or and isinstance(query, Or) and plain_union(query):
        terms = [sub for sub in query.subqueries if type(sub) is Term and isinstance(sub, Term)]
        if len(terms) == len(query.subqueries):
            return [tuple((t.fieldname, t.text, t.boost) for t in terms)]
    if type(query) is And and isinstance(query, And) and query.boost == 1.0:
        parts = [_clauses(sub) for sub in query.subqueries]
        if parts and all(p is not None and len(p) == 1 for p in parts):
            return [p[0] for p in parts if p is not None]
    return None


def best(searcher: Searcher, query: Query, limit: int | None) -> tuple[list[Scored], int] | None:
    """The best ``limit`` documents for ``query`` (all with None), best first, and how many
    matched; None when ``query`` is not an AND of unions or the weighting is not BM25F."""
    clauses = _clauses(query)
    weighting = searcher.weighting
    if clauses is None or type(weighting) is not BM25F:
        return None
    totals: dict[int, float] | None = None
    matched: dict[int, list[MatchedTerm]] = {}
    # The rarest word first: a common one ("of", "new") is then only looked up in the
    # documents the others matched, skipping the rest of its postings block by block.
    if len(clauses) > 1:
        reader = searcher.reader()
        clauses.sort(key=lambda ws: _size(reader, searcher, ws))
    for words in clauses:
        scores = _union(searcher, weighting, words, matched, None if totals is None else totals)
        if totals is None:
            totals = scores
        else:  # an AND: the documents in both, scores added as Whoosh's intersection adds them
            totals = {d: s + scores[d] for d, s in totals.items() if d in scores}
        if not totals:
            break
    totals = totals or {}
    ranked = ((-score, docnum) for docnum, score in totals.items())
    top = heapq.nsmallest(limit, ranked) if limit is not None else sorted(ranked)
    found = [Scored(docnum, -negative, matched[docnum]) for negative, docnum in top]
    return found, len(totals)


def _size(reader: Any, searcher: Searcher, words: Words) -> int:
    """How many postings the words of a clause have (an upper bound of its documents)."""
    total = 0
    for field, word, _boost in words:
        text = searcher.schema[field].to_bytes(word)
        if (field, text) in reader:
            total += reader.doc_frequency(field, text)
    return total


def _union(
    searcher: Searcher,
    weighting: Any,
    words: Words,
    matched: dict[int, list[MatchedTerm]],
    only: dict[int, float] | None,
) -> dict[int, float]:
    """Each document's summed score over ``words`` (a union); its terms go into ``matched``.
    With ``only``, just the documents in it (each looked up with ``skip_to``)."""
    scores: dict[int, float] = {}
    wanted = sorted(only) if only is not None else None
    K1 = weighting.K1
    for field, word, boost in words:
        text = searcher.schema[field].to_bytes(word)
        term = (field, text)
        idf: float | None = None  # asked of the whole index once a segment has the word
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if term not in reader:
                continue
            if idf is None:
                idf = searcher.idf(field, text)
                avgfl = searcher.avg_field_length(field) or 1
                B = weighting._field_B.get(field, weighting.B)
            postings = reader.postings(field, text)
            length = reader.doc_field_length
            for local, weight in _postings(postings, wanted, offset, reader.doc_count_all()):
                score = bm25(idf, weight, length(local, field, 1), avgfl, B, K1)
                if boost != 1.0:
                    score *= boost
                docnum = offset + local
                if docnum in scores:
                    scores[docnum] += score
                    matched[docnum].append(term)
                else:
                    scores[docnum] = score
                    matched.setdefault(docnum, []).append(term)
    return scores


def _postings(
    postings: Matcher, wanted: list[int] | None, offset: int, count: int
) -> Iterator[tuple[int, float]]:
    """(document number in the segment, weight) of each of ``postings`` (of ``wanted`` only, if
    given: global numbers, ``offset`` to ``offset + count`` in this segment)."""
    if wanted is None:
        yield from _all(postings)
        return
    start = bisect.bisect_left(wanted, offset)
    end = bisect.bisect_left(wanted, offset + count)
    for docnum in wanted[start:end]:
        local = docnum - offset
        if not postings.is_active():
            return
        postings.skip_to(local)
        if postings.is_active() and postings.id() == local:
            yield local, postings.weight()


def _all(postings: Matcher) -> Iterator[tuple[int, float]]:
    """Every (document number, weight) of ``postings``: block by block from Whoosh's own
    posting lists (four method calls a posting less), deleted documents left out as Whoosh's
    filter leaves them out."""
    leaf, deleted = postings, None
    if isinstance(postings, FilterMatcher) and postings._exclude:
        leaf, deleted = postings.child, postings._ids
    if type(leaf) is not W3LeafMatcher:
        while postings.is_active():
            yield postings.id(), postings.weight()
            postings.next()
        return
    while leaf.is_active():
        if leaf._ids is None:
            leaf._read_ids()
        if leaf._weights is None:
            leaf._read_weights()
        ids, weights = leaf._ids, leaf._weights
        for i in range(leaf._i, leaf._blocklength):
            if deleted is None or ids[i] not in deleted:
                yield ids[i], weights[i]
        leaf._next_block()
