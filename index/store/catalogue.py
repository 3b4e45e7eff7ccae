"""The article catalogue: a SQLite file beside the Whoosh index.

Whoosh answers full-text queries; the catalogue holds everything else the app and the CLI need
without touching Whoosh: article metadata (the list loads in milliseconds), bodies (read one at a
time when an article opens), entity mentions, events, and the size/mtime/hash of every source
file so that an update re-parses only what changed. SQLite is in the standard library and its
transactions make a batch commit all-or-nothing, which is what lets a killed build resume.
"""

from __future__ import annotations

import errno
import functools
import inspect
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from index.ingest.fsnames import from_db, to_db
from index.models import Article, ArticleInfo, Entity, Event, Mention

if TYPE_CHECKING:
    from index.analysis.quotes import Quote

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    root TEXT NOT NULL, source TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    sha1 TEXT NOT NULL, PRIMARY KEY (root, source));
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, root TEXT NOT NULL, source TEXT NOT NULL, line INTEGER,
    title TEXT NOT NULL, outlet TEXT, author TEXT, published TEXT, date_inferred INTEGER NOT NULL,
    section TEXT, standfirst TEXT, url TEXT, editorial TEXT NOT NULL, words INTEGER NOT NULL,
    paragraphs TEXT NOT NULL, mentions TEXT NOT NULL, events TEXT NOT NULL,
    text_key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS articles_by_source ON articles (root, source);
CREATE INDEX IF NOT EXISTS articles_by_text ON articles (text_key);
-- Articles a file holds that were not indexed because another file has them already.
CREATE TABLE IF NOT EXISTS duplicates (
    root TEXT NOT NULL, source TEXT NOT NULL, line INTEGER, title TEXT NOT NULL,
    reason TEXT NOT NULL, kept TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS duplicates_by_source ON duplicates (root, source);
-- Covers the article list: rows hold large bodies, so reading the list from the table itself
-- touches a page per article (0.1 s at 20,000); from this index it reads a few hundred.
CREATE INDEX IF NOT EXISTS articles_list ON articles
    (published, title COLLATE NOCASE, id, outlet, author, date_inferred, words, source, url);
CREATE TABLE IF NOT EXISTS entities (
    name TEXT PRIMARY KEY, type TEXT NOT NULL, aliases TEXT NOT NULL, articles TEXT NOT NULL,
    mentions INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS article_entities (
    article TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, mentions INTEGER NOT NULL,
    PRIMARY KEY (article, name));
CREATE INDEX IF NOT EXISTS article_entities_by_name ON article_entities (name);
CREATE TABLE IF NOT EXISTS entity_names (alias TEXT PRIMARY KEY, name TEXT NOT NULL);
-- Who said what (index/analysis/quotes.py): the speaker as the article's mention name, mapped to
-- its
-- entity through entity_names when read, so corrections reach quotes without a rebuild.
CREATE TABLE IF NOT EXISTS quotes (
    article TEXT NOT NULL, paragraph INTEGER NOT NULL, start INTEGER NOT NULL,
    end INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, speaker TEXT NOT NULL,
    resolved INTEGER NOT NULL, verb TEXT NOT NULL, sentence TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS quotes_by_article ON quotes (article, start);
CREATE INDEX IF NOT EXISTS quotes_by_speaker ON quotes (speaker);
"""


_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_SQLITE_IOERR, _SQLITE_FULL = 10, 13


def disk_refused(exc: BaseException) -> str | None:
    """Why the disk refused a read or write, if ``exc`` says so (full, over quota, I/O error):
    such a failure says nothing about the index's content, which must then be kept."""
    if isinstance(exc, OSError) and exc.errno in _SPACE_ERRNOS:
        return (exc.strerror or "no space left on device").lower()
    if isinstance(exc, sqlite3.Error):
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code == _SQLITE_FULL:
            return "no space left on device"
        if code == _SQLITE_IOERR:
            return "disk I/O error"
    return None


class CatalogueDamaged(sqlite3.DatabaseError):
    """The catalogue's content cannot be read back (damaged pages); ``str()`` says where."""


_F = TypeVar("_F", bound=Callable[..., Any])


def _guarded(method: _F) -> _F:
    """Turn what damaged pages raise on reading (undecodable text, garbled JSON, values of the
    wrong type) into :class:`CatalogueDamaged`; a locked database stays an ordinary error."""

    @functools.wraps(method)
    def read(self, *args, **kwargs):
        try:
            result = method(self, *args, **kwargs)
            if inspect.isgenerator(result):
                return _guarded_iter(result, method.__name__)
            return result
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or disk_refused(exc):
                raise
            raise CatalogueDamaged(f"{method.__name__}: {exc}") from exc
        except CatalogueDamaged:
            raise
        except (sqlite3.DatabaseError, ValueError, TypeError, KeyError, IndexError) as exc:
            raise CatalogueDamaged(f"{method.__name__}: {type(exc).__name__}: {exc}") from exc

    return read  # type: ignore[return-value]


def _guarded_iter(rows: Iterator, name: str) -> Iterator:
    try:
        yield from rows
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or disk_refused(exc):
            raise
        raise CatalogueDamaged(f"{name}: {exc}") from exc
    except (sqlite3.DatabaseError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise CatalogueDamaged(f"{name}: {type(exc).__name__}: {exc}") from exc


_INFO_COLUMNS = "id, title, outlet, author, published, date_inferred, words, source, url"


@dataclass(frozen=True, slots=True)
class FileState:
    size: int
    mtime_ns: int
    sha1: str


@dataclass(frozen=True, slots=True)
class Analysed:
    """An article with what analysis found in it, ready to be written."""

    root: str
    article: Article
    mentions: tuple[Mention, ...]
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...] = ()
    # The full-text index's ``joined`` field, made where the article was analysed (a worker
    # process in a big build): it took a tenth of the build's time in the main process.
    joined: str | None = None


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An article not indexed because the corpus has it already: ``kept`` is the id it has
    there, ``kept_source`` the file holding it, ``reason`` "same URL" or "same text"."""

    root: str
    source: str
    line: int | None
    title: str
    reason: str
    kept: str
    kept_source: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: “{self.title}”: {self.reason} as {self.kept} in {self.kept_source}"


class Catalogue:
    """One SQLite database; a connection per thread (the app reads while a worker writes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        # Why the catalogue is open read-only (the disk refused the files SQLite writes beside
        # it), or None: reading still works, any write fails.
        self.read_only: str | None = None
        # Bumped when the file is replaced: every thread then reconnects on its next read
        # (a connection to a deleted file would go on reading the old content).
        self._generation = 0

    def _connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "generation", 0) != self._generation:
            conn.close()
            conn = None
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30)
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(SCHEMA)
            except sqlite3.OperationalError as exc:
                conn.close()
                why = disk_refused(exc)
                if why is None or not self.path.is_file():
                    raise
                # A full disk: the shared-memory file of WAL mode cannot be made. Read the
                # file as it is (without what an unfinished write left in its log).
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?immutable=1", uri=True)
                self.read_only = why
            self._local.conn = conn
            self._local.generation = self._generation
        return conn

    def discard(self) -> None:
        """Close this thread's connection and make every other thread reconnect: the file is
        about to be deleted and made again."""
        self._generation += 1
        self.close()

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, for modules that keep tables of their own in the
        catalogue (index.analysis.copies)."""
        return self._connect()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def quick_check(self) -> str | None:
        """Why SQLite finds the file's structure damaged (``PRAGMA quick_check``), or None.

        It reads every page (a quarter of a second at 20,000 articles) but not the text in
        them: text damage shows up as :class:`CatalogueDamaged` when it is read.
        """
        try:
            row = self._connect().execute("PRAGMA quick_check(1)").fetchone()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or disk_refused(exc):
                raise
            return f"catalogue unreadable: {exc}"
        except sqlite3.DatabaseError as exc:
            return f"catalogue unreadable: {exc}"
        if row is None or row[0] != "ok":
            found = str(row[0]) if row else "no answer from quick_check"
            # SQLite's report spans lines and names the database: one line for the notice.
            return "catalogue damaged: " + " ".join(
                found.replace("*** in database main ***", "").split()
            )
        return None

    @_guarded
    def stored_schema(self) -> str | None:
        """The schema version recorded in the file, read without creating any table: an older
        catalogue lacks the columns this version's indexes are built on."""
        if not self.path.exists():
            return None
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        finally:
            conn.close()
        return row[0] if row else None

    # -- meta -------------------------------------------------------------------------------
    @_guarded
    def get_meta(self, key: str) -> str | None:
        row = (
            self._connect()
            .execute("SELECT value FROM meta WHERE key = ?", (to_db(key),))
            .fetchone()
        )
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (to_db(key), value))

    # -- files ------------------------------------------------------------------------------
    @_guarded
    def file_states(self) -> dict[tuple[str, str], FileState]:
        rows = self._connect().execute("SELECT root, source, size, mtime_ns, sha1 FROM files")
        return {(from_db(r[0]), from_db(r[1])): FileState(r[2], r[3], r[4]) for r in rows}

    def commit_batch(
        self,
        files: Iterable[tuple[str, str, FileState]],
        analysed: Sequence[Analysed],
        removed_sources: Iterable[tuple[str, str]] = (),
        duplicates: Sequence[Duplicate] = (),
    ) -> None:
        """Replace the articles (and skipped duplicates) of the given files and record their new
        state, atomically."""
        files = list(files)
        with self._connect() as conn:
            for root, source in [*((f[0], f[1]) for f in files), *removed_sources]:
                conn.execute(
                    "DELETE FROM quotes WHERE article IN "
                    "(SELECT id FROM articles WHERE root = ? AND source = ?)",
                    (to_db(root), to_db(source)),
                )
                conn.execute(
                    "DELETE FROM articles WHERE root = ? AND source = ?",
                    (to_db(root), to_db(source)),
                )
                conn.execute(
                    "DELETE FROM duplicates WHERE root = ? AND source = ?",
                    (to_db(root), to_db(source)),
                )
            for root, source in removed_sources:
                conn.execute(
                    "DELETE FROM files WHERE root = ? AND source = ?", (to_db(root), to_db(source))
                )
            conn.executemany(
                "INSERT OR REPLACE INTO articles VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_article_row(a) for a in analysed],
            )
            conn.executemany(
                "DELETE FROM quotes WHERE article = ?", [(a.article.id,) for a in analysed]
            )
            conn.executemany(
                "INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        q.article,
                        q.paragraph,
                        q.start,
                        q.end,
                        q.text,
                        q.kind,
                        q.speaker,
                        int(q.resolved),
                        q.verb,
                        q.sentence,
                    )
                    for a in analysed
                    for q in a.quotes
                ],
            )
            conn.executemany(
                "INSERT INTO duplicates VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (to_db(d.root), to_db(d.source), d.line, d.title, d.reason, d.kept)
                    for d in duplicates
                ],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", _file_rows(files)
            )

    def record_states(self, files: Iterable[tuple[str, str, FileState]]) -> None:
        """Record new size/mtime for files whose content did not change."""
        with self._connect() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", _file_rows(files)
            )

    @_guarded
    def ids_for_sources(self, sources: Iterable[tuple[str, str]]) -> list[str]:
        conn = self._connect()
        ids: list[str] = []
        for root, source in sources:
            rows = conn.execute(
                "SELECT id FROM articles WHERE root = ? AND source = ?",
                (to_db(root), to_db(source)),
            )
            ids.extend(r[0] for r in rows)
        return ids

    @_guarded
    def holders(
        self, ids: Iterable[str], text_keys: Iterable[str]
    ) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str, str, bool]]]:
        """Where the corpus holds these articles already: ``{id: (root, source)}`` and
        ``{text key: (id, root, source, has a URL)}`` (an article without a URL first)."""
        conn = self._connect()
        by_id: dict[str, tuple[str, str]] = {}
        by_text: dict[str, tuple[str, str, str, bool]] = {}
        for column, wanted in (("id", list(dict.fromkeys(ids))), ("text_key", list(text_keys))):
            for i in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
                chunk = wanted[i : i + 500]
                rows = conn.execute(
                    f"SELECT id, root, source, text_key, url FROM articles "
                    f"WHERE {column} IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                for aid, root, source, key, url in rows:
                    by_id[aid] = (from_db(root), from_db(source))
                    if key not in by_text or (by_text[key][3] and not url):
                        by_text[key] = (aid, from_db(root), from_db(source), bool(url))
        return by_id, by_text

    @_guarded
    def orphaned_duplicates(self) -> list[tuple[str, str]]:
        """Files with a skipped duplicate whose kept copy has left the corpus since."""
        rows = self._connect().execute(
            "SELECT DISTINCT root, source FROM duplicates "
            "WHERE kept NOT IN (SELECT id FROM articles)"
        )
        return [(from_db(r[0]), from_db(r[1])) for r in rows]

    def clear(self) -> None:
        with self._connect() as conn:
            for table in (
                "files",
                "articles",
                "entities",
                "article_entities",
                "duplicates",
                "quotes",
            ):
                conn.execute(f"DELETE FROM {table}")

    # -- articles ---------------------------------------------------------------------------
    @_guarded
    def count(self) -> int:
        return int(self._connect().execute("SELECT count(*) FROM articles").fetchone()[0])

    @_guarded
    def infos(self) -> list[ArticleInfo]:
        """Every article without its body, sorted by date (undated last), then title."""
        rows = self._connect().execute(
            f"SELECT {_INFO_COLUMNS} FROM articles ORDER BY published, title COLLATE NOCASE"
        )
        infos = [
            ArticleInfo(r[0], r[1], r[2], r[3], _date(r[4]), bool(r[5]), r[6], from_db(r[7]), r[8])
            for r in rows
        ]
        # SQLite sorts NULL first; undated articles go last (the sort is stable).
        infos.sort(key=lambda info: info.published is None)
        return infos

    @_guarded
    def ids(self) -> list[str]:
        return [r[0] for r in self._connect().execute("SELECT id FROM articles")]

    @_guarded
    def article(self, article_id: str) -> Article | None:
        row = (
            self._connect()
            .execute(
                "SELECT id, title, paragraphs, outlet, author, published, date_inferred, section, "
                "standfirst, url, source, line, editorial FROM articles WHERE id = ?",
                (article_id,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return Article(
            id=row[0],
            title=row[1],
            paragraphs=tuple(json.loads(row[2])),
            outlet=row[3],
            author=row[4],
            published=_date(row[5]),
            date_inferred=bool(row[6]),
            section=row[7],
            standfirst=row[8],
            url=row[9],
            source=from_db(row[10]),
            line=row[11],
            editorial=tuple(json.loads(row[12])),
        )

    @_guarded
    def sources(self) -> dict[str, Path]:
        """Every article's source file (root folder / relative path), in one query."""
        rows = self._connect().execute("SELECT id, root, source FROM articles")
        return {r[0]: Path(from_db(r[1])) / from_db(r[2]) for r in rows}

    @_guarded
    def mentions(self, article_id: str) -> list[Mention]:
        row = (
            self._connect()
            .execute("SELECT mentions FROM articles WHERE id = ?", (article_id,))
            .fetchone()
        )
        return [Mention(*m) for m in json.loads(row[0])] if row else []

    @_guarded
    def iter_mentions(self) -> Iterator[tuple[str, str, list[Mention]]]:
        """(article id, body text, mentions) for every article: input to entity aggregation."""
        rows = self._connect().execute("SELECT id, paragraphs, mentions FROM articles")
        for article_id, paragraphs, mentions in rows:
            text = "\n\n".join(json.loads(paragraphs))
            yield article_id, text, [Mention(*m) for m in json.loads(mentions)]

    @_guarded
    def events(self) -> list[Event]:
        out: list[Event] = []
        for (blob,) in self._connect().execute("SELECT events FROM articles"):
            out.extend(_event(e) for e in json.loads(blob))
        return out

    @_guarded
    def quotes(
        self, article: str | None = None, speakers: Iterable[str] | None = None
    ) -> list[tuple[Quote, str, str | None, str | None]]:
        """Stored quotes with their article's (title, outlet, published), by article and
        offset; only those of ``article`` and/or said by one of ``speakers`` (stored names)."""
        where, args = [], []
        if article is not None:
            where.append("q.article = ?")
            args.append(article)
        if speakers is not None:
            names = list(dict.fromkeys(speakers))[:900]  # SQLite's limit on bound parameters
            where.append(f"q.speaker IN ({','.join('?' * len(names))})")
            args.extend(names)
        rows = self._connect().execute(
            "SELECT q.article, q.paragraph, q.start, q.end, q.text, q.kind, q.speaker, "
            "q.resolved, q.verb, q.sentence, a.title, a.outlet, a.published "
            "FROM quotes q JOIN articles a ON a.id = q.article"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY a.published, q.article, q.start",
            args,
        )
        from index.analysis.quotes import Quote  # the extractor's module: not for start-up

        return [
            (Quote(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), r[8], r[9]), *r[10:])
            for r in rows
        ]

    @_guarded
    def quote_speakers(self) -> list[tuple[str, int]]:
        """Every stored speaker name with its number of quotes."""
        rows = self._connect().execute(
            "SELECT speaker, count(*) FROM quotes WHERE speaker != '' GROUP BY speaker"
        )
        return [(r[0], int(r[1])) for r in rows]

    # -- entities (aggregated across the corpus) --------------------------------------------
    def replace_entities(self, entities: Sequence[Entity], per_article: dict[str, dict]) -> None:
        """Store the corpus-wide entity table and each article's canonical entity counts."""
        with self._connect() as conn:
            for table in ("entities", "article_entities", "entity_names"):
                conn.execute(f"DELETE FROM {table}")
            _write_entities(conn, entities, per_article)

    def upsert_entities(self, entities: Sequence[Entity], per_article: dict[str, dict]) -> None:
        """Insert or replace some entities and the entity counts of some (new) articles."""
        with self._connect() as conn:
            conn.executemany(
                "DELETE FROM article_entities WHERE article = ?", [(a,) for a in per_article]
            )
            _write_entities(conn, entities, per_article)

    @_guarded
    def entities(self, limit: int | None = None) -> list[Entity]:
        """Corpus entities, most mentioned first; the first ``limit`` of them if given."""
        rows = self._connect().execute(
            "SELECT name, type, aliases, articles, mentions FROM entities "
            "ORDER BY mentions DESC, name LIMIT ?",
            (-1 if limit is None else limit,),
        )
        return [
            Entity(r[0], r[1], tuple(json.loads(r[2])), tuple(json.loads(r[3])), r[4]) for r in rows
        ]

    @_guarded
    def has_entities(self) -> bool:
        """Whether the entity table has been filled (cheap, unlike ``entities()``)."""
        return self._connect().execute("SELECT 1 FROM entities LIMIT 1").fetchone() is not None

    @_guarded
    def entity_aliases(self) -> list[tuple[str, tuple[str, ...]]]:
        """``(name, aliases)`` of every entity, in ``entities()`` order.

        Decoding 60,000 article lists (and building 60,000 ``Entity`` objects) takes most of a
        second at 20,000 articles; adding one article only needs to know which names exist.
        """
        rows = self._connect().execute(
            "SELECT name, aliases FROM entities ORDER BY mentions DESC, name"
        )
        return [(r[0], tuple(json.loads(r[1])) if r[1] != "[]" else ()) for r in rows]

    @_guarded
    def canonical_for(self, names: Iterable[str]) -> dict[str, str]:
        """For each of ``names`` that belongs to an entity, the name of that entity.

        A hidden entity's names are absent. This reads only the names asked for: opening an
        article used to decode every entity's aliases (about a second at 20,000 articles).
        """
        wanted = list(dict.fromkeys(names))
        conn = self._connect()
        out: dict[str, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = conn.execute(
                f"SELECT alias, name FROM entity_names WHERE alias IN ({marks})", chunk
            )
            out.update(rows)
        return out

    @_guarded
    def entities_named(self, names: Iterable[str]) -> dict[str, Entity]:
        """The full entities with these names (those that exist)."""
        wanted = list(dict.fromkeys(names))
        conn = self._connect()
        out: dict[str, Entity] = {}
        for i in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            chunk = wanted[i : i + 500]
            rows = conn.execute(
                "SELECT name, type, aliases, articles, mentions FROM entities "
                f"WHERE name IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for r in rows:
                out[r[0]] = Entity(
                    r[0], r[1], tuple(json.loads(r[2])), tuple(json.loads(r[3])), r[4]
                )
        return out

    @_guarded
    def article_entities(self, article_id: str) -> list[tuple[str, str, int]]:
        rows = self._connect().execute(
            "SELECT name, type, mentions FROM article_entities WHERE article = ? "
            "ORDER BY mentions DESC, name",
            (article_id,),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    @_guarded
    def entity_counts_among(
        self, article_ids: Iterable[str], limit: int | None = None
    ) -> list[tuple[str, str, int, int]]:
        """``(name, type, mentions, articles)`` summed over ``article_ids``, most mentioned first.

        The ids go through a temporary table: a search can show 19,000 articles, far more than
        SQLite binds in one ``IN (...)``.
        """
        conn = self._connect()
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS shown_articles (id TEXT PRIMARY KEY)")
        try:
            conn.executemany(
                "INSERT OR IGNORE INTO shown_articles VALUES (?)", ((a,) for a in article_ids)
            )
            rows = conn.execute(
                "SELECT name, MIN(type), SUM(mentions) AS n, COUNT(*) FROM article_entities "
                "JOIN shown_articles ON article = shown_articles.id "
                "GROUP BY name ORDER BY n DESC, name LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        finally:
            conn.execute("DELETE FROM shown_articles")
            conn.commit()
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    @_guarded
    def articles_with_entity(self, name: str) -> list[str]:
        rows = self._connect().execute(
            "SELECT article FROM article_entities WHERE name = ?", (name,)
        )
        return [r[0] for r in rows]


def _file_rows(files: Iterable[tuple[str, str, FileState]]) -> list[tuple]:
    return [(to_db(root), to_db(src), s.size, s.mtime_ns, s.sha1) for root, src, s in files]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _article_row(item: Analysed) -> tuple:
    from index.ingest.corpus import text_key  # the ingest package: only when writing

    a = item.article
    return (
        a.id,
        to_db(item.root),
        to_db(a.source),
        a.line,
        a.title,
        a.outlet,
        a.author,
        a.published.isoformat() if a.published else None,
        int(a.date_inferred),
        a.section,
        a.standfirst,
        a.url,
        json.dumps(list(a.editorial)),
        a.words,
        json.dumps(list(a.paragraphs), ensure_ascii=False),
        json.dumps([[m.start, m.end, m.type, m.name] for m in item.mentions], ensure_ascii=False),
        json.dumps([_event_row(e) for e in item.events], ensure_ascii=False),
        text_key(a.paragraphs),
    )


def _event_row(e: Event) -> list:
    return [
        e.date,
        e.precision,
        e.kind,
        e.article,
        e.text,
        e.start,
        e.end,
        list(e.entities),
        e.inferred,
    ]


def _event(row: list) -> Event:
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], row[6], tuple(row[7]), row[8])


def _write_entities(
    conn: sqlite3.Connection, entities: Sequence[Entity], per_article: dict[str, dict]
) -> None:
    """Write (or overwrite) entities, their names, and articles' entity counts."""
    _write_names(conn, entities)
    conn.executemany(
        "INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?)",
        [
            (e.name, e.type, json.dumps(e.aliases), json.dumps(e.articles), e.mentions)
            for e in entities
        ],
    )
    conn.executemany(
        "INSERT INTO article_entities VALUES (?, ?, ?, ?)",
        [
            (article, name, kind, n)
            for article, counts in per_article.items()
            for name, (kind, n) in counts.items()
        ],
    )


def _write_names(conn: sqlite3.Connection, entities: Sequence[Entity]) -> None:
    """Record every name and alias of ``entities`` (a name wins over another's alias)."""
    conn.executemany(
        "INSERT OR IGNORE INTO entity_names VALUES (?, ?)",
        [(alias, e.name) for e in entities for alias in e.aliases],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO entity_names VALUES (?, ?)", [(e.name, e.name) for e in entities]
    )
