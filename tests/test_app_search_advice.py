"""In the app, a search with nothing or little to show says why and offers ctrl+o (any word)."""

from __future__ import annotations

from index import paths
from tests.screen import main_screen, screen_text, settle
from tui.app import create_app
from tui.widgets.article_list import ArticleList


def shown(app) -> set[str]:
    return {r.info.title for r in main_screen(app).query_one(ArticleList).rows}


async def test_zero_results_offer_the_way_out(settings: paths.Settings) -> None:
    """ "hyundai stokholm": no seed has both; the status names each word's count and ctrl+o
    shows the articles with either; ctrl+o again goes back to all words."""
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"hyundai stokholm")
        await settle(pilot)
        assert shown(app) == set()
        text = screen_text(app)
        assert "fuzzy: 0 matches" in text and "ctrl+o: show them" in text
        await pilot.press("ctrl+o")
        await settle(pilot)
        either = shown(app)
        assert len(either) == 2
        assert "any word: 2 matches" in screen_text(app)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert shown(app) == set()


async def test_a_word_matching_nothing_is_named(settings: paths.Settings) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"xtockholm")
        await settle(pilot)
        text = screen_text(app)
        assert "“xtockholm” matches no word" in text and "did you mean" in text
