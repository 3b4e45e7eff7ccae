"""Errors in search are not disguised: only real damage to the index is "the index is damaged";
a malformed query is a QueryError; anything else (a bug) propagates as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.searching import Searcher

from index import paths
from index.library import Library, QueryError, open_library
from index.search.backend import IndexDamaged
from index.search.query import parse
from index.search.whoosh import WhooshBackend


@pytest.fixture(scope="module")
def seeds(built_seed_index: tuple[Path, Path]) -> Library:
    corpus_dir, index_dir = built_seed_index
    return open_library(paths.resolve(corpus_dir, index_dir))


class Bug(RuntimeError):
    pass


def broken(*_args: object, **_kwargs: object) -> object:
    raise Bug("a bug in the backend")


def damaged(*_args: object, **_kwargs: object) -> object:
    raise IndexDamaged("EOFError: segment cut short")


WORDS = st.sampled_from(["thaad", "lotte", "china", "missile", "seoul", "defence", "us"])
QUERIES = st.lists(WORDS, min_size=1, max_size=4).map(" ".join) | st.sampled_from(
    ['"missile defense"', "thaad OR lotte", "title:thaad", "thad~", "miss*", "NOT china"]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=QUERIES)
def test_a_bug_in_the_backend_is_not_a_query_error(
    seeds: Library, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    # Inside the backend, where Whoosh runs (the old code turned any exception there into
    # "the index is damaged", then into a QueryError)
    with monkeypatch.context() as patch:
        patch.setattr(Searcher, "search", broken)
        patch.setattr(Searcher, "search_with_collector", broken)
        patch.setattr(Searcher, "docs_for_query", broken)
        # an as-you-type query is scored from each segment's postings (whoosh/direct.py)
        patch.setattr(Searcher, "leaf_searchers", broken)
        with pytest.raises(Bug):
            seeds.search(text)
        with pytest.raises(Bug):
            seeds.fuzzy(text.replace('"', ""))
        with pytest.raises(Bug):
            seeds.matching_ids(text)


def test_damage_is_said_as_damage(seeds: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seeds.fulltext, "search", damaged)
    with pytest.raises(QueryError, match="the index is damaged"):
        seeds.search("thaad")
    # the typo-tolerant search still answers from titles and names
    assert seeds.fuzzy("thaad") is not None


def test_the_whoosh_backend_tells_damage_from_bugs(
    seeds: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    backend = WhooshBackend(tmp_path / "whoosh")
    backend.open()
    # where Whoosh runs a search: its collectors, or each segment's postings (whoosh/direct.py)
    where = ("search", "search_with_collector", "leaf_searchers")
    for name in where:
        monkeypatch.setattr(Searcher, name, broken)
    with pytest.raises(Bug):
        backend.search(parse("thaad"))
    with pytest.raises(Bug):
        backend.search(parse('"thaad battery"'))

    def cut_short(*_args: object, **_kwargs: object) -> object:
        raise EOFError("segment cut short")

    for name in where:
        monkeypatch.setattr(Searcher, name, cut_short)
    with pytest.raises(IndexDamaged, match="EOFError"):
        backend.search(parse("thaad"))
    with pytest.raises(IndexDamaged, match="EOFError"):
        backend.search(parse('"thaad battery"'))
    backend.close()


def test_malformed_queries_are_query_errors(seeds: Library) -> None:
    for text in ["thaad AND", '"missile', "title:(a", "nosuch:x", "published:2017-13"]:
        with pytest.raises(QueryError):
            seeds.search(text)
