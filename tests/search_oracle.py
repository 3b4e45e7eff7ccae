"""The query parser as it was before issue 15: Whoosh's own parser with the project's checks
and date clauses (index/search/query.py and datequery.py at commit 39b9d45).

Kept as the oracle of tests/test_query_tree.py: every query this parses must mean the same
search when the project's own parser (index.search.query) reads it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache

from whoosh import qparser
from whoosh.query import And, AndNot, DateRange, Every, Not, Or, Query, Term

from index.search.query import QueryError, check, web_signs
from index.search.whoosh.schema import DEFAULT_FIELDS, FIELD_ALIASES, SCHEMA

_FIELD = re.compile(r"(?<![\w.])(\w+):(?!//)")

FORMS = "forms: YYYY, YYYY-MM, YYYY-MM-DD, YYYYMM, YYYYMMDD, [A to B], [A to], >A, >=A, <A, <=A"
PLACEHOLDER_FIELD = "id"
_PLACEHOLDER = "thaaddateclause{}"

_CLAUSE = re.compile(
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


def clause_query(match: re.Match[str]) -> Query:
    """The :class:`DateRange` one ``published:`` clause means."""
    field = "published"
    if match.group("single") is not None:
        day_one, day_last = period(match.group("single"))
        return DateRange(field, day_one, day_last)
    if match.group("op") is not None:
        value = match.group("opdate")
        if not value:
            raise DateQueryError(f"nothing after published:{match.group('op')} ({FORMS})")
        first, last = period(value)
        return {
            ">": DateRange(field, last, None, startexcl=True),
            ">=": DateRange(field, first, None),
            "<": DateRange(field, None, first, endexcl=True),
            "<=": DateRange(field, None, last),
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
    return DateRange(field, start, end, startexcl=start_excl, endexcl=end_excl)


def extract(text: str) -> tuple[str, dict[str, Query]]:
    """``text`` with each date clause (outside quotes) replaced by a placeholder term, and the
    query each placeholder stands for. Raises :class:`DateQueryError`."""
    found: dict[str, Query] = {}

    def swap(match: re.Match[str]) -> str:
        key = _PLACEHOLDER.format(len(found))
        found[key] = clause_query(match)
        return f"{PLACEHOLDER_FIELD}:{key}"

    parts = re.split(r'("[^"]*")', text)
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = _CLAUSE.sub(swap, parts[i])
    return "".join(parts), found


def restore(query: Query, found: dict[str, Query]) -> Query:
    """``query`` with each placeholder term replaced by its date range."""
    if not found:
        return query
    if isinstance(query, Term) and query.fieldname == PLACEHOLDER_FIELD and query.text in found:
        return found[query.text]
    if query.is_leaf():
        return query
    return query.apply(lambda child: restore(child, found))


@lru_cache(maxsize=1)
def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), SCHEMA)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def _expand_aliases(text: str) -> str:
    return _FIELD.sub(lambda m: f"{FIELD_ALIASES.get(m.group(1), m.group(1))}:", text)


def _exclusions_only(parsed: Query) -> Query:
    """``NOT thaad`` alone matches nothing in Whoosh; it means every article without thaad."""
    parts = parsed.subqueries if isinstance(parsed, And) else [parsed]
    if parts and all(isinstance(p, Not) for p in parts):
        inner = [p.query for p in parts]
        return AndNot(Every(), inner[0] if len(inner) == 1 else Or(inner))
    return parsed


def parse(text: str) -> Query:  # the old index.search.query.parse
    """Check and parse a full-text query. Raises :class:`QueryError` when it is malformed."""
    text = web_signs(text)
    check(text)
    try:
        # Date clauses are read by index.search.datequery: Whoosh's date parser refused 2017-10-31.
        bare, dates = extract(_expand_aliases(text))
    except DateQueryError as exc:
        raise QueryError(str(exc)) from exc
    try:
        return _exclusions_only(restore(_parser().parse(bare), dates))
    except Exception as exc:  # whoosh raises assorted errors on odd input; report, never crash
        raise QueryError(f"cannot parse query: {exc}") from exc
