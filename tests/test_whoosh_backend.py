"""What is particular to the Whoosh backend (the contract tests cover what every backend does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.search.query import parse
from index.search.whoosh import WhooshBackend
from index.search.whoosh.analysis import CJKBigramFilter


def test_an_index_written_before_the_analyzer_moved_still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh pickles the analyzer's class path into the index: indexes written before issue
    15 name ``index.search.analyzer.CJKBigramFilter``, and must open without a rebuild."""
    from contract.conftest import fixture_articles

    with monkeypatch.context() as patch:
        patch.setattr(CJKBigramFilter, "__module__", "index.search.analyzer")
        old = WhooshBackend(tmp_path / "whoosh")
        old.write_batch([], fixture_articles())
        old.close()
    assert b"index.search.analyzer" in b"".join(
        p.read_bytes() for p in (tmp_path / "whoosh").glob("*.toc")
    )
    reopened = WhooshBackend(tmp_path / "whoosh")
    assert reopened.doc_count() == 6
    assert {h.id for h in reopened.search(parse("missile"), limit=None).hits} == {"a1", "a3", "a5"}
    reopened.close()
