"""Text analysis shared by the index and the searches, whatever the backend: accent folding,
character bigrams for Korean and Chinese, and the joined forms of names. (The backend's own
word analysis, stemming included, is its ``analyze``: :mod:`index.search.whoosh.analysis`.)

- Hangul and Han have no spaces between words (Chinese) or glue particles to them (Korean:
  사드를 is 사드 + 를), so a run of those characters is indexed as overlapping character bigrams:
  the query 사드 then finds 사드를, and 萨德 is found inside a sentence.
- Accents are folded (Pokémon = pokemon, Erdoğan = erdogan), Latin text only.
- A name is also indexed joined, without its hyphens and spaces, so "jaein" finds "Jae-in" and
  "kimjongun" finds "Kim Jong Un" (see :func:`joined_forms`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.search.accents import ACCENTS

# Hangul (syllables, jamo, compatibility jamo), kana and CJK ideographs (with extension A and
# the compatibility block).
CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
)


def fold(text: str) -> str:
    """Lowercased, with accents on Latin letters removed (Hangul and Han are left alone)."""
    return text.lower().translate(ACCENTS)


def bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a CJK run (a lone character stands for itself)."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def split_cjk(text: str) -> list[tuple[str, int, bool]]:
    """``text`` cut into (piece, offset, is CJK) runs, in order."""
    pieces: list[tuple[str, int, bool]] = []
    pos = 0
    for m in CJK.finditer(text):
        if m.start() > pos:
            pieces.append((text[pos : m.start()], pos, False))
        pieces.append((m.group(), m.start(), True))
        pos = m.end()
    if pos < len(text):
        pieces.append((text[pos:], pos, False))
    return pieces


TOKEN_PATTERN = r"[\w\*]+(\.?[\w\*]+)*"


def __getattr__(name: str) -> object:
    """``CJKBigramFilter`` under its old name: Whoosh pickles the analyzer's class path into
    every index's table of contents, and indexes written before it moved to
    :mod:`index.search.whoosh.analysis` name it here (loaded only when such an index opens)."""
    if name == "CJKBigramFilter":
        from index.search.whoosh.analysis import CJKBigramFilter

        return CJKBigramFilter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# A name's pieces: words joined by hyphens ("Jae-in", "Punggye-ri") count as one token here.
_TOKEN = re.compile(r"\w+(?:[-‐‑]\w+)*")
MAX_NAME_PIECES = 4


def joined_forms(text: str) -> Iterator[tuple[str, int, int]]:
    """(joined form, start, end) of each name-like run of ``text``, lowercased and folded.

    A hyphenated word is joined ("Jae-in" -> "jaein"); so is every run of 2 to 4 adjacent
    pieces of consecutive capitalised words ("Kim Jong Un" -> "kimjong", "jongun", "kimjongun";
    "Moon Jae-in" -> "moonjae", "jaein", "moonjaein"). Runs do not cross punctuation.
    """
    run: list[tuple[str, int, int]] = []  # pieces of the current capitalised run

    def flush() -> Iterator[tuple[str, int, int]]:
        for i in range(len(run)):
            for j in range(i + 2, min(len(run), i + MAX_NAME_PIECES) + 1):
                yield "".join(p for p, _s, _e in run[i:j]), run[i][1], run[j - 1][2]
        run.clear()

    last_end = 0
    for m in _TOKEN.finditer(text):
        word = m.group()
        gap = text[last_end : m.start()]
        last_end = m.end()
        if run and gap.strip():  # punctuation between two words ends a name
            yield from flush()
        pieces = [
            (fold(p.group()), m.start() + p.start(), m.start() + p.end())
            for p in re.finditer(r"\w+", word)
        ]
        if len(pieces) > 1 and not CJK.search(word):
            yield "".join(p for p, _s, _e in pieces), m.start(), m.end()
        if word[:1].isupper() and not CJK.search(word):
            run.extend(pieces)
        elif run:
            yield from flush()
    yield from flush()
