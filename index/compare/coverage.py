"""How each outlet told it: for a search or an entity, the matching passages grouped by outlet
(keyword in context), counts per outlet per month, and the words each outlet uses
distinctively about it compared with all the other outlets (log-likelihood G2, Rayson and
Garside 2000: the keyness statistic of corpus linguistics, robust for rare words)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from index.compare.similar import copy_groups
from index.models import Article, paragraph_index
from index.search.highlight import cut_snippet, term_spans

if TYPE_CHECKING:
    from index.library import Library

NO_OUTLET = "(no outlet)"
MIN_COUNT = 3  # a word an outlet uses fewer times says little about it
MIN_G2 = 3.84  # G2 of p < 0.05 (chi-squared, one degree of freedom): below it, chance
SEARCH_LIMIT = 2000  # matching articles read at most
# Words of two letters at least ("N. Korea" and "don’t" leave no "n" or "t"); an inner
# apostrophe, straight or curly, or hyphen stays in the word.
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?")
# The usual English stop list (Whoosh's) ...
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "have",
        "if",
        "in",
        "is",
        "it",
        "may",
        "not",
        "of",
        "on",
        "or",
        "tbd",
        "that",
        "the",
        "this",
        "to",
        "us",
        "we",
        "when",
        "will",
        "with",
        "yet",
        "you",
        "your",
    ]
)
# ... plus the function words it leaves out: they are "distinctive" of whichever outlet writes
# longer sentences, which is not what anyone asks.
_STOP = STOP_WORDS | frozenset(
    [
        "he",
        "she",
        "his",
        "her",
        "its",
        "their",
        "they",
        "them",
        "we",
        "our",
        "you",
        "i",
        "has",
        "had",
        "have",
        "were",
        "was",
        "been",
        "being",
        "which",
        "who",
        "whom",
        "what",
        "would",
        "could",
        "should",
        "than",
        "but",
        "also",
        "said",
        "says",
        "about",
        "after",
        "before",
        "over",
        "into",
        "more",
        "most",
        "other",
        "some",
        "such",
        "only",
        "no",
        "not",
        "very",
        "there",
        "here",
        "all",
        "any",
        "both",
        "each",
        "out",
        "up",
        "so",
    ]
)


@dataclass(frozen=True, slots=True)
class Passage:
    """One matching passage: ``snippet`` cut from paragraph ``paragraph`` (0-based) of the
    article, ``spans`` the matched words in the snippet."""

    article: str
    title: str
    published: str | None
    paragraph: int | None
    snippet: str
    spans: tuple[tuple[int, int], ...] = ()
    copies: int = 0
    """How many copies of this article the same outlet also has (counted once, here)."""


@dataclass(frozen=True, slots=True)
class Keyword:
    """A word an outlet overuses: ``g2`` its log-likelihood, ``here``/``elsewhere`` its counts
    in the outlet's matching articles and in the other outlets'."""

    word: str
    g2: float
    here: int
    elsewhere: int


@dataclass
class OutletView:
    outlet: str
    passages: list[Passage] = field(default_factory=list)
    by_month: Counter[str] = field(default_factory=Counter)
    keywords: list[Keyword] = field(default_factory=list)
    words: int = 0


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """G2 of a word seen ``a`` times in ``c`` words of one corpus and ``b`` times in ``d``
    words of the other: ``2 * sum(O * ln(O / E))`` over the two observed counts, with
    expected counts ``E1 = c * (a + b) / (c + d)`` and ``E2 = d * (a + b) / (c + d)``."""
    if c <= 0 or d <= 0 or a + b == 0:
        return 0.0
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    total = 0.0
    if a:
        total += a * math.log(a / e1)
    if b:
        total += b * math.log(b / e2)
    return 2 * total


def words(text: str) -> list[str]:
    """The content words of a text, case-folded: no numbers, no stop words."""
    found = (m.casefold().replace("’", "'") for m in _WORD.findall(text))
    return [w for w in found if len(w) > 1 and w not in _STOP]


def keyness(
    target: Counter[str],
    reference: Counter[str],
    top: int = 12,
    min_count: int = MIN_COUNT,
    min_g2: float = MIN_G2,
) -> list[Keyword]:
    """The words ``target`` uses significantly more than ``reference`` does (G2 of
    ``min_g2`` at least), strongest first."""
    c, d = sum(target.values()), sum(reference.values())
    found = []
    for word, a in target.items():
        b = reference.get(word, 0)
        if a < min_count or a / c <= (b / d if d else 0.0):
            continue
        g2 = log_likelihood(a, b, c, d)
        if g2 >= min_g2:
            found.append(Keyword(word, round(g2, 2), a, b))
    found.sort(key=lambda k: (-k.g2, k.word))
    return found[:top]


def compare(
    library: Library, query: str | None = None, entity: str | None = None, top: int = 12
) -> list[OutletView]:
    """Outlets (most matching articles first) with their passages, months and keywords, for
    the articles matching a full-text ``query`` or mentioning ``entity``. Raises
    :class:`index.search.query.QueryError` on a bad query."""
    passages: list[tuple[Article, Passage]] = []
    if entity is not None:
        canon = library.canonical_names()
        for aid in library.articles_with_entity(entity):
            article = library.article(aid)
            if article is not None:
                passages.append((article, _entity_passage(library, article, entity, canon)))
    else:
        for hit in library.search(query or "", limit=SEARCH_LIMIT):
            article = library.article(hit.id)
            if article is not None:
                passage = Passage(
                    hit.id, hit.title, _date(article), hit.paragraph, hit.snippet, hit.spans
                )
                passages.append((article, passage))
    # An outlet's copies of one story (re-sent, re-posted) count once: they would inflate its
    # article count and its word counts. Copies in other outlets stay: that is the comparison.
    groups = copy_groups(library)
    first: dict[tuple[str, str], int] = {}
    kept: list[tuple[Article, Passage]] = []
    for article, passage in passages:
        group = groups.get(article.id)
        key = (article.outlet or NO_OUTLET, group[0] if group else article.id)
        if key in first:
            held_article, held = kept[first[key]]
            kept[first[key]] = (held_article, replace(held, copies=held.copies + 1))
            continue
        first[key] = len(kept)
        kept.append((article, passage))
    views: dict[str, OutletView] = {}
    counts: dict[str, Counter[str]] = {}
    for article, passage in kept:
        outlet = article.outlet or NO_OUTLET
        view = views.setdefault(outlet, OutletView(outlet))
        view.passages.append(passage)
        view.by_month[passage.published[:7] if passage.published else "undated"] += 1
        found = words("\n".join((article.title, *article.paragraphs)))
        counts.setdefault(outlet, Counter()).update(found)
        view.words += len(found)
    total: Counter[str] = Counter()
    for counter in counts.values():
        total.update(counter)
    for outlet, view in views.items():
        view.keywords = keyness(counts[outlet], total - counts[outlet], top)
        view.passages.sort(key=lambda p: (p.published or "9999", p.article))
    return sorted(views.values(), key=lambda v: (-len(v.passages), v.outlet))


def _date(article: Article) -> str | None:
    return article.published.isoformat() if article.published else None


def _entity_passage(
    library: Library, article: Article, entity: str, canon: dict[str, str]
) -> Passage:
    starts = article.paragraph_starts()
    for m in library.mentions(article.id):
        if canon.get(m.name, m.name) != entity:
            continue
        n = paragraph_index(starts, m.start)
        text = article.paragraphs[n]
        offset = starts[n]
        snippet, spans = cut_snippet(text, [(m.start - offset, m.end - offset)])
        return Passage(article.id, article.title, _date(article), n, snippet, tuple(spans))
    text = article.paragraphs[0] if article.paragraphs else ""
    snippet, spans = cut_snippet(
        text, term_spans(text, [entity.casefold()], library.fulltext.analyze)
    )
    return Passage(article.id, article.title, _date(article), None, snippet, tuple(spans))


def months(views: Iterable[OutletView]) -> list[str]:
    """Every month any of the outlets has a passage in, in order (undated last)."""
    found = {m for v in views for m in v.by_month}
    return sorted(found, key=lambda m: (m == "undated", m))
