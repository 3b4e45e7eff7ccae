"""Articles sharing an id: one article per id, the others reported, no false index damage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import ingest, paths
from index.library import Library, open_library


def jsonl(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"id": key, "title": title, "text": text}) for key, title, text in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def library_for(corpus_dir: Path, tmp_path: Path) -> Library:
    return open_library(paths.resolve(corpus_dir, tmp_path / "ix", tmp_path / "notes.md"))


def test_duplicate_ids_in_one_jsonl_file_keep_the_first_and_warn(tmp_path: Path):
    corpus_dir = tmp_path / "corpus"
    path = jsonl(
        corpus_dir / "dups.jsonl",
        [
            ("same", "Version one", "First body about Seongju."),
            ("other", "Another article", "Other body about Seongju."),
            ("same", "Version two", "Second body about Seongju."),
            ("same", "Version three", "Third body about Seongju."),
        ],
    )
    library = library_for(corpus_dir, tmp_path)
    report = library.update()
    assert sorted(i.title for i in library.articles()) == ["Another article", "Version one"]
    duplicates = [w for w in report.warnings if "duplicate article id" in w]
    assert [w.split(": ")[0] for w in duplicates] == [f"{path}:3", f"{path}:4"]
    assert all(f"same as {path}:1" in w for w in duplicates)
    assert library.fulltext.doc_count() == 2
    hits = library.search("seongju")
    assert len(hits) == len({h.id for h in hits}) == 2
    # A fresh process finds nothing wrong: no "damaged… rebuilt" on every later command.
    again = library_for(corpus_dir, tmp_path)
    second = again.update()
    assert second.rebuilt is None and not again.notices
    assert second.added == second.updated == 0


@pytest.fixture
def ids_ignore_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids made from the article alone (as ids from URLs or content are): files can clash."""
    original = ingest.article_id
    monkeypatch.setattr(ingest, "article_id", lambda source, key=None: original("", key))


@pytest.mark.usefixtures("ids_ignore_the_file")
def test_an_id_held_by_another_file_is_skipped_with_a_warning(tmp_path: Path):
    corpus_dir = tmp_path / "corpus"
    jsonl(corpus_dir / "a.jsonl", [("story", "Story from a", "Body a about Seongju.")])
    jsonl(corpus_dir / "b.jsonl", [("story", "Story from b", "Body b about Seongju.")])
    library = library_for(corpus_dir, tmp_path)
    report = library.update()
    assert [i.title for i in library.articles()] == ["Story from a"]
    assert any(
        "b.jsonl:1: article id" in w and "already used by a.jsonl" in w for w in report.warnings
    )
    # Added later, in a batch of its own, against an id already in the catalogue.
    jsonl(corpus_dir / "c.jsonl", [("story", "Story from c", "Body c."), ("new", "New", "Text.")])
    later = library.update()
    assert sorted(i.title for i in library.articles()) == ["New", "Story from a"]
    assert any("c.jsonl:1: article id" in w for w in later.warnings)
    assert library.fulltext.doc_count() == 2
    again = library_for(corpus_dir, tmp_path).update()
    assert again.rebuilt is None
