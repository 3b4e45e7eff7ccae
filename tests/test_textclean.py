"""index.ingest.textclean: escape sequences and controls go, the text around them stays."""

from __future__ import annotations

import pytest

from index.ingest.textclean import clean_line, strip_controls, visible

# U+0090 DCS, U+0098 SOS, U+009D OSC, U+009E PM, U+009F APC: 8-bit string introducers.
C1_STRING_STARTS = ["\x90", "\x98", "\x9d", "\x9e", "\x9f"]


@pytest.mark.parametrize("control", C1_STRING_STARTS)
def test_a_c1_string_introducer_is_stripped_and_the_text_after_it_kept(control: str) -> None:
    # "â€\x9d" is what a closing quote (UTF-8 E2 80 9D) becomes when read as Windows-1252.
    text = f"He said \u00e2\u20ac{control} and the rest of the paragraph stays searchable."
    expected = "He said \u00e2\u20ac and the rest of the paragraph stays searchable."
    assert strip_controls(text) == expected
    assert clean_line(text) == expected
    assert visible(text) == expected


@pytest.mark.parametrize("control", C1_STRING_STARTS)
def test_a_c1_introducer_with_a_terminator_later_keeps_the_text_between(control: str) -> None:
    text = f"first{control}middle\x9clast"
    assert strip_controls(text) == "firstmiddlelast"


def test_seven_bit_escape_strings_still_drop_their_payload() -> None:
    assert clean_line("a\x1b]52;c;SE9TVElMRQ==\x07b") == "ab"
    assert clean_line("a\x1b]0;PWNED\x1b\\b") == "ab"
    assert clean_line("a\x1bP1$r0m\x1b\\b") == "ab"
    assert clean_line("red \x1b[31mtext\x1b[0m and \x9b1mbold") == "red text and bold"


INVISIBLE = [
    "\u00ad",  # soft hyphen
    "\u061c",  # Arabic letter mark
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding
    "\u202e",  # right-to-left override
    "\u2060",  # word joiner
    "\u2066",  # left-to-right isolate
    "\u2069",  # pop directional isolate
    "\ufeff",  # byte order mark / zero-width no-break space
]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_zero_width_and_bidi_marks_are_removed_from_words(mark: str) -> None:
    assert clean_line(f"TH{mark}AAD battery{mark} in Seongju") == "THAAD battery in Seongju"
    assert visible(f"{mark}Seongju") == "Seongju"


def test_the_zero_width_joiner_stays_only_where_it_joins() -> None:
    family = "\U0001f469\u200d\U0001f4bb"  # woman technologist: one emoji through ZWJ
    conjunct = "\u0915\u094d\u200d\u0937"  # Devanagari half form: virama + ZWJ
    assert strip_controls(f"{family} {conjunct}") == f"{family} {conjunct}"
    assert strip_controls("TH\u200dAAD \u200dx y\u200d z") == "THAAD x y z"


def test_lone_surrogates_become_replacement_characters_or_escaped_bytes() -> None:
    # JSON can spell a lone surrogate; Python holds a file name's non-UTF-8 byte as one.
    assert clean_line("Sur\udcffrogate \ud800 text") == "Sur\ufffdrogate \ufffd text"
    assert visible("corpus/bad\udcff.txt: skipped \ud800") == "corpus/bad\\xff.txt: skipped \ufffd"
    assert visible("ok") == "ok"
