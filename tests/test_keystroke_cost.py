"""The as-you-type search's work per keystroke: counted, not timed (issue 20).

A typed word's typo plan compares it with every indexed stem near it, each with the suffixes
stemming removes put back; these tests check that only the stems that can be within the typo
limit are costed in Python, with the same costs as costing every one of them.
"""

from __future__ import annotations

import itertools

import pytest

from index.search import typos
from index.search.fuzzy import Vocabulary


def _stems() -> list[str]:
    """Made-up stems: runs of one letter, suffix letters at the end, near and far lengths."""
    letters = "caorentl"
    made = {"".join(p) for n in (3, 4, 5) for p in itertools.product(letters, repeat=n)}
    made |= {"corra", "coraa", "ccora", "corre", "corrs", "coral", "corazon", "coron", "cor"}
    return sorted(w for w in made if w[0] == "c" or w[:2] == "oc")


@pytest.mark.parametrize(
    ("typed", "typed_stem"),
    [
        ("cora", "cora"),
        ("coraes", "corae"),
        ("corrae", "corra"),
        ("ccoran", "ccoran"),
        ("coaled", "coal"),
        ("ocran", "ocran"),
        ("corenting", "corent"),
    ],
)
def test_bulk_stem_costs_are_the_costs_of_each_stem(typed: str, typed_stem: str) -> None:
    stems = _stems()
    limit = typos.max_cost(typed)
    each = {s: c for s in stems if (c := typos.stem_cost(typed, typed_stem, s)) <= limit}
    assert each  # the case says something
    assert typos.stem_costs(typed, typed_stem, stems, limit) == each


def test_a_typed_prefix_costs_only_the_stems_that_can_be_close(monkeypatch) -> None:
    vocabulary = Vocabulary(_stems())
    candidates = vocabulary.near("cora", "cora", 4)
    assert len(candidates) > 1000  # a short prefix is near thousands of stems
    calls = 0
    typo_cost = typos.typo_cost

    def counted(a: str, b: str) -> float:
        nonlocal calls
        calls += 1
        return typo_cost(a, b)

    monkeypatch.setattr(typos, "typo_cost", counted)
    found = vocabulary.typos("coraz", "coraz")
    assert found
    # each stem costed is compared as it is, as typed and with 14 suffixes: 16 calls at most
    assert calls <= 16 * 4 * len(found)
