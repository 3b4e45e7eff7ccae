"""Dated events: the sentences of an article that say when something happened or will happen.

Each date expression of a sentence is read by :func:`index.analysis.datefind.find_dates` (what is
read, and how it is resolved against the publication date, is described in
:mod:`index.analysis.dateexpr`);
a sentence gives one event per distinct date it names. Relative expressions need a
publication date; without one only absolute dates are kept. Sentences are split by
:mod:`index.analysis.sentences` (never after "U.S.", "Gen.", "Feb." and the like), the
splitter the Reader's sentence cursor uses too.

Background repeated across articles ("the 1950-53 Korean War" in twelve stories) is folded
into one row by :func:`group_background`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from index.analysis.dateexpr import MONTH, MONTHS, WEEKDAY, WEEKDAYS, YEAR, Context
from index.analysis.datefind import MAX_RELATIVE, find_dates
from index.analysis.sentences import sentence_spans as split_sentences
from index.models import Article, Event, Mention

__all__ = [
    "extract_events",
    "find_dates",
    "group_background",
    "publication_event",
    "split_sentences",
]

_MAX_DATES_PER_SENTENCE = 12
_MAX_EVENTS_PER_ARTICLE = 2_000
_LONG_CONTEXT = 300  # characters kept each side of a date found in an over-long sentence
# Page furniture, not news: bylines, "Read more: ...", "Copyright © 2017 ...".
_CHROME = re.compile(
    r"^\W*(?:published|updated|posted|read more|continue reading|click|copyright|related)\b",
    re.IGNORECASE,
)


def extract_events(article: Article, mentions: Sequence[Mention]) -> list[Event]:
    """Dated events of ``article``: one per date expression, with its sentence and entities.

    ``mentions`` are offsets into ``article.text`` (as :func:`index.analysis.entities.extract`
    returns them); an event's ``entities`` are the names of the mentions inside its sentence.
    """
    text = article.text
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    events: list[Event] = []
    context = Context()  # earlier sentences' dates: the anchors of "a day after"
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if _CHROME.match(sentence):
            continue  # "PUBLISHED : Wednesday, 25 October, 2017" is the byline, not news
        dates = find_dates(sentence, article.published, context)
        if not dates:
            continue
        seen: set[tuple[str, str]] = set()
        for d_start, d_end, iso, precision in dates:
            if (iso, precision) in seen:
                continue
            seen.add((iso, precision))
            s, e = start, end
            if end - start > MAX_RELATIVE:
                s, e = _window(text, start + d_start, start + d_end, start, end)
            # bisect, not a scan of every mention per sentence: linear in the article's size
            inside = ordered[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]
            names = tuple(dict.fromkeys(m.name for m in inside))
            events.append(Event(iso, precision, "event", article.id, text[s:e], s, e, names))
            if len(seen) >= _MAX_DATES_PER_SENTENCE or len(events) >= _MAX_EVENTS_PER_ARTICLE:
                break
        if len(events) >= _MAX_EVENTS_PER_ARTICLE:
            break  # bounds the work and the catalogue row of one pathological file
    return events


def _window(text: str, d_start: int, d_end: int, lo: int, hi: int) -> tuple[int, int]:
    """A few hundred characters around a date in an over-long sentence, cut at spaces."""
    s = max(lo, d_start - _LONG_CONTEXT)
    e = min(hi, d_end + _LONG_CONTEXT)
    space = text.find(" ", s, d_start)
    s = space + 1 if s > lo and space != -1 else s
    space = text.rfind(" ", d_end, e)
    e = space if e < hi and space != -1 else e
    return s, e


def publication_event(article: Article) -> Event | None:
    """The article's publication as a timeline event, or None when its date is unknown.

    A missing date is inferred, when possible, from a "Wednesday (Dec 4)" in the text and the
    years the text mentions (see :func:`infer_publication_date`); such events are ``inferred``.
    """
    published, inferred = article.published, article.date_inferred
    if published is None:
        published = infer_publication_date(article.text)
        inferred = published is not None
    if published is None:
        return None
    return Event(
        published.isoformat(), "day", "published", article.id, article.title, inferred=inferred
    )


_WEEKDAY_DATE = re.compile(rf"{WEEKDAY},?\s*\(?\s*{MONTH}\s+(?P<day>\d{{1,2}})\b")
_ANY_YEAR = re.compile(rf"(?<!\d){YEAR}(?!\d)")


def infer_publication_date(text: str, horizon: int = 10) -> date | None:
    """A date from "Wednesday (Dec 4)" when the year is missing.

    The year is the first one, from the latest year the text mentions up to ``horizon`` years
    later, in which that day falls on that weekday (news reports events of the recent past).
    """
    m = _WEEKDAY_DATE.search(text)
    years = [int(y) for y in _ANY_YEAR.findall(text)]
    if m is None or not years:
        return None
    wanted = WEEKDAYS[m.group("weekday").lower()]
    month, day = MONTHS[m.group("month").lower()], int(m.group("day"))
    for year in range(max(years), max(years) + horizon + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == wanted:
            return candidate
    return None


BACKGROUND_AGE = timedelta(days=60)  # a date this long before its article is background
BACKGROUND_ARTICLES = 3  # ... and is grouped when at least this many articles mention it


def group_background(events: Sequence[Event]) -> list[Event]:
    """Fold background repeated across articles into one event per date.

    A mention is background when its period ended well before its article was published
    (``BACKGROUND_AGE``): "the 1950-53 Korean War" in a story of 2016. When at least
    ``BACKGROUND_ARTICLES`` articles mention the same date as background, they become one
    event (the earliest article's sentence) whose ``also`` lists the others. Fresh reporting
    of a date stays one event per article. Order is kept; the group takes its first place.
    """
    published = {e.article: e.date for e in events if e.kind == "published"}
    groups: dict[tuple[str, str], list[Event]] = {}
    for e in events:
        if e.kind == "event" and _is_background(e, published.get(e.article)):
            groups.setdefault((e.date, e.precision), []).append(e)
    folded = {
        key: group
        for key, group in groups.items()
        if len({e.article for e in group}) >= BACKGROUND_ARTICLES
    }
    # Membership by identity: `e in group` compared events field by field, group by group,
    # which grew with the square of a date's mentions (the timeline of 19,043 Reuters articles
    # took 11.6 s, of 100,000 articles 91 s).
    members = {id(e) for group in folded.values() for e in group}
    out: list[Event] = []
    placed: set[tuple[str, str]] = set()
    for e in events:
        key = (e.date, e.precision)
        group = folded.get(key)
        if group is None or id(e) not in members:
            out.append(e)
        elif key not in placed:
            placed.add(key)
            first = min(group, key=lambda g: (published.get(g.article, ""), g.article, g.start))
            others = tuple(dict.fromkeys(g.article for g in group if g.article != first.article))
            out.append(replace(first, also=others))
    return out


def _is_background(event: Event, published: str | None) -> bool:
    if published is None:
        return False
    return _period_end(event.date, event.precision) < date.fromisoformat(published) - BACKGROUND_AGE


def _period_end(value: str, precision: str) -> date:
    year = int(value[:4])
    if precision == "year":
        return date(year, 12, 31)
    if precision in ("month", "season"):
        months = 3 if precision == "season" else 1
        index = year * 12 + int(value[5:7]) - 1 + months
        return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)
    day = date.fromisoformat(value)
    return day + timedelta(days=6) if precision == "week" else day
