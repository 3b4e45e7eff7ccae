"""The best documents of an as-you-type query, scored straight from the postings.

An as-you-type query is an AND of words, each a union of indexed words (:class:`TermUnion`,
or one ``Term``). For that shape, Whoosh's collector costs more than the scoring: it opens a
scorer per word and segment (its IDF summed over every segment each time), then steps every
matching document through the matcher tree, the heap and the matched-term bookkeeping, one
Python call after another. :func:`best` scores each word's postings once, with the IDF and
average length taken once per search, as numpy arrays (Whoosh's BM25 formula, operation for
operation, so the same rounding), over posting lists kept from the last keystrokes
(:mod:`.postcache`), and sorts out the best ``limit``. Scores, their order (ties by document
number) and matched terms are Whoosh's own; any other query returns None and goes through
Whoosh.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.query import And, Or, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from index.search.whoosh.postcache import Floats, Ids, PostingCache, deleted
from index.search.whoosh.termunion import TermUnion, plain_union

Words = tuple[tuple[str, str, float], ...]  # (field, word, boost)
MatchedTerm = tuple[str, bytes]


@dataclass
class Scored:
    """One document found: its number in the searcher, score, the terms it matched, and its
    stored id."""

    docnum: int
    score: float
    terms: list[MatchedTerm]
    id: str


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


def best(
    searcher: Searcher, query: Query, limit: int | None, cache: PostingCache | None = None
) -> tuple[list[Scored], int] | None:
    """The best ``limit`` documents for ``query`` (all with None), best first, and how many
    matched; None when ``query`` is not an AND of unions or the weighting is not BM25F.
    ``cache`` keeps the posting lists read for the next search (:mod:`.postcache`)."""
    clauses = _clauses(query)
    weighting = searcher.weighting
    if clauses is None or type(weighting) is not BM25F:
        return None
    cache = cache if cache is not None else PostingCache()
    # The clauses are added in this order (a sum's rounding depends on it): the rarest first,
    # as the code that scored document by document (and skipped through common words) did.
    segments = _segments(searcher)
    if len(clauses) > 1:
        clauses.sort(key=lambda ws: _size(searcher, ws, segments, cache))
    size = searcher.reader().doc_count_all()
    totals: Floats | None = None
    present: npt.NDArray[np.bool_] | None = None
    hits: list[tuple[MatchedTerm, Ids]] = []
    for words in clauses:
        scores, found = _union(searcher, weighting, words, segments, cache, size, hits)
        if totals is None or present is None:
            totals, present = scores, found
        else:  # an AND: the documents in both, scores added as Whoosh's intersection adds them
            present &= found
            totals = np.where(present, totals + scores, 0.0)
        if not present.any():
            break
    if totals is None or present is None:
        return [], 0
    docnums = np.flatnonzero(present)
    ranked = docnums[np.lexsort((docnums, -totals[docnums]))]  # best first, ties by number
    top = ranked if limit is None else ranked[:limit]
    terms = _terms(top, hits)
    starts = [offset for _r, offset, _g in segments]
    found_ = []
    for d in top.tolist():
        reader, offset, _gone = segments[bisect.bisect_right(starts, d) - 1]
        found_.append(Scored(d, float(totals[d]), terms[d], cache.stored_id(reader, d - offset)))
    return found_, len(docnums)


def _segments(searcher: Searcher) -> list[tuple[Any, int, Ids | None]]:
    """(reader, offset, deleted document numbers) of each segment of ``searcher``."""
    out = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        out.append((reader, offset, deleted(reader)))
    return out


def _size(
    searcher: Searcher,
    words: Words,
    segments: list[tuple[Any, int, Ids | None]],
    cache: PostingCache,
) -> int:
    """How many postings the words of a clause have (an upper bound of its documents): the
    words' document frequencies, which count deleted documents too, as their postings do."""
    total = 0
    for field, word, _boost in words:
        text = searcher.schema[field].to_bytes(word)
        total += sum(len(cache.postings(reader, field, text)[0]) for reader, _o, _g in segments)
    return total


def _union(
    searcher: Searcher,
    weighting: Any,
    words: Words,
    segments: list[tuple[Any, int, Ids | None]],
    cache: PostingCache,
    size: int,
    hits: list[tuple[MatchedTerm, Ids]],
) -> tuple[Floats, npt.NDArray[np.bool_]]:
    """Each document's summed score over ``words`` (a union), in word order as Whoosh sums a
    union, and which documents have any of them; each word's documents go into ``hits``."""
    scores = np.zeros(size, dtype=np.float64)
    found = np.zeros(size, dtype=np.bool_)
    K1 = weighting.K1
    for field, word, boost in words:
        text = searcher.schema[field].to_bytes(word)
        term = (field, text)
        idf: float | None = None  # asked of the whole index once a segment has the word
        for reader, offset, gone in segments:
            ids, weights = cache.postings(reader, field, text)
            if not len(ids):  # not in this segment
                continue
            if idf is None:
                idf = searcher.idf(field, text)
                avgfl = searcher.avg_field_length(field) or 1
                B = weighting._field_B.get(field, weighting.B)
            if gone is not None:
                kept = ~np.isin(ids, gone)
                ids, weights = ids[kept], weights[kept]
            if not len(ids):
                continue
            fl = cache.lengths(reader, field)[ids]
            # whoosh.scoring.bm25, operation for operation (the same rounding)
            score = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))
            if boost != 1.0:
                score *= boost
            docnums = ids + offset
            scores[docnums] += score
            found[docnums] = True
            hits.append((term, docnums))
    return scores, found


def _terms(top: Ids, hits: list[tuple[MatchedTerm, Ids]]) -> dict[int, list[MatchedTerm]]:
    """The terms each of the ``top`` documents matched (in the order they were scored)."""
    out: dict[int, list[MatchedTerm]] = {d: [] for d in top.tolist()}
    if not len(top):
        return out
    wanted = np.sort(top)
    for term, docnums in hits:  # each ascending (one segment's postings)
        at = np.searchsorted(docnums, wanted)
        inside = at < len(docnums)
        matched = wanted[inside][docnums[at[inside]] == wanted[inside]]
        for d in matched.tolist():
            out[d].append(term)
    return out


def count(searcher: Searcher, query: Query, cache: PostingCache | None = None) -> int | None:
    """How many documents match ``query`` when it is an AND of unions of words (or one union),
    read from the same posting lists as :func:`best`; None for any other query."""
    parts = query.subqueries if type(query) is And and isinstance(query, And) else [query]
    unions = [_any_of(part) for part in parts]
    if not unions or any(words is None for words in unions):
        return None
    cache = cache if cache is not None else PostingCache()
    segments = _segments(searcher)
    present: npt.NDArray[np.bool_] | None = None
    for words in unions:
        found = np.zeros(searcher.reader().doc_count_all(), dtype=np.bool_)
        for field, word, _boost in words or ():
            text = searcher.schema[field].to_bytes(word)
            for reader, offset, gone in segments:
                ids, _weights = cache.postings(reader, field, text)
                if gone is not None:
                    ids = ids[~np.isin(ids, gone)]
                found[ids + offset] = True
        present = found if present is None else present & found
    return 0 if present is None else int(present.sum())


def _any_of(query: Query) -> Words | None:
    """The words of a query that matches a document having any of them (boosts aside)."""
    if isinstance(query, TermUnion):
        return query.words
    if type(query) is Term and isinstance(query, Term):
        return ((query.fieldname, query.text, query.boost),)
    if type(query) is Or and isinstance(query, Or) and not query.minmatch:
        words: list[tuple[str, str, float]] = []
        for sub in query.subqueries:
            found = _any_of(sub)
            if found is None:
                return None
            words.extend(found)
        return tuple(words)
    return None
