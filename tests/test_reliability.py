"""Damaged and hostile files: each problem is detected, said in one line, and recovered from.

Covered: truncated Whoosh segments, stale writer locks left by a killed process, an index from
an older schema, a corrupt SQLite catalogue, an index folder that cannot be written, broken
YAML the user edits, hostile ids and file names, and running without a terminal.
"""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index

from index import paths
from index.library import Library, open_library
from index.store.catalogue import CatalogueDamaged
from tui import cli

Damage = Callable[[Path], None]


def truncate_segments(index_dir: Path) -> None:
    for segment in (index_dir / "whoosh").glob("*.seg"):
        data = segment.read_bytes()
        segment.write_bytes(data[: len(data) // 3])


def old_catalogue_schema(index_dir: Path) -> None:
    with sqlite3.connect(index_dir / "catalogue.sqlite") as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        # An older catalogue also lacked columns (and the indexes over them) this version reads.
        db.execute("DROP INDEX IF EXISTS articles_list")
        db.execute("ALTER TABLE articles DROP COLUMN words")


def old_whoosh_schema(index_dir: Path) -> None:
    folder = index_dir / "whoosh"
    shutil.rmtree(folder)
    folder.mkdir()
    schema = whoosh_fields.Schema(id=whoosh_fields.ID(stored=True), text=whoosh_fields.TEXT)
    ix = whoosh_index.create_in(str(folder), schema)
    with ix.writer() as writer:
        writer.add_document(id="x", text="old")
    ix.close()


def corrupt_catalogue(index_dir: Path) -> None:
    target = index_dir / "catalogue.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.write_bytes(b"this is not a database, just bytes " * 200)


def missing_catalogue_rows(index_dir: Path) -> None:
    with sqlite3.connect(index_dir / "catalogue.sqlite") as db:
        db.execute("DELETE FROM articles WHERE rowid IN (SELECT rowid FROM articles LIMIT 2)")


def flip_bytes(seed: int) -> Damage:
    """50 random bytes inverted inside the catalogue's pages (past the 100-byte header)."""

    def damage(index_dir: Path) -> None:
        target = index_dir / "catalogue.sqlite"
        data = bytearray(target.read_bytes())
        pick = random.Random(seed)
        for _ in range(50):
            data[pick.randrange(100, len(data))] ^= 0xFF
        target.write_bytes(bytes(data))

    return damage


def catalogue_is_a_folder(index_dir: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index_dir / 'catalogue.sqlite'}{suffix}").unlink(missing_ok=True)
    (index_dir / "catalogue.sqlite").mkdir()
    (index_dir / "catalogue.sqlite" / "stray.txt").write_text("x")


def whoosh_is_a_file(index_dir: Path) -> None:
    shutil.rmtree(index_dir / "whoosh")
    (index_dir / "whoosh").write_text("not an index")


DAMAGE: dict[str, Damage] = {
    "truncated segments": truncate_segments,
    "older catalogue schema": old_catalogue_schema,
    "older whoosh schema": old_whoosh_schema,
    "corrupt catalogue": corrupt_catalogue,
    "catalogue and full text disagree": missing_catalogue_rows,
    "catalogue is a folder": catalogue_is_a_folder,
    "whoosh is a file": whoosh_is_a_file,
}


@pytest.fixture
def built(settings: paths.Settings) -> paths.Settings:
    library = open_library(settings)
    library.update()
    library.fulltext.close()
    library.catalogue.close()
    return settings


def close(library: Library) -> None:
    library.fulltext.close()
    library.catalogue.close()


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_index_is_explained_and_rebuilt(built: paths.Settings, damage: Damage):
    damage(built.index_dir)
    library = open_library(built)
    # Reading before the update (the app shows the list first) must not raise either.
    before = library.articles()
    assert isinstance(before, list)
    report = library.update()
    assert report.rebuilt
    assert len(report.notices) == 1
    assert "\n" not in report.notices[0]
    assert "damaged" in report.notices[0]
    assert len(library.articles()) == 5
    assert library.search("THAAD")
    assert library.update().rebuilt is None
    close(library)


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_index_cli_warns_once_and_works(
    built: paths.Settings, damage: Damage, capsys: pytest.CaptureFixture[str]
):
    damage(built.index_dir)
    where = ["--corpus", str(built.corpus_roots[0]), "--index-dir", str(built.index_dir)]
    assert cli.main(["articles", *where]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5
    assert err.count("\n") == 1 and err.startswith("warning: index in ")
    assert "Traceback" not in err


def garble_a_title(index_dir: Path) -> None:
    """Damage inside a text value only: SQLite's structure check cannot see it."""
    target = index_dir / "catalogue.sqlite"
    data = target.read_bytes()
    at = data.index(b"China raises concerns")
    target.write_bytes(data[:at] + b"\xff" + data[at + 1 :])


def test_damaged_text_is_found_when_read_and_rebuilt(
    built: paths.Settings, capsys: pytest.CaptureFixture[str]
):
    garble_a_title(built.index_dir)
    library = open_library(built)
    with pytest.raises(CatalogueDamaged):
        library.articles()
    close(library)
    where = ["--corpus", str(built.corpus_roots[0]), "--index-dir", str(built.index_dir)]
    assert cli.main(["articles", *where]) == 0
    out, err = capsys.readouterr()
    assert "China raises concerns over missile defense" in out
    assert len(out.splitlines()) == 5
    assert err.count("\n") == 1 and "damaged (catalogue unreadable: infos:" in err
    assert cli.main(["articles", *where]) == 0
    assert capsys.readouterr().err == ""  # rebuilt once, not on every command


def test_damage_found_while_a_build_holds_the_lock_is_rebuilt_by_the_next_update(
    built: paths.Settings,
):
    """A reader that finds damage while another build holds the writers' lock leaves a
    mark; the next update in the same run rebuilds (it did not: the mark was only read when
    the index was opened, so the app's list stayed empty until a restart)."""
    from filelock import FileLock

    garble_a_title(built.index_dir)
    library = open_library(built)
    with pytest.raises(CatalogueDamaged) as found:
        library.articles()
    with FileLock(str(built.index_dir / "writer.lock")):  # the build that holds it
        library.recover(f"catalogue unreadable: {found.value}")
    report = library.update()
    assert report.rebuilt is not None and "catalogue unreadable" in report.rebuilt
    assert "China raises concerns over missile defense" in {i.title for i in library.articles()}
    assert library.update().rebuilt is None  # the mark is answered once
    close(library)


@pytest.mark.parametrize("seed", range(1, 8))
def test_flipped_bytes_in_the_catalogue_never_give_a_traceback(
    built: paths.Settings, seed: int, capsys: pytest.CaptureFixture[str]
):
    """Wherever 50 flipped bytes land, every command works (rebuilding when it finds them)."""
    flip_bytes(seed)(built.index_dir)
    where = ["--corpus", str(built.corpus_roots[0]), "--index-dir", str(built.index_dir)]
    assert cli.main(["articles", *where]) == 0
    ids = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert len(ids) == 5
    for command in (["search", "THAAD"], ["entities"], ["timeline"], *(["show", i] for i in ids)):
        assert cli.main([*command, *where]) == 0, command
        out, err = capsys.readouterr()
        assert out and err.count("\n") <= 1
    library = open_library(built)
    assert library.update().rebuilt is None
    assert [library.article(i) is not None for i in ids] == [True] * 5
    close(library)


def test_lock_file_that_is_a_folder(built: paths.Settings, capsys: pytest.CaptureFixture[str]):
    lock = built.index_dir / "writer.lock"
    lock.unlink()
    lock.mkdir()
    where = ["--corpus", str(built.corpus_roots[0]), "--index-dir", str(built.index_dir)]
    assert cli.main(["articles", *where]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5
    assert err == f"warning: removed a folder in place of the lock file {lock}\n"
    assert lock.is_file()


def test_corrupt_catalogue_can_be_read_before_update(built: paths.Settings):
    """The app lists articles before its update worker runs: that read must not crash."""
    corrupt_catalogue(built.index_dir)
    library = open_library(built)
    assert library.articles() == []
    assert library.entities() == []
    report = library.update()
    assert "catalogue unreadable" in report.notices[0]
    close(library)


HOLD_LOCKS = """
import sys, time
from filelock import FileLock
from whoosh import index
lock = FileLock(sys.argv[1] + "/writer.lock")
lock.acquire()
writer = index.open_dir(sys.argv[1] + "/whoosh").writer()
print("locked", flush=True)
time.sleep(60)
"""


def test_stale_locks_from_a_killed_process_do_not_block(built: paths.Settings):
    """A process killed while holding ``writer.lock`` and Whoosh's ``MAIN_WRITELOCK``."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCKS, str(built.index_dir)], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        holder.send_signal(signal.SIGKILL)
    assert (built.index_dir / "writer.lock").exists()
    assert (built.index_dir / "whoosh" / "MAIN_WRITELOCK").exists()
    (built.corpus_roots[0] / "new.txt").write_text(
        "A new THAAD headline for the stale lock test\n\nSeoul officials spoke again about "
        "the THAAD battery and its radar on Monday.\n",
        encoding="utf-8",
    )
    library = open_library(built)
    started = time.monotonic()
    report = library.update()
    assert time.monotonic() - started < 10  # the lock timeout is 30 s: it never waited on it
    assert report.added == 1
    assert len(library.search("stale")) == 1
    close(library)


def test_unwritable_index_folder_runs_from_a_temporary_index(
    seed_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Tests run as root, where permission bits do not stop writes: a FILE where the index
    folder should be fails the same way a read-only folder does (the write is refused)."""
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    settings = paths.resolve(seed_corpus, blocked / "index", tmp_path / "notes.md")
    library = open_library(settings)
    assert library.index_dir != settings.index_dir
    # The library's settings name the folder it uses: the two never disagree.
    assert library.settings.index_dir == library.index_dir
    report = library.update()
    assert report.added == 5
    assert len(report.notices) == 1 and "temporary index" in report.notices[0]
    assert library.update().notices == []  # said once
    close(library)
    assert blocked.read_text() == "not a folder"

    code = cli.main(["articles", "--corpus", str(seed_corpus), "--index-dir", str(blocked / "x")])
    out, err = capsys.readouterr()
    assert code == 0
    assert len(out.splitlines()) == 5
    assert err.count("\n") == 1 and "cannot write the index in" in err


def test_unwritable_cache_folder_from_environment(
    seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("x")
    monkeypatch.setenv(paths.ENV_CACHE_DIR, str(cache))
    library = open_library(paths.resolve(seed_corpus))
    report = library.update()
    assert len(library.articles()) == 5
    assert str(cache) in report.notices[0]
    close(library)


# -- YAML the user edits -------------------------------------------------------------------
BROKEN_YAML = b"# my settings\nnotes: notes.md\n  corpus: [unclosed\n"


def test_broken_config_is_named_with_line_and_left_alone(
    seed_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    config = paths.resolve().config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(BROKEN_YAML)
    code = cli.main(["articles", "--corpus", str(seed_corpus), "--index-dir", str(tmp_path / "i")])
    out, err = capsys.readouterr()
    assert code == 0 and len(out.splitlines()) == 5
    assert f"{config}:3:" in err and "file ignored" in err
    assert config.read_bytes() == BROKEN_YAML


def test_broken_metadata_is_named_with_line_and_left_alone(
    seed_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    metadata = seed_corpus / "metadata.yaml"
    where = ["--corpus", str(seed_corpus), "--index-dir", str(tmp_path / "i")]
    assert cli.main(["index", *where]) == 0
    capsys.readouterr()
    metadata.write_bytes(BROKEN_YAML)
    for command in ("articles", "index"):
        code = cli.main([command, *where])
        _, err = capsys.readouterr()
        assert code == 0, command
        assert f"{metadata}:3:" in err and "file ignored" in err, command
    assert metadata.read_bytes() == BROKEN_YAML


def test_broken_entity_corrections_are_reported_and_left_alone(
    seed_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    corrections = paths.resolve().corrections_path
    corrections.parent.mkdir(parents=True, exist_ok=True)
    corrections.write_bytes(BROKEN_YAML)
    where = ["--corpus", str(seed_corpus), "--index-dir", str(tmp_path / "i")]
    assert cli.main(["entities", *where]) == 0
    out, err = capsys.readouterr()
    assert "THAAD" in out
    assert f"{corrections}:3:" in err and "file ignored" in err
    library = open_library(paths.resolve(seed_corpus, tmp_path / "i"))
    library.refresh_entities()
    assert corrections.read_bytes() == BROKEN_YAML
    close(library)


# -- paths ---------------------------------------------------------------------------------
def test_hostile_ids_and_names_never_leave_the_owned_folders(
    seed_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text(
        "Sneaky headline about THAAD\n\nA paragraph about the THAAD deployment in Seongju, "
        "written to test file names.\n",
        encoding="utf-8",
    )
    (seed_corpus / "evil.jsonl").write_text(
        '{"id": "../../etc/passwd", "title": "../../etc/passwd", "text": "THAAD body text."}\n',
        encoding="utf-8",
    )
    where = ["--corpus", str(seed_corpus), "--index-dir", str(tmp_path / "i")]
    climbing = outside / ".." / "outside" / "x.txt"
    assert cli.main(["add", str(climbing), *where]) == 0
    assert (seed_corpus / "x.txt").is_file()
    assert cli.main(["show", "../../etc/passwd", *where]) == 2  # every error exits 2 (issue 12)
    _, err = capsys.readouterr()
    assert "no article with id" in err
    library = open_library(paths.resolve(seed_corpus, tmp_path / "i"))
    sources = library.article_paths()
    for info in library.articles():
        assert "/" not in info.id and ".." not in info.id
        path = sources.get(info.id)
        assert path is not None and path.resolve().is_relative_to(seed_corpus.resolve())
    close(library)
    assert sorted(p.name for p in outside.iterdir()) == ["x.txt"]


# -- the terminal --------------------------------------------------------------------------
def test_app_without_a_terminal_points_to_the_commands(seed_corpus: Path):
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--corpus", str(seed_corpus)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr
    assert "thaad-tui articles" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


async def test_app_rebuilds_an_index_whose_text_is_damaged(built: paths.Settings):
    """The app finds damaged text when it reads the list: it says so and rebuilds."""
    from tests.screen import main_screen, wait_until
    from tui.app import create_app

    garble_a_title(built.index_dir)
    app = create_app(built)
    notices: list[str] = []
    app.notify = lambda message, **kwargs: notices.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        # Bounded by time, not by a count of settles: the rebuild runs in the build's own
        # thread, which settle() does not wait for, so 100 quick settles could end before it.
        await wait_until(pilot, lambda: len(main_screen(app).infos) == 5, "the rebuilt list")
        titles = {i.title for i in main_screen(app).infos}
    assert "China raises concerns over missile defense" in titles and len(titles) == 5
    # found by the first page's read now (issue 20), or by the whole list's
    damaged = ("The index is damaged (infos:", "The index is damaged (first_infos:")
    assert any(n.startswith(damaged) for n in notices), notices
    assert any(
        "was damaged (catalogue unreadable: " in n and "infos:" in n and "rebuilt" in n
        for n in notices
    )
