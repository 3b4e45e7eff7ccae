"""The throwaway PostgreSQL server the backend tests run against (tests/pgserver.py)."""

from __future__ import annotations

import pytest

from tests import pgserver


def test_each_test_gets_a_fresh_database_with_full_text_and_trigrams(postgresql_url: str) -> None:
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(postgresql_url, autocommit=True) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        assert tables == (0,)
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("CREATE TABLE scratch (n int)")  # dropped with the database after the test
        row = conn.execute(
            "SELECT to_tsvector('english', %s) @@ to_tsquery('english', %s), similarity(%s, %s)",
            ("Missiles were deployed", "missile & deploy", "Seongju", "Songju"),
        ).fetchone()
        assert row is not None
        assert row[0] is True
        assert row[1] > 0.3


def test_the_server_setting_fsync_is_off_for_speed(
    postgresql_server: pgserver.PostgresServer,
) -> None:
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(postgresql_server.url()) as conn:
        assert conn.execute("SHOW fsync").fetchone() == ("off",)
        assert conn.execute("SHOW listen_addresses").fetchone() == ("",)


def test_tests_using_the_server_are_marked(request: pytest.FixtureRequest) -> None:
    this = request.node
    assert this.get_closest_marker("postgresql") is None
    marked = [
        item
        for item in request.session.items
        if item.name.startswith("test_each_test_gets_a_fresh_database")
    ]
    assert marked
    assert all(item.get_closest_marker("postgresql") for item in marked)


def test_missing_server_skips_locally_but_fails_when_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(pgserver.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception):
        pgserver._unavailable("no binaries")
    monkeypatch.setenv(pgserver.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="required"):
        pgserver._unavailable("no binaries")
