"""User corrections: merge, rename, retype, hide; kept in YAML; applied by aggregate()."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.analysis.entities import aggregate, extract
from index.models import Entity
from index.store.corrections import CorrectionError, Corrections, record, record_many, undo

ENTITIES = [
    Entity("Moon Jae-in", "person", ("Moon",), ("a",), 5),
    Entity("Moon Jae In", "person", (), ("b",), 2),
    Entity("Lotte", "person", (), ("a",), 3),
    Entity("Editor", "person", (), ("a", "b"), 4),
    Entity("Blue House", "place", (), ("b",), 1),
]


def by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def test_merge_combines_aliases_articles_and_mentions() -> None:
    c = Corrections()
    c.merge("Moon Jae In", "Moon Jae-in")
    moon = by_name(c.apply(ENTITIES))["Moon Jae-in"]
    assert moon.mentions == 7
    assert moon.articles == ("a", "b")
    assert set(moon.aliases) == {"Moon", "Moon Jae In"}
    assert "Moon Jae In" not in by_name(c.apply(ENTITIES))


def test_rename_retype_and_hide() -> None:
    c = Corrections()
    c.rename("Blue House", "Cheong Wa Dae")
    c.retype("Lotte", "organisation")
    c.retype("Cheong Wa Dae", "organisation")
    c.hide("Editor")
    got = by_name(c.apply(ENTITIES))
    assert "Editor" not in got
    assert got["Lotte"].type == "organisation"
    assert got["Cheong Wa Dae"].type == "organisation"
    assert "Blue House" in got["Cheong Wa Dae"].aliases


def test_merge_into_itself_through_a_chain_is_refused_and_cycles_stop() -> None:
    c = Corrections()
    c.merge("A", "B")
    with pytest.raises(ValueError):
        c.merge("B", "A")
    c.renames["B"] = "A"  # a hand-edited file may still hold a cycle
    assert c.canonical("A") in {"A", "B"}


def test_retype_rejects_unknown_types() -> None:
    with pytest.raises(ValueError):
        Corrections().retype("Lotte", "company")  # type: ignore[arg-type]


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "entities.yaml"
    c = Corrections()
    c.merge("Moon Jae In", "Moon Jae-in")
    c.rename("Blue House", "Cheong Wa Dae")
    c.retype("Lotte", "organisation")
    c.hide("Editor")
    c.save(path)
    loaded, problem = Corrections.load(path)
    assert problem is None
    assert loaded == c
    assert not list(path.parent.glob("*.tmp"))


def test_missing_file_is_empty_and_broken_file_is_reported_untouched(tmp_path: Path) -> None:
    empty, problem = Corrections.load(tmp_path / "none.yaml")
    assert problem is None and empty == Corrections()
    broken = tmp_path / "entities.yaml"
    broken.write_text("merge: [unclosed\n", encoding="utf-8")
    loaded, problem = Corrections.load(broken)
    assert problem is not None and "entities.yaml" in str(problem)
    assert loaded == Corrections()
    assert broken.read_text(encoding="utf-8") == "merge: [unclosed\n"


def test_bad_type_in_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text("retype: {Lotte: company}\n", encoding="utf-8")
    _, problem = Corrections.load(path)
    assert problem is not None and "company" in problem.reason


def test_aggregate_applies_corrections_every_time() -> None:
    text = "Retailer Hanbit Group was hit. Editor Jane Doe wrote it."
    per_article = {"x": (text, extract(text))}
    c = Corrections()
    c.hide("Jane Doe")
    c.rename("Hanbit Group", "Hanbit")
    names = {e.name for e in aggregate(per_article, c)}
    assert "Hanbit" in names and "Hanbit Group" not in names
    assert "Jane Doe" not in names


def test_two_processes_recording_at_once_lose_nothing(tmp_path) -> None:
    import subprocess
    import sys

    path = tmp_path / "entities.yaml"
    script = (
        "import sys\nfrom pathlib import Path\nfrom index.store.corrections import record\n"
        "for n in range(15):\n"
        "    record(Path(sys.argv[1]), 'hide', f'{sys.argv[2]}-{n}')\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(path), tag]) for tag in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    corrections, problem = Corrections.load(path)
    assert problem is None
    assert corrections.hidden == {f"{tag}-{n}" for tag in ("a", "b") for n in range(15)}


def test_undo_puts_back_only_what_the_last_correction_changed(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    record(path, "rename", "Chang", "Chang Wanquan")
    change = record(path, "rename", "Lotte", "Lotte Group")
    record(path, "hide", "Editor")  # made after, by another window: must survive the undo
    undo(path, change)
    saved, problem = Corrections.load(path)
    assert problem is None
    assert saved.renames == {"Chang": "Chang Wanquan"}
    assert saved.hidden == {"Editor"}


def test_undo_restores_a_value_the_correction_overwrote(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    record(path, "retype", "Lotte", "place")
    change = record(path, "retype", "Lotte", "organisation")
    hidden = record(path, "hide", "Now")
    undo(path, hidden)
    undo(path, change)
    saved, _ = Corrections.load(path)
    assert saved.retypes == {"Lotte": "place"}
    assert saved.hidden == set()


def test_a_multi_select_merge_is_one_change_saved_together(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    items = [("merge", "Trump", "Donald Trump"), ("merge", "Donald J. Trump", "Donald Trump")]
    change = record_many(path, items)
    saved, _ = Corrections.load(path)
    assert saved.merges == {"Trump": "Donald Trump", "Donald J. Trump": "Donald Trump"}
    assert len(change.edits) == 2
    undo(path, change)
    assert Corrections.load(path)[0].merges == {}


def test_a_refused_item_saves_none_of_a_batch(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    record(path, "merge", "B", "A")
    with pytest.raises(CorrectionError):
        record_many(path, [("merge", "C", "A"), ("merge", "A", "B")])
    assert Corrections.load(path)[0].merges == {"B": "A"}
