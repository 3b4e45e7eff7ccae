"""Settings own every location and option: environment read in one place, config keys checked,
the corrections file and the index folder taken from the settings, never from elsewhere."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.notifications import Notify
from textual.pilot import Pilot

from index import paths
from index.build.builder import UpdateReport
from index.library import Library, StoreUnavailable, open_library
from index.store.corrections import Corrections
from tui import cli
from tui.app import create_app


def write_config(text: str) -> Path:
    config = paths.resolve().config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    return config


# -- the config file ---------------------------------------------------------------------------
def test_an_unknown_key_is_a_warning_naming_it_and_the_file(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("corpus: here\nthem: nord\n", encoding="utf-8")
    loaded, problems = paths.load_config(config)
    assert loaded == {"corpus": "here"}
    assert len(problems) == 1
    assert str(config) in problems[0] and "'them'" in problems[0]
    assert "theme" in problems[0]  # the known keys are listed: the misspelling is plain


def test_the_cli_warns_of_an_unknown_key_and_runs(
    seed_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config("colour: red\n")
    where = ["--corpus", str(seed_corpus), "--index-dir", str(tmp_path / "ix")]
    assert cli.main(["articles", *where]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5
    assert err.startswith(f"warning: {config}: unknown key 'colour' ignored")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("workers: two", "'workers' must be a whole number of processes, 1 or more, not str 'two'"),
        ("workers: 0", "'workers' must be a whole number of processes, 1 or more, not int 0"),
        ("backend: elastic", "'backend' must be \"whoosh\" or a postgresql:// URL, not str"),
        ("theme: 5", "'theme' must be the name of a theme (text), not int 5"),
        ("data_dir: [a]", "'data_dir' must be the path of a folder (text), not list"),
    ],
)
def test_a_bad_value_is_a_clear_message_and_ignored(tmp_path: Path, line: str, says: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(line + "\n", encoding="utf-8")
    loaded, problems = paths.load_config(config)
    assert loaded == {}
    assert problems == [f"{config}: {problems[0].split(': ', 1)[1]}"]
    assert says in problems[0] and problems[0].endswith("; value ignored")


def test_a_password_in_a_bad_backend_value_is_not_shown(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("backend: mysql://me:s3cret@db/x\n", encoding="utf-8")
    _loaded, problems = paths.load_config(config)
    assert "s3cret" not in problems[0] and "me:***@db" in problems[0]


def test_known_keys_are_applied(tmp_path: Path) -> None:
    write_config(
        f"data_dir: {tmp_path / 'data'}\ncache_dir: {tmp_path / 'cache'}\n"
        "theme: nord\nworkers: 1\nbackend: whoosh\n"
    )
    settings, problems = paths.load_settings(
        environ={paths.ENV_CONFIG: str(paths.resolve().config_path)}
    )
    assert problems == []
    assert settings.data_dir == tmp_path / "data"
    assert settings.corrections_path == tmp_path / "data" / "entities.yaml"
    assert settings.notes_path == tmp_path / "data" / "notes.md"
    assert settings.writable_root == tmp_path / "data" / "corpus"
    assert settings.index_dir.is_relative_to(tmp_path / "cache")
    assert (settings.theme, settings.workers, settings.backend) == ("nord", 1, "whoosh")


@pytest.mark.parametrize("workers", [1, 3])
def test_the_config_workers_are_the_build_s(
    seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """The build analyses with the configured number of processes (default: up to two)."""
    from index.build import builder

    asked: list[int] = []
    real = builder._results

    def spy(jobs: list[Any], count: int) -> Any:
        asked.append(count)
        return real(jobs, count)

    monkeypatch.setattr(builder, "_results", spy)
    write_config(f"workers: {workers}\n")
    settings, problems = paths.load_settings(seed_corpus, tmp_path / "ix", tmp_path / "n.md")
    assert problems == [] and settings.workers == workers
    assert open_library(settings).update().added == 5
    assert asked == [workers]


def test_settings_never_show_a_password(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("backend: postgresql://me:s3cret@db/x\nuser: kim\n", encoding="utf-8")
    settings, problems = paths.load_settings(environ={paths.ENV_CONFIG: str(config)})
    assert problems == [] and settings.user == "kim"
    assert settings.backend == "postgresql://me:s3cret@db/x"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings)


def test_flags_beat_the_environment_which_beats_the_config(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("corpus: from-config\nnotes: config.md\nbackend: whoosh\n", encoding="utf-8")
    env = {
        paths.ENV_CONFIG: str(config),
        paths.ENV_CORPUS: "from-env",
        paths.ENV_BACKEND: "postgresql://h/db",
    }
    settings, _ = paths.load_settings(environ=env)
    assert settings.corpus_roots == (Path("from-env"),)
    assert settings.notes_path == Path("config.md")
    assert settings.backend == "postgresql://h/db"
    flagged, _ = paths.load_settings("from-flag", environ=env, backend="whoosh")
    assert flagged.corpus_roots == (Path("from-flag"),)
    assert flagged.backend == "whoosh"


def test_the_environment_is_read_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The environment given is the one used: nothing else reads os.environ behind it."""
    monkeypatch.setenv(paths.ENV_CORPUS, str(tmp_path / "env-corpus"))
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path / "env-data"))
    settings, _ = paths.load_settings(environ={paths.ENV_DATA_DIR: str(tmp_path / "given")})
    assert settings.data_dir == tmp_path / "given"
    assert settings.corrections_path.parent == tmp_path / "given"
    assert tmp_path / "env-corpus" not in settings.corpus_roots


# -- the rest of the code is given the settings --------------------------------------------------
def _library(corpus: Path, base: Path) -> Library:
    settings, _ = paths.load_settings(
        corpus, base / "ix", base / "notes.md", environ={paths.ENV_DATA_DIR: str(base / "data")}
    )
    return open_library(settings)


def test_each_library_applies_the_corrections_of_its_own_settings(
    seed_corpus: Path, tmp_path: Path
) -> None:
    """Two libraries in one process, two data folders: each reads its own corrections file
    (it was read from the environment, the same for both)."""
    mine = _library(seed_corpus, tmp_path / "mine")
    other_corpus = tmp_path / "other-corpus"
    shutil.copytree(seed_corpus, other_corpus)
    other = _library(other_corpus, tmp_path / "other")
    assert mine.settings.corrections_path != other.settings.corrections_path
    corrections = Corrections()
    corrections.hidden.add("THAAD")
    corrections.save(mine.settings.corrections_path)
    mine.update()
    other.update()
    assert "THAAD" not in {e.name for e in mine.entities()}
    assert "THAAD" in {e.name for e in other.entities()}


def test_a_backend_this_version_cannot_open_is_said_without_its_password(
    seed_corpus: Path, tmp_path: Path
) -> None:
    settings, _ = paths.load_settings(
        seed_corpus, tmp_path / "ix", environ={paths.ENV_BACKEND: "mysql://me:pw9@h/db"}
    )
    with pytest.raises(StoreUnavailable) as refused:
        open_library(settings)
    assert "pw9" not in str(refused.value) and "mysql://me:***@h/db" in str(refused.value)


# -- notices are return values -------------------------------------------------------------------
def test_what_opening_found_is_in_the_first_report_only(seed_corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "ix").mkdir()
    (tmp_path / "ix" / "writer.lock").mkdir()  # a folder where the lock file goes
    library = open_library(paths.resolve(seed_corpus, tmp_path / "ix", tmp_path / "n.md"))
    assert not hasattr(library, "notices")  # no side channel to clear
    first = library.update()
    assert isinstance(first, UpdateReport)
    assert first.notices == [
        f"removed a folder in place of the lock file {tmp_path / 'ix' / 'writer.lock'}"
    ]
    assert library.update().notices == []


def test_a_broken_corrections_file_is_said_by_each_update(
    seed_corpus: Path, tmp_path: Path
) -> None:
    library = open_library(paths.resolve(seed_corpus, tmp_path / "ix", tmp_path / "n.md"))
    path = library.settings.corrections_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("merge: [unclosed\n", encoding="utf-8")
    for _ in range(2):
        notices = library.update().notices
        assert len(notices) == 1 and str(path) in notices[0] and "file ignored" in notices[0]


# -- the theme -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("theme", "applied"), [("nord", "nord"), ("no-such-theme", None)])
async def test_the_config_theme_is_applied_or_said(
    seed_corpus: Path, tmp_path: Path, theme: str, applied: str | None
) -> None:
    config = write_config(f"theme: {theme}\n")
    settings, problems = paths.load_settings(seed_corpus, tmp_path / "ix", tmp_path / "n.md")
    assert problems == [] and settings.theme == theme
    app = create_app(settings)
    said: list[str] = []

    def hook(message: object) -> None:
        if isinstance(message, Notify):
            said.append(str(message.notification.message))

    unknown = f"{config}: unknown theme 'no-such-theme'"
    async with app.run_test(size=(100, 30), message_hook=hook) as pilot:
        if applied:
            await until(pilot, lambda: app.theme == applied, "the theme to be applied")
            await pilot.pause()  # a notice posted with it would be handled by now
            assert not any("theme" in s for s in said)
        else:
            await until(pilot, lambda: any(unknown in s for s in said), "the unknown theme said")
            assert app.theme != theme

        def built() -> bool:  # not left building in the background while other tests run
            thread = app.build_thread
            return thread is not None and not thread.is_alive()

        await until(pilot, built, "the start-up build to finish")


async def until(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` between event-loop turns, for 60 seconds at most."""
    deadline = time.monotonic() + 60
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await pilot.pause(0.02)


def test_the_cli_says_an_unavailable_backend_in_one_line(
    seed_corpus: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (postgresql:// is a backend this version opens: tests/test_pg_safety.py)
    monkeypatch.setenv(paths.ENV_BACKEND, "mysql://me:pw9@h/db")
    code = cli.main(["articles", "--corpus", str(seed_corpus), "--index-dir", str(tmp_path / "i")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (
        "thaad-tui: backend 'mysql://me:***@h/db' is not available in this version "
        '(use "whoosh")\n'
    )


def test_config_problems_are_said_once_when_a_command_rebuilds_and_runs_again(
    seed_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Damaged text found while reading: the command rebuilds and runs again, and the config's
    unknown key is still said once (it was said three times: settings were read again)."""
    config = write_config("colour: red\n")
    where = ["--corpus", str(seed_corpus), "--index-dir", str(tmp_path / "ix")]
    built = open_library(paths.resolve(seed_corpus, tmp_path / "ix"))
    built.update()
    built.catalogue.close()  # its log written into the file, where the bytes are changed
    built.fulltext.close()
    catalogue = tmp_path / "ix" / "catalogue.sqlite"
    data = catalogue.read_bytes()
    at = data.index(b"China raises concerns")
    catalogue.write_bytes(data[:at] + b"\xff" + data[at + 1 :])  # text only: found when read
    assert cli.main(["articles", *where]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5
    assert "catalogue unreadable" in err
    assert err.count(f"{config}: unknown key 'colour'") == 1
