"""The Whoosh index: open (recovering from damage), write in batches, search.

Searchers are snapshots and not thread-safe, so each thread keeps its own and refreshes it
before a search (cheap when nothing changed).
"""

from __future__ import annotations

import gc
import shutil
import threading
import warnings
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
from whoosh.query import Query
from whoosh.writing import IndexWriter

from index.catalogue import Analysed
from index.schema import SCHEMA


class IndexDamaged(RuntimeError):
    """The index on disk cannot be used; ``str()`` says why in one line."""


class FullTextIndex:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._ix: FileIndex | None = None
        self._local = threading.local()

    def open(self) -> FileIndex:
        """Open the index, creating an empty one if none exists. Raises :class:`IndexDamaged`."""
        if self._ix is not None:
            return self._ix
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
        if self.folder.exists():
            for child in self.folder.iterdir():
                if child.is_dir():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._ix = whoosh_index.create_in(str(self.folder), SCHEMA)

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def doc_count(self) -> int:
        with self.open().reader() as reader:
            return int(reader.doc_count())

    def writer(self, procs: int = 1) -> IndexWriter:
        ix = self.open()
        if procs > 1:
            return ix.writer(procs=procs, multisegment=True, limitmb=128)
        return ix.writer(limitmb=128)

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
        a 20,000-article build quadratic. A build passes it for every batch.
        """
        writer = self.writer(procs)
        try:
            for article_id in removed_ids:
                writer.delete_by_term("id", article_id)
            for item in items:
                writer.add_document(**document(item))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=merge)

    def search(self, query: Query, limit: int) -> list[tuple[str, float, frozenset[str]]]:
        """Ranked ``(id, score, matched body/title terms)``, best first."""
        searcher = getattr(self._local, "searcher", None)
        try:
            searcher = searcher.refresh() if searcher else self.open().searcher()
            self._local.searcher = searcher
            results = searcher.search(query, limit=limit, terms=True)
            out = []
            for hit in results:
                terms = frozenset(
                    t.decode("utf-8") if isinstance(t, bytes) else str(t)
                    for field, t in (hit.matched_terms() or ())
                    if field in ("body", "title")
                )
                out.append((hit["id"], float(hit.score or 0.0), terms))
            return out
        except Exception as exc:
            self._local.searcher = None
            raise IndexDamaged(f"{type(exc).__name__}: {exc}") from exc


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
        **{field: ",".join(sorted(values)) for field, values in by_type.items()},
    }
    if a.published:
        doc["published"] = datetime(a.published.year, a.published.month, a.published.day)
    return doc
