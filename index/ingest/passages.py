"""Bounded articles: long paragraphs cut into passages, and very long texts cut short.

A paragraph is what the Reader draws, highlights and cites, and what a search snippet is cut
from; an article's text is what entity and date extraction read and Whoosh indexes. A file
holding one 50 MB line made all of them work on a single 50 MB string: the build took minutes
and gigabytes, every search hitting it took 13 s, and the app could not draw it. Here
paragraphs longer than :data:`MAX_PASSAGE` characters are cut at a sentence end (else a space)
and an article keeps at most :data:`MAX_ARTICLE` characters of text, with a warning naming it.
"""

from __future__ import annotations

from dataclasses import replace

from index.analysis.sentences import sentence_breaks
from index.models import Article

MAX_PASSAGE = 2_000  # characters: about three long news paragraphs
MAX_ARTICLE = 1_000_000  # characters: some 150,000 words, far beyond any news article


def split_paragraph(text: str, limit: int = MAX_PASSAGE) -> list[str]:
    """``text`` cut into passages of at most ``limit`` characters.

    Each cut is at the last sentence end in the second half of the window, else at its last
    space, else (a run without spaces) at ``limit`` itself.
    """
    passages: list[str] = []
    while len(text) > limit:
        cut = _cut_point(text, limit)
        passages.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        passages.append(text)
    return passages


def _cut_point(text: str, limit: int) -> int:
    window = text[: limit + 1]  # a space right after the limit still ends a full passage
    # the last sentence end in the window's second half (not after "Adm." or "U.N.")
    end = max(sentence_breaks(window, limit // 2), default=None)
    if end is not None and end <= limit + 1:
        return min(end, limit)
    space = window.rfind(" ", limit // 2)
    return space + 1 if space > 0 else limit


def bounded(article: Article, where: str) -> tuple[Article, str | None]:
    """The article with long paragraphs split and its text cut at :data:`MAX_ARTICLE`
    characters; and a warning naming ``where`` if text was dropped."""
    if all(len(p) <= MAX_PASSAGE for p in article.paragraphs):
        return article, None
    kept: list[str] = []
    room = MAX_ARTICLE
    total = sum(len(p) for p in article.paragraphs)
    for paragraph in article.paragraphs:
        if room <= 0:
            break
        piece = paragraph[:room]
        room -= len(piece)
        kept.extend(split_paragraph(piece))
    warning = None
    if total > MAX_ARTICLE:
        warning = (
            f"{where}: article text cut to its first {MAX_ARTICLE:,} characters; "
            "the rest is not indexed"
        )
    return replace(article, paragraphs=tuple(kept)), warning
