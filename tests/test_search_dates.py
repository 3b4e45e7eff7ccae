"""Date clauses through the command line, on the five seeds: every form names a whole period.

Seed dates: Korea Herald 2015-02-04, China Daily 2016-11-08, SCMP 2017-10-25, AFP 2017-10-31,
Reuters 2019-12-04.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui.cli import main

HERALD, DAILY, SCMP, AFP, REUTERS = (
    "2015-02-04",
    "2016-11-08",
    "2017-10-25",
    "2017-10-31",
    "2019-12-04",
)


@pytest.fixture(scope="module")
def seeds(built_seed_index: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory):
    corpus, index = built_seed_index
    base = tmp_path_factory.mktemp("dates")
    shutil.copytree(index, base / "index")
    return ["--corpus", str(corpus), "--index-dir", str(base / "index")]


def dates_found(capsys, seeds: list[str], query: str) -> set[str]:
    code = main(["search", query, "--json", "--limit", "50", *seeds])
    out, err = capsys.readouterr()
    assert code == 0, err
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    main(["articles", "--json", *seeds])
    by_id = {r["id"]: r["published"] for r in map(json.loads, capsys.readouterr()[0].splitlines())}
    return {by_id[i] for i in ids}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("published:2017", {SCMP, AFP}),
        ("published:2017-10", {SCMP, AFP}),
        ("published:201710", {SCMP, AFP}),
        ("published:2017-10-31", {AFP}),
        ("published:20171031", {AFP}),
        ("date:2017-10-25", {SCMP}),
        ("published:2017-11", set()),
        ("published:[2017-10-26 to 2017-12-31]", {AFP}),
        ("published:[2017-10-26 TO 2017-12-31]", {AFP}),
        ("published:[2016 to 2017]", {DAILY, SCMP, AFP}),
        ("published:[2016-11 to 2017-10-25]", {DAILY, SCMP}),
        ("published:[20161108 to 201710]", {DAILY, SCMP, AFP}),
        ("published:{2016-11-08 to 2017-10-31}", {SCMP}),
        ("published:[2017-10-31 to]", {AFP, REUTERS}),
        ("published:[to 2016]", {HERALD, DAILY}),
        ("published:>=2017-10-31", {AFP, REUTERS}),
        ("published:>2017-10-25", {AFP, REUTERS}),
        ("published:>2017-10", {REUTERS}),
        ("published:>2016", {SCMP, AFP, REUTERS}),
        ("published:<2017", {HERALD, DAILY}),
        ("published:<2017-10-31", {HERALD, DAILY, SCMP}),
        ("published:<=2017-10", {HERALD, DAILY, SCMP, AFP}),
        ("published:<=2016-11-08", {HERALD, DAILY}),
        ("china AND published:2017-10-31", {AFP}),
        ("(published:2015 OR published:2019)", {HERALD, REUTERS}),
    ],
)
def test_every_date_form_names_the_whole_period(capsys, seeds, query: str, expected: set[str]):
    assert dates_found(capsys, seeds, query) == expected


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("published:2017-13", "no such date"),
        ("published:17-10-31", "YYYY-MM-DD"),
        ("published:[2017-12 to 2017-01]", "ends before it starts"),
        ("published:[2017-10-31 to 2017-10-25]", "ends before it starts"),
        ("published:>=", "nothing after"),
        ("published:[to]", "at least one date"),
    ],
)
def test_bad_dates_are_refused_in_one_line(capsys, seeds, query: str, reason: str) -> None:
    code = main(["search", query, *seeds])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and reason in err
