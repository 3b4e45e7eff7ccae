"""Typo-tolerant matching for search-as-you-type, with rapidfuzz.

Matching is word by word: each query word is compared with the vocabulary of the things being
searched (titles, outlets, entity names and aliases), so "chang wanqan" finds "Chang Wanquan"
and "thad" finds "THAAD". The vocabulary is bucketed by word length, since two words whose
lengths differ a lot cannot reach the similarity cut-off; only the buckets that can are scored.
The last word of the query is also matched as a prefix, because the user is still typing it.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

WORD = re.compile(r"\w+")
MIN_QUERY = 2  # a single letter matches everything; filtering starts at two
MAX_COMPLETIONS = 100  # vocabulary words a partial last word may stand for


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def word_cutoff(word: str) -> float:
    """Similarity a vocabulary word needs to count as a typo of ``word``."""
    n = len(word)
    if n <= 2:
        return 100.0
    if n == 3:
        return 85.0
    return 80.0


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

    def match(self, word: str, prefix: bool = False) -> WordHits:
        cutoff = word_cutoff(word)
        found: dict[str, float] = {}
        n = len(word)
        if cutoff < 100:
            # ratio = 2*LCS/(n+m) >= cutoff  =>  m <= n*(200-cutoff)/cutoff, m >= n*cutoff/(200-c)
            low = int(n * cutoff / (200 - cutoff))
            high = int(n * (200 - cutoff) / cutoff) + 1
            for length in range(max(1, low), high + 1):
                bucket = self._by_len.get(length)
                if bucket:
                    for w, score, _ in process.extract(
                        word, bucket, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
                    ):
                        found[w] = score
        elif word in self._by_len.get(n, ()):
            found[word] = 100.0
        if prefix and len(word) >= MIN_QUERY:
            lo = bisect.bisect_left(self.sorted, word)
            hi = bisect.bisect_left(self.sorted, word + "\uffff", lo)
            completions = self.sorted[lo:hi]
            if len(completions) > MAX_COMPLETIONS:
                # the shortest completions are the likeliest words being typed
                completions = sorted(completions, key=len)[:MAX_COMPLETIONS]
            for w in completions:
                found[w] = max(found.get(w, 0.0), 100.0 if w == word else 96.0)
        return WordHits(word, found)


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

    def search(self, hits: Sequence[WordHits]) -> dict[int, float]:
        """Documents containing a match for every query word, scored by the mean match."""
        result: dict[int, float] | None = None
        for hit in hits:
            best: dict[int, float] = {}
            for w, score in hit.matches.items():
                for doc in self.postings.get(w, ()):
                    if score > best.get(doc, 0.0):
                        best[doc] = score
            if result is None:
                result = best
            else:
                result = {d: s + best[d] for d, s in result.items() if d in best}
            if not result:
                return {}
        n = len(hits) or 1
        return {d: s / n for d, s in (result or {}).items()}

    def word_hits(self, query: str) -> list[WordHits]:
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
    return [m.span() for m in WORD.finditer(text) if m.group().lower() in wanted]


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
    ) -> None:
        """``names``: (entity name or alias, indexes of the articles that mention it)."""
        self.titles = FuzzyField(titles)
        self.outlets = FuzzyField([o or "" for o in outlets])
        self.names = FuzzyField([n for n, _ in names])
        self.name_articles = [tuple(a) for _, a in names]

    def match(self, query: str, limit: int | None = None) -> list[FuzzyMatch]:
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
            hits = field.word_hits(query)
            matched.append(frozenset(w for h in hits for w in h.matches))
            for doc, score in field.search(hits).items():
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
