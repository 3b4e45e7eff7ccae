"""Bad input to the command line: wrong config values, files `add` cannot or need not copy."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index import paths
from tests.test_kill import TmuxApp, needs_tmux, wait_for
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- config values of the wrong type ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "kind"),
    [
        ("corpus: 5", "corpus", "int 5"),
        ("corpus: true", "corpus", "bool True"),
        ("index_dir: [1, 2]", "index_dir", "list [1, 2]"),
        ("notes: {a: 1}", "notes", "dict {'a': 1}"),
    ],
)
def test_a_config_value_of_the_wrong_type_is_named_and_ignored(
    capsys: pytest.CaptureFixture[str], line: str, key: str, kind: str
) -> None:
    config = paths.resolve().config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"{line}\n", encoding="utf-8")
    code, out, err = run(capsys, "notes", "--path")
    assert code == 0
    assert out == f"{paths.resolve().notes_path}\n"
    what = "a file" if key == "notes" else "a folder"
    assert err == (
        f"warning: {config}: '{key}' must be the path of {what} (text), not {kind}; value ignored\n"
    )


def test_the_good_values_of_a_config_with_a_bad_one_are_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = paths.resolve().config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"corpus: 5\nnotes: {tmp_path / 'mine.md'}\n", encoding="utf-8")
    code, out, err = run(capsys, "notes", "--path")
    assert (code, out) == (0, f"{tmp_path / 'mine.md'}\n")
    assert "'corpus' must be the path of a folder" in err and "notes" not in err


def test_bad_config_values_stop_no_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = paths.resolve().config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("corpus: 5\nindex_dir: 7\n", encoding="utf-8")
    where = ["--corpus", str(tmp_path / "c"), "--index-dir", str(tmp_path / "ix")]
    os.mkdir(tmp_path / "c")
    for command in (["index"], ["articles"], ["timeline"], ["entities"], ["notes"]):
        code, _out, err = run(capsys, *command, *where)
        assert code == 0, (command, err)
        assert err.count("value ignored") == 2, (command, err)


# --- add: files already there, files that cannot be indexed, hidden files -------------------

ARTICLE = "A title about Seongju\n\nResidents of Seongju protested against the THAAD battery.\n"


@pytest.fixture
def corpus_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(ARTICLE.replace("Residents", "Farmers"), "utf-8")
    monkeypatch.setenv(paths.ENV_CORPUS, str(folder))
    monkeypatch.setenv(paths.ENV_INDEX_DIR, str(tmp_path / "index"))
    return folder


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_add_of_a_file_already_in_the_corpus_says_so_and_copies_nothing(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    run(capsys, "index")
    before = listing(corpus_dir)
    code, out, err = run(capsys, "add", str(corpus_dir / "a.txt"), str(corpus_dir / "sub/b.txt"))
    assert code == 0 and err == ""
    assert f"{corpus_dir / 'a.txt'} is already in the corpus (a.txt in " in out
    assert f"{corpus_dir / 'sub/b.txt'} is already in the corpus (sub/b.txt in " in out
    assert "0 added" in out
    assert listing(corpus_dir) == before
    outside = tmp_path / "elsewhere" / "a.txt"  # a copy kept in another folder
    outside.parent.mkdir()
    outside.write_text(ARTICLE, encoding="utf-8")
    code, out, _err = run(capsys, "add", str(outside))
    assert code == 0
    assert "is already in the corpus as a.txt (same content); not copied" in out
    assert listing(corpus_dir) == before


@pytest.mark.parametrize("name", ["x.pdf", "notes.docx", "README"])
def test_add_of_an_unsupported_type_refuses_before_copying(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path, name: str
) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / name
    good.write_text(ARTICLE.replace("Residents", "Monks"), encoding="utf-8")
    bad.write_bytes(b"%PDF-1.4 not an article\n")
    before = listing(corpus_dir)
    code, out, err = run(capsys, "add", str(good), str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"thaad-tui: cannot add {bad}: unsupported file type ")
    assert err.endswith("(expected .jsonl, .markdown, .md, .txt); nothing added\n")
    assert listing(corpus_dir) == before


def test_add_refuses_what_is_not_a_regular_file_and_names_each(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dev.txt").symlink_to(os.devnull)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    before = listing(corpus_dir)
    names = ["pipe.txt", "dev.txt", "dangling.txt", "missing.txt"]
    code, _out, err = run(capsys, "add", *(str(tmp_path / n) for n in names))
    assert code == 2
    assert err.splitlines() == [
        f"thaad-tui: cannot add {tmp_path / 'pipe.txt'}: is a FIFO (named pipe), "
        "not a regular file",
        f"thaad-tui: cannot add {tmp_path / 'dev.txt'}: is a device, not a regular file",
        f"thaad-tui: cannot add {tmp_path / 'dangling.txt'}: is a link to nothing",
        f"thaad-tui: cannot add {tmp_path / 'missing.txt'}: no such file; nothing added",
    ]
    assert listing(corpus_dir) == before


def test_add_of_a_hidden_file_adds_it_under_its_name_without_the_dot(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    hidden = tmp_path / ".draft.txt"
    hidden.write_text("Hidden draft title\n\nA draft about the Lotte golf course.\n", "utf-8")
    run(capsys, "index")
    code, out, err = run(capsys, "add", str(hidden))
    assert code == 0, err
    assert f"{hidden} copied as draft.txt: files whose name starts with a dot" in out
    assert "1 added" in out
    assert (corpus_dir / "draft.txt").read_bytes() == hidden.read_bytes()
    code, out, _err = run(capsys, "articles")
    assert "Hidden draft title" in out


def test_every_file_the_index_skips_is_named_with_its_reason(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, tmp_path: Path
) -> None:
    os.mkfifo(corpus_dir / "pipe.txt")
    (corpus_dir / "dev.txt").symlink_to(os.devnull)
    (corpus_dir / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (corpus_dir / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus_dir / ".git").mkdir()
    (corpus_dir / ".git" / "c.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (corpus_dir / "linked").symlink_to(tmp_path / "elsewhere")
    code, out, err = run(capsys, "index")
    assert code == 0
    assert "2 articles: 2 added" in out and "; 6 warnings" in out
    assert sorted(err.splitlines()) == [
        f"warning: {corpus_dir / '.git'}: hidden folder skipped (name starts with a dot)",
        f"warning: {corpus_dir / '.hidden.txt'}: hidden file skipped (name starts with a dot)",
        f"warning: {corpus_dir / 'dangling.txt'}: link to nothing (its target is missing); skipped",
        f"warning: {corpus_dir / 'dev.txt'}: link to a device, not a regular file; skipped",
        f"warning: {corpus_dir / 'linked'}: link to a folder, not followed; skipped",
        f"warning: {corpus_dir / 'pipe.txt'}: a FIFO (named pipe), not a regular file; skipped",
    ]


# --- a FIFO where a YAML file is expected ----------------------------------------------------


def test_a_fifo_as_config_metadata_or_corrections_file_is_ignored_with_a_warning(
    tmp_path: Path,
) -> None:
    """Each of them used to hang every command, waiting for a writer."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    fifos = [tmp_path / "config.yaml", corpus / "metadata.yaml", data / "entities.yaml"]
    for fifo in fifos:
        os.mkfifo(fifo)
    env = {
        **os.environ,
        paths.ENV_CONFIG: str(fifos[0]),
        paths.ENV_DATA_DIR: str(data),
        paths.ENV_CACHE_DIR: str(tmp_path / "cache"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tui", "index", "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "1 articles: 1 added" in done.stdout
    for fifo in fifos:
        assert (
            f"warning: {fifo}: cannot read: is a FIFO (named pipe), not a regular file "
            "(file ignored)\n"
        ) in done.stderr


def test_a_corpus_file_turned_into_a_fifo_after_the_scan_is_not_waited_on(tmp_path: Path) -> None:
    """The scan lists regular files only; the hash and the parse that follow must not block
    if one has been replaced by a FIFO in between."""
    from index.build import builder as build
    from index.ingest import corpus as ingest

    fifo = tmp_path / "a.txt"
    os.mkfifo(fifo)
    hung: list[bool] = []

    def unblock() -> None:
        hung.append(True)
        os.close(os.open(fifo, os.O_RDWR))  # plays the writer a blocked reader waits for

    watchdog = threading.Timer(20, unblock)
    watchdog.start()
    try:
        with pytest.raises(OSError, match="is a FIFO"):
            build.file_state(fifo)
        articles, warnings = ingest.parse_file(fifo, tmp_path)
    finally:
        watchdog.cancel()
    assert not hung
    assert articles == []
    assert [str(w) for w in warnings] == [
        f"{fifo}: cannot read: is a FIFO (named pipe), not a regular file"
    ]


def test_a_folder_that_cannot_be_listed_is_named(
    capsys: pytest.CaptureFixture[str], corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runs as root too: the refusal a normal user would get is simulated."""
    locked = corpus_dir / "private"
    locked.mkdir()
    (locked / "c.txt").write_text(ARTICLE, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = run(capsys, "index")
    assert code == 0 and "2 added" in out
    assert err == f"warning: {locked}: cannot read this folder (permission denied); skipped\n"


@needs_tmux
def test_the_app_shows_a_bad_config_value_once_it_has_the_screen(
    seed_corpus: Path, tmp_path: Path
) -> None:
    """The warning printed before the app takes the screen is hidden by it: say it inside."""
    config = paths.resolve().config_path
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("corpus: 5\n", encoding="utf-8")
    argv = ["--corpus", str(seed_corpus), "--index-dir", str(tmp_path / "ix")]
    term = TmuxApp(tmp_path, [*argv, "--notes", str(tmp_path / "notes.md")])

    def in_app(screen: str) -> bool:
        return "╭─ Articles" in screen and "'corpus' must be the path" in screen

    try:
        # Printed on stderr it shows only until the app's screen replaces it: look for it on
        # the app's own screen.
        # The app shows it for START_NOTICE_SECONDS from its start; a loaded machine can take
        # most of that to draw the first screen, so the wait is longer than the notice.
        wait_for(lambda: in_app(term.screen()), 60, "the warning on the app's screen")
        # A key pressed in the app's first frames can land in the search box: wait for the list.
        wait_for(lambda: "5 articles" in term.screen(), 30, "the seeds to be listed")
        term.keys("q")
        wait_for(term.dead, 10, "the app to exit")
    finally:
        term.close()


def test_add_refuses_an_empty_or_too_large_file_before_copying(
    capsys: pytest.CaptureFixture[str],
    corpus_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from index.ingest import adding

    monkeypatch.setattr(adding, "MAX_FILE_BYTES", 1024 * 1024)  # 1 MB, not 64 to write
    empty, big = tmp_path / "empty.txt", tmp_path / "big.txt"
    empty.write_bytes(b"")
    big.write_text("Big title\n\n" + "word " * 300_000, encoding="utf-8")
    before = listing(corpus_dir)
    code, _out, err = run(capsys, "add", str(empty), str(big))
    assert code == 2
    assert err.splitlines() == [
        f"thaad-tui: cannot add {empty}: is empty",
        f"thaad-tui: cannot add {big}: is larger than 1 MB; nothing added",
    ]
    assert listing(corpus_dir) == before
