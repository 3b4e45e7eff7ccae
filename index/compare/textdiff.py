"""Two articles side by side: paragraphs aligned, what one adds or drops, and the words that
differ inside a paragraph both have (``difflib.SequenceMatcher`` at both levels)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["same", "changed", "dropped", "added"]
PAIR_RATIO = 0.5  # paragraphs this alike (by words) are one paragraph edited, not two

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Row:
    """One aligned row: ``left``/``right`` are paragraph numbers (0-based) or None when the
    paragraph is only on the other side ("dropped": only left, "added": only right)."""

    kind: Kind
    left: int | None
    right: int | None


def _words(paragraph: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(paragraph.casefold()))


def align(left: Sequence[str], right: Sequence[str]) -> list[Row]:
    """Align two articles' paragraphs: paragraphs with the same words (case and punctuation
    ignored) are paired, and are "same" when their text is too (spacing ignored), "changed"
    otherwise; paragraphs edited in place are "changed"; the rest "dropped" (only in
    ``left``) or "added" (only in ``right``), in reading order."""
    a, b = [_words(p) for p in left], [_words(p) for p in right]
    rows: list[Row] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend(
                Row("same" if left[i].split() == right[j].split() else "changed", i, j)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        else:
            rows.extend(_pair_block(a, b, i1, i2, j1, j2))
    return rows


def _pair_block(
    a: Sequence[tuple[str, ...]], b: Sequence[tuple[str, ...]], i1: int, i2: int, j1: int, j2: int
) -> list[Row]:
    """Rows for a replaced block: each left paragraph is paired, in order, with the first
    right paragraph alike enough; what stays unpaired is dropped or added."""
    rows: list[Row] = []
    j = j1
    for i in range(i1, i2):
        match = next(
            (
                k
                for k in range(j, j2)
                if SequenceMatcher(None, a[i], b[k], autojunk=False).ratio() >= PAIR_RATIO
            ),
            None,
        )
        if match is None:
            rows.append(Row("dropped", i, None))
            continue
        rows.extend(Row("added", None, k) for k in range(j, match))
        rows.append(Row("changed", i, match))
        j = match + 1
    rows.extend(Row("added", None, k) for k in range(j, j2))
    return rows


def word_diff(left: str, right: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both paragraphs cut into ``(text, differs)`` pieces: the words one has and the other
    not are ``differs`` (case and spacing are compared as written)."""
    a, b = _TOKEN.findall(left), _TOKEN.findall(right)
    out_a: list[tuple[str, bool]] = []
    out_b: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        same = op == "equal"
        if i2 > i1:
            out_a.append(("".join(a[i1:i2]), not same))
        if j2 > j1:
            out_b.append(("".join(b[j1:j2]), not same))
    return out_a, out_b


def differences(rows: Sequence[Row]) -> list[int]:
    """Indexes of the rows where the two articles differ, for stepping through them."""
    return [n for n, row in enumerate(rows) if row.kind != "same"]


def merged_diff(left: str, right: str) -> list[tuple[str, Literal["same", "del", "ins"]]]:
    """One paragraph from two: shared pieces "same", the left's own "del", the right's "ins",
    in reading order (a replacement gives its "del" before its "ins")."""
    a, b = _TOKEN.findall(left), _TOKEN.findall(right)
    out: list[tuple[str, Literal["same", "del", "ins"]]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("".join(a[i1:i2]), "same"))
            continue
        if i2 > i1:
            out.append(("".join(a[i1:i2]), "del"))
        if j2 > j1:
            out.append(("".join(b[j1:j2]), "ins"))
    return out
