"""One sentence splitter for the Reader, the timeline's events and the passages of long
paragraphs: abbreviations and initials do not end a sentence."""

from __future__ import annotations

from index.analysis.events import split_sentences
from index.analysis.sentences import sentence_breaks, sentence_spans
from index.ingest.passages import split_paragraph
from tui.widgets.reader import sentences

TEXT = "Lt. Col. Kim met Prof. Lee at the base. Adm. Harris told the U.N. council. It ended."


def _pieces(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_titles_and_initials_do_not_end_a_sentence() -> None:
    assert _pieces(TEXT, sentence_spans(TEXT)) == [
        "Lt. Col. Kim met Prof. Lee at the base.",
        "Adm. Harris told the U.N. council.",
        "It ended.",
    ]


def test_the_reader_and_the_events_split_alike() -> None:
    assert sentences(TEXT) == split_sentences(TEXT) == sentence_spans(TEXT)


def test_a_paragraph_break_always_ends_a_sentence() -> None:
    text = "Seongju, Gen.\n\nthe next paragraph"
    assert _pieces(text, sentence_spans(text)) == ["Seongju, Gen.", "the next paragraph"]


def test_breaks_are_where_the_next_sentence_begins() -> None:
    assert [TEXT[b:][:3] for b in sentence_breaks(TEXT)] == ["Adm", "It "]


def test_a_long_paragraph_is_not_cut_after_an_abbreviation() -> None:
    # The last full stop and space in the second half of the window is after "Adm."; the
    # passage must end at the sentence before it instead.
    text = "The launchers arrived in the night. Residents met Adm. Harris at the gate today."
    passages = split_paragraph(text, limit=60)
    assert passages[0] == "The launchers arrived in the night."
    assert " ".join(passages) == text


def test_a_long_paragraph_is_not_cut_inside_initials() -> None:
    text = "Seoul protested strongly on Friday. Then the U.N. envoys came to the talks again."
    passages = split_paragraph(text, limit=60)
    assert passages[0] == "Seoul protested strongly on Friday."
