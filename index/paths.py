"""Every location thaad-tui reads or writes, in one place.

Each location can be set by a CLI flag, an environment variable, or the config file, in that
order of precedence, and otherwise comes from ``platformdirs``. Nothing is created at import
time: folders are made when first written to.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

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
SCHEMA_VERSION = 6

ENV_CORPUS = "THAAD_TUI_CORPUS"
ENV_INDEX_DIR = "THAAD_TUI_INDEX_DIR"
ENV_NOTES = "THAAD_TUI_NOTES"
ENV_CONFIG = "THAAD_TUI_CONFIG"
ENV_DATA_DIR = "THAAD_TUI_DATA_DIR"
ENV_CACHE_DIR = "THAAD_TUI_CACHE_DIR"


def data_dir() -> Path:
    """User data folder (notes, added articles, entity corrections)."""
    override = os.environ.get(ENV_DATA_DIR)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """User cache folder (the indexes)."""
    override = os.environ.get(ENV_CACHE_DIR)
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME))


def config_path() -> Path:
    override = os.environ.get(ENV_CONFIG)
    return (
        Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME)) / "config.yaml"
    )


# The config file's keys: each names a location, so each must be text.
CONFIG_KEYS = {"corpus": "a folder", "index_dir": "a folder", "notes": "a file"}


def load_config(path: Path | None = None) -> tuple[dict, list[str]]:
    """The config file (``config_path()`` by default) and one line per problem found in it.

    A file that cannot be read or parsed is ignored as a whole; a location key whose value is
    not text (``corpus: 5``) is dropped, and the line names the file and the key.
    """
    path = path or config_path()
    config, problem = load_yaml(path)
    problems = [str(problem)] if problem else []
    for key, what in CONFIG_KEYS.items():
        value = config.get(key)
        if value is not None and not isinstance(value, str):
            shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
            problems.append(
                f"{path}: '{key}' must be the path of {what} (text), not "
                f"{type(value).__name__} {shown}; value ignored"
            )
            del config[key]
    return config, problems


def user_corpus_dir() -> Path:
    """Where ``thaad-tui add`` copies articles when no ``--corpus`` is given.

    It is part of the default corpus, beside the shipped seeds, which are never written to.
    """
    return data_dir() / "corpus"


def corrections_path() -> Path:
    """The user's entity corrections (merge, rename, retype, hide)."""
    return data_dir() / "entities.yaml"


def default_notes_path() -> Path:
    return data_dir() / "notes.md"


def _key(roots: tuple[Path, ...]) -> str:
    joined = "\n".join(str(r.resolve()) for r in roots)
    return hashlib.sha1(hashable(joined)).hexdigest()[:16]


def default_index_dir(roots: tuple[Path, ...]) -> Path:
    """Index folder for a set of corpus roots, keyed by their paths and the schema version."""
    return cache_dir() / f"index-v{SCHEMA_VERSION}" / _key(roots)


@dataclass(frozen=True)
class Settings:
    """Resolved locations for one run.

    ``corpus_roots`` lists every folder of the corpus: with no ``--corpus`` that is the shipped
    seeds plus the user corpus folder; with ``--corpus DIR`` it is just DIR.
    ``writable_root`` is where ``add`` copies files.
    """

    corpus_roots: tuple[Path, ...]
    writable_root: Path
    index_dir: Path
    notes_path: Path
    config: dict = field(default_factory=dict, compare=False)
    # The user data folder (session, saved searches, stars), read from the environment when
    # the settings are made, like the other locations.
    data_dir: Path = field(default_factory=data_dir, compare=False)

    @property
    def corpus_name(self) -> str:
        if self.writable_root == user_corpus_dir() and len(self.corpus_roots) > 1:
            return "default corpus"
        return shown(self.writable_root.name or self.writable_root)


def resolve(
    corpus_dir: str | os.PathLike[str] | None = None,
    index_dir: str | os.PathLike[str] | None = None,
    notes: str | os.PathLike[str] | None = None,
    config: dict | None = None,
) -> Settings:
    """Resolve the locations for a run: explicit arguments, then environment, then config."""
    config = config or {}
    chosen_corpus = corpus_dir or os.environ.get(ENV_CORPUS) or config.get("corpus")
    if chosen_corpus:
        root = Path(chosen_corpus).expanduser()
        roots: tuple[Path, ...] = (root,)
        writable = root
    else:
        writable = user_corpus_dir()
        roots = (corpus.default_corpus_dir(), writable)
    chosen_index = index_dir or os.environ.get(ENV_INDEX_DIR) or config.get("index_dir")
    index_path = Path(chosen_index).expanduser() if chosen_index else default_index_dir(roots)
    chosen_notes = notes or os.environ.get(ENV_NOTES) or config.get("notes")
    notes_path = Path(chosen_notes).expanduser() if chosen_notes else default_notes_path()
    return Settings(roots, writable, index_path, notes_path, config)
