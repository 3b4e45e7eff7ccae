"""The Whoosh index behind :class:`index.search.backend.SearchBackend`: open (recovering from
damage), write in batches, search, more like this.

Searchers are snapshots and not thread-safe: a search borrows an idle one (refreshed before
use, cheap when nothing changed) and gives it back, so no two threads use one at once. They
are shared between threads because the app searches from a new worker thread on every
keystroke, and opening a searcher on 10 segments took 250 ms, more than the search.

At most ``MAX_SEARCHERS`` are open: each maps the index's files into memory, and keystrokes
typed faster than they are answered (a loaded machine) opened one each. Six at once held
1.6 GB resident at 19,043 articles, and the idle pool kept them. A search beyond the limit
waits for a searcher to be given back.
"""

from __future__ import annotations

import gc
import pickle
import shutil
import struct
import threading
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.codec.base import Segment
from whoosh.collectors import Collector, FilterCollector
from whoosh.index import FileIndex
from whoosh.query import Query
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from index.build.procs import install_fork_hook
from index.search import querytree as qt
from index.search.backend import HIGHLIGHT_FIELDS, Hit, IndexDamaged, Results, Sort, Token
from index.search.fields import document
from index.search.fuzzy import Vocabulary
from index.search.whoosh.analysis import analyze
from index.search.whoosh.compile import to_whoosh
from index.search.whoosh.direct import best
from index.search.whoosh.direct import count as count_directly
from index.search.whoosh.mapped import install as read_segments_in_place
from index.search.whoosh.postcache import PostingCache
from index.search.whoosh.schema import SCHEMA
from index.search.whoosh.terms import TopTerms
from index.search.whoosh.termunion import term_unions
from index.search.whoosh.wordunion import expand_fuzzy
from index.store.catalogue import Analysed, disk_refused

T = TypeVar("T")
# What reading a damaged index raises: files missing or cut short, garbage where Whoosh's
# pickled and compressed structures were, Whoosh's own "no index here". Anything else is a bug
# and is not disguised as damage.
DAMAGE: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    whoosh_index.IndexError,
)


read_segments_in_place()  # not a private copy of the index per reader (see mapped.py)

MAX_SEARCHERS = 2  # open at once (see the module's docstring); the machine has two cores


class _OldSchema(IndexDamaged):
    """The index's stored schema names classes this version no longer has."""


class WhooshBackend:
    """The embedded full-text index, in ``folder`` (see :class:`SearchBackend`)."""

    name = "whoosh"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ix: FileIndex | None = None
        self._local = threading.local()  # the searcher lent to each thread, while it reads
        self._idle: list[Searcher] = []  # searchers no thread is using
        self._idle_lock = threading.Condition()  # also signals a searcher given back
        self._lent = 0  # blocks reading now (each with a searcher, or about to open one)
        # Per-field vocabularies for expanding `word~`, valid for one index generation.
        self._vocab_lock = threading.Lock()
        self._vocab_gen: int | None = None
        self._vocabs: dict[str, Vocabulary] = {}
        # Posting lists read by as-you-type searches, for the next keystroke (by segment id).
        self._postings = PostingCache()

    def open(self) -> None:
        """Open the index, creating an empty one if none exists. Raises :class:`IndexDamaged`."""
        self.index()

    def exists(self) -> bool:
        """Whether the folder holds anything (a file where the folder goes counts)."""
        folder = self.folder
        return folder.exists() and (not folder.is_dir() or any(folder.iterdir()))

    def analyze(self, text: str) -> list[Token]:
        """``text`` as the text fields index it (:func:`index.search.whoosh.analysis.analyze`)."""
        return analyze(text)

    def index(self) -> FileIndex:
        """The open Whoosh index, creating an empty one if none exists. Raises
        :class:`IndexDamaged`."""
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
            except _OldSchema as exc:  # Whoosh left the file it was reading open: gc below
                failure = str(exc)
            except IndexDamaged:
                raise
            except OSError as exc:
                if disk_refused(exc):
                    raise  # a full disk says nothing about the index: it must not be reset
                failure = f"{type(exc).__name__}: {exc}".strip()
            except DAMAGE as exc:  # truncated or missing segments
                failure = f"{type(exc).__name__}: {exc}".strip()
            if failure is not None:
                gc.collect()
        if failure is not None:
            raise IndexDamaged(failure)
        self._ix = ix
        return ix

    def _open_or_create(self) -> FileIndex:
        try:
            if not whoosh_index.exists_in(str(self.folder)):
                return whoosh_index.create_in(str(self.folder), SCHEMA)
            ix = whoosh_index.open_dir(str(self.folder))
        except (AttributeError, ImportError) as exc:
            # Whoosh pickles the schema with the path of each analyzer class: an index written
            # before a class moved (index.search.analyzer -> index.search.whoosh.analysis)
            # names one that is no longer there. Rebuilt, not a crash.
            raise _OldSchema(f"it was written by an older version ({exc})") from exc
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
        self._postings.clear()

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
        """How many articles the index holds. Raises :class:`IndexDamaged`."""
        with self._reading(), self.index().reader() as reader:
            return int(reader.doc_count())

    def writer(self, procs: int = 1) -> IndexWriter:
        """A Whoosh writer (several processes for a big build). Raises :class:`IndexDamaged`."""
        ix = self.index()
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
    ) -> None:
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

    def search(
        self,
        query: qt.Query,
        *,
        limit: int | None = 10,
        sort: Sort = "relevance",
        filters: qt.Query | None = None,
    ) -> Results:
        """The articles matching ``query`` (and ``filters``), best first or by date."""
        with self._reading():
            searcher, compiled = self._prepared(query)
            if sort == "relevance" and filters is None:
                direct = best(searcher, compiled, limit, self._postings)
                if direct is not None:
                    found, total = direct
                    return Results(
                        [Hit(d.id, d.score, _text(d.terms)) for d in found],
                        total,
                    )
            options: dict[str, Any] = {}
            if sort != "relevance":
                options = {"sortedby": "published", "reverse": sort == "newest"}
            # optimize=False: Whoosh's block-quality skipping costs more in pure Python than it
            # saves on this corpus (measured 1.5-3x slower on terms, phrases and unions alike).
            collector: Collector = TopTerms(
                searcher.collector(limit=limit, optimize=False, **options)
            )
            if filters is not None:  # outermost, as Whoosh wraps it: it sees the documents first
                collector = FilterCollector(collector, self._prepared(filters)[1])
            searcher.search_with_collector(compiled, collector)
            results = collector.results()
            hits = [
                Hit(hit["id"], float(hit.score or 0.0), _text(hit.matched_terms() or ()))
                for hit in results
            ]
            return Results(hits, len(results))

    def more_like(self, article_id: str, text: str, limit: int) -> list[tuple[str, float]]:
        """``(id, score)`` of the articles whose bodies share the most key terms of ``text``
        (the body of ``article_id``, which is left out), best first."""
        with self._reading():
            searcher = self._searcher()
            docnum = searcher.document_number(id=article_id)
            if docnum is None:
                return []
            hits = searcher.more_like(docnum, "body", text=text, top=limit, numterms=12)
            return [(hit["id"], float(hit.score or 0.0)) for hit in hits]

    def doc_frequency(self, field: str, word: str) -> int:
        """How many articles have ``word`` in ``field``."""
        with self._reading():
            return int(self._searcher().reader().doc_frequency(field, word))

    def count(self, query: qt.Query) -> int:
        """How many articles match ``query`` (unscored: cheaper than a search)."""
        with self._reading():
            searcher, compiled = self._prepared(query)
            # the search box's advice counts its words on a keystroke: from the postings
            direct = count_directly(searcher, compiled, self._postings)
            if direct is not None:
                return direct
            return sum(1 for _docnum in searcher.docs_for_query(compiled))

    def ids(self, query: qt.Query) -> list[str]:
        """The ids of every article matching ``query``, unranked (no limit, no scores)."""
        return self._docnums(query, lambda searcher, docnum: searcher.stored_fields(docnum)["id"])

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """A block that reads with a searcher lent to this thread alone (an idle one, or a new
        one: see the module's docstring), given back when the block ends. Damage found
        while reading is :class:`IndexDamaged`; the searcher is dropped after any failure,
        so the next read opens a fresh one."""
        held = getattr(self._local, "reading", False)  # an enclosing block's
        if held:
            yield
            return
        with self._idle_lock:
            while not self._idle and self._lent >= MAX_SEARCHERS:
                self._idle_lock.wait()
            self._local.searcher = self._idle.pop() if self._idle else None
            self._lent += 1
        self._local.reading = True
        try:
            yield
        except DAMAGE as exc:
            self._local.searcher = None
            raise IndexDamaged(f"{type(exc).__name__}: {exc}") from exc
        except BaseException:
            self._local.searcher = None
            raise
        finally:
            self._local.reading = False
            searcher, self._local.searcher = self._local.searcher, None
            with self._idle_lock:
                if searcher is not None:
                    self._idle.append(searcher)
                self._lent -= 1
                self._idle_lock.notify()

    def _searcher(self) -> Searcher:
        """The searcher lent to this thread (:meth:`_reading`), reopened when a commit made it
        out of date.

        Not Whoosh's ``refresh()``: it adds the segments the old reader had to the new ones,
        so after a commit merged segments, deleted and replaced articles were still found
        (twice, for a replaced one); and on a searcher opened before the first commit it
        raised TypeError.
        """
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and not searcher.up_to_date():
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self.index().searcher()
        self._local.searcher = searcher
        return searcher

    def _prepared(self, query: qt.Query) -> tuple[Searcher, Query]:
        """This thread's searcher, refreshed to the latest commit, and ``query`` in Whoosh's
        terms with its ``word~``/``word*`` expanded over that searcher's vocabulary."""
        searcher = self._searcher()
        reader = searcher.reader()
        compiled = to_whoosh(query)
        expanded = expand_fuzzy(compiled, lambda field: self._vocabulary(reader, field))
        return searcher, term_unions(expanded)

    def _docnums(self, query: qt.Query, each: Callable[[Searcher, int], T]) -> list[T]:
        with self._reading():
            searcher, compiled = self._prepared(query)
            return [each(searcher, docnum) for docnum in searcher.docs_for_query(compiled)]

    def vocabulary(self, field: str) -> Vocabulary:
        """The words of ``field`` in the current index generation (cached per generation)."""
        try:
            # Opening a reader opens every segment's files (0.2 s on a 9-segment index); the
            # generation number alone says whether the cached words are still current.
            generation = self.index().latest_generation()
        except DAMAGE as exc:  # a TOC that vanished in a concurrent commit, a damaged one
            raise IndexDamaged(f"{type(exc).__name__}: {exc}") from exc
        with self._vocab_lock:
            if generation == self._vocab_gen and field in self._vocabs:
                return self._vocabs[field]
        with self._reading(), self.index().reader() as reader:
            return self._vocabulary(reader, field)

    def _vocabulary(self, reader: IndexReader, field: str) -> Vocabulary:
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


def _text(matched: Iterable[tuple[str, bytes | str]]) -> frozenset[str]:
    """The words of matched (field, term) pairs in the fields a snippet highlights."""
    return frozenset(
        t.decode("utf-8") if isinstance(t, bytes) else str(t)
        for field, t in matched
        if field in HIGHLIGHT_FIELDS
    )


SMALL_SEGMENT = 200  # documents; segments this small are merged by the next small commit


def merge_small_segments(writer: IndexWriter, segments: list[Segment]) -> list[Segment]:
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
