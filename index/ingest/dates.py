"""Publication dates: find the date line with a small pattern, let ``dateparser`` read it.

``dateparser`` takes a quarter of a second to import and its first call builds its language
tables, so it is imported lazily and every parse is cached. ISO dates take a fast path that
never touches it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Literal

DateKind = Literal["published", "updated", "bare"]

# "PUBLISHED : ...", "Published on ...", "Updated: ...", "Posted: ..." -- a label, then a colon or
# "on", then something with a digit in it. Short lines only: a date line is never a paragraph.
_LABELLED = re.compile(
    r"^\W*(?P<label>(?:first\s+)?published|(?:last\s+)?updated|posted|modified|date)"
    r"(?:\s+on\b\s*[:：]?|\s*[:：])\s*(?P<value>\S.*\d.*)$",
    re.IGNORECASE,
)
# A line that is nothing but a date, perhaps behind a bullet: "  •   31 Oktober 2017 13:58 WIB",
# "Wednesday, 25 October 2017", "Oct. 25, 2017 4:22 pm", "2016-11-08 07:24".
_MONTHISH = r"[^\W\d_]{3,12}\.?"
_BARE = re.compile(
    rf"^[\W_]*(?P<value>(?:{_MONTHISH},?\s+)?"
    rf"(?:\d{{1,2}}\.?\s+{_MONTHISH},?\s+\d{{4}}|{_MONTHISH}\s+\d{{1,2}},?\s+\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2})"
    r"(?:[,\s-]+\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?(?:\s+[A-Z]{2,5})?)\W*$",
    re.IGNORECASE,
)
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_MAX_LINE = 100

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# "Wednesday (Dec 4)": the wire-agency way of dating a story without its year.
_WEEKDAY_DATE = re.compile(
    r"\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*"
    r"\(\s*(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+"
    r"(?P<day>\d{1,2})\s*\)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d-])(19[5-9]\d|20\d\d)(?!\d)")

_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
}


def parse_date(text: str, languages: Sequence[str] | None = None) -> date | None:
    """Read a full date (day, month and year) from ``text``; ``None`` when there is none.

    ISO dates are parsed directly; anything else goes to ``dateparser``. Pass ``languages``
    when known: without it dateparser detects the language, which is slower.
    """
    text = text.strip()
    if not text or len(text) > _MAX_LINE:
        return None
    iso = _ISO.match(text)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    return _dateparser_parse(text, tuple(languages) if languages else None)


@lru_cache(maxsize=4096)
def _dateparser_parse(text: str, languages: tuple[str, ...] | None) -> date | None:
    import dateparser  # lazy: slow to import, and only raw-text pages need it

    try:
        parsed = dateparser.parse(
            text, languages=list(languages) if languages else None, settings=_SETTINGS
        )
    except (ValueError, OverflowError, TypeError, RecursionError):
        return None  # dateparser raises on some malformed inputs; the line is just not a date
    return parsed.date() if isinstance(parsed, datetime) else None


def date_line(line: str) -> tuple[DateKind, date] | None:
    """If ``line`` is a date line ("PUBLISHED : ...", "Updated: ...", a bare date), read it."""
    if len(line) > _MAX_LINE:
        return None
    labelled = _LABELLED.match(line)
    if labelled:
        label = labelled["label"].lower()
        kind: DateKind = "updated" if ("updated" in label or "modified" in label) else "published"
        found = parse_date(labelled["value"], ("en",))
        return (kind, found) if found else None
    bare = _BARE.match(line)
    if bare:
        found = parse_date(bare["value"])
        return ("bare", found) if found else None
    return None


def choose(found: Iterable[tuple[DateKind, date]]) -> date | None:
    """The publication date among the date lines found: published, else bare, else updated."""
    best: dict[DateKind, date] = {}
    for kind, value in found:
        best.setdefault(kind, value)
    return best.get("published") or best.get("bare") or best.get("updated")


def mentioned_years(texts: Iterable[str]) -> list[int]:
    """Every plausible year (1950-2099) written in ``texts``."""
    return [int(m) for text in texts for m in _YEAR.findall(text)]


def infer_year(weekday: int, month: int, day: int, not_before: int) -> int | None:
    """The first year from ``not_before`` in which ``month``/``day`` falls on ``weekday``."""
    for year in range(not_before, not_before + 29):  # the calendar repeats within 28 years
        try:
            if date(year, month, day).weekday() == weekday:
                return year
        except ValueError:
            return None
    return None


def infer_date(lead: Sequence[str], rest: Sequence[str] = ()) -> date | None:
    """A date from a weekday and day without a year ("Wednesday (Dec 4)") in ``lead``.

    The year is the first, at or after the latest year mentioned in ``lead`` or ``rest``, in
    which that day falls on that weekday. ``None`` without such a phrase or without any year.
    Only the lead is searched for the phrase: a story dates itself in its first paragraphs.
    """
    match = next((m for text in lead for m in _WEEKDAY_DATE.finditer(text)), None)
    if match is None:
        return None
    years = mentioned_years([*lead, *rest])
    if not years:
        return None
    weekday = _WEEKDAYS.index(match["wd"].lower())
    month = _MONTHS.index(match["mon"].lower()[:3]) + 1
    year = infer_year(weekday, month, int(match["day"]), max(years))
    return date(year, month, int(match["day"])) if year else None


def coerce_date(value: object) -> date | None:
    """A date from a YAML or JSON value: a ``date``, a ``datetime`` or a string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value, ("en",)) or parse_date(value)
    return None
