"""The library's writes: update, add, re-aggregate entities, all under the writers' lock.

Only one process writes an index at a time (:meth:`IndexFolder.writing`); readers go on
reading what was committed. What an update found worth saying (an index rebuilt, broken
corrections, what opening found) is in its report's ``notices``: a return value, not state
that a caller has to clear.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from threading import Event as CancelFlag
from typing import TYPE_CHECKING

from index.build import builder as build
from index.build.builder import ProgressFn, UpdateReport
from index.paths import IDS_FROM_ARTICLES, SCHEMA_VERSION, Settings
from index.search.backend import IndexDamaged, SearchBackend
from index.store.base import Store
from index.store.catalogue import CatalogueDamaged
from index.store.opening import IndexFolder, corpus_problem

if TYPE_CHECKING:
    from pathlib import Path

    from index.ingest.adding import AddPlan
    from index.store.corrections import Change
    from index.store.postgres.corrections import SharedCorrections


class CorpusUnavailable(RuntimeError):
    """The corpus folder is missing, is a file, or cannot be read; the message says which."""


class IndexWriteError(RuntimeError):
    """The disk refused to store the index (full, over quota); the index keeps what it had."""


class Writing:
    """The write part of :class:`index.library.Library` (see there)."""

    settings: Settings
    folder: IndexFolder
    catalogue: Store
    fulltext: SearchBackend

    if TYPE_CHECKING:  # Caches' (index/store/caches.py)

        def _invalidate(self) -> None: ...

    lock_wait = 30.0  # seconds a build waits for another one to finish

    @property
    def _where(self) -> str:
        """Where the index is, as messages name it (a database without its password)."""
        return self.folder.shared or str(self.folder.path)

    @property
    def index_dir(self) -> Path:
        """The index folder in use (``settings.index_dir``: a temporary one if the chosen one
        could not be written)."""
        return self.folder.path

    def update(
        self,
        rebuild: bool = False,
        progress: ProgressFn | None = None,
        cancel: CancelFlag | None = None,
        workers: int | None = None,
        build_shared: bool = False,
    ) -> UpdateReport:
        """Index new and changed files (all of them with ``rebuild``); recover a damaged index.

        A shared (PostgreSQL) index is only built with ``build_shared`` (``thaad-tui index``
        and ``add``): the app and the other commands read the database as its builder left it.

        The report's ``notices`` say what the user should know (the index was rebuilt and
        why, broken corrections, and, on the first update, what opening found).
        Raises :class:`CorpusUnavailable` when the corpus folder cannot be read.
        """
        if self.folder.shared is not None:
            if not build_shared:
                return UpdateReport()  # readers do not build (nor read: the app reads next)
            problem = corpus_problem(self.settings)
            if problem:
                raise CorpusUnavailable(problem)
        elif self.folder.corpus_problem:
            raise CorpusUnavailable(self.folder.corpus_problem)
        else:
            self.index_dir.mkdir(parents=True, exist_ok=True)
        busy = f"another thaad-tui is updating the index in {self._where}"
        self._keep_gazetteer()
        with self.folder.writing(self.lock_wait, busy):
            try:
                try:
                    report = self._update(rebuild, progress, cancel, workers)
                except CatalogueDamaged as exc:
                    # Damaged text read during the update (the structure check cannot see it).
                    self.catalogue.drop()
                    self.folder.found_damage = f"catalogue unreadable: {exc}"
                    report = self._update(rebuild, progress, cancel, workers)
            except Exception as exc:
                why = self.catalogue.write_refused(exc)
                if why is None:
                    raise
                raise IndexWriteError(
                    f"cannot write the index in {self._where}: {why}; it keeps what it had "
                    "(free some space, then run `thaad-tui index`)"
                ) from exc
            finally:
                self._invalidate()
        # What opening found is said once, first, by the update that succeeds.
        report.notices[:0] = self.folder.notices
        self.folder.notices.clear()
        return report

    def recover(self, reason: str) -> None:
        """Set aside a catalogue whose content proved unreadable while reading (damaged text
        that the structure check at opening cannot see); the next :meth:`update` rebuilds the
        index and says ``reason``."""
        self.folder.set_aside(reason)
        self._invalidate()

    def _keep_gazetteer(self) -> None:
        """Builds and adds keep the built gazetteer in the run's cache folder (imported here,
        not at opening: the entity package is the build's, not the first screen's)."""
        from index.analysis.entities import gazcache

        gazcache.use_folder(self.settings.cache_dir)

    def _previous_version(self) -> str | None:
        """For a new index in the default place: whether the previous version left one (its
        folder name carries its schema), said like a schema change."""
        default = self.settings.default_index_dir
        if self.index_dir != default or self.folder.shared is not None:
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
        if self.folder.shared is not None:
            self._same_corpus(rebuild)
        # A requested rebuild of a shared database replaces each file's rows in its own
        # batch: its readers go on seeing the last committed articles, never an empty table.
        if reason and not (self.folder.shared is not None and reason == "requested"):
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
            workers=workers or self.settings.workers,
            corrections=self.settings.corrections_path,
        )
        if self.catalogue.get_meta("schema") != str(SCHEMA_VERSION):
            self.catalogue.set_meta("schema", str(SCHEMA_VERSION))
        if reason:
            self.folder.rebuilt()
        if reason and reason.startswith("written by schema"):
            report.rebuilt = reason
            said = f"index in {self._where} rebuilt once: the previous one was {reason}"
            if _schema_of(reason) < IDS_FROM_ARTICLES:
                said += (
                    ". Article ids now come from the article (its URL, else its text), not "
                    "from its file; bookmarks with an old id are found again by their passage"
                )
            report.notices.append(said)
        elif reason and reason != "requested":
            report.rebuilt = reason
            report.notices.append(f"index in {self._where} was damaged ({reason}); rebuilt")
        elif rebuild:
            report.rebuilt = "requested"
        report.notices.extend(self._corrections_problems())
        return report

    def _same_corpus(self, rebuild: bool) -> None:
        """Refuse to build a shared database from another corpus than the one it holds: the
        build would remove every article the other folder has (``--rebuild`` replaces it)."""
        roots = json.dumps([build.root_label(r) for r in self.settings.corpus_roots])
        stored = self.catalogue.get_meta("corpus")
        if stored is not None and stored != roots and not rebuild and self.catalogue.count():
            held = ", ".join(json.loads(stored))
            raise CorpusUnavailable(
                f"the database {self._where} holds the corpus of {held}: build it with "
                "--corpus set to that folder, or give --rebuild to replace it with this one"
            )
        if stored != roots:
            self.catalogue.set_meta("corpus", roots)

    def _corrections_problems(self) -> list[str]:
        """The entity corrections are applied without them if broken: say so, file and line."""
        if self.folder.shared is not None:
            return []  # the database's corrections table has no syntax to break
        from index.store.corrections import Corrections

        _corrections, problem = Corrections.load(self.settings.corrections_path)
        return [str(problem)] if problem is not None else []

    def _damage(self) -> str | None:
        """Why the existing index cannot be trusted, or None."""
        damage = self.folder.pending_damage()
        if damage:
            return damage  # forgotten once a build has completed
        try:
            schema = self.catalogue.get_meta("schema")
        except CatalogueDamaged as exc:  # a corrupt file (a locked one is not caught)
            self.catalogue.drop()
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
        that was not simply copied is said first in the report's ``notices``; articles the
        corpus holds already are reported as duplicates by the update.
        """
        plan = self.plan_add(paths)
        report = self.add_planned(plan, progress)
        report.notices[:0] = plan.notes
        return report

    def plan_add(self, paths: Sequence[Path]) -> AddPlan:
        """What :meth:`add` would copy, and why it leaves the other files; nothing is copied.
        Raises :class:`~index.ingest.adding.AddRefused` if a file cannot be added."""
        from index.ingest.adding import plan_add  # reads the ingest module: only when adding

        return plan_add(paths, self.settings.corpus_roots, self.settings.writable_root)

    def add_planned(self, plan: AddPlan, progress: ProgressFn | None = None) -> UpdateReport:
        """Make the copies of a :meth:`plan_add` and index them."""
        from index.ingest.adding import copy_planned

        copy_planned(plan)
        if self.folder.shared is None:
            self.folder.corpus_problem = corpus_problem(self.settings)
        return self.update(progress=progress, build_shared=True)

    def refresh_entities(self) -> None:
        """Re-aggregate entities after the user corrected one (no re-analysis needed)."""
        busy = f"the index in {self._where} is being updated; try again"
        with self.folder.writing(30, busy):
            build.refresh_entities(self.catalogue, None, self.settings.corrections_path)
        self._invalidate()

    # -- entity corrections -------------------------------------------------------------------
    @property
    def corrections_place(self) -> str:
        """Where corrections are saved, as a message names it: the user's file, or the shared
        database (where every user of it sees them)."""
        if self.folder.shared is not None:
            return f"the shared database {self.folder.shared}"
        return str(self.settings.corrections_path)

    def shared_corrections(self) -> SharedCorrections:
        """The corrections table of the shared database, recorded as this user
        (``Settings.user``, else the OS login)."""
        from index.store.postgres.corrections import SharedCorrections, user_name

        db = self.catalogue.db  # type: ignore[attr-defined]
        return SharedCorrections(db, self.settings.user or user_name())

    def record_corrections(self, items: Sequence[tuple[str, str, str]]) -> Change:
        """Record entity corrections ``(action, name, value)`` as one change, for
        :meth:`undo_corrections`; raises :class:`~index.store.corrections.CorrectionError`
        (nothing recorded). Call :meth:`refresh_entities` to see them applied."""
        if self.folder.shared is not None:
            return self.shared_corrections().record_many(items)
        from index.store.corrections import record_many

        return record_many(self.settings.corrections_path, items)

    def undo_corrections(self, change: Change) -> None:
        """Put back what :meth:`record_corrections` changed (later corrections stay)."""
        if self.folder.shared is not None:
            self.shared_corrections().undo(change)
            return
        from index.store.corrections import undo

        undo(self.settings.corrections_path, change)


def _schema_of(reason: str) -> int:
    """The schema named by a ``"written by schema N, ..."`` reason (0 when it is not a number:
    a file from before schemas were numbered, or not ours)."""
    word = reason.removeprefix("written by schema ").split(",", 1)[0]
    return int(word) if word.isdigit() else 0
