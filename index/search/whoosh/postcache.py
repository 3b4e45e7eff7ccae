"""Whoosh's posting lists and field lengths as numpy arrays, kept for the next keystroke.

Typing a word searches the same indexed words keystroke after keystroke ("unio", "union",
"union b" all look up "union" and its completions), and Whoosh reads a posting list afresh each
time: the term is found in the terms table, a matcher is made, and every block is unpickled and
decoded, in Python (54 microseconds a term and segment before the first posting, measured). A
segment's postings never change (a deletion is kept apart from them, in the segment's deleted
set, and applied when scoring), so they are kept here by segment id: the arrays of a word read
once serve every later search until the segment is merged away. The cache is bounded by the
number of postings it holds; the least recently used are dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching import FilterMatcher, Matcher
from whoosh.util.numeric import byte_to_length

Ids = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
MAX_POSTINGS = 2_000_000  # kept at most (about 32 MB: an id and a weight of 8 bytes each)
MAX_LENGTHS = 1024  # (segment, field) length tables kept: all of any index (8 bytes a document)
MAX_IDS = 50_000  # stored ids of documents found kept (a hit's id is unpickled otherwise)
_NONE: tuple[Ids, Floats] = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class PostingCache:
    """Posting lists ``(ids, weights)`` and field lengths of segments, by segment id."""

    def __init__(self, max_postings: int = MAX_POSTINGS) -> None:
        self.max_postings = max_postings
        self._lock = threading.Lock()
        self._postings: OrderedDict[tuple[str, str, bytes], tuple[Ids, Floats]] = OrderedDict()
        self._held = 0
        self._lengths: OrderedDict[tuple[str, str], Floats] = OrderedDict()
        self._ids: OrderedDict[tuple[str, int], str] = OrderedDict()  # stored ids of hits
        self.reads = 0  # posting lists read from the index (not found here)

    def clear(self) -> None:
        """Forget everything (the index was reset: segment ids start over)."""
        with self._lock:
            self._postings.clear()
            self._lengths.clear()
            self._ids.clear()
            self._held = 0

    def postings(self, reader: Any, field: str, text: bytes) -> tuple[Ids, Floats]:
        """Every posting of ``text`` in ``field`` of the segment ``reader`` reads, deleted
        documents included: (document numbers in the segment, ascending; their weights)."""
        segment = _segment_id(reader)
        if segment is None:  # not a segment's reader (an empty index's): nothing to keep
            return _read(reader.postings(field, text)) if (field, text) in reader else _NONE
        key = (segment, field, text)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        # A word missing from the segment is kept too (as no postings): asking the segment's
        # terms table cost more than the scoring on a warm keystroke.
        found = _read(reader.postings(field, text)) if (field, text) in reader else _NONE
        with self._lock:
            self.reads += 1
            if key not in self._postings:
                self._postings[key] = found
                self._held += max(1, len(found[0]))
                while self._held > self.max_postings and len(self._postings) > 1:
                    _old, (ids, _w) = self._postings.popitem(last=False)
                    self._held -= max(1, len(ids))
        return found

    def stored_id(self, reader: Any, local: int) -> str:
        """The ``id`` stored with document ``local`` of the segment ``reader`` reads."""
        segment = _segment_id(reader)
        key = (segment or "", local)
        with self._lock:
            found = self._ids.get(key)
        if found is not None and segment is not None:
            return found
        found = str(reader.stored_fields(local)["id"])
        if segment is not None:
            with self._lock:
                self._ids[key] = found
                if len(self._ids) > MAX_IDS:
                    self._ids.popitem(last=False)
        return found

    def lengths(self, reader: Any, field: str) -> Floats:
        """Each document's length in ``field`` as Whoosh gives it to the scorer."""
        segment = _segment_id(reader)
        key = (segment or "", field)
        with self._lock:
            found = self._lengths.get(key)
            if found is not None and segment is not None:
                self._lengths.move_to_end(key)
                return found
        made = _lengths(reader, field)
        if segment is None:
            return made
        with self._lock:
            self._lengths[key] = made
            while len(self._lengths) > MAX_LENGTHS:
                self._lengths.popitem(last=False)
        return made


def _lengths(reader: Any, field: str) -> Floats:
    """Each document's length in ``field``, as ``doc_field_length`` gives it: read in one go
    from the segment's length column (a byte a document) where it is Whoosh's own, else asked
    document by document (300,000 calls at 100,000 articles)."""
    count = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if isinstance(perdoc, W3PerDocReader) and perdoc.has_column(_lenfield(field)):
        column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if type(column) is NumericColumn.Reader and column._typecode == "B":
        stored = min(column._count, count)
        raw = np.zeros(count, dtype=np.uint8)  # past the column's end: the default, 0
        raw[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), np.uint8)
        return _BYTE_LENGTHS[raw]
    length = reader.doc_field_length
    return np.array([length(d, field, 1) or 0 for d in range(count)], dtype=np.float64)


# Whoosh stores a length as a byte (byte_to_length); a 0 byte is no length (None, here 0)
_BYTE_LENGTHS = np.array([0.0] + [float(byte_to_length(b)) for b in range(1, 256)])


def _segment_id(reader: Any) -> str | None:
    segment = reader.segment()
    return None if segment is None else str(segment.segment_id())


def deleted(reader: Any) -> Ids | None:
    """The deleted document numbers of a segment, or None when there are none."""
    if not reader.has_deletions():
        return None
    return np.fromiter(sorted(reader.deleted_docs_set), dtype=np.int64)


def _read(postings: Matcher) -> tuple[Ids, Floats]:
    """All (ids, weights) of a posting list, block by block from Whoosh's own blocks where the
    list is Whoosh's (four method calls a posting less), deleted documents included."""
    leaf = postings.child if isinstance(postings, FilterMatcher) else postings
    ids: list[int] = []
    weights: list[float] = []
    if type(leaf) is W3LeafMatcher:
        while leaf.is_active():
            if leaf._ids is None:
                leaf._read_ids()
            if leaf._weights is None:
                leaf._read_weights()
            ids.extend(leaf._ids[leaf._i : leaf._blocklength])
            weights.extend(leaf._weights[leaf._i : leaf._blocklength])
            leaf._next_block()
    else:
        while leaf.is_active():
            ids.append(leaf.id())
            weights.append(leaf.weight())
            leaf.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
