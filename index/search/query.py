"""Query parsing for full-text search: Whoosh syntax, plus the checks Whoosh does not make.

Whoosh's parser never fails: an unclosed quote or bracket, a dangling ``AND`` or an unknown field
is silently turned into some other query. Users deserve to be told, so :func:`parse` checks the
text first and raises :class:`QueryError` with a one-line reason.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh import qparser
from whoosh.query import And, AndNot, Every, Not, Or, Query

from index.search import datequery
from index.search.schema import DEFAULT_FIELDS, FIELD_ALIASES, SCHEMA

# Whoosh's parser is recursive and slow on very long input; no real query comes near these.
MAX_LENGTH = 1000
MAX_DEPTH = 20


class QueryError(ValueError):
    """A query the user must fix; ``str()`` is a one-line reason."""


_SYNTAX = re.compile(r'["()\[\]{}~*?^]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b|\b\w+:')
_FIELD = re.compile(r"(?<![\w.])(\w+):(?!//)")
_OPERATOR = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b")


def is_fulltext(text: str) -> bool:
    """True when the text uses Whoosh syntax (quotes, operators, fields, ranges, ``~``, ``*``)."""
    return bool(_SYNTAX.search(text))


def _outside_quotes(text: str) -> str:
    """The text with each quoted phrase replaced by a placeholder term of the same length.

    Checks then see only query syntax, and a phrase still counts as a term beside an operator
    (``"crude oil" AND opec``).
    """
    return re.sub(r'"[^"]*"', lambda m: "_" * len(m.group()), text)


def check(text: str) -> None:
    """Raise :class:`QueryError` if ``text`` is not a well-formed query."""
    if not text.strip():
        raise QueryError("empty query")
    if len(text) > MAX_LENGTH:
        raise QueryError(f"query too long ({len(text)} characters; at most {MAX_LENGTH})")
    if text.count('"') % 2:
        raise QueryError('unclosed quote: add the missing "')
    bare = _outside_quotes(text)
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack: list[str] = []
    for i, ch in enumerate(bare):
        if ch in pairs:
            stack.append(ch)
            if len(stack) > MAX_DEPTH:
                raise QueryError(f"brackets nested too deeply (at most {MAX_DEPTH} levels)")
        elif ch in pairs.values() and (not stack or pairs[stack.pop()] != ch):
            raise QueryError(f"unmatched {ch!r} at column {i + 1}")
    if stack:
        raise QueryError(f"unclosed {stack[-1]!r}: add the missing {pairs[stack[-1]]!r}")
    for match in _FIELD.finditer(bare):
        name = match.group(1)
        if name not in SCHEMA.names() and name not in FIELD_ALIASES:
            known = ", ".join(sorted({*DEFAULT_FIELDS, "outlet", "author", "published"}))
            raise QueryError(f"unknown field {name!r} (fields: {known})")
        rest = text[match.end() :]  # quoted values were blanked in `bare`
        if not rest or rest[0].isspace():
            raise QueryError(f"nothing after {name}:")
    tokens = re.findall(r"\S+", re.sub(r"[()]", " ", bare))
    for i, token in enumerate(tokens):
        if _OPERATOR.fullmatch(token):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is None or (_OPERATOR.fullmatch(nxt) and nxt != "NOT"):
                raise QueryError(f"{token} needs a term after it")
            if token != "NOT" and i == 0:
                raise QueryError(f"{token} needs a term before it")


@lru_cache(maxsize=1)
def _parser() -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), SCHEMA)
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    return parser


def _expand_aliases(text: str) -> str:
    return _FIELD.sub(lambda m: f"{FIELD_ALIASES.get(m.group(1), m.group(1))}:", text)


_SIGN = re.compile(r'(?<!\S)([+-])(?=[\w"(])')


def web_signs(text: str) -> str:
    """``-word`` as ``NOT word`` and ``+word`` as ``word`` (every word is required anyway), as
    users of web search engines write them; signs inside quotes are left alone."""
    bare = _outside_quotes(text)
    out, last = [], 0
    for m in _SIGN.finditer(bare):
        out.append(text[last : m.start()])
        out.append("NOT " if m.group(1) == "-" else "")
        last = m.end()
    return "".join(out) + text[last:]


def _exclusions_only(parsed: Query) -> Query:
    """``NOT thaad`` alone matches nothing in Whoosh; it means every article without thaad."""
    parts = parsed.subqueries if isinstance(parsed, And) else [parsed]
    if parts and all(isinstance(p, Not) for p in parts):
        inner = [p.query for p in parts]
        return AndNot(Every(), inner[0] if len(inner) == 1 else Or(inner))
    return parsed


def parse(text: str) -> Query:
    """Check and parse a full-text query. Raises :class:`QueryError` when it is malformed."""
    text = web_signs(text)
    check(text)
    try:
        # Date clauses are read by index.search.datequery: Whoosh's date parser refused 2017-10-31.
        bare, dates = datequery.extract(_expand_aliases(text))
    except datequery.DateQueryError as exc:
        raise QueryError(str(exc)) from exc
    try:
        return _exclusions_only(datequery.restore(_parser().parse(bare), dates))
    except Exception as exc:  # whoosh raises assorted errors on odd input; report, never crash
        raise QueryError(f"cannot parse query: {exc}") from exc


def any_part(parsed: Query) -> Query:
    """A parsed query with its top-level AND relaxed to OR; its NOT parts still exclude."""
    if not isinstance(parsed, And):
        return parsed
    wanted = [p for p in parsed.subqueries if not isinstance(p, Not)]
    unwanted = [p.query for p in parsed.subqueries if isinstance(p, Not)]
    relaxed: Query = Or(wanted) if len(wanted) > 1 else wanted[0] if wanted else Every()
    return AndNot(relaxed, Or(unwanted)) if unwanted else relaxed
