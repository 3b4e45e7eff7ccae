"""What every search backend must answer on the contract corpus (see conftest.py).

Queries are written in the search box's syntax and parsed by the project's parser, so these
tests hold the backend to the meaning of that syntax: words (stemmed), phrases, AND/OR/NOT,
brackets, fields, dates, ``word~``, ``word*``; and to the protocol: hits with their matched
words, totals, sort orders, filters, deleting and replacing, the empty index.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from index.search import querytree as qt
from index.search.backend import SearchBackend
from index.search.highlight import best_paragraph, cut_snippet, term_spans
from index.search.query import QueryError, parse

from .conftest import BACKENDS, fixture_articles, make_backend


def found(backend: SearchBackend, text: str) -> set[str]:
    return {hit.id for hit in backend.search(parse(text), limit=None).hits}


def stem(backend: SearchBackend, word: str) -> str:
    return backend.analyze(word)[0].text


def test_a_backend_satisfies_the_protocol(backend: SearchBackend) -> None:
    assert isinstance(backend, SearchBackend)
    assert backend.doc_count() == 6


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("missile", {"a1", "a3", "a5"}),
        ("protests", {"a1"}),  # "protested" in the text: both are the same word stemmed
        ("MISSILE", {"a1", "a3", "a5"}),
        ("seongju", {"a1"}),
        ("nothing_like_this", set()),
    ],
)
def test_words(backend: SearchBackend, text: str, ids: set[str]) -> None:
    assert found(backend, text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ('"crude oil"', {"a5"}),
        ('"oil crude"', set()),
        ('"missile dispute"', {"a3"}),
        ('"missile dispute" talks', {"a3"}),
    ],
)
def test_phrases(backend: SearchBackend, text: str, ids: set[str]) -> None:
    assert found(backend, text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("missile talks", {"a3", "a5"}),  # side by side: both required
        ("missile AND boycott", set()),
        ("boycott AND shield", {"a6"}),
        ("tourism OR cosmetics", {"a3", "a4", "a6"}),
        ("missile NOT crude", {"a1", "a3"}),
        ("missile -crude", {"a1", "a3"}),
        ("NOT missile", {"a2", "a4", "a6"}),
        ("(tourism OR oil) AND talks", {"a3", "a5"}),
        ("tourism OR oil talks", {"a5", "a3"}),  # OR binds tighter than words side by side
        ("missile OR boycott AND shield", {"a1", "a3", "a5", "a6"}),  # AND before OR
        ("missile ANDNOT crude", {"a1", "a3"}),
    ],
)
def test_operators_and_brackets(backend: SearchBackend, text: str, ids: set[str]) -> None:
    assert found(backend, text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("title:missile", {"a1", "a3"}),
        ("outlet:island", {"a4", "a6"}),
        ("source:island", {"a4", "a6"}),
        ("author:ruiz", {"a2", "a5"}),
        ("entity:lotte", {"a2"}),
        ('entity:"Moon Jae-in"', {"a3"}),
        ("org:lotte", {"a2"}),
        ("place:seoul", {"a6"}),
        ("speaker:analysts", {"a2"}),
        ("title:(missile OR tourism)", {"a1", "a3", "a4"}),
        ('title:"missile shield"', {"a1"}),
    ],
)
def test_fields(backend: SearchBackend, text: str, ids: set[str]) -> None:
    assert found(backend, text) == ids


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("published:2017-03", {"a1", "a2"}),
        ("date:2017-03-07", {"a1"}),
        ("published:[2017-01 to 2017-03]", {"a1", "a2", "a6"}),
        ("published:{2017-01-14 to 2017-03-08}", {"a1", "a6"}),
        ("published:<2017", {"a4"}),
        ("published:>=2017-10-31", {"a3"}),
        ("published:>2017-03", {"a3"}),
        ("boycott published:2017", {"a2", "a6"}),
    ],
)
def test_date_ranges(backend: SearchBackend, text: str, ids: set[str]) -> None:
    assert found(backend, text) == ids  # a5 has no date: no range holds it


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("boycot~", {"a2", "a6"}),
        ("misile~", {"a1", "a3", "a5"}),
        ("turism~", {"a3", "a4"}),
        ("turizm~2", {"a3", "a4"}),
        ("title:tourim~", {"a4"}),
        ("touri*", {"a3", "a4"}),
        ("shipp*", {"a5"}),
        ("title:mis*", {"a1", "a3"}),
        ("zzzq~", set()),
        ("zzzq*", set()),
    ],
)
def test_typos_and_prefixes(backend: SearchBackend, text: str, ids: set[str]) -> None:
    assert found(backend, text) == ids


def test_hits_report_the_words_they_matched(backend: SearchBackend) -> None:
    results = backend.search(parse("protests"), limit=10)
    assert [h.id for h in results.hits] == ["a1"] and results.total == 1
    assert stem(backend, "protests") in results.hits[0].terms
    # a typo reports the word of the text it stood for (so that word is highlighted)
    typo = backend.search(parse("boycot~"), limit=10).hits
    assert all(stem(backend, "boycott") in h.terms for h in typo)


def test_snippets_contain_the_matched_word(backend: SearchBackend) -> None:
    articles = {a.article.id: a.article for a in fixture_articles()}
    for text, word in [("protests", "protested"), ("boycot~", "boycott"), ('"crude oil"', "Crude")]:
        for hit in backend.search(parse(text), limit=10).hits:
            paragraphs = articles[hit.id].paragraphs
            n, spans = best_paragraph(paragraphs, hit.terms, backend.analyze)
            snippet, marks = cut_snippet(paragraphs[n], spans)
            assert word in snippet
            assert word in [snippet[s:e] for s, e in marks]


def test_highlight_spans_are_where_the_words_are(backend: SearchBackend) -> None:
    text = "Villagers protested; the protests went on. Protesting, again."
    spans = term_spans(text, {stem(backend, "protest")}, backend.analyze)
    assert [text[s:e] for s, e in spans] == ["protested", "protests", "Protesting"]
    tokens = backend.analyze("Crude oil, 사드를")
    assert [text for text, _s, _e in tokens[:2]] == [stem(backend, "crude"), "oil"]
    assert all("Crude oil, 사드를"[s:e] for _t, s, e in tokens)
    assert {t for t, _s, _e in tokens[2:]} == {"사드", "드를"}  # Korean as character pairs


def test_sort_orders_and_limits(backend: SearchBackend) -> None:
    query = parse("missile")
    ranked = [h.id for h in backend.search(query, limit=None).hits]
    assert ranked[-1] == "a5"  # only in the body; the others have it in the title as well
    newest = [h.id for h in backend.search(query, limit=None, sort="newest").hits]
    oldest = [h.id for h in backend.search(query, limit=None, sort="oldest").hits]
    assert [i for i in newest if i != "a5"] == ["a3", "a1"]
    assert [i for i in oldest if i != "a5"] == ["a1", "a3"]
    first = backend.search(query, limit=1)
    assert len(first.hits) == 1 and first.total == 3


def test_filters_restrict_without_changing_the_order(backend: SearchBackend) -> None:
    filtered = backend.search(parse("missile"), limit=None, filters=parse("outlet:harbour"))
    assert {h.id for h in filtered.hits} == {"a1", "a3"} and filtered.total == 2


def test_counts_ids_and_the_tree_nodes_of_the_fuzzy_path(backend: SearchBackend) -> None:
    assert backend.count(parse("missile")) == 3
    assert sorted(backend.ids(parse("missile"))) == ["a1", "a3", "a5"]
    assert backend.count(qt.MatchAll()) == 6 and backend.count(qt.MatchNone()) == 0
    boycott = qt.IndexTerm("body", stem(backend, "boycott"))
    assert sorted(backend.ids(boycott)) == ["a2", "a6"]
    either = qt.Or((boycott, qt.IndexTerm("title", stem(backend, "tourism"))))
    assert sorted(backend.ids(either)) == ["a2", "a4", "a6"]
    assert sorted(backend.ids(qt.AndNot(qt.MatchAll(), either))) == ["a1", "a3", "a5"]


def test_vocabulary_and_frequencies(backend: SearchBackend) -> None:
    assert stem(backend, "launchers") in backend.vocabulary("body")
    assert backend.doc_frequency("body", stem(backend, "missile")) == 3
    assert backend.doc_frequency("body", "nothing_like_this") == 0


def test_more_like_this(backend: SearchBackend) -> None:
    a1 = next(a.article for a in fixture_articles() if a.article.id == "a1")
    similar = backend.more_like("a1", "\n".join((a1.title, *a1.paragraphs)), 5)
    ids = [i for i, _score in similar]
    assert ids and "a1" not in ids and set(ids) <= {"a2", "a3", "a4", "a5", "a6"}
    assert backend.more_like("no-such-id", "missile", 5) == []


def test_delete_and_replace(backend: SearchBackend) -> None:
    backend.write_batch(["a5"], [])
    assert backend.doc_count() == 5 and found(backend, '"crude oil"') == set()
    a1 = next(a for a in fixture_articles() if a.article.id == "a1")
    article = replace(a1.article, title="Radar arrives", paragraphs=("A radar.",))
    # searched before the change (above): the answers after it must not mix in the old text
    backend.write_batch(["a1"], [replace(a1, article=article, mentions=())])
    assert backend.doc_count() == 5
    assert found(backend, "radar") == {"a1"}
    assert found(backend, "seongju") == set()
    assert backend.search(parse("radar OR seongju OR missile"), limit=None).total == 2


@pytest.mark.parametrize("name", BACKENDS)
def test_an_empty_index(name: str, tmp_path) -> None:
    backend = make_backend(name, tmp_path)
    assert not backend.exists()
    backend.open()
    try:
        assert backend.doc_count() == 0
        assert backend.search(parse("missile"), limit=10).hits == []
        assert backend.count(qt.MatchAll()) == 0
        # the searcher opened on the empty index must see what is written after
        backend.write_batch([], fixture_articles())
        assert found(backend, "missile") == {"a1", "a3", "a5"}
        backend.reset()
        assert backend.doc_count() == 0 and found(backend, "missile") == set()
    finally:
        backend.close()


@pytest.mark.parametrize(
    "text",
    ["missile AND", '"crude oil', "title:(missile", "nosuchfield:x", "published:2017-13", "OR x"],
)
def test_bad_queries_are_query_errors(text: str) -> None:
    with pytest.raises(QueryError):
        parse(text)
