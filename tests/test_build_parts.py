"""One big JSON Lines file is cut at line ends and its parts analysed side by side (issue 20:
the build's speed "whatever the file layout"); the index it gives is the one the whole file
gives."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from index import paths
from index.build import builder, parts, procs
from index.library import Library, open_library

WORDS = [
    "missile",
    "battery",
    "radar",
    "ministry",
    "tourism",
    "boycott",
    "summit",
    "election",
    "court",
    "protest",
    "farmers",
    "villagers",
    "shares",
    "retail",
    "cosmetics",
    "airline",
    "ferry",
    "drama",
    "concert",
    "sanctions",
    "envoy",
    "talks",
]


def _words(n: int) -> str:
    """Forty words that differ from one article to the next (no two are copies)."""
    state = n * 2654435761 % 2**32
    words = []
    for _ in range(40):
        state = (state * 1103515245 + 12345) % 2**31
        words.append(WORDS[state % len(WORDS)])
    return " ".join(words) + "."


def _write_big(
    path: Path, count: int, bad_lines: tuple[int, ...] = (), encoding: str = "utf-8"
) -> None:
    lines = []
    for n in range(1, count + 1):
        if n in bad_lines:
            lines.append("{not json")
            continue
        record = {
            "title": f"Report {n} on the Seongju battery",
            "url": f"https://example.org/{n}",
            "published": f"2017-03-{n % 28 + 1:02d}",
            "text": f"Café talks in Beijing on day {n}. " + _words(n),
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding=encoding)


def _built(corpus: Path, index_dir: Path, workers: int) -> tuple[Library, list[str]]:
    library = open_library(paths.resolve(corpus, index_dir, index_dir.parent / "notes.md"))
    report = library.update(workers=workers)
    return library, report.warnings


def _content(library: Library) -> list[tuple[str, str, int | None, str]]:
    rows = []
    for info in library.articles():
        article = library.article(info.id)
        assert article is not None
        rows.append((article.id, article.title, article.line, article.text))
    return sorted(rows)


@pytest.fixture
def thread_pool(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, int] | None]:
    """The build's workers as threads (so that what they are given can be seen), with parts
    small enough for a small file; returns the parts the workers analysed."""
    given: list[tuple[int, int, int] | None] = []
    real = builder.analyse

    def recording(job: builder._Job) -> builder._Done:
        given.append(job.part)
        return real(job)

    monkeypatch.setattr(builder, "analyse", recording)
    monkeypatch.setattr(parts, "PART_BYTES", 4096)
    monkeypatch.setattr(builder, "POOL_BYTES", 1)
    monkeypatch.setattr(procs, "start_pool", lambda workers: ThreadPoolExecutor(workers))
    return given


def test_one_big_file_is_analysed_in_parts_giving_the_same_index(
    tmp_path: Path, thread_pool: list[tuple[int, int, int] | None]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_big(corpus / "all.jsonl", 300, bad_lines=(7, 151, 299))
    size = (corpus / "all.jsonl").stat().st_size
    parted, parted_warnings = _built(corpus, tmp_path / "ix2", workers=2)
    assert len(thread_pool) >= size // 4096 - 1, thread_pool
    # The parts tile the file, each starting on a line of its own.
    parts = sorted(p for p in thread_pool if p is not None)
    assert len(parts) == len(thread_pool)
    assert [start for start, _end, _line in parts] == [0, *(end for _s, end, _l in parts[:-1])]
    assert parts[-1][1] == size
    text = (corpus / "all.jsonl").read_bytes()
    assert all(text.count(b"\n", 0, start) + 1 == line for start, _end, line in parts)
    thread_pool.clear()
    whole, whole_warnings = _built(corpus, tmp_path / "ix1", workers=1)
    assert thread_pool == [None]
    assert _content(parted) == _content(whole)
    assert len(_content(whole)) == 297
    # Line numbers of skipped lines and of articles are the file's, not the part's.
    assert parted_warnings == whole_warnings
    assert [w.rsplit(":", 3)[1] for w in parted_warnings] == ["7", "151", "299"]
    lines = {line for _id, _t, line, _text in _content(parted)}
    assert lines == set(range(1, 301)) - {7, 151, 299}


def test_a_big_file_not_in_utf8_is_not_cut(
    tmp_path: Path, thread_pool: list[tuple[int, int, int] | None]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_big(corpus / "old.jsonl", 200, encoding="cp1252")  # "Café" is not UTF-8 there
    library, warnings = _built(corpus, tmp_path / "ix", workers=2)
    assert thread_pool == [None]
    assert warnings == []
    titles = [a.title for a in library.articles()]
    assert len(titles) == 200
    assert any("Café" in text for _id, _t, _line, text in _content(library))
