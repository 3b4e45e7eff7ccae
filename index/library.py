"""The one entry point the CLI, the app and the tests use: a corpus with its index.

``Library`` ties the catalogue (SQLite), the full-text index (Whoosh) and the fuzzy matcher
together. It is safe to read from several threads while one worker updates it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from threading import Event as CancelFlag

from filelock import FileLock, Timeout

from index import build, paths, query
from index.build import ProgressFn, UpdateReport
from index.catalogue import Catalogue
from index.fulltext import FullTextIndex, IndexDamaged
from index.fuzzy import FuzzyIndex
from index.models import Article, ArticleInfo, Entity, Event, Mention
from index.paths import SCHEMA_VERSION, Settings
from index.searching import Searching

QueryError = query.QueryError


class IndexBusy(RuntimeError):
    """Another process is writing this index."""


class Library(Searching):
    """A corpus and its index. Create with :func:`open_library`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.notices: list[str] = []
        # Problems found while opening: reported with the first update, because the app clears
        # ``notices`` when it first loads the catalogue.
        self._opening: list[str] = []
        self._found_damage: str | None = None
        self.index_dir = self._usable_folder(settings.index_dir)
        self.catalogue = Catalogue(self.index_dir / "catalogue.sqlite")
        self.fulltext = FullTextIndex(self.index_dir / "whoosh")
        self._lock = FileLock(str(self.index_dir / "writer.lock"))
        self._check_catalogue()
        self._fuzzy: FuzzyIndex | None = None
        self._infos: list[ArticleInfo] | None = None
        self._canon: dict[str, str] | None = None
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
        try:
            schema = self.catalogue.get_meta("schema")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise
            return f"catalogue unreadable: {exc}"
        except sqlite3.DatabaseError as exc:  # not a database, malformed image
            return f"catalogue unreadable: {exc}"
        if schema is not None and schema != str(SCHEMA_VERSION):
            return f"written by schema {schema}, this version uses {SCHEMA_VERSION}"
        return None

    def _drop_catalogue(self) -> None:
        self.catalogue.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.catalogue.path}{suffix}").unlink(missing_ok=True)

    # -- building ---------------------------------------------------------------------------
    def update(
        self,
        rebuild: bool = False,
        progress: ProgressFn | None = None,
        cancel: CancelFlag | None = None,
        workers: int | None = None,
    ) -> UpdateReport:
        """Index new and changed files (all of them with ``rebuild``); recover a damaged index."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=30)
        except Timeout as exc:
            raise IndexBusy(f"another thaad-tui is updating the index in {self.index_dir}") from exc
        try:
            reason = "requested" if rebuild else self._damage()
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
            self.catalogue.set_meta("schema", str(SCHEMA_VERSION))
            if reason and reason != "requested":
                report.rebuilt = reason
                self.notices.append(f"index in {self.index_dir} was damaged ({reason}); rebuilt")
            elif rebuild:
                report.rebuilt = "requested"
            self._report_corrections()
            return report
        finally:
            self._lock.release()
            self._invalidate()
            self.notices[:0] = self._opening
            self._opening.clear()

    def _report_corrections(self) -> None:
        """The entity corrections are applied without them if broken: say so, file and line."""
        from index.corrections import Corrections

        _corrections, problem = Corrections.load(paths.corrections_path())
        if problem is not None:
            self.notices.append(str(problem))

    def _damage(self) -> str | None:
        """Why the existing index cannot be trusted, or None."""
        if self._found_damage:
            reason, self._found_damage = self._found_damage, None
            return reason
        try:
            schema = self.catalogue.get_meta("schema")
        except sqlite3.DatabaseError as exc:  # a corrupt SQLite file
            if "locked" in str(exc):
                raise
            self._drop_catalogue()
            return f"catalogue unreadable: {exc}"
        if schema is None:
            if self.catalogue.count() == 0 and not self._whoosh_files():
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

    def _whoosh_files(self) -> bool:
        folder = self.fulltext.folder
        return folder.exists() and any(folder.iterdir())

    def add(self, paths: Sequence[Path], progress: ProgressFn | None = None) -> UpdateReport:
        """Copy files into the writable corpus folder and index them."""
        target = self.settings.writable_root
        target.mkdir(parents=True, exist_ok=True)
        for path in paths:
            destination = target / path.name
            n = 1
            while destination.exists() and destination.read_bytes() != path.read_bytes():
                destination = target / f"{path.stem}-{n}{path.suffix}"
                n += 1
            shutil.copyfile(path, destination)
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

    # -- reading ----------------------------------------------------------------------------
    def articles(self) -> list[ArticleInfo]:
        """Every article without its body, sorted by date (undated last)."""
        with self._cache_lock:
            if self._infos is None:
                self._infos = self.catalogue.infos()
            return self._infos

    def article(self, article_id: str) -> Article | None:
        """One article with its body, or None if the id is unknown."""
        return self.catalogue.article(article_id)

    def resolve_id(self, prefix: str) -> str | None:
        """The article id that ``prefix`` names uniquely, or None."""
        ids = self.ids_starting(prefix)
        return ids[0] if len(ids) == 1 else None

    def ids_starting(self, prefix: str) -> list[str]:
        """Every article id beginning with ``prefix`` (all of them if it is a whole id), sorted."""
        if not prefix:
            return []
        return sorted(i.id for i in self.articles() if i.id.startswith(prefix))

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
        from index.entities import canonical_map  # the extractor's import is slow: only on use

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

    def articles_with_entity(self, name: str) -> list[str]:
        """Ids of the articles that mention the entity (by its canonical name)."""
        return self.catalogue.articles_with_entity(name)

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
        return sorted(events, key=lambda e: (e.date, e.kind != "published", e.article, e.start))


def open_library(settings: Settings) -> Library:
    """A :class:`Library` for the resolved settings (nothing is built until ``update``)."""
    return Library(settings)
