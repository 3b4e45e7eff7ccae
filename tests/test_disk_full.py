"""A full disk under the index: one line says so, and the good index is kept and used."""

from __future__ import annotations

import errno
import gc
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from whoosh.filedb.structfile import StructFile

from index import paths
from index.library import IndexWriteError, open_library
from tui import cli


def another_article(corpus_dir: Path) -> None:
    (corpus_dir / "new.txt").write_text(
        "A new article on the battery\n\nBy Test Writer\n\nSeongju residents met again on "
        "Tuesday to discuss the radar and its battery with officials from Seoul.\n",
        encoding="utf-8",
    )


def test_enospc_while_writing_keeps_the_index_and_says_so(
    settings: paths.Settings, monkeypatch: pytest.MonkeyPatch
):
    library = open_library(settings)
    library.update()
    another_article(settings.corpus_roots[0])

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(StructFile, "write", full)
        with pytest.raises(IndexWriteError) as failed:
            library.update()
    message = str(failed.value)
    assert "\n" not in message
    assert f"cannot write the index in {settings.index_dir}: no space left on device" in message
    assert len(library.articles()) == 5  # still readable
    library.fulltext.close()
    library.catalogue.close()
    # Space again: the next run finds the index good and adds the one new article.
    again = open_library(settings)
    report = again.update()
    assert report.rebuilt is None and not report.notices
    assert (report.added, report.unchanged) == (1, 5)
    assert len(again.search("seongju radar")) >= 1


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 4 MB tmpfs (needs root and a kernel that allows the mount): room for the seeds' index
    while it is built (write-ahead log, segments, quotes and copy tables), then filled."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode(errors='replace').strip()}")
    yield folder
    gc.collect()  # the in-process CLI runs leave SQLite connections to be collected
    subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


# Whoosh leaves the files of a write that failed on the full disk open (they are closed when
# collected); that is not what this test is about.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_index_on_a_full_filesystem(
    seed_corpus: Path, small_disk: Path, capsys: pytest.CaptureFixture[str]
):
    where = ["--corpus", str(seed_corpus), "--index-dir", str(small_disk / "ix")]
    assert cli.main(["index", *where]) == 0
    capsys.readouterr()
    filler = fill(small_disk)
    # Nothing to write: every command works as before.
    assert cli.main(["articles", *where]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5 and err == ""
    # Something to write: reading commands answer from the index as it is, with one line.
    another_article(seed_corpus)
    assert cli.main(["articles", *where]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5
    assert err.count("\n") == 1 and "no space left on device" in err
    assert cli.main(["index", *where]) == 2  # an error, like every error of the CLI
    out, err = capsys.readouterr()
    assert err.startswith(f"thaad-tui: cannot write the index in {small_disk / 'ix'}: no space")
    assert "Traceback" not in err and err.count("\n") == 1
    # Space again: the index was kept, not rebuilt; the new article is added.
    filler.unlink()
    assert cli.main(["index", *where]) == 0
    out, err = capsys.readouterr()
    assert "6 articles: 1 added" in out and "rebuilt" not in out + err
