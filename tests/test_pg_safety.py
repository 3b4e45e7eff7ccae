"""A shared PostgreSQL corpus under concurrency and failure (issue 19): readers never wait for
a build, two builds are serialised, a build killed with SIGKILL leaves the database consistent
and the next one resumes, a lost server is one message and a retry, a password never shows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from index import paths
from index.library import IndexBusy, Library, open_library
from index.models import Entity
from index.store.postgres.connect import BackendUnavailable, redact
from tests.pgserver import PostgresServer
from tests.test_kill import alive, generate_corpus, wait_for

PASSWORD = "s3cret-Pa55word"


def with_password(url: str) -> str:
    """``url`` with :data:`PASSWORD` (the test server trusts local users: any password works)."""
    return url.replace("://postgres@", f"://postgres:{PASSWORD}@", 1)


def _library(corpus: Path, base: Path, url: str) -> Library:
    settings, _problems = paths.load_settings(
        corpus, base / "index", base / "notes.md", backend=url
    )
    return open_library(settings)


@pytest.fixture
def built(seed_corpus: Path, tmp_path: Path, postgresql_url: str) -> Library:
    library = _library(seed_corpus, tmp_path, postgresql_url)
    library.update(build_shared=True, workers=1)
    return library


class Held(list[Entity]):
    """Entities whose writing stops half-way until ``go`` is set: a build's transaction held
    open at the point where it has replaced part of the table."""

    def __init__(self, items: list[Entity]) -> None:
        super().__init__(items)
        self.inside = threading.Event()
        self.go = threading.Event()

    def __iter__(self) -> Iterator[Entity]:
        items = list(super().__iter__())
        yield items[0]
        self.inside.set()
        assert self.go.wait(30)
        yield from items[1:]


def _in_thread(work) -> tuple[threading.Thread, list]:
    out: list = []
    thread = threading.Thread(target=lambda: out.append(work()), daemon=True)
    thread.start()
    return thread, out


def test_readers_see_the_last_commit_while_a_build_writes(built: Library) -> None:
    catalogue = built.catalogue
    before = catalogue.entities()
    held = Held([Entity("Only One", "person", (), (), 1)])
    writer, _ = _in_thread(lambda: catalogue.replace_entities(held, {}))
    assert held.inside.wait(30)
    try:
        reader, seen = _in_thread(catalogue.entities)
        reader.join(5)  # a reader blocked by the writer's locks would still be waiting
        assert not reader.is_alive(), "a read waited for the build's transaction"
        assert seen == [before]
        assert open_library(built.settings).articles() == built.articles()
    finally:
        held.go.set()
        writer.join(30)
    assert [e.name for e in catalogue.entities()] == ["Only One"]


def test_a_second_build_waits_for_the_first_and_says_so(built: Library, tmp_path: Path) -> None:
    inside, go = threading.Event(), threading.Event()

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "scan":
            inside.set()
            assert go.wait(30)

    first, result = _in_thread(
        lambda: built.update(rebuild=True, progress=progress, build_shared=True, workers=1)
    )
    assert inside.wait(30)
    second = open_library(built.settings)
    said: list[str] = []
    second.waiting = said.append
    second.lock_wait = 0.5
    try:
        with pytest.raises(IndexBusy, match="another thaad-tui is updating the index in"):
            second.update(build_shared=True, workers=1)
        assert said and "waiting" in said[0] and built.shared in said[0]
    finally:
        go.set()
        first.join(60)
    assert result and result[0].rebuilt == "requested"
    # Serialised: once the first is done, the second runs.
    second.lock_wait = 30
    assert second.update(build_shared=True, workers=1).articles == 5


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def _consistent(url: str) -> None:
    """What a committed state always satisfies: every article's file is recorded, and nothing
    refers to an article that is not there."""
    with psycopg.connect(url) as conn:
        orphans = conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM files f WHERE f.root = a.root AND f.source = a.source)"
        ).fetchone()
        stray = conn.execute(
            "SELECT (SELECT count(*) FROM quotes q WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.id = q.article)) + "
            "(SELECT count(*) FROM copy_done c WHERE NOT EXISTS "
            "(SELECT 1 FROM articles a WHERE a.id = c.article))"
        ).fetchone()
    assert orphans == (0,) and stray == (0,)


def _articles(url: str) -> int:
    with psycopg.connect(url) as conn:
        made = conn.execute("SELECT to_regclass('articles') IS NOT NULL").fetchone()
        row = conn.execute("SELECT count(*) FROM articles").fetchone() if made and made[0] else None
    return int(row[0]) if row else 0


@pytest.mark.parametrize("stage", ["first batch", "after the articles"])
def test_a_build_killed_with_sigkill_resumes(
    tmp_path: Path, postgresql_url: str, postgresql_server: PostgresServer, stage: str
) -> None:
    corpus = generate_corpus(tmp_path / "corpus", 700)
    args = ("index", "--backend", postgresql_url, "--corpus", str(corpus))
    build = subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        if stage == "first batch":
            wait_for(lambda: _articles(postgresql_url) > 0, 120, "the first batch to be committed")
        else:
            wait_for(lambda: _articles(postgresql_url) == 700, 180, "every article to be committed")
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(30)
    _consistent(postgresql_url)
    done = _cli(*args)
    assert done.returncode == 0, done.stderr
    assert "700 articles" in done.stdout
    _consistent(postgresql_url)
    library = _library(corpus, tmp_path, postgresql_url)
    assert len(library.articles()) == 700 and library.catalogue.has_entities()


@pytest.fixture
def own_server(postgresql_server: PostgresServer) -> Iterator[PostgresServer]:
    """A server of the test's own, which the test stops and starts (the session's server
    stays up for the other tests)."""
    server = PostgresServer(postgresql_server.bin_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_lost_server_is_one_message_then_a_retry(
    own_server: PostgresServer, seed_corpus: Path, tmp_path: Path
) -> None:
    url = with_password(own_server.url(own_server.create_database()))
    library = _library(seed_corpus, tmp_path, url)
    library.update(build_shared=True, workers=1)
    titles = [i.title for i in library.catalogue.infos()]
    own_server.halt()
    with pytest.raises(BackendUnavailable) as lost:
        library.catalogue.infos()
    message = str(lost.value)
    assert message.startswith(f"cannot reach the database {redact(url)}")
    assert "\n" not in message and PASSWORD not in message
    failed = _cli("articles", "--backend", url)
    assert failed.returncode == 1
    assert failed.stderr.startswith("thaad-tui: cannot reach the database postgresql://postgres@")
    assert len(failed.stderr.splitlines()) == 1 and "Traceback" not in failed.stderr
    own_server.resume()
    assert [i.title for i in library.catalogue.infos()] == titles  # the same object reconnects


def test_a_password_in_the_url_is_never_shown(
    seed_corpus: Path, tmp_path: Path, postgresql_server: PostgresServer
) -> None:
    url = with_password(postgresql_server.url(postgresql_server.create_database()))
    outputs = []
    for args in (
        ("index", "--corpus", str(seed_corpus)),
        ("articles",),
        ("entities",),
        ("search", "THAAD"),
        ("show", "nonexistent"),
        ("index", "--corpus", str(tmp_path)),  # another corpus: refused, naming the database
    ):
        done = _cli(*args, "--backend", url)
        outputs.append(done.stdout + done.stderr)
    env = {paths.ENV_BACKEND: with_password(postgresql_server.url("no_such_db"))}
    done = _cli("articles", env=env)
    outputs.append(done.stdout + done.stderr)
    assert "does not exist" in outputs[-1] and "postgresql://postgres@" in outputs[-1]
    assert "holds the corpus of" in outputs[-2]
    for text in outputs:
        assert PASSWORD not in text
    library = _library(seed_corpus, tmp_path, url)
    for shown in (repr(library.settings), repr(library.catalogue), library.shared or ""):
        assert PASSWORD not in shown


async def test_the_app_says_the_server_is_gone_and_reconnects(
    own_server: PostgresServer, seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started while the server is down: one message, no crash; the server back, the
    articles appear without the user doing anything."""
    from tests.screen import main_screen, settle, wait_until
    from tests.test_app_entities import SIZE, Recorder
    from tui.app import create_app
    from tui.screens import main

    monkeypatch.setattr(main, "RECONNECT_SECONDS", 0.2)
    url = with_password(own_server.url(own_server.create_database()))
    library = _library(seed_corpus, tmp_path, url)
    library.update(build_shared=True, workers=1)
    own_server.halt()
    app = create_app(library.settings)
    recorder = Recorder()
    async with app.run_test(size=SIZE, message_hook=recorder) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        lost = [n for n in recorder.notices() if "cannot reach the database" in n]
        assert len(lost) == 1 and PASSWORD not in lost[0]
        assert screen.infos == []
        await pilot.pause(0.5)  # several retries fail meanwhile: still one message
        assert len([n for n in recorder.notices() if "cannot reach" in n]) == 1
        own_server.resume()
        await wait_until(pilot, lambda: len(screen.infos) == 5, "the articles after reconnecting")
        assert "Connected to the database again" in recorder.notices()


def test_the_cli_says_it_waits_for_another_build_then_runs(
    seed_corpus: Path, tmp_path: Path, postgresql_url: str
) -> None:
    """Another program holds the build lock: ``thaad-tui index`` says it waits (one line,
    the database without its password) and builds once the lock is free."""
    from index.store.postgres.connect import BUILD_LOCK

    url = with_password(postgresql_url)
    log = tmp_path / "stderr.txt"
    with psycopg.connect(postgresql_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(hashtext(%s))", (BUILD_LOCK,))
        with log.open("w") as err:
            build = subprocess.Popen(
                [sys.executable, "-m", "tui", "index", "--backend", url],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
                env={**os.environ, paths.ENV_CORPUS: str(seed_corpus)},
            )
            try:
                wait_for(lambda: "waiting" in log.read_text(), 60, "the waiting message")
                other.execute("SELECT pg_advisory_unlock(hashtext(%s))", (BUILD_LOCK,))
                out, _ = build.communicate(timeout=120)
            finally:
                build.kill()
    said = log.read_text()
    assert build.returncode == 0, said
    assert "another thaad-tui is building the index in postgresql://postgres@" in said
    assert PASSWORD not in said and "Traceback" not in said
    assert "5 articles: 5 added" in out


def test_a_user_who_cannot_create_the_tables_gets_one_line(
    postgresql_url: str, tmp_path: Path
) -> None:
    """PostgreSQL 15 lets only the owner create tables in ``public``: a first connection by
    another user is told so in one line, not with a traceback."""
    with psycopg.connect(postgresql_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS reader")
        conn.execute("CREATE ROLE reader LOGIN")
    url = with_password(postgresql_url).replace("://postgres:", "://reader:", 1)
    done = _cli("articles", "--backend", url)
    assert done.returncode == 1
    assert done.stderr.startswith("thaad-tui: cannot use the database postgresql://reader@")
    assert "permission denied" in done.stderr and len(done.stderr.splitlines()) == 1
    assert PASSWORD not in done.stderr


def test_a_server_left_by_a_killed_session_is_stopped_by_the_next(
    own_server: PostgresServer,
) -> None:
    """A killed pytest cannot stop its server; the next session's first server does."""
    from tests.pgserver import OWNER, sweep_stale

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                          capture_output=True, check=True).stdout.strip()  # fmt: skip
    (own_server.base / OWNER).write_text(gone, encoding="ascii")  # its session has ended
    postmaster = int((own_server.data / "postmaster.pid").read_text().split()[0])
    assert alive(postmaster)
    assert own_server.base in sweep_stale(own_server.bin_dir)
    assert not own_server.base.exists()
    # pg_ctl -w returns when the pid file goes, just before the process does
    wait_for(lambda: not alive(postmaster), 30, "the stale server to end")
