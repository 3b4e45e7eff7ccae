"""Why a search found nothing or little, and the way out.

A search that answers "no matches" leaves the user guessing whether the words are wrong, the
corpus lacks them, or every word had to match. :class:`Advice` says which: the words that match
nothing (with what the index has that is close, "did you mean"), how many articles each word
finds alone when all of them found few together, and how many have any of the words, which the
app offers as a one-key retry and the command line as ``--any``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from index.search import query
from index.search import querytree as qt
from index.search.fuzzysearch import WordPlan, to_query

FEW = 10  # below this many results, say how many each word finds and offer "any word"


class SearchLibrary(Protocol):
    """What advice needs from :class:`index.library.Library`."""

    def count(self, parsed: qt.Query) -> int: ...

    def suggest(self, word: str) -> list[str]: ...

    def fuzzy_plan(self, text: str) -> list[WordPlan]: ...


@dataclass(frozen=True)
class Advice:
    """What to tell the user about a search's results.

    ``lines``: sentences to show; ``any_count``: articles with any of the words, when that is
    more than the search found (the relaxed retry is worth offering), else None.
    """

    lines: tuple[str, ...]
    any_count: int | None = None

    def text(self) -> str:
        """The advice on one line."""
        return "; ".join(self.lines)


def quote(word: str) -> str:
    return f"“{word}”"


def unmatched_line(word: str, suggestions: Sequence[str]) -> str:
    """``“seongjoo” matches no word in these articles (did you mean seongju?)``."""
    line = f"{quote(word)} matches no word in these articles"
    if suggestions:
        line += f" (did you mean {' or '.join(suggestions)}?)"
    return line


def advise(
    words: Sequence[str],
    unmatched: Sequence[str],
    excluded: Sequence[str],
    shown: int,
    count_word: Callable[[str], int],
    count_any: Callable[[], int],
    suggest: Callable[[str], list[str]],
    count_wanted: Callable[[], int] = lambda: 0,
) -> Advice | None:
    """Advice for a search of ``words`` (all required; ``excluded`` words must be absent) that
    found ``shown`` articles. ``unmatched`` are the words that match nothing in the index;
    ``count_wanted`` counts the articles with all the words, exclusions aside."""
    lines = [unmatched_line(w, suggest(w)) for w in unmatched]
    if words and excluded and not shown and not unmatched:
        wanted = count_wanted()
        if wanted:
            having = "all the words" if len(words) > 1 else quote(words[0])
            lines.append(
                f"the {wanted} articles with {having} also have "
                f"{' or '.join(quote(w) for w in excluded)}, which you left out"
            )
    if not words and excluded:
        lines.append(
            "nothing to look for, only words to leave out: showing every article without "
            + ", ".join(quote(w) for w in excluded)
        )
    any_count = None
    if len(words) > 1 and shown < FEW:
        counts = [(w, count_word(w)) for w in words]
        total = count_any()
        if total > shown:
            any_count = total
            each = ", ".join(f"{quote(w)} {n}" for w, n in counts)
            lines.append(
                f"{shown} with all {len(words)} words ({each} alone); {total} with any of them"
            )
    if not lines:
        return None
    return Advice(tuple(lines), any_count)


def _label(q: qt.Query) -> str:
    """The words of a query part as typed, for telling the user about it: lowercased as the
    entity field has them, a phrase of one field in quotes."""
    for leaf in qt.leaves(q):
        if isinstance(leaf, qt.Phrase):
            words = " ".join(leaf.text.lower().split())
            return words if leaf.field is None else f"“{words}”"
        if isinstance(leaf, (qt.Term, qt.Prefix, qt.Wildcard, qt.Fuzzy)):
            return leaf.text.lower()
        if isinstance(leaf, qt.DateRange):
            start, end = (f"{d:%Y-%m-%d}" if d else "" for d in (leaf.start, leaf.end))
            return f"published:[{start} to {end}]".replace("[ to", "[to")
    return str(q)


def _single_word(q: qt.Query) -> bool:
    """A part that is one typed word (alone, or any of several): "did you mean" applies."""
    return isinstance(q, qt.Term) or (
        isinstance(q, qt.Or) and all(isinstance(p, qt.Term) for p in q.parts)
    )


def for_fulltext(library: SearchLibrary, text: str, shown: int) -> Advice | None:
    """Advice for a full-text query that found ``shown`` articles."""
    parsed = query.parse(text)
    if isinstance(parsed, qt.AndNot) and isinstance(parsed.positive, qt.MatchAll):
        excluded = [_label(parsed.negative)]
        return advise([], [], excluded, shown, lambda _word: 0, lambda: 0, library.suggest)
    every = list(parsed.parts) if isinstance(parsed, qt.And) else [parsed]
    excluded = [_label(p.part) for p in every if isinstance(p, qt.Not)]
    parts = [p for p in every if not isinstance(p, qt.Not)]
    labels = {_label(p): p for p in parts}
    unmatched = [
        label
        for label, part in labels.items()
        if _single_word(part) and " " not in label and library.count(part) == 0
    ]
    return advise(
        list(labels),
        unmatched,
        excluded,
        shown,
        lambda label: library.count(labels[label]),
        lambda: library.count(qt.Or(tuple(parts))),
        library.suggest,
        lambda: library.count(qt.And(tuple(parts))),
    )


def for_fuzzy(library: SearchLibrary, text: str, shown: int) -> Advice | None:
    """Advice for a plain-word (typo-tolerant) search that found ``shown`` articles."""
    plans = library.fuzzy_plan(text)
    wanted = [p for p in plans if p.sign != "-"]
    by_word = {p.word: p for p in wanted}
    # "moon jaein" matched as one name (Moon Jae-in): its words are not separate conditions,
    # and the articles with just "moon" are not what was missed
    one_name = len(wanted) > 1 and bool(set.intersection(*(p.names() for p in wanted)))
    return advise(
        [] if one_name else list(by_word),
        [p.word for p in wanted if not p.matched],
        [p.word for p in plans if p.sign == "-"],
        shown,
        lambda word: library.count(to_query([by_word[word]])),
        lambda: library.count(to_query(wanted, any_word=True)),
        library.suggest,
        lambda: library.count(to_query(wanted)),
    )
