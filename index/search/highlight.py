"""Find and cut out query hits in article text, the same way for every search backend.

A search reports which indexed terms matched each article (a backend's ``Hit.terms``), so only
the few paragraphs shown need analysing, with the backend's own analysis (its ``analyze``), to
mark the words whose indexed form is one of those terms. (Whoosh's own per-hit highlighter
re-expanded fuzzy and prefix terms against the whole lexicon for every hit: seconds per query.)
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from index.search.analyzer import CJK, TOKEN_PATTERN, fold, joined_forms
from index.search.backend import Analyze

Span = tuple[int, int]
_TOKEN = re.compile(TOKEN_PATTERN)
_NOT_LETTERS = re.compile(r"[\W_]+")
_CANDIDATES = 3  # paragraphs analysed per article when looking for the best snippet
LEAD = 24  # characters of context kept before the first match
# The article list shows a snippet's first ~48 characters (a 52-column list less its indent): a
# paragraph is kept whole only when its first match ends within this many.
SEEN = 40


def analysed_terms(text: str, analyze: Analyze) -> list[str]:
    """The indexed forms of the words in ``text`` (lowercased, stemmed)."""
    return [t.text for t in analyze(text)]


def _may_hold(text: str, keys: Collection[str]) -> bool:
    """Whether ``text`` may hold one of ``keys`` (their first letters, to skip analysing it)."""
    folded = fold(text)
    return any(key in folded for key in keys)


def _heads(terms: Collection[str]) -> set[str]:
    # A stem's last letters may differ from the text ("galaxi" for "galaxy"); its head does not.
    return {t[: max(3, len(t) - 2)] if len(t) > 3 else t for t in terms}


def term_spans(text: str, terms: Collection[str], analyze: Analyze) -> list[Span]:
    """Character spans in ``text`` of every token whose indexed form (by ``analyze``) is in
    ``terms``."""
    if not terms or not text:
        return []
    heads = _heads(terms)
    if not _may_hold(text, heads):
        return []
    if CJK.search(text):
        return [(t.start, t.end) for t in analyze(text) if t.text in terms]
    # Stemming every token is the slow part: only tokens that begin like a term are analysed.
    starts = tuple(heads)
    spans: list[Span] = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        if (token.lower() if token.isascii() else fold(token)).startswith(starts):
            spans.extend(
                (m.start() + t.start, m.start() + t.end)
                for t in analyze(m.group())
                if t.text in terms
            )
    return spans


def name_spans(text: str, names: Collection[str]) -> list[Span]:
    """Character spans in ``text`` of the names whose joined form is in ``names``
    ("Jae-in" for "jaein"; see :func:`index.search.analyzer.joined_forms`)."""
    if not names or not text:
        return []
    # A name is in the text only if its letters are, once spaces and hyphens are dropped
    squashed = _NOT_LETTERS.sub("", fold(text))
    if not any(name in squashed for name in names):
        return []
    return [(start, end) for form, start, end in joined_forms(text) if form in names]


def merge_spans(spans: Sequence[Span]) -> tuple[Span, ...]:
    """Sorted spans, overlapping ones merged into one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def best_paragraph(
    paragraphs: Sequence[str],
    terms: Collection[str],
    analyze: Analyze,
    names: Collection[str] = (),
) -> tuple[int, list[Span]]:
    """The paragraph with the most distinct hits (earliest on ties), and its hit spans.

    ``names`` are joined names (:func:`name_spans`) that count as hits too. Analysing every
    paragraph of 200 hits took most of a keystroke's time, so the paragraphs are first ranked
    by how many of the words' heads they contain (a substring test) and only the best few are
    analysed."""
    heads = _heads(terms) | {n[:4] for n in names}
    ranked = []
    for i, paragraph in enumerate(paragraphs):
        folded = fold(paragraph)
        found = sum(1 for head in heads if head in folded)
        if found:
            ranked.append((-found, i))
    best, best_spans, best_key = 0, [], (0, 0)
    for i in sorted(i for _found, i in sorted(ranked)[:_CANDIDATES]):
        paragraph = paragraphs[i]
        spans = term_spans(paragraph, terms, analyze)
        if names:
            spans = list(merge_spans([*spans, *name_spans(paragraph, names)]))
        if not spans:
            continue
        distinct = len({paragraph[s:e].lower() for s, e in spans})
        if (distinct, len(spans)) > best_key:
            best, best_spans, best_key = i, spans, (distinct, len(spans))
    return best, best_spans


def cut_snippet(text: str, spans: Sequence[Span], width: int = 200) -> tuple[str, list[Span]]:
    """A window of about ``width`` characters around the first hit, on word boundaries.

    Returns the snippet (with "…" where it was cut) and the spans shifted into it.
    """
    anchor = spans[0][0] if spans else 0
    seen = spans[0][1] if spans else 0
    if len(text) <= width and seen <= SEEN:
        return text, list(spans)
    # A short lead: the list shows a snippet's first 50 or so characters, and they must hold
    # the match, not only the words before it.
    start = max(0, anchor - LEAD)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < anchor else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > anchor else end
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + text[start:end] + suffix, inside


# What may stand between two matched words of one phrase: "Lotte Mart", "Jae-in", "U.S.-made".
_PHRASE_GAP = re.compile(r"[\s\-‐‑–.']{0,3}")


def phrase_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """``spans`` with neighbours joined into one span per phrase: matches separated only by
    spaces or a hyphen ("missile defense", "Jae-in") are one hit to step to, not two."""
    joined: list[Span] = []
    for start, end in merge_spans(spans):
        if joined and _PHRASE_GAP.fullmatch(text, joined[-1][1], start):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def find_spans(text: str, query: str) -> list[Span]:
    """Where ``query`` occurs in ``text`` literally, ignoring case and with any run of spaces
    in the query matching any run of whitespace (a find in the open article, not a search)."""
    words = query.split()
    if not words or not text:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
