"""An index whose stored schema names an analyzer class that has since moved (issue 15 moved
them into index/search/whoosh/) is an index to rebuild, not a crash at start-up."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.analysis import Filter, StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema

from index.search.backend import IndexDamaged
from index.search.whoosh.backend import WhooshBackend


class Moved(Filter):
    def __call__(self, tokens):
        return tokens


def test_a_schema_naming_a_moved_class_is_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("thaad_old_analysis")
    Moved.__module__ = module.__name__
    module.Moved = Moved  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    folder = tmp_path / "whoosh"
    folder.mkdir()
    old = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=StandardAnalyzer() | Moved()))
    whoosh_index.create_in(str(folder), old).close()
    monkeypatch.delitem(sys.modules, module.__name__)  # the class is gone from where it was

    with pytest.raises(IndexDamaged, match="older version"):
        WhooshBackend(folder).index()
