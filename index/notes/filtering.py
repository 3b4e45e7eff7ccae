"""Searching the notes: tags written as ``#tag`` in a comment, a filter query, duplicates.

A filter query is words, all of which must match (any case). A plain word is looked for in the
passage, the comment, the title and the outlet; ``#tag`` matches a bookmark with that tag;
``outlet:WORDS`` and ``article:WORDS`` (an article id, or words of its title) narrow to one
field. A field's value may be quoted: ``outlet:"korea herald"``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from index.models import Bookmark
from index.notes.format import passage_hash

# "#tag" after a space or at the start: not the "#3" of "paragraph#3" or a URL's "#anchor".
_TAG = re.compile(r"(?<![\w#/&])#([^\W\d_][\w-]*)")
_TOKEN = re.compile(
    r'(?P<field>outlet|article):(?:"(?P<quoted>[^"]*)"?|(?P<value>\S+))|(?P<word>\S+)'
)


def tags_of(comment: str) -> list[str]:
    """The ``#tags`` of a comment, lowercased, in order, each once."""
    return list(dict.fromkeys(tag.lower() for tag in _TAG.findall(comment or "")))


def tag_counts(bookmarks: Iterable[Bookmark]) -> Counter[str]:
    """How many bookmarks carry each tag."""
    return Counter(tag for b in bookmarks for tag in tags_of(b.comment))


@dataclass(frozen=True)
class NotesQuery:
    """A parsed filter query (see the module docstring)."""

    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    outlet: tuple[str, ...] = ()
    article: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.tags or self.outlet or self.article)


def parse_query(text: str) -> NotesQuery:
    """Split a filter query into its words, tags and field values (all casefolded)."""
    words: list[str] = []
    tags: list[str] = []
    fields: dict[str, list[str]] = {"outlet": [], "article": []}
    for match in _TOKEN.finditer(text):
        if match.group("field"):
            value = match.group("quoted") or match.group("value") or ""
            if value.strip():
                fields[match.group("field")].append(value.strip().casefold())
        else:
            word = match.group("word")
            if word.startswith("#") and len(word) > 1:
                tags.append(word[1:].lower())
            else:
                words.append(word.casefold())
    return NotesQuery(tuple(words), tuple(tags), tuple(fields["outlet"]), tuple(fields["article"]))


def matches(bookmark: Bookmark, query: NotesQuery) -> bool:
    """Whether ``bookmark`` passes every part of ``query``."""
    if query.tags:
        own = tags_of(bookmark.comment)
        if not all(tag in own for tag in query.tags):
            return False
    outlet = (bookmark.outlet or "").casefold()
    if not all(value in outlet for value in query.outlet):
        return False
    title = bookmark.title.casefold()
    for value in query.article:
        if not (bookmark.article.casefold().startswith(value) or value in title):
            return False
    haystack = " ".join((bookmark.text, bookmark.comment, bookmark.title, outlet)).casefold()
    return all(word in haystack for word in query.words)


def filter_bookmarks(bookmarks: Sequence[Bookmark], text: str) -> list[Bookmark]:
    """The bookmarks that match the filter query ``text`` (all of them for an empty one)."""
    query = parse_query(text)
    return [b for b in bookmarks if matches(b, query)] if query else list(bookmarks)


def duplicate_of(bookmarks: Iterable[Bookmark], article_id: str, text: str) -> Bookmark | None:
    """A bookmark already saved for the same passage of the same article, if there is one
    (the passage compared as the notes file stores it: spaces and line endings folded)."""
    wanted = passage_hash(text.replace("\r", "").strip("\n"))
    for bookmark in bookmarks:
        if bookmark.article == article_id and (
            bookmark.passage_hash == wanted or passage_hash(bookmark.text) == wanted
        ):
            return bookmark
    return None
