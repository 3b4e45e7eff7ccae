"""``thaad-tui search --saved NAME``: run a search saved in the app, with its filters and sort.

The saved search is read from ``searches.yaml`` in the data folder (see
:mod:`index.session.saved`); the results are printed as ``thaad-tui search`` prints them, and
a search with no query lists the articles its filters keep.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from types import ModuleType

from index.ingest.textclean import visible
from index.library import QueryError
from index.models import ArticleInfo
from index.search.query import is_fulltext
from index.session.saved import SavedSearch, SavedSearchError, find_saved, saved_path

WIDE = 1000  # results fetched before the filters narrow them to --limit


def _sort_key(sort: str, info: ArticleInfo) -> tuple[object, ...]:
    if sort == "outlet":
        return ((info.outlet or "~").lower(), info.published or date.max)
    if sort == "title":
        return (info.title.lower(),)
    return (info.published is None, info.published or date.max)


def _in_period(info: ArticleInfo, period: str) -> bool:
    return info.published is not None and info.published.isoformat().startswith(period)


def cmd_saved(args: argparse.Namespace) -> int:
    from tui import cli

    settings = cli._settings(args)
    try:
        search = find_saved(saved_path(settings.data_dir), args.saved)
    except SavedSearchError as exc:
        raise cli.CliError(str(exc)) from None
    library = cli._library(args, settings)
    cli._progress_update(library)
    infos = {i.id: i for i in library.articles()}
    allowed = set(infos)
    if search.entity:
        allowed &= set(library.articles_with_entity(search.entity))
    if search.period:
        allowed = {a for a in allowed if _in_period(infos[a], search.period)}
    _describe(search)
    if not search.query:
        listed = sorted((infos[a] for a in allowed), key=lambda i: _sort_key(search.sort, i))
        if search.descending:
            listed.reverse()
        for info in listed[: args.limit]:
            _row(cli, args, info, None, None)
        return 0
    try:
        if is_fulltext(search.query):
            hits = library.search(search.query, limit=WIDE)
        else:
            hits = library.fuzzy(search.query, limit=WIDE)
    except QueryError as exc:
        raise cli.CliError(f"bad query in saved search {search.name!r}: {exc}") from exc
    hits = [h for h in hits if h.id in allowed]
    if search.sort != "relevance":
        hits.sort(key=lambda h: _sort_key(search.sort, infos[h.id]))
    if search.descending:
        hits.reverse()
    for hit in hits[: args.limit]:
        _row(cli, args, infos[hit.id], hit.score, hit.snippet)
    if not hits and not args.json:
        cli._out("no matches")
    return 0


def _describe(search: SavedSearch) -> None:
    """What ran, on stderr (stdout keeps one result a line)."""
    parts = [f"query {search.query!r}" if search.query else "no query"]
    if search.entity:
        parts.append(f"entity {search.entity!r}")
    if search.period:
        parts.append(f"period {search.period}")
    order = f"sorted by {search.sort}{', descending' if search.descending else ''}"
    sys.stderr.write(
        f"thaad-tui: saved search {visible(search.name)!r}: {', '.join(parts)}; {order}\n"
    )


def _row(
    cli: ModuleType,
    args: argparse.Namespace,
    info: ArticleInfo,
    score: float | None,
    snippet: str | None,
) -> None:
    day = info.published.isoformat() if info.published else None
    if args.json:
        cli._emit(
            {
                "id": info.id,
                "title": info.title,
                "outlet": info.outlet,
                "published": day,
                "score": score,
                "snippet": snippet,
                "url": info.url,
            }
        )
        return
    lead = f"{score:8.2f}" if score is not None else f"{day or 'undated':>10}"
    cli._out(f"{lead}  {info.id}  {visible(info.title)}  ({visible(info.outlet or '—')})")
    if snippet:
        cli._out(f"          {visible(snippet)}")
