"""Zero or few results: the search says why and offers the way out (library and CLI), and
-word / +word / NOT word alone work as web-search users expect. Fixture: tests/fixtures/search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index import paths
from index.library import Library, open_library
from tui.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "search" / "articles.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
WITH_THAAD = {r["id"] for r in ROWS if "THAAD" in r["text"]}  # seongju, thaad


@pytest.fixture(scope="module")
def where(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("advice")
    (base / "corpus").mkdir()
    shutil.copy(FIXTURE, base / "corpus" / "articles.jsonl")
    return base / "corpus", base / "index"


@pytest.fixture(scope="module")
def lib(where) -> Library:
    library = open_library(paths.resolve(where[0], where[1], where[1].parent / "notes.md"))
    library.update()
    return library


@pytest.fixture(scope="module")
def key_of(lib: Library) -> dict[str, str]:
    by_title = {info.title: info.id for info in lib.articles()}
    return {by_title[r["title"]]: r["id"] for r in ROWS}


def keys(lib: Library, key_of, hits) -> set[str]:
    return {key_of[h.id] for h in hits}


def test_few_results_say_how_many_each_word_finds_and_offer_any(lib, key_of) -> None:
    hits = lib.fuzzy("seongju radar")
    assert keys(lib, key_of, hits) == {"seongju"}
    advice = lib.advise("seongju radar", len(hits))
    assert advice is not None and advice.any_count == 2
    assert "“seongju” 1" in advice.text() and "“radar” 2" in advice.text()
    assert keys(lib, key_of, lib.fuzzy("seongju radar", any_word=True)) == {"seongju", "thaad"}


def test_a_name_found_whole_needs_no_advice(lib, key_of) -> None:
    """ "moon jaein" finds Moon Jae-in: the article about the moon is not a missed result."""
    hits = lib.fuzzy("moon jaein")
    assert keys(lib, key_of, hits) == {"moon"}
    assert lib.advise("moon jaein", len(hits)) is None
    assert lib.advise("moon radar", 0) is not None


def test_a_word_that_matches_nothing_is_named_with_did_you_mean(lib) -> None:
    """ "reongju": a wrong first letter is not taken as a typo, but is offered as a guess."""
    assert lib.fuzzy("reongju") == []
    advice = lib.advise("reongju", 0)
    assert advice is not None
    assert "“reongju” matches no word" in advice.text() and "did you mean seongju" in advice.text()


def test_full_text_advice_and_any_word_retry(lib, key_of) -> None:
    assert keys(lib, key_of, lib.search("thaad AND melon")) == {"seongju"}
    advice = lib.advise("thaad AND melon", 1)
    assert advice is not None and advice.any_count == 2
    assert keys(lib, key_of, lib.search("thaad AND melon", any_word=True)) == WITH_THAAD


@pytest.mark.parametrize("text", ["-thaad", "NOT thaad", "NOT thaad NOT lotte"])
def test_only_exclusions_show_every_article_without_them(lib, key_of, text: str) -> None:
    found = keys(lib, key_of, lib.search(text, limit=50) if "NOT" in text else lib.fuzzy(text))
    assert found and not found & WITH_THAAD
    assert "lotte" not in found or "lotte" not in text
    advice = lib.advise(text, len(found))
    assert advice is not None and "every article without" in advice.text()


@pytest.mark.parametrize("text", ["thaad -seongju", '"THAAD radar" -seongju', "thaad -melon"])
def test_minus_excludes(lib, key_of, text: str) -> None:
    hits = lib.search(text) if '"' in text else lib.fuzzy(text)
    assert keys(lib, key_of, hits) == {"thaad"}


def test_plus_takes_the_word_as_typed(lib, key_of) -> None:
    assert keys(lib, key_of, lib.fuzzy("thad")) == WITH_THAAD
    assert lib.fuzzy("+thad") == []
    assert keys(lib, key_of, lib.fuzzy("+thaad")) == WITH_THAAD
    assert keys(lib, key_of, lib.search('+thaad +"radar"')) == {"seongju", "thaad"}


def test_everything_excluded_is_explained(lib) -> None:
    advice = lib.advise("thaad -seongju -radar", 0)
    assert advice is not None and "which you left out" in advice.text()


def test_cli_hint_counts_only_a_list_the_limit_did_not_cut(capsys, where) -> None:
    args = ["--corpus", str(where[0]), "--index-dir", str(where[1])]
    assert main(["search", "thaad AND radar", "--json", *args]) == 0
    assert len(capsys.readouterr().out.splitlines()) > 1  # more than the one --limit 1 shows
    assert main(["search", "thaad AND radar", "--limit", "1", *args]) == 0
    assert "hint:" not in capsys.readouterr().out  # not "1 with all 2 words": more match


def test_cli_hint_and_any(capsys, where) -> None:
    args = ["--corpus", str(where[0]), "--index-dir", str(where[1])]
    assert main(["search", "reongju", "--fuzzy", *args]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "no matches"
    assert out.splitlines()[1].startswith("hint: “reongju” matches no word")
    assert main(["search", "seongju radar", "--fuzzy", *args]) == 0
    assert "--any shows them" in capsys.readouterr().out
    assert main(["search", "seongju radar", "--fuzzy", "--any", "--json", *args]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and err == ""
    assert main(["search", "seongju radar", "--fuzzy", "--json", *args]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 and err.startswith("thaad-tui: hint:")


@pytest.mark.parametrize(
    "text",
    ["thad", "seongju radar", "fixture wire", "thaad -seongju", "NOT thaad", '"THAAD radar"'],
)
@pytest.mark.parametrize("any_word", [False, True])
def test_matching_ids_are_what_the_search_lists(lib, text: str, any_word: bool) -> None:
    """For the panes that count what the search shows: the same articles, without a limit."""
    if "NOT" in text or '"' in text:
        listed = lib.search(text, 200, any_word)
    else:
        listed = lib.fuzzy(text, 200, any_word=any_word)
    assert lib.matching_ids(text, any_word) == {h.id for h in listed}
