"""The search box's typo-tolerant search on articles written for it (tests/fixtures/search):
each holds one phenomenon: a name and words sharing its letters ("Lotte", "a lot", "Labott",
"plotting"), hyphenated and spaced names, function words one edit from THAAD, Korean and Chinese.
Article keys name them; ids are looked up by title.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from whoosh.query import FuzzyTerm

from index import paths
from index.library import Library, open_library
from index.search import query
from index.search.fuzzy import FuzzyIndex
from index.search.whoosh.analysis import analyze
from index.search.whoosh.compile import to_whoosh
from index.search.whoosh.wordunion import WordUnion, expand_fuzzy

FIXTURE = Path(__file__).parent / "fixtures" / "search" / "articles.jsonl"
KEYS = [json.loads(line)["id"] for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    base = tmp_path_factory.mktemp("fuzzy")
    (base / "corpus").mkdir()
    shutil.copy(FIXTURE, base / "corpus" / "articles.jsonl")
    library = open_library(paths.resolve(base / "corpus", base / "index", base / "notes.md"))
    library.update()
    library.warm()
    return library


@pytest.fixture(scope="module")
def key_of(lib: Library) -> dict[str, str]:
    """Article id -> fixture key (the JSON Lines file's own ids, in file order)."""
    titles = [json.loads(line)["title"] for line in FIXTURE.read_text("utf-8").splitlines()]
    by_title = {info.title: info.id for info in lib.articles()}
    return {by_title[t]: k for t, k in zip(titles, KEYS, strict=True)}


def found(lib: Library, key_of: dict[str, str], text: str) -> list[str]:
    return [key_of[h.id] for h in lib.fuzzy(text, limit=200)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lotte", {"lotte"}),
        ("lote", {"lotte"}),
        ("lote golf course", {"lotte"}),
        ("seongju", {"seongju"}),
        ("seongjoo", {"seongju"}),
        ("moon jaein", {"moon"}),
        ("moon jae in", {"moon"}),
        ("jaein", {"moon"}),
        ("xi jinpng", {"moon"}),
        ("kimjongun", {"kim", "kimsister"}),
        ("kim jongun", {"kim", "kimsister"}),
        ("Kim Jong-un", {"kim", "kimsister"}),
        ("Park Geun Hye", {"park"}),
        ("park geunhye", {"park"}),
        ("Punggyeri", {"kim"}),
        ("Ban Ki Moon", {"park"}),
        ("thad", {"seongju", "thaad"}),
        ("dutere", {"duterte"}),
        ("labot", {"lot"}),
    ],
)
def test_a_word_matches_its_typos_not_words_sharing_letters(lib, key_of, text, expected):
    assert set(found(lib, key_of, text)) == expected


def test_outlets_match_with_their_typos(lib, key_of) -> None:
    assert set(found(lib, key_of, "fixture wire")) == set(KEYS)
    assert set(found(lib, key_of, "fixtur wire")) == set(KEYS)


def test_nothing_rather_than_noise(lib, key_of) -> None:
    assert found(lib, key_of, "xqzvw") == []
    assert found(lib, key_of, "lotte plotting") == []  # no article has both


def test_snippet_shows_the_passage_around_the_match(lib) -> None:
    hit = lib.fuzzy("seongjoo", limit=5)[0]
    assert "Seongju" in hit.snippet
    assert [hit.snippet[s:e] for s, e in hit.spans] == ["Seongju"]
    hit = lib.fuzzy("moon jaein", limit=5)[0]
    assert "Moon Jae-in" in {hit.snippet[s:e] for s, e in hit.spans}


def test_ranked_by_how_well_the_words_match(lib, key_of) -> None:
    """Any word of "seongju thad": the article with both first, scores not flat."""
    hits = lib.fuzzy("seongju thad", limit=20, any_word=True)
    assert [key_of[h.id] for h in hits] == ["seongju", "thaad"]
    assert hits[0].score != hits[1].score


def test_thad_tilde_is_scored_and_brings_no_function_words(lib, key_of) -> None:
    hits = lib.search("thad~", limit=20)
    keys = [key_of[h.id] for h in hits]
    assert set(keys) == {"seongju", "thaad"}  # not the article with "that", "had", "than"
    assert hits[0].score != hits[1].score
    expanded = expand_fuzzy(to_whoosh(query.parse("thad~")), lib.fulltext.vocabulary)
    words = {w for q in expanded.leaves() if isinstance(q, WordUnion) for w in q.words}
    assert "thaad" in words and not words & {"that", "had", "than"}


@pytest.mark.parametrize(
    "text", ["thad~ OR radar", "(thad~ OR seongju) AND residents", "thaa* OR x"]
)
def test_scored_expansions_combine_with_other_terms(lib, text: str) -> None:
    assert len(lib.search(text, limit=1)) == 1


def test_scored_expansion_matcher_reports_its_quality(lib) -> None:
    """A top-N search on a big index asks each matcher for its best possible score and drops
    those below the N-th (``replace``): the scored union must answer, not fail."""
    union = WordUnion("body", ["thaad", "seongju"], closeness=[1.0, 0.5])
    with lib.fulltext.index().searcher() as searcher:
        matcher = union.matcher(searcher)
        best = matcher.max_quality()
        assert best > 0
        assert matcher.replace(best / 2).is_active()
        assert not matcher.replace(best * 2).is_active()


def test_star_and_tilde_scores_follow_closeness(lib, key_of) -> None:
    """`seongjo~2`: the article with Seongju (two edits) and the one with Seongnam (three: not
    matched); `thaa*`: THAAD articles, scored by how rare the completed word is."""
    assert [key_of[h.id] for h in lib.search("seongjoo~2")] == ["seongju"]
    hits = lib.search("thaa*")
    assert {key_of[h.id] for h in hits} == {"seongju", "thaad"}
    assert all(isinstance(q, FuzzyTerm) for q in to_whoosh(query.parse("thad~")).leaves())


@pytest.mark.parametrize(
    ("text", "expected"),
    [("사드", {"korean"}), ("사드를", {"korean"}), ("萨德", {"chinese"}), ("성주", {"korean"})],
)
def test_korean_and_chinese_by_character_bigrams(lib, key_of, text, expected) -> None:
    assert set(found(lib, key_of, text)) == expected
    assert {key_of[h.id] for h in lib.search(text)} == expected


def test_cjk_snippet_marks_the_bigram(lib) -> None:
    hit = lib.search("萨德")[0]
    assert "萨德" in {hit.snippet[s:e] for s, e in hit.spans}


def test_cjk_entity_names_match() -> None:
    index = FuzzyIndex(["a", "b"], [None, None], [("文在寅", [0]), ("문재인", [1])], analyze)
    assert [m.index for m in index.match("文在寅")] == [0]
    assert [m.index for m in index.match("문재인")] == [1]


def test_the_match_is_near_the_start_of_a_long_snippet() -> None:
    """The article list shows about 50 characters of a snippet: the match must be in them."""
    from index.search.highlight import cut_snippet

    for text in ("word " * 60 + "Seongju" + " more" * 60, "word " * 25 + "Seongju here."):
        start = text.index("Seongju")
        snippet, spans = cut_snippet(text, [(start, start + 7)])
        assert spans and spans[0][0] < 40 and snippet[spans[0][0] : spans[0][1]] == "Seongju"
    assert cut_snippet("Short: Seongju.", [(7, 14)]) == ("Short: Seongju.", [(7, 14)])


def test_a_rare_word_also_matches_a_much_commoner_neighbour() -> None:
    """ "merkle" is in one article (a Mr Merkle), "Merkel" in forty: both match; "park" (in
    thirty) does not take in "part" (in three hundred)."""
    from index.search.fuzzy import Surface, Vocabulary
    from index.search.fuzzysearch import plan

    body = Vocabulary(["merkl", "merkel", "park", "part"])
    df = {"merkl": 1, "merkel": 40, "park": 30, "part": 300}

    def vocabulary(field: str) -> Vocabulary:
        return {
            "body": body,
            "surface": Surface(["merkle", "merkel", "park", "part"], analyze),
        }.get(field, Vocabulary(()))

    def frequency(field: str, word: str) -> int:
        return df.get(word, 0) if field == "body" else 0

    def words_of(text: str) -> set[str]:
        return {w for p in plan(text + " ", vocabulary, analyze, frequency) for _f, w in p.forms}

    assert words_of("merkle") == {"merkl", "merkel"}
    assert words_of("park") == {"park"}
    assert words_of("merkle") != {
        w for p in plan("merkle ", vocabulary, analyze) for _f, w in p.forms
    }
