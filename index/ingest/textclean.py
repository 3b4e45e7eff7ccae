"""Make untrusted text safe to store and show.

Corpus text may carry terminal escape sequences (CSI, OSC such as the clipboard-writing
``ESC ] 52``), BEL and other C0/C1 controls. They are removed here, at ingest, and again by the
UI at display time. Markup safety is the UI's job (it builds ``rich.text.Text`` objects and never
parses corpus text as markup); this module only deals with control characters.
"""

from __future__ import annotations

import re
import unicodedata

# A whole escape sequence: CSI (ESC [ ... final, or the 8-bit U+009B), OSC (ESC ] ... BEL or
# ESC \), DCS/SOS/PM/APC strings, and two-character escapes. The 8-bit string introducers
# (U+0090, U+0098, U+009D, U+009E, U+009F) are NOT taken as the start of a string: they are
# common in mis-decoded text (``â€\x9d`` is a garbled ”), where the "string" would run to the
# end of the paragraph and swallow it. They are removed alone, by ``_CONTROL``, and the text
# after them is kept: without its introducer it is plain text to the terminal.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                  # CSI
  | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)              # OSC, DCS, SOS, PM, APC
  | \x1b[@-Z\\-_]?                                     # other ESC-prefixed (or lone ESC)
    """,
    re.VERBOSE | re.DOTALL,
)
# Remaining C0 controls except tab and newline, DEL, C1 controls; bidi marks, embeddings,
# overrides and isolates (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069), which can
# reorder what the terminal shows; and invisible characters that hide inside words and defeat
# search or make a terminal's idea of the width differ from ours: soft hyphen, zero-width
# space and non-joiner, word joiner and invisible operators, deprecated format controls,
# byte order mark, interlinear annotation marks.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200c\u200e\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# The zero-width joiner is kept where it joins something: emoji sequences (a family, a
# profession) and Indic conjuncts (after a virama), that is after a symbol or mark and
# before a visible character. After a letter, a digit or a space, or before a space, it joins
# nothing and would only split a word for search, so it goes there.
_LOOSE_JOINER = re.compile(r"(?<![^\w\s])\u200d+|\u200d+(?!\S)")
# Lone surrogates: JSON can spell them (``"\udcff"``), and Python holds a file name's bytes
# that are not UTF-8 as U+DC80-U+DCFF. No UTF-8 output, SQLite text or terminal takes them.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def strip_controls(text: str) -> str:
    """Remove escape sequences, control characters, bidi controls and invisible format
    characters, keeping newlines and tabs (and a zero-width joiner that joins something).
    A lone surrogate becomes U+FFFD, so the text keeps its length from there on."""
    if not text:
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    return _LOOSE_JOINER.sub("", text) if "\u200d" in text else text


def clean_line(text: str) -> str:
    """One line of prose: controls removed, Unicode normalised (NFC), runs of spaces folded."""
    text = strip_controls(text).replace("\r", "").replace("\n", " ")
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


def visible(text: str | None) -> str:
    """Display-time guard: like :func:`strip_controls` but also folds newlines into spaces.

    ``None`` (a missing outlet, author...) shows as the empty string. The bytes of a file name
    that are not UTF-8 (U+DC80-U+DCFF in Python) show as ``\\xNN`` escapes.
    """
    text = text or ""
    if _SURROGATE.search(text):
        text = _SURROGATE.sub(_escape_surrogate, text)
    return strip_controls(text).replace("\n", " ").replace("\r", "")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"
