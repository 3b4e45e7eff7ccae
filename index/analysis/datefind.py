"""Find and resolve the date expressions of one sentence (the patterns are in dateexpr)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from index.analysis.dateexpr import (
    ABSOLUTE,
    HINT,
    HOLIDAYS,
    MONTH3,
    MONTHS,
    NAMED_DAYS,
    PATTERNS,
    WEEKDAYS,
    YEAR4,
    Context,
    add_months,
    after_a_month,
    follows_verb,
    iso,
    looks_ahead,
    nearest,
    week_monday,
    year_cue,
)
from index.models import Precision

MAX_RELATIVE = 2_000  # characters; longer "sentences" are tables or run-on lines
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBERS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10}
_STEP = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}

Found = tuple[int, int, date, Precision]
_MONTH_NAME = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_FOUR = re.compile(r"\d{4}")


def find_dates(
    sentence: str, pub: date | None, context: Context | None = None
) -> list[tuple[int, int, str, Precision]]:
    """Date expressions in one sentence: ``(start, end, date, precision)``, left to right.

    ``context`` holds the dates of the article's earlier sentences (anchors for "a day
    after", "the following month"); it is updated with this sentence's dates. Linear in the
    sentence's length: each pattern scans it once and overlaps are checked on a per-character
    mask. Relative expressions are only read in sentences of at most ``MAX_RELATIVE``
    characters: a run-on line of thousands has no usable tense.
    """
    context = context if context is not None else Context()
    if not HINT.search(sentence):
        return []
    long = len(sentence) > MAX_RELATIVE
    taken = bytearray(len(sentence) + 1)
    matches: list[tuple[int, str, re.Match[str]]] = []
    lower = sentence.lower()
    present = {
        MONTH3: _MONTH_NAME.search(sentence) is not None,
        YEAR4: _FOUR.search(sentence) is not None,
    }
    for kind, pattern, needs in PATTERNS:
        if long and kind not in ABSOLUTE:
            continue
        if not any(present.get(w, w in lower) for w in needs):
            continue  # none of the words this pattern needs: not worth a scan
        for m in pattern.finditer(sentence):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            matches.append((m.start(), kind, m))
    matches.sort(key=lambda item: item[0])
    found: list[Found] = []
    anchors: list[Found] = []  # what offsets count from: not other offsets
    for _, kind, m in matches:
        resolved = _resolve(kind, m, pub, anchors, context)
        if resolved is not None:
            found.append((m.start(), m.end(), *resolved))
            if kind not in ("offset", "following", "ago"):
                anchors.append(found[-1])
    for _, _, day, precision in found:
        context.note(day, precision)
    return [(s, e, iso(day, precision), precision) for s, e, day, precision in found]


def _resolve(
    kind: str, m: re.Match[str], pub: date | None, found: list[Found], ctx: Context
) -> tuple[date, Precision] | None:
    g = m.groupdict()
    try:
        if kind in ABSOLUTE:
            return _absolute(kind, m, g)
        if pub is None:
            return None
        return _relative(kind, m, g, pub, found, ctx)
    except (ValueError, OverflowError):
        return None  # "February 30", or an offset past the calendar's ends


def _absolute(
    kind: str, m: re.Match[str], g: dict[str, str | None]
) -> tuple[date, Precision] | None:
    year = int(g.get("year") or 0)
    if kind == "iso":
        return date(year, int(g["m"] or 0), int(g["d"] or 0)), "day"
    if kind in ("mdy", "dmy"):
        return date(year, _month(g), int(g["day"] or 0)), "day"
    if kind == "my":
        return date(year, _month(g), 1), "month"
    if kind == "season_year":
        return date(year, _SEASONS[(g["season"] or "").lower()], 1), "season"
    if kind == "range" or (kind == "year" and year_cue(m.string, m.start())):
        return date(year, 1, 1), "year"
    return None  # spans, and bare numbers ("at 1800 GMT", "1803 tonnes")


def _relative(
    kind: str,
    m: re.Match[str],
    g: dict[str, str | None],
    pub: date,
    found: list[Found],
    ctx: Context,
) -> tuple[date, Precision] | None:
    if kind in ("ago", "offset", "following"):
        return _offset(kind, m, g, pub, found, ctx)
    ahead = looks_ahead(m.string, m.start(), m.end())
    which = (g.get("which") or "").lower()
    if kind == "my_rel":
        return date(pub.year + _STEP[which], _month(g), 1), "month"
    if kind == "wd_md":
        return _weekday_date(
            _month(g), int(g["day"] or 0), WEEKDAYS[(g["weekday"] or "").lower()], pub, ahead
        )
    if kind == "holiday":
        name = (g["holiday"] or "").lower().removeprefix("the ")
        named = next((d for k, d in NAMED_DAYS.items() if k in name), None)
        if named is not None:
            return named, "day"
        key = next(k for k in HOLIDAYS if k in name)
        day = nearest(*HOLIDAYS[key], pub, ahead)
        return (day, "day") if day else None
    if kind in ("md", "dm"):
        day = nearest(_month(g), int(g["day"] or 0), pub, ahead)
        return (day, "day") if day else None
    if kind == "wd_rel":
        monday = week_monday(pub) + timedelta(weeks=_STEP[which])
        return monday + timedelta(days=WEEKDAYS[(g["weekday"] or "").lower()]), "day"
    if kind in ("rel_wd", "weekday"):
        return _weekday(WEEKDAYS[(g["weekday"] or "").lower()], which, pub, ahead), "day"
    if kind == "day":
        rel = (g["rel"] or "").lower()
        shift = -1 if rel in ("yesterday", "last night") else 1 if rel == "tomorrow" else 0
        return pub + timedelta(days=shift), "day"
    if kind == "unit":
        if m.start() > 0 and m.group()[-1].isupper() is False and m.group().split()[-1].istitle():
            return None  # ABC's "This Week": a title, not a date
        return _unit(which, (g["unit"] or "").lower(), pub)
    if kind == "season":
        text = m.group().lower()
        which = next((w for w in ("last", "this", "next") if w in text.split()), "")
        name = next(s for s in _SEASONS if s in text)
        return _season(_SEASONS[name], which, pub, ahead), "season"
    if kind == "month_and":
        if not after_a_month(m.string, m.start()):
            return None  # "Kim and May" is not a month
        return _month_alone(_month(g), "in", pub, ahead), "month"
    if kind == "month":
        return _month_alone(_month(g), m.group().lower().split()[0], pub, ahead), "month"
    return None


def _month(g: dict[str, str | None]) -> int:
    return MONTHS[(g["month"] or "").lower()]


def _weekday(wanted: int, which: str, pub: date, ahead: bool) -> date:
    back = (pub.weekday() - wanted) % 7
    forward = (wanted - pub.weekday()) % 7
    if which in ("last", "previous"):
        return pub - timedelta(days=back or 7)
    if which in ("next", "coming"):
        return pub + timedelta(days=forward or 7)
    if ahead:
        return pub + timedelta(days=forward)
    # One day of slack, as for yearless dates: a story stamped Friday in New York that says
    # "fired a missile Saturday" from Seoul means the next day, not six days before.
    return pub + timedelta(days=1) if forward == 1 else pub - timedelta(days=back)


def _weekday_date(
    month: int, day: int, weekday: int, pub: date, ahead: bool
) -> tuple[date, Precision] | None:
    """ "Wednesday (Dec 4)": the year near publication in which that day is that weekday.

    The closest such year to publication, looking back up to six years (a list of past
    events names weekdays too) and one ahead.
    """
    candidates = []
    for year in range(pub.year - 6, pub.year + 2):
        try:
            if date(year, month, day).weekday() == weekday:
                candidates.append(date(year, month, day))
        except ValueError:
            continue  # February 29 of a common year
    if not candidates:
        guess = nearest(month, day, pub, ahead)
        return (guess, "day") if guess else None
    return min(candidates, key=lambda d: abs((d - pub).days)), "day"


def _unit(which: str, unit: str, pub: date) -> tuple[date, Precision] | None:
    if which == "past":
        return None  # "over the past week" measures time
    step = _STEP[which]
    if unit == "week":
        return week_monday(pub) + timedelta(weeks=step), "week"
    if unit == "month":
        return add_months(pub, step), "month"
    return date(pub.year + step, 1, 1), "year"


def _season(first: int, which: str, pub: date, ahead: bool) -> date:
    starts = [date(y, first, 1) for y in range(pub.year - 2, pub.year + 2)]
    current = [s for s in starts if s <= pub < add_months(s, 3)]
    if which == "this" or (not which and current):
        return (
            current[0]
            if current
            else min(s for s in starts if s > pub)
            if ahead
            else max(s for s in starts if s <= pub)
        )
    if which == "next" or (not which and ahead):
        return min(s for s in starts if s > pub)
    return max(s for s in starts if add_months(s, 3) <= pub)


def _month_alone(month: int, cue: str, pub: date, ahead: bool) -> date:
    if cue == "last":
        return date(pub.year if month < pub.month else pub.year - 1, month, 1)
    if cue == "next":
        return date(pub.year if month > pub.month else pub.year + 1, month, 1)
    if cue == "this":
        return date(pub.year, month, 1)
    if ahead:
        return date(pub.year if month >= pub.month else pub.year + 1, month, 1)
    return date(pub.year if month <= pub.month else pub.year - 1, month, 1)


def _offset(
    kind: str,
    m: re.Match[str],
    g: dict[str, str | None],
    pub: date,
    found: list[Found],
    ctx: Context,
) -> tuple[date, Precision] | None:
    unit = (g.get("unit") or "").lower()
    if kind == "ago":
        n = _count(g["n"])
        if not n:
            return None
        if unit == "day":
            return pub - timedelta(days=n), "day"
        if unit == "week":
            return week_monday(pub - timedelta(weeks=n)), "week"
        if unit == "month":
            return add_months(pub, -n), "month"
        return date(pub.year - n, 1, 1), "year"
    direction = (g["dir"] or "").lower()
    sign = -1 if direction in ("after", "earlier", "previous", "preceding") else 1
    n = _count(g.get("n")) if kind == "offset" else 1
    if not n:
        return None
    before = [f for f in found if f[1] <= m.start()]
    # "a day later" counts from the story's last date; "a day after X" from a date of its own
    # sentence, or, in "(the launch) came a day after X", from the day the story is about.
    anaphoric = (
        kind == "following"
        or direction in ("later", "earlier")
        or follows_verb(m.string, m.start())
    )
    if not before and not anaphoric:
        return None  # "four days before Thanksgiving": nothing to count from
    if unit in ("day", "week"):
        if before and before[-1][3] != "day":
            return None  # "The May launch, a day after ...": no day to count from
        anchor = before[-1][2] if before else ctx.last_day or pub
        day = anchor + timedelta(days=sign * n * (7 if unit == "week" else 1))
        return (day, "day") if unit == "day" else (week_monday(day), "week")
    if unit == "month":
        fine = [f for f in before if f[3] in ("day", "week", "month")]
        anchor_month = fine[-1][2] if fine else ctx.last_month
        return (add_months(anchor_month, sign * n), "month") if anchor_month else None
    year = before[-1][2].year if before else ctx.last_year
    return (date(year + sign * n, 1, 1), "year") if year else None


def _count(word: str | None) -> int:
    word = (word or "").lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word, 0)
