"""Opening an index another version wrote: rebuilt once, said in one line, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index import paths
from index.library import open_library
from index.paths import IDS_FROM_ARTICLES, SCHEMA_VERSION
from index.search import analyzer
from index.search.whoosh import analysis


def _written_by(index_dir: Path, schema: int) -> None:
    """Record the catalogue as written by ``schema``."""
    with sqlite3.connect(index_dir / "catalogue.sqlite") as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(schema),))


def test_an_index_from_before_the_whoosh_move_is_rebuilt_not_a_traceback(
    seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh pickles its schema's analyser by module path: an index written when the filter
    lived in index.search.analyzer named it there, and unpickling it now fails."""
    settings = paths.resolve(seed_corpus, tmp_path / "ix", tmp_path / "n.md")
    with monkeypatch.context() as old_layout:  # the class where the previous version had it
        old_layout.setattr(analysis.CJKBigramFilter, "__module__", "index.search.analyzer")
        old_layout.setattr(analyzer, "CJKBigramFilter", analysis.CJKBigramFilter, raising=False)
        old = open_library(settings)
        old.update()
        old.catalogue.close()
        old.fulltext.close()
    _written_by(settings.index_dir, 6)
    library = open_library(settings)
    report = library.update()
    assert report.rebuilt == f"written by schema 6, this version uses {SCHEMA_VERSION}"
    assert report.added == 5 and library.fulltext.doc_count() == 5
    assert len(report.notices) == 1 and "rebuilt once" in report.notices[0]
    assert "Article ids" not in report.notices[0]  # that change was schema 3's
    assert library.search("Lotte")


@pytest.mark.parametrize(("schema", "ids_said"), [(IDS_FROM_ARTICLES - 1, True), (5, False)])
def test_a_schema_change_says_what_changed_since_that_schema(
    seed_corpus: Path, tmp_path: Path, schema: int, ids_said: bool
) -> None:
    settings = paths.resolve(seed_corpus, tmp_path / "ix", tmp_path / "n.md")
    built = open_library(settings)
    built.update()
    built.catalogue.close()
    _written_by(settings.index_dir, schema)
    report = open_library(settings).update()
    assert report.rebuilt == f"written by schema {schema}, this version uses {SCHEMA_VERSION}"
    assert ("Article ids now come from the article" in report.notices[0]) is ids_said
