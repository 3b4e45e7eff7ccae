"""The Whoosh analyzer of the text fields: words, lowercased, accents folded, CJK runs as
character bigrams, Porter stems, no stop list."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import (
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.acore import Token as WhooshToken

from index.search.accents import ACCENTS
from index.search.analyzer import CJK, TOKEN_PATTERN, bigrams, split_cjk
from index.search.backend import Token


class CJKBigramFilter(Filter):
    """Splits the CJK runs of each token into character bigrams (other text passes through)."""

    def __call__(self, tokens: Iterator[WhooshToken]) -> Iterator[WhooshToken]:
        for t in tokens:
            if not CJK.search(t.text):
                yield t
                continue
            chars = getattr(t, "chars", False)
            start = t.startchar if chars else 0
            for piece, offset, is_cjk in split_cjk(t.text):
                grams = [(g, offset + i) for i, g in enumerate(bigrams(piece))] if is_cjk else []
                for gram, at in grams or [(piece, offset)]:
                    out = t.copy()
                    out.text = gram
                    if chars:
                        out.startchar = start + at
                        out.endchar = start + at + len(gram)
                    yield out


# No stop list: "US" is a stop word in Whoosh's default list, and it matters in this corpus.
ANALYZER = (
    RegexTokenizer(TOKEN_PATTERN)
    | LowercaseFilter()
    | CharsetFilter(ACCENTS)
    | CJKBigramFilter()
    | StopFilter(stoplist=None, minsize=1)
    | StemFilter()
)


SHORT = 80  # characters: words and titles, analysed again on every keystroke, are cached


def analyze(text: str) -> list[Token]:
    """``text`` as the text fields index it: (indexed form, start, end) of each word."""
    if len(text) <= SHORT:
        # a keystroke's 200 hits have their titles' words and matched words analysed
        # (some 270 calls, the same words keystroke after keystroke)
        return list(_short(text))
    return _analyze(text)


@lru_cache(maxsize=32768)
def _short(text: str) -> tuple[Token, ...]:
    return tuple(_analyze(text))


def _analyze(text: str) -> list[Token]:
    return [Token(t.text, t.startchar, t.endchar) for t in ANALYZER(text, chars=True)]
