"""``thaad-tui search --saved NAME``: a search saved in the app, run from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index import paths
from index.session.saved import SavedSearch, save_search, saved_path
from tui.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "session" / "corpus"


@pytest.fixture
def corpus_args(tmp_path: Path) -> list[str]:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE, corpus)
    return ["--corpus", str(corpus), "--index-dir", str(tmp_path / "index")]


def data_dir() -> Path:
    """The data folder the CLI reads (from the environment the conftest isolates)."""
    return paths.load_settings()[0].data_dir


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_saved_search_runs_with_its_filters_and_sort(capsys, corpus_args) -> None:
    path = saved_path(data_dir())
    save_search(path, SavedSearch("hotline", "hotline", sort="date", descending=True))
    save_search(path, SavedSearch("year", "", period="2016", sort="title"))
    code, out, err = run(capsys, "search", "--saved", "Hotline", "--json", *corpus_args)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["published"] for r in rows] == ["2016-03-04", "2016-03-02"]
    assert {r["outlet"] for r in rows} == {"Harbour Daily", "Fictional Wire Service International"}
    assert "saved search 'hotline': query 'hotline'" in err
    code, out, err = run(capsys, "search", "--saved", "year", *corpus_args)
    assert code == 0, err
    listed = out.splitlines()
    assert len(listed) == 3 and "Defence ministers" in listed[0] and "Farmers" in listed[2]
    assert all(line.startswith("2016-") for line in listed)


def test_an_unknown_saved_search_or_both_a_query_and_a_name_is_one_line(
    capsys, corpus_args
) -> None:
    save_search(saved_path(data_dir()), SavedSearch("hotline", "hotline"))
    code, out, err = run(capsys, "search", "--saved", "nope", *corpus_args)
    assert code == 2 and out == ""
    assert err == "thaad-tui: no saved search named 'nope' (saved: hotline)\n"
    with pytest.raises(SystemExit) as info:
        main(["search", "lotte", "--saved", "hotline", *corpus_args])
    assert info.value.code == 2
    assert "not allowed with" in capsys.readouterr().err
