"""Fuzzing the two parsers that read untrusted input: corpus files and search queries.

Only documented outcomes are allowed: ``parse_file`` returns articles and warnings (it never
raises), ``query.parse`` and ``Library.search`` raise nothing but ``QueryError``. Example counts
are modest so the suite stays fast; run with ``--hypothesis-seed`` to reproduce a failure.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index import paths
from index.ingest import corpus as ingest
from index.library import Library, QueryError, open_library
from index.search import query

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SUFFIXES = (".txt", ".md", ".jsonl", ".markdown")
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DEEP = 5000
NESTED_SAMPLES = [
    b"[" * DEEP + b"]" * DEEP,
    b"---\ntitle: " + b"[" * DEEP + b"\n---\nbody\n",
    b"---\ntitle: x\nauthor: " + b"{a: " * 2000 + b"\n---\n\nBody paragraph here.\n",
    b'{"title": "t", "text": ' + b"[" * DEEP + b"]" * DEEP + b"}\n",
    b'{"title": "t", "text": "' + b"(" * DEEP + b'"}\n',
    b"<html>" + b"<div>" * DEEP + b"text" + b"</div>" * DEEP + b"</html>",
    b"Headline\n\n" + b"x" * 1_000_000 + b"\n",
    b"Title with NUL\x00 inside\n\nBody with \x00 NUL and more text here.\n",
    b"\xff\xfe" + "A UTF-16 title\n\nBody text here.\n".encode("utf-16-le"),
    b'{"title": "t", "text": "' + b"\\ud800" + b'"}\n',
    b"---\n" + b"- a\n" * 3 + b"---\n",
    b"---\ntitle: &a [*a]\n---\nbody\n",
]


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="thaad-fuzz-") as name:
        yield Path(name)


def check_parse(folder: Path, data: bytes, suffix: str) -> None:
    path = folder / f"article{suffix}"
    path.write_bytes(data)
    articles, warnings = ingest.parse_file(path, folder)
    for warning in warnings:
        assert str(warning).startswith(str(path))
    for article in articles:
        for text in (article.title, article.outlet or "", article.author or "", article.text):
            assert CONTROL.search(text.replace("\n", " ")) is None


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("data", NESTED_SAMPLES, ids=range(len(NESTED_SAMPLES)))
def test_parse_file_survives_hostile_shapes(folder: Path, data: bytes, suffix: str):
    check_parse(folder, data, suffix)


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_parse_file_survives_arbitrary_bytes(folder: Path, data: bytes, suffix: str):
    check_parse(folder, data, suffix)


LINE = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("[]{}<>-:#\"'\0"),
    max_size=200,
)


@FUZZ
@given(
    lines=st.lists(LINE | st.just("---") | st.just(""), max_size=30),
    long_line=st.integers(0, 300_000),
    suffix=st.sampled_from(SUFFIXES),
)
def test_parse_file_survives_arbitrary_unicode(
    folder: Path, lines: list[str], long_line: int, suffix: str
):
    text = "\n".join(lines) + "\n" + "word " * (long_line // 5)
    check_parse(folder, text.encode("utf-8"), suffix)


@FUZZ
@given(title=LINE, body=st.lists(LINE, max_size=5), extra=st.dictionaries(LINE, LINE, max_size=3))
def test_parse_jsonl_survives_arbitrary_objects(folder: Path, title, body, extra):
    import json

    row = {**extra, "title": title, "text": "\n\n".join(body)}
    check_parse(folder, (json.dumps(row) + "\n").encode("utf-8"), ".jsonl")


QUERY_ALPHABET = st.sampled_from([*'()[]{}"~*?^:+-!/\\ \t', "AND", "OR", "NOT", "TO"])
QUERY = st.lists(
    QUERY_ALPHABET | st.text(max_size=8) | st.sampled_from(["title:", "published:", "THAAD"]),
    max_size=40,
).map(" ".join)
HUGE_QUERIES = [
    "(" * DEEP + "thaad" + ")" * DEEP,
    "(" * DEEP,
    ")" * DEEP,
    "[" * DEEP + "a TO b" + "]" * DEEP,
    '"' + "thaad " * 2000 + '"',
    "thaad " * 2000,
    " AND ".join(["thaad"] * 2000),
    "x" * 10_000,
    "published:" + "2016" * 2500,
    "title:(" * 1000 + "thaad" + ")" * 1000,
    "thaad~" + "9" * 5000,
    "\x00\x1b]52;c;AAAA\x07",
]


@pytest.fixture(scope="module")
def library(built_seed_index: tuple[Path, Path]) -> Library:
    corpus_dir, index_dir = built_seed_index
    return open_library(paths.resolve(corpus_dir, index_dir))


def test_huge_queries_only_raise_query_error(library: Library):
    """Deep nesting, 10k characters, thousands of terms: a one-line QueryError or results."""
    for text in HUGE_QUERIES:
        try:
            query.parse(text)
        except QueryError as exc:
            assert "\n" not in str(exc)
            continue
        # Only what parses reaches Whoosh (search parses first, and would raise the same).
        library.search(text)


@FUZZ
@given(text=QUERY | st.text(max_size=300))
@example(text="title:")
@example(text="published:[2016 TO")
def test_query_parse_only_raises_query_error(text: str):
    with contextlib.suppress(QueryError):
        query.parse(text)


@FUZZ
@given(text=QUERY | st.text(max_size=300))
def test_library_search_only_raises_query_error(library: Library, text: str):
    try:
        hits = library.search(text)
    except QueryError:
        return
    for hit in hits:
        assert hit.id
