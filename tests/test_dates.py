"""Publication dates: date lines, dateparser, preference order and year inference."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from index.ingest import dates


@pytest.mark.parametrize(
    ("line", "kind", "expected"),
    [
        ("PUBLISHED : Wednesday, 25 October, 2017, 4:22pm", "published", date(2017, 10, 25)),
        ("UPDATED : Wednesday, 25 October, 2017, 10:16pm", "updated", date(2017, 10, 25)),
        ("Published : Feb. 4, 2015 - 20:14", "published", date(2015, 2, 4)),
        ("Updated: 2016-11-08 07:24", "updated", date(2016, 11, 8)),
        ("Posted on: March 5, 2017", "published", date(2017, 3, 5)),
        ("  •   31 Oktober 2017 13:58 WIB", "bare", date(2017, 10, 31)),
        ("3 März 2016", "bare", date(2016, 3, 3)),
        ("Oct. 25, 2017 4:22 pm", "bare", date(2017, 10, 25)),
    ],
)
def test_date_lines(line: str, kind: str, expected: date) -> None:
    assert dates.date_line(line) == (kind, expected)


@pytest.mark.parametrize(
    "line",
    [
        "Published reports say 2,000 troops were sent.",  # no colon: prose, not a label
        "Updated: no date here at all 5",
        "The talks ended on 25 October 2017 after the ministers agreed to meet again soon.",
        "east asia",
        "",
    ],
)
def test_not_date_lines(line: str) -> None:
    assert dates.date_line(line) is None


def test_published_wins_over_updated_and_bare() -> None:
    found: list[tuple[dates.DateKind, date]] = [
        ("updated", date(2017, 10, 26)),
        ("bare", date(2017, 10, 24)),
        ("published", date(2017, 10, 25)),
    ]
    assert dates.choose(found) == date(2017, 10, 25)
    assert dates.choose(found[:2]) == date(2017, 10, 24)
    assert dates.choose(found[:1]) == date(2017, 10, 26)
    assert dates.choose([]) is None


def test_iso_dates_need_no_dateparser() -> None:
    assert dates.parse_date("2016-01-13T03:02:59") == date(2016, 1, 13)
    assert dates.parse_date("2016-02-30") is None
    assert dates.coerce_date(datetime(2016, 1, 2, 3, 4)) == date(2016, 1, 2)
    assert dates.coerce_date(date(2016, 1, 2)) == date(2016, 1, 2)
    assert dates.coerce_date(True) is None
    assert dates.coerce_date("March 3, 2016") == date(2016, 3, 3)


def test_infer_year_from_weekday() -> None:
    # 4 December is a Wednesday in 2019 (and not in 2017 or 2018).
    assert dates.infer_year(2, 12, 4, 2017) == 2019
    assert dates.infer_year(2, 12, 4, 2019) == 2019
    assert dates.infer_year(0, 2, 30, 2017) is None


def test_infer_date_uses_latest_year_mentioned() -> None:
    texts = [
        "Officials said on Wednesday (Dec 4) that ties should normalise.",
        "The system was installed in 2017; Wang last visited in 2015.",
    ]
    assert dates.infer_date(texts) == date(2019, 12, 4)
    assert dates.infer_date(["On Wednesday (Dec 4) they met."]) is None  # no year to anchor
    assert dates.infer_date(["Nothing dated here, 2017."]) is None


def test_seed_date_lines_are_parsed_once_then_cached() -> None:
    """dateparser is slow; repeated date lines must come from the cache, not a new parse."""
    lines = [
        "PUBLISHED : Wednesday, 25 October, 2017, 4:22pm",
        "Published : Feb. 4, 2015 - 20:14",
        "  •   31 Oktober 2017 13:58 WIB",
        "Updated: 2016-11-08 07:24",
    ]
    first = [dates.date_line(line) for line in lines]
    assert all(found is not None for found in first)
    misses = dates._dateparser_parse.cache_info().misses
    again = [dates.date_line(line) for line in lines for _ in range(50)]
    assert dates._dateparser_parse.cache_info().misses == misses
    assert again[::50] == first
