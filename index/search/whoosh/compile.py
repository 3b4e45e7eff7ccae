"""A neutral query tree (:mod:`index.search.querytree`) as a Whoosh query.

Each typed word is analysed by Whoosh's own query-parser nodes over the schema's fields, so a
word, phrase, prefix or range means exactly what it meant when Whoosh parsed the query text
itself: ``jae-in`` is ``jae`` and ``in`` in the text fields and ``jae-in`` in the entity field;
a word with no field is looked for in each default field.
"""

from __future__ import annotations

from functools import lru_cache

from whoosh import query as wq
from whoosh.qparser import MultifieldParser, syntax
from whoosh.qparser.plugins import FuzzyTermPlugin, PhrasePlugin, PrefixPlugin, WildcardPlugin

from index.search import querytree as qt
from index.search.whoosh.schema import DEFAULT_FIELDS, SCHEMA


@lru_cache(maxsize=1)
def _parser() -> MultifieldParser:
    """The context the parser nodes analyse their text in (the schema, the default fields)."""
    return MultifieldParser(list(DEFAULT_FIELDS), SCHEMA)


def to_whoosh(node: qt.Query) -> wq.Query:
    """The Whoosh query that means ``node`` (normalised: nested groups flattened)."""
    return _compile(node).normalize()


def _compile(node: qt.Query) -> wq.Query:
    match node:
        case qt.And(parts):
            return wq.And([_compile(p) for p in parts])
        case qt.Or(parts):
            return wq.Or([_compile(p) for p in parts])
        case qt.Not(part):
            return wq.Not(_compile(part))
        case qt.AndNot(positive, negative):
            return wq.AndNot(_compile(positive), _compile(negative))
        case qt.AndMaybe(required, optional):
            return wq.AndMaybe(_compile(required), _compile(optional))
        case qt.MatchAll():
            return wq.Every()
        case qt.MatchNone():
            return wq.NullQuery
        case qt.IndexTerm(field, term, boost):
            return wq.Term(field, term, boost=boost)
        case qt.DateRange(start, end, startexcl, endexcl, field):
            return wq.DateRange(field, start, end, startexcl=startexcl, endexcl=endexcl)
        case _:
            return _words(node)


def _node(node: qt.Query) -> syntax.SyntaxNode:
    """A fresh Whoosh parser node for one typed word, phrase, pattern or range."""
    made = _made(node)
    # Whoosh copies a node's place in the query text onto its query (used for nothing here).
    made.startchar, made.endchar = 0, 0
    return made


def _made(node: qt.Query) -> syntax.SyntaxNode:
    match node:
        case qt.Term(text):
            return syntax.WordNode(text)
        case qt.Phrase(text, _field, slop):
            return PhrasePlugin.PhraseNode(text, 0, slop)
        case qt.Prefix(text):
            return PrefixPlugin.PrefixNode(text)
        case qt.Wildcard(text):
            return WildcardPlugin.WildcardNode(text)
        case qt.Fuzzy(text, _field, maxdist, prefix):
            word = syntax.WordNode(text)
            word.startchar, word.endchar = 0, 0
            return FuzzyTermPlugin.FuzzyTermNode(word, maxdist, prefix)
        case qt.TermRange(_field, start, end, startexcl, endexcl):
            return syntax.RangeNode(start, end, startexcl, endexcl)
    raise TypeError(f"not a word query: {node!r}")


def _words(node: qt.Query) -> wq.Query:
    """A word-like leaf in its field, or in each default field (any of them may match)."""
    field: str | None = getattr(node, "field", None)
    boost: float = getattr(node, "boost", 1.0)
    parser = _parser()
    if field is not None:
        one = _node(node)
        one.set_fieldname(field)
        one.set_boost(boost)
        found = one.query(parser)
        return found if found is not None else wq.NullQuery
    subs = []
    for name in DEFAULT_FIELDS:
        each = _node(node)
        each.set_fieldname(name)
        each.set_boost(1.0)
        found = each.query(parser)
        if found is not None:
            subs.append(found)
    return wq.Or(subs, boost=boost)
