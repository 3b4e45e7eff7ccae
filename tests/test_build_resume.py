"""An interrupted build keeps what it committed and resumes without starting over.

The corpus is generated here: a few hundred small articles in Markdown files and JSON Lines
files. Batches are made small so that a build commits several times before it is stopped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from threading import Event

import pytest

from index import paths
from index.build import builder as build
from index.build.builder import Cancelled
from index.library import Library, open_library
from index.search.whoosh import WhooshBackend as FullTextIndex

PLACES = ("Seoul", "Beijing", "Tokyo", "Seongju", "Washington", "Pyongyang")


def _body(n: int) -> str:
    place = PLACES[n % len(PLACES)]
    return (
        f"Officials in {place} met on March {n % 28 + 1}, 2017, to discuss shipment {n}.\n\n"
        f"The talks in {place} ended without agreement on item {n}."
    )


def make_corpus(folder: Path, markdown: int = 240, jsonl_files: int = 6, per_file: int = 10):
    """``markdown`` one-article files plus ``jsonl_files`` files of ``per_file`` articles."""
    folder.mkdir(parents=True)
    for n in range(markdown):
        (folder / f"story-{n:04d}.md").write_text(
            f"---\ntitle: Report number {n} from {PLACES[n % 6]}\noutlet: Test Wire\n"
            f"published: 2017-03-{n % 28 + 1:02d}\n---\n\n{_body(n)}\n",
            encoding="utf-8",
        )
    for f in range(jsonl_files):
        lines = [
            json.dumps(
                {
                    "id": f"j{f}-{i}",
                    "title": f"Bulletin {f}-{i}",
                    "text": _body(10_000 + f * per_file + i),
                }
            )
            for i in range(per_file)
        ]
        # "zz-": sorted after the stories, so the first N files hold exactly N articles.
        (folder / f"zz-bulk-{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return markdown + jsonl_files * per_file


@pytest.fixture
def big_corpus(tmp_path: Path) -> tuple[paths.Settings, int]:
    total = make_corpus(tmp_path / "corpus")
    return paths.resolve(tmp_path / "corpus", tmp_path / "index", tmp_path / "notes.md"), total


def _consistent(library: Library) -> int:
    """The catalogue and Whoosh agree; returns how many articles they hold."""
    count = library.catalogue.count()
    assert library.fulltext.doc_count() == count
    assert len(set(library.catalogue.ids())) == count
    return count


def test_cancelled_build_keeps_committed_batches_and_resumes(big_corpus, monkeypatch):
    settings, total = big_corpus
    monkeypatch.setattr(build, "BATCH_ARTICLES", 25)
    cancel = Event()

    def progress(stage: str, done: int, _total: int) -> None:
        if stage == "index" and done == 60:
            cancel.set()

    first = open_library(settings)
    with pytest.raises(Cancelled, match="progress up to there is saved"):
        first.update(progress=progress, cancel=cancel, workers=1)
    kept = _consistent(first)
    # Two batches of 25 committed; the partial batch (10 files) is dropped, not half-written.
    assert kept == 50

    second = open_library(settings)
    report = second.update(workers=1)
    assert report.rebuilt is None
    assert report.added == total - kept  # only what was missing was analysed
    assert report.unchanged == 50
    assert _consistent(second) == total
    assert second.search("shipment")  # the resumed index answers queries


RUNNER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from index import paths
    from index.build import builder as build
    from index.library import open_library

    build.BATCH_ARTICLES = 20
    corpus, index, notes, stop_at = sys.argv[1:5]

    def progress(stage, done, total):
        if stage == "index" and done == int(stop_at):
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no flush: a real crash

    open_library(paths.resolve(corpus, index, notes)).update(progress=progress, workers=1)
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killed_build_resumes_from_last_commit(big_corpus, tmp_path: Path):
    settings, total = big_corpus
    args = [str(settings.corpus_roots[0]), str(settings.index_dir), str(settings.notes_path)]
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, *args, "150"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert done.returncode == -9, done.stderr

    library = open_library(settings)
    kept = _consistent(library)
    # Killed after 150 files: every full batch of 20 before that is kept, nothing after it.
    assert kept == 140
    report = library.update(workers=1)
    assert report.rebuilt is None
    assert report.added == total - kept
    assert _consistent(library) == total


def test_resume_after_cancel_uses_worker_processes(big_corpus, monkeypatch):
    """The same holds when analysis runs in the process pool (>= POOL_THRESHOLD files)."""
    settings, total = big_corpus
    monkeypatch.setattr(build, "BATCH_ARTICLES", 50)
    cancel = Event()

    def progress(stage: str, done: int, _total: int) -> None:
        if stage == "index" and done == 120:
            cancel.set()

    library = open_library(settings)
    with pytest.raises(Cancelled):
        library.update(progress=progress, cancel=cancel, workers=2)
    assert _consistent(library) == 100  # two batches of 50; the partial one is dropped
    report = library.update(workers=2)
    assert report.added == total - 100
    assert _consistent(library) == total


def test_adding_a_few_articles_updates_entities_like_a_full_refresh(big_corpus, tmp_path):
    settings, _total = big_corpus
    library = open_library(settings)
    library.update(workers=1)
    new = tmp_path / "new.md"
    new.write_text(
        "---\ntitle: Late news\n---\n\nOfficials in Seoul and Tokyo met Moon Jae-in today.\n",
        encoding="utf-8",
    )
    library.add([new])
    incremental = {e.name: set(e.articles) for e in library.entities()}
    (added_id,) = [i.id for i in library.articles() if i.title == "Late news"]
    per_article = library.catalogue.article_entities(added_id)
    build.refresh_entities(library.catalogue)
    full = {e.name: set(e.articles) for e in library.entities()}
    assert incremental == full
    assert per_article == library.catalogue.article_entities(added_id)
    assert any(name == "Seoul" for name, _kind, _n in per_article)


def test_big_batches_use_whoosh_multiprocess_writer_and_resume(big_corpus, monkeypatch):
    """Batches indexed by Whoosh's multi-process writer commit and resume like the others."""
    settings, total = big_corpus
    monkeypatch.setattr(build, "BATCH_ARTICLES", 50)
    monkeypatch.setattr(build, "MP_WRITER_ARTICLES", 40)
    used: list[int] = []
    real_writer = FullTextIndex.writer

    def spy(self, procs: int = 1):
        used.append(procs)
        return real_writer(self, procs)

    monkeypatch.setattr(FullTextIndex, "writer", spy)
    cancel = Event()

    def progress(stage: str, done: int, _total: int) -> None:
        if stage == "index" and done == 120:
            cancel.set()

    library = open_library(settings)
    with pytest.raises(Cancelled):
        library.update(progress=progress, cancel=cancel, workers=2)
    assert 2 in used
    kept = _consistent(library)
    assert 100 <= kept < total
    report = library.update(workers=2)
    assert report.added == total - kept
    assert _consistent(library) == total
    assert len(library.search("shipment", limit=total)) == total  # each article once
    assert {h.title for h in library.search('"number 7 from"')} == {"Report number 7 from Beijing"}
