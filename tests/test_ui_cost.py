"""What each key costs the UI thread beyond drawing: the footer is drawn again only when the keys it
shows change, and the cycle collector does not walk the article list on every full pass
(tui/widgets/footer.py, tui/heap.py)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from rich.text import Text

from index import paths
from tests.screen import fixture_settings, main_screen, screen_text, settle, wait_until
from tui.app import create_app
from tui.widgets.article_list import ArticleList
from tui.widgets.footer import Footer
from tui.widgets.reader import Reader

SEEDS = Path(__file__).parent.parent / "corpus" / "articles"


@pytest.fixture
def seeds(tmp_path: Path) -> paths.Settings:
    return fixture_settings(SEEDS, tmp_path)


async def test_moving_in_the_list_does_not_redraw_the_footer(
    seeds: paths.Settings, monkeypatch: pytest.MonkeyPatch
):
    drawn: list[Footer] = []
    render = Footer.render

    def counted(self: Footer) -> Text:
        drawn.append(self)
        return render(self)

    monkeypatch.setattr(Footer, "render", counted)
    app = create_app(seeds)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        articles = screen.query_one(ArticleList)
        assert app.focused is articles and len(articles.rows) >= 3
        before = len(drawn)
        for _ in range(2):  # each move opens the article: the Reader and the entity pane change
            await pilot.press("j")
            await settle(pilot)
        assert screen.current_id == articles.rows[2].info.id
        assert len(drawn) == before, "the footer was drawn again though its keys did not change"
        await pilot.press("tab")  # the Reader's keys are not the list's: now it is
        await wait_until(pilot, lambda: isinstance(app.focused, Reader), "the Reader focused")
        await wait_until(pilot, lambda: len(drawn) > before, "the footer drawn again")
        await settle(pilot)
        assert "Bookmark" in screen_text(app)


async def test_the_article_list_is_kept_out_of_the_collectors_passes(seeds: paths.Settings):
    app = create_app(seeds)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        infos = main_screen(app).infos
        rows = main_screen(app).query_one(ArticleList).rows
        assert infos and rows and gc.get_freeze_count() > 0
        walked = {id(o) for o in gc.get_objects()}
        assert not any(id(i) in walked for i in infos)
        assert not any(id(r) in walked for r in rows)
    assert gc.get_freeze_count() == 0  # handed back when the app ends


async def test_each_title_is_wrapped_once_when_the_list_arrives(
    seeds: paths.Settings, monkeypatch: pytest.MonkeyPatch
):
    """The list's width does not change when its scrollbar appears (at 19,043 articles a second
    wrapping of every title was a quarter of the time to the first titles)."""
    from tui.widgets import article_list

    wrapped: list[int] = []
    layout = article_list.layout

    def counted(title: str, meta: str, width: int) -> object:
        wrapped.append(width)
        return layout(title, meta, width)

    monkeypatch.setattr(article_list, "layout", counted)
    app = create_app(seeds)
    async with app.run_test(size=(120, 10)) as pilot:  # five rows overflow: a scrollbar
        await settle(pilot)
        articles = main_screen(app).query_one(ArticleList)
        assert articles.max_scroll_y > 0
        assert len(wrapped) == len(articles.rows) == 5, wrapped


@pytest.mark.parametrize("width", [12, 20, 33, 47, 60])
def test_timeline_rows_wrap_as_textwrap_did(width: int):
    """The timeline's rows use the list's greedy wrap, not textwrap (two thirds of a refill of
    500 rows); on words and spaces they break where textwrap broke them."""
    import textwrap

    from tui.widgets.timeline import MAX_LINES, _wrapped

    texts = [
        "The issue of the THAAD deployment has emerged as one of the thorniest in relations",
        "Seoul said on Monday it would go ahead",
        "short",
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
    ]  # (a word longer than the line is cut on a line of its own; textwrap filled the line)
    for text in texts:
        expected = textwrap.wrap(
            text, width, max_lines=MAX_LINES, placeholder=" …", break_on_hyphens=False
        )
        assert _wrapped(text, width) == expected, (text, width)
