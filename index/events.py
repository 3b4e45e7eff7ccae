"""Dated events: the sentences of an article that say when something happened or will happen.

Dates are resolved against the article's publication date:

- full dates ("July 31, 2017", "25 October 2017", "2016-11-08") -> day precision;
- a month with a year ("September 2017") -> month; years ("in 2015", "since 2011") -> year,
  and a span "1950-53" -> its first year;
- a month alone ("in September") is the latest such month up to publication, or the next one
  from publication when the sentence looks ahead ("will", "agreed to", "plans to", "is to");
- a weekday ("on Tuesday") is the latest such day up to publication (the same day counts), or
  the next one when the sentence looks ahead ("is to leave Seoul on Thursday");
- "yesterday", "today", "tomorrow" -> day; "last/this/next week" -> the Monday of that week, at
  day precision (a week has no precision of its own; its Monday sorts it correctly on a
  timeline); "last/this/next month" -> month; "last/this/next year" -> year.

Relative expressions need a publication date; without one only absolute dates are kept.
Sentences are split with the stdlib only, never after "U.S.", "Gen.", "Feb." and the like.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Sequence
from datetime import date, timedelta

from index.models import Article, Event, Mention, Precision

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|" \
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"  # fmt: skip
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
# "1800 GMT", "2200 hrs", "from 1800 to 2100 local": clock times, not years.
_ZONE = r"(?:GMT|UTC|[ECMP][SD]T|BST|CET|JST|hrs|hours|local)\b"
_CLOCK = rf"\s*{_ZONE}|\s*(?:to|-|and)\s*\d{{4}}\s*{_ZONE}"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b{_YEAR}-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("mdy", re.compile(rf"\b{_MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? {_YEAR}\b")),
    ("dmy", re.compile(rf"\b(?P<day>\d{{1,2}}) {_MONTH},? {_YEAR}\b")),
    ("my", re.compile(rf"\b{_MONTH},? {_YEAR}\b")),
    ("range", re.compile(rf"\b{_YEAR}[-–](?:\d\d|(?:1[89]|20)\d\d)\b")),
    (
        "year",
        re.compile(rf"(?<![\d,.$£€-]){_YEAR}(?![\d-]|[.,]\d|\s*(?:km|kilomet|%|per)|{_CLOCK})"),
    ),
    ("wd_md", re.compile(rf"\b{_WEEKDAY},? \(?{_MONTH} (?P<day>\d{{1,2}})\)?")),
    (
        "month",
        re.compile(
            rf"\b(?:in|since|by|until|from|early|late|mid|mid-|last|next|this|of)\s+{_MONTH}\b"
            rf"(?!\s+\d)"
        ),
    ),
    ("weekday", re.compile(rf"\b{_WEEKDAY}\b")),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>yesterday|today|tomorrow|(?P<which>last|this|next|previous|coming)\s+"
            r"(?P<unit>week|month|year))\b",
            re.IGNORECASE,
        ),
    ),
]
# What stands before a bare four-digit number that is a year: "in 2015", "since 2011",
# "the 2016 budget", "(2017)", "fiscal 1987", "early 2016", "2015 and 2016".
_YEAR_CUE = re.compile(
    r"(?:\b(?:in|since|of|from|until|till|by|during|before|after|early|late|mid|the|year|"
    r"fiscal|between|and|or|to|through|than|for|around|about|circa|spring|summer|autumn|fall|"
    r"winter|calendar|season|decade|end|beginning)\s+|[(,]\s*|^)$",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|shall|agreed to|agree to|plans? to|planning to|is to|are to|expected to|"
    r"scheduled|set to|is due|are due|would|to be held|intends? to|aims? to)\b",
    re.IGNORECASE,
)
_ABBREVIATION_WORDS = (
    "mr mrs ms dr gen lt col maj capt cmdr adm sgt gov sen rep rev prof st jr sr no vs etc "
    "inc corp co ltd jan feb mar apr jun jul aug sep sept oct nov dec approx est dept"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+|\n+")
_CUE_WINDOW = 40  # longer than any cue word with its spaces ("beginning ", "(  ")
_MAX_RELATIVE = 2_000  # characters; longer "sentences" are tables or run-on lines
_ABSOLUTE = frozenset({"iso", "mdy", "dmy", "my", "range", "year"})
_MAX_DATES_PER_SENTENCE = 12
_MAX_EVENTS_PER_ARTICLE = 2_000
_LONG_CONTEXT = 300  # characters kept each side of a date found in an over-long sentence
_CHROME = re.compile(r"^\s*(?:published|updated|posted)\b", re.IGNORECASE)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text``; paragraph breaks always split."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if "\n" not in m.group() and not _ends_sentence(text, m.start(), m.end()):
            continue
        _add_span(text, start, m.start() + len(m.group().rstrip()), spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    if text[stop] != ".":
        return True
    word = re.search(r"[\w.]*$", text[max(0, stop - 20) : stop])
    before = word.group() if word else ""
    if before.lower() in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", before):
        return False  # "Gen. Chang", "U.S. officials", "Feb. 4"
    return after >= len(text) or not text[after].islower()


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def _iso(day: date, precision: Precision) -> str:
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _resolve(
    kind: str, m: re.Match[str], pub: date | None, ahead: bool
) -> tuple[date, Precision] | None:
    g = m.groupdict()
    try:
        if kind == "iso":
            return date(int(g["year"]), int(g["m"]), int(g["d"])), "day"
        if kind in ("mdy", "dmy"):
            return date(int(g["year"]), _MONTHS[g["month"].lower()], int(g["day"])), "day"
        if kind == "my":
            return date(int(g["year"]), _MONTHS[g["month"].lower()], 1), "month"
        if kind == "year" and not _year_cue(m.string, m.start()):
            return None  # a bare number ("at 1800 GMT", "1803 tonnes") is not a year
        if kind in ("range", "year"):
            return date(int(g["year"]), 1, 1), "year"
    except ValueError:
        return None  # "February 30, 2017"
    if pub is None:
        return None
    if kind == "wd_md":
        return _month_day(pub, _MONTHS[g["month"].lower()], int(g["day"]), ahead)
    if kind == "month":
        month = _MONTHS[g["month"].lower()]
        year = pub.year
        if ahead and month < pub.month:
            year += 1
        elif not ahead and month > pub.month:
            year -= 1
        return date(year, month, 1), "month"
    if kind == "weekday":
        wanted = _WEEKDAYS[g["weekday"].lower()]
        delta = (wanted - pub.weekday()) % 7 if ahead else -((pub.weekday() - wanted) % 7)
        return pub + timedelta(days=delta), "day"
    return _relative(g, pub)


def _month_day(pub: date, month: int, day: int, ahead: bool) -> tuple[date, Precision] | None:
    try:
        guess = date(pub.year, month, day)
    except ValueError:
        return None
    if not ahead and guess > pub + timedelta(days=7):
        guess = guess.replace(year=pub.year - 1)
    return guess, "day"


def _relative(g: dict[str, str | None], pub: date) -> tuple[date, Precision]:
    rel = (g["rel"] or "").lower()
    if rel in ("yesterday", "today", "tomorrow"):
        return pub + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[rel]), "day"
    which = (g["which"] or "").lower()
    step = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
    unit = (g["unit"] or "").lower()
    if unit == "year":
        return date(pub.year + step, 1, 1), "year"
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 + step
        return date(index // 12, index % 12 + 1, 1), "month"
    monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=step)
    return monday, "day"


def _year_cue(text: str, start: int) -> bool:
    """Whether the words just before ``start`` make the number there a year ("in 2015").

    Only a short window is read: searching the whole prefix for every number made sentences
    with many numbers quadratic (issue 11).
    """
    lo = max(0, start - _CUE_WINDOW)
    cue = _YEAR_CUE.search(text[lo:start])
    # "^" of the window is the sentence start only when the window is the whole prefix.
    return cue is not None and (lo == 0 or cue.start() < cue.end())


def find_dates(sentence: str, pub: date | None) -> list[tuple[int, int, str, Precision]]:
    """Date expressions in one sentence: ``(start, end, date, precision)``, left to right.

    Linear in the sentence's length: each pattern scans it once, and overlap with an earlier,
    stronger match is checked against a per-character mask, not against every earlier match.
    Relative expressions are only read in sentences of at most ``_MAX_RELATIVE`` characters.
    """
    long = len(sentence) > _MAX_RELATIVE
    ahead = not long and bool(_FUTURE.search(sentence))
    taken = bytearray(len(sentence) + 1)
    found: list[tuple[int, int, str, Precision]] = []
    for kind, pattern in _PATTERNS:
        if long and kind not in _ABSOLUTE:
            continue  # a run-on "sentence" of thousands of characters has no usable tense
        for m in pattern.finditer(sentence):
            if any(taken[m.start() : m.end()]):
                continue
            resolved = _resolve(kind, m, pub, ahead)
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            if resolved is not None:
                found.append((m.start(), m.end(), _iso(*resolved), resolved[1]))
    found.sort()
    return found


def extract_events(article: Article, mentions: Sequence[Mention]) -> list[Event]:
    """Dated events of ``article``: one per date expression, with its sentence and entities.

    ``mentions`` are offsets into ``article.text`` (as :func:`index.entities.extract` returns
    them); an event's ``entities`` are the names of the mentions inside its sentence.
    """
    text = article.text
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    events: list[Event] = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if _CHROME.match(sentence):
            continue  # "PUBLISHED : Wednesday, 25 October, 2017" is the byline, not news
        dates = find_dates(sentence, article.published)
        if not dates:
            continue
        seen: set[str] = set()
        for d_start, d_end, iso, precision in dates:
            if iso in seen:
                continue
            seen.add(iso)
            s, e = start, end
            if end - start > _MAX_RELATIVE:
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


_WEEKDAY_DATE = re.compile(rf"{_WEEKDAY},?\s*\(?\s*{_MONTH}\s+(?P<day>\d{{1,2}})\b")
_ANY_YEAR = re.compile(rf"(?<!\d){_YEAR}(?!\d)")


def infer_publication_date(text: str, horizon: int = 10) -> date | None:
    """A date from "Wednesday (Dec 4)" when the year is missing.

    The year is the first one, from the latest year the text mentions up to ``horizon`` years
    later, in which that day falls on that weekday (news reports events of the recent past).
    """
    m = _WEEKDAY_DATE.search(text)
    years = [int(y) for y in _ANY_YEAR.findall(text)]
    if m is None or not years:
        return None
    wanted = _WEEKDAYS[m.group("weekday").lower()]
    month, day = _MONTHS[m.group("month").lower()], int(m.group("day"))
    for year in range(max(years), max(years) + horizon + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == wanted:
            return candidate
    return None
