"""The project's own query parser against the Whoosh parser it replaced (tests/search_oracle.py).

Every query the old parser read must mean the same search now: the neutral tree, compiled for
Whoosh, is the very query the old parser made (compared structurally, after normalising), and it
finds the same articles in the same order on the seeds and on the contract corpus. Queries the old
path refused as malformed are refused. Deliberate differences: ``a REQUIRE
b`` is now ``a AND b`` (same articles; Whoosh scored them by ``a`` alone), and see glued().
"""

from __future__ import annotations

from pathlib import Path

import pytest
import search_oracle as old
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from whoosh.analysis import STOP_WORDS
from whoosh.support.charset import accent_map

from index import paths
from index.compare.coverage import STOP_WORDS as OUR_STOP_WORDS
from index.library import Library, open_library
from index.search import query
from index.search import querytree as qt
from index.search.accents import ACCENTS
from index.search.query import QueryError
from index.search.typos import FUNCTION_FORMS, FUNCTION_WORDS
from index.search.whoosh.analysis import ANALYZER
from index.search.whoosh.compile import to_whoosh
from index.search.whoosh.schema import SCHEMA
from index.search.whoosh.wordunion import expand_fuzzy

QUERIES = [
    "thaad",
    "THAAD lotte",
    "a OR b AND c",
    "a b OR c",
    "NOT a b",
    "a ANDNOT b c",
    "a ANDMAYBE b",
    "title:(a b) c",
    "title:(missile OR body:china) seoul",
    "jae-in",
    "moon jae-in",
    "사드를",
    "萨德 部署",
    '"crude oil"',
    '"crude oil"~3',
    'a"b c"',
    "oil*",
    "o?l",
    "a*b",
    "*",
    "?",
    "*:*",
    "thad~",
    "thad~2",
    "thad~2/3",
    "x~y",
    "thaad~ lotte*",
    "title:thaad*",
    "title:[a TO c]",
    "title:{a TO c]",
    "title:>m",
    "outlet:<=k",
    "a^2",
    "(a b)^2",
    "thaad^",
    "thaad^0.5 china",
    "U.S.",
    "entity:moon",
    'entity:"Moon Jae-in"',
    "outlet:korea herald",
    "source:yonhap",
    "org:samsung",
    "organization:lotte",
    "text:missile",
    "speaker:moon",
    "the",
    "title:the",
    "id:abc",
    "a OR NOT b",
    "a AND NOT b OR c",
    "a AND (NOT b)",
    "NOT (a OR b)",
    "NOT thaad",
    "-thaad -china",
    "+thaad -lotte",
    "'don t'",
    "http://x.com",
    "published:2017",
    "date:2017-03-07",
    "thaad published:[2017-01 to 2017-03]",
    "thaad published:>2017-10",
    "published:{2016-12 TO 2017}",
    "published:[2017-06 TO]",
    "(lote~ OR hyundai) AND NOT title:x",
    "((a OR b) AND (c OR d)) OR e",
    "()",
    "( thaad )",
    'missile -"crude oil"',
]


def same(text: str) -> None:
    """The new parse compiles to the query the old parser made, or both refuse the text."""
    try:
        expected = old.parse(text)
    except QueryError:
        try:
            query.check(query.web_signs(text))
        except QueryError:  # malformed: still refused, with the same reason
            with pytest.raises(QueryError):
                query.parse(text)
            return
        # Well-formed, yet Whoosh's parser crashed on it, or a date was read inside a quoted
        # term ('date:x'): the new parser may read it; that is no loss.
        return
    assert to_whoosh(query.parse(text)).normalize() == expected.normalize(), text


@pytest.mark.parametrize("text", QUERIES)
def test_every_query_means_what_it_meant(text: str) -> None:
    same(text)


def test_require_is_and() -> None:
    # the documented difference: the same articles must match
    assert query.parse("a REQUIRE b") == query.parse("a AND b")


# Whoosh glued a "*" or "?" and what touches it ("~", "^", quotes, ">", another "*") into one odd
# pattern ("thaad~2*" looked for words beginning "thaad"; "*~" for the characters "*~"); the new
# parser reads "word~2*" as a typo and a pattern. Such chunks are not generated.
def glued(text: str) -> bool:
    return any(
        ("*" in chunk or "?" in chunk)
        and (any(c in chunk for c in "~^\"'<>") or chunk.count("*") + chunk.count("?") > 1)
        for chunk in text.split()
    )


WORDS = st.sampled_from(
    ["thaad", "lotte", "missile", "china", "seoul", "Jae-in", "사드를", "U.S.", "oil", "x", "the"]
)
# A comparison comes after a field name: alone, Whoosh dropped it and read what was left
# (a dangling "AND AND") in ways not worth copying, so it is generated with its field.
SYNTAX = st.sampled_from(
    [
        *("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "(", ")", "-", "+", "~", "~2", "*", "?"),
        *("^2", '"', "'", "title:", "outlet:", "entity:", "date:", "published:", "body:"),
        *("2017", "2017-03", "[", "]", "{", "}", " TO ", "title:>", "outlet:<=", "*:*", ":"),
    ]
)
TOKENS = st.lists(st.tuples(WORDS | SYNTAX, st.sampled_from(["", " "])), min_size=1, max_size=12)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tokens=TOKENS)
@example(tokens=[("thaad", " "), ("OR", " "), ("lotte", "")])
@example(tokens=[("title:", ""), ("(", ""), ("a", " "), ("b", ""), (")", "")])
@example(tokens=[("(", ""), (")", ""), ("^2", "")])  # an empty group's boost: no word "^2"
def test_generated_queries_mean_what_they_meant(tokens: list[tuple[str, str]]) -> None:
    text = "".join(t + gap for t, gap in tokens)
    assume(not glued(text))
    same(text)


def ranked_ids(library: Library, text: str) -> tuple[list[str], list[str]]:
    """(new, old): the ids the library finds for ``text``, and what the old parser's query
    finds through the same searcher."""
    new = [h.id for h in library.fulltext.search(query.parse(text), limit=None).hits]
    with library.fulltext.index().searcher() as searcher:
        vocabulary = library.fulltext.vocabulary
        parsed = expand_fuzzy(old.parse(text), vocabulary)
        before = [hit["id"] for hit in searcher.search(parsed, limit=None, optimize=False)]
    return new, before


@pytest.fixture(scope="module")
def seeds(built_seed_index: tuple[Path, Path]) -> Library:
    corpus_dir, index_dir = built_seed_index
    return open_library(paths.resolve(corpus_dir, index_dir))


SEARCHES = [
    "thaad",
    "thaad lotte",
    "thaad OR lotte",
    "china NOT lotte",
    "NOT thaad",
    '"missile defense"',
    "title:thaad",
    "entity:china",
    "thad~",
    "misile~2",
    "miss*",
    "published:2017",
    "thaad published:[2016 to 2017-03]",
    "(seoul OR beijing) AND missile",
    "jae-in",
]


@pytest.mark.parametrize("text", SEARCHES)
def test_the_seeds_find_the_same_articles_in_the_same_order(seeds: Library, text: str) -> None:
    new, before = ranked_ids(seeds, text)
    assert new == before


def test_the_contract_corpus_finds_the_same_articles(tmp_path: Path) -> None:
    from contract.conftest import fixture_articles, make_backend

    backend = make_backend("whoosh", tmp_path)
    backend.open()
    backend.write_batch([], fixture_articles())
    for text in [*SEARCHES, "missile talks", "boycot~", "touri*", "outlet:island", "NOT missile"]:
        new = [h.id for h in backend.search(query.parse(text), limit=None).hits]
        with backend.index().searcher() as searcher:  # type: ignore[attr-defined]
            parsed = expand_fuzzy(old.parse(text), backend.vocabulary)
            before = [hit["id"] for hit in searcher.search(parsed, limit=None, optimize=False)]
        assert new == before, text
    backend.close()


def test_what_the_neutral_modules_hold_matches_whoosh() -> None:
    """The tables copied out of Whoosh so that no neutral module imports it."""
    assert dict(accent_map) == ACCENTS
    assert frozenset(STOP_WORDS) == OUR_STOP_WORDS
    assert FUNCTION_WORDS | {t.text for w in FUNCTION_WORDS for t in ANALYZER(w)} == FUNCTION_FORMS
    assert set(qt.FIELDS) == set(SCHEMA.names())
    assert set(qt.DEFAULT_FIELDS) <= set(qt.FIELDS)


def test_query_errors_keep_their_position() -> None:
    with pytest.raises(QueryError, match="column 7"):
        query.parse("thaad ) lotte")
    with pytest.raises(QueryError, match="unknown field 'nosuch'"):
        query.parse("nosuch:x")


def test_advice_names_a_date_range_as_dates(seeds: Library) -> None:
    advice = seeds.advise("published:[2016 to 2017-03] china", shown=1)
    assert advice is not None
    assert "“published:[2016-01-01 to 2017-03-31]” 1" in advice.text()
