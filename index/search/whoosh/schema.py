"""The Whoosh schema. Bump ``index.paths.SCHEMA_VERSION`` whenever it changes."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema

from index.search.querytree import DEFAULT_FIELDS, FIELD_ALIASES
from index.search.whoosh.analysis import ANALYZER

SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    title=TEXT(analyzer=ANALYZER, stored=True, field_boost=2.0),
    body=TEXT(analyzer=ANALYZER),
    outlet=TEXT(analyzer=ANALYZER, stored=True),
    author=TEXT(analyzer=ANALYZER),
    published=DATETIME(stored=True, sortable=True),
    entity=KEYWORD(commas=True, lowercase=True, scorable=True),
    person=KEYWORD(commas=True, lowercase=True),
    organisation=KEYWORD(commas=True, lowercase=True),
    place=KEYWORD(commas=True, lowercase=True),
    # Who is quoted in the article (index/analysis/quotes.py): speakers' entity names or roles
    speaker=KEYWORD(commas=True, lowercase=True),
    # Names without their hyphens and spaces ("jaein", "kimjongun"):
    # index.search.analyzer.joined_forms
    joined=KEYWORD(lowercase=True, scorable=True),
)

__all__ = ["DEFAULT_FIELDS", "FIELD_ALIASES", "SCHEMA"]
