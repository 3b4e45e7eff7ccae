"""The neutral query tree (:mod:`index.search.querytree`) compiled into PostgreSQL.

Every article is one ``tsvector`` (:mod:`index.search.postgres.documents`): the words of its
text fields as the project's analyzer indexes them, each field under its own weight label
(title A, outlet B, author C, body D), and its names (entity, person, ... joined) as lexemes
``field:name``, which no analysed word can equal (words hold no colon). So nearly every query
is ONE ``tsquery`` that the GIN index answers: a word in the default fields is
``('word':AD | 'entity:word')``, a phrase is ``'a':AD <-> 'b':AD``, ``word*`` is ``'word':*AD``.
Only dates and ids are SQL beside it.

Lexemes are written into the tsquery text here, each quoted (``'`` doubled, ``\\`` doubled), and
the whole text is bound as ONE parameter (``%s::tsquery``): nothing of the query ever becomes
SQL, and nothing of a word can become tsquery syntax.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from index.search import querytree as qt

# The weight label of each text field (ts_rank's weight array is ordered D, C, B, A).
WEIGHTS = {"title": "A", "outlet": "B", "author": "C", "body": "D"}
RANK_WEIGHTS = "{0.5, 0.5, 0.5, 1.0}"  # a title word counts twice, as Whoosh's field boost
MAX_SLOP = 5  # "a b"~N spells out each distance up to N: more says nothing more
MAX_EXPANSION = 2000  # words a wildcard, range or word~ may stand for

Analyze = Callable[[str], list[str]]
# (field, node) -> the indexed words of ``field`` the node stands for (Fuzzy, Wildcard, TermRange)
Expand = Callable[[str, "qt.Fuzzy | qt.Wildcard | qt.TermRange"], Iterable[str]]


def quote(lexeme: str) -> str:
    """``lexeme`` as a quoted tsquery/tsvector operand: nothing in it is syntax."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def name_value(text: str) -> str:
    """A name as the name fields store it (lowercased, trimmed, as Whoosh's KEYWORD field)."""
    return text.strip().lower()


@dataclass
class Compiled:
    """A compiled query: ``where`` (SQL with ``%s`` placeholders, bound to ``params``), the
    tsquery that ranks the hits (every wanted word, OR'd), and the words a hit may report as
    matched (text lexemes, ``joined:...`` names, and ``prefix*`` for the words a prefix
    stands for)."""

    where: str
    params: list[object]
    rank: str | None
    highlight: set[str] = field(default_factory=set)


# A compiled part: ALL, NONE, ("ts", tsquery text) or ("sql", text, params)
Part = tuple[Any, ...]
_ALL = ("all",)
_NONE = ("none",)


class Compiler:
    """Compiles query trees for one backend: ``analyze`` is its analyzer, ``expand`` reads
    its vocabulary."""

    def __init__(self, analyze: Analyze, expand: Expand) -> None:
        self.analyze = analyze
        self.expand = expand

    def compile(self, node: qt.Query, filters: qt.Query | None = None) -> Compiled:
        """``node`` (and ``filters``, which restrict and never rank) as SQL over the
        ``doc`` and ``published`` columns."""
        positive: list[str] = []
        highlight: set[str] = set()
        part = self._part(node, positive, highlight, negated=False)
        if filters is not None:
            part = self._and([part, self._part(filters, [], set(), negated=False)])
        where, params = _sql(part)
        rank = " | ".join(f"({p})" for p in positive) if positive else None
        return Compiled(where, params, rank, highlight)

    # -- nodes --------------------------------------------------------------------------
    def _part(self, node: qt.Query, positive: list[str], hl: set[str], negated: bool) -> Part:
        if isinstance(node, qt.MatchAll):
            return _ALL
        if isinstance(node, qt.MatchNone):
            return _NONE
        if isinstance(node, qt.And):
            return self._and([self._part(p, positive, hl, negated) for p in node.parts])
        if isinstance(node, qt.Or):
            return self._or([self._part(p, positive, hl, negated) for p in node.parts])
        if isinstance(node, qt.Not):
            return _negate(self._part(node.part, positive, hl, not negated))
        if isinstance(node, qt.AndNot):
            wanted = self._part(node.positive, positive, hl, negated)
            unwanted = self._part(node.negative, positive, hl, not negated)
            return self._and([wanted, _negate(unwanted)])
        if isinstance(node, qt.AndMaybe):
            optional = self._part(node.optional, positive, hl, negated)
            if optional[0] == "ts" and not negated:
                positive.append(optional[1])  # ranks, never restricts
            return self._part(node.required, positive, hl, negated)
        if isinstance(node, qt.DateRange):
            return _date_range(node)
        part = self._leaf(node, hl if not negated else set())
        if part[0] == "ts" and not negated:
            positive.append(part[1])
        return part

    def _leaf(self, node: qt.Query, hl: set[str]) -> Part:
        fields = _fields(getattr(node, "field", None))
        if fields == ["id"]:
            return ("sql", "id = %s", [getattr(node, "text", getattr(node, "term", ""))])
        parts = [self._in_field(node, f, hl) for f in fields]
        return self._or(parts)

    def _in_field(self, node: qt.Query, name: str, hl: set[str]) -> Part:
        text_field = name in WEIGHTS
        if isinstance(node, qt.IndexTerm):
            return ("ts", self._lexeme(name, node.term, hl))
        if isinstance(node, qt.Term) or (isinstance(node, qt.Phrase) and not text_field):
            if not text_field:
                return ("ts", self._lexeme(name, name_value(node.text), hl))
            words = self.analyze(node.text)
            if not words:
                return _NONE
            return ("ts", _join(" & ", [self._lexeme(name, w, hl) for w in words]))
        if isinstance(node, qt.Phrase):
            words = self.analyze(node.text)
            if not words:
                return _NONE
            return ("ts", self._phrase([self._lexeme(name, w, hl) for w in words], node.slop))
        if isinstance(node, qt.Prefix):
            stem = self.analyze(node.text) if text_field else []
            start = stem[0] if len(stem) == 1 else name_value(node.text)
            if not text_field:
                return ("ts", quote(f"{name}:{start}") + ":*")
            if name in ("title", "body"):
                hl.add(start + "*")  # the words it stands for are found in each hit
            return ("ts", quote(start) + ":*" + WEIGHTS[name])
        if isinstance(node, (qt.Fuzzy, qt.Wildcard, qt.TermRange)):
            words = sorted(set(self.expand(name, node)))[:MAX_EXPANSION]
            if not words:
                return _NONE
            return ("ts", _join(" | ", [self._lexeme(name, w, hl) for w in words]))
        raise TypeError(f"not a query leaf: {node!r}")

    def _lexeme(self, name: str, word: str, hl: set[str]) -> str:
        if name in WEIGHTS:
            if name in ("title", "body"):
                hl.add(word)
            return quote(word) + ":" + WEIGHTS[name]
        if name == "joined":
            hl.add(f"joined:{word}")
        return quote(f"{name}:{word}")

    @staticmethod
    def _phrase(operands: list[str], slop: int) -> str:
        slop = max(1, min(slop, MAX_SLOP))
        chain = operands[0]
        for nxt in operands[1:]:
            if slop == 1:
                chain = f"{chain} <-> {nxt}"
            else:
                chain = "(" + " | ".join(f"{chain} <{d}> {nxt}" for d in range(1, slop + 1)) + ")"
        return f"({chain})"

    # -- combining ----------------------------------------------------------------------
    @staticmethod
    def _and(parts: list[Part]) -> Part:
        parts = [p for p in parts if p is not _ALL and p != _ALL]
        if any(p == _NONE for p in parts):
            return _NONE
        if not parts:
            return _ALL
        if all(p[0] == "ts" for p in parts):
            return ("ts", _join(" & ", [p[1] for p in parts]))
        return _combine(" AND ", parts)

    @staticmethod
    def _or(parts: list[Part]) -> Part:
        parts = [p for p in parts if p != _NONE]
        if any(p == _ALL for p in parts):
            return _ALL
        if not parts:
            return _NONE
        if all(p[0] == "ts" for p in parts):
            return ("ts", _join(" | ", [p[1] for p in parts]))
        return _combine(" OR ", parts)


def _fields(name: str | None) -> list[str]:
    if name is None:
        return list(qt.DEFAULT_FIELDS)
    return [qt.FIELD_ALIASES.get(name, name)]


def _join(op: str, operands: list[str]) -> str:
    return operands[0] if len(operands) == 1 else "(" + op.join(operands) + ")"


def _negate(part: Part) -> Part:
    if part == _ALL:
        return _NONE
    if part == _NONE:
        return _ALL
    if part[0] == "ts":
        return ("ts", f"!{part[1]}" if part[1].startswith("(") else f"!({part[1]})")
    return ("sql", f"NOT ({part[1]})", part[2])


def _combine(op: str, parts: list[Part]) -> Part:
    texts, params = [], []
    for p in parts:
        text, values = _sql(p)
        texts.append(f"({text})")
        params.extend(values)
    return ("sql", op.join(texts), params)


def _sql(part: Part) -> tuple[str, list[object]]:
    if part == _ALL:
        return "TRUE", []
    if part == _NONE:
        return "FALSE", []
    if part[0] == "ts":
        return "doc @@ %s::tsquery", [part[1]]
    return part[1], list(part[2])


def _date_range(node: qt.DateRange) -> Part:
    conditions, params = [], []
    if node.start is not None:
        conditions.append("published > %s" if node.startexcl else "published >= %s")
        params.append(_naive(node.start))
    if node.end is not None:
        conditions.append("published < %s" if node.endexcl else "published <= %s")
        params.append(_naive(node.end))
    if not conditions:
        return ("sql", "published IS NOT NULL", [])
    return ("sql", " AND ".join(conditions), params)


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)
