"""The similar, diff and compare commands on the invented wire fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "copies" / "wire.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text().splitlines()]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> dict[str, str]:
    """url -> id of the fixture's articles, in an index built from it."""
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
    hostile = {**ROWS[4], "url": "https://x.example/hostile", "title": "Evil \x1b[31mred"}
    rows = [*ROWS, hostile, gazette]
    (folder / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    monkeypatch.setenv("THAAD_TUI_CORPUS", str(folder))
    monkeypatch.setenv("THAAD_TUI_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("THAAD_TUI_NOTES", str(tmp_path / "notes.md"))
    code, out, _ = run(capsys, "articles", "--json")
    assert code == 0
    return {row["url"]: row["id"] for row in map(json.loads, out.splitlines())}


def test_similar_lists_copies_first_then_the_same_subject(capsys, ids) -> None:
    wire = ids[ROWS[0]["url"]]
    code, out, _ = run(capsys, "similar", wire, "--json")
    assert code == 0
    found = [json.loads(line) for line in out.splitlines()]
    copies = [r["id"] for r in found if r["copy"]]
    assert set(copies) == {ids[r["url"]] for r in (ROWS[1], ROWS[2], ROWS[3], ROWS[5])}
    assert found[: len(copies)] == [r for r in found if r["copy"]]
    assert all(0.5 <= r["score"] <= 1 for r in found if r["copy"])
    assert ids[ROWS[4]["url"]] in [r["id"] for r in found if not r["copy"]]
    code, out, _ = run(capsys, "similar", wire)
    assert code == 0 and "copy 100%" in out and "\x1b" not in out


def test_similar_of_an_unknown_id_is_one_line(capsys, ids) -> None:
    code, out, err = run(capsys, "similar", "zzzz")
    assert code == 2 and out == "" and err.count("\n") == 1 and "no article" in err


def test_diff_marks_what_the_copy_adds_and_drops(capsys, ids) -> None:
    wire, intro = ids[ROWS[0]["url"]], ids[ROWS[1]["url"]]
    code, out, _ = run(capsys, "diff", wire, intro)
    assert code == 0
    assert "10 paragraphs shared, 1 differ" in out
    assert "\n+ B1: VALMORA, Tuesday (Coastal Daily)" in out
    title = next(line for line in out.splitlines() if line.startswith("~ title: "))
    assert "[-Valmora-]" in title and "{+Harbour+}" in title
    code, out, _ = run(capsys, "diff", wire, ids[ROWS[3]["url"]])
    assert "[-said-]{+announced+}" in out
    flat = " ".join(line.strip() for line in out.splitlines())  # the paragraphs are wrapped
    assert "for {+up to+} three weeks" in flat
    code, out, _ = run(capsys, "diff", wire, ids[ROWS[2]["url"]])
    assert out.count("\n- A") == 3  # the cut copy drops the last three paragraphs


def test_compare_groups_by_outlet_with_g2(capsys, ids) -> None:
    code, out, _ = run(capsys, "compare", "crane", "--json")
    assert code == 0
    views = [json.loads(line) for line in out.splitlines()]
    # The wire service's two copies of its second story (two URLs, one text) count once.
    wire = next(v for v in views if v["outlet"] == "Wire Service")
    assert wire["articles"] == 2 and sorted(p["copies"] for p in wire["passages"]) == [0, 1]
    assert all(k["g2"] > 0 for v in views for k in v["distinctive"])
    assert wire["by_month"] == {"2017-03": 2}
    code, out, _ = run(capsys, "compare", "crane")
    assert "Wire Service: 2 articles" in out and "(+1 copy)" in out
    assert "distinctive: lighthouse (G2 " in out
    assert "\x1b" not in out


def test_compare_needs_a_query_and_refuses_a_bad_one(capsys, ids) -> None:
    code, _out, err = run(capsys, "compare")
    assert code == 2 and "QUERY" in err
    code, _out, err = run(capsys, "compare", "crane AND (")
    assert code == 2 and err.count("\n") == 1
