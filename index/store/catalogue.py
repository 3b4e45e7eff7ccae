"""The article catalogue: a SQLite file beside the Whoosh index.

Whoosh answers full-text queries; the catalogue holds everything else the app and the CLI need
without touching Whoosh: article metadata (the list loads in milliseconds), bodies (read one at a
time when an article opens), entity mentions, events, and the size/mtime/hash of every source
file so that an update re-parses only what changed. SQLite is in the standard library and its
transactions make a batch commit all-or-nothing, which is what lets a killed build resume.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from index.ingest.fsnames import from_db, to_db
from index.models import Article, ArticleInfo, Event, Mention
from index.paths import SCHEMA_VERSION
from index.store.base import Analysed, Duplicate, FileState
from index.store.copytables import CopyTables
from index.store.rows import article_row, event_from_row
from index.store.sqlite_entities import EntityTables
from index.store.sqlite_errors import CatalogueDamaged, disk_refused, guarded

# Imported from here by the callers that predate index/store/base.py and sqlite_errors.py.
__all__ = ["Analysed", "Catalogue", "CatalogueDamaged", "Duplicate", "FileState", "disk_refused"]

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


_INFO_COLUMNS = "id, title, outlet, author, published, date_inferred, words, source, url"


class Catalogue(CopyTables, EntityTables):
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
        """Close this thread's connection (the others keep theirs)."""
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

    @guarded
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
    @guarded
    def get_meta(self, key: str) -> str | None:
        """A recorded value (``"schema"``: the version that wrote the file), or None."""
        row = (
            self._connect()
            .execute("SELECT value FROM meta WHERE key = ?", (to_db(key),))
            .fetchone()
        )
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Record a value under ``key``."""
        with self._connect() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (to_db(key), value))

    # -- files ------------------------------------------------------------------------------
    @guarded
    def file_states(self) -> dict[tuple[str, str], FileState]:
        """The size, mtime and hash of every indexed file, by ``(root, source)``."""
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
                [article_row(a, to_db, native=False) for a in analysed],
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

    @guarded
    def ids_for_sources(self, sources: Iterable[tuple[str, str]]) -> list[str]:
        """The ids of the articles these ``(root, source)`` files hold."""
        conn = self._connect()
        ids: list[str] = []
        for root, source in sources:
            rows = conn.execute(
                "SELECT id FROM articles WHERE root = ? AND source = ?",
                (to_db(root), to_db(source)),
            )
            ids.extend(r[0] for r in rows)
        return ids

    @guarded
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

    @guarded
    def orphaned_duplicates(self) -> list[tuple[str, str]]:
        """Files with a skipped duplicate whose kept copy has left the corpus since."""
        rows = self._connect().execute(
            "SELECT DISTINCT root, source FROM duplicates "
            "WHERE kept NOT IN (SELECT id FROM articles)"
        )
        return [(from_db(r[0]), from_db(r[1])) for r in rows]

    def clear(self) -> None:
        """Delete every article, entity, quote, skipped duplicate and file state (a
        rebuild); the copy pairs follow at the next :meth:`update_copies`."""
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
    @guarded
    def count(self) -> int:
        """How many articles."""
        return int(self._connect().execute("SELECT count(*) FROM articles").fetchone()[0])

    @guarded
    def infos(self) -> list[ArticleInfo]:
        """Every article without its body, sorted by date (undated last), then title."""
        # The id breaks ties as in first_infos (both follow the articles_list index).
        rows = self._connect().execute(
            f"SELECT {_INFO_COLUMNS} FROM articles ORDER BY published, title COLLATE NOCASE, id"
        )
        infos = [_info(r) for r in rows]
        # SQLite sorts NULL first; undated articles go last (the sort is stable).
        infos.sort(key=lambda info: info.published is None)
        return infos

    @guarded
    def first_infos(self, limit: int) -> list[ArticleInfo]:
        """The first ``limit`` of :meth:`infos`: the dated articles from the start of the
        articles_list index, then (if there are fewer) the undated ones."""
        conn = self._connect()
        rows = conn.execute(
            f"SELECT {_INFO_COLUMNS} FROM articles WHERE published IS NOT NULL "
            "ORDER BY published, title COLLATE NOCASE, id LIMIT ?",
            (limit,),
        ).fetchall()
        if len(rows) < limit:
            rows += conn.execute(
                f"SELECT {_INFO_COLUMNS} FROM articles WHERE published IS NULL "
                "ORDER BY title COLLATE NOCASE, id LIMIT ?",
                (limit - len(rows),),
            ).fetchall()
        return [_info(r) for r in rows]

    @guarded
    def ids(self) -> list[str]:
        """Every article id."""
        return [r[0] for r in self._connect().execute("SELECT id FROM articles")]

    @guarded
    def article(self, article_id: str) -> Article | None:
        """One article with its body, or None."""
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

    @guarded
    def sources(self) -> dict[str, Path]:
        """Every article's source file (root folder / relative path), in one query."""
        rows = self._connect().execute("SELECT id, root, source FROM articles")
        return {r[0]: Path(from_db(r[1])) / from_db(r[2]) for r in rows}

    @guarded
    def mentions(self, article_id: str) -> list[Mention]:
        """The article's entity mentions as extracted (names before corrections)."""
        row = (
            self._connect()
            .execute("SELECT mentions FROM articles WHERE id = ?", (article_id,))
            .fetchone()
        )
        return [Mention(*m) for m in json.loads(row[0])] if row else []

    @guarded
    def iter_mentions(self) -> Iterator[tuple[str, str, list[Mention]]]:
        """(article id, body text, mentions) for every article: input to entity aggregation."""
        rows = self._connect().execute("SELECT id, paragraphs, mentions FROM articles")
        for article_id, paragraphs, mentions in rows:
            text = "\n\n".join(json.loads(paragraphs))
            yield article_id, text, [Mention(*m) for m in json.loads(mentions)]

    @guarded
    def events(self) -> list[Event]:
        """Every publication date and dated event."""
        out: list[Event] = []
        for (blob,) in self._connect().execute("SELECT events FROM articles"):
            out.extend(event_from_row(e) for e in json.loads(blob))
        return out

    @guarded
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

    @guarded
    def quote_speakers(self) -> list[tuple[str, int]]:
        """Every stored speaker name with its number of quotes."""
        rows = self._connect().execute(
            "SELECT speaker, count(*) FROM quotes WHERE speaker != '' GROUP BY speaker"
        )
        return [(r[0], int(r[1])) for r in rows]

    # -- opening and recovery ---------------------------------------------------------------
    def problem(self, stamp_file: Path) -> str | None:
        """Why the file cannot be used as it is (another schema, damaged pages), or None.

        SQLite's own check of every page is skipped while the file is as it was when it last
        passed (its stamp is kept in ``stamp_file``): it reads the whole file, a quarter of a
        second at 20,000 articles. A full disk says nothing of the content: None.
        """
        try:
            stored = self.stored_schema()
            if stored is not None and stored != str(SCHEMA_VERSION):
                return f"written by schema {stored}, this version uses {SCHEMA_VERSION}"
            schema = self.get_meta("schema")
            if schema is not None and schema != str(SCHEMA_VERSION):
                return f"written by schema {schema}, this version uses {SCHEMA_VERSION}"
            return self._checked_structure(stamp_file)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise
            if disk_refused(exc):
                return None  # kept: the update says the disk is full
            return f"catalogue unreadable: {exc}"
        except sqlite3.DatabaseError as exc:  # not a database, malformed image
            return f"catalogue unreadable: {exc}"

    def _checked_structure(self, stamp_file: Path) -> str | None:
        stamp = self._stamp()
        if stamp is None or _read_text(stamp_file) == stamp:
            return None
        problem = self.quick_check()
        if problem is None:
            with suppress(OSError):  # a stamp not written only costs a check next time
                stamp_file.write_text(stamp, encoding="utf-8")
        return problem

    def _stamp(self) -> str | None:
        """The file's size and modification time, and its write-ahead log's size."""
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        try:
            wal = os.stat(f"{self.path}-wal").st_size
        except OSError:
            wal = 0
        return f"{st.st_size} {st.st_mtime_ns} {wal}"

    def drop(self) -> None:
        """Delete the file (and its log), every thread reconnecting to a new empty one."""
        self.discard()
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{self.path}{suffix}")
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)  # something put a folder where the file goes
            else:
                path.unlink(missing_ok=True)

    def write_refused(self, exc: BaseException) -> str | None:
        """Why the disk refused a write, if ``exc`` says so or the file is open read-only."""
        if not isinstance(exc, OSError | sqlite3.Error):
            return None
        return disk_refused(exc) or self.read_only


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None  # no stamp: the check runs again


def _file_rows(
    files: Iterable[tuple[str, str, FileState]],
) -> list[tuple[str | bytes, str | bytes, int, int, str]]:
    return [(to_db(root), to_db(src), s.size, s.mtime_ns, s.sha1) for root, src, s in files]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _info(r: Any) -> ArticleInfo:
    """The article of one ``_INFO_COLUMNS`` row."""
    return ArticleInfo(r[0], r[1], r[2], r[3], _date(r[4]), bool(r[5]), r[6], from_db(r[7]), r[8])
