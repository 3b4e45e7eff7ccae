"""Full-text and fuzzy search over the seed corpus."""

from __future__ import annotations

import pytest

from index.library import Library, QueryError

CHINA_DAILY = "Door open to defense dialogue with ROK, gov't says"
SCMP = "China, South Korea defence ministers hold first meeting in two years"
HERALD = "China raises concerns over missile defense"
AFP = "South Korea, China Seek to Warm Frozen Ties"
REUTERS = "South Korea, China agree to step up exchanges to re-set ties after missile defence row"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ('"defense-strategic dialogue"', CHINA_DAILY),
        ("hydrogen bomb", SCMP),
        ("Lotte", AFP),
        ("Stockholm", REUTERS),
        ('"hydrogen bomb"', SCMP),
        ("author:zhang", CHINA_DAILY),
        ("outlet:herald", HERALD),
    ],
)
def test_ranking_puts_the_right_article_first(library: Library, query: str, first: str) -> None:
    hits = library.search(query)
    assert hits and hits[0].title == first


def test_phrase_snippet_highlights_the_match(library: Library) -> None:
    hit = library.search('"defense-strategic dialogue"')[0]
    marked = [hit.snippet[s:e].lower() for s, e in hit.spans]
    assert marked[:3] == ["defense", "strategic", "dialogue"]
    assert hit.paragraph is not None


def test_boolean_and_not(library: Library) -> None:
    both = {h.title for h in library.search("Lotte OR Stockholm")}
    assert both == {AFP, REUTERS}
    assert {h.title for h in library.search("THAAD NOT Lotte")}.isdisjoint({AFP})
    assert {h.title for h in library.search("Lotte AND Hyundai")} == {AFP}


def test_date_ranges(library: Library) -> None:
    titles = {h.title for h in library.search("published:[2016 to 2017]", limit=20)}
    assert titles == {CHINA_DAILY, SCMP, AFP}
    assert {h.title for h in library.search("date:2015", limit=20)} == {HERALD}


def test_fuzzy_and_prefix_terms(library: Library) -> None:
    assert REUTERS in {h.title for h in library.search("Stokholm~")}
    assert {h.title for h in library.search("Hyund*")} == {AFP}


def test_entity_field(library: Library) -> None:
    titles = {h.title for h in library.search('entity:"chang wanquan"', limit=20)}
    assert titles == {CHINA_DAILY, SCMP, HERALD}


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed phrase',
        "title:(thaad",
        "thaad)",
        "AND lotte",
        "lotte OR",
        "nosuch:field",
        "title:",
    ],
)
def test_malformed_queries_raise_a_one_line_error(library: Library, query: str) -> None:
    with pytest.raises(QueryError) as info:
        library.search(query)
    assert "\n" not in str(info.value) and str(info.value)


def test_fuzzy_finds_chang_wanquan_despite_the_typo(library: Library) -> None:
    titles = [h.title for h in library.fuzzy("chang wanqan")]
    assert sorted(titles) == sorted([CHINA_DAILY, HERALD, SCMP])


def test_fuzzy_thad_finds_thaad(library: Library) -> None:
    hits = library.fuzzy("thad")
    assert len(hits) == 5  # every seed mentions THAAD
    assert all(hit.mode == "fuzzy" for hit in hits)
    hit = hits[0]
    assert any(hit.snippet[s:e].lower() == "thaad" for s, e in hit.spans)


def test_fuzzy_tolerates_swapped_and_missing_letters(library: Library) -> None:
    assert {h.title for h in library.fuzzy("stokhlom")} == {REUTERS}
    assert AFP in {h.title for h in library.fuzzy("hyndai")}


def test_fuzzy_matches_titles_with_spans(library: Library) -> None:
    hit = next(h for h in library.fuzzy("frozn ties") if h.title == AFP)
    assert [hit.title[s:e] for s, e in hit.title_spans] == ["Frozen", "Ties"]


def test_fuzzy_on_the_partial_last_word(library: Library) -> None:
    assert {h.title for h in library.fuzzy("hydrogen bo")} == {SCMP}
