"""Near-duplicate articles ("copies"): a wire story reprinted with a new intro, cut, or lightly
edited, found at index time.

Each article's normalised words are cut into 5-word shingles. A MinHash signature of the
shingle set (``datasketch``) is split into LSH bands whose keys are stored in the catalogue
(``copy_bands``): an article added later finds its candidates with one indexed query instead
of a comparison with every article, and the state survives between runs, so ``add`` updates
it incrementally. Candidates are then checked exactly: two articles are copies when most of
the smaller one's shingles are in the other (containment), which MinHash's Jaccard estimate
alone misses for a copy cut to 70% or given a new intro. Copies are stored as pairs
(``copy_pairs``); groups are the connected pairs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

SHINGLE = 5  # words per shingle: long enough that unrelated stories share almost none
NUM_PERM = 128
# Jaccard at which LSH starts finding candidates: low, because a copy that is half the length
# of its original (containment 1.0) has Jaccard 0.5, and one with a new intro less.
LSH_THRESHOLD = 0.3
COPY_CONTAINMENT = 0.5  # share of the smaller article's shingles found in the other
MIN_SHARED = 8  # shingles in common at least: short boilerplate items are not copies
# Share of the smaller article's figures (tokens with a digit) found in the other, when both
# have two at least: reports written from one template (a dividend notice, a central bank's
# daily operation) share most shingles but not their figures, while a copy keeps them.
NUMBER_CONTAINMENT = 0.7
# The same for names (capitalised words inside a sentence): a template filled in for another
# bank or company shares its wording but not its names.
NAME_CONTAINMENT = 0.5
CHUNK = 500  # articles per transaction
PARALLEL_AT = 2000  # articles to do: below this, starting worker processes costs more
AHEAD = 3  # chunks whose band keys are being made while one is compared

SCHEMA = """
CREATE TABLE IF NOT EXISTS copy_bands (key INTEGER NOT NULL, article TEXT NOT NULL,
    PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS copy_bands_by_article ON copy_bands (article);
CREATE TABLE IF NOT EXISTS copy_pairs (a TEXT NOT NULL, b TEXT NOT NULL,
    containment REAL NOT NULL, jaccard REAL NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS copy_pairs_by_b ON copy_pairs (b);
-- The text each article's bands were computed from: an edited article is done again.
CREATE TABLE IF NOT EXISTS copy_done (article TEXT PRIMARY KEY, text_key TEXT NOT NULL);
"""


class Connection(Protocol):
    """What the copy finder uses of a connection: ``sqlite3.Connection``, or the PostgreSQL
    store's look-alike (index.store.postgres.sqlite_like)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...
    def executemany(self, sql: str, parameters: Any, /) -> Any: ...
    def __enter__(self) -> Any: ...
    def __exit__(self, *exc: Any) -> Any: ...


_WORD = re.compile(r"\w+")
_NUMBER = re.compile(
    r"\d(?:[\d.,/]*\d)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I
)
# A capitalised word that does not start a sentence (nor follow a quote or bracket).
_NAME = re.compile(r"(?<=[\w,;] )[A-Z][\w'-]*[a-z][\w'-]*")


class Fingerprint(NamedTuple):
    """What two articles are compared on: the shingles of title and body, and the figures."""

    shingles: set[bytes]
    numbers: set[str]
    names: set[str]


Made = list[tuple[list[int], Fingerprint]]
"""What a worker makes for a chunk of articles: each one's band keys and fingerprint."""


def fingerprint(title: str, paragraphs: Sequence[str]) -> Fingerprint:
    """The article's :class:`Fingerprint`: the title is shingled with the body, so that two
    short notices that differ only in their headline (the company) are told apart."""
    texts = [title, *paragraphs]
    numbers = {n.casefold() for n in _NUMBER.findall(" ".join(texts))}
    return Fingerprint(shingles(texts), numbers, set(_NAME.findall(" ".join(paragraphs))))


@dataclass(frozen=True, slots=True)
class CopyPair:
    """Two articles that are copies: ``containment`` is the share of the smaller one's shingles
    found in the other, ``jaccard`` the share of all their shingles they have in common."""

    a: str
    b: str
    containment: float
    jaccard: float


def shingles(paragraphs: Iterable[str]) -> set[bytes]:
    """The article's 5-word shingles over its case-folded words (punctuation and layout
    ignored); a text shorter than a shingle is one shingle."""
    words = _WORD.findall(" ".join(paragraphs).casefold())
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


# (bands, rows per band): datasketch's MinHashLSH choice for LSH_THRESHOLD and NUM_PERM, recall
# weighing nine times more than precision (a missed candidate is a missed copy, a spurious one
# only costs an exact comparison); fixed here because finding it imports scipy (2 s).
# tests/test_copies.py checks it against datasketch.
BANDS = (32, 2)
SEED = 1
# The MurmurHash3 32-bit finalizer's shifts and multipliers (datasketch's pre-mix).
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


def bands() -> tuple[int, int]:
    """(bands, rows per band) of the LSH index (:data:`BANDS`)."""
    return BANDS


@functools.cache
def _permutations() -> tuple[Any, Any]:
    """The (a, b) of the 128 affine permutations, drawn as datasketch draws them."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def minhash(shingle_set: Iterable[bytes]) -> Any:
    """The MinHash signature of a shingle set (a numpy array of :data:`NUM_PERM` uint32), the
    one ``datasketch.MinHash(num_perm=128, seed=1)`` gives (its "affine32" scheme). Made here
    with numpy alone: importing datasketch loads scipy, which cost the first ``add`` of a
    process about half a second (a second and more on a busy machine)."""
    import numpy as np

    s1, m1, s2, m2, s3 = (np.uint32(v) for v in _FMIX32)
    hv = np.array(
        [int.from_bytes(hashlib.sha1(s).digest()[:4], "little") for s in shingle_set],
        dtype=np.uint32,
    ).reshape(-1, 1)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    a, b = _permutations()
    return (hv * a + b).min(axis=0)


def band_keys(shingle_set: set[bytes]) -> list[int]:
    """The LSH band keys of a (non-empty) shingle set: two sets that share a key are
    candidates."""
    values = minhash(shingle_set)
    keys = []
    count, rows = bands()
    for band in range(count):
        chunk = values[band * rows : (band + 1) * rows].tobytes() + bytes([band])
        keys.append(
            int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True)
        )
    return keys


def compare(a: set[bytes], b: set[bytes]) -> tuple[float, float, int]:
    """(containment, jaccard, shared shingles) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0, 0
    shared = len(a & b)
    return shared / min(len(a), len(b)), shared / len(a | b), shared


def numbers_agree(a: set[str], b: set[str], share: float = NUMBER_CONTAINMENT) -> bool:
    """Whether two articles' figures (or names) are those of one story: when both have two at
    least, ``share`` of the smaller set is in the other."""
    if min(len(a), len(b)) < 2:
        return True
    return len(a & b) / min(len(a), len(b)) >= share


def details_agree(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether two articles that share their wording also share their figures and names."""
    return numbers_agree(a.numbers, b.numbers) and numbers_agree(a.names, b.names, NAME_CONTAINMENT)


def is_copy(containment: float, shared: int, numbers: bool = True) -> bool:
    """Whether two articles with these scores (``numbers``: whether their figures agree) are
    copies of one story."""
    return containment >= COPY_CONTAINMENT and shared >= MIN_SHARED and numbers


def ensure_schema(conn: Connection) -> None:
    """Create the copy tables in the catalogue if they are missing (a PostgreSQL catalogue,
    :mod:`index.store.postgres`, has them from its own schema)."""
    if isinstance(conn, sqlite3.Connection):
        conn.executescript(SCHEMA)


def band_keys_of(
    texts: Sequence[tuple[str, str, Sequence[str]]],
) -> list[tuple[list[int], Fingerprint]]:
    """The band keys and the fingerprint of each ``(id, title, paragraphs)``: the part of
    :func:`update` that needs no catalogue, so that worker processes can do it (the
    comparisons then reuse the fingerprint instead of making it again)."""
    done = []
    for _aid, title, paragraphs in texts:
        found = fingerprint(title, paragraphs)
        done.append((band_keys(found.shingles) if found.shingles else [], found))
    return done


def update(
    conn: Connection,
    progress: Callable[[int, int], None] | None = None,
    stop: Callable[[], bool] | None = None,
    pool: Callable[[], Executor] | None = None,
) -> int:
    """Bring the copy tables up to date with the ``articles`` table; returns how many articles
    were (re)done.

    Articles that left the catalogue are dropped with their pairs; articles that are new or
    whose text changed get their bands and are compared with their LSH candidates. A run
    stopped part-way (killed, or ``stop()`` true between two chunks) keeps every committed
    chunk, and the next run does the rest. With ``pool`` (which starts worker processes),
    :data:`PARALLEL_AT` articles or more have their band keys made in the workers, a few
    chunks ahead of the comparisons, which stay here and reuse the fingerprints made there.
    """
    ensure_schema(conn)
    with conn:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS copy_stale (article TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM copy_stale")
        conn.execute(
            "INSERT INTO copy_stale SELECT d.article FROM copy_done d "
            "LEFT JOIN articles a ON a.id = d.article "
            "WHERE a.id IS NULL OR a.text_key != d.text_key"
        )
        for sql in (
            "DELETE FROM copy_bands WHERE article IN (SELECT article FROM copy_stale)",
            "DELETE FROM copy_pairs WHERE a IN (SELECT article FROM copy_stale) "
            "OR b IN (SELECT article FROM copy_stale)",
            "DELETE FROM copy_done WHERE article IN (SELECT article FROM copy_stale)",
        ):
            conn.execute(sql)
    todo = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article FROM copy_done) ORDER BY id"
        )
    ]
    chunks = [todo[start : start + CHUNK] for start in range(0, len(todo), CHUNK)]
    executor = pool() if pool is not None and len(todo) >= PARALLEL_AT else None
    ahead: deque[tuple[dict[str, tuple[str, list[str], str]], Future[Made]]] = deque()
    try:
        for number, ids in enumerate(chunks):
            if stop is not None and stop():
                return number * CHUNK
            if executor is None:
                _do_chunk(conn, ids)
            else:
                while len(ahead) < AHEAD and number + len(ahead) < len(chunks):
                    texts = _load(conn, chunks[number + len(ahead)])
                    rows = [(aid, title, paras) for aid, (title, paras, _k) in texts.items()]
                    ahead.append((texts, executor.submit(band_keys_of, rows)))
                texts, future = ahead.popleft()
                _do_chunk(conn, ids, texts, dict(zip(texts, future.result(), strict=True)))
            if progress:
                progress(min((number + 1) * CHUNK, len(todo)), len(todo))
    finally:
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
    return len(todo)


def complete(conn: Connection) -> bool:
    """Whether every article has been through :func:`update` (a build stopped during the
    copy pass has not)."""
    ensure_schema(conn)
    done = conn.execute("SELECT count(*) FROM copy_done").fetchone()[0]
    return bool(done == conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def _load(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[str, list[str], str]]:
    found: dict[str, tuple[str, list[str], str]] = {}
    for i in range(0, len(ids), 500):
        chunk = list(ids[i : i + 500])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT id, title, paragraphs, text_key FROM articles WHERE id IN ({marks})",
            chunk,
        )
        found.update((r[0], (r[1], json.loads(r[2]), r[3])) for r in rows)
    return found


def _do_chunk(
    conn: Connection,
    ids: Sequence[str],
    texts: dict[str, tuple[str, list[str], str]] | None = None,
    made: dict[str, tuple[list[int], Fingerprint]] | None = None,
) -> None:
    texts = _load(conn, ids) if texts is None else texts
    made = made or {}
    cache: dict[str, Fingerprint] = {aid: found for aid, (_keys, found) in made.items()}

    def fingerprint_of(aid: str) -> Fingerprint:
        if aid not in cache:
            row = texts.get(aid) or _load(conn, [aid]).get(aid)
            cache[aid] = fingerprint(row[0], row[1]) if row else Fingerprint(set(), set(), set())
        return cache[aid]

    with conn:
        for aid in ids:
            if aid not in texts:
                continue
            mine = fingerprint_of(aid)
            if aid in made:
                keys = made[aid][0]
            else:
                keys = band_keys(mine.shingles) if mine.shingles else []
            candidates: set[str] = set()
            for i in range(0, len(keys), 400):
                part = keys[i : i + 400]
                marks = ",".join("?" * len(part))
                rows = conn.execute(
                    f"SELECT DISTINCT article FROM copy_bands WHERE key IN ({marks})",
                    part,
                )
                candidates.update(r[0] for r in rows)
            candidates.discard(aid)
            pairs = []
            for other in sorted(candidates):
                theirs = fingerprint_of(other)
                containment, jaccard, shared = compare(mine.shingles, theirs.shingles)
                if is_copy(containment, shared, details_agree(mine, theirs)):
                    a, b = sorted((aid, other))
                    pairs.append((a, b, round(containment, 4), round(jaccard, 4)))
            # Upserts both SQLite and PostgreSQL understand (the catalogue may be either).
            conn.executemany(
                "INSERT INTO copy_pairs VALUES (?, ?, ?, ?) ON CONFLICT (a, b) DO UPDATE SET "
                "containment = excluded.containment, jaccard = excluded.jaccard",
                pairs,
            )
            conn.executemany(
                "INSERT INTO copy_bands VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(k, aid) for k in keys],
            )
            conn.execute(
                "INSERT INTO copy_done VALUES (?, ?) "
                "ON CONFLICT (article) DO UPDATE SET text_key = excluded.text_key",
                (aid, texts[aid][2]),
            )


def pairs_of(conn: Connection, article_id: str) -> list[CopyPair]:
    """The copy pairs an article is in, the other article second, best first."""
    ensure_schema(conn)
    rows = conn.execute(
        "SELECT a, b, containment, jaccard FROM copy_pairs WHERE a = ? OR b = ?",
        (article_id, article_id),
    )
    found = [CopyPair(article_id, b if a == article_id else a, c, j) for a, b, c, j in rows]
    return sorted(found, key=lambda p: (-p.containment, -p.jaccard, p.b))


def all_pairs(conn: Connection) -> list[CopyPair]:
    """Every copy pair of the catalogue."""
    ensure_schema(conn)
    rows = conn.execute("SELECT a, b, containment, jaccard FROM copy_pairs ORDER BY a, b")
    return [CopyPair(*r) for r in rows]


def groups(pairs: Iterable[CopyPair]) -> list[list[str]]:
    """Copy groups: articles connected by copy pairs (each sorted; groups sorted by their
    first id). An article without copies is in no group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for x in parent:
        members.setdefault(find(x), []).append(x)
    return sorted((sorted(m) for m in members.values()), key=lambda g: g[0])
