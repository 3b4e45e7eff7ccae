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
# Remaining C0 controls except tab and newline, DEL, C1 controls, and bidi overrides that can
# reorder what the terminal shows.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping newlines and tabs."""
    if not text:
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """One line of prose: controls removed, Unicode normalised (NFC), runs of spaces folded."""
    text = strip_controls(text).replace("\r", "").replace("\n", " ")
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip()


def visible(text: str | None) -> str:
    """Display-time guard: like :func:`strip_controls` but also folds newlines into spaces.

    ``None`` (a missing outlet, author...) shows as the empty string.
    """
    return strip_controls(text or "").replace("\n", " ").replace("\r", "")
