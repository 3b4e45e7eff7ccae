"""The as-you-type search's work per keystroke: counted, not timed (issue 20).

A typed word's typo plan compares it with every indexed stem near it, each with the suffixes
stemming removes put back; these tests check that only the stems that can be within the typo
limit are costed in Python, with the same costs as costing every one of them.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from whoosh import query as wq
from whoosh.matching import UnionMatcher
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher

from index import paths
from index.library import open_library
from index.search import fuzzysearch, query, typos
from index.search import querytree as qt
from index.search.fuzzy import Vocabulary
from index.search.whoosh import analysis, postcache
from index.search.whoosh.backend import WhooshBackend
from index.search.whoosh.compile import to_whoosh
from index.search.whoosh.terms import TopTerms
from index.search.whoosh.wordunion import expand_fuzzy


def _stems() -> list[str]:
    """Made-up stems: runs of one letter, suffix letters at the end, near and far lengths."""
    letters = "caorentl"
    made = {"".join(p) for n in (3, 4, 5) for p in itertools.product(letters, repeat=n)}
    made |= {"corra", "coraa", "ccora", "corre", "corrs", "coral", "corazon", "coron", "cor"}
    return sorted(w for w in made if w[0] == "c" or w[:2] == "oc")


@pytest.mark.parametrize(
    ("typed", "typed_stem"),
    [
        ("cora", "cora"),
        ("coraes", "corae"),
        ("corrae", "corra"),
        ("ccoran", "ccoran"),
        ("coaled", "coal"),
        ("ocran", "ocran"),
        ("corenting", "corent"),
    ],
)
def test_bulk_stem_costs_are_the_costs_of_each_stem(typed: str, typed_stem: str) -> None:
    stems = _stems()
    limit = typos.max_cost(typed)
    each = {s: c for s in stems if (c := typos.stem_cost(typed, typed_stem, s)) <= limit}
    assert each  # the case says something
    assert typos.stem_costs(typed, typed_stem, stems, limit) == each


def test_a_typed_prefix_costs_only_the_stems_that_can_be_close(monkeypatch) -> None:
    vocabulary = Vocabulary(_stems())
    candidates = vocabulary.near("cora", "cora", 4)
    assert len(candidates) > 1000  # a short prefix is near thousands of stems
    calls = 0
    typo_cost = typos.typo_cost

    def counted(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return typo_cost(a, b)

    monkeypatch.setattr(typos, "typo_cost", counted)
    found = vocabulary.typos("coraz", "coraz")
    assert found
    # each stem costed is compared as it is, as typed and with 14 suffixes: 16 calls at most
    assert calls <= 16 * 4 * len(found)


def test_matched_terms_are_recorded_only_for_the_documents_that_reach_the_top(
    tmp_path: Path, monkeypatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = random.Random(5)
    for n in range(80):
        words = " ".join(["harbour"] * rng.randint(1, 9) + ["crane"] * rng.randint(0, 3))
        (corpus / f"a{n:02}.txt").write_text(f"Notice {n}\n\nThe {words} of pier {n}.\n")
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    recorded = 0
    record = TopTerms._record

    def counted(self: TopTerms, sub_docnum: int) -> None:
        nonlocal recorded
        recorded += 1
        record(self, sub_docnum)

    monkeypatch.setattr(TopTerms, "_record", counted)
    # (NOT: a query scored by a Whoosh collector, not straight from the postings)
    parsed = query.parse("(harbour OR crane) NOT zanzibar")
    found = library.fulltext.search(parsed, limit=5)
    matching = library.fulltext.count(parsed)
    assert matching >= 60  # (near-copies of one notice are one article)
    assert len(found.hits) == 5
    assert 5 <= recorded < matching // 2  # Whoosh's terms=True records every one
    # the terms of the hits returned are those Whoosh records for every document
    backend = library.fulltext
    assert isinstance(backend, WhooshBackend)
    with backend._reading():
        searcher, compiled = backend._prepared(parsed)
        whole = searcher.search(compiled, limit=5, terms=True, optimize=False)
        expected = [(h["id"], {t.decode() for _f, t in h.matched_terms() or ()}) for h in whole]
    assert [(h.id, set(h.terms)) for h in found.hits] == expected
    assert any(len(terms) == 2 for _id, terms in expected)


def _plain_whoosh(backend: WhooshBackend, parsed: qt.Query) -> wq.Query:
    """``parsed`` as Whoosh's own query, unions as Whoosh's ``Or`` of terms."""
    reader = backend._searcher().reader()
    return expand_fuzzy(to_whoosh(parsed), lambda field: backend._vocabulary(reader, field))


def test_a_typed_prefix_is_one_union_matcher_scored_as_whoosh_scores_it(
    tmp_path: Path, monkeypatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = random.Random(9)
    forms = ["harbour", "harbours", "harboured", "harbor", "harbin", "harbinger", "harbottle"]
    for n in range(40):
        words = " ".join(rng.choice(forms) for _ in range(rng.randint(1, 6)))
        (corpus / f"h{n:02}.txt").write_text(f"Port {words}\n\nIn {words} pier {n} was {n}.\n")
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    (corpus / "h07.txt").unlink()  # a deleted document must not come back
    library.update()
    backend = library.fulltext
    assert isinstance(backend, WhooshBackend)
    parsed = fuzzysearch.to_query(library.fuzzy_plan("harb"))
    with backend._reading():
        plain = _plain_whoosh(backend, parsed)
        searcher = backend._searcher()
        whole = searcher.search(plain, limit=None, terms=True, optimize=False)
        expected = [
            (h["id"], round(float(h.score or 0), 9), {t.decode() for _f, t in h.matched_terms()})
            for h in whole
        ]
        every = sorted(searcher.stored_fields(d)["id"] for d in searcher.docs_for_query(plain))
    assert len(list(plain.leaves())) >= 8  # completions in three fields

    unions = 0
    union_init = UnionMatcher.__init__

    def counted(self: UnionMatcher, *args: object, **kwargs: object) -> None:
        nonlocal unions
        unions += 1
        union_init(self, *args, **kwargs)

    monkeypatch.setattr(UnionMatcher, "__init__", counted)
    found = backend.search(parsed, limit=None)
    assert unions == 0  # Whoosh's Or built a tree of a union matcher per pair of terms
    assert [(h.id, round(h.score, 9), set(h.terms)) for h in found.hits] == expected
    assert sorted(backend.ids(parsed)) == every and backend.count(parsed) == len(every)
    assert found.total == len(every) == 39


def test_an_as_you_type_query_is_scored_from_the_postings_as_whoosh_scores_it(
    tmp_path: Path, monkeypatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = random.Random(13)
    pool = ["harbour", "harbours", "harbor", "crane", "cranes", "craned", "ferry", "pier"]
    for n in range(60):
        words = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 9)))
        (corpus / f"c{n:02}.txt").write_text(f"Dock {rng.choice(pool)}\n\n{words} at {n}.\n")
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    (corpus / "c03.txt").unlink()
    library.update()
    backend = library.fulltext
    assert isinstance(backend, WhooshBackend)
    runs = 0
    run = Searcher.search_with_collector

    def counted(self: Searcher, *args: object, **kwargs: object) -> None:
        nonlocal runs
        runs += 1
        run(self, *args, **kwargs)

    for typed in ("harb", "crane harb", "harbour cran", "ferry"):
        parsed = fuzzysearch.to_query(library.fuzzy_plan(typed))
        with backend._reading():
            searcher = backend._searcher()
            whole = searcher.search(_plain_whoosh(backend, parsed), limit=7, terms=True)
            expected = [
                (
                    h["id"],
                    round(float(h.score or 0), 9),
                    {t.decode() for _f, t in h.matched_terms()},
                )
                for h in whole
            ]
        monkeypatch.setattr(Searcher, "search_with_collector", counted)
        found = backend.search(parsed, limit=7)
        monkeypatch.undo()
        assert runs == 0, typed  # no Whoosh collector: scored from the postings
        assert [(h.id, round(h.score, 9), set(h.terms)) for h in found.hits] == expected, typed
        assert found.total == backend.count(parsed) > 0


def test_a_word_analysed_again_is_not_run_through_the_analyzer_again(monkeypatch) -> None:
    calls = 0
    analyzer = analysis.ANALYZER

    def counted(text: str, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        return analyzer(text, **kwargs)

    monkeypatch.setattr(analysis, "ANALYZER", counted)
    word = "Harbourmasters' " + "".join(random.Random().choice("qxz") for _ in range(12))
    first = analysis.analyze(word)
    assert analysis.analyze(word) == first and calls == 1
    first.clear()  # a caller's list is its own
    assert analysis.analyze(word)[0].text == "harbourmast"
    long_text = "The harbour crane was repaired. " * 4  # a paragraph: not kept
    assert analysis.analyze(long_text) == analysis.analyze(long_text) and calls == 3


def test_a_word_searched_again_does_not_read_its_postings_again(
    tmp_path: Path, monkeypatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(50):
        rare = " zanzibar" if n in (11, 37) else ""
        (corpus / f"p{n:02}.txt").write_text(f"Pier {n}\n\nThe pier{rare} was busy on day {n}.\n")
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    reads = 0
    read = postcache._read

    def counted(postings: object) -> object:
        nonlocal reads
        reads += 1
        return read(postings)  # type: ignore[arg-type]

    monkeypatch.setattr(postcache, "_read", counted)
    hits = library.fuzzy("pier zanzibar", limit=10)
    assert sorted(h.title for h in hits) == ["Pier 11", "Pier 37"]
    first = reads
    assert first > 0
    again = library.fuzzy("pier zanzibar ", limit=10)  # the next keystroke: the same words
    assert [(h.id, h.score) for h in again] == [(h.id, h.score) for h in hits]
    assert reads == first  # each word's postings were read once
    # An edited article: its old version is deleted in a segment whose postings are kept
    (corpus / "p11.txt").write_text("Pier 11\n\nThe pier was closed.\n")
    library.update()
    assert [h.title for h in library.fuzzy("pier zanzibar", limit=10)] == ["Pier 37"]
    (corpus / "p37.txt").unlink()
    library.update()
    assert library.fuzzy("pier zanzibar", limit=10) == []


def test_the_advice_counts_from_the_postings_as_whoosh_counts(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = random.Random(17)
    pool = ["harbour", "harbours", "harbor", "crane", "cranes", "ferry", "pier", "zanzibar"]
    for n in range(60):
        words = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 4)))
        (corpus / f"c{n:02}.txt").write_text(f"Dock {n}\n\n{words} at {n}.\n")
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    for gone in ("c03.txt", "c10.txt", "c41.txt"):  # deleted documents are not counted
        (corpus / gone).unlink()
    library.update()
    backend = library.fulltext
    assert isinstance(backend, WhooshBackend)
    queries = []
    for typed in ("harb", "crane harb", "harbour cran", "ferry zanzib", "pier crane ferr"):
        wanted = [p for p in library.fuzzy_plan(typed) if p.sign != "-"]
        queries += [fuzzysearch.to_query([p]) for p in wanted]
        queries += [fuzzysearch.to_query(wanted, any_word=True), fuzzysearch.to_query(wanted)]
    with backend._reading():
        searcher = backend._searcher()
        expected = [
            sum(1 for _d in searcher.docs_for_query(_plain_whoosh(backend, q))) for q in queries
        ]
    walked = 0
    walk = Searcher.docs_for_query

    def counted(self: Searcher, *args: object, **kwargs: object) -> object:
        nonlocal walked
        walked += 1
        return walk(self, *args, **kwargs)

    monkeypatch.setattr(Searcher, "docs_for_query", counted)
    assert [backend.count(q) for q in queries] == expected
    assert walked == 0  # counted from the posting lists, no Whoosh matcher walked
    assert len(set(expected)) > 3 and min(expected) > 0  # the cases say something


def test_field_lengths_read_in_one_go_are_whooshs_own(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = random.Random(29)
    for n in range(80):
        words = " ".join(rng.choice(["pier", "crane", "harbour", "ferry"]) for _ in range(n * 7))
        (corpus / f"l{n:02}.txt").write_text(f"Dock {n} {'quay ' * (n % 9)}\n\n{words} end.\n")
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    backend = library.fulltext
    assert isinstance(backend, WhooshBackend)
    asked = 0
    one = SegmentReader.doc_field_length

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal asked
        asked += 1
        return one(*args, **kwargs)  # type: ignore[arg-type]

    with backend._reading():
        readers = [sub.reader() for sub, _offset in backend._searcher().leaf_searchers()]
        monkeypatch.setattr(SegmentReader, "doc_field_length", counted)
        read = [
            (r, f, postcache._lengths(r, f).tolist()) for r in readers for f in ("title", "body")
        ]
        monkeypatch.undo()
        assert asked == 0  # read from the column, not asked document by document
        for reader, field, lengths in read:
            each = [reader.doc_field_length(d, field, 1) or 0 for d in range(len(lengths))]
            assert lengths == each and len(set(each)) > 5, field
