"""When is one word a typo of another: the rules every typo-tolerant search shares.

A word matches a typo of itself, not any word that shares letters with it:

- the cost of a typo is the Damerau (OSA) edit distance, but a doubled letter typed once
  ("thad"/"thaad", "lote"/"lotte", "tilerson"/"tillerson") costs half an edit, being the
  commonest slip, and a letter typed twice ("seongjoo"/"seongju") three quarters;
- the first letter must be right (or swapped with the second);
- how many edits a word may take grows with its length (:func:`max_cost`): none below four
  letters, where one edit turns a word into another word;
- only the closest candidates count: if the word itself is in the vocabulary, only it matches;
- function words ("that", "had", "than") are never the target of a typo: they would match
  nearly every article and say nothing about it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

_FUNCTION_TEXT = """a about above after again against all also am an and any are as at be
    because been before
    being below between both but by could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours out over own
    said same say says she should so some such than that the their theirs them then there these
    they this those through to too under until up upon very was we were what when where which
    while who whom why with would you your yours"""
FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())
# ... and as the index stores them ("was" -> "wa", "this" -> "thi"): the Porter stems the
# Whoosh analyzer gives them (tests/test_query_tree.py checks the list against it)
STEMMED_FUNCTION_WORDS = frozenset(
    [
        "abov",
        "ani",
        "ar",
        "becaus",
        "befor",
        "doe",
        "dure",
        "ha",
        "hi",
        "onc",
        "onli",
        "sai",
        "thei",
        "thi",
        "veri",
        "wa",
    ]
)
FUNCTION_FORMS = FUNCTION_WORDS | STEMMED_FUNCTION_WORDS

# Stemming cuts these off; a typo can hide the suffix from the stemmer ("jinpng" is not
# stemmed to "jinp" as "jinping" is), so a stem is also compared with each of them added back.
SUFFIXES = ("", "e", "s", "es", "ed", "ing", "y", "ion", "ions", "er", "ers", "ment", "ly", "al")


_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def squeeze(word: str) -> str:
    """``word`` with each run of one letter written once ("thaad" -> "thad")."""
    # cached: a typo look-up squeezes the same vocabulary words on every keystroke
    return _RUNS.sub(r"\1", word)


def typo_cost(typed: str, word: str) -> float:
    """Edits from ``typed`` to ``word``; a doubled letter the typing missed counts half an
    edit, one it added three quarters (0 = the same word): "missle" is nearer "missile" than
    "misl", "seongjoo" nearer "seongju" than "seongmook"."""
    if typed == word:
        return 0.0
    plain = float(OSA.distance(typed, word))
    if plain <= 0.5:
        return plain
    doubling = 0.5 if len(word) >= len(typed) else 0.75
    return min(plain, OSA.distance(squeeze(typed), squeeze(word)) + doubling)


def stem_cost(typed: str, typed_stem: str, stem: str) -> float:
    """Cost from a typed word to an indexed (stemmed) word: its stem, or the stem with one of
    the suffixes stemming removes put back, whichever is closer."""
    best = typo_cost(typed_stem, stem)
    if best == 0:
        return 0.0
    for suffix in SUFFIXES:
        cost = typo_cost(typed, stem + suffix)
        # Exactly the stem plus a suffix, yet not stemmed to it: not that word ("lote" is
        # stemmed to "lote", so it is not "lot" + "e").
        if cost > 0 or not suffix:
            best = min(best, cost)
    return best


def stem_costs(typed: str, typed_stem: str, stems: Sequence[str], limit: float) -> dict[str, float]:
    """:func:`stem_cost` of each of ``stems`` that is at most ``limit``, the others left out.

    The same costs as calling :func:`stem_cost` on each, but only the few stems that can be
    within ``limit`` are costed in Python: a typed prefix of four letters has thousands of
    candidate stems, each compared with 14 suffixes put back (60 ms a keystroke). A pair can
    only cost at most ``limit`` if its plain edit distance is at most ``limit`` or its squeezed
    one at most ``limit - 0.5`` (a doubling costs at least half an edit); rapidfuzz finds
    those pairs among all candidates at once, in C.
    """
    import numpy as np  # at the first search, not at the app's start (65 ms)

    plain_limit = math.floor(limit)
    squeezed_limit = math.floor(limit - 0.5)
    squeezed = [squeeze(stem) for stem in stems]
    maybe: set[int] = set()

    def near(probe: str, choices: list[str], cutoff: int) -> None:
        if cutoff >= 0 and choices:
            found = process.cdist(
                [probe], choices, scorer=OSA.distance, score_cutoff=cutoff, dtype=np.int32
            )[0]
            maybe.update(np.flatnonzero(found <= cutoff).tolist())

    near(typed_stem, list(stems), plain_limit)
    near(squeeze(typed_stem), squeezed, squeezed_limit)
    for suffix in SUFFIXES:
        near(typed, [stem + suffix for stem in stems], plain_limit)
        # squeeze(stem + suffix), the suffixes having no doubled letter of their own
        near(
            squeeze(typed),
            [s + suffix[1:] if suffix and s[-1:] == suffix[0] else s + suffix for s in squeezed],
            squeezed_limit,
        )
    costs = {stems[i]: stem_cost(typed, typed_stem, stems[i]) for i in sorted(maybe)}
    return {stem: cost for stem, cost in costs.items() if cost <= limit}


def max_cost(word: str) -> float:
    """How far a typed word may be from a word it matches."""
    n = len(word)
    if n <= 3:
        return 0.0
    if n <= 5:
        return 1.0
    if n <= 7:
        return 1.5
    return 2.0


def first_letter_ok(typed: str, word: str) -> bool:
    """The first letter is right, or the first two are swapped."""
    if not typed or not word:
        return False
    return typed[0] == word[0] or (len(typed) > 1 and typed[1] == word[0] and typed[0] == word[1])


def closeness(cost: float, typed: str) -> float:
    """1.0 for the word itself, falling towards 0.3 at the largest cost allowed."""
    if cost <= 0:
        return 1.0
    return max(0.3, 1.0 - 0.7 * cost / (max_cost(typed) or 1.0))
