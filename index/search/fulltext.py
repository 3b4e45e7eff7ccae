"""The Whoosh index: open (recovering from damage), write in batches, search.

Searchers are snapshots and not thread-safe: a search borrows an idle one (refreshed before
use, cheap when nothing changed) and gives it back, so no two threads use one at once. They
are shared between threads because the app searches from a new worker thread on every
keystroke, and opening a searcher on 10 segments took 250 ms, more than the search.
"""

from __future__ import annotations

import gc
import math
import shutil
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import FuzzyTerm, NullQuery, Prefix, Query
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from index.build.procs import install_fork_hook
from index.search.analyzer import joined_field
from index.search.fuzzy import Vocabulary
from index.search.schema import SCHEMA
from index.search.typos import FUNCTION_FORMS, typo_cost
from index.store.catalogue import Analysed, disk_refused


class IndexDamaged(RuntimeError):
    """The index on disk cannot be used; ``str()`` says why in one line."""


class FullTextIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ix: FileIndex | None = None
        self._idle: list[Searcher] = []  # searchers no thread is using
        self._idle_lock = threading.Lock()
        # Per-field vocabularies for expanding `word~`, valid for one index generation.
        self._vocab_lock = threading.Lock()
        self._vocab_gen: int | None = None
        self._vocabs: dict[str, Vocabulary] = {}

    def open(self) -> FileIndex:
        """Open the index, creating an empty one if none exists. Raises :class:`IndexDamaged`."""
        if self._ix is not None:
            return self._ix
        if self.folder.exists() and not self.folder.is_dir():
            raise IndexDamaged(f"{self.folder} is a file, not the index folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        failure: str | None = None
        with warnings.catch_warnings():
            # Whoosh leaves a damaged segment's file open when it fails to read it; the handle
            # is closed below, once the traceback that holds it is gone.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                ix = self._open_or_create()
            except IndexDamaged:
                raise
            except OSError as exc:
                if disk_refused(exc):
                    raise  # a full disk says nothing about the index: it must not be reset
                failure = f"{type(exc).__name__}: {exc}".strip()
            except Exception as exc:  # truncated or missing segments raise many error types
                failure = f"{type(exc).__name__}: {exc}".strip()
            if failure is not None:
                gc.collect()
        if failure is not None:
            raise IndexDamaged(failure)
        self._ix = ix
        return ix

    def _open_or_create(self) -> FileIndex:
        if not whoosh_index.exists_in(str(self.folder)):
            return whoosh_index.create_in(str(self.folder), SCHEMA)
        ix = whoosh_index.open_dir(str(self.folder))
        if ix.schema.names() != SCHEMA.names():
            raise IndexDamaged("it was written by an older version (schema differs)")
        with ix.reader() as reader:
            reader.doc_count()
            next(iter(reader.lexicon("id")), None)
        return ix

    def reset(self) -> None:
        """Delete everything in the folder and start an empty index."""
        self.close()
        if self.folder.is_symlink() or (self.folder.exists() and not self.folder.is_dir()):
            self.folder.unlink()  # a file where the index folder goes: nothing of ours
        if self.folder.exists():
            for child in self.folder.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._ix = whoosh_index.create_in(str(self.folder), SCHEMA)
        self._forget_vocabularies()

    def close(self) -> None:
        self._forget_vocabularies()
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for searcher in idle:
            searcher.close()
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def doc_count(self) -> int:
        with self.open().reader() as reader:
            return int(reader.doc_count())

    def writer(self, procs: int = 1) -> IndexWriter:
        ix = self.open()
        try:
            if procs > 1:
                # Whoosh forks its sub-writers: they must not outlive a killed build either.
                install_fork_hook()
                return ix.writer(procs=procs, multisegment=True, limitmb=128)
            return ix.writer(limitmb=128)
        except BaseException as exc:
            _unlock_unfinished_writer(exc)
            raise

    def write_batch(
        self,
        removed_ids: Iterable[str],
        items: Sequence[Analysed],
        procs: int = 1,
        merge: bool = True,
    ):
        """Delete ``removed_ids``, add ``items``, commit. One batch, one commit.

        ``merge=False`` adds the batch as a new segment without merging older ones: Whoosh's
        default merge on every commit rewrites the growing segments again and again, which made
        a 20,000-article build quadratic. A build passes it for every big batch. Small batches
        merge only the small segments earlier small batches left (:func:`merge_small_segments`).
        """
        writer = self.writer(procs)
        try:
            for article_id in removed_ids:
                writer.delete_by_term("id", article_id)
            for item in items:
                writer.add_document(**document(item))
            if merge:
                writer.commit(mergetype=merge_small_segments)
            else:
                writer.commit(merge=False)
        except BaseException as exc:
            _abandon(writer, exc)
            raise

    def search(self, query: Query, limit: int | None) -> list[tuple[str, float, frozenset[str]]]:
        """Ranked ``(id, score, matched body/title/joined terms)``, best first (all with no
        limit)."""
        with self._borrowed() as searcher:
            query = self._expanded(searcher, query)
            # optimize=False: Whoosh's block-quality skipping costs more in pure Python than it
            # saves on this corpus (measured 1.5-3x slower on terms, phrases and unions alike).
            results = searcher.search(query, limit=limit, terms=True, optimize=False)
            out = []
            for hit in results:
                terms = frozenset(
                    t.decode("utf-8") if isinstance(t, bytes) else str(t)
                    for field, t in (hit.matched_terms() or ())
                    if field in ("body", "title", "joined")
                )
                out.append((hit["id"], float(hit.score or 0.0), terms))
            return out

    def more_like(self, article_id: str, text: str, limit: int) -> list[tuple[str, float]]:
        """``(id, score)`` of the articles whose bodies share the most key terms of ``text``
        (the body of ``article_id``, which is left out), best first."""
        with self._borrowed() as searcher:
            docnum = searcher.document_number(id=article_id)
            if docnum is None:
                return []
            hits = searcher.more_like(docnum, "body", text=text, top=limit, numterms=12)
            return [(hit["id"], float(hit.score or 0.0)) for hit in hits]

    def doc_frequency(self, field: str, word: str) -> int:
        """How many articles have ``word`` in ``field``."""
        with self._borrowed() as searcher:
            return int(searcher.reader().doc_frequency(field, word))

    def count(self, query: Query) -> int:
        """How many articles match ``query`` (unscored: cheaper than a search)."""
        return len(self._docnums(query, lambda searcher, docnum: docnum))

    def ids(self, query: Query) -> list[str]:
        """The ids of every article matching ``query``, unranked (no limit, no scores)."""
        return self._docnums(query, lambda searcher, docnum: searcher.stored_fields(docnum)["id"])

    @contextmanager
    def _borrowed(self) -> Iterator[Searcher]:
        """An idle searcher (or a new one), refreshed to the latest commit, for this thread
        alone until the block ends. Any failure inside is :class:`IndexDamaged`, and the
        searcher is dropped rather than given back."""
        with self._idle_lock:
            searcher = self._idle.pop() if self._idle else None
        try:
            searcher = searcher.refresh() if searcher else self.open().searcher()
            yield searcher
        except IndexDamaged:
            raise
        except Exception as exc:
            raise IndexDamaged(f"{type(exc).__name__}: {exc}") from exc
        with self._idle_lock:
            self._idle.append(searcher)

    def _expanded(self, searcher: Searcher, query: Query) -> Query:
        """``query`` with its ``word~``/``word*`` expanded over the searcher's vocabulary."""
        reader = searcher.reader()
        return expand_fuzzy(query, lambda field: self._vocabulary(reader, field))

    def _docnums(self, query: Query, each: Callable) -> list:
        with self._borrowed() as searcher:
            query = self._expanded(searcher, query)
            return [each(searcher, docnum) for docnum in searcher.docs_for_query(query)]

    def vocabulary(self, field: str) -> Vocabulary:
        """The words of ``field`` in the current index generation (cached per generation)."""
        try:
            # Opening a reader opens every segment's files (0.2 s on a 9-segment index); the
            # generation number alone says whether the cached words are still current.
            generation = self.open().latest_generation()
        except IndexDamaged:
            raise
        except Exception as exc:  # a TOC that vanished in a concurrent commit, a damaged one
            raise IndexDamaged(f"{type(exc).__name__}: {exc}") from exc
        with self._vocab_lock:
            if generation == self._vocab_gen and field in self._vocabs:
                return self._vocabs[field]
        with self.open().reader() as reader:
            return self._vocabulary(reader, field)

    def _vocabulary(self, reader, field: str) -> Vocabulary:
        """The words of ``field`` in the generation ``reader`` reads (loaded once each)."""
        with self._vocab_lock:
            if self._vocab_gen != reader.generation():
                self._vocabs = {}
                self._vocab_gen = reader.generation()
            vocab = self._vocabs.get(field)
            if vocab is None:
                fieldobj = SCHEMA[field]
                vocab = Vocabulary(
                    fieldobj.from_bytes(t) if isinstance(t, bytes) else t
                    for t in reader.lexicon(field)
                )
                self._vocabs[field] = vocab
            return vocab

    def _forget_vocabularies(self) -> None:
        # A reset index starts its generations again from zero: never trust an old cache.
        with self._vocab_lock:
            self._vocabs = {}
            self._vocab_gen = None


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


class _DocScorer:
    """Each document of a :class:`WordUnion` scores what its best word is worth."""

    def __init__(self, scores: dict[int, float]) -> None:
        self._scores = scores
        self._max = max(scores.values(), default=0.0)

    def supports_block_quality(self) -> bool:
        return False

    def score(self, matcher) -> float:
        return self._scores[matcher.id()]

    def max_quality(self) -> float:
        return self._max

    def block_quality(self, matcher) -> float:
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

    def _key(self) -> tuple:
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

    def terms(self, phrases: bool = False):
        for word in self.words:
            yield (self.fieldname, word)

    def estimate_size(self, ixreader) -> int:
        return sum(
            ixreader.doc_frequency(self.fieldname, w)
            for w in self.words
            if (self.fieldname, w) in ixreader
        )

    def matcher(self, searcher, context=None):
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

    def __init__(self, fieldname: str, owners: dict[int, str], ids, scores, i=0) -> None:
        super().__init__(ids, all_weights=1.0, scorer=_DocScorer(scores), position=i)
        self._fieldname = fieldname
        self._owners = owners
        self._scores = scores

    def term(self):
        return (self._fieldname, self._owners[self.id()]) if self.is_active() else None

    def copy(self):
        return _UnionMatcher(self._fieldname, self._owners, self._ids, self._scores, self._i)


SMALL_SEGMENT = 200  # documents; segments this small are merged by the next small commit


def merge_small_segments(writer, segments):
    """Whoosh merge policy: fold segments of fewer than ``SMALL_SEGMENT`` documents into the
    one being written, and leave every bigger segment alone.

    Whoosh's own ``MERGE_SMALL`` decides by a Fibonacci rule on the segment count: with the 20
    or so 1,000-document segments of a big build it merges *all* of them when one article is
    added (112 s measured). Adding one article must only ever rewrite what earlier additions
    wrote, so segments pile up by at most one per ``SMALL_SEGMENT`` additions.
    """
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() < SMALL_SEGMENT]
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s.doc_count_all() >= SMALL_SEGMENT]


def document(item: Analysed) -> dict[str, object]:
    """The Whoosh document for an analysed article."""
    a = item.article
    by_type: dict[str, set[str]] = {"person": set(), "organisation": set(), "place": set()}
    names = set()
    for m in item.mentions:
        names.add(m.name)
        if m.type in by_type:
            by_type[m.type].add(m.name)
    doc: dict[str, object] = {
        "id": a.id,
        "title": a.title,
        "body": "\n".join((a.standfirst or "", *a.paragraphs)),
        "outlet": a.outlet or "",
        "author": a.author or "",
        "entity": ",".join(sorted(names)),
        "joined": item.joined
        if item.joined is not None
        else joined_field(a.title, a.standfirst, a.paragraphs),
        **{field: ",".join(sorted(values)) for field, values in by_type.items()},
        "speaker": ",".join(sorted({q.speaker.replace(",", " ") for q in item.quotes} - {""})),
    }
    if a.published:
        doc["published"] = datetime(a.published.year, a.published.month, a.published.day)
    return doc


def _abandon(writer: IndexWriter, failure: BaseException) -> None:
    """Cancel a failed write and make sure Whoosh's write lock is released: cancelling
    flushes the segment's files first, and on a full disk fails again before it unlocks, and
    every later write of this process then failed with LockError."""
    try:
        writer.cancel()
    except Exception as cleanup:  # the write's own failure is the one to report
        failure.add_note(f"cancelling the Whoosh writer failed too: {cleanup!r}")
        lock = getattr(writer, "writelock", None)
        if lock is not None:
            lock.release()


def _unlock_unfinished_writer(failure: BaseException) -> None:
    """Release the write lock a Whoosh writer took before its set-up failed (its first files
    cannot be created on a full disk): Whoosh keeps it until the process ends, and every later
    write of the app failed with LockError. The half-made writer is found in the traceback."""
    tb = failure.__traceback__
    while tb is not None:
        candidate = tb.tb_frame.f_locals.get("self")
        lock = getattr(candidate, "writelock", None) if isinstance(candidate, IndexWriter) else None
        if lock is not None:
            lock.release()
            return
        tb = tb.tb_next
