"""The Whoosh schema. Bump ``index.paths.SCHEMA_VERSION`` whenever it changes."""

from __future__ import annotations

from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema

# No stop list: "US" is a stop word in Whoosh's default list, and it matters in this corpus.
ANALYZER = StemmingAnalyzer(stoplist=None, minsize=1)

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
)

DEFAULT_FIELDS = ("title", "body", "entity")
FIELD_ALIASES = {
    "date": "published",
    "org": "organisation",
    "organization": "organisation",
    "source": "outlet",
    "text": "body",
}
