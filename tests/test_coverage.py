"""How each outlet told it: the keyness statistic on hand-computed values, and the grouping."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from index import paths
from index.compare import coverage
from index.library import open_library

FIXTURE = Path(__file__).parent / "fixtures" / "copies" / "wire.jsonl"


def test_log_likelihood_matches_a_hand_computed_value() -> None:
    # a=10 of c=100 words, b=5 of d=200: E1 = 100*15/300 = 5, E2 = 200*15/300 = 10,
    # G2 = 2 * (10 ln(10/5) + 5 ln(5/10)) = 2 * 5 ln 2 = 6.931...
    assert coverage.log_likelihood(10, 5, 100, 200) == pytest.approx(10 * math.log(2))
    # Used in the same proportion on both sides: nothing to report.
    assert coverage.log_likelihood(4, 8, 100, 200) == pytest.approx(0.0)
    # Absent from the reference: only the first term, 2 * 6 ln(6 / 2) (E1 = 50*6/150 = 2).
    assert coverage.log_likelihood(6, 0, 50, 100) == pytest.approx(12 * math.log(3))
    assert coverage.log_likelihood(0, 0, 10, 10) == 0.0


def test_keyness_keeps_overused_words_strongest_first() -> None:
    target = Counter({"deployment": 10, "harbour": 3, "crane": 2, "port": 85})
    reference = Counter({"deployment": 5, "harbour": 30, "port": 165})
    found = coverage.keyness(target, reference, min_count=3, min_g2=0)
    # deployment: a=10, b=5, c=100, d=200 as above; harbour is underused; crane too rare;
    # port: 85/100 > 165/200, G2 = 2 * (85 ln(85/83.33) + 165 ln(165/166.67)).
    expected_port = 2 * (
        85 * math.log(85 / (100 * 250 / 300)) + 165 * math.log(165 / (200 * 250 / 300))
    )
    assert [k.word for k in found] == ["deployment", "port"]
    assert found[0].g2 == pytest.approx(round(10 * math.log(2), 2))
    assert (found[0].here, found[0].elsewhere) == (10, 5)
    assert found[1].g2 == pytest.approx(round(expected_port, 2))
    # port's G2 (0.05) is chance at p < 0.05: by default only deployment (6.93) is kept.
    assert [k.word for k in coverage.keyness(target, reference)] == ["deployment"]


def test_words_drop_numbers_and_stop_words() -> None:
    assert coverage.words(
        "The THAAD battery, 2 launchers in N. Korea don’t and Seongju's farmers"
    ) == [
        "thaad",
        "battery",
        "launchers",
        "korea",
        "don't",
        "seongju's",
        "farmers",
    ]


def test_compare_groups_passages_by_outlet(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    gazette = {
        "title": "Lighthouse keepers watched the crane fall",
        "outlet": "Harbour Gazette",
        "date": "2017-04-02",
        "url": "https://gazette.example/lighthouse",
        "text": "From the lighthouse, keepers saw the crane fall. The lighthouse stood firm; "
        "the lighthouse lamp lit the quay, and the lighthouse crew called the lighthouse board.",
    }
    (folder / "wire.jsonl").write_text(FIXTURE.read_text() + json.dumps(gazette) + "\n")
    lib = open_library(paths.resolve(folder, tmp_path / "index", tmp_path / "notes.md"))
    lib.update()
    views = coverage.compare(lib, "crane")
    by_outlet = {v.outlet: v for v in views}
    rows = [json.loads(line) for line in FIXTURE.read_text().splitlines()] + [gazette]
    expected = Counter(r["outlet"] for r in rows if "crane" in r["text"].lower())
    assert {o: len(v.passages) for o, v in by_outlet.items()} == dict(expected)
    assert views[0].outlet == "Wire Service"  # two articles, the most
    for view in views:
        for p in view.passages:
            assert any(p.snippet[s:e].lower().startswith("crane") for s, e in p.spans)
    assert sum(by_outlet["Wire Service"].by_month.values()) == 2
    assert coverage.months(views) == ["2017-03", "2017-04"]
    # Six "lighthouse" (title included) in the gazette, none elsewhere: its distinctive word.
    top = by_outlet["Harbour Gazette"].keywords[0]
    assert (top.word, top.here, top.elsewhere) == ("lighthouse", 6, 0)
    assert top.g2 >= coverage.MIN_G2
