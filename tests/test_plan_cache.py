"""The search box plans each keystroke's words twice (search, then advice): the second time
comes from a cache, which an index change empties (issue 20)."""

from __future__ import annotations

from pathlib import Path

from index import paths
from index.library import open_library


def test_the_same_text_is_planned_once_until_the_index_changes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Harbour news\n\nThe crane in the harbour was repaired.\n")
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()

    first = library.fuzzy_plan("crane zanzibar")
    assert library.fuzzy_plan("crane zanzibar") is first
    assert [p.matched for p in first] == [True, False]
    assert library.fuzzy_plan("crane") is not first

    (corpus / "b.txt").write_text("Island news\n\nA ferry to Zanzibar sailed on Monday.\n")
    library.update()
    again = library.fuzzy_plan("crane zanzibar")
    assert [p.matched for p in again] == [True, True]
    assert [h.title for h in library.fuzzy("zanzibar")] == ["Island news"]
