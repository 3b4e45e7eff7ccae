"""Sentences: the one splitter for the Reader's sentence cursor, the timeline's events, quotes,
and the passages long paragraphs are cut into.

A full stop after an abbreviation ("Lt. Col. Kim met Prof. Lee", "Adm. Harris", "Feb. 4") or
inside initials ("U.N.", "U.S. officials") does not end a sentence, nor does one followed by a
lower-case word; a paragraph break always does. One splitter, so that the sentence a timeline
event quotes is the sentence ``l`` selects in the Reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["ABBREVIATIONS", "sentence_breaks", "sentence_spans"]

_ABBREVIATION_WORDS = (
    "mr mrs ms dr gen lt col maj capt cmdr adm sgt gov sen rep rev prof st jr sr no vs etc "
    "inc corp co ltd jan feb mar apr jun jul aug sep sept oct nov dec approx est dept"
)
ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
# Terminal punctuation, closing quotes or brackets, then white space; or a paragraph break.
_BOUNDARY = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s+|\n+")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_WORD_BEFORE = re.compile(r"[\w.]*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text``, without surrounding white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if "\n" not in m.group() and not _ends_sentence(text, m.start(), m.end()):
            continue
        _add_span(text, start, m.start() + len(m.group().rstrip()), spans)
        start = m.end()
    _add_span(text, start, len(text), spans)
    return spans


def sentence_breaks(text: str, start: int = 0) -> Iterator[int]:
    """Where each sentence after ``start`` begins: just past the white space that follows the
    end of the one before (the places a long paragraph may be cut)."""
    for m in _BOUNDARY.finditer(text, start):
        if "\n" in m.group() or _ends_sentence(text, m.start(), m.end()):
            yield m.end()


def _ends_sentence(text: str, stop: int, after: int) -> bool:
    if text[stop] != ".":
        return True
    word = _WORD_BEFORE.search(text[max(0, stop - 20) : stop])
    before = word.group() if word else ""
    if before.lower() in ABBREVIATIONS or _INITIALS.fullmatch(before):
        return False  # "Gen. Chang", "U.S. officials", "Feb. 4"
    return after >= len(text) or not text[after].islower()


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
