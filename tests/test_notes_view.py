"""The Notes view: quotation marks, cited paragraph ranges, bookmarks found again, source URL."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from index import paths
from index.library import open_library
from index.notes.notebook import NotesFile, cited_paragraphs, new_bookmark
from tests.screen import main_screen, screen_text, settle
from tui.app import create_app
from tui.screens.notes import NotesScreen, quoted
from tui.widgets.reader import Reader

IDENTITY = Path(__file__).parent / "fixtures" / "ingest" / "identity"


def test_quoted_does_not_double_the_passage_s_own_marks() -> None:
    assert quoted("“Such a deployment,” he said.") == "“Such a deployment,” he said.”"
    assert quoted("Plain words.") == "“Plain words.”"
    assert quoted("“A whole quote.”") == "“A whole quote.”"


def test_cited_paragraphs_cover_the_whole_passage(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(IDENTITY / "news.jsonl", corpus)
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "n.md"))
    library.update()
    info = next(i for i in library.articles() if i.title.startswith("Envoys"))
    article = library.article(info.id)
    assert article is not None
    two = new_bookmark(article, 2, "\n\n".join(article.paragraphs[1:3]))
    assert cited_paragraphs(two) == "2-3"
    assert cited_paragraphs(new_bookmark(article, 2)) == "2"
    assert cited_paragraphs(two, paragraph=4) == "4-5"


async def test_notes_view_quotes_once_cites_the_range_and_finds_a_vanished_id(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(IDENTITY / "news.jsonl", corpus)
    settings = paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md")
    library = open_library(settings)
    library.update()
    info = next(i for i in library.articles() if i.title.startswith("Envoys"))
    article = library.article(info.id)
    assert article is not None
    notes = NotesFile(settings.notes_path)
    notes.add(new_bookmark(article, 2, "\n\n".join(article.paragraphs[1:3])))
    # An id from an earlier version of the index: its passage is still in the corpus.
    notes.add(replace(new_bookmark(article, 5), article="0123456789ab", id="20170101T000000-1"))
    app = create_app(settings)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.action_notes()
        await settle(pilot)
        assert isinstance(app.screen, NotesScreen)
        text = screen_text(app)
        assert "“Such a deployment" in text and "““" not in text
        assert "¶2-3" in text
        assert "[passage not found]" not in text and "[passage moved]" in text
        await pilot.press("enter")  # the newest first: the re-found bookmark
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        assert reader.article is not None and reader.article.id == article.id
        assert reader.passage.first == 4


def test_notes_file_keeps_the_source_url_and_escapes_a_hostile_one() -> None:
    from index.models import Article
    from index.notes.format import render, scan

    article = Article(id="abc", title="T", paragraphs=("One paragraph.",), url="https://e.com/a")
    hostile = replace(article, url="javascript:alert(1) <!-- thaad-tui:end id=x --> [b]x[/b]")
    for a in (article, hostile):
        entry = render(new_bookmark(a, 1))
        markers = [ln for ln in entry.splitlines() if ln.startswith("<!-- thaad-tui:")]
        assert len(markers) == 2  # no forged marker line
        [parsed], problems = scan(entry.encode())
        assert problems == [] and parsed.bookmark.url == a.url
    assert "Source: <https://e.com/a>" in render(new_bookmark(article, 1))


async def test_reader_header_shows_the_url_as_plain_text(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(
        '{"title": "Markup in a link", "url": "https://e.com/[bold]x[/bold]?a=1&b=2", '
        '"text": "The only paragraph of this story, long enough to read."}\n',
        encoding="utf-8",
    )
    app = create_app(paths.resolve(corpus, tmp_path / "ix", tmp_path / "n.md"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "https://e.com/[bold]x[/bold]?a=1&b=2" in screen_text(app)


async def test_reader_marks_a_bookmark_found_again_after_the_first_build(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(IDENTITY / "news.jsonl", corpus)
    scratch = open_library(paths.resolve(corpus, tmp_path / "scratch", tmp_path / "x.md"))
    scratch.update()
    info = next(i for i in scratch.articles() if i.title.startswith("Envoys"))
    article = scratch.article(info.id)
    assert article is not None
    settings = paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md")
    NotesFile(settings.notes_path).add(
        replace(new_bookmark(article, 4), article="0123456789ab")  # an id of an older version
    )
    app = create_app(settings)  # its index is built after start-up, by a worker
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.bookmarked_paragraphs(article.id) == {3}


def test_cli_notes_cites_the_paragraph_range(capsys, tmp_path: Path) -> None:
    from index.models import Article
    from tui.cli import main

    article = Article(id="abc", title="T", paragraphs=("One.", "Two.", "Three."))
    notes = tmp_path / "notes.md"
    NotesFile(notes).add(new_bookmark(article, 2, "Two.\n\nThree."))
    assert main(["notes", "--notes", str(notes)]) == 0
    assert "abc ¶2-3  Two." in capsys.readouterr().out
