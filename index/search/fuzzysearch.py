"""The search box's plain-word search over article texts: typo-tolerant, ranked, explained.

Each typed word is planned (:func:`plan`): the indexed words it may stand for in the titles and
bodies (stems) and in the joined names ("jaein", "kimjongun"), by the rules of
:mod:`index.search.typos`, each with its closeness. Adjacent typed words are also tried joined
("kim jongun" -> "kimjongun", "theresa mey" -> "theresamay"). The plan becomes one query of
indexed words (:func:`to_query`, a :mod:`index.search.querytree`): every word must match (or any,
to relax it), a ``-word`` must not and a ``+word`` must match as typed; the backend then ranks
by how well (the closeness is the word's boost) and how rarely (IDF) the words matched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from index.search import querytree as qt
from index.search.analyzer import CJK
from index.search.backend import Analyze
from index.search.fuzzy import Surface, Vocabulary, closest, words
from index.search.highlight import analysed_terms
from index.search.typos import FUNCTION_WORDS, closeness, max_cost, typo_cost

TEXT_FIELDS = ("title", "body")
JOINED = "joined"
# Not index fields: the words of the titles and entity names as written, unstemmed.
SURFACE = "surface"
MAX_WORDS = 32  # a typed query longer than this is a pasted text, not a search
COMPLETION_COST = 1.0  # a word being typed matches its completions as well as a one-edit typo

VocabularyOf = Callable[[str], Vocabulary]
Costs = dict[tuple[str, str], float]  # (field, indexed word) -> typo cost
Frequency = Callable[[str, str], int]  # (field, indexed word) -> articles that have it


@dataclass
class WordPlan:
    """One typed word: its sign ("", "+" or "-") and the indexed words it matches.

    ``forms`` maps (field, indexed word) to its closeness (1.0 = the word as typed).
    """

    word: str
    sign: str = ""
    forms: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def matched(self) -> bool:
        return bool(self.forms)

    def names(self) -> set[str]:
        """The joined names this word matched (for finding them again in the text)."""
        return {term for f, term in self.forms if f == JOINED}


def split_signs(text: str) -> list[tuple[str, str]]:
    """(sign, word) for every word of ``text``: ``-word`` excludes, ``+word`` is taken as typed."""
    out: list[tuple[str, str]] = []
    for token in text.split():
        sign = token[0] if token[0] in "+-" and len(token) > 1 else ""
        out.extend((sign, w) for w in words(token[len(sign) :]))
    return out


def plan(
    text: str, vocabulary: VocabularyOf, analyze: Analyze, frequency: Frequency | None = None
) -> list[WordPlan]:
    """The plan of every word of ``text`` (see the module's docstring), over the backend's
    vocabularies and analysis; ``frequency`` lets a rare word also match a common neighbour
    (:func:`_common_neighbours`)."""
    signed = split_signs(text)
    partial = bool(text) and not text[-1].isspace()
    plans: list[WordPlan] = []
    for sign, word in signed:
        plans.append(WordPlan(word, sign, _forms(word, sign, vocabulary, analyze, frequency)))
    spanned = _add_joined_spans(plans, vocabulary)
    last = plans[-1] if plans else None
    typing = partial and last is not None and last.sign != "+"
    if typing and last and all(last is not p for p in spanned) and 1.0 not in last.forms.values():
        # still being typed: the words it begins count too
        stem = (analysed_terms(last.word, analyze) or [last.word])[0]
        for f in (*TEXT_FIELDS, JOINED):
            for w in vocabulary(f).completions(stem if f != JOINED else last.word):
                last.forms.setdefault((f, w), closeness(COMPLETION_COST, last.word))
    return plans


def _forms(
    word: str,
    sign: str,
    vocabulary: VocabularyOf,
    analyze: Analyze,
    frequency: Frequency | None = None,
) -> dict[tuple[str, str], float]:
    if CJK.search(word):  # a character bigram: matched as it is
        return {(f, word): 1.0 for f in TEXT_FIELDS if word in vocabulary(f)}
    stems = analysed_terms(word, analyze) or [word]
    stem = stems[0]
    costs: dict[tuple[str, str], float] = {}
    if sign == "+" or word in FUNCTION_WORDS:
        costs = {(f, stem): 0.0 for f in TEXT_FIELDS if stem in vocabulary(f)}
    else:
        for f in TEXT_FIELDS:
            costs.update(((f, w), c) for w, c in vocabulary(f).typos(word, stem).items())
        costs = _as_written(word, costs, vocabulary)
        costs.update(((JOINED, w), c) for w, c in vocabulary(JOINED).typos(word).items())
    best = closest(costs)
    if sign != "+" and stem != word and any(c == 0 for c in best.values()):
        best = _surface_typo(word, best, vocabulary, analyze)
    if sign != "+" and frequency is not None and any(c == 0 for c in best.values()):
        best.update(_common_neighbours(word, stem, best, vocabulary, frequency))
    return {key: closeness(c, word) for key, c in best.items()}


def _as_written(word: str, costs: Costs, vocabulary: VocabularyOf) -> Costs:
    """Typo costs of indexed stems measured again on the words as titles and names write them.

    Comparing stems with a stem's suffixes put back makes many words look close ("dutere" is one
    edit from "deter" + "e" as from "dutert" + "e"); the written words tell them apart
    ("Duterte" is one edit away, "deter" two). A stem never written in a title or name keeps
    its cost plus a quarter, for having less evidence.
    """
    surface = vocabulary(SURFACE)
    if not isinstance(surface, Surface) or not len(surface):
        return costs
    limit = max_cost(word)
    out = {}
    for (f, stem), cost in costs.items():
        if cost > 0:
            written = surface.written(stem)
            cost = min(typo_cost(word, w) for w in written) if written else cost + 0.25
        if cost <= limit:
            out[(f, stem)] = cost
    return out


RARE = 2  # articles: a word this rare, typed, may well be a typo of a common neighbour
COMMONER = 10  # ... one this many times as common


def _common_neighbours(
    word: str, stem: str, best: Costs, vocabulary: VocabularyOf, frequency: Frequency
) -> Costs:
    """A word in the index may still be a typo: "merkle" is in one article (a Mr Merkle),
    "Merkel" in forty. A word in at most :data:`RARE` articles also matches the closest of its
    typo neighbours that is :data:`COMMONER` times as common."""
    rare = [(f, w) for (f, w), c in best.items() if c == 0 and f in TEXT_FIELDS]
    if not rare or max(frequency(f, w) for f, w in rare) > RARE:
        return {}
    floor = COMMONER * max(1, max(frequency(f, w) for f, w in rare))
    costs = {
        (f, w): c
        for f in TEXT_FIELDS
        for w, c in vocabulary(f).typos(word, stem, even_if_present=True).items()
    }
    # The closest of the common enough ones: each cost costed as written first, then only the
    # neighbours at the lowest costs are asked how common they are (a look-up in every
    # segment each, hundreds a word), cheapest first, until one is.
    written = _as_written(word, costs, vocabulary)
    for cost in sorted(set(written.values())):
        found = {k: c for k, c in written.items() if c == cost and frequency(*k) >= floor}
        if found:
            return found
    return {}


def _surface_typo(word: str, best: Costs, vocabulary: VocabularyOf, analyze: Analyze) -> Costs:
    """A typed word whose stem is indexed may still be a typo: "lote" stems to "lot". When the
    titles and entity names never write it as typed but do write a word one doubled letter
    away ("Lotte"), that word is what was meant."""
    surface = vocabulary(SURFACE)
    if not len(surface) or word in surface:
        return best
    doubled = [w for w, c in surface.typos(word).items() if c == 0.5]
    if not doubled:
        return best
    found = {}
    for w in doubled:
        for f in TEXT_FIELDS:
            for stem in analysed_terms(w, analyze)[:1]:
                if stem in vocabulary(f):
                    found[(f, stem)] = 0.5
    return found or best


def _add_joined_spans(plans: list[WordPlan], vocabulary: VocabularyOf) -> list[WordPlan]:
    """Two to four adjacent unsigned words also match a joined name close to them together.
    Returns the plans of the words that did."""
    spanned: list[WordPlan] = []
    joined = vocabulary(JOINED)
    for i in range(len(plans)):
        for j in range(i + 2, min(len(plans), i + 4) + 1):
            span = plans[i:j]
            if any(p.sign or CJK.search(p.word) for p in span):
                break
            typed = "".join(p.word for p in span)
            for name, cost in closest(joined.typos(typed)).items():
                spanned.extend(span)
                for p in span:
                    p.forms[(JOINED, name)] = max(
                        p.forms.get((JOINED, name), 0.0), closeness(cost, typed)
                    )
    return spanned


def _clause(p: WordPlan) -> qt.Query:
    return qt.Or(
        tuple(qt.IndexTerm(f, w, boost=close) for (f, w), close in sorted(p.forms.items()))
    )


def to_query(plans: list[WordPlan], any_word: bool = False) -> qt.Query:
    """The query of a plan: all positive words (or any), none of the ``-words``."""
    wanted = [p for p in plans if p.sign != "-"]
    unwanted = [_clause(p) for p in plans if p.sign == "-" and p.matched]
    positive: qt.Query
    if any_word:
        matched = [_clause(p) for p in wanted if p.matched]
        positive = qt.Or(tuple(matched)) if matched else qt.MatchNone()
    elif wanted and all(p.matched for p in wanted):
        positive = qt.And(tuple(_clause(p) for p in wanted))
    elif wanted:
        positive = qt.MatchNone()  # a word that matches nothing: no article has every word
    else:
        positive = qt.MatchAll()  # only exclusions: every article without them
    return qt.AndNot(positive, qt.Or(tuple(unwanted))) if unwanted else positive


def coverage(plans: list[WordPlan], terms: frozenset[str]) -> int:
    """How many of the wanted words an article matched, given the terms it matched."""
    return sum(1 for p in plans if p.sign != "-" and any(term in terms for _f, term in p.forms))
