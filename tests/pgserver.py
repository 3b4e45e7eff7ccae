"""A throwaway PostgreSQL server for the tests (Debian's server binaries, in a temp folder).

``pg_server`` starts one per test session (Unix socket in its folder, no TCP, fsync off) and
``pg_url`` gives each test a database of its own. Without the binaries the tests that use
them are skipped, unless ``THAAD_TUI_REQUIRE_POSTGRES`` is set (CI), when they fail.
As root (containers), the server runs as the ``postgres`` user: initdb refuses root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A running server: ``url(db)`` names one of its databases."""

    bindir: Path
    data: Path
    sock: Path
    port: int
    owner: str | None

    def url(self, database: str = "postgres", password: str | None = None) -> str:
        auth = f"thaad:{password}@" if password else "thaad@"
        return f"postgresql://{auth}/{database}?host={self.sock}&port={self.port}"

    def ctl(self, *args: str) -> None:
        """Run ``pg_ctl`` on the server (``stop``, ``start``)."""
        command = [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", *args]
        if args[0] == "start":
            options = f"-k {self.sock} -p {self.port} -c listen_addresses='' -c fsync=off"
            command += ["-o", options, "-l", str(self.data.parent / "server.log")]
        self._run(command)

    def running(self) -> bool:
        """Whether the server is up (``pg_ctl status``)."""
        return self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"], False)

    def _run(self, command: list[str], check: bool = True) -> bool:
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        done = subprocess.run(command, check=check, capture_output=True, timeout=60)
        return done.returncode == 0

    def create_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            # A fresh random name of hex digits: an identifier, never user input.
            conn.execute(f"CREATE DATABASE {name}")
        return name


def start_server(tmp_path_factory: pytest.TempPathFactory) -> PgServer:
    """A new server in a folder of its own (stop it with ``stop_server``)."""
    bindir = _bindir()
    if bindir is None:
        if os.environ.get("THAAD_TUI_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL server binaries not found (THAAD_TUI_REQUIRE_POSTGRES)")
        pytest.skip("PostgreSQL server binaries not found (initdb, pg_ctl)")
    owner = "postgres" if os.geteuid() == 0 else None
    # pytest's temp folders are private to their user: the postgres user needs one of its own.
    base = Path(tempfile.mkdtemp(prefix="thaad-pg-")) if owner else tmp_path_factory.mktemp("pg")
    server = PgServer(bindir, base / "data", base / "sock", _free_port(), owner)
    server.sock.mkdir()
    if owner:
        shutil.chown(base, owner)
        shutil.chown(server.sock, owner)
    server._run([str(bindir / "initdb"), "-D", str(server.data), "-U", "thaad", "-A", "trust"])
    server.ctl("start")
    return server


def stop_server(server: PgServer) -> None:
    """Stop ``server`` (if running) and remove its folder."""
    if server.running():
        server.ctl("stop", "-m", "immediate")
    if server.owner:
        shutil.rmtree(server.data.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PgServer]:
    """One server for the test session."""
    server = start_server(tmp_path_factory)
    try:
        yield server
    finally:
        stop_server(server)


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return pg_server.url(pg_server.create_database())
