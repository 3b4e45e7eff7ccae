"""Opening an index folder: where it is, its store, its writers' lock, and recovery.

:class:`IndexFolder` owns what opening finds: a folder that cannot be written (a temporary one
is used, and the settings say so), a damaged or outdated catalogue (set aside before anything
reads it, rebuilt by the next update), a folder in place of the lock file. What it finds is
said in its ``notices``, which the library hands to the first update's report.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from index.paths import DEFAULT_BACKEND, Settings, hide_password
from index.store.base import Store

if TYPE_CHECKING:
    from filelock import FileLock

    from index.search.backend import SearchBackend
    from index.store.postgres.connect import BuildLock
from index.store.catalogue import Catalogue
from index.store.postgres import is_postgres_url

DAMAGED_MARK = "damaged"  # holds why the catalogue was found damaged: rebuilt on next open
CHECKED_STAMP = "catalogue.checked"  # the catalogue's stamp when its structure last passed


class IndexBusy(RuntimeError):
    """Another process is writing this index."""


class StoreUnavailable(RuntimeError):
    """The store the settings name cannot be opened by this version; the message says why."""


def open_store(settings: Settings) -> Store:
    """The store of the catalogue for ``settings.backend`` (the embedded SQLite file in the
    index folder by default). Raises :class:`StoreUnavailable` for a backend this version
    cannot open; the message never shows a password."""
    if settings.backend == DEFAULT_BACKEND:
        return Catalogue(settings.index_dir / "catalogue.sqlite")
    if is_postgres_url(settings.backend):
        from index.store.postgres.catalogue import PgCatalogue
        from index.store.postgres.connect import PgConnections

        return PgCatalogue(PgConnections(settings.backend))
    raise StoreUnavailable(
        f"backend {hide_password(settings.backend)!r} is not available in this version "
        f'(use "{DEFAULT_BACKEND}" or a postgresql:// URL)'
    )


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


def read_mark(path: Path) -> str | None:
    """The reason recorded in a damage mark, or None when there is no mark."""
    try:
        return path.read_text(encoding="utf-8").strip() or "marked damaged"
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        return f"damage mark unreadable ({exc})"


def mark_damaged(index_dir: Path, reason: str) -> None:
    """Record that the catalogue in ``index_dir`` gave unreadable data: the next opening
    drops it and the next update rebuilds it, saying why."""
    (index_dir / DAMAGED_MARK).write_text(reason, encoding="utf-8")


class IndexFolder:
    """The index folder of one run and the store in it.

    ``settings`` are the run's settings with ``index_dir`` the folder actually used, so that
    the settings and the library never disagree about it.
    """

    corpus_problem: str | None
    store: Store
    found_damage: str | None
    _lock: FileLock | BuildLock | None

    def __init__(self, settings: Settings) -> None:
        self.notices: list[str] = []
        """What opening found and did, said once (by the first update's report)."""
        self.shared: str | None = None
        """The shared (PostgreSQL) database the index is in, as it may be shown; None for
        the embedded index in the folder."""
        self.waiting: Callable[[str], None] | None = None
        """Told (one line) when a build waits for another program's build to finish."""
        if is_postgres_url(settings.backend):
            self._open_shared(settings)
            return
        self.corpus_problem = corpus_problem(settings)
        # No index folder for a corpus that is not there (a typo must not leave one behind).
        if not self.corpus_problem:
            settings = replace(settings, index_dir=self._usable(settings.index_dir))
        self.settings = settings
        self.path = settings.index_dir
        self.store = open_store(settings)
        self.found_damage = None
        """Why the store was set aside; forgotten once a build has completed."""
        # Made when first taken (_writers_lock): filelock's import is 10 ms off the start of
        # an app that only reads; the folder is checked now all the same.
        self._lock_file = str(self._lock_path())
        self._lock = None
        if not self.corpus_problem:
            self._check()

    def _open_shared(self, settings: Settings) -> None:
        """A PostgreSQL database: its readers need no corpus folder (the database holds the
        articles; only a build reads one), nothing is written in the index folder, and the
        writers' lock is an advisory lock on the server."""
        from index.store.postgres.catalogue import PgCatalogue
        from index.store.postgres.connect import BuildLock

        self.corpus_problem = None
        self.settings = settings
        self.path = settings.index_dir
        store = open_store(settings)
        assert isinstance(store, PgCatalogue)
        self.store = store
        self.shared = store.shown
        self.found_damage = None
        lock = BuildLock(store.db)
        lock.on_wait = lambda message: self.waiting(message) if self.waiting else None
        self._lock = lock

    def search_backend(self) -> SearchBackend:
        """The full-text index beside the store: Whoosh in the folder, or the database's own
        (index.search.postgres) on the store's connections."""
        if self.shared is not None:
            from index.search.postgres import open_fulltext

            return open_fulltext(self.store.db)  # type: ignore[attr-defined]
        return cast("SearchBackend", _WhooshOnFirstUse(self.path / "whoosh"))

    def _usable(self, wanted: Path) -> Path:
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
            self.notices.append(
                f"cannot write the index in {wanted} ({exc.strerror or exc}); "
                f"using a temporary index in {fallback} for this run"
            )
            return fallback

    def _lock_path(self) -> Path:
        """The writers' lock file; a folder found in its place is removed (said once)."""
        path = self.path / "writer.lock"
        if path.is_dir() and not path.is_symlink():
            try:
                shutil.rmtree(path)
                self.notices.append(f"removed a folder in place of the lock file {path}")
            except OSError as exc:
                raise IndexBusy(
                    f"cannot lock the index: {path} is a folder ({exc.strerror or exc})"
                ) from exc
        return path

    @contextmanager
    def writing(self, timeout: float, busy: str) -> Iterator[None]:
        """Hold the writers' lock (shared with other processes) for the block; raises
        :class:`IndexBusy` with ``busy`` when another writer keeps it ``timeout`` seconds."""
        from filelock import Timeout

        lock = self._writers_lock()
        try:
            lock.acquire(timeout=timeout)
        except Timeout as exc:
            raise IndexBusy(busy) from exc
        try:
            yield
        finally:
            lock.release()

    def _writers_lock(self) -> FileLock | BuildLock:
        if self._lock is None:
            from filelock import FileLock

            self._lock = FileLock(self._lock_file)
        return self._lock

    def _check(self) -> None:
        """Set aside a store that cannot be read, so reading before the update is safe."""
        reason = read_mark(self.path / DAMAGED_MARK)
        if reason is None:
            reason = self.store.problem(self.path / CHECKED_STAMP)
        if reason is not None:
            self.set_aside(reason, wait=False)

    def set_aside(self, reason: str, wait: bool = True) -> None:
        """Drop a store whose content cannot be trusted; the next update rebuilds it and says
        ``reason``. While a build runs (the lock is held) the store is marked damaged instead
        (``wait``) or left to that build (at opening)."""
        if self.shared is not None:
            return  # a server has no damaged pages to set aside
        from filelock import Timeout

        lock = self._writers_lock()
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if wait:
                mark_damaged(self.path, reason)  # the next build rebuilds
            return
        try:
            self.store.drop()
            self.found_damage = reason
        finally:
            lock.release()

    def pending_damage(self) -> str | None:
        """Why the store must be rebuilt before it is trusted: damage found at opening, or
        found by a reader since (one that found it while a build held the lock left a mark,
        which that build, started before, does not answer)."""
        if self.found_damage or self.shared is not None:
            return self.found_damage
        return read_mark(self.path / DAMAGED_MARK)

    def rebuilt(self) -> None:
        """A build completed: the damage it repaired is forgotten."""
        if self.shared is None:
            (self.path / DAMAGED_MARK).unlink(missing_ok=True)
        self.found_damage = None


class _WhooshOnFirstUse:
    """The Whoosh backend of ``folder``, made when it is first used.

    Importing Whoosh takes 0.1-0.3 s, and the app's first screen (titles from the catalogue)
    does not search: the app imports it after the first titles are drawn, when it checks the
    corpus for changes. Every attribute is the backend's; the first use makes it, once, from
    whichever thread asks first.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._backend: SearchBackend | None = None
        self._making = threading.Lock()

    def _made(self) -> SearchBackend:
        backend = self._backend
        if backend is None:
            with self._making:
                if self._backend is None:
                    from index.search.whoosh import WhooshBackend

                    self._backend = WhooshBackend(self._folder)
                backend = self._backend
        return backend

    def __getattr__(self, name: str) -> Any:
        return getattr(self._made(), name)

    # isinstance(library.fulltext, WhooshBackend) holds, as it did before the deferral.
    @property  # type: ignore[misc]
    def __class__(self) -> type[Any]:
        return type(self._made())
