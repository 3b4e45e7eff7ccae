"""Near-duplicate copies: grouping at index time, kept up to date by add and rebuild."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index import paths
from index.analysis import copies
from index.library import Library, open_library

FIXTURE = Path(__file__).parent / "fixtures" / "copies" / "wire.jsonl"
ROWS = [json.loads(line) for line in FIXTURE.read_text().splitlines()]


def _by_url(lib: Library) -> dict[str, str]:
    return {info.url: info.id for info in lib.articles() if info.url}


def _groups(lib: Library) -> list[set[str]]:
    urls = {v: k for k, v in _by_url(lib).items()}
    pairs = lib.catalogue.all_copy_pairs()
    return [{urls[i] for i in g} for g in copies.groups(pairs)]


WIRE, INTRO, CUT, EDITED, OTHER, SAME = (row["url"] for row in ROWS)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    return folder


def _open(corpus_dir: Path, tmp_path: Path) -> Library:
    return open_library(paths.resolve(corpus_dir, tmp_path / "index", tmp_path / "notes.md"))


def _write(folder: Path, name: str, rows: list[dict]) -> Path:
    path = folder / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_shingle_scores_tell_copies_from_the_same_subject() -> None:
    texts = {row["url"]: copies.shingles(row["text"].split("\n\n")) for row in ROWS}
    for variant in (INTRO, CUT, EDITED, SAME):
        containment, _jaccard, shared = copies.compare(texts[WIRE], texts[variant])
        assert copies.is_copy(containment, shared), variant
    containment, _jaccard, shared = copies.compare(texts[WIRE], texts[OTHER])
    assert containment < 0.1 and not copies.is_copy(containment, shared)


def test_a_cut_copy_is_contained_whole() -> None:
    wire = copies.shingles(ROWS[0]["text"].split("\n\n"))
    cut = copies.shingles(ROWS[2]["text"].split("\n\n"))
    containment, jaccard, _shared = copies.compare(wire, cut)
    assert containment == 1.0 and jaccard < 0.8


def test_index_groups_the_copies_and_not_the_story_on_the_same_subject(
    corpus_dir: Path, tmp_path: Path
) -> None:
    _write(corpus_dir, "wire.jsonl", ROWS)
    lib = _open(corpus_dir, tmp_path)
    lib.update()
    assert len(lib.articles()) == 6  # the identical text under another URL is kept
    assert _groups(lib) == [{WIRE, INTRO, CUT, EDITED, SAME}]


def test_an_added_copy_joins_its_group_and_a_removed_one_leaves(
    corpus_dir: Path, tmp_path: Path
) -> None:
    path = _write(corpus_dir, "wire.jsonl", [ROWS[0], ROWS[4]])
    lib = _open(corpus_dir, tmp_path)
    lib.update()
    assert _groups(lib) == []
    extra = _write(tmp_path, "more.jsonl", [ROWS[2], ROWS[3]])
    lib.add([extra])
    assert _groups(lib) == [{WIRE, CUT, EDITED}]
    _write(corpus_dir, "wire.jsonl", [ROWS[4]])  # the wire story leaves the corpus
    lib.update()
    assert _groups(lib) == [{CUT, EDITED}]
    path.unlink()
    lib.update()
    assert _groups(lib) == [{CUT, EDITED}]


def test_an_edited_article_is_compared_again(corpus_dir: Path, tmp_path: Path) -> None:
    _write(corpus_dir, "a.jsonl", [ROWS[0]])
    _write(corpus_dir, "b.jsonl", [ROWS[4]])
    lib = _open(corpus_dir, tmp_path)
    lib.update()
    assert _groups(lib) == []
    # Same URL (so same id), new text: now a copy of the wire story.
    _write(corpus_dir, "b.jsonl", [{**ROWS[4], "text": ROWS[3]["text"]}])
    lib.update()
    assert _groups(lib) == [{WIRE, OTHER}]


def test_rebuild_gives_the_same_groups(corpus_dir: Path, tmp_path: Path) -> None:
    shutil.copy(FIXTURE, corpus_dir / "wire.jsonl")
    lib = _open(corpus_dir, tmp_path)
    lib.update()
    before = _groups(lib)
    lib.update(rebuild=True)
    assert _groups(lib) == before == [{WIRE, INTRO, CUT, EDITED, SAME}]


def test_groups_join_chains_of_pairs() -> None:
    pairs = [copies.CopyPair("c", "d", 1, 1), copies.CopyPair("a", "b", 1, 1)]
    pairs.append(copies.CopyPair("b", "c", 0.6, 0.4))
    assert copies.groups(pairs) == [["a", "b", "c", "d"]]
    assert copies.groups([]) == []


def test_notices_from_one_template_are_not_copies() -> None:
    # Two invented notices of one template: the shingles agree, the headline and figures not.
    body = "The central bank added reserves through {} billion crowns of {}-day repurchase "
    body += "agreements at a rate of {} pct, maturing on March {}, a spokesman for the bank said."
    body += " Dealers said the operation was in line with expectations and that money market "
    body += "conditions remained calm ahead of the monthly tax payments by companies this week."
    a = copies.fingerprint("BANK ADDS RESERVES", [body.format("2.5", "7", "3.75", "12")])
    b = copies.fingerprint("BANK ADDS RESERVES", [body.format("1.25", "14", "3.80", "19")])
    containment, _jaccard, shared = copies.compare(a.shingles, b.shingles)
    assert copies.is_copy(containment, shared)  # the words alone would call them copies
    assert not copies.numbers_agree(a.numbers, b.numbers)
    corrected = copies.fingerprint("BANK ADDS RESERVES", [body.format("2.5", "7", "3.80", "12")])
    assert copies.numbers_agree(a.numbers, corrected.numbers)  # a correction of one figure


def test_figures_are_read_whole() -> None:
    found = copies.fingerprint("Q1 NET", ["Net 1,541,000 vs 1.2 mln, shares 3/4 up, 7 pct"])
    assert found.numbers == {"1", "1,541,000", "1.2", "3/4", "7"}


def test_a_stopped_copy_pass_is_finished_by_the_next(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(corpus_dir, "wire.jsonl", ROWS)
    lib = _open(corpus_dir, tmp_path)
    monkeypatch.setattr(copies, "CHUNK", 2)  # three chunks for six articles
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 1  # stop after the first chunk

    # The articles without the copy pass: what a build stopped right after its batches leaves.
    monkeypatch.setattr(copies, "update", lambda conn, progress=None, stop=None, pool=None: 0)
    lib.update()
    monkeypatch.undo()
    monkeypatch.setattr(copies, "CHUNK", 2)
    conn = lib.catalogue.connection()
    assert not copies.complete(conn)
    assert copies.update(conn, stop=stop) == 2
    assert not copies.complete(conn)
    lib.update()  # nothing changed in the files, but the copy pass is incomplete
    assert copies.complete(conn)
    assert _groups(lib) == [{WIRE, INTRO, CUT, EDITED, SAME}]


def test_band_keys_made_in_workers_give_the_same_copies(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big copy pass makes its band keys in the build's worker processes, chunks ahead of
    the comparisons (issue 20): the tables it leaves are those of the serial pass."""
    from concurrent.futures import ThreadPoolExecutor

    _write(corpus_dir, "wire.jsonl", ROWS)
    lib = _open(corpus_dir, tmp_path)
    lib.update()
    conn = lib.catalogue.connection()

    def tables() -> tuple[list, list]:
        bands = conn.execute("SELECT key, article FROM copy_bands ORDER BY 1, 2").fetchall()
        return bands, conn.execute("SELECT * FROM copy_pairs ORDER BY 1, 2").fetchall()

    serial = tables()
    assert serial[0] and serial[1]
    conn.execute("DELETE FROM copy_done")
    conn.execute("DELETE FROM copy_bands")
    conn.execute("DELETE FROM copy_pairs")
    conn.commit()
    monkeypatch.setattr(copies, "CHUNK", 2)  # three chunks, made ahead of the comparisons
    monkeypatch.setattr(copies, "PARALLEL_AT", 1)
    started = []

    def pool() -> ThreadPoolExecutor:
        started.append(1)
        return ThreadPoolExecutor(2)

    assert copies.update(conn, pool=pool) == len(ROWS)
    assert started == [1]
    assert tables() == serial
    assert _groups(lib) == [{WIRE, INTRO, CUT, EDITED, SAME}]


def test_the_comparisons_reuse_the_fingerprints_made_in_the_workers(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers shingle each article to make its band keys; the comparisons, in the build's
    own process (the copy pass's bottleneck), used to shingle it again (issue 20)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    _write(corpus_dir, "wire.jsonl", ROWS)
    lib = _open(corpus_dir, tmp_path)
    lib.update()
    conn = lib.catalogue.connection()
    serial = conn.execute("SELECT * FROM copy_pairs ORDER BY 1, 2").fetchall()
    for table in ("copy_done", "copy_bands", "copy_pairs"):
        conn.execute(f"DELETE FROM {table}")
    conn.commit()
    monkeypatch.setattr(copies, "PARALLEL_AT", 1)
    here = threading.get_ident()
    made_here = []
    real = copies.fingerprint

    def counting(title: str, paragraphs: list[str]) -> copies.Fingerprint:
        if threading.get_ident() == here:
            made_here.append(title)
        return real(title, paragraphs)

    monkeypatch.setattr(copies, "fingerprint", counting)
    assert copies.update(conn, pool=lambda: ThreadPoolExecutor(2)) == len(ROWS)
    assert made_here == []  # one chunk: every article's fingerprint came from a worker
    assert conn.execute("SELECT * FROM copy_pairs ORDER BY 1, 2").fetchall() == serial
