"""A throwaway PostgreSQL server for the test session (a pytest plugin, loaded by conftest).

Fixtures:
- ``postgresql_server`` (session): starts ``initdb`` + ``pg_ctl`` in a fresh temporary folder,
  listening only on a unix socket in that folder on a random port, with fsync off; yields the
  running :class:`PostgresServer` and stops it (and removes the folder) at the end.
- ``postgresql_url`` (function): a NEW empty database on that server for each test, as a
  ``postgresql://`` URL; dropped after the test.

Every test that uses either fixture gets the ``postgresql`` marker, so ``pytest -m postgresql``
runs exactly those. The binaries are found on PATH or in ``/usr/lib/postgresql/*/bin`` (newest
first). When they are absent the tests are skipped, except when ``THAAD_TUI_REQUIRE_POSTGRESQL``
is set (``.ci/run`` sets it): then a missing server is a failure, so CI cannot pass without it.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

REQUIRE_ENV = "THAAD_TUI_REQUIRE_POSTGRESQL"
PREFIX = "thaad-pg-"  # each server's folder in the temporary folder
OWNER = "owner.pid"  # in that folder: the pid of the test session that started the server
_FIXTURES = {"postgresql_server", "postgresql_url"}


def find_bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: PATH first, then Debian's layout."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent

    def version(folder: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", folder.parent.name)) or (0,)

    candidates = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    return max(candidates, key=version) if candidates else None


def _free_port() -> int:
    # The socket is a unix one, but its file name carries the port: a free TCP port number
    # keeps two sessions (two engineers, two CI jobs) from colliding on a shared /tmp.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One private PostgreSQL cluster in a temporary folder."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = _free_port()
        # Not pytest's tmp_path: as root, that folder is private to root, and the server
        # must run as an unprivileged user (PostgreSQL refuses to run as root).
        sweep_stale()
        self.base = Path(tempfile.mkdtemp(prefix=PREFIX))
        (self.base / OWNER).write_text(str(os.getpid()), encoding="ascii")
        self.data = self.base / "data"
        self.socket_dir = self.base
        self.log = self.base / "server.log"
        self.superuser = "postgres"
        self._run_as: str | None = None
        if os.geteuid() == 0:
            self._run_as = _unprivileged_user()
            entry = pwd.getpwnam(self._run_as)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)
        self.base.chmod(0o700)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=120,
            user=self._run_as,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
            cwd=self.base,
        )

    def start(self) -> None:
        """initdb and start; raises RuntimeError with the server's own words when it fails."""
        done = self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            self.superuser,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        self._serve()

    def _serve(self) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100"
        )
        done = self._run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log),
            "-o", options,
        )  # fmt: skip
        if done.returncode != 0:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()}\n{tail}")

    def halt(self) -> None:
        """Stop the server, keeping its data, as an administrator's restart does (see resume)."""
        done = self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))
        if done.returncode != 0:
            raise RuntimeError(f"pg_ctl stop failed: {done.stderr.strip()}")

    def resume(self) -> None:
        """Start a halted server again, on the same socket and port."""
        self._serve()

    def stop(self) -> None:
        """Stop the server (fast: nothing in it is worth a checkpoint) and remove the folder."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """A libpq URL for ``database`` over this server's unix socket."""
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://{self.superuser}@/{database}?host={host}&port={self.port}"

    def create_database(self) -> str:
        """A new empty database with a unique name; returns its name."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, closing any connection a test left open to it."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def sweep_stale(bin_dir: Path | None = None) -> list[Path]:
    """Stop and remove the servers of test sessions that died without stopping them (a killed
    pytest cannot run its fixture's teardown, and the server, started by pg_ctl, outlives it).
    A server is stale when the process named in its folder's owner file is gone; folders of
    live sessions, and folders without an owner file, are left alone. Returns what it removed."""
    removed = []
    for base in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((base / OWNER).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        data = base / "data"
        pg_ctl = (bin_dir or find_bin_dir() or Path("/nonexistent")) / "pg_ctl"
        if (data / "postmaster.pid").exists() and pg_ctl.exists():
            user = _unprivileged_user() if os.geteuid() == 0 else None
            subprocess.run(
                [str(pg_ctl), "stop", "-w", "-m", "immediate", "-D", str(data)],
                capture_output=True,
                timeout=60,
                user=user,
                cwd=base,
            )
        shutil.rmtree(base, ignore_errors=True)
        removed.append(base)
    return removed


def _unprivileged_user() -> str:
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run the server as")


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"PostgreSQL required ({REQUIRE_ENV} is set) but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresServer]:
    """A running throwaway server for the whole session."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        _unavailable("no PostgreSQL server binaries (initdb) on PATH or in /usr/lib/postgresql")
        raise AssertionError("unreachable")  # for type checkers: _unavailable never returns
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        server.stop()
        _unavailable(f"the test server did not start: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgresql_url(postgresql_server: PostgresServer) -> Iterator[str]:
    """A fresh empty database for this test, as a URL."""
    name = postgresql_server.create_database()
    try:
        yield postgresql_server.url(name)
    finally:
        postgresql_server.drop_database(name)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgresql: needs the throwaway PostgreSQL server (tests/pgserver.py)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgresql)
