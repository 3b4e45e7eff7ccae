"""Every location and option of a run, in one place: :class:`Settings`.

Each value can be set by a CLI flag, an environment variable, or the config file, in that
order of precedence, and otherwise has a default (folders from ``platformdirs``). The
environment is read here only, by :func:`load_settings`; the rest of the code is given the
:class:`Settings` (or the one path it needs). Nothing is created at import time: folders are
made when first written to.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

import corpus
from index.ingest.fsnames import hashable, shown
from index.store.yamlfile import load_yaml

APP_NAME = "thaad-tui"
# 3: ids from the article (URL or text), not its file; duplicates.
# 4: joined names and Hangul/Han bigrams in the full-text index; events read with
#    per-clause tense, week and season precision.
# 5: quotes (who said what) in the catalogue; a speaker: field in the full-text index.
# 6: near-duplicate copies (index.analysis.copies: LSH bands and copy pairs in the catalogue).
# 7: the Whoosh analyser moved to index/search/whoosh/analysis.py: Whoosh unpickles its schema
#    by the class's old module path, so an index written before cannot be opened; it is rebuilt.
SCHEMA_VERSION = 7
IDS_FROM_ARTICLES = 3
"""The schema since which article ids come from the article (its URL or text), not its file."""

ENV_CORPUS = "THAAD_TUI_CORPUS"
ENV_INDEX_DIR = "THAAD_TUI_INDEX_DIR"
ENV_NOTES = "THAAD_TUI_NOTES"
ENV_CONFIG = "THAAD_TUI_CONFIG"
ENV_DATA_DIR = "THAAD_TUI_DATA_DIR"
ENV_CACHE_DIR = "THAAD_TUI_CACHE_DIR"
ENV_BACKEND = "THAAD_TUI_BACKEND"

DEFAULT_BACKEND = "whoosh"
"""The embedded index: a SQLite catalogue and a Whoosh full-text index in the index folder."""


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _workers(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _backend(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value if value == DEFAULT_BACKEND or value.startswith("postgresql://") else None


# The config file's keys: what each must be (said when a value is refused), and its check.
_Check = Callable[[object], object]
CONFIG_KEYS: dict[str, tuple[str, _Check]] = {
    "corpus": ("the path of a folder (text)", _text),
    "index_dir": ("the path of a folder (text)", _text),
    "notes": ("the path of a file (text)", _text),
    "data_dir": ("the path of a folder (text)", _text),
    "cache_dir": ("the path of a folder (text)", _text),
    "backend": (f'"{DEFAULT_BACKEND}" or a postgresql:// URL', _backend),
    "theme": ("the name of a theme (text)", _text),
    "workers": ("a whole number of processes, 1 or more", _workers),
    "user": ("a user name (text)", _text),
}


def hide_password(value: str) -> str:
    """``value`` with the password of a URL (``scheme://user:secret@host``) replaced by ***."""
    scheme, sep, rest = value.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not (sep and at and ":" in userinfo):
        return value
    return f"{scheme}://{userinfo.split(':', 1)[0]}:***@{host}"


def load_config(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The config file at ``path`` and one line per problem found in it.

    A file that cannot be read or parsed is ignored as a whole. A value of the wrong kind
    (``corpus: 5``) is dropped, and its line names the file, the key and what it must be. A
    key this version does not know is dropped with a warning naming the key and the file
    (usually a misspelling, which would otherwise be silently without effect).
    """
    config, problem = load_yaml(path)
    problems = [str(problem)] if problem else []
    for key in list(config):
        if key not in CONFIG_KEYS:
            known = ", ".join(CONFIG_KEYS)
            problems.append(f"{path}: unknown key {str(key)!r} ignored (known keys: {known})")
            del config[key]
            continue
        what, check = CONFIG_KEYS[key]
        value = config[key]
        if value is not None and check(value) is None:
            text = hide_password(value) if isinstance(value, str) else repr(value)
            seen = repr(text) if isinstance(value, str) else text
            seen = seen if len(seen) <= 40 else seen[:37] + "..."
            problems.append(
                f"{path}: '{key}' must be {what}, not {type(value).__name__} {seen}; value ignored"
            )
            del config[key]
    return config, problems


def _key(roots: tuple[Path, ...]) -> str:
    joined = "\n".join(str(r.resolve()) for r in roots)
    return hashlib.sha1(hashable(joined)).hexdigest()[:16]


@dataclass(frozen=True)
class Settings:
    """Resolved locations and options for one run.

    ``corpus_roots`` lists every folder of the corpus: with no ``--corpus`` that is the shipped
    seeds plus the user corpus folder; with ``--corpus DIR`` it is just DIR.
    ``writable_root`` is where ``add`` copies files. ``index_dir`` is the folder the index is
    in: when it cannot be written, the :class:`~index.library.Library` opened on these settings
    holds a copy of them naming the temporary folder it uses instead.
    """

    corpus_roots: tuple[Path, ...]
    writable_root: Path
    index_dir: Path
    notes_path: Path
    data_dir: Path = field(
        default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)), compare=False
    )
    cache_dir: Path = field(
        default_factory=lambda: Path(platformdirs.user_cache_dir(APP_NAME)), compare=False
    )
    config_path: Path = field(
        default_factory=lambda: Path(platformdirs.user_config_dir(APP_NAME)) / "config.yaml",
        compare=False,
    )
    backend: str = field(default=DEFAULT_BACKEND, repr=False)
    """``"whoosh"`` (the embedded index in ``index_dir``) or a ``postgresql://`` URL; not in
    the repr: a URL may hold a password, and settings may be printed in an error."""
    theme: str | None = None
    workers: int | None = None
    """Processes that analyse files during a build; None: up to two."""
    user: str | None = None
    """Who makes the entity corrections of a shared index (None: the OS login name)."""
    config: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The config file's accepted keys, as read (not in the repr: ``backend`` may hold a
    password)."""

    @property
    def corrections_path(self) -> Path:
        """The user's entity corrections (merge, rename, retype, hide)."""
        return self.data_dir / "entities.yaml"

    @property
    def user_corpus_dir(self) -> Path:
        """Where ``thaad-tui add`` copies articles when no ``--corpus`` is given: part of the
        default corpus, beside the shipped seeds, which are never written to."""
        return self.data_dir / "corpus"

    @property
    def default_index_dir(self) -> Path:
        """The index folder for these corpus roots, keyed by their paths and the schema."""
        return self.cache_dir / f"index-v{SCHEMA_VERSION}" / _key(self.corpus_roots)

    @property
    def corpus_name(self) -> str:
        """The corpus as the app's title names it."""
        if self.writable_root == self.user_corpus_dir and len(self.corpus_roots) > 1:
            return "default corpus"
        return shown(self.writable_root.name or self.writable_root)


PathArg = str | os.PathLike[str] | None


def load_settings(
    corpus_dir: PathArg = None,
    index_dir: PathArg = None,
    notes: PathArg = None,
    *,
    backend: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Settings, list[str]]:
    """The settings of a run and the problems found in its config file (one line each).

    Explicit arguments (the CLI flags) win, then the environment (``environ``, by default
    ``os.environ``: the only place it is read), then the config file, then the defaults.
    """
    env = os.environ if environ is None else environ
    config_path = _chosen(None, env.get(ENV_CONFIG), None)
    if config_path is None:
        config_path = Path(platformdirs.user_config_dir(APP_NAME)) / "config.yaml"
    config, problems = load_config(config_path)
    return _resolved(corpus_dir, index_dir, notes, backend, env, config, config_path), problems


def resolve(
    corpus_dir: PathArg = None,
    index_dir: PathArg = None,
    notes: PathArg = None,
) -> Settings:
    """:func:`load_settings` without its problems (for scripts and tests)."""
    return load_settings(corpus_dir, index_dir, notes)[0]


def _chosen(explicit: PathArg, from_env: str | None, from_config: object) -> Path | None:
    value = explicit or from_env or from_config
    return Path(value).expanduser() if isinstance(value, str | os.PathLike) and value else None


def _resolved(
    corpus_dir: PathArg,
    index_dir: PathArg,
    notes: PathArg,
    backend: str | None,
    env: Mapping[str, str],
    config: dict[str, Any],
    config_path: Path,
) -> Settings:
    data = _chosen(None, env.get(ENV_DATA_DIR), config.get("data_dir"))
    data = data or Path(platformdirs.user_data_dir(APP_NAME))
    cache = _chosen(None, env.get(ENV_CACHE_DIR), config.get("cache_dir"))
    cache = cache or Path(platformdirs.user_cache_dir(APP_NAME))
    root = _chosen(corpus_dir, env.get(ENV_CORPUS), config.get("corpus"))
    if root is not None:
        roots: tuple[Path, ...] = (root,)
        writable = root
    else:
        writable = data / "corpus"
        roots = (corpus.default_corpus_dir(), writable)
    base = Settings(roots, writable, Path(), Path(), data, cache, config_path)
    index_path = _chosen(index_dir, env.get(ENV_INDEX_DIR), config.get("index_dir"))
    notes_path = _chosen(notes, env.get(ENV_NOTES), config.get("notes")) or data / "notes.md"
    return Settings(
        corpus_roots=roots,
        writable_root=writable,
        index_dir=index_path or base.default_index_dir,
        notes_path=notes_path,
        data_dir=data,
        cache_dir=cache,
        config_path=config_path,
        backend=backend or env.get(ENV_BACKEND) or config.get("backend") or DEFAULT_BACKEND,
        theme=config.get("theme"),
        workers=config.get("workers"),
        user=config.get("user"),
        config=config,
    )
