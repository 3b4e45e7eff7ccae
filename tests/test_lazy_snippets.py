"""Snippets are cut for the rows on screen, not for all 200 hits of a keystroke (issue 20).

A search returns its first ``snippets`` hits cut and the others without a snippet; the app's
list asks for the others' when they are scrolled into view.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import paths
from index.library import Library, open_library
from tests.screen import main_screen, settle
from tui.app import create_app
from tui.screens.main import FIRST_CUT
from tui.widgets.article_list import ArticleList
from tui.widgets.search_box import QueryInput

ARTICLES = 80  # more than the app cuts with the results and a screen shows


@pytest.fixture
def many(tmp_path: Path) -> paths.Settings:
    """80 short articles that all mention a harbour crane, each in another paragraph."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    lines = []
    for n in range(ARTICLES):
        filler = [f"Paragraph {k} of report {n} is about the weather." for k in range(n % 4)]
        text = "\n\n".join([*filler, f"Report {n}: the harbour crane number {n} was repaired."])
        lines.append(
            json.dumps(
                {
                    "title": f"Dock bulletin {n:02d}",
                    "url": f"https://example.invalid/dock/{n}",
                    "published": f"2017-03-{n % 28 + 1:02d}",
                    "text": text,
                }
            )
        )
    (corpus / "docks.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths.resolve(corpus, tmp_path / "index", tmp_path / "notes.md")


@pytest.fixture
def library(many: paths.Settings) -> Library:
    lib = open_library(many)
    lib.update()
    return lib


@pytest.mark.parametrize("fuzzy", [True, False])
def test_only_the_first_hits_come_cut_and_the_rest_cut_later_the_same(
    library: Library, fuzzy: bool
) -> None:
    def run(**kw):
        if fuzzy:
            return library.fuzzy("harbour crane", limit=200, **kw)
        return library.search("harbour AND crane", limit=200, **kw)

    eager = run()
    lazy = run(snippets=5)
    assert len(eager) == len(lazy) == ARTICLES
    assert all(h.cut and "harbour" in h.snippet for h in eager)
    assert [h.cut for h in lazy] == [True] * 5 + [False] * (ARTICLES - 5)
    assert all(h.snippet == "" and h.paragraph is None for h in lazy[5:])
    # titles, scores and the terms the Reader highlights do not wait for the snippet
    assert [(h.id, h.title, h.score, h.terms) for h in lazy] == [
        (h.id, h.title, h.score, h.terms) for h in eager
    ]
    assert library.snippets(lazy) == eager
    assert library.snippets(lazy[:5]) == lazy[:5]  # cut ones are left as they are


def test_hits_without_the_article_list_loaded_have_titles_too(many: paths.Settings) -> None:
    open_library(many).update()
    fresh = open_library(many)  # as the CLI: no article list read before the search
    hits = fresh.search("crane", limit=3, snippets=0)
    assert [h.title.startswith("Dock bulletin") for h in hits] == [True] * 3


async def test_rows_scrolled_into_view_get_their_snippets(many: paths.Settings) -> None:
    app = create_app(many)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"harbour crane", "tab")
        await settle(pilot)
        screen = main_screen(app)
        article_list = screen.query_one(ArticleList)
        assert len(article_list.rows) == ARTICLES
        assert all(r.cut for r in article_list.rows[:FIRST_CUT])
        assert not any(r.cut for r in article_list.rows[FIRST_CUT:])
        assert not isinstance(app.focused, QueryInput)
        article_list.focus()
        await pilot.press("G")  # the last rows come into view
        for _ in range(100):
            await settle(pilot)
            if article_list.rows[-1].cut:
                break
        last = article_list.rows[-1]
        assert last.cut and "harbour crane" in last.snippet
        assert last.paragraph == int(last.info.title[-2:]) % 4
        # the rows never shown are still not cut: only what is shown is read
        assert not article_list.rows[FIRST_CUT].cut
        # and the results the Reader opens from know the paragraph
        hit = next(h for h in screen.results or [] if h.id == last.info.id)
        assert hit.cut and hit.paragraph == last.paragraph
