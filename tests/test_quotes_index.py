"""The quote index end to end: built with the index, read through the library (with the
user's entity corrections), the `quotes` command and the `speaker:` search field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index import paths
from index.library import Library, open_library
from index.store.corrections import record
from tui.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "quotes"


@pytest.fixture
def quote_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.fixture
def quote_library(quote_corpus: Path, tmp_path: Path) -> Library:
    lib = open_library(paths.resolve(quote_corpus, tmp_path / "index", tmp_path / "notes.md"))
    lib.update()
    return lib


def ids_by_title(lib: Library) -> dict[str, str]:
    return {a.title: a.id for a in lib.articles()}


def test_build_stores_quotes_with_speaker_and_citation(quote_library: Library) -> None:
    found = quote_library.quotes()
    said = [(c.speaker, c.quote.kind, c.quote.text.split()[0], c.outlet) for c in found]
    assert said == [
        ("Han Min-koo", "direct", "The", "Fixture Wire"),
        ("A senior defense official", "reported", "the", "Fixture Wire"),
        ("Hua Chunying", "reported", "the", "Other Daily"),
        ("Hua Chunying", "direct", "We", "Other Daily"),
        ("Han Min-koo", "reported", "the", "Other Daily"),
    ]
    first = found[0]
    assert first.published == "2017-03-02" and first.quote.paragraph == 2
    article = quote_library.article(first.quote.article)
    assert article is not None
    assert article.text[first.quote.start : first.quote.end].startswith("The battery is")


def test_quotes_by_speaker_alias_and_by_role(quote_library: Library) -> None:
    # "Han" alone is an alias of Han Min-koo across the corpus
    assert [c.quote.kind for c in quote_library.quotes("han")] == ["direct", "reported"]
    assert [c.speaker for c in quote_library.quotes("official")] == ["A senior defense official"]
    assert quote_library.quotes("Nobody Atall") == []
    q2 = ids_by_title(quote_library)["Beijing objects again"]
    assert {c.speaker for c in quote_library.quotes(article=q2)} == {"Hua Chunying"}


def test_corrections_apply_to_quotes_at_read_time(quote_library: Library) -> None:
    record(quote_library.settings.corrections_path, "rename", "Han Min-koo", "Minister Han")
    quote_library.refresh_entities()
    assert [c.speaker for c in quote_library.quotes("Minister Han")] == ["Minister Han"] * 2
    record(quote_library.settings.corrections_path, "merge", "Hua Chunying", "Minister Han")
    quote_library.refresh_entities()
    assert len(quote_library.quotes("minister han")) == 4
    assert quote_library.quote_counts()["Minister Han"] == 4


def test_speaker_query_field(quote_library: Library) -> None:
    titles = {h.title for h in quote_library.search('speaker:"hua chunying"', limit=10)}
    assert titles == {"Beijing objects again"}
    titles = {h.title for h in quote_library.search('speaker:"han min-koo"', limit=10)}
    assert titles == {"Seoul defends the battery", "Minister repeats position"}


def test_quotes_command(quote_corpus: Path, tmp_path: Path, capsys) -> None:
    common = ["--corpus", str(quote_corpus), "--index-dir", str(tmp_path / "i")]
    assert main([*common, "quotes", "--speaker", "Hua Chunying", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["speaker"], r["kind"], r["paragraph"]) for r in rows] == [
        ("Hua Chunying", "reported", 2),
        ("Hua Chunying", "direct", 3),
    ]
    assert rows[1]["text"].startswith("We urge the parties") and rows[1]["verb"] == "said"
    assert main([*common, "quotes", "--speaker", "official"]) == 0
    out = capsys.readouterr().out
    assert "A senior defense official: the radar would be switched on" in out
    assert "Fixture Wire" in out and "2017-03-02" in out
    assert main([*common, "quotes", "--speaker", "Nobody Atall"]) == 0
    assert "no quotes by 'Nobody Atall'" in capsys.readouterr().err
