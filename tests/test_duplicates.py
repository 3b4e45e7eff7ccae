"""Articles sharing an id (the same URL) or the same text: one article per id, the others
reported by file and line, and no false index damage on the next run."""

from __future__ import annotations

import json
from pathlib import Path

from index import paths
from index.library import Library, open_library


def jsonl(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A JSON Lines file of (url, title, text) records."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"url": url, "title": title, "text": text}) for url, title, text in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def library_for(corpus_dir: Path, tmp_path: Path) -> Library:
    return open_library(paths.resolve(corpus_dir, tmp_path / "ix", tmp_path / "notes.md"))


def test_records_of_one_url_in_one_file_keep_the_first_and_name_the_others(tmp_path: Path):
    corpus_dir = tmp_path / "corpus"
    jsonl(
        corpus_dir / "dups.jsonl",
        [
            ("https://news.example/a", "Version one", "First body about Seongju."),
            ("https://news.example/b", "Another article", "Other body about Seongju."),
            ("https://news.example/a", "Version two", "Second body about Seongju."),
            ("https://news.example/a?utm_source=x", "Version three", "Third body on Seongju."),
        ],
    )
    library = library_for(corpus_dir, tmp_path)
    report = library.update()
    assert sorted(i.title for i in library.articles()) == ["Another article", "Version one"]
    assert [(d.source, d.line, d.reason) for d in report.duplicates] == [
        ("dups.jsonl", 3, "same URL"),
        ("dups.jsonl", 4, "same URL"),
    ]
    assert library.fulltext.doc_count() == 2
    hits = library.search("seongju")
    assert len(hits) == len({h.id for h in hits}) == 2
    # A fresh process finds nothing wrong: no "damaged… rebuilt" on every later command.
    again = library_for(corpus_dir, tmp_path)
    second = again.update()
    assert second.rebuilt is None and not second.notices
    assert second.added == second.updated == 0


def test_an_article_held_by_another_file_is_skipped_and_named(tmp_path: Path):
    corpus_dir = tmp_path / "corpus"
    jsonl(corpus_dir / "a.jsonl", [("https://x.example/story", "Story from a", "Body a.")])
    jsonl(corpus_dir / "b.jsonl", [("https://x.example/story", "Story from b", "Body b.")])
    library = library_for(corpus_dir, tmp_path)
    report = library.update()
    assert [i.title for i in library.articles()] == ["Story from a"]
    assert [(d.source, d.kept_source) for d in report.duplicates] == [("b.jsonl", "a.jsonl")]
    # Added later, in a batch of its own, against an id already in the catalogue.
    jsonl(
        corpus_dir / "c.jsonl",
        [("https://x.example/story", "Story from c", "Body c."), ("", "New", "Text.")],
    )
    later = library.update()
    assert sorted(i.title for i in library.articles()) == ["New", "Story from a"]
    assert [(d.source, d.line) for d in later.duplicates] == [("c.jsonl", 1)]
    assert library.fulltext.doc_count() == 2
    again = library_for(corpus_dir, tmp_path).update()
    assert again.rebuilt is None


def test_one_text_under_two_urls_is_two_publications_but_a_linkless_copy_is_a_duplicate(
    tmp_path: Path,
):
    """A wire story re-posted at another address (korea_news kh013/kh014) is kept twice, for
    the comparison of copies; the same text arriving again without any link is not."""
    corpus_dir = tmp_path / "corpus"
    text = "Seoul and Washington will discuss the battery, officials said on Friday."
    jsonl(
        corpus_dir / "wire.jsonl",
        [
            ("https://wire.example/story", "South Korea, US to discuss defense", text),
            ("https://feeds.example/r/123", "South Korea, U.S. to discuss defense", text),
        ],
    )
    library = library_for(corpus_dir, tmp_path)
    report = library.update()
    assert report.added == 2 and report.duplicates == []
    jsonl(corpus_dir / "reexport.jsonl", [("", "Re-exported without its link", text)])
    later = library.update()
    assert [(d.source, d.reason) for d in later.duplicates] == [("reexport.jsonl", "same text")]
    assert len(library.articles()) == 2
