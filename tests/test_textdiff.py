"""Side-by-side alignment of two articles' paragraphs (fixtures: tests/fixtures/copies)."""

from __future__ import annotations

import json
from pathlib import Path

from index.compare import textdiff

FIXTURE = Path(__file__).parent / "fixtures" / "copies" / "wire.jsonl"
WIRE, INTRO, CUT, EDITED, OTHER, SAME = (
    json.loads(line)["text"].split("\n\n") for line in FIXTURE.read_text().splitlines()
)


def kinds(rows: list[textdiff.Row]) -> list[tuple[str, int | None, int | None]]:
    return [(r.kind, r.left, r.right) for r in rows]


def test_a_new_intro_is_added_and_the_rest_is_shared() -> None:
    rows = textdiff.align(WIRE, INTRO)
    assert kinds(rows)[0] == ("added", None, 0)
    assert all(r.kind == "same" and r.right == r.left + 1 for r in rows[1:])
    assert len(rows) == len(WIRE) + 1
    assert textdiff.differences(rows) == [0]


def test_a_cut_copy_drops_the_end() -> None:
    rows = textdiff.align(WIRE, CUT)
    assert [r.kind for r in rows] == ["same"] * 7 + ["dropped"] * 3
    assert [r.left for r in rows[7:]] == [7, 8, 9]


def test_edited_paragraphs_are_paired_and_their_words_marked() -> None:
    rows = textdiff.align(WIRE, EDITED)
    assert [n for n, r in enumerate(rows) if r.kind == "changed"] == [0, 3, 6]
    assert all(r.left == r.right for r in rows)
    left, right = textdiff.word_diff(WIRE[0], EDITED[0])
    assert [t for t, differs in left if differs] == ["said"]
    assert [t.strip() for t, differs in right if differs] == ["announced", "up to"]
    assert "".join(t for t, _ in left) == WIRE[0]
    assert "".join(t for t, _ in right) == EDITED[0]


def test_unrelated_paragraphs_are_dropped_and_added_not_paired() -> None:
    rows = textdiff.align(WIRE[:2], OTHER[:2])
    assert kinds(rows) == [
        ("dropped", 0, None),
        ("dropped", 1, None),
        ("added", None, 0),
        ("added", None, 1),
    ]


def test_case_and_punctuation_pair_paragraphs_but_show_as_changed() -> None:
    rows = textdiff.align(
        ["The port, closed.", "A  quay\nwall."], ["the port closed", "A quay wall."]
    )
    assert kinds(rows) == [("changed", 0, 0), ("same", 1, 1)]  # spacing alone is no change
    left, _right = textdiff.word_diff("U.S. officials", "US officials")
    assert [t for t, differs in left if differs] == ["U.S."]
    assert textdiff.align([], []) == []
