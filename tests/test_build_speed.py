"""Speed work of issue 20 on the index side: the joined-names field is made where the
article is analysed (the writer in the main process only copies it); searchers are shared
between threads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index import paths
from index.library import Library, open_library
from index.search import fields as search_fields


@pytest.fixture
def library_seeds(library: Library) -> Library:
    """The seed corpus, built (the conftest's ``library``)."""
    return library


def test_the_joined_field_comes_from_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    record = {"title": "Summit", "text": "Moon Jae-in met Kim Jong Un at Panmunjom on Friday."}
    (corpus / "a.jsonl").write_text(json.dumps(record) + "\n")

    def not_here(*args: object) -> str:
        raise AssertionError("the writer made the joined field again")

    monkeypatch.setattr(search_fields, "joined_field", not_here)
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    for name in ("jaein", "kimjongun", "moonjaein"):
        assert [h.title for h in library.fuzzy(name)] == ["Summit"], name


def test_searches_from_new_threads_share_the_open_searcher(
    library_seeds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app searches from a new worker thread on every keystroke: opening a searcher each
    time cost more than the search. Searchers are lent to one thread at a time instead."""
    import threading

    library = library_seeds
    library.search("thaad")  # opens one
    index = library.fulltext.index()
    opened = []
    real = index.searcher

    def counting(*args: object, **kwargs: object):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(index, "searcher", counting)
    found: list[int] = []
    for text in ("thaad", "missile", "china"):
        worker = threading.Thread(target=lambda t=text: found.append(len(library.search(t))))
        worker.start()
        worker.join()
    assert opened == []
    assert len(found) == 3 and all(found)


def test_searches_at_once_open_no_more_than_the_searcher_limit(
    library_seeds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keystrokes typed faster than they are answered each searched in a thread of its own,
    and each opened a searcher mapping the index's files: six at once held 1.6 GB resident at
    19,043 articles. Beyond MAX_SEARCHERS a search waits for one to be given back."""
    import threading

    from index.search.whoosh import backend as whoosh_backend

    library = library_seeds
    index = library.fulltext.index()
    opened: list[int] = []
    busy = threading.Semaphore(0)
    go = threading.Event()
    real = index.searcher

    def slow(*args: object, **kwargs: object):
        opened.append(1)
        busy.release()
        go.wait(timeout=30)  # every thread is searching (or waiting to) before any ends
        return real(*args, **kwargs)

    monkeypatch.setattr(index, "searcher", slow)
    words = ("thaad", "missile", "china", "seoul", "defense", "beijing")
    found: dict[str, int] = {}
    threads = [
        threading.Thread(target=lambda w=w: found.__setitem__(w, len(library.search(w))))
        for w in words
    ]
    for thread in threads:
        thread.start()
    for _ in range(whoosh_backend.MAX_SEARCHERS):
        assert busy.acquire(timeout=30)
    go.set()
    for thread in threads:
        thread.join(timeout=60)
    assert len(opened) == whoosh_backend.MAX_SEARCHERS
    assert set(found) == set(words) and all(found.values())
