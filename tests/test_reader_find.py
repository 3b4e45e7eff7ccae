"""Find in the open article, n/N by phrase with "hit 3 of 7", the passage kept in view, and
snippets that show their match (issue 18)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from index import paths
from index.search.highlight import cut_snippet, find_spans, phrase_spans
from tests.screen import main_screen, pause_until, settle
from tui.app import ThaadApp, create_app
from tui.widgets.article_list import ArticleList
from tui.widgets.find_bar import FindBar, FindInput
from tui.widgets.reader import Reader


@pytest.fixture
def app(settings: paths.Settings) -> ThaadApp:
    return create_app(settings)


# -- the text functions ----------------------------------------------------------------------
def test_words_next_to_each_other_are_one_hit() -> None:
    text = "The missile defense system, THAAD, Lotte and Moon Jae-in."
    words = [m.span() for m in re.finditer(r"missile|defense|THAAD|Lotte|Jae|in\b", text)]
    joined = [text[s:e] for s, e in phrase_spans(text, words)]
    assert joined == ["missile defense", "THAAD", "Lotte", "Jae-in"]


def test_find_ignores_case_and_runs_of_spaces() -> None:
    text = "Lotte Mart closed. LOTTE\n  mart reopened; lottery."
    assert [text[s:e] for s, e in find_spans(text, "lotte  mart")] == [
        "Lotte Mart",
        "LOTTE\n  mart",
    ]
    assert find_spans(text, "   ") == []
    assert find_spans(text, "(") == []  # a literal, not a pattern


def test_a_short_paragraph_is_cut_so_its_match_is_seen() -> None:
    """The list shows about 48 characters of a snippet. A paragraph shorter than the snippet
    width, with its match at character 44, was shown whole: the match was cut off."""
    text = "The Security Council in New York imposed new sanctions on the country after its test."
    start = text.index("sanctions")
    snippet, spans = cut_snippet(text, [(start, start + 9)])
    assert spans and spans[0][1] <= 40
    assert snippet[spans[0][0] : spans[0][1]] == "sanctions"


# -- the Reader --------------------------------------------------------------------------------
async def test_find_in_the_article_counts_steps_and_closes(app: ThaadApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("enter")  # opens the first article, focus in the Reader
        reader = screen.query_one(Reader)
        await pause_until(pilot, lambda: app.focused is reader, "the Reader focused")
        article = reader.article
        assert article is not None
        expected = [
            (i, m.start(), m.end())
            for i, p in enumerate(article.paragraphs)
            for m in re.finditer("china", p, re.IGNORECASE)
        ]
        assert len(expected) >= 3
        await pilot.press("ctrl+f")
        bar = reader.query_one(FindBar)
        await pause_until(
            pilot, lambda: isinstance(app.focused, FindInput), "the find input focused"
        )
        assert bar.is_open
        await pilot.press(*"china")
        await pause_until(pilot, lambda: reader.hits == expected, "the find's matches")
        total = len(expected)
        count = bar.query_one(".find-count")
        assert str(count.render()) == f"1/{total}"
        assert reader.border_subtitle == f"hit 1 of {total}"
        assert reader.passage.first == expected[0][0]
        await pilot.press("enter", "enter")
        await pause_until(pilot, lambda: reader.hit_index == 2, "two steps on")
        assert str(count.render()) == f"3/{total}"
        assert reader.passage.first == expected[2][0]
        await pilot.press("shift+enter")
        await pause_until(pilot, lambda: reader.hit_index == 1, "one step back")
        await pilot.press("escape")
        await pause_until(pilot, lambda: app.focused is reader, "focus back in the Reader")
        assert not bar.is_open and reader.find_text == "" and reader.hits == []
        assert reader.border_subtitle == ""


async def test_n_steps_by_phrase_with_hit_i_of_n(app: ThaadApp) -> None:
    """A search for a two-word name: each "Chang Wanquan" is one hit, not two."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *'"chang wanquan"')
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reader = main_screen(app).query_one(Reader)
        article = reader.article
        assert article is not None
        phrases = [
            (i, m.start(), m.end())
            for i, p in enumerate(article.paragraphs)
            for m in re.finditer(r"chang\s+wanquan", p, re.IGNORECASE)
        ]
        assert phrases and set(phrases) <= set(reader.hits)
        inside = [
            h
            for h in reader.hits
            for p in phrases
            if h != p and h[0] == p[0] and p[1] <= h[1] < p[2]
        ]
        assert not inside, "a word of the phrase is a hit of its own"
        total = len(reader.hits)
        assert total >= 2
        first = reader.hit_index
        assert reader.border_subtitle == f"hit {first + 1} of {total}"
        await pilot.press("n")
        await pause_until(pilot, lambda: reader.hit_index == (first + 1) % total, "n")
        assert reader.border_subtitle == f"hit {(first + 1) % total + 1} of {total}"
        assert reader.passage.first == reader.hits[(first + 1) % total][0]


async def test_extending_the_passage_scrolls_its_end_into_view(app: ThaadApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        longest = max(
            range(len(screen.query_one(ArticleList).rows)),
            key=lambda k: screen.query_one(ArticleList).rows[k].info.words,
        )
        screen.query_one(ArticleList).cursor = longest
        await settle(pilot)
        await pilot.press("enter")
        reader = screen.query_one(Reader)
        await pause_until(pilot, lambda: app.focused is reader, "the Reader focused")
        count = reader.paragraph_count
        assert count > 8
        await pilot.press(*["J"] * 8)
        await pause_until(pilot, lambda: reader.passage.last == 8, "the passage extended")

        view = reader.view

        def end_visible() -> bool:
            top, height = view.paragraph_span(8)
            shown = view.scroll_y + view.scrollable_content_region.height
            return view.scroll_y <= top and top + height <= shown

        await pause_until(pilot, end_visible, "the passage's last paragraph on screen")
        assert view.scroll_y > 0


async def test_a_hit_deep_in_a_long_paragraph_is_scrolled_into_view(tmp_path: Path) -> None:
    """At 80x24 the Reader is ten lines tall; the only "zebra" is in the last sentence of a
    paragraph of about 25 lines: finding it shows that line, not the paragraph's top."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "findings" / "long.jsonl", folder)
    app = create_app(paths.resolve(folder, tmp_path / "index", tmp_path / "notes.md"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        reader = main_screen(app).query_one(Reader)
        await pause_until(pilot, lambda: app.focused is reader, "the Reader focused")
        await pilot.press("ctrl+f", *"zebra")
        await pause_until(pilot, lambda: reader.hit_index == 0, "the match")
        view = reader.view
        top, height = view.paragraph_span(1)
        assert height > 2 * view.scrollable_content_region.height

        def last_lines_shown() -> bool:
            bottom = view.scroll_y + view.scrollable_content_region.height
            return view.scroll_y > top and bottom >= top + height - 3

        await pause_until(pilot, last_lines_shown, "the line with the match in view")
