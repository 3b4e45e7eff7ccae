"""Shared fixtures: every location the app writes is redirected into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corpus
from index import paths
from index.library import Library, open_library

# The throwaway PostgreSQL server fixtures and the `postgresql` marker.
pytest_plugins = ["tests.pgserver"]

SEEDS = sorted(corpus.default_corpus_dir().glob("*.txt"))


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test touches the real user folders or inherits the caller's settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(home / "data"))
    monkeypatch.setenv(paths.ENV_CACHE_DIR, str(home / "cache"))
    monkeypatch.setenv(paths.ENV_CONFIG, str(home / "config.yaml"))
    for name in (paths.ENV_CORPUS, paths.ENV_INDEX_DIR, paths.ENV_NOTES, paths.ENV_BACKEND):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    """A writable copy of the five seeds and their editorial metadata."""
    folder = tmp_path / "corpus"
    shutil.copytree(corpus.default_corpus_dir(), folder)
    return folder


@pytest.fixture
def settings(seed_corpus: Path, tmp_path: Path) -> paths.Settings:
    return paths.resolve(seed_corpus, tmp_path / "index", tmp_path / "notes.md")


@pytest.fixture
def library(settings: paths.Settings) -> Library:
    """A built library over the seed corpus."""
    lib = open_library(settings)
    lib.update()
    return lib


@pytest.fixture(scope="session")
def built_seed_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus, index) built once per session, for read-only tests; copy before writing."""
    base = tmp_path_factory.mktemp("shared")
    folder = base / "corpus"
    shutil.copytree(corpus.default_corpus_dir(), folder)
    lib = open_library(paths.resolve(folder, base / "index", base / "notes.md"))
    lib.update()
    return folder, base / "index"
