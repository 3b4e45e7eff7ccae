"""The rows of articles and entities as both catalogues store them (SQLite and PostgreSQL):
one order of columns, one JSON form of paragraphs, mentions, events and entity lists. What
differs by dialect is passed in: how a file name is stored, and whether dates and flags are
native values or text and 0/1. The SQL that writes them stays with each dialect."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from index.models import Entity, Event
from index.store.base import Analysed, PerArticle


def article_row(item: Analysed, name: Callable[[str], Any], native: bool) -> tuple[Any, ...]:
    """The ``articles`` row of ``item``: file names through ``name``; with ``native`` the date
    and the inferred flag as ``date`` and ``bool`` (PostgreSQL), else ISO text and 0/1
    (SQLite)."""
    from index.ingest.corpus import text_key  # the ingest package: only when writing

    a = item.article
    if native:
        published: object = a.published
        inferred: object = bool(a.date_inferred)
    else:
        published = a.published.isoformat() if a.published else None
        inferred = int(a.date_inferred)
    return (
        a.id,
        name(item.root),
        name(a.source),
        a.line,
        a.title,
        a.outlet,
        a.author,
        published,
        inferred,
        a.section,
        a.standfirst,
        a.url,
        json.dumps(list(a.editorial)),
        a.words,
        json.dumps(list(a.paragraphs), ensure_ascii=False),
        json.dumps([[m.start, m.end, m.type, m.name] for m in item.mentions], ensure_ascii=False),
        json.dumps([event_row(e) for e in item.events], ensure_ascii=False),
        text_key(a.paragraphs),
    )


def event_row(e: Event) -> list[Any]:
    """An event as the JSON list stored in an article's ``events`` column."""
    return [
        *(e.date, e.precision, e.kind, e.article, e.text, e.start, e.end),
        *(list(e.entities), e.inferred),
    ]


def event_from_row(row: list[Any]) -> Event:
    """The event one :func:`event_row` list stands for."""
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], row[6], tuple(row[7]), row[8])


def entity_row(e: Entity) -> tuple[Any, ...]:
    """The ``entities`` row of ``e``: aliases and articles as JSON lists."""
    return (e.name, e.type, json.dumps(e.aliases), json.dumps(e.articles), e.mentions)


def article_entity_rows(per_article: PerArticle) -> list[tuple[str, str, str, int]]:
    """The ``article_entities`` rows: (article, entity name, type, mentions in the article)."""
    return [
        (article, name, kind, n)
        for article, counts in per_article.items()
        for name, (kind, n) in counts.items()
    ]
