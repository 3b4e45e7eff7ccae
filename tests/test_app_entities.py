"""The Entities and Timeline panes: their keys, entity corrections, and the narrowed timeline.

Every test drives the app through the factory the CLI uses, over a copy of the five seeds,
with the corrections file in the test's own data folder (see ``conftest.isolated_dirs``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import yaml
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from index import paths
from index.library import Library, open_library
from index.models import ENTITY_TYPES as TYPES
from index.paths import Settings
from index.store.corrections import Corrections
from index.store.sqlite_entities import ENTITY_COUNTS_AMONG
from tests.screen import main_screen, settle, wait_until
from tui.app import ThaadApp, create_app
from tui.screens.confirm import ConfirmDialog
from tui.screens.entity_edit import MergeDialog, RenameDialog, TypeDialog, best_matches
from tui.screens.main import MainScreen
from tui.widgets.entity_list import EntityFind, EntityList
from tui.widgets.reader import Reader
from tui.widgets.timeline import EventList

SIZE = (120, 40)


def corrections_path() -> Path:
    """The corrections file of the settings every test here uses (the same user folder)."""
    return paths.resolve().corrections_path


class Recorder:
    """Messages the app saw (harlequin's ``message_hook`` pattern)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def notices(self) -> list[str]:
        return [str(m.notification.message) for m in self.messages if isinstance(m, Notify)]


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[ThaadApp, Pilot, Recorder]]:
    """The app over ``settings``, started, with its start-up index check finished."""
    app = create_app(settings)
    recorder = Recorder()
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(pilot)
        yield app, pilot, recorder


def listed(entities: EntityList) -> list[str]:
    """Option ids (``type:name``) of the entities the pane shows now."""
    return [
        option.id
        for option in (entities.get_option_at_index(i) for i in range(entities.option_count))
        if option.id
    ]


async def corpus_entities(app: ThaadApp, pilot: Pilot, highlight: str) -> EntityList:
    """Focus the Entities pane (3), switch it to the whole corpus (a), highlight an entity."""
    await pilot.press("3", "a")
    await settle(pilot)
    entities = main_screen(app).query_one(EntityList)
    assert entities.scope == "corpus"
    assert entities.select_entity(highlight)
    await settle(pilot)
    return entities


@pytest.fixture
def built(settings: Settings, library: Library) -> Settings:
    """Settings whose index the ``library`` fixture has built."""
    return settings


# -- corrections ----------------------------------------------------------------------------
async def test_rename_is_saved_shown_everywhere_and_survives_reindexing(built: Settings):
    async with running(built) as (app, pilot, recorder):
        entities = await corpus_entities(app, pilot, "Chang Wanquan")
        await pilot.press("r")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RenameDialog)
        assert dialog.query_one(Input).value == "Chang Wanquan"
        await pilot.press(*"Chang Wan-quan", "enter")
        await settle(pilot)

        assert "person:Chang Wan-quan" in listed(entities)
        assert "person:Chang Wanquan" not in listed(entities)
        assert entities.current_entity() == "Chang Wan-quan"
        notice = recorder.notices()[-1]
        assert "Renamed “Chang Wanquan” to “Chang Wan-quan”" in notice
        assert str(corrections_path()) in notice

    saved, problem = Corrections.load(corrections_path())
    assert problem is None
    assert saved.renames == {"Chang Wanquan": "Chang Wan-quan"}

    fresh = open_library(built)
    fresh.update(rebuild=True)
    names = {e.name for e in fresh.entities()}
    assert "Chang Wan-quan" in names and "Chang Wanquan" not in names
    assert len(fresh.articles_with_entity("Chang Wan-quan")) == 3


async def test_rename_of_the_filtered_entity_moves_the_filter_reader_and_timeline(
    built: Settings,
):
    async with running(built) as (app, pilot, _recorder):
        await corpus_entities(app, pilot, "Chang Wanquan")
        await pilot.press("enter")
        await settle(pilot)
        screen = main_screen(app)
        assert screen.entity_filter == "Chang Wanquan"
        events_before = [e.text for e in screen.query_one(EventList).events]

        await pilot.press("r", *"Chang Wan-quan", "enter")
        await settle(pilot)

        assert screen.entity_filter == "Chang Wan-quan"
        assert len(screen.query_one("#article-list").rows) == 3
        subtitle = screen.query_one("#timeline-pane").border_subtitle
        assert str(subtitle) == "Chang Wan-quan over time"
        # The renamed entity keeps its dated events, not just its articles' publication dates.
        assert [e.text for e in screen.query_one(EventList).events] == events_before
        reader = screen.query_one(Reader)
        assert reader.active_entity == "Chang Wan-quan"
        names = {name for _p, _s, _e, name in reader.mentions}
        assert "Chang Wan-quan" in names and "Chang Wanquan" not in names


async def test_merge_picks_the_target_by_fuzzy_match(built: Settings):
    async with running(built) as (app, pilot, recorder):
        before = {e.name: e for e in app.library.entities()}
        entities = await corpus_entities(app, pilot, "Park Geun-hye")
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        await pilot.press(*"moon jae")
        await settle(pilot)
        picker = dialog.query_one(OptionList)
        assert picker.highlighted_option is not None
        assert picker.highlighted_option.id == "Moon Jae-in"
        await pilot.press("enter")
        await settle(pilot)

        assert "person:Park Geun-hye" not in listed(entities)
        after = {e.name: e for e in app.library.entities()}
        moon = after["Moon Jae-in"]
        assert moon.mentions == before["Moon Jae-in"].mentions + before["Park Geun-hye"].mentions
        assert "Park Geun-hye" in moon.aliases
        assert "Merged “Park Geun-hye” into “Moon Jae-in”" in recorder.notices()[-1]
    saved, _ = Corrections.load(corrections_path())
    assert saved.merges == {"Park Geun-hye": "Moon Jae-in"}


def test_best_matches_tolerates_typos_and_lists_everything_for_no_text():
    names = ["Chang Wanquan", "Wang Yi", "Han Min-koo", "China"]
    assert best_matches("chang wnaquan", names)[0] == "Chang Wanquan"
    assert best_matches("", names) == names
    assert best_matches("zzzzqqq", names) == []


async def test_change_type_with_a_letter_and_cancel_with_escape(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        entities = await corpus_entities(app, pilot, "Yonhap")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TypeDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert not corrections_path().exists()

        await pilot.press("t", "x")
        await settle(pilot)
        assert "other:Yonhap" in listed(entities)
        assert "organisation:Yonhap" not in listed(entities)
        assert entities.current_entity() == "Yonhap"
    saved, _ = Corrections.load(corrections_path())
    assert saved.retypes == {"Yonhap": "other"}


async def test_hide_asks_first(built: Settings):
    async with running(built) as (app, pilot, recorder):
        entities = await corpus_entities(app, pilot, "Clark")
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert "place:Clark" in listed(entities)
        assert not corrections_path().exists()

        await pilot.press("h", "y")
        await settle(pilot)
        assert "place:Clark" not in listed(entities)
        assert "Hid “Clark”" in recorder.notices()[-1]
    data = yaml.safe_load(corrections_path().read_text(encoding="utf-8"))
    assert data["hide"] == ["Clark"]


async def test_a_broken_corrections_file_is_reported_and_left_alone(built: Settings):
    path = corrections_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("rename: [unclosed\n", encoding="utf-8")
    async with running(built) as (app, pilot, recorder):
        entities = await corpus_entities(app, pilot, "Wang Yi")
        await pilot.press("r", *"Wang Yi (FM)", "enter")
        await settle(pilot)
        assert "person:Wang Yi" in listed(entities)
        notice = recorder.notices()[-1]
        assert notice.startswith("Correction not saved:") and str(path) in notice
    assert path.read_text(encoding="utf-8") == "rename: [unclosed\n"


async def test_names_with_markup_are_shown_as_typed(built: Settings):
    async with running(built) as (app, pilot, recorder):
        entities = await corpus_entities(app, pilot, "Wang Yi")
        await pilot.press("r", *"[bold]Wang[/]", "enter")
        await settle(pilot)
        assert "person:[bold]Wang[/]" in listed(entities)
        assert "“[bold]Wang[/]”" in recorder.notices()[-1]


async def test_correction_keys_are_hidden_without_a_highlighted_entity(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        entities = await corpus_entities(app, pilot, "China")
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert {"rename", "merge", "retype", "hide"} <= shown
        entities.highlighted = None
        await settle(pilot)
        shown = {b.binding.action for b in app.screen.active_bindings.values()}
        assert not {"rename", "merge", "retype", "hide"} & shown
        await pilot.press("r", "m", "t", "h")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


# -- the Entities pane's other keys -----------------------------------------------------------
async def test_entities_scope_cursor_and_enter(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        screen = main_screen(app)
        await pilot.press("3")
        await settle(pilot)
        entities = screen.query_one(EntityList)
        in_article = listed(entities)
        await pilot.press("a")
        await settle(pilot)
        assert str(screen.query_one("#entities-pane").border_subtitle) == "whole corpus"
        assert len(listed(entities)) > len(in_article)
        await pilot.press("a")
        await settle(pilot)
        assert listed(entities) == in_article

        entities.highlighted = None
        await pilot.press("j")
        first = entities.current_entity()
        await pilot.press("j")
        second = entities.current_entity()
        assert first and second and first != second
        await pilot.press("k")
        assert entities.current_entity() == first

        await pilot.press("enter")
        await settle(pilot)
        assert screen.entity_filter == first
        allowed = set(app.library.articles_with_entity(first))
        rows = screen.query_one("#article-list").rows
        assert rows and {r.info.id for r in rows} <= allowed
        subtitle = str(screen.query_one("#timeline-pane").border_subtitle)
        assert subtitle == f"{first} over time"


# -- the Timeline pane ------------------------------------------------------------------------
async def test_narrowed_timeline_lists_events_beside_publication_dates(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        screen = main_screen(app)
        screen.post_message(_chosen("Chang Wanquan"))
        await settle(pilot)
        events = screen.query_one(EventList).events
        kinds = {e.kind for e in events}
        assert kinds == {"published", "event"}
        published = {e.article for e in events if e.kind == "published"}
        assert published == set(app.library.articles_with_entity("Chang Wanquan"))
        assert all("Chang Wanquan" in e.entities for e in events if e.kind == "event")
        assert [e.date for e in events] == sorted(e.date for e in events)
        await pilot.press("x")
        await settle(pilot)
        assert str(screen.query_one("#timeline-pane").border_subtitle) == "whole corpus"
        assert len(screen.query_one(EventList).events) > len(events)


async def test_enter_on_an_event_opens_its_sentence(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        screen = main_screen(app)
        await pilot.press("4")
        await settle(pilot)
        timeline = screen.query_one(EventList)
        target = next(
            i
            for i, e in enumerate(timeline.rows)
            if e is not None and e.kind == "event" and "Chang Wanquan" in e.entities
        )
        event = timeline.rows[target]
        assert event is not None
        timeline.highlighted = target - 1
        await pilot.press("j")
        assert timeline.highlighted == target
        await pilot.press("k", "j", "enter")
        await settle(pilot)

        reader = screen.query_one(Reader)
        assert app.focused is reader
        assert screen.current_id == event.article
        assert reader.passage.sentence is not None
        assert reader.passage_text() == event.text
        article = app.library.article(event.article)
        assert article is not None
        assert article.paragraphs[reader.passage.first].count(event.text) >= 1


async def test_enter_on_a_publication_opens_the_article_at_the_top(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        screen = main_screen(app)
        await pilot.press("4")
        timeline = screen.query_one(EventList)
        target = next(
            i for i, e in enumerate(timeline.rows) if e is not None and e.kind == "published"
        )
        timeline.highlighted = target
        await pilot.press("enter")
        await settle(pilot)
        chosen = timeline.rows[target]
        assert chosen is not None and screen.current_id == chosen.article
        assert screen.query_one(Reader).passage.sentence is None


# -- the library under the app ----------------------------------------------------------------
def test_mentions_and_timeline_follow_a_rename(library: Library):
    events_before = library.timeline("Chang Wanquan")
    corrections = Corrections()
    corrections.rename("Chang Wanquan", "Chang Wan-quan")
    corrections.save(corrections_path())
    library.refresh_entities()

    article = library.articles_with_entity("Chang Wan-quan")[0]
    names = {m.name for m in library.mentions(article)}
    assert "Chang Wan-quan" in names and "Chang Wanquan" not in names
    assert library.timeline("Chang Wan-quan") == events_before


def test_hidden_entities_have_no_mentions(library: Library):
    article = library.articles_with_entity("Clark")[0]
    assert any(m.name == "Clark" for m in library.mentions(article))
    corrections = Corrections()
    corrections.hide("Clark")
    corrections.save(corrections_path())
    library.refresh_entities()
    assert not any(m.name == "Clark" for m in library.mentions(article))


def _chosen(name: str) -> Message:
    from tui.messages import EntityChosen

    return EntityChosen(name)


# -- issue 14: the Entities pane at a thousand entities ---------------------------------------


async def test_type_to_find_narrows_the_list_as_you_type(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        entities = await corpus_entities(app, pilot, "China")
        everything = listed(entities)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.focused, EntityFind)
        await pilot.press(*"chang")
        await settle(pilot)
        assert listed(entities) == ["person:Chang Wanquan"]
        await pilot.press("backspace", "backspace", "backspace", *"ina")  # "china"
        await settle(pilot)
        assert all("china" in i.lower() for i in listed(entities))
        assert len(listed(entities)) < len(everything)
        await pilot.press("enter")  # back to the list, the first match highlighted
        await settle(pilot)
        assert app.focused is entities
        assert entities.current_entity() == listed(entities)[0].split(":", 1)[1]
        await pilot.press("escape")  # clears the find text
        await settle(pilot)
        assert listed(entities) == everything
        await pilot.press("f", *"zzzz")
        await settle(pilot)
        assert listed(entities) == []
        assert "No entity matches" in str(entities.get_option_at_index(0).prompt)


async def test_find_matches_names_ignoring_case_spaces_and_hyphens(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        entities = await corpus_entities(app, pilot, "China")
        await pilot.press("f", *"parkgeun")
        await settle(pilot)
        assert listed(entities) == ["person:Park Geun-hye"]


async def test_multi_select_merge_then_undo(built: Settings):
    async with running(built) as (app, pilot, recorder):
        before = {e.name: e for e in app.library.entities()}
        entities = await corpus_entities(app, pilot, "Park Geun-hye")
        await pilot.press("space")
        assert entities.select_entity("Chang Wanquan")
        await pilot.press("space")
        await settle(pilot)
        assert list(entities.selected) == ["Park Geun-hye", "Chang Wanquan"]
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        await pilot.press(*"moon jae", "enter")
        await wait_until(pilot, lambda: "person:Park Geun-hye" not in listed(entities), "the merge")

        assert "person:Chang Wanquan" not in listed(entities)
        moon = {e.name: e for e in app.library.entities()}["Moon Jae-in"]
        parts = ("Moon Jae-in", "Park Geun-hye", "Chang Wanquan")
        assert moon.mentions == sum(before[n].mentions for n in parts)
        assert entities.selected == {}
        saved, _ = Corrections.load(corrections_path())
        assert saved.merges == {"Park Geun-hye": "Moon Jae-in", "Chang Wanquan": "Moon Jae-in"}

        await pilot.press("u")  # one undo takes back the whole multi-select merge
        await wait_until(pilot, lambda: "person:Park Geun-hye" in listed(entities), "the undo")
        assert "person:Chang Wanquan" in listed(entities)
        assert Corrections.load(corrections_path())[0].merges == {}
        assert recorder.notices()[-1].startswith("Undone: Merged")
        after = {e.name: e.mentions for e in app.library.entities()}
        assert after == {e.name: e.mentions for e in before.values()}


async def test_undo_takes_back_a_rename_and_then_has_nothing_left(built: Settings):
    async with running(built) as (app, pilot, recorder):
        entities = await corpus_entities(app, pilot, "Chang Wanquan")
        await pilot.press("r", *"Chang Wanquan Jr", "enter")
        await wait_until(pilot, lambda: "person:Chang Wanquan Jr" in listed(entities), "the rename")
        await pilot.press("u")
        await wait_until(pilot, lambda: "person:Chang Wanquan" in listed(entities), "the undo")
        assert entities.current_entity() == "Chang Wanquan"
        assert Corrections.load(corrections_path())[0].renames == {}
        await pilot.press("u")
        await settle(pilot)
        assert recorder.notices()[-1] == "Nothing to undo"


async def test_the_corpus_scope_follows_the_search(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        screen = main_screen(app)
        pane = screen.query_one("#entities-pane")
        entities = await corpus_entities(app, pilot, "China")
        assert str(pane.border_subtitle) == "whole corpus"
        corpus_counts = {e.name: e.mentions for e in app.library.entities()}

        await pilot.press("slash", *"hydrogen", "enter")
        article_list = screen.query_one("#article-list")
        await wait_until(pilot, lambda: 0 < len(article_list.rows) < len(screen.infos), "results")
        shown = [r.info.id for r in article_list.rows]
        await wait_until(pilot, lambda: "shown" in str(pane.border_subtitle), "the pane to follow")

        noun = "article" if len(shown) == 1 else "articles"
        assert str(pane.border_subtitle) == f"{len(shown)} {noun} shown"
        expected = app.library.entities_among(shown)
        assert listed(entities) == [
            f"{e.type}:{e.name}" for t in TYPES for e in expected if e.type == t
        ]
        counts = {e.name: e.mentions for e in expected}
        assert counts["North Korea"] < corpus_counts["North Korea"]  # counted over the results
        for e in expected:
            assert set(e.articles) <= set(shown)

        await pilot.press("slash", "escape")  # clear the search: the whole corpus again
        await wait_until(pilot, lambda: str(pane.border_subtitle) == "whole corpus", "the corpus")
        assert {e.name: e.mentions for e in app.library.entities()} == corpus_counts


def test_entities_among_counts_only_the_given_articles(library: Library):
    ids = [info.id for info in library.articles()][:2]
    among = {e.name: e for e in library.entities_among(ids)}
    for name, entity in among.items():
        per_article = sum(e.mentions for a in ids for e in library.entities(a) if e.name == name)
        assert entity.mentions == per_article
        assert set(entity.articles) <= set(ids)
    assert library.entities_among([]) == []


def test_entities_among_reads_only_the_shown_articles_entities(library: Library):
    """SQLite's planner, left to itself, scanned every article's entities and looked each up
    among the shown ones (60-100 ms at 19,043 articles for a 200-hit search): the shown
    articles are the outer loop of the plan."""
    conn = sqlite3.connect(library.settings.index_dir / "catalogue.sqlite")
    conn.execute("CREATE TEMP TABLE shown_articles (id TEXT PRIMARY KEY)")
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + ENTITY_COUNTS_AMONG, (10,))]
    assert plan[0].startswith("SCAN shown_articles")
    assert any("article_entities USING INDEX" in step and "article=?" in step for step in plan)


async def test_undo_brings_back_a_hidden_entity(built: Settings):
    async with running(built) as (app, pilot, _recorder):
        entities = await corpus_entities(app, pilot, "Clark")
        await pilot.press("h", "y")
        await wait_until(pilot, lambda: "place:Clark" not in listed(entities), "the hide")
        await pilot.press("u")
        await wait_until(pilot, lambda: "place:Clark" in listed(entities), "the undo")
    assert Corrections.load(corrections_path())[0].hidden == set()
