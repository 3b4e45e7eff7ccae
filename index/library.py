"""The one entry point the CLI, the app and the tests use: a corpus with its index.

``Library`` ties the catalogue (SQLite), the search backend (:mod:`index.search.backend`;
Whoosh by default) and the fuzzy matcher together. It is safe to read from several threads while
one worker updates it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from threading import Event as CancelFlag
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout

from index import paths
from index.build import builder as build
from index.build.builder import ProgressFn, UpdateReport
from index.models import Article, ArticleInfo, Bookmark, Entity, Event, Mention
from index.paths import SCHEMA_VERSION, Settings
from index.search import query
from index.search.backend import IndexDamaged, SearchBackend
from index.search.fuzzy import FuzzyIndex
from index.search.searching import Searching
from index.search.whoosh import WhooshBackend
from index.store.catalogue import Catalogue, CatalogueDamaged, disk_refused
from index.store.quoteindex import CitedQuote, quote_counts, read_quotes

if TYPE_CHECKING:
    from index.ingest.adding import AddPlan

QueryError = query.QueryError


class IndexBusy(RuntimeError):
    """Another process is writing this index."""


class CorpusUnavailable(RuntimeError):
    """The corpus folder is missing, is a file, or cannot be read; the message says which."""


def corpus_problem(settings: Settings) -> str | None:
    """Why the chosen corpus cannot be read (one line), or None.

    The user's own corpus folder beside the shipped seeds is made by the first ``add``, so its
    absence is no problem; a folder the user named is.
    """
    for root in settings.corpus_roots:
        if root == settings.writable_root and len(settings.corpus_roots) > 1:
            continue
        if not root.exists():
            return f"corpus folder {root} does not exist"
        if not root.is_dir():
            return f"corpus {root} is a file, not a folder: give the folder that holds it"
        try:
            with os.scandir(root) as entries:
                next(entries, None)
        except OSError as exc:
            return f"cannot read corpus folder {root}: {(exc.strerror or str(exc)).lower()}"
    return None


class IndexWriteError(RuntimeError):
    """The disk refused to store the index (full, over quota); the index keeps what it had."""


class Library(Searching):
    """A corpus and its index. Create with :func:`open_library`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.notices: list[str] = []
        # Problems found while opening: reported with the first update, because the app clears
        # ``notices`` when it first loads the catalogue.
        self._opening: list[str] = []
        self._found_damage: str | None = None
        self.corpus_problem = corpus_problem(settings)
        # No index folder for a corpus that is not there (a typo must not leave one behind).
        self.index_dir = (
            settings.index_dir if self.corpus_problem else self._usable_folder(settings.index_dir)
        )
        self.catalogue = Catalogue(self.index_dir / "catalogue.sqlite")
        self.fulltext: SearchBackend = WhooshBackend(self.index_dir / "whoosh")
        self._lock = FileLock(str(self._lock_path()))
        if not self.corpus_problem:
            self._check_catalogue()
        self._fuzzy: FuzzyIndex | None = None
        self._infos: list[ArticleInfo] | None = None
        self._canon: dict[str, str] | None = None
        self._located: dict[tuple, tuple[str, str | None, int | None]] = {}
        self._cache_lock = threading.Lock()

    # -- opening ----------------------------------------------------------------------------
    def _usable_folder(self, wanted: Path) -> Path:
        """``wanted`` if the index can be written there, else a temporary folder (said once)."""
        try:
            wanted.mkdir(parents=True, exist_ok=True)
            # Permission bits say nothing when running as root or on a read-only mount: try it.
            fd, probe = tempfile.mkstemp(prefix=".probe-", dir=wanted)
            os.close(fd)
            os.unlink(probe)
            return wanted
        except OSError as exc:
            fallback = Path(tempfile.mkdtemp(prefix="thaad-tui-index-"))
            atexit.register(shutil.rmtree, fallback, True)
            self._opening.append(
                f"cannot write the index in {wanted} ({exc.strerror or exc}); "
                f"using a temporary index in {fallback} for this run"
            )
            return fallback

    def recover(self, reason: str) -> None:
        """Set aside a catalogue whose content proved unreadable while reading (damaged text
        that the structure check at opening cannot see); the next :meth:`update` rebuilds the
        index and says ``reason``."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            mark_damaged(self.index_dir, reason)  # a build is running: the next one rebuilds
            return
        try:
            self._drop_catalogue()
            self._found_damage = reason
        finally:
            self._lock.release()
        self._invalidate()

    def _lock_path(self) -> Path:
        """The writers' lock file; a folder found in its place is removed (said once)."""
        path = self.index_dir / "writer.lock"
        if path.is_dir() and not path.is_symlink():
            try:
                shutil.rmtree(path)
                self._opening.append(f"removed a folder in place of the lock file {path}")
            except OSError as exc:
                raise IndexBusy(
                    f"cannot lock the index: {path} is a folder ({exc.strerror or exc})"
                ) from exc
        return path

    def _check_catalogue(self) -> None:
        """Set aside a catalogue that cannot be read, so reading before the update is safe."""
        reason = self._catalogue_problem()
        if reason is None:
            return
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return  # another process is rebuilding it right now
        try:
            self._drop_catalogue()
            self._found_damage = reason
        finally:
            self._lock.release()

    def _catalogue_problem(self) -> str | None:
        marked = _read_mark(self.index_dir / DAMAGED_MARK)
        if marked is not None:
            return marked
        try:
            stored = self.catalogue.stored_schema()
            if stored is not None and stored != str(SCHEMA_VERSION):
                return f"written by schema {stored}, this version uses {SCHEMA_VERSION}"
            schema = self.catalogue.get_meta("schema")
            if schema is not None and schema != str(SCHEMA_VERSION):
                return f"written by schema {schema}, this version uses {SCHEMA_VERSION}"
            return self._checked_structure()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise
            if disk_refused(exc):
                return None  # a full disk says nothing of the content: keep it (see update)
            return f"catalogue unreadable: {exc}"
        except sqlite3.DatabaseError as exc:  # not a database, malformed image
            return f"catalogue unreadable: {exc}"

    def _checked_structure(self) -> str | None:
        """SQLite's own check of every page, skipped while the file is as it was last checked
        (the check reads the whole file: a quarter of a second at 20,000 articles)."""
        stamp_file = self.index_dir / CHECKED_STAMP
        stamp = self._stamp()
        if stamp is None or _read_mark(stamp_file) == stamp:
            return None
        problem = self.catalogue.quick_check()
        if problem is None:
            with suppress(OSError):  # a stamp not written only costs a check next time
                stamp_file.write_text(stamp, encoding="utf-8")
        return problem

    def _stamp(self) -> str | None:
        """The catalogue file's size and modification time, and its write-ahead log's size."""
        try:
            st = os.stat(self.catalogue.path)
        except OSError:
            return None
        try:
            wal = os.stat(f"{self.catalogue.path}-wal").st_size
        except OSError:
            wal = 0
        return f"{st.st_size} {st.st_mtime_ns} {wal}"

    def _drop_catalogue(self) -> None:
        self.catalogue.discard()
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{self.catalogue.path}{suffix}")
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)  # something put a folder where the file goes
            else:
                path.unlink(missing_ok=True)

    # -- building ---------------------------------------------------------------------------
    def update(
        self,
        rebuild: bool = False,
        progress: ProgressFn | None = None,
        cancel: CancelFlag | None = None,
        workers: int | None = None,
    ) -> UpdateReport:
        """Index new and changed files (all of them with ``rebuild``); recover a damaged index.

        Raises :class:`CorpusUnavailable` when the corpus folder cannot be read.
        """
        if self.corpus_problem:
            raise CorpusUnavailable(self.corpus_problem)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=30)
        except Timeout as exc:
            raise IndexBusy(f"another thaad-tui is updating the index in {self.index_dir}") from exc
        try:
            try:
                return self._update(rebuild, progress, cancel, workers)
            except CatalogueDamaged as exc:
                # Damaged text read during the update (the structure check cannot see it).
                self._drop_catalogue()
                self._found_damage = f"catalogue unreadable: {exc}"
                return self._update(rebuild, progress, cancel, workers)
        except (OSError, sqlite3.Error) as exc:
            why = disk_refused(exc) or self.catalogue.read_only
            if why is None:
                raise
            raise IndexWriteError(
                f"cannot write the index in {self.index_dir}: {why}; it keeps what it had "
                "(free some space, then run `thaad-tui index`)"
            ) from exc
        finally:
            self._lock.release()
            self._invalidate()
            self.notices[:0] = self._opening
            self._opening.clear()

    def _previous_version(self) -> str | None:
        """For a new index in the default place: whether the previous version left one (its
        folder name carries its schema), said like a schema change."""
        default = paths.default_index_dir(self.settings.corpus_roots)
        if self.index_dir != default:
            return None
        for version in range(SCHEMA_VERSION - 1, 0, -1):
            if (default.parent.parent / f"index-v{version}" / default.name).exists():
                return f"written by schema {version}, this version uses {SCHEMA_VERSION}"
        return None

    def _update(
        self,
        rebuild: bool,
        progress: ProgressFn | None,
        cancel: CancelFlag | None,
        workers: int | None,
    ) -> UpdateReport:
        """One update under the writers' lock (see :meth:`update`)."""
        reason = "requested" if rebuild else self._damage()
        if not reason and self.catalogue.get_meta("schema") is None:
            reason = self._previous_version()  # a new default folder, one per schema
        if reason:
            self.fulltext.reset()
            self.catalogue.clear()
            self.catalogue.set_meta("schema", str(SCHEMA_VERSION))
        report = build.run(
            self.settings.corpus_roots,
            self.catalogue,
            self.fulltext,
            progress,
            cancel,
            force=bool(reason),
            workers=workers,
        )
        if self.catalogue.get_meta("schema") != str(SCHEMA_VERSION):
            self.catalogue.set_meta("schema", str(SCHEMA_VERSION))
        if reason:
            (self.index_dir / DAMAGED_MARK).unlink(missing_ok=True)
            self._found_damage = None
        if reason and reason.startswith("written by schema"):
            report.rebuilt = reason
            self.notices.append(
                f"index in {self.index_dir} rebuilt once: the previous one was {reason}. "
                "Article ids now come from the article (its URL, else its text), not from "
                "its file; bookmarks with an old id are found again by their passage"
            )
        elif reason and reason != "requested":
            report.rebuilt = reason
            self.notices.append(f"index in {self.index_dir} was damaged ({reason}); rebuilt")
        elif rebuild:
            report.rebuilt = "requested"
        self._report_corrections()
        return report

    def _report_corrections(self) -> None:
        """The entity corrections are applied without them if broken: say so, file and line."""
        from index.store.corrections import Corrections

        _corrections, problem = Corrections.load(paths.corrections_path())
        if problem is not None:
            self.notices.append(str(problem))

    def _damage(self) -> str | None:
        """Why the existing index cannot be trusted, or None."""
        if self._found_damage:
            return self._found_damage  # forgotten once a build has completed (see _update)
        try:
            schema = self.catalogue.get_meta("schema")
        except sqlite3.DatabaseError as exc:  # a corrupt SQLite file
            if "locked" in str(exc) or disk_refused(exc):
                raise
            self._drop_catalogue()
            return f"catalogue unreadable: {exc}"
        if schema is None:
            if self.catalogue.count() == 0 and not self.fulltext.exists():
                return None  # a new index
            return "an earlier build stopped before it was recorded"
        if schema != str(SCHEMA_VERSION):
            return f"written by schema {schema}, this version uses {SCHEMA_VERSION}"
        try:
            docs = self.fulltext.doc_count()
        except IndexDamaged as exc:
            return str(exc)
        if docs != self.catalogue.count():
            return f"full-text index has {docs} documents, catalogue {self.catalogue.count()}"
        return None

    def add(self, paths: Sequence[Path], progress: ProgressFn | None = None) -> UpdateReport:
        """Copy files into the writable corpus folder and index them.

        Raises :class:`~index.ingest.adding.AddRefused`, before copying anything, if a file cannot
        be indexed; files already in the corpus are not copied. What was done with each file
        that was not simply copied is said in :attr:`notices`; articles the corpus holds
        already are reported as duplicates by the update.
        """
        plan = self.plan_add(paths)
        self.notices.extend(plan.notes)
        return self.add_planned(plan, progress)

    def plan_add(self, paths: Sequence[Path]) -> AddPlan:
        """What :meth:`add` would copy, and why it leaves the other files; nothing is copied.
        Raises :class:`~index.ingest.adding.AddRefused` if a file cannot be added."""
        from index.ingest.adding import plan_add  # reads the ingest module: only when adding

        return plan_add(paths, self.settings.corpus_roots, self.settings.writable_root)

    def add_planned(self, plan: AddPlan, progress: ProgressFn | None = None) -> UpdateReport:
        """Make the copies of a :meth:`plan_add` and index them."""
        from index.ingest.adding import copy_planned

        copy_planned(plan)
        self.corpus_problem = corpus_problem(self.settings)
        return self.update(progress=progress)

    def refresh_entities(self) -> None:
        """Re-aggregate entities after the user corrected one (no re-analysis needed)."""
        try:
            self._lock.acquire(timeout=30)
        except Timeout as exc:
            raise IndexBusy(f"the index in {self.index_dir} is being updated; try again") from exc
        try:
            build.refresh_entities(self.catalogue)
        finally:
            self._lock.release()
        self._invalidate()

    def warm(self) -> None:
        """Build the search caches now (the matcher and the body vocabulary, about a second at
        20,000 articles) so that the first keystroke of a search does not pay for them."""
        self._fuzzy_snapshot()[1].surface.written("")
        with suppress(IndexDamaged):
            for field in ("body", "title", "joined"):
                self.fulltext.vocabulary(field)

    def reload(self) -> None:
        """Forget cached lists, so the next read sees what another thread or process wrote."""
        self._invalidate()

    def _invalidate(self) -> None:
        with self._cache_lock:
            self._fuzzy = None
            self._infos = None
            self._canon = None
            self._located.clear()

    # -- reading ----------------------------------------------------------------------------
    def articles(self) -> list[ArticleInfo]:
        """Every article without its body, sorted by date (undated last)."""
        if self.corpus_problem:
            return []
        with self._cache_lock:
            if self._infos is None:
                self._infos = self.catalogue.infos()
            return self._infos

    def article(self, article_id: str) -> Article | None:
        """One article with its body, or None if the id is unknown."""
        return None if self.corpus_problem else self.catalogue.article(article_id)

    def resolve_id(self, prefix: str) -> str | None:
        """The article id that ``prefix`` names uniquely, or None."""
        ids = self.ids_starting(prefix)
        return ids[0] if len(ids) == 1 else None

    def ids_starting(self, prefix: str) -> list[str]:
        """Every article id beginning with ``prefix`` (all of them if it is a whole id), sorted."""
        if not prefix:
            return []
        return sorted(i.id for i in self.articles() if i.id.startswith(prefix))

    def locate_bookmark(self, bookmark: Bookmark) -> tuple[str, str | None, int | None]:
        """Where a bookmark's passage is now: ``(status, article id, 1-based paragraph)``.

        Its own article first (see :func:`index.notes.notebook.locate`). When that id has left the
        corpus (the article was edited, or the bookmark predates the current ids), the passage
        is looked for across the corpus before the bookmark is called ``"missing"``; found
        elsewhere, it is ``"moved"`` with the article that holds it now.
        """
        from index.notes.notebook import locate

        if self.corpus_problem:
            return "missing", None, None
        article = self.article(bookmark.article)
        status, paragraph = locate(bookmark, article)
        if status != "missing" or article is not None:
            return status, bookmark.article if status != "missing" else None, paragraph
        if not self.catalogue.count():  # not built yet: searching would create an empty index
            return "missing", None, None
        key = (bookmark.article, bookmark.paragraph, bookmark.passage_hash, bookmark.text)
        found = self._located.get(key)
        if found is None:
            found = "missing", None, None
            for candidate in self._passage_candidates(bookmark.text):
                status, paragraph = locate(bookmark, self.article(candidate))
                if status != "missing":
                    found = "moved", candidate, paragraph
                    break
            self._located[key] = found  # until the index changes (see _invalidate)
        return found

    def article_paths(self) -> dict[str, Path]:
        """Each article's source file (a JSON Lines file for its articles), by id."""
        return self.catalogue.sources()

    def mentions(self, article_id: str) -> list[Mention]:
        """The article's mentions, named by the corpus entity each belongs to.

        Names are the ones :meth:`entities` shows (after merges and renames), so a mention
        matches the entity filter; mentions of entities the user hid are left out.
        """
        mentions = self.catalogue.mentions(article_id)
        if not self.catalogue.has_entities():
            return mentions  # entities not aggregated yet (first build still running)
        canon = self.catalogue.canonical_for(m.name for m in mentions)
        out = []
        for m in mentions:
            name = canon.get(m.name)
            if name is not None:
                out.append(m if name == m.name else replace(m, name=name))
        return out

    def canonical_names(self) -> dict[str, str]:
        """Every entity name and alias -> the name of the entity it belongs to now."""
        from index.analysis.entities import (
            canonical_map,
        )  # the extractor's import is slow: only on use

        with self._cache_lock:
            if self._canon is None:
                # Names and aliases only: the article lists of every entity are not needed.
                self._canon = canonical_map(
                    [
                        Entity(name, "other", aliases, (), 0)
                        for name, aliases in self.catalogue.entity_aliases()
                    ]
                )
            return self._canon

    def entities(self, article_id: str | None = None, limit: int | None = None) -> list[Entity]:
        """Corpus-wide entities (the ``limit`` most mentioned, if given), or those of one
        article (with that article's counts)."""
        if article_id is None:
            return self.catalogue.entities(limit)
        rows = self.catalogue.article_entities(article_id)
        # Only this article's entities: loading all 60,000 of a big corpus took 0.4 s per open.
        by_name = self.catalogue.entities_named(name for name, _kind, _count in rows)
        out = []
        for name, kind, count in rows:
            e = by_name.get(name)
            aliases = e.aliases if e else ()
            out.append(Entity(name, kind, aliases, (article_id,), count))  # type: ignore[arg-type]
        return out

    def entities_among(self, article_ids: Iterable[str], limit: int | None = None) -> list[Entity]:
        """Entities of the articles ``article_ids`` (what a search and filters show), counted
        over those articles only: ``mentions`` and ``articles`` are theirs, not the corpus's."""
        ids = list(article_ids)
        rows = self.catalogue.entity_counts_among(ids, limit)
        by_name = self.catalogue.entities_named(name for name, _kind, _n, _count in rows)
        shown = set(ids)
        out = []
        for name, kind, mentions, _count in rows:
            e = by_name.get(name)
            aliases = e.aliases if e else ()
            articles = tuple(a for a in e.articles if a in shown) if e else ()
            out.append(Entity(name, kind, aliases, articles, mentions))  # type: ignore[arg-type]
        return out

    def articles_with_entity(self, name: str) -> list[str]:
        """Ids of the articles that mention the entity (by its canonical name)."""
        return self.catalogue.articles_with_entity(name)

    def quotes(self, speaker: str | None = None, article: str | None = None) -> list[CitedQuote]:
        """Who said what: quotes in publication order, optionally by one speaker (an entity's
        name or alias, or part of a role) or of one article (see index/store/quoteindex.py)."""
        return read_quotes(self.catalogue, self.canonical_names(), speaker, article)

    def quote_counts(self) -> Counter[str]:
        """Quotes per speaker (entity name after corrections, or role)."""
        return quote_counts(self.catalogue, self.canonical_names())

    def timeline(self, entity: str | None = None) -> list[Event]:
        """Publication dates and dated events, chronologically; optionally for one entity."""
        events = self.catalogue.events()
        if entity is not None:
            ids = set(self.articles_with_entity(entity))
            # Events keep the extractor's names; compare the entities they belong to now,
            # so a renamed or merged entity keeps its events.
            canon = self.canonical_names()
            folded = canon.get(entity, entity).lower()
            events = [
                e
                for e in events
                if any(canon.get(n, n).lower() == folded for n in e.entities)
                or (e.kind == "published" and e.article in ids)
            ]
        ordered = sorted(events, key=lambda e: (e.date, e.kind != "published", e.article, e.start))
        from index.analysis.events import group_background  # date rules: not for start-up

        return group_background(ordered)


DAMAGED_MARK = "damaged"  # holds why the catalogue was found damaged: rebuilt on next open
CHECKED_STAMP = "catalogue.checked"  # the catalogue's stamp when its structure last passed


def _read_mark(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or "marked damaged"
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return f"damage mark unreadable ({exc})"


def mark_damaged(index_dir: Path, reason: str) -> None:
    """Record that the catalogue in ``index_dir`` gave unreadable data: the next
    :func:`open_library` drops it and the next update rebuilds it, saying why."""
    (index_dir / DAMAGED_MARK).write_text(reason, encoding="utf-8")


def open_library(settings: Settings) -> Library:
    """A :class:`Library` for the resolved settings (nothing is built until ``update``)."""
    return Library(settings)
