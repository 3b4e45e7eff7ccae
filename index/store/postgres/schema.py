"""The catalogue's tables on PostgreSQL, created and migrated when a connection first opens.

Each step of ``STEPS`` brings the tables from one version to the next; the version reached is
kept in ``thaad_meta`` (key ``pg_schema``). Opening takes a transaction-level advisory lock,
so two programs opening a new database at once do not both create it.

File names are ``bytea`` (a name that is not UTF-8 is kept as its bytes); lists (paragraphs,
mentions, events, aliases) are JSON text, as in the SQLite catalogue, decoded by the reader.
"""

from __future__ import annotations

from typing import Any

import psycopg

_V1 = """
CREATE TABLE IF NOT EXISTS thaad_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    root BYTEA NOT NULL, source BYTEA NOT NULL, size BIGINT NOT NULL, mtime_ns BIGINT NOT NULL,
    sha1 TEXT NOT NULL, PRIMARY KEY (root, source));
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, root BYTEA NOT NULL, source BYTEA NOT NULL, line INTEGER,
    title TEXT NOT NULL, outlet TEXT, author TEXT, published DATE,
    date_inferred BOOLEAN NOT NULL, section TEXT, standfirst TEXT, url TEXT,
    editorial TEXT NOT NULL, words INTEGER NOT NULL, paragraphs TEXT NOT NULL,
    mentions TEXT NOT NULL, events TEXT NOT NULL, text_key TEXT NOT NULL,
    seq BIGSERIAL NOT NULL);
CREATE INDEX IF NOT EXISTS articles_by_source ON articles (root, source);
CREATE INDEX IF NOT EXISTS articles_by_text ON articles (text_key);
CREATE TABLE IF NOT EXISTS duplicates (
    root BYTEA NOT NULL, source BYTEA NOT NULL, line INTEGER, title TEXT NOT NULL,
    reason TEXT NOT NULL, kept TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS duplicates_by_source ON duplicates (root, source);
CREATE TABLE IF NOT EXISTS entities (
    name TEXT PRIMARY KEY, type TEXT NOT NULL, aliases TEXT NOT NULL, articles TEXT NOT NULL,
    mentions INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS article_entities (
    article TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, mentions INTEGER NOT NULL,
    PRIMARY KEY (article, name));
CREATE INDEX IF NOT EXISTS article_entities_by_name ON article_entities (name);
CREATE TABLE IF NOT EXISTS entity_names (alias TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS quotes (
    article TEXT NOT NULL, paragraph INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, speaker TEXT NOT NULL,
    resolved BOOLEAN NOT NULL, verb TEXT NOT NULL, sentence TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS quotes_by_article ON quotes (article, start);
CREATE INDEX IF NOT EXISTS quotes_by_speaker ON quotes (speaker);
CREATE TABLE IF NOT EXISTS copy_bands (key BIGINT NOT NULL, article TEXT NOT NULL,
    PRIMARY KEY (key, article));
CREATE INDEX IF NOT EXISTS copy_bands_by_article ON copy_bands (article);
CREATE TABLE IF NOT EXISTS copy_pairs (a TEXT NOT NULL, b TEXT NOT NULL,
    containment DOUBLE PRECISION NOT NULL, jaccard DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (a, b));
CREATE INDEX IF NOT EXISTS copy_pairs_by_b ON copy_pairs (b);
CREATE TABLE IF NOT EXISTS copy_done (article TEXT PRIMARY KEY, text_key TEXT NOT NULL);
-- Everyone's entity corrections, in the shape of the corrections file (section: merge, rename,
-- retype, hide; name -> value), each with who made it and when.
CREATE TABLE IF NOT EXISTS entity_corrections (
    section TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    who TEXT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (section, name));
"""

# Version n is reached by running STEPS[n - 1]; a later change appends a step, never edits one.
STEPS: tuple[str, ...] = (_V1,)
SCHEMA_LOCK = "thaad-tui schema"


class SchemaTooNew(RuntimeError):
    """The database was set up by a newer thaad-tui; this one does not know its tables."""


def stored_version(conn: psycopg.Connection[Any]) -> int:
    """The schema version the database holds (0: none yet)."""
    exists = conn.execute("SELECT to_regclass('thaad_meta') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT value FROM thaad_meta WHERE key = 'pg_schema'").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: psycopg.Connection[Any]) -> int:
    """Bring the database's tables to the last version of :data:`STEPS`; returns the version
    found before."""
    version = len(STEPS)
    if stored_version(conn) == version:
        return version
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (SCHEMA_LOCK,))
        found = stored_version(conn)  # again under the lock: another program may have done it
        if found > version:
            raise SchemaTooNew(
                f"it holds schema {found}, this thaad-tui knows up to {version}: upgrade it"
            )
        for step in STEPS[found:]:
            conn.execute(step)
        conn.execute(
            "INSERT INTO thaad_meta VALUES ('pg_schema', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(version),),
        )
    return found
