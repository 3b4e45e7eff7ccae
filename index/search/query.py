"""The full-text query syntax, parsed by the project itself into a neutral query tree.

The syntax is the one the search box has always taken (Whoosh's): words (every one required),
``"a phrase"`` (``"a phrase"~3`` allows words between), ``AND``, ``OR``, ``NOT``, ``ANDNOT``,
``ANDMAYBE``, parentheses, ``field:word`` / ``field:(...)`` / ``field:"..."``, ``word~`` /
``word~2`` / ``word~2/3`` (typos), ``word*`` and ``w?rd`` (patterns), ``word^2`` (boost),
``field:[a TO b]`` and ``field:>a`` (ranges), ``'a b'`` (one term with a space), ``*:*`` (every
article), ``published:`` dates (:mod:`index.search.datequery`), and ``-word`` / ``+word`` as web
search engines write them. Operators bind as they did: ``NOT`` tightest, then ``AND``, then
``OR``, then ``ANDNOT``/``ANDMAYBE``/``REQUIRE``; words side by side are ANDed last.

:func:`check` refuses malformed text with a one-line reason (Whoosh's parser never failed: an
unclosed quote or a dangling ``AND`` silently became some other query); :func:`parse` returns a
:mod:`index.search.querytree` that any search backend can answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from index.search import datequery
from index.search import querytree as qt

# No real query comes near these; a longer one is pasted text or an attack on the parser.
MAX_LENGTH = 1000
MAX_DEPTH = 20


class QueryError(ValueError):
    """A query the user must fix; ``str()`` is a one-line reason."""


_SYNTAX = re.compile(r'["()\[\]{}~*?^]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|TO)\b|\b\w+:')
_FIELD = re.compile(r"(?<![\w.])(\w+):(?!//)")
_OPERATOR = re.compile(r"\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b")
KNOWN_FIELDS = frozenset((*qt.FIELDS, *qt.FIELD_ALIASES))


def is_fulltext(text: str) -> bool:
    """True when the text uses query syntax (quotes, operators, fields, ranges, ``~``, ``*``)."""
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
        if name not in KNOWN_FIELDS:
            known = ", ".join(sorted({*qt.DEFAULT_FIELDS, "outlet", "author", "published"}))
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


def _expand_aliases(text: str) -> str:
    return _FIELD.sub(lambda m: f"{qt.FIELD_ALIASES.get(m.group(1), m.group(1))}:", text)


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


# -- tokens ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # word, phrase, field, op, open, close, boost, fuzzy, range, gtlt, date, all
    text: str
    pos: int
    slop: int = 1
    maxdist: int = 1
    prefix: int = 0
    boost: float = 1.0
    node: qt.Query | None = None
    spaced: bool = False  # white space follows


_SPACE = re.compile(r"\s+")
_BOOSTABLE = ("word", "quoted", "phrase", "close", "range", "all", "date")
_OPS = ("ANDNOT", "ANDMAYBE", "REQUIRE", "AND", "OR", "NOT")
_OP = re.compile(r"(?:ANDNOT|ANDMAYBE|REQUIRE|AND|OR|NOT)(?=\s)")
_EVERY = re.compile(r"[*]:[*]")
_QUOTED_TERM = re.compile(r"'(?P<text>.*?)'(?=\s|\]|[)}]|$)")
_FIELDNAME = re.compile(r"(?P<text>\w+|[*]):")
_PHRASE = re.compile(r'"(?P<text>.*?)"(~(?P<slop>[1-9][0-9]*))?')
_BOOST = re.compile(r"\^(?P<boost>[0-9]*(\.[0-9]+)?)($|(?=[ \t\r\n)]))")
_FUZZY = re.compile(r"~(?P<maxdist>[0-9])?(/(?P<prefix>[1-9][0-9]*))?")
_GTLT = re.compile(r"(?P<rel><=|>=|<|>|=<|=>)")
_RANGE = re.compile(
    r"(?P<open>\{|\[)(?P<start>('[^']*?'\s+)|([^\]}]+?(?=[Tt][Oo])))?[Tt][Oo]"
    r"(?P<end>(\s+'[^']*?')|([^\]}]+?))?(?P<close>}|])"
)


def _tokens(text: str) -> list[_Token]:
    """``text`` cut into tokens; what no rule matches is word text, up to the next token."""
    out: list[_Token] = []
    pos, word_start = 0, 0

    def flush(end: int) -> None:
        if word_start < end:
            out.append(_Token("word", text[word_start:end], word_start))

    while pos < len(text):
        token, end = _token_at(text, pos)
        if token is None:
            pos += 1
            continue
        flush(pos)
        if token.kind == "boost" and (not out or out[-1].kind not in _BOOSTABLE):
            token = replace(token, kind="word")  # nothing before it to boost
        if token.kind == "fuzzy" and (not out or out[-1].kind not in ("word", "quoted")):
            token = replace(token, kind="tilde")  # no word before it: a word of its own
        if token.kind != "space":
            out.append(token)
        elif out:
            out[-1] = replace(out[-1], spaced=True)
        pos = word_start = end
    flush(len(text))
    return out


def _token_at(text: str, pos: int) -> tuple[_Token | None, int]:
    """The token that begins at ``pos`` (None inside a word) and where it ends."""
    before = text[pos - 1] if pos else ""
    m: re.Match[str] | None
    if m := _SPACE.match(text, pos):
        return _Token("space", m.group(), pos), m.end()
    quote = text.find('"', pos)  # a date clause never reaches into a phrase
    if m := datequery.CLAUSE.match(text, pos, quote if quote >= 0 else len(text)):
        try:
            return _Token("date", m.group(), pos, node=datequery.clause_query(m)), m.end()
        except datequery.DateQueryError as exc:
            raise QueryError(str(exc)) from exc
    if (m := _OP.match(text, pos)) and (
        before.isspace() or (m.group() == "NOT" and before in ("", "(", ")"))
    ):
        return _Token("op", m.group(), pos), m.end()
    if m := _EVERY.match(text, pos):
        return _Token("all", m.group(), pos), m.end()
    if (m := _QUOTED_TERM.match(text, pos)) and (not before or re.match(r"\W", before)):
        return _Token("quoted", m.group("text"), pos), m.end()
    if m := _FIELDNAME.match(text, pos):
        return _Token("field", m.group("text"), pos), m.end()
    if m := _PHRASE.match(text, pos):
        slop = int(m.group("slop")) if m.group("slop") else 1
        return _Token("phrase", m.group("text"), pos, slop=slop), m.end()
    if text[pos] in "()":
        return _Token("open" if text[pos] == "(" else "close", text[pos], pos), pos + 1
    if (m := _BOOST.match(text, pos)) and before and not before.isspace():
        try:
            boost = float(m.group("boost"))
        except ValueError:  # "^" with no number is a word, as Whoosh read it
            return _Token("word", m.group(), pos), m.end()
        return _Token("boost", m.group(), pos, boost=boost), m.end()
    if (m := _FUZZY.match(text, pos)) and before and not before.isspace():
        maxdist = int(m.group("maxdist")) if m.group("maxdist") else 1
        prefix = int(m.group("prefix")) if m.group("prefix") else 0
        return _Token("fuzzy", m.group(), pos, maxdist=maxdist, prefix=prefix), m.end()
    if m := _GTLT.match(text, pos):
        return _Token("gtlt", m.group("rel"), pos), m.end()
    if m := _RANGE.match(text, pos):
        return _Token("range", m.group(), pos, node=_text_range(m)), m.end()
    return None, pos


def _unquote(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > 1 and value[0] == value[-1] == "'":
        value = value[1:-1]
    return value or None


def _text_range(m: re.Match[str]) -> qt.TermRange:
    return qt.TermRange(
        None,
        _unquote(m.group("start")),
        _unquote(m.group("end")),
        startexcl=m.group("open") == "{",
        endexcl=m.group("close") == "}",
    )


def _comparisons(tokens: list[_Token]) -> list[_Token]:
    """``field:>word`` as a range: each comparison right after a field name and right before
    a word becomes a range of that word; any other comparison is dropped (as Whoosh did)."""
    out: list[_Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind != "gtlt":
            out.append(token)
        elif token.spaced and out:  # dropped, but the space after it still counts
            out[-1] = replace(out[-1], spaced=True)
        elif i + 1 < len(tokens):
            prev, nxt = out[-1] if out else None, tokens[i + 1]
            if (
                prev is not None
                and prev.kind == "field"
                and not prev.spaced
                and not token.spaced
                and nxt.kind in ("word", "quoted", "tilde", "phrase")
            ):
                value, rel = nxt.text, token.text
                start, end = (value, None) if ">" in rel else (None, value)
                excl = {"startexcl": rel == ">", "endexcl": rel == "<"}
                node = qt.TermRange(None, start, end, **excl)
                out.append(replace(nxt, kind="range", node=node))
                i += 1
                if i + 1 < len(tokens) and tokens[i + 1].kind == "fuzzy":
                    i += 1  # "title:>word~": the word's "~" went with it into the range
        i += 1
    return out


# -- grammar -----------------------------------------------------------------------------------
_LOOSE = ("ANDNOT", "ANDMAYBE", "REQUIRE")


class _Parser:
    """Precedence climbing over the tokens; see the module's docstring for the binding order."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at_op(self, *names: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "op" and token.text in names

    def sequence(self, field: str | None, depth: int = 0) -> qt.Query | None:
        """Clauses side by side, until a closing bracket or the end: all of them required."""
        parts: list[qt.Query] = []
        while (token := self.peek()) is not None and token.kind != "close":
            part = self.loose(field, depth)
            if part is not None:
                parts.append(part)
        return _and(parts)

    def loose(self, field: str | None, depth: int) -> qt.Query | None:
        left = self.either(field, depth)
        while self.at_op(*_LOOSE):
            op = self.take().text
            right = self.either(field, depth)
            if left is None or right is None:
                left = left or right
            elif op == "ANDNOT":
                left = qt.AndNot(left, right)
            elif op == "ANDMAYBE":
                left = qt.AndMaybe(left, right)
            else:  # REQUIRE: both must match (Whoosh scored by the left side only)
                left = _and([left, right])
        return left

    def either(self, field: str | None, depth: int) -> qt.Query | None:
        parts = [self.both(field, depth)]
        while self.at_op("OR"):
            self.take()
            parts.append(self.both(field, depth))
        found = [p for p in parts if p is not None]
        return found[0] if len(found) == 1 else qt.Or(tuple(found)) if found else None

    def both(self, field: str | None, depth: int) -> qt.Query | None:
        parts = [self.unary(field, depth)]
        while self.at_op("AND"):
            self.take()
            parts.append(self.unary(field, depth))
        return _and([p for p in parts if p is not None])

    def unary(self, field: str | None, depth: int) -> qt.Query | None:
        if self.at_op("NOT"):
            self.take()
            inner = self.unary(field, depth)
            return qt.Not(inner) if inner is not None else None
        return self.boosted(field, depth)

    def boosted(self, field: str | None, depth: int) -> qt.Query | None:
        node = self.primary(field, depth)
        token = self.peek()
        if token is None or token.kind != "boost":
            return node
        if node is not None:
            self.take()
            return _boosted(node, token.boost)
        if self.i > 0 and self.tokens[self.i - 1].kind == "close":
            self.take()  # "()^2": the boost of an empty group, which finds nothing (as Whoosh)
        return node

    def primary(self, field: str | None, depth: int) -> qt.Query | None:
        if self.peek() is None:  # "NOT" at the very end: nothing to negate
            return None
        token = self.take()
        if token.kind == "field":
            name = token.text  # aliases were spelled out by _expand_aliases, where they count
            nxt = self.peek()
            if name not in qt.FIELDS:  # "http://...": not a field, part of the word
                if nxt is not None and nxt.kind in ("word", "phrase") and not token.spaced:
                    self.take()
                    return self.word(replace(nxt, text=f"{token.text}:{nxt.text}"), field)
                return qt.Term(f"{token.text}:", field)
            # A run of names ("title:title:x") is read from the right: the last one names what
            # follows it (or is a word, if nothing does), the one before it names that, ...
            c, k = self.i - 1, 1
            while (
                c + k < len(self.tokens)
                and not self.tokens[c + k - 1].spaced
                and self.tokens[c + k].kind == "field"
            ):
                k += 1
            after = self.tokens[c + k] if c + k < len(self.tokens) else None
            dangling = self.tokens[c + k - 1].spaced or after is None or after.kind == "close"
            if (k - 1) % 2 == (0 if dangling else 1):
                return qt.Term(f"{token.text}:", field)
            if nxt is not None and nxt.kind == "op":
                return None  # Whoosh gave the name to the operator, where it means nothing
            return self.primary(name, depth)
        if token.kind == "open":
            if depth >= MAX_DEPTH:
                raise QueryError(f"brackets nested too deeply (at most {MAX_DEPTH} levels)")
            inner = self.sequence(field, depth + 1)
            if self.peek() is not None:
                self.take()  # the closing bracket
            return inner
        if token.kind in ("word", "quoted"):
            return self.word(token, field)
        if token.kind == "phrase":
            return qt.Phrase(token.text, field, slop=token.slop)
        if token.kind == "date" and token.node is not None:
            return token.node
        if token.kind == "range" and isinstance(token.node, qt.TermRange):
            return replace(token.node, field=field)
        if token.kind == "all":
            return qt.MatchAll()
        if token.kind in ("fuzzy", "tilde"):  # a stray "~" is a word, and takes no "~" itself
            return qt.Term(token.text, field)
        if token.kind in ("close", "op", "boost"):
            # Syntax where it means nothing is read as a word, as Whoosh did.
            return self.word(replace(token, kind="word"), field)
        return None

    def word(self, token: _Token, field: str | None) -> qt.Query:
        text = token.text
        nxt = self.peek()
        if nxt is not None and nxt.kind == "fuzzy":
            self.take()
            return qt.Fuzzy(text, field, maxdist=nxt.maxdist, prefix=nxt.prefix)
        if token.kind == "word" and ("*" in text or "?" in text):  # 'quoted' is literal
            if len(text) > 1 and "?" not in text and text.find("*") == len(text) - 1:
                return qt.Prefix(text[:-1], field)
            return qt.Wildcard(text, field)
        return qt.Term(text, field)


def _and(parts: list[qt.Query]) -> qt.Query | None:
    flat: list[qt.Query] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, qt.And) else (part,))
    return flat[0] if len(flat) == 1 else qt.And(tuple(flat)) if flat else None


def _boosted(node: qt.Query, boost: float) -> qt.Query:
    """``node^boost``: a group's boost goes to each word in it (as Whoosh gave it)."""
    if isinstance(node, (qt.Term, qt.Phrase, qt.Prefix, qt.Wildcard, qt.Fuzzy, qt.TermRange)):
        return replace(node, boost=boost)
    if isinstance(node, (qt.And, qt.Or)):
        return replace(node, parts=tuple(_boosted(p, boost) for p in node.parts))
    return node


def _exclusions_only(parsed: qt.Query) -> qt.Query:
    """``NOT thaad`` alone means every article without thaad."""
    parts = parsed.parts if isinstance(parsed, qt.And) else (parsed,)
    if parts and all(isinstance(p, qt.Not) for p in parts):
        inner = [p.part for p in parts if isinstance(p, qt.Not)]
        return qt.AndNot(qt.MatchAll(), inner[0] if len(inner) == 1 else qt.Or(tuple(inner)))
    return parsed


@lru_cache(maxsize=256)
def parse(text: str) -> qt.Query:
    """Check and parse a full-text query. Raises :class:`QueryError` when it is malformed."""
    text = web_signs(text)
    check(text)
    tokens = _comparisons(_tokens(_expand_aliases(text)))
    parser = _Parser(tokens)
    found: list[qt.Query] = []
    while parser.peek() is not None:
        part = parser.sequence(None)
        if part is not None:
            found.append(part)
        if parser.peek() is not None:
            parser.take()  # a stray closing bracket (check() refuses those; kept for safety)
    parsed = _and(found)
    # Only brackets, or words the analysis drops: a search that finds nothing, as before.
    return _exclusions_only(parsed) if parsed is not None else qt.MatchNone()


def any_part(parsed: qt.Query) -> qt.Query:
    """A parsed query with its top-level AND relaxed to OR; its NOT parts still exclude."""
    if not isinstance(parsed, qt.And):
        return parsed
    wanted = [p for p in parsed.parts if not isinstance(p, qt.Not)]
    unwanted = [p.part for p in parsed.parts if isinstance(p, qt.Not)]
    relaxed: qt.Query = (
        qt.Or(tuple(wanted)) if len(wanted) > 1 else wanted[0] if wanted else qt.MatchAll()
    )
    return qt.AndNot(relaxed, qt.Or(tuple(unwanted))) if unwanted else relaxed
