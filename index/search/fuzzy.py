"""Typo-tolerant matching for search-as-you-type, with rapidfuzz.

Matching is word by word: each query word is compared with the vocabulary of the things being
searched (titles, outlets, entity names and aliases), so "chang wanqan" finds "Chang Wanquan"
and "thad" finds "THAAD", by the rules of :mod:`index.search.typos` (a typo of the word, not any
word sharing letters with it). The last word of the query is also matched as a prefix, because the
user is still typing it, unless it is already a whole word of the vocabulary.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from index.search.analyzer import CJK, bigrams, fold, split_cjk
from index.search.backend import Analyze
from index.search.typos import (
    FUNCTION_FORMS,
    closeness,
    first_letter_ok,
    max_cost,
    stem_costs,
    typo_cost,
)

WORD = re.compile(r"\w+")
MIN_QUERY = 2  # a single letter matches everything; filtering starts at two
MAX_COMPLETIONS = 12  # vocabulary words a partial last word may stand for
K = TypeVar("K")
_SMALL_POOL = 256  # candidate words under which extract is cheaper than cdist
_CACHE = 512  # typo look-ups kept per vocabulary (typing repeats the same words)


def words(text: str) -> list[str]:
    """The words of ``text``, folded; Korean and Chinese runs as character bigrams."""
    out: list[str] = []
    for w in WORD.findall(fold(text)):
        if CJK.search(w):
            for piece, _at, is_cjk in split_cjk(w):
                out.extend(bigrams(piece) if is_cjk else [piece])
        else:
            out.append(w)
    return out


@dataclass(frozen=True, slots=True)
class WordHits:
    """For one query word: vocabulary words it matched, with scores (0-100)."""

    query: str
    matches: dict[str, float]


class Vocabulary:
    """Unique words, bucketed by length (each bucket sorted), with a sorted list for prefixes.

    One vocabulary serves both kinds of tolerant matching: :meth:`match` (similarity, for
    search-as-you-type) and :meth:`within` (edit distance, for Whoosh's ``word~``).
    """

    def __init__(self, vocab: Iterable[str]) -> None:
        self.sorted = sorted(set(vocab))
        self._set = frozenset(self.sorted)
        self._typos: dict[tuple[str, str | None, bool], dict[str, float]] = {}
        self._by_len: dict[int, list[str]] = defaultdict(list)
        for w in self.sorted:
            self._by_len[len(w)].append(w)

    def __len__(self) -> int:
        return len(self.sorted)

    def starting_with(self, prefix: str) -> list[str]:
        """Words that begin with ``prefix``, sorted."""
        return _prefix_range(self.sorted, prefix)

    def within(self, text: str, maxdist: int, prefixlength: int = 0) -> list[str]:
        """Words within ``maxdist`` Levenshtein edits of ``text`` sharing its first
        ``prefixlength`` characters: what Whoosh's ``FuzzyTerm`` matches, sorted."""
        prefix = text[:prefixlength]
        found: list[str] = []
        # A word whose length differs by more than maxdist needs more than maxdist edits.
        for length in range(max(1, len(prefix), len(text) - maxdist), len(text) + maxdist + 1):
            bucket = self._by_len.get(length)
            if not bucket:
                continue
            if prefix:
                bucket = _prefix_range(bucket, prefix)
            found.extend(
                word
                for word, _dist, _i in process.extract(
                    text, bucket, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
                )
            )
        return sorted(found)

    def __contains__(self, word: object) -> bool:
        return word in self._set

    def typos(
        self, typed: str, typed_stem: str | None = None, even_if_present: bool = False
    ) -> dict[str, float]:
        """Words ``typed`` may stand for, with their typo cost (:mod:`index.search.typos`).

        The word itself (cost 0) when the vocabulary has it (unless ``even_if_present``);
        otherwise every word within :func:`~index.search.typos.max_cost` whose first letter is
        right, function words left out. With ``typed_stem`` the vocabulary holds stems, compared by
        :func:`~index.search.typos.stem_cost` (:func:`~index.search.typos.stem_costs`).
        """
        key = (typed, typed_stem, even_if_present)
        cached = self._typos.get(key)
        if cached is not None:
            return cached
        probe = typed if typed_stem is None else typed_stem
        found: dict[str, float] = {}
        if probe in self and not even_if_present:
            found[probe] = 0.0
        elif max_cost(typed) > 0 and not CJK.search(typed):
            limit = max_cost(typed)
            # OSA first (loose enough for a stem that lost its suffix), exact cost after
            loose = int(limit) + (3 if typed_stem is not None else 1)
            candidates = [
                word
                for word in self.near(typed, probe, loose)
                if word not in FUNCTION_FORMS and word != probe and first_letter_ok(typed, word)
            ]
            if typed_stem is not None:
                found.update(stem_costs(typed, typed_stem, candidates, limit))
            else:
                for word in candidates:
                    cost = typo_cost(typed, word)
                    if cost <= limit:
                        found[word] = cost
        if len(self._typos) >= _CACHE:
            self._typos.clear()
        self._typos[key] = found
        return found

    def near(self, typed: str, probe: str, loose: int) -> list[str]:
        """Words within ``loose`` OSA edits of ``probe`` that begin with the first letter of
        ``typed`` (or its first two swapped): the candidates :meth:`typos` then costs."""
        pool = self.starting_with(typed[0])
        if len(typed) > 1 and typed[1] != typed[0]:
            pool = pool + self.starting_with(typed[1] + typed[0])
        if len(pool) < _SMALL_POOL:  # cdist's set-up costs more than extract's tuples
            return [
                word
                for word, _d, _i in process.extract(
                    probe, pool, scorer=OSA.distance, score_cutoff=loose, limit=None
                )
            ]
        # All distances at once (rapidfuzz's cdist, in C: no tuple made per word), nearest
        # first and ties in the pool's order, as rapidfuzz's extract orders them. (numpy is
        # imported here, at the first search, not with this module: 65 ms of the app's start.)
        import numpy as np

        row = process.cdist([probe], pool, scorer=OSA.distance, score_cutoff=loose, dtype=np.int32)[
            0
        ]
        near = np.flatnonzero(row <= loose)
        return [pool[i] for i in near[np.argsort(row[near], kind="stable")].tolist()]

    def completions(self, prefix: str) -> list[str]:
        """The shortest words that ``prefix`` begins (the likeliest being typed), at most
        :data:`MAX_COMPLETIONS`; none for a single letter."""
        if len(prefix) < MIN_QUERY:
            return []
        return sorted(self.starting_with(prefix), key=lambda w: (len(w), w))[:MAX_COMPLETIONS]

    def match(self, word: str, prefix: bool = False) -> WordHits:
        """The closest typos of ``word`` (with ``prefix``, also the words it begins, unless it
        is a whole word here), scored 0-100 by closeness."""
        costs = closest(self.typos(word))
        found = {w: 100.0 * closeness(c, word) for w, c in costs.items()}
        if prefix and word not in self:
            for w in self.completions(word):
                found.setdefault(w, 90.0)
        return WordHits(word, found)


class Surface(Vocabulary):
    """Words as written (titles, entity names), which also knows which of them share a stem."""

    def __init__(self, vocab: Iterable[str], analyze: Analyze) -> None:
        super().__init__(vocab)
        self._analyze = analyze
        self._by_stem: dict[str, list[str]] | None = None

    def written(self, stem: str) -> list[str]:
        """The words that are indexed as ``stem`` ("duterte" for "dutert")."""
        if self._by_stem is None:
            by_stem: dict[str, list[str]] = defaultdict(list)
            for word in self.sorted:
                if not CJK.search(word):
                    for token in self._analyze(word):
                        by_stem[token.text].append(word)
            self._by_stem = dict(by_stem)
        return self._by_stem.get(stem, [])


def closest(costs: dict[K, float]) -> dict[K, float]:
    """Only the candidates at the smallest cost found: a typo stands for its nearest words."""
    if not costs:
        return {}
    best = min(costs.values())
    return {w: c for w, c in costs.items() if c <= best}


class FuzzyField:
    """A list of short documents (titles, names) searchable by typo-tolerant words."""

    def __init__(self, docs: Sequence[str]) -> None:
        self.docs = list(docs)
        postings: dict[str, list[int]] = defaultdict(list)
        for i, doc in enumerate(self.docs):
            for w in set(words(doc)):
                postings[w].append(i)
        self.postings = dict(postings)
        self.vocab = Vocabulary(self.postings)

    def search(self, hits: Sequence[WordHits], any_word: bool = False) -> dict[int, float]:
        """Documents containing a match for every query word (any, with ``any_word``), scored
        by the mean match."""
        result: dict[int, float] | None = None
        for hit in hits:
            best: dict[int, float] = {}
            for w, score in hit.matches.items():
                for doc in self.postings.get(w, ()):
                    if score > best.get(doc, 0.0):
                        best[doc] = score
            if result is None:
                result = best
            elif any_word:
                result = {d: result.get(d, 0.0) + best.get(d, 0.0) for d in result.keys() | best}
            else:
                result = {d: s + best[d] for d, s in result.items() if d in best}
            if not result and not any_word:
                return {}
        n = len(hits) or 1
        return {d: s / n for d, s in (result or {}).items()}

    def word_hits(self, query: str) -> list[WordHits]:
        """What each word of ``query`` matches (the last also by its completions if it is
        still being typed)."""
        qwords = words(query)
        last_is_partial = bool(query) and not query[-1].isspace()
        return [
            self.vocab.match(w, prefix=last_is_partial and i == len(qwords) - 1)
            for i, w in enumerate(qwords)
        ]


def _prefix_range(ordered: list[str], prefix: str) -> list[str]:
    lo = bisect.bisect_left(ordered, prefix)
    return ordered[lo : bisect.bisect_left(ordered, prefix + "\U0010ffff", lo)]


def spans_of(text: str, matched: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans in ``text`` of the words that are in ``matched`` (case-insensitive)."""
    wanted = set(matched)
    return [m.span() for m in WORD.finditer(text) if fold(m.group()) in wanted]


@dataclass(frozen=True, slots=True)
class FuzzyMatch:
    """One article matched by the fuzzy filter; ``via`` says what matched."""

    index: int
    score: float
    via: str
    words: frozenset[str]


class FuzzyIndex:
    """Titles, outlets and entity names of a corpus, for per-keystroke filtering."""

    def __init__(
        self,
        titles: Sequence[str],
        outlets: Sequence[str | None],
        names: Sequence[tuple[str, Sequence[int]]],
        analyze: Analyze,
    ) -> None:
        """``names``: (entity name or alias, indexes of the articles that mention it);
        ``analyze``: the search backend's analysis (to tell a typo from an inflection)."""
        self.titles = FuzzyField(titles)
        self.outlets = FuzzyField([o or "" for o in outlets])
        self.names = FuzzyField([n for n, _ in names])
        self.name_articles = [tuple(a) for _, a in names]
        # The words of titles and names as written (not stemmed), for telling a typo from an
        # inflection: "lote" is stemmed like "lot", but only "Lotte" is ever written.
        self.surface = Surface([*self.titles.postings, *self.names.postings], analyze)

    def match(
        self, query: str, limit: int | None = None, any_word: bool = False, titles: bool = True
    ) -> list[FuzzyMatch]:
        """Articles matching ``query``, best first (ties keep corpus order).

        Scores are kept in plain dicts and ``FuzzyMatch`` objects are made only for the
        results returned: this runs on every keystroke.
        """
        if len(query.strip()) < MIN_QUERY:
            return []
        best: dict[int, float] = {}
        source: dict[int, int] = {}
        matched: list[frozenset[str]] = []
        for k, (field, weight) in enumerate(
            ((self.titles, 1.0), (self.names, 1.0), (self.outlets, 0.9))
        ):
            if not titles and field is self.titles:
                matched.append(frozenset())
                continue  # the caller searches the titles itself
            hits = field.word_hits(query)
            matched.append(frozenset(w for h in hits for w in h.matches))
            for doc, score in field.search(hits, any_word).items():
                score *= weight
                targets = self.name_articles[doc] if field is self.names else (doc,)
                for index in targets:
                    if score > best.get(index, 0.0):
                        best[index] = score
                        source[index] = k
        ranked: list[tuple[int, float]]
        if limit is not None and limit < len(best):
            ranked = heapq.nsmallest(limit, best.items(), key=lambda kv: (-kv[1], kv[0]))
        else:
            ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        return [FuzzyMatch(i, s, _VIA[source[i]], matched[source[i]]) for i, s in ranked]


_VIA = ("title", "entity", "outlet")
