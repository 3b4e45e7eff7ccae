"""The Quotes view: grouped by speaker with counts and citations, enter opens the article at
the quote, b bookmarks it with its citation (tests/fixtures/quotes)."""

from __future__ import annotations

from pathlib import Path

from index import paths
from index.library import open_library
from index.notes.notebook import NotesFile
from tests.screen import fixture_settings, main_screen, screen_text, settle, wait_until
from tui.app import create_app
from tui.screens.bookmark import BookmarkDialog
from tui.screens.quotes import QuotesScreen, QuotesView
from tui.widgets.reader import Reader

FIXTURE = Path(__file__).parent / "fixtures" / "quotes"


def built(tmp_path: Path) -> paths.Settings:
    return fixture_settings(FIXTURE, tmp_path)


async def open_quotes(app, pilot) -> QuotesScreen:
    await settle(pilot)
    await pilot.press("Q")
    await wait_until(pilot, lambda: isinstance(app.screen, QuotesScreen), "the Quotes view")
    screen = app.screen
    assert isinstance(screen, QuotesScreen)
    await wait_until(pilot, lambda: screen.by_option, "quotes to be listed")
    return screen


def highlight(screen: QuotesScreen, speaker: str, first_word: str) -> None:
    view = screen.query_one(QuotesView)
    for index in range(view.option_count):
        c = screen.by_option.get(view.get_option_at_index(index).id or "")
        if c is not None and c.speaker == speaker and c.quote.text.startswith(first_word):
            view.highlighted = index
            return
    raise AssertionError(f"no quote by {speaker} starting {first_word!r}")


async def test_quotes_view_groups_by_speaker_and_opens_the_article_at_the_quote(
    tmp_path: Path,
) -> None:
    settings = built(tmp_path)
    app = create_app(settings)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_quotes(app, pilot)
        text = screen_text(app)
        assert "5 quotes by 3 speakers" in text
        # the most quoted first, with counts; each quote with outlet and date
        assert text.index("Han Min-koo  2 quotes") < text.index("A senior defense official  1")
        assert "“We urge the parties to stop the deployment at once,”" in text
        assert "said · Other Daily · 2017-03-05 · Beijing objects again ¶3" in text
        highlight(screen, "Hua Chunying", "We urge")
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, QuotesScreen), "the Reader")
        reader = main_screen(app).query_one(Reader)
        await wait_until(
            pilot,
            lambda: (
                reader.article is not None
                and reader.article.title == "Beijing objects again"
                and reader.passage.first == 2
            ),
            "the Reader's passage cursor on the quote's paragraph",
        )


async def test_b_bookmarks_the_quote_with_its_citation_and_speaker(tmp_path: Path) -> None:
    settings = built(tmp_path)
    app = create_app(settings)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_quotes(app, pilot)
        highlight(screen, "A senior defense official", "the radar")
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BookmarkDialog), "the dialog")
        await pilot.press("enter")
        notes = NotesFile(settings.notes_path)
        await wait_until(
            pilot,
            lambda: settings.notes_path.exists() and notes.load().bookmarks,
            "the bookmark to be saved",
        )
        (b,) = notes.load().bookmarks
        assert (
            b.text == "A senior defense official said the radar would be switched on within weeks."
        )
        assert b.paragraph == 3 and b.title == "Seoul defends the battery"
        assert b.outlet == "Fixture Wire" and b.url == "https://example.org/q1"
        assert b.comment == "A senior defense official (reported)"
        assert isinstance(app.screen, QuotesScreen)  # back in the view after saving


async def test_quotes_view_from_the_command_palette_and_on_an_empty_corpus(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(
        '{"id": "n", "title": "Quiet day", "date": "2017-01-01", "text": "Nothing happened."}\n'
    )
    settings = paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md")
    open_library(settings).update()
    app = create_app(settings)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quotes" in commands
        app.action_quotes()
        await wait_until(pilot, lambda: isinstance(app.screen, QuotesScreen), "the Quotes view")
        await wait_until(pilot, lambda: "No quotes in this corpus" in screen_text(app), "status")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, QuotesScreen), "going back")


async def test_a_failure_to_read_the_quotes_is_shown(tmp_path: Path, monkeypatch) -> None:
    settings = built(tmp_path)
    app = create_app(settings)

    def broken(*_args, **_kwargs):
        raise OSError("disk went away")

    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.library, "quotes", broken)
        await pilot.press("Q")
        await wait_until(
            pilot,
            lambda: "Could not read the quotes: disk went away" in screen_text(app),
            "the failure message",
        )


async def test_reader_marks_quoted_passages_and_entities_count_quotes(tmp_path: Path) -> None:
    from tui.widgets.entity_list import EntityList

    settings = built(tmp_path)
    library = open_library(settings)
    article_id = next(a.id for a in library.articles() if a.title == "Beijing objects again")
    app = create_app(settings)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        main = main_screen(app)
        main.open_article(article_id)
        reader = main.query_one(Reader)
        await wait_until(
            pilot,
            lambda: reader.article is not None and reader.article.id == article_id,
            "the article",
        )
        shown = [reader.view.shown_text(i) for i in range(reader.paragraph_count)]
        assert "❝" not in shown[0]  # nobody is quoted in the first paragraph
        assert shown[1].endswith("❝ Hua Chunying") and shown[2].endswith("❝ Hua Chunying")
        entities = main.query_one(EntityList)
        labels = [str(entities.get_option_at_index(i).prompt) for i in range(entities.option_count)]
        assert any(label.strip().startswith("Hua Chunying") and "❝2" in label for label in labels)
        entities.scope = "corpus"
        await wait_until(
            pilot,
            lambda: any(
                "Han Min-koo" in str(entities.get_option_at_index(i).prompt)
                and "❝2" in str(entities.get_option_at_index(i).prompt)
                for i in range(entities.option_count)
            ),
            "corpus-wide quote counts",
        )


def test_a_big_corpus_lists_the_most_quoted_speakers_first_up_to_the_cap(
    tmp_path: Path, monkeypatch
) -> None:
    import tui.screens.quotes as quotes_screen

    settings = built(tmp_path)
    library = open_library(settings)
    monkeypatch.setattr(quotes_screen, "MAX_SHOWN", 3)
    listing = QuotesScreen(library).listing(library.quotes())
    assert [c.speaker for c in listing.by_option.values()] == [
        "Han Min-koo",
        "Han Min-koo",
        "Hua Chunying",
    ]
    assert listing.status.startswith("5 quotes by 3 speakers")
    assert "Showing the 3 of the most quoted speakers" in listing.status
