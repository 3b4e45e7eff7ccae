"""File names that are not UTF-8 (``bad\\xff.txt``): indexed like any other file, stored and
found again, and shown with the odd bytes escaped, in every command and in the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.message import Message
from textual.notifications import Notify

from index import paths
from index.ingest import corpus as ingest
from index.library import open_library
from tests.screen import main_screen, settle

BAD = os.fsdecode(b"bad\xff.txt")  # Python's name for the file: 'bad\udcff.txt'
OTHER = os.fsdecode(b"bad\xfe.txt")
LITERAL = "bad\\xff.txt"  # a valid name that looks like the escaped form of BAD


def article(title: str) -> str:
    return f"{title}\n\nThe battery in Seongju was discussed by {title.split()[0]} officials.\n"


@pytest.fixture
def odd_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / BAD).write_text(article("Xylophone bad-byte title"), encoding="utf-8")
    (folder / OTHER).write_text(article("Quagga other-byte title"), encoding="utf-8")
    (folder / LITERAL).write_text(article("Walrus literal-backslash title"), encoding="utf-8")
    (folder / "good.txt").write_text(article("Good plain title"), encoding="utf-8")
    (folder / os.fsdecode(b"skip\xff.pdf")).write_bytes(b"%PDF-1.4\n")
    return folder


def test_ingest_gives_each_odd_name_its_own_stable_id(odd_corpus: Path) -> None:
    articles, warnings = ingest.ingest_root(odd_corpus)
    assert {a.source for a in articles} == {BAD, OTHER, LITERAL, "good.txt"}
    assert len({a.id for a in articles}) == 4
    by_source = {a.source: a.id for a in articles}
    # An id comes from the article, not its file: the odd name moved to a valid one keeps it.
    os.rename(odd_corpus / BAD, odd_corpus / "renamed.txt")
    again = {a.source: a.id for a in ingest.ingest_root(odd_corpus)[0]}
    assert again["renamed.txt"] == by_source[BAD]
    assert [str(w) for w in warnings] == [
        f"{odd_corpus}/skip\udcff.pdf: unsupported file type '.pdf' "
        "(expected .jsonl, .markdown, .md, .txt)"
    ]


def test_the_catalogue_keeps_odd_names_apart_and_finds_them_again(
    odd_corpus: Path, tmp_path: Path
) -> None:
    library = open_library(paths.resolve(odd_corpus, tmp_path / "ix", tmp_path / "n.md"))
    first = library.update()
    assert (first.added, first.errors) == (4, 1)
    sources = library.article_paths()
    assert sorted(p.name for p in sources.values()) == sorted([BAD, OTHER, LITERAL, "good.txt"])
    for path in sources.values():
        assert path.is_file()
    assert library.update().unchanged == 4  # articles, not files (the .pdf is not one)
    (odd_corpus / BAD).write_text(article("Xylophone changed title"), encoding="utf-8")
    (odd_corpus / OTHER).unlink()
    again = library.update()
    assert (again.updated, again.removed, again.unchanged) == (1, 1, 2)
    assert "Xylophone changed title" in {i.title for i in library.articles()}
    assert [h.title for h in library.search("quagga")] == []


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command, its output strictly UTF-8 (as in a UTF-8 terminal)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    cwd = cwd / "elsewhere"  # `python -m` imports from the working folder: not ./corpus
    cwd.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def test_every_command_works_and_shows_the_odd_bytes_escaped(
    odd_corpus: Path, tmp_path: Path
) -> None:
    where = ["--corpus", str(odd_corpus), "--index-dir", str(tmp_path / "ix")]
    where += ["--notes", str(tmp_path / "notes.md")]
    done = run_cli("index", *where, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "4 added" in done.stdout
    assert done.stderr == (
        f"warning: {odd_corpus}/skip\\xff.pdf: unsupported file type '.pdf' "
        "(expected .jsonl, .markdown, .md, .txt)\n"
    )
    listed = run_cli("articles", "--json", *where, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = {row["title"]: row for row in map(json.loads, listed.stdout.splitlines())}
    assert rows["Xylophone bad-byte title"]["path"] == f"{odd_corpus}/bad\\xff.txt"
    assert rows["Quagga other-byte title"]["path"] == f"{odd_corpus}/bad\\xfe.txt"
    bad_id = rows["Xylophone bad-byte title"]["id"]
    for command in (
        ["articles"],
        ["show", bad_id],
        ["search", "xylophone"],
        ["search", "xylophon", "--fuzzy"],
        ["entities"],
        ["timeline"],
        ["bookmark", bad_id, "--paragraph", "1"],
        ["notes"],
        ["index"],
    ):
        done = run_cli(*command, *where, cwd=tmp_path)
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr
    assert "Xylophone bad-byte title" in run_cli("show", bad_id, *where, cwd=tmp_path).stdout


def test_a_corpus_folder_whose_own_name_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"corp\xe9")
    folder.mkdir()
    (folder / BAD).write_text(article("Xylophone bad-byte title"), encoding="utf-8")
    where = ["--corpus", str(folder), "--notes", str(tmp_path / "notes.md")]
    for _ in range(2):  # the default index folder is named after the corpus path
        done = run_cli("index", *where, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert "1 unchanged" in done.stdout
    assert "Xylophone" in run_cli("articles", *where, cwd=tmp_path).stdout


async def test_the_app_lists_them_and_shows_the_warning_escaped(
    odd_corpus: Path, tmp_path: Path
) -> None:
    from tui.app import create_app
    from tui.widgets.article_list import ArticleList

    app = create_app(paths.resolve(odd_corpus, tmp_path / "ix", tmp_path / "notes.md"))
    seen: list[Message] = []

    async def drive() -> None:
        async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
            await settle(pilot)
            titles = {r.info.title for r in main_screen(app).query_one(ArticleList).rows}
            assert "Xylophone bad-byte title" in titles and len(titles) == 4
            notices = [str(m.notification.message) for m in seen if isinstance(m, Notify)]
            assert f"1 file(s) skipped: {odd_corpus}/skip\\xff.pdf: unsupported" in "".join(
                notices
            ), notices

    await drive()
