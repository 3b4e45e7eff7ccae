"""Date expressions in one sentence, resolved against the publication date.

What is read, and at which precision (``Precision``):

- full dates ("July 31, 2017", "25 October 2017", "2016-11-08") -> day; a month with a year
  ("September 2017", "May last year") -> month; "spring 2016" -> season; years ("in 2015",
  "early 2016", "by the end of 2017") -> year; a span "1950-53" -> its first year;
- yearless dates ("on Dec. 25", "March 6", "Wednesday (Dec 4)"), weekdays ("on Friday",
  "last Tuesday", "Wednesday last week"), "yesterday", "today", "tomorrow" -> day;
- "last/this/next week", "a week ago" -> week (the Monday of that week; weeks are read the
  American way, so "last week" in a Sunday paper is the week that just ended);
- months alone ("in January", "early May", "The May launch"), "this/last/next month",
  "a month ago" -> month; seasons ("last summer", "in the spring") -> season;
- "this/last/next year", "earlier this year" -> year;
- offsets from the story's own dates: "a day after", "two days later", "the following month";
- fixed holidays ("July Fourth", "Christmas Day") -> day; "the Sept. 11 attacks" -> 2001-09-11.

A yearless date, weekday, month or season is resolved with the tense of its own clause: the
nearest tense marker ("said", "will", "plans to", "ahead of") before it in the same clause, else
the nearest after it, past when there is none. In the past, the day after publication still
counts (stories are often stamped the day before the place they report from). Spans and
measures ("since 2006", "between 2021 and 2035", "until March") and years in passing ("a 2015
report", "the 1912 birth", "the 1970s") are not dates of events.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from index.models import Precision

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
# Fixed-date holidays written as names: (month, day).
HOLIDAYS = {"july": (7, 4), "independence": (7, 4), "christmas day": (12, 25)}
HOLIDAYS |= {"christmas eve": (12, 24), "new year's day": (1, 1), "new year's eve": (12, 31)}
# Named events of a known day: "the Sept. 11 attacks" is 2001, whenever the story is from.
NAMED_DAYS = {"11": date(2001, 9, 11)}

MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|" \
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"  # fmt: skip
YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WHICH = r"(?P<which>last|this|next|previous|coming|past)"
_EDGE = r"(?:(?:earlier|later|early|late|mid-?|the\s+(?:end|start|beginning|middle)\s+of)\s+)?"
_N = r"(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_SEASON = r"(?P<season>spring|summer|autumn|winter)"
# "1800 GMT", "from 1800 to 2100 local": clock times, not years.
_ZONE = r"(?:GMT|UTC|[ECMP][SD]T|BST|CET|JST|KST|hrs|hours|local)\b"
_NOT_YEAR_AFTER = (
    rf"(?![\d-]|[.,]\d|s\b|'s\b|\s*(?:km|kilomet|%|per|{_ZONE})"
    rf"|\s*(?:to|-|and)\s*\d{{4}}\s*{_ZONE})"
)
_SPAN = r"(?i:since|until|till|through|before|between|from)"
_ANY_YEAR = r"(?:1[89]|20)\d\d"
_EDGE_I = rf"(?i:{_EDGE})"
_POINT = (  # a date without named groups, for spans: "between Sunday and February 14"
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{1,2})?"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:1[89]|20)\d\d)"
)
_DAY_WORDS = r"yesterday|today|tomorrow|tonight|last night|this (?:morning|afternoon|evening)"
_SEASON_ANY = r"(?P<season>spring|summer|autumn|fall|winter)"
_SEASON_CUE = r"(?P<which>last|this|next|in the|in|during the|by the|the)"
_MONTH_CUE = r"(?i:in|by|from|of|the|during|last|next|this|early|late|mid-?|end of)"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _cs(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)  # case matters: "May" the month, "may" the verb


# Strongest first: a later pattern never matches text an earlier one took. The third item lists
# words one of which the sentence must hold for the pattern to be tried at all (a cheap test
# that halves the time spent on a sentence); MONTH3 and YEAR4 stand for a month name and a
# four-digit number.
MONTH3 = "<month>"
YEAR4 = "<year>"
PATTERNS: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    (
        "span",
        _c(rf"\bbetween\s+(?:{MONTH}\s+)?{YEAR}\s+and\s+(?:\w+\s+)?{_ANY_YEAR}\b"),
        ("between",),
    ),
    (
        "span",
        _cs(rf"\b(?i:between)\s+{_POINT}(?:,?\s+{_ANY_YEAR})?\s+and\s+{_POINT}"),
        ("between",),
    ),
    ("span", _c(rf"\bfrom\s+{YEAR}\s+(?:to|until|through|till)\s+{_ANY_YEAR}\b"), ("from",)),
    ("iso", _cs(rf"\b{YEAR}-(?P<m>\d\d)-(?P<d>\d\d)\b"), (YEAR4,)),
    ("mdy", _cs(rf"\b{_EDGE_I}{MONTH} {_DAY},? {YEAR}\b"), (MONTH3,)),
    ("dmy", _cs(rf"\b{_DAY} {MONTH},? {YEAR}\b"), (MONTH3,)),
    (
        "span",
        _cs(rf"\b{_SPAN}\s+(?:the\s+)?(?:{_EDGE_I}{MONTH}\s+(?:of\s+)?)?{YEAR}\b(?![-–]\d)"),
        ("since", "until", "till", "through", "before", "between", "from"),
    ),
    ("my", _cs(rf"\b{_EDGE_I}{MONTH},? (?:of )?{YEAR}\b"), (MONTH3,)),
    (
        "my_rel",
        _cs(rf"\b{_EDGE_I}{MONTH},? (?i:of )?(?i:(?P<which>last|this|next) year)\b"),
        (MONTH3,),
    ),
    (
        "season_year",
        _c(rf"\b{_EDGE}(?:the\s+)?{_SEASON_ANY},?\s+(?:of\s+)?{YEAR}\b"),
        ("spring", "summer", "autumn", "fall", "winter"),
    ),
    ("range", _cs(rf"\b{YEAR}[-–](?:\d\d|{_ANY_YEAR})\b(?!\s*{_ZONE})"), (YEAR4,)),
    (
        "holiday",
        _cs(
            r"\b(?P<holiday>(?:the )?Fourth of July|July (?:Fourth|4th)|Christmas (?:Day|Eve)|"
            r"New Year's (?:Day|Eve)|Independence Day|(?:Sept?\.?|September) 11(?:th)?,? "
            r"(?:terror(?:ist)? )?attacks?|9/11)\b"
        ),
        ("july", "christmas", "new year", "independence", "11"),
    ),
    ("wd_md", _cs(rf"\b{WEEKDAY},? \(?{MONTH} {_DAY}\)?"), (MONTH3,)),
    (
        "span",
        _cs(rf"\b{_SPAN}\s+(?:{_EDGE_I}{MONTH}(?:\s+{_DAY})?\b|{WEEKDAY}\b)"),
        ("since", "until", "till", "through", "before", "between", "from"),
    ),
    ("md", _cs(rf"\b{MONTH} {_DAY}\b(?!\d|,? {_ANY_YEAR}|\s*(?:%|percent))"), (MONTH3,)),
    ("dm", _cs(rf"\b{_DAY} {MONTH}\b(?!,? {_ANY_YEAR})"), (MONTH3,)),
    ("wd_rel", _cs(rf"\b{WEEKDAY},?\s+(?i:(?:of\s+)?(?P<which>last|this|next) week)\b"), ("week",)),
    ("rel_wd", _cs(rf"\b(?i:(?P<which>last|this|next|previous|coming))\s+{WEEKDAY}\b"), ("day",)),
    (
        "day",
        _c(rf"\b(?P<rel>{_DAY_WORDS})\b"),
        ("yesterday", "today", "tomorrow", "tonight", "night", "morning", "afternoon", "evening"),
    ),
    ("ago", _c(rf"\b{_N}\s+(?P<unit>day|week|month|year)s?\s+ago\b"), ("ago",)),
    (
        "span",  # "until about 20 days before the congress" measures time
        _c(
            rf"\b(?:until|till|since|for|within|up to)\s+(?:about\s+|some\s+)?{_N}\s+"
            r"(?:day|week|month)s?\s+(?:after|before|later|earlier)\b"
        ),
        ("until", "till", "since", "for", "within", "up to"),
    ),
    (
        "offset",
        _c(rf"\b{_N}\s+(?P<unit>day|week|month)s?\s+(?P<dir>after|before|later|earlier)\b"),
        ("after", "before", "later", "earlier"),
    ),
    (
        "following",
        _c(r"\bthe\s+(?P<dir>following|next|previous|preceding)\s+(?P<unit>day|week|month|year)\b"),
        ("following", "next", "previous", "preceding"),
    ),
    (
        "unit",
        _c(rf"\b{_EDGE}{_WHICH}\s+(?:fiscal\s+|calendar\s+)?(?P<unit>week|month|year)\b"),
        ("week", "month", "year"),
    ),
    (
        "season",
        _c(rf"\b{_EDGE}{_SEASON_CUE}\s+{_SEASON}\b"),
        ("spring", "summer", "autumn", "fall", "winter"),
    ),
    ("season", _c(r"\b(?:last|this|next|in the|by the) (?P<season>fall)\b"), ("fall",)),
    ("month", _cs(rf"\b(?:{_MONTH_CUE}\s+{_EDGE_I}|(?i:mid-)){MONTH}(?!\s+\d)\b"), (MONTH3,)),
    ("month", _cs(rf"\b{MONTH}(?=['’]s\b)"), (MONTH3,)),
    # the second month of "in June and July", "in October or November"
    ("month_and", _cs(rf"(?:(?<=\band )|(?<=\bor )){MONTH}(?!\s+\d)\b"), (MONTH3,)),
    ("weekday", _cs(rf"\b{WEEKDAY}\b"), ("day",)),
    ("year", _cs(rf"(?<![\d,.$£€-]){YEAR}{_NOT_YEAR_AFTER}"), (YEAR4,)),
]
# Every pattern above needs one of these words: a sentence without any is skipped at once.
HINT = re.compile(
    r"\d{4}|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|day\b|days\b|night\b|"
    r"\b(?:week|month|year|spring|summer|autumn|fall|winter|morning|afternoon|evening)",
    re.IGNORECASE,
)
ABSOLUTE = frozenset({"span", "iso", "mdy", "dmy", "my", "season_year", "range", "year"})

# The words before a bare four-digit number that make it a year: "in 2015", "early 2016",
# "(2017)", "2015 and 2016". Determiners ("a 2015 report", "the 1912 birth") are years in
# passing; "since", "until" (spans) are taken by the span patterns first.
YEAR_CUE = re.compile(
    r"(?:\b(?:in|of|by|for|during|after|early|late|mid|year|fiscal|and|or|to|around|about|circa|"
    r"spring|summer|autumn|fall|winter|calendar|end|beginning|start|middle)\s+|[(,]\s*|^)$",
    re.IGNORECASE,
)
CUE_WINDOW = 40  # longer than any cue word with its spaces

# Tense markers. Future ones come first so that "agreed to" is future, not a past "-ed".
_TENSE = re.compile(
    # "will be held": the future takes its verb group, so "held" is not read as a past
    r"\b(?P<future>(?:will|shall|won't|(?:is|are) (?:set |expected |due |scheduled )?to)"
    r"(?: not)?(?: be| have)?(?: \w+)?|going to|plans?(?:ned)? to|planning to|"
    r"(?:was|were) to|expected|scheduled|slated|set to|due (?:to|on|in)|intends? to|"
    r"aims? to|agreed to|agrees? to|prepares? (?:to|for)|preparing (?:to|for)|to be held|"
    r"ahead of|upcoming|brac(?:e|es|ing) for|"
    r"next|later this|(?-i:may|might))\b"
    r"|\b(?P<past>said|told|was|were|had|did|has been|have been|ago|earlier|previously|last|"
    r"came|began|took|met|held|fell|rose|left|made|gave|sent|won|lost|\w{3,}ed)\b",
    re.IGNORECASE,
)
# A date's clause ends at these: "said on Friday that THAAD will be used" has two clauses.
_CLAUSE = re.compile(r"[;:()\"“”—]|\s-\s|,\s|\b(?:that|which|who|while|but|when|whereas)\b")


@dataclass
class Context:
    """What earlier sentences of the article dated: the anchors of "a day after" and the like."""

    last_day: date | None = None
    last_month: date | None = None
    last_year: int | None = None

    def note(self, day: date, precision: Precision) -> None:
        """Remember a resolved date as an anchor for later offsets."""
        if precision == "day":
            self.last_day = day
        if precision in ("day", "week", "month"):
            self.last_month = day.replace(day=1)
        if precision != "year" or self.last_year is None:
            self.last_year = day.year


def iso(day: date, precision: Precision) -> str:
    """The date string of a resolved expression (see :class:`index.models.Event`)."""
    if precision == "year":
        return f"{day.year:04d}"
    if precision in ("month", "season"):
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def week_monday(day: date) -> date:
    """The Monday of the week holding ``day``, weeks running Sunday to Saturday."""
    sunday = day - timedelta(days=day.isoweekday() % 7)
    return sunday + timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def looks_ahead(sentence: str, start: int, end: int) -> bool:
    """Whether the clause around ``sentence[start:end]`` speaks of the future.

    The nearest tense marker of the clause decides (one before the date wins a tie); with no
    marker the clause is read as past, as news mostly is.
    """
    lo = max(0, start - 120)
    hi = min(len(sentence), end + 120)
    for b in _CLAUSE.finditer(sentence, lo, start):
        lo = b.end()
    after = _CLAUSE.search(sentence, end, hi)
    hi = after.start() if after else hi
    # The verb before the date governs it ("notified on Tuesday of its plan to launch");
    # a date opening its clause ("On Friday, China offered") takes the verb after it.
    before: tuple[int, bool] | None = None
    after_it: tuple[int, bool] | None = None
    for m in _TENSE.finditer(sentence, lo, hi):
        if start <= m.start() < end:
            continue  # "last" in "last week" is the date itself
        future = m.group("future") is not None
        if m.end() <= start:
            before = (start - m.end(), future)
        elif after_it is None:
            after_it = (m.start() - end, future)
    best = before or after_it
    return best is not None and best[1]


def year_cue(text: str, start: int) -> bool:
    """Whether the words just before ``start`` make the number there a year ("in 2015").

    Only a short window is read: searching the whole prefix made long sentences quadratic.
    """
    lo = max(0, start - CUE_WINDOW)
    cue = YEAR_CUE.search(text[lo:start])
    # "^" of the window is the sentence start only when the window is the whole prefix.
    return cue is not None and (lo == 0 or cue.start() < cue.end())


_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?,?\s+(?:and|or)\s+$"
)


def after_a_month(sentence: str, start: int) -> bool:
    """Whether ``sentence[start:]`` follows "June and " (the second month of a pair)."""
    return _MONTH_BEFORE.search(sentence, max(0, start - 20), start) is not None


_COMES = re.compile(
    r"\b(?:comes?|came|coming|follows?|followed)\s+(?:just\s+|only\s+)?"
    r"(?:\w+\s+(?:day|week|month)s?\s+after\b[^;]{0,150}?\band\s+)?$",
    re.IGNORECASE,
)


def follows_verb(sentence: str, start: int) -> bool:
    """Whether the offset at ``start`` reads "(the launch) came a day after ...".

    Only then does "a day after X" count from the day the story is about (an earlier
    sentence's date) rather than from a date in its own sentence.
    """
    return _COMES.search(sentence, max(0, start - 200), start) is not None


def nearest(month: int, day: int, pub: date, ahead: bool) -> date | None:
    """A yearless month and day: the latest one up to publication, or the next one after it.

    Two days of slack in the past: a story is often stamped the day before the place it
    reports from has reached that date.
    """
    guesses = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            guesses.append(date(year, month, day))
        except ValueError:
            continue  # February 29
    coming = min((g for g in guesses if g >= pub), default=None)
    past = max((g for g in guesses if g <= pub + timedelta(days=2)), default=None)
    if ahead or past is None:
        return coming
    # "the April 15 report" in a paper of April 12: a date almost a year back would have been
    # written with its year; a date days away is the one meant, whatever the verb.
    if coming is not None and (coming - pub).days <= 14 and (pub - past).days > 180:
        return coming
    return past
