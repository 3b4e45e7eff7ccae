"""Articles keep who they are: ids from the article, not its file; duplicates; bookmarks."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from index import paths
from index.library import Library, open_library
from index.models import Bookmark
from index.notes.notebook import NotesFile, new_bookmark, passage_hash
from index.paths import SCHEMA_VERSION

IDENTITY = Path(__file__).parent / "fixtures" / "ingest" / "identity"


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(IDENTITY / "news.jsonl", folder / "news.jsonl")
    return folder


@pytest.fixture
def lib(corpus_dir: Path, tmp_path: Path) -> Library:
    library = open_library(paths.resolve(corpus_dir, tmp_path / "index", tmp_path / "notes.md"))
    library.update()
    return library


def ids_by_title(library: Library) -> dict[str, str]:
    return {info.title: info.id for info in library.articles()}


def bookmark_all(library: Library) -> list[Bookmark]:
    """A bookmark on the second paragraph (or the first) of every article, saved to notes."""
    notes = NotesFile(library.settings.notes_path)
    out = []
    for info in library.articles():
        article = library.article(info.id)
        assert article is not None
        b = new_bookmark(article, min(2, len(article.paragraphs)))
        notes.add(b)
        out.append(b)
    return out


def test_renaming_and_moving_the_file_keeps_every_id_and_bookmark(
    lib: Library, corpus_dir: Path
) -> None:
    before = ids_by_title(lib)
    marks = bookmark_all(lib)
    (corpus_dir / "sub").mkdir()
    (corpus_dir / "news.jsonl").rename(corpus_dir / "sub" / "korea.jsonl")
    report = lib.update()
    assert ids_by_title(lib) == before
    assert (report.added, report.removed, report.unchanged) == (0, 0, 3)
    for b in NotesFile(lib.settings.notes_path).load().bookmarks:
        assert lib.locate_bookmark(b) == ("ok", b.article, b.paragraph)
    assert len(marks) == 3


def test_a_re_export_keeps_the_ids_of_the_articles_it_shares(lib: Library, tmp_path) -> None:
    other = open_library(
        paths.resolve(IDENTITY, tmp_path / "other-index", tmp_path / "other-notes.md")
    )
    other.update()
    mine, theirs = ids_by_title(lib), ids_by_title(other)
    for title in ("Port city residents rally against the battery", "Ministry statement "
                  "without a link"):  # fmt: skip
        assert mine[title] == theirs[title]


def test_a_bookmark_whose_id_vanished_is_found_by_its_passage(lib: Library) -> None:
    article = lib.article(ids_by_title(lib)["Envoys meet on the missile shield"])
    assert article is not None
    orphan = replace(new_bookmark(article, 3), article="0123456789ab")  # an older id
    assert lib.locate_bookmark(orphan) == ("moved", article.id, 3)
    text = "Nothing like this passage is in the corpus at all."
    stranger = replace(orphan, text=text, passage_hash=passage_hash(text))
    assert lib.locate_bookmark(stranger) == ("missing", None, None)


def test_schema_change_rebuilds_once_with_a_message_and_keeps_bookmarks(
    lib: Library, corpus_dir: Path, tmp_path: Path
) -> None:
    bookmark_all(lib)
    # The layout of the previous version: no text_key column (its indexes fail on this file).
    with sqlite3.connect(lib.catalogue.path) as conn:
        conn.execute("DROP INDEX articles_by_text")
        conn.execute("ALTER TABLE articles DROP COLUMN text_key")
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION - 1),))
    lib.catalogue.close()
    again = open_library(lib.settings)
    report = again.update()
    assert report.rebuilt and report.rebuilt.startswith(f"written by schema {SCHEMA_VERSION - 1}")
    assert any("rebuilt once" in n for n in report.notices)
    assert again.update().rebuilt is None
    for b in NotesFile(lib.settings.notes_path).load().bookmarks:
        assert again.locate_bookmark(b)[0] == "ok"


def test_a_new_default_index_says_the_previous_version_s_was_replaced(corpus_dir: Path) -> None:
    settings = paths.resolve(corpus_dir)
    key = settings.index_dir.name
    (settings.cache_dir / f"index-v{SCHEMA_VERSION - 1}" / key).mkdir(parents=True)
    library = open_library(settings)
    report = library.update()
    assert (
        report.rebuilt
        == f"written by schema {SCHEMA_VERSION - 1}, this version uses {SCHEMA_VERSION}"
    )
    assert any("rebuilt once" in n for n in report.notices)
    assert library.update().rebuilt is None  # once


def test_adding_the_same_file_again_adds_nothing_and_names_the_duplicates(
    lib: Library, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.jsonl"
    shutil.copy(IDENTITY / "news.jsonl", copy)
    report = lib.add([copy])
    assert report.added == 0 and report.articles == 3
    assert sorted(d.reason for d in report.duplicates) == ["same URL", "same URL", "same text"]
    assert all(d.kept_source == "news.jsonl" for d in report.duplicates)
    assert "3 skipped as duplicates" in report.summary()
    assert len(lib.search("rally")) == 1


def test_index_skips_a_re_export_overlapping_the_corpus(lib: Library, corpus_dir: Path) -> None:
    shutil.copy(IDENTITY / "reexport.jsonl", corpus_dir / "zz-reexport.jsonl")
    report = lib.update()
    assert report.added == 1 and report.articles == 4
    assert {(d.title, d.reason) for d in report.duplicates} == {
        ("Port city residents rally against the battery", "same URL"),
        ("Ministry statement without a link", "same text"),
    }
    # The kept copy leaves: the duplicate that was skipped comes back from the other file.
    (corpus_dir / "news.jsonl").unlink()
    report = lib.update()
    assert report.articles == 3
    assert "Ministry statement without a link" in ids_by_title(lib)


def test_duplicates_within_one_build_are_counted_once(corpus_dir: Path, tmp_path: Path) -> None:
    shutil.copy(IDENTITY / "reexport.jsonl", corpus_dir / "zz-reexport.jsonl")
    library = open_library(paths.resolve(corpus_dir, tmp_path / "ix2", tmp_path / "n2.md"))
    report = library.update()
    assert (report.added, report.unchanged, report.articles) == (4, 0, 4)
    assert len(report.duplicates) == 2
    assert report.summary().startswith("4 articles: 4 added, 0 updated, 0 removed, 0 unchanged")


def test_summary_counts_articles_not_files(lib: Library, corpus_dir: Path) -> None:
    report = lib.update()
    assert (report.added, report.unchanged, report.articles) == (0, 3, 3)
    (corpus_dir / "news.jsonl").unlink()
    assert lib.update().removed == 3


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from tui.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_add_the_same_file_twice_adds_nothing_and_says_so(capsys, tmp_path: Path) -> None:
    where = ("--corpus", str(tmp_path / "corpus"), "--index-dir", str(tmp_path / "ix"))
    (tmp_path / "corpus").mkdir()
    code, out, _ = cli(capsys, "add", str(IDENTITY / "news.jsonl"), *where)
    assert code == 0 and "3 added" in out
    code, out, _ = cli(capsys, "add", str(IDENTITY / "news.jsonl"), *where)
    assert code == 0 and "0 added" in out and "already in the corpus" in out
    renamed = tmp_path / "korea.jsonl"
    shutil.copy(IDENTITY / "news.jsonl", renamed)
    code, out, _ = cli(capsys, "add", str(renamed), *where)
    assert code == 0 and "0 added" in out and "3 skipped as duplicates" in out
    assert "“Port city residents rally against the battery”: same URL as" in out
    assert "“Ministry statement without a link”: same text as" in out


def test_the_source_url_is_part_of_the_article_everywhere(capsys, tmp_path: Path) -> None:
    import json

    where = ("--corpus", str(IDENTITY), "--index-dir", str(tmp_path / "ix"))
    where += ("--notes", str(tmp_path / "notes.md"))
    url = "https://www.example.org/news/rally"
    _, out, _ = cli(capsys, "articles", "--json", *where)
    rows = {r["title"]: r for r in map(json.loads, out.splitlines())}
    rally = rows["Port city residents rally against the battery"]
    assert rally["url"] == "https://example.org/news/rally"
    assert rows["Ministry statement without a link"]["url"] is None
    code, out, _ = cli(capsys, "show", rally["id"], *where)
    assert code == 0 and "URL:     https://example.org/news/rally" in out
    _, out, _ = cli(capsys, "search", "rallied", "--json", *where)
    assert json.loads(out.splitlines()[0])["url"] == rally["url"]
    cli(capsys, "bookmark", rally["id"], "--paragraph", "1", *where)
    assert "Source: <https://example.org/news/rally>" in (tmp_path / "notes.md").read_text()
    _, out, _ = cli(capsys, "notes", "--json", *where)
    assert json.loads(out)["url"] == rally["url"]
    cli(capsys, "notes", "--export", str(tmp_path / "out.csv"), *where)
    assert rally["url"] in (tmp_path / "out.csv").read_text()
    assert url != rally["url"]  # the record's "www." form is the same site, one identity


@pytest.mark.parametrize("kind", ["missing", "file", "unreadable"])
def test_a_corpus_that_cannot_be_read_is_one_line_exit_2_and_no_index(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    corpus = tmp_path / "corpus"
    if kind == "file":
        corpus.write_text("not a folder")
    elif kind == "unreadable":
        corpus.mkdir()
        real = os.scandir

        def refuse(path):  # the same error a folder without read permission gives (not root)
            if Path(path) == corpus:
                raise PermissionError(13, "Permission denied")
            return real(path)

        monkeypatch.setattr(os, "scandir", refuse)
    cache = tmp_path / "cache"
    monkeypatch.setenv(paths.ENV_CACHE_DIR, str(cache))
    for command in (["index"], ["articles"], ["search", "x"], ["show", "abc"]):
        code, out, err = cli(capsys, *command, "--corpus", str(corpus))
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and str(corpus) in err
        expected = {"missing": "does not exist", "file": "is a file", "unreadable": "cannot read"}
        assert expected[kind] in err
    assert not cache.exists()


async def test_the_app_says_the_corpus_is_missing_and_makes_no_index(tmp_path: Path) -> None:
    from tests.screen import screen_text, settle
    from tui.app import create_app

    index_dir = tmp_path / "index"
    app = create_app(paths.resolve(tmp_path / "typo", index_dir, tmp_path / "notes.md"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "Cannot open the corpus: corpus folder" in screen_text(app)
        assert "does not exist" in screen_text(app)
    assert not index_dir.exists()
