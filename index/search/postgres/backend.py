"""The PostgreSQL search backend: the full-text index of the corpus in a database server.

Tables (beside the catalogue's, all prefixed ``search_``):

- ``search_docs(id, published, doc tsvector)`` with a GIN index on ``doc``: one row per article
  (:mod:`index.search.postgres.documents` says what the tsvector holds);
- ``search_vocab(field, word, ndoc)``: every indexed word of every field and how many articles
  hold it, with a trigram GIN index (``pg_trgm``) on ``word``: ``word~``, the typo-tolerant
  search as the user types, and the "did you mean" suggestions look words up there, in the
  database, instead of loading the vocabulary into every client;
- ``search_meta(key, value)``: the schema version and the generation (bumped by every commit).

Queries are compiled by :mod:`index.search.postgres.tsquery`; every value is bound as a
parameter. Readers use autocommit connections (one per thread), so they see the last committed
batch and never wait for a build; a batch is one transaction, so a killed build leaves the
previous state.
"""

from __future__ import annotations

import bisect
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

import psycopg
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from index.search import querytree as qt
from index.search.backend import Hit, IndexDamaged, Results, Sort, Token
from index.search.fuzzy import Vocabulary
from index.search.postgres.documents import Row, analyze_text, vocabulary_delta
from index.search.postgres.tsquery import RANK_WEIGHTS, WEIGHTS, Compiler, quote
from index.search.query import QueryError
from index.search.typos import FUNCTION_FORMS
from index.store.catalogue import Analysed
from index.store.postgres.connect import PgConnections

SCHEMA_VERSION = "1"
_T = TypeVar("_T")
_FIELD_OF_WEIGHT = {label: name for name, label in WEIGHTS.items()}
_SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS search_meta (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE IF NOT EXISTS search_docs ("
    " id text PRIMARY KEY, published timestamp, doc tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS search_docs_doc ON search_docs USING gin (doc)",
    "CREATE INDEX IF NOT EXISTS search_docs_published ON search_docs (published)",
    # C collation: a prefix (LIKE 'abc%') is a range of the primary key
    'CREATE TABLE IF NOT EXISTS search_vocab (field text NOT NULL, word text COLLATE "C"'
    " NOT NULL, ndoc integer NOT NULL, PRIMARY KEY (field, word))",
    "CREATE INDEX IF NOT EXISTS search_vocab_trgm ON search_vocab USING gin (word gin_trgm_ops)",
]
_TABLES = ("search_docs", "search_vocab", "search_meta")
_PLAIN = re.compile(r"[a-z0-9]+")
MORE_LIKE_TERMS = 12
# Fields with at most this many words are read whole, once per generation (a few MB at most).
LOCAL_WORDS = 60_000
# Seconds another client's commit may go unseen by the typo look-ups (never by the searches;
# this client's own commits are seen at once).
GENERATION_TTL = 1.0


def trigram_bound(word: str, edits: int, per_edit: int) -> float:
    """The least pg_trgm similarity a word within ``edits`` edits of ``word`` can have (0
    when there is none to rely on): ``word`` has T distinct trigrams, of which each edit
    changes at most ``per_edit``, and the other word at most len + edits + 1, so they share
    at least T - per_edit x edits of at most len + 1 + edits + per_edit x edits in all.
    Only for plain lowercase letters and digits, which pg_trgm keeps as one word."""
    if not _PLAIN.fullmatch(word):
        return 0.0
    padded = f"  {word} "
    trigrams = len({padded[i : i + 3] for i in range(len(padded) - 2)})
    shared = trigrams - per_edit * edits
    if shared <= 0:
        return 0.0
    bound = shared / (len(word) + 1 + edits + per_edit * edits)
    return round(bound * 0.99, 4)  # below the bound, never on it


class Connections(Protocol):
    """What the backend needs of the database's connections (the catalogue's
    :class:`~index.store.postgres.connect.PgConnections` pool)."""

    shown: str

    def run(self, work: Callable[[psycopg.Connection[Any]], _T]) -> _T: ...

    def transaction(self) -> AbstractContextManager[psycopg.Connection[Any]]: ...

    def close(self) -> None: ...


def _like_prefix(prefix: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", prefix) + "%"


class PostgresBackend:
    """A :class:`~index.search.backend.SearchBackend` on a PostgreSQL database."""

    name = "postgresql"

    def __init__(self, target: str | Connections) -> None:
        self.db: Connections = PgConnections(target) if isinstance(target, str) else target
        self._compiler = Compiler(self._analyze_words, self._expand)
        self._ready = False
        self._vocabs: dict[str, DatabaseVocabulary] = {}
        self._vocab_gen: int | None = None
        self._gen_checked = 0.0

    def __repr__(self) -> str:
        return f"PostgresBackend({self.db.shown!r})"

    # -- opening ---------------------------------------------------------------------------
    def open(self) -> None:
        """Create the tables if there are none; raises :class:`IndexDamaged` if they were
        written by another version of this backend."""
        if self._ready:
            return
        with self.db.transaction() as conn:
            # Two clients opening a new database at once must not both create the tables.
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('thaad-tui search schema'))")
            for statement in _SCHEMA:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO search_meta VALUES ('version', %s), ('generation', '0') "
                "ON CONFLICT (key) DO NOTHING",
                (SCHEMA_VERSION,),
            )
            row = conn.execute("SELECT value FROM search_meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            found = row[0] if row else "none"
            raise IndexDamaged(f"the search tables are version {found}, not {SCHEMA_VERSION}")
        self._ready = True

    def exists(self) -> bool:
        """Whether the search tables are in the database."""

        def work(conn: psycopg.Connection[Any]) -> bool:
            row = conn.execute("SELECT to_regclass('search_docs') IS NOT NULL").fetchone()
            return bool(row and row[0])

        return self.db.run(work)  # not _read: that would create the tables

    def reset(self) -> None:
        """Drop the search tables and create them empty."""
        with self.db.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('thaad-tui search schema'))")
            for table in _TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")  # names are constants above
        self._ready = False
        self._forget()
        self.open()

    def close(self) -> None:
        """Close this thread's connection (the backend opens again on next use)."""
        self.db.close()
        self._forget()

    def _forget(self) -> None:
        self._vocabs = {}
        self._vocab_gen = None

    # -- writing ---------------------------------------------------------------------------
    def write_batch(
        self,
        removed_ids: Iterable[str],
        items: Sequence[Analysed],
        procs: int = 1,
        merge: bool = True,
    ) -> None:
        """Delete ``removed_ids``, add or replace ``items``: one transaction. ``procs`` and
        ``merge`` are Whoosh's hints and mean nothing here."""
        self.open()
        rows = list({row.id: row for row in map(Row, items)}.values())  # analysed before locking
        ids = sorted(set(removed_ids) | {row.id for row in rows})
        with self.db.transaction() as conn:
            # One writer at a time: the vocabulary counts are read-modify-write.
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('thaad-tui search write'))")
            old = conn.execute(
                "SELECT u.lexeme, u.weights FROM search_docs d, unnest(d.doc) u "
                "WHERE d.id = ANY(%s)",
                (ids,),
            ).fetchall()
            conn.execute("DELETE FROM search_docs WHERE id = ANY(%s)", (ids,))
            with conn.cursor().copy("COPY search_docs (id, published, doc) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((row.id, row.published, row.doc))
            delta = vocabulary_delta(rows, _words_of(old))
            if delta:
                conn.execute(
                    "CREATE TEMP TABLE search_delta (field text, word text, n integer) "
                    "ON COMMIT DROP"
                )
                with conn.cursor().copy("COPY search_delta FROM STDIN") as copy:
                    for (field, word), n in delta.items():
                        copy.write_row((field, word, n))
                conn.execute(
                    "INSERT INTO search_vocab (field, word, ndoc) "
                    "SELECT field, word, n FROM search_delta "
                    "ON CONFLICT (field, word) DO UPDATE SET ndoc = search_vocab.ndoc + "
                    "EXCLUDED.ndoc"
                )
                conn.execute(
                    "DELETE FROM search_vocab v USING search_delta d "
                    "WHERE v.field = d.field AND v.word = d.word AND v.ndoc <= 0"
                )
            conn.execute(
                "UPDATE search_meta SET value = (value::bigint + 1)::text WHERE key = 'generation'"
            )
        self._forget()

    # -- reading ---------------------------------------------------------------------------
    def _read(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        self.open()

        def work(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
            return conn.execute(sql, params).fetchall()

        try:
            return self.db.run(work)
        except psycopg.errors.UndefinedTable as exc:
            self._ready = False
            raise IndexDamaged(f"the search tables are missing ({_one_line(exc)})") from None
        except (psycopg.DataError, psycopg.ProgrammingError) as exc:
            raise QueryError(f"the database refused the query: {_one_line(exc)}") from None

    def doc_count(self) -> int:
        """How many articles the index holds."""
        return int(self._read("SELECT count(*) FROM search_docs", ())[0][0])

    def search(
        self,
        query: qt.Query,
        *,
        limit: int | None = 10,
        sort: Sort = "relevance",
        filters: qt.Query | None = None,
    ) -> Results:
        """The articles matching ``query`` and ``filters``, best first (or by date)."""
        compiled = self._compiler.compile(query, filters)
        if compiled.where == "FALSE":
            return Results([], 0)
        score_sql, score_params = "0.0::real", []
        if compiled.rank is not None:
            score_sql = "ts_rank(%s::real[], doc, %s::tsquery, 1)"
            score_params = [RANK_WEIGHTS, compiled.rank]
        order = {
            "relevance": "score DESC, id",
            "newest": "published DESC NULLS LAST, id",
            "oldest": "published ASC NULLS LAST, id",
        }[sort]
        sql = (
            "SELECT s.id, s.score, s.total, ARRAY(SELECT w FROM unnest(tsvector_to_array(s.doc))"
            " w WHERE w = ANY(%s::text[]) OR w LIKE ANY(%s::text[])) FROM ("
            f" SELECT id, doc, published, {score_sql} AS score, count(*) OVER () AS total"
            f" FROM search_docs WHERE {compiled.where} ORDER BY {order} LIMIT %s"
            f") s ORDER BY {order}"
        )
        words = sorted(w for w in compiled.highlight if not w.endswith("*"))
        prefixes = sorted(_like_prefix(w[:-1]) for w in compiled.highlight if w.endswith("*"))
        params = [words, prefixes, *score_params, *compiled.params, limit]
        rows = self._read(sql, params)
        hits = [
            Hit(aid, float(score), frozenset(t.removeprefix("joined:") for t in matched))
            for aid, score, _total, matched in rows
        ]
        return Results(hits, int(rows[0][2]) if rows else 0)

    def ids(self, query: qt.Query) -> list[str]:
        """Every article matching ``query``, unranked."""
        compiled = self._compiler.compile(query)
        if compiled.where == "FALSE":
            return []
        sql = f"SELECT id FROM search_docs WHERE {compiled.where}"
        return [row[0] for row in self._read(sql, compiled.params)]

    def count(self, query: qt.Query) -> int:
        """How many articles match ``query``."""
        compiled = self._compiler.compile(query)
        if compiled.where == "FALSE":
            return 0
        sql = f"SELECT count(*) FROM search_docs WHERE {compiled.where}"
        return int(self._read(sql, compiled.params)[0][0])

    def more_like(self, article_id: str, text: str, limit: int) -> list[tuple[str, float]]:
        """Articles sharing the most telling words of ``text`` (tf x idf), best first."""
        counts = Counter(word for word, *_rest in analyze_text(text))
        if not counts:
            return []
        rows = self._read(
            "SELECT word, ndoc, (SELECT count(*) FROM search_docs) FROM search_vocab "
            "WHERE field = 'body' AND word = ANY(%s)",
            (list(counts),),
        )
        worth = {
            w: counts[w] * math.log(max(1, total) / max(1, n))
            for w, n, total in rows
            if w not in FUNCTION_FORMS
        }
        telling = sorted(worth, key=lambda w: (-worth[w], w))[:MORE_LIKE_TERMS]
        if not telling:
            return []
        tsquery = " | ".join(f"{quote(w)}:D" for w in telling)
        found = self._read(
            "SELECT id, ts_rank(%s::real[], doc, %s::tsquery, 1) AS score FROM search_docs "
            "WHERE doc @@ %s::tsquery AND id <> %s ORDER BY score DESC, id LIMIT %s",
            (RANK_WEIGHTS, tsquery, tsquery, article_id, limit),
        )
        return [(aid, float(score)) for aid, score in found]

    def generation(self) -> int:
        """A number that changes with every committed batch."""
        rows = self._read("SELECT value FROM search_meta WHERE key = 'generation'", ())
        return int(rows[0][0]) if rows else 0

    def vocabulary(self, field: str) -> DatabaseVocabulary:
        """The words of ``field``, looked up in the database (cached per generation, which
        is asked again at most every :data:`GENERATION_TTL` seconds: the typo plan of one
        keystroke asks for the vocabularies dozens of times)."""
        now = time.monotonic()
        if self._vocab_gen is None or now - self._gen_checked > GENERATION_TTL:
            generation = self.generation()
            self._gen_checked = now
            if generation != self._vocab_gen:
                self._vocabs = {}
                self._vocab_gen = generation
        vocab = self._vocabs.get(field)
        if vocab is None:
            vocab = self._vocabs[field] = DatabaseVocabulary(self, field)
        return vocab

    def doc_frequency(self, field: str, word: str) -> int:
        """How many articles have ``word`` in ``field``."""
        return self.vocabulary(field).frequency(word)

    def analyze(self, text: str) -> list[Token]:
        """``text`` as the index stores its words (the project's analyzer, as Whoosh's)."""
        return [Token(word, start, end) for word, _pos, start, end in analyze_text(text)]

    # -- compiling helpers -------------------------------------------------------------------
    @staticmethod
    def _analyze_words(text: str) -> list[str]:
        return [word for word, *_rest in analyze_text(text)]

    def _expand(self, field: str, node: qt.Fuzzy | qt.Wildcard | qt.TermRange) -> list[str]:
        if isinstance(node, qt.Fuzzy):
            words = self._analyze_words(node.text) if field in WEIGHTS else []
            typed = words[0] if len(words) == 1 else node.text.strip().lower()
            found = self.vocabulary(field).within(typed, node.maxdist, node.prefix)
            # Function words ("that", "had" for "thad~") would match nearly every article.
            return [w for w in found if w == typed or w not in FUNCTION_FORMS]
        if isinstance(node, qt.Wildcard):
            pattern = re.sub(r"([\\%_])", r"\\\1", node.text.lower())
            pattern = pattern.replace("*", "%").replace("?", "_")
            rows = self._read(
                "SELECT word FROM search_vocab WHERE field = %s AND word LIKE %s", (field, pattern)
            )
            return [row[0] for row in rows]
        conditions, params = ["field = %s"], [field]
        if node.start is not None:
            conditions.append("word > %s" if node.startexcl else "word >= %s")
            params.append(node.start.lower())
        if node.end is not None:
            conditions.append("word < %s" if node.endexcl else "word <= %s")
            params.append(node.end.lower())
        sql = "SELECT word FROM search_vocab WHERE " + " AND ".join(conditions)
        return [row[0] for row in self._read(sql, params)]


class DatabaseVocabulary(Vocabulary):
    """The words of one field, as :class:`~index.search.fuzzy.Vocabulary` offers them, asked
    of the database: typo candidates always by the trigram index; membership, prefixes and
    frequencies from the whole field read once (one query) when it has at most
    :data:`LOCAL_WORDS` words, else word by word (a keystroke asks dozens of them, and each
    round trip costs a scheduling slice on a busy server)."""

    def __init__(self, backend: PostgresBackend, field: str) -> None:
        # The base class is not initialised: it would load every word.
        self._backend = backend
        self._field = field
        self._typos = {}
        self._known: dict[str, bool] = {}
        self._frequencies: dict[str, int] = {}
        self._prefixes: dict[str, list[str]] = {}
        self._all: list[str] | None = None
        self._counts: dict[str, int] | None = None
        self._decided = False

    def _local(self) -> dict[str, int] | None:
        """Every word of the field with its article count, if the field is small."""
        if not self._decided:
            sql = "SELECT count(*) FROM search_vocab WHERE field = %s"
            if int(self._backend._read(sql, (self._field,))[0][0]) <= LOCAL_WORDS:
                rows = self._backend._read(
                    "SELECT word, ndoc FROM search_vocab WHERE field = %s ORDER BY word",
                    (self._field,),
                )
                self._counts = {word: int(n) for word, n in rows}
                self._all = list(self._counts)  # "C" order is code point order, as Python's
            self._decided = True
        return self._counts

    @property
    def sorted(self) -> list[str]:  # type: ignore[override]
        if self._all is None:
            rows = self._backend._read(
                "SELECT word FROM search_vocab WHERE field = %s ORDER BY word", (self._field,)
            )
            self._all = [row[0] for row in rows]
        return self._all

    def __len__(self) -> int:
        local = self._local()
        if local is not None:
            return len(local)
        rows = self._backend._read(
            "SELECT count(*) FROM search_vocab WHERE field = %s", (self._field,)
        )
        return int(rows[0][0])

    def frequency(self, word: str) -> int:
        """How many articles hold ``word`` in this field."""
        local = self._local()
        if local is not None:
            return local.get(word, 0)
        found = self._frequencies.get(word)
        if found is None:
            rows = self._backend._read(
                "SELECT ndoc FROM search_vocab WHERE field = %s AND word = %s",
                (self._field, word),
            )
            found = self._frequencies[word] = int(rows[0][0]) if rows else 0
        return found

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        local = self._local()
        if local is not None:
            return word in local
        known = self._known.get(word)
        if known is None:
            rows = self._backend._read(
                "SELECT 1 FROM search_vocab WHERE field = %s AND word = %s", (self._field, word)
            )
            known = self._known[word] = bool(rows)
        return known

    def starting_with(self, prefix: str) -> list[str]:
        if self._local() is not None and self._all is not None:
            lo = bisect.bisect_left(self._all, prefix)
            return self._all[lo : bisect.bisect_left(self._all, prefix + "\U0010ffff", lo)]
        found = self._prefixes.get(prefix)
        if found is None:
            rows = self._backend._read(
                "SELECT word FROM search_vocab WHERE field = %s AND word LIKE %s ORDER BY word",
                (self._field, _like_prefix(prefix)),
            )
            found = [row[0] for row in rows]
            if len(self._prefixes) > 256:
                self._prefixes.clear()
            self._prefixes[prefix] = found
        return found

    def _candidates(
        self, probe: str, slack: int, starts: Sequence[str], per_edit: int
    ) -> list[str]:
        """Words beginning with one of ``starts``, whose length is within ``slack`` of
        ``probe``'s and, when the trigram index can tell, that share enough trigrams with
        ``probe`` to be within ``slack`` edits of it (each edit changing at most
        ``per_edit`` trigrams): a superset of the words within ``slack`` edits."""
        starting = " OR ".join(["word LIKE %s"] * len(starts)) or "TRUE"
        sql = (
            f"SELECT word FROM search_vocab WHERE field = %s AND ({starting}) "
            "AND length(word) BETWEEN %s AND %s"
        )
        params: list[object] = [self._field, *(_like_prefix(s) for s in starts)]
        params += [len(probe) - slack, len(probe) + slack]
        threshold = trigram_bound(probe, slack, per_edit)
        if threshold > 0:
            sql += " AND word %% %s"
            params.append(probe)

        def work(conn: psycopg.Connection[Any]) -> list[str]:
            if threshold > 0:
                conn.execute(
                    "SELECT set_config('pg_trgm.similarity_threshold', %s, false)",
                    (str(threshold),),
                )
            return [row[0] for row in conn.execute(sql, params).fetchall()]

        self._backend.open()
        return self._backend.db.run(work)

    def near(self, typed: str, probe: str, loose: int) -> list[str]:
        starts = [typed[0]]
        if len(typed) > 1 and typed[1] != typed[0]:
            starts.append(typed[1] + typed[0])
        pool = self._candidates(probe, loose, starts, per_edit=4)  # a swap changes 4
        return [
            word
            for word, _d, _i in process.extract(
                probe, pool, scorer=OSA.distance, score_cutoff=loose, limit=None
            )
        ]

    def within(self, text: str, maxdist: int, prefixlength: int = 0) -> list[str]:
        starts = [text[:prefixlength]] if prefixlength else []
        pool = self._candidates(text, maxdist, starts, per_edit=3)
        return sorted(
            word
            for word, _d, _i in process.extract(
                text, pool, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None
            )
        )


def _words_of(lexemes: Iterable[tuple[str, Sequence[str] | None]]) -> Counter[tuple[str, str]]:
    """(field, word) of each stored lexeme (from ``unnest(doc)``): a name lexeme is
    ``field:name``; a text word is in the fields its weight labels name."""
    found: Counter[tuple[str, str]] = Counter()
    for lexeme, weights in lexemes:
        if ":" in lexeme:
            field, _colon, value = lexeme.partition(":")
            found[(field, value)] += 1
        else:
            for label in set(weights or ("D",)):
                found[(_FIELD_OF_WEIGHT[label], lexeme)] += 1
    return found


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
