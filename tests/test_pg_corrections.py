"""Entity corrections on a shared PostgreSQL corpus (issue 19): what one user corrects, the
others see, with who made it and when; the corrections file and the notes stay each user's."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from index import paths
from index.library import Library, open_library
from tests.screen import settle, wait_until
from tests.test_app_entities import SIZE, Recorder, corpus_entities, listed
from tui.app import create_app


def _user(name: str, corpus: Path, tmp_path: Path, url: str) -> Library:
    """The library of one user of the shared database (their own notes and index folder)."""
    home = tmp_path / name
    settings, _problems = paths.load_settings(
        corpus, home / "index", home / "notes.md", backend=url
    )
    return open_library(replace(settings, user=name))


def test_a_correction_by_one_user_is_seen_by_another(
    seed_corpus: Path, tmp_path: Path, postgresql_url: str
) -> None:
    alice = _user("alice", seed_corpus, tmp_path, postgresql_url)
    alice.update(build_shared=True, workers=1)
    bob = _user("bob", seed_corpus, tmp_path, postgresql_url)
    assert "Chang Wanquan" in {e.name for e in bob.entities()}
    started = datetime.now(UTC)

    change = alice.record_corrections([("rename", "Chang Wanquan", "Chang Wan-quan")])
    alice.refresh_entities()

    bob.reload()
    names = {e.name for e in bob.entities()}
    assert "Chang Wan-quan" in names and "Chang Wanquan" not in names
    assert len(bob.articles_with_entity("Chang Wan-quan")) == 3
    [made] = bob.shared_corrections().history()
    assert (made.section, made.name, made.value, made.who) == (
        "rename",
        "Chang Wanquan",
        "Chang Wan-quan",
        "alice",
    )
    assert made.at >= started.replace(microsecond=0)
    assert "the shared database postgresql://" in bob.corrections_place
    assert not alice.settings.corrections_path.exists()  # no user's own file was written

    # Bob's correction joins Alice's; Alice's undo takes back hers only.
    bob.record_corrections([("hide", "Seoul", "")])
    alice.undo_corrections(change)
    bob.refresh_entities()
    names = {e.name for e in alice.entities()}
    assert "Chang Wanquan" in names and "Seoul" not in names
    assert [(r.section, r.who) for r in alice.shared_corrections().history()] == [("hide", "bob")]


def test_a_rebuild_keeps_the_shared_corrections(
    seed_corpus: Path, tmp_path: Path, postgresql_url: str
) -> None:
    alice = _user("alice", seed_corpus, tmp_path, postgresql_url)
    alice.update(build_shared=True, workers=1)
    alice.record_corrections([("merge", "Chang Wanquan", "Seoul")])
    bob = _user("bob", seed_corpus, tmp_path, postgresql_url)
    bob.update(rebuild=True, build_shared=True, workers=1)
    seoul = next(e for e in alice.entities() if e.name == "Seoul")
    assert "Chang Wanquan" in seoul.aliases


async def test_a_rename_in_the_app_is_saved_in_the_database(
    seed_corpus: Path, tmp_path: Path, postgresql_url: str
) -> None:
    alice = _user("alice", seed_corpus, tmp_path, postgresql_url)
    alice.update(build_shared=True, workers=1)
    app = create_app(alice.settings)
    recorder = Recorder()
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(pilot)
        entities = await corpus_entities(app, pilot, "Chang Wanquan")
        await pilot.press("r", *"Chang Wan-quan", "enter")
        await wait_until(pilot, lambda: "person:Chang Wan-quan" in listed(entities), "the rename")
        await wait_until(pilot, lambda: "Saved in" in " ".join(recorder.notices()), "the notice")
        notice = next(n for n in recorder.notices() if "Saved in" in n)
        assert "Saved in the shared database postgresql://postgres@" in notice
        assert app.title == f"thaad-tui — {alice.shared}"
    bob = _user("bob", seed_corpus, tmp_path, postgresql_url)
    assert "Chang Wan-quan" in {e.name for e in bob.entities()}
    assert not alice.settings.corrections_path.exists()
