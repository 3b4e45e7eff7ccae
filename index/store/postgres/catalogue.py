"""The catalogue on PostgreSQL: the reads and writes of :class:`index.store.catalogue.Catalogue`
with the same answers, for a database many programs read at once.

Every read runs on its thread's autocommit connection and sees the last committed state; every
write that must be all-or-nothing (a build's batch, the entity table) is one transaction, so a
build killed at any point leaves the tables as its last commit left them. Values are always
bound parameters (``%s``), never formatted into the SQL.
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from index.analysis.quotes import Quote
from index.models import Article, ArticleInfo, Entity, Event, Mention
from index.paths import SCHEMA_VERSION
from index.store.base import Analysed, Duplicate, FileState, PerArticle
from index.store.copytables import CopyTables
from index.store.corrections import Corrections
from index.store.postgres.connect import PgConnections
from index.store.postgres.corrections import load as load_corrections
from index.store.postgres.sqlite_like import SqliteLike
from index.store.rows import article_entity_rows, article_row, entity_row, event_from_row

_INFO = "id, title, outlet, author, published, date_inferred, words, source, url"
_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _name(value: str) -> bytes:
    """A file or folder name as stored: its bytes (a name that is not UTF-8 is kept)."""
    return os.fsencode(value)


def _unname(value: bytes | memoryview) -> str:
    return os.fsdecode(bytes(value))


def _nocase(title: str) -> str:
    """SQLite's NOCASE collation: ASCII letters folded, everything else as it is."""
    return title.translate(_ASCII_UPPER)


class PgCatalogue(CopyTables):
    """The catalogue tables of one PostgreSQL database (see :mod:`index.store.postgres`)."""

    read_only: str | None = None  # a server refuses writes with an error, not a mode

    def __init__(self, connections: PgConnections) -> None:
        self.db = connections
        self.shown = connections.shown

    def __repr__(self) -> str:
        return f"PgCatalogue({self.shown!r})"

    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.db.run(lambda conn: conn.execute(sql, args).fetchall())

    def _one(self, sql: str, args: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.db.run(lambda conn: conn.execute(sql, args).fetchone())

    def connection(self) -> SqliteLike:
        """This thread's connection in the shape index.analysis.copies uses."""
        return SqliteLike(self.db)

    def close(self) -> None:
        """Close this thread's connection."""
        self.db.close()

    # -- opening and recovery ---------------------------------------------------------------
    def problem(self, _stamp_file: Path) -> str | None:
        """Why the stored content cannot be used as it is (written by another schema), or
        None. A server has no damaged pages to look for: it answers or it does not."""
        schema = self.get_meta("schema")
        if schema is not None and schema != str(SCHEMA_VERSION):
            return f"written by schema {schema}, this version uses {SCHEMA_VERSION}"
        return None

    def drop(self) -> None:
        """Delete everything a build made (the shared corrections stay: they are the users')."""
        self.clear()
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM thaad_meta WHERE key <> 'pg_schema'")

    def write_refused(self, exc: BaseException) -> str | None:
        """Why the server refused a write for want of space, if ``exc`` says so."""
        if isinstance(exc, psycopg.errors.DiskFull | psycopg.errors.OutOfMemory):
            return f"the database server refused it ({self.db.scrub(str(exc))})"
        return None

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """The value recorded under ``key``, or None."""
        row = self._one("SELECT value FROM thaad_meta WHERE key = %s", (key,))
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Record ``value`` under ``key``."""
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO thaad_meta VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # -- files ------------------------------------------------------------------------------
    def file_states(self) -> dict[tuple[str, str], FileState]:
        """The recorded size, mtime and hash of every indexed file, by (root, source)."""
        rows = self._all("SELECT root, source, size, mtime_ns, sha1 FROM files")
        return {(_unname(r[0]), _unname(r[1])): FileState(r[2], r[3], r[4]) for r in rows}

    def commit_batch(
        self,
        files: Iterable[tuple[str, str, FileState]],
        analysed: Sequence[Analysed],
        removed_sources: Iterable[tuple[str, str]] = (),
        duplicates: Sequence[Duplicate] = (),
    ) -> None:
        """Replace the articles (and skipped duplicates) of the given files and record their new
        state, in one transaction."""
        files = list(files)
        removed = list(removed_sources)
        with self.db.transaction() as conn, conn.cursor() as cur:
            gone = [(_name(r), _name(s)) for r, s in [*((f[0], f[1]) for f in files), *removed]]
            cur.executemany(
                "DELETE FROM quotes WHERE article IN "
                "(SELECT id FROM articles WHERE root = %s AND source = %s)",
                gone,
            )
            cur.executemany("DELETE FROM articles WHERE root = %s AND source = %s", gone)
            cur.executemany("DELETE FROM duplicates WHERE root = %s AND source = %s", gone)
            cur.executemany(
                "DELETE FROM files WHERE root = %s AND source = %s",
                [(_name(r), _name(s)) for r, s in removed],
            )
            cur.executemany(
                f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) VALUES "
                f"({', '.join(['%s'] * len(_ARTICLE_COLUMNS))}) ON CONFLICT (id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_COLUMNS[1:])
                # A replaced article goes last, as SQLite's INSERT OR REPLACE gives it a new
                # rowid: entity aggregation reads articles in this order.
                + ", seq = nextval(pg_get_serial_sequence('articles', 'seq'))",
                [article_row(a, _name, native=True) for a in analysed],
            )
            cur.executemany(
                "DELETE FROM quotes WHERE article = %s", [(a.article.id,) for a in analysed]
            )
            cur.executemany(
                "INSERT INTO quotes VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        *(q.article, q.paragraph, q.start, q.end, q.text, q.kind, q.speaker),
                        *(bool(q.resolved), q.verb, q.sentence),
                    )
                    for a in analysed
                    for q in a.quotes
                ],
            )
            cur.executemany(
                "INSERT INTO duplicates VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (_name(d.root), _name(d.source), d.line, d.title, d.reason, d.kept)
                    for d in duplicates
                ],
            )
            _write_files(cur, files)

    def record_states(self, files: Iterable[tuple[str, str, FileState]]) -> None:
        """Record new size/mtime for files whose content did not change."""
        with self.db.transaction() as conn, conn.cursor() as cur:
            _write_files(cur, list(files))

    def ids_for_sources(self, sources: Iterable[tuple[str, str]]) -> list[str]:
        """The ids of the articles the given files hold."""
        ids: list[str] = []
        for root, source in sources:
            rows = self._all(
                "SELECT id FROM articles WHERE root = %s AND source = %s",
                (_name(root), _name(source)),
            )
            ids.extend(r[0] for r in rows)
        return ids

    def holders(
        self, ids: Iterable[str], text_keys: Iterable[str]
    ) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str, str, bool]]]:
        """Where the corpus holds these articles already: ``{id: (root, source)}`` and
        ``{text key: (id, root, source, has a URL)}`` (an article without a URL first)."""
        by_id: dict[str, tuple[str, str]] = {}
        by_text: dict[str, tuple[str, str, str, bool]] = {}
        for column, wanted in (("id", list(dict.fromkeys(ids))), ("text_key", list(text_keys))):
            # The column name is one of two constants; the values are one bound array.
            rows = self._all(
                f"SELECT id, root, source, text_key, url FROM articles WHERE {column} = ANY(%s)",
                (wanted,),
            )
            for aid, root, source, key, url in sorted(rows, key=lambda r: r[0]):
                by_id[aid] = (_unname(root), _unname(source))
                if key not in by_text or (by_text[key][3] and not url):
                    by_text[key] = (aid, _unname(root), _unname(source), bool(url))
        return by_id, by_text

    def orphaned_duplicates(self) -> list[tuple[str, str]]:
        """Files with a skipped duplicate whose kept copy has left the corpus since."""
        rows = self._all(
            "SELECT DISTINCT root, source FROM duplicates d "
            "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = d.kept)"
        )
        return [(_unname(r[0]), _unname(r[1])) for r in rows]

    def clear(self) -> None:
        """Empty every table the build fills (one transaction: readers see all or nothing)."""
        # DELETE, not TRUNCATE: TRUNCATE locks the tables against readers until the commit.
        with self.db.transaction() as conn:
            for table in _BUILT_TABLES:
                conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))

    # -- articles ---------------------------------------------------------------------------
    def count(self) -> int:
        """How many articles the catalogue holds."""
        row = self._one("SELECT count(*) FROM articles")
        return int(row[0]) if row else 0

    def infos(self) -> list[ArticleInfo]:
        """Every article without its body, sorted by date (undated last), then title."""
        rows = self._all(f"SELECT {_INFO} FROM articles")
        infos = [
            ArticleInfo(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], _unname(r[7]), r[8])
            for r in rows
        ]
        # The SQLite catalogue's order (NOCASE titles), whatever the database's collation.
        infos.sort(key=lambda i: (i.published is None, i.published, _nocase(i.title), i.id))
        return infos

    def first_infos(self, limit: int) -> list[ArticleInfo]:
        """The first ``limit`` of :meth:`infos`, in its order: NOCASE as ASCII letters folded,
        then code points (the "C" collation compares UTF-8 bytes, which keeps their order)."""
        rows = self._all(
            f"SELECT {_INFO} FROM articles ORDER BY published IS NULL, published, "
            'translate(title, %s, %s) COLLATE "C", id COLLATE "C" LIMIT %s',
            (string.ascii_uppercase, string.ascii_lowercase, limit),
        )
        return [
            ArticleInfo(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], _unname(r[7]), r[8])
            for r in rows
        ]

    def ids(self) -> list[str]:
        """Every article id."""
        return [r[0] for r in self._all("SELECT id FROM articles ORDER BY seq")]

    def article(self, article_id: str) -> Article | None:
        """One article with its body, or None."""
        row = self._one(
            "SELECT id, title, paragraphs, outlet, author, published, date_inferred, section, "
            "standfirst, url, source, line, editorial FROM articles WHERE id = %s",
            (article_id,),
        )
        if row is None:
            return None
        return Article(
            id=row[0],
            title=row[1],
            paragraphs=tuple(json.loads(row[2])),
            outlet=row[3],
            author=row[4],
            published=row[5],
            date_inferred=bool(row[6]),
            section=row[7],
            standfirst=row[8],
            url=row[9],
            source=_unname(row[10]),
            line=row[11],
            editorial=tuple(json.loads(row[12])),
        )

    def sources(self) -> dict[str, Path]:
        """Every article's source file (root folder / relative path)."""
        rows = self._all("SELECT id, root, source FROM articles")
        return {r[0]: Path(_unname(r[1])) / _unname(r[2]) for r in rows}

    def mentions(self, article_id: str) -> list[Mention]:
        """The article's mentions as the extractor found them."""
        row = self._one("SELECT mentions FROM articles WHERE id = %s", (article_id,))
        return [Mention(*m) for m in json.loads(row[0])] if row else []

    def iter_mentions(self) -> Iterator[tuple[str, str, list[Mention]]]:
        """(article id, body text, mentions) for every article: input to entity aggregation."""
        for article_id, paragraphs, mentions in self._all(
            "SELECT id, paragraphs, mentions FROM articles ORDER BY seq"
        ):
            text = "\n\n".join(json.loads(paragraphs))
            yield article_id, text, [Mention(*m) for m in json.loads(mentions)]

    def events(self) -> list[Event]:
        """Every stored event (of every article)."""
        out: list[Event] = []
        for (blob,) in self._all("SELECT events FROM articles ORDER BY seq"):
            out.extend(event_from_row(e) for e in json.loads(blob))
        return out

    def quotes(
        self, article: str | None = None, speakers: Iterable[str] | None = None
    ) -> list[tuple[Quote, str, str | None, str | None]]:
        """Stored quotes with their article's (title, outlet, published), by article and
        offset; only those of ``article`` and/or said by one of ``speakers``."""
        names = None if speakers is None else list(dict.fromkeys(speakers))[:900]
        rows = self._all(
            'SELECT q.article, q.paragraph, q.start, q."end", q.text, q.kind, q.speaker, '
            "q.resolved, q.verb, q.sentence, a.title, a.outlet, a.published "
            "FROM quotes q JOIN articles a ON a.id = q.article "
            "WHERE (%s::text IS NULL OR q.article = %s) "
            "AND (%s::text[] IS NULL OR q.speaker = ANY(%s)) "
            'ORDER BY a.published NULLS FIRST, q.article COLLATE "C", q.start',
            (article, article, names, names),
        )
        return [
            (
                Quote(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9]),
                r[10],
                r[11],
                r[12].isoformat() if r[12] else None,
            )
            for r in rows
        ]

    def quote_speakers(self) -> list[tuple[str, int]]:
        """Every stored speaker name with its number of quotes."""
        rows = self._all(
            "SELECT speaker, count(*) FROM quotes WHERE speaker <> '' GROUP BY speaker "
            'ORDER BY speaker COLLATE "C"'
        )
        return [(r[0], int(r[1])) for r in rows]

    # -- entities ---------------------------------------------------------------------------
    def corrections(self) -> Corrections:
        """Everyone's entity corrections (applied when entities are aggregated)."""
        return self.db.run(load_corrections)

    def replace_entities(self, entities: Sequence[Entity], per_article: PerArticle) -> None:
        """Store the corpus-wide entity table and each article's canonical entity counts."""
        with self.db.transaction() as conn, conn.cursor() as cur:
            # DELETE, not TRUNCATE: readers go on seeing the old table until the commit.
            for table in ("entities", "article_entities", "entity_names"):
                cur.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            _write_entities(cur, entities, per_article)

    def upsert_entities(self, entities: Sequence[Entity], per_article: PerArticle) -> None:
        """Insert or replace some entities and the entity counts of some (new) articles."""
        with self.db.transaction() as conn, conn.cursor() as cur:
            cur.executemany(
                "DELETE FROM article_entities WHERE article = %s", [(a,) for a in per_article]
            )
            _write_entities(cur, entities, per_article)

    def entities(self, limit: int | None = None) -> list[Entity]:
        """Corpus entities, most mentioned first; the first ``limit`` of them if given."""
        rows = self._all(
            "SELECT name, type, aliases, articles, mentions FROM entities "
            'ORDER BY mentions DESC, name COLLATE "C" LIMIT %s',
            (limit,),
        )
        return [_entity(r) for r in rows]

    def has_entities(self) -> bool:
        """Whether the entity table has been filled."""
        return self._one("SELECT 1 FROM entities LIMIT 1") is not None

    def entity_aliases(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(name, aliases)`` of every entity, in ``entities()`` order."""
        rows = self._all(
            'SELECT name, aliases FROM entities ORDER BY mentions DESC, name COLLATE "C"'
        )
        return [(r[0], tuple(json.loads(r[1])) if r[1] != "[]" else ()) for r in rows]

    def canonical_for(self, names: Iterable[str]) -> dict[str, str]:
        """For each of ``names`` that belongs to an entity, the name of that entity."""
        wanted = list(dict.fromkeys(names))
        rows = self._all("SELECT alias, name FROM entity_names WHERE alias = ANY(%s)", (wanted,))
        return {r[0]: r[1] for r in rows}

    def entities_named(self, names: Iterable[str]) -> dict[str, Entity]:
        """The full entities with these names (those that exist)."""
        wanted = list(dict.fromkeys(names))
        rows = self._all(
            "SELECT name, type, aliases, articles, mentions FROM entities WHERE name = ANY(%s)",
            (wanted,),
        )
        return {r[0]: _entity(r) for r in rows}

    def article_entities(self, article_id: str) -> list[tuple[str, str, int]]:
        """``(name, type, mentions)`` of one article's entities, most mentioned first."""
        rows = self._all(
            "SELECT name, type, mentions FROM article_entities WHERE article = %s "
            'ORDER BY mentions DESC, name COLLATE "C"',
            (article_id,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def entity_counts_among(
        self, article_ids: Iterable[str], limit: int | None = None
    ) -> list[tuple[str, str, int, int]]:
        """``(name, type, mentions, articles)`` summed over ``article_ids``, most mentioned
        first (the ids are one bound array, however many a search shows)."""
        rows = self._all(
            'SELECT name, MIN(type COLLATE "C"), SUM(mentions) AS n, COUNT(*) '
            "FROM article_entities WHERE article = ANY(%s) "
            'GROUP BY name ORDER BY n DESC, name COLLATE "C" LIMIT %s',
            (list(dict.fromkeys(article_ids)), limit),
        )
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows]

    def articles_with_entity(self, name: str) -> list[str]:
        """Ids of the articles that mention the entity (by its canonical name)."""
        rows = self._all("SELECT article FROM article_entities WHERE name = %s", (name,))
        return [r[0] for r in rows]


_BUILT_TABLES = (
    *("files", "articles", "entities", "article_entities", "entity_names", "duplicates"),
    *("quotes", "copy_bands", "copy_pairs", "copy_done"),
)
_ARTICLE_COLUMNS = (
    *("id", "root", "source", "line", "title", "outlet", "author", "published"),
    *("date_inferred", "section", "standfirst", "url", "editorial", "words", "paragraphs"),
    *("mentions", "events", "text_key"),
)


def _write_files(cur: psycopg.Cursor[Any], files: list[tuple[str, str, FileState]]) -> None:
    cur.executemany(
        "INSERT INTO files VALUES (%s, %s, %s, %s, %s) ON CONFLICT (root, source) DO UPDATE "
        "SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha1 = excluded.sha1",
        [(_name(root), _name(src), s.size, s.mtime_ns, s.sha1) for root, src, s in files],
    )


def _entity(r: tuple[Any, ...]) -> Entity:
    return Entity(r[0], r[1], tuple(json.loads(r[2])), tuple(json.loads(r[3])), r[4])


def _write_entities(
    cur: psycopg.Cursor[Any], entities: Sequence[Entity], per_article: PerArticle
) -> None:
    """Write (or overwrite) entities, their names, and articles' entity counts."""
    # A name wins over another entity's alias: aliases first (first one kept), then names.
    cur.executemany(
        "INSERT INTO entity_names VALUES (%s, %s) ON CONFLICT (alias) DO NOTHING",
        [(alias, e.name) for e in entities for alias in e.aliases],
    )
    cur.executemany(
        "INSERT INTO entity_names VALUES (%s, %s) "
        "ON CONFLICT (alias) DO UPDATE SET name = excluded.name",
        [(e.name, e.name) for e in entities],
    )
    cur.executemany(
        "INSERT INTO entities VALUES (%s, %s, %s, %s, %s) ON CONFLICT (name) DO UPDATE SET "
        "type = excluded.type, aliases = excluded.aliases, articles = excluded.articles, "
        "mentions = excluded.mentions",
        [entity_row(e) for e in entities],
    )
    cur.executemany(
        "INSERT INTO article_entities VALUES (%s, %s, %s, %s)",
        article_entity_rows(per_article),
    )
