"""Date clauses of full-text queries: ``published:`` (or ``date:``).

Whoosh's date parser refused ``2017-10-31`` and cut dashed dates in ranges to their year. Here a
date names a whole period: ``2017`` the year, ``2017-10`` (or ``201710``) the month and
``2017-10-31`` (or ``20171031``) the day, and every form means that whole period:

- ``published:2017-10``: any day of October 2017;
- ``published:[2017-10-26 to 2017-12]`` (``to`` or ``TO``; ``{ }`` excludes an end; either end
  may be left out): from the first day of the first period to the last day of the second;
- ``published:>2017-10`` (after October), ``>=`` (from its first day), ``<`` (before its first
  day), ``<=`` (up to its last day).

:func:`index.search.query.parse` finds each clause with :data:`CLAUSE` and :func:`clause_query`
turns it into a :class:`~index.search.querytree.DateRange`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from index.search.querytree import DateRange

FORMS = "forms: YYYY, YYYY-MM, YYYY-MM-DD, YYYYMM, YYYYMMDD, [A to B], [A to], >A, >=A, <A, <=A"
CLAUSE = re.compile(
    r"(?<![\w.])published:"
    r"(?:(?P<op>>=|<=|>|<)(?P<opdate>[^\s()]*)"
    r"|(?P<open>[\[{])(?P<inside>[^\]}]*)(?P<close>[\]}])"
    r"|(?P<single>[^\s()]+))"
)
_DASHED = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})?(\d{2})?")
_RANGE = re.compile(r"(?P<a>\S*)\s*\b(?:to|TO)\b\s*(?P<b>\S*)")


class DateQueryError(ValueError):
    """A date clause that cannot be read; ``str()`` is a one-line reason."""


def period(text: str) -> tuple[datetime, datetime]:
    """The first and the last moment of the year, month or day ``text`` names."""
    match = _DASHED.fullmatch(text) or _COMPACT.fullmatch(text)
    if match is None:
        raise DateQueryError(f"cannot read date {_short(text)!r} ({FORMS})")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        start = datetime(year or 1, month or 1, day or 1)
    except ValueError as exc:
        raise DateQueryError(f"no such date {_short(text)!r}: {exc}") from exc
    if day is not None:
        end = start + timedelta(days=1)
    elif month is not None:
        end = datetime(start.year + start.month // 12, start.month % 12 + 1, 1)
    else:
        end = datetime(start.year + 1, 1, 1)
    return start, end - timedelta(microseconds=1)


def _short(text: str) -> str:
    return text if len(text) <= 20 else text[:20] + "…"


def clause_query(match: re.Match[str]) -> DateRange:
    """The :class:`DateRange` one ``published:`` clause means."""
    if match.group("single") is not None:
        day_one, day_last = period(match.group("single"))
        return DateRange(day_one, day_last)
    if match.group("op") is not None:
        value = match.group("opdate")
        if not value:
            raise DateQueryError(f"nothing after published:{match.group('op')} ({FORMS})")
        first, last = period(value)
        return {
            ">": DateRange(last, None, startexcl=True),
            ">=": DateRange(first, None),
            "<": DateRange(None, first, endexcl=True),
            "<=": DateRange(None, last),
        }[match.group("op")]
    inside = match.group("inside").strip()
    found = _RANGE.fullmatch(inside)
    if found is None:
        raise DateQueryError(f"cannot read date range {_short(match.group())!r} ({FORMS})")
    a, b = (None if v in ("", "*") else v for v in (found.group("a"), found.group("b")))
    if a is None and b is None:
        raise DateQueryError(f"a date range needs at least one date ({FORMS})")
    start_excl, end_excl = match.group("open") == "{", match.group("close") == "}"
    start: datetime | None = None
    end: datetime | None = None
    if a is not None:
        first, last = period(a)
        start = last if start_excl else first
    if b is not None:
        first, last = period(b)
        end = first if end_excl else last
    if start is not None and end is not None and start > end:
        raise DateQueryError(
            f"the date range {match.group()[len('published:') :]} ends before it starts: "
            f"put the earlier date first"
        )
    return DateRange(start, end, startexcl=start_excl, endexcl=end_excl)
