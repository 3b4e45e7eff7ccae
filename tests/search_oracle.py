"""The query parser as it was before issue 15: Whoosh's own parser with the project's checks
and date clauses (index/search/query.py and datequery.py at commit 39b9d45).

Kept as the oracle of tests/test_query_tree.py: every query this parses must mean the same
search when the project's own parser (index.search.query) reads it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh import qparser
from whoosh.query import And, AndNot, DateRange, Every, Not, Or, Query, Term

from index.search import datequery
from index.search.query import QueryError, check, web_signs
from index.search.whoosh.schema import DEFAULT_FIELDS, FIELD_ALIASES, SCHEMA

_FIELD = re.compile(r"(?<![\w.])(\w+):(?!//)")

PLACEHOLDER_FIELD = "id"
_PLACEHOLDER = "thaaddateclause{}"


def clause_query(match: re.Match[str]) -> Query:
    """The Whoosh :class:`DateRange` one ``published:`` clause means: the project's reading of
    the clause (index.search.datequery reads dates as it did at 39b9d45) as a Whoosh query."""
    found = datequery.clause_query(match)
    return DateRange(
        found.field, found.start, found.end, startexcl=found.startexcl, endexcl=found.endexcl
    )


def extract(text: str) -> tuple[str, dict[str, Query]]:
    """``text`` with each date clause (outside quotes) replaced by a placeholder term, and the
    query each placeholder stands for. Raises :class:`~index.search.datequery.DateQueryError`."""
    found: dict[str, Query] = {}

    def swap(match: re.Match[str]) -> str:
        key = _PLACEHOLDER.format(len(found))
        found[key] = clause_query(match)
        return f"{PLACEHOLDER_FIELD}:{key}"

    parts = re.split(r'("[^"]*")', text)
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        parts[i] = datequery.CLAUSE.sub(swap, parts[i])
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
    except datequery.DateQueryError as exc:
        raise QueryError(str(exc)) from exc
    try:
        return _exclusions_only(restore(_parser().parse(bare), dates))
    except Exception as exc:  # whoosh raises assorted errors on odd input; report, never crash
        raise QueryError(f"cannot parse query: {exc}") from exc
