"""Build work moved off the main process (issue 20): the joined-names field is made where
the article is analysed, so the writer in the main process only copies it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import paths
from index.library import open_library
from index.search import fulltext


def test_the_joined_field_comes_from_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    record = {"title": "Summit", "text": "Moon Jae-in met Kim Jong Un at Panmunjom on Friday."}
    (corpus / "a.jsonl").write_text(json.dumps(record) + "\n")

    def not_here(*args: object) -> str:
        raise AssertionError("the writer made the joined field again")

    monkeypatch.setattr(fulltext, "joined_field", not_here)
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    for name in ("jaein", "kimjongun", "moonjaein"):
        assert [h.title for h in library.fuzzy(name)] == ["Summit"], name
