"""The fuzzy-quality bench names articles by stable keys (a JSON Lines record's own "id", else
the file name) and maps them to the app's ids, which hash the URL or the text, at run time."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.bench_fuzzy_quality import ids_by_key
from index import paths
from index.library import open_library


def test_every_key_maps_to_the_id_the_index_gives_its_article(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    records = [
        {"id": "kh001", "url": "https://news.example/a", "title": "Alpha", "text": "Seongju one."},
        {"id": "kh002", "url": "https://news.example/b", "title": "Beta", "text": "Lotte two."},
    ]
    (corpus / "articles.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    (corpus / "seed.txt").write_text("Gamma\n\nA seed about Wonsan.\n", encoding="utf-8")
    # The same text in a second file is one article in the app: both keys name it.
    (corpus / "copy.txt").write_text("Gamma\n\nA seed about Wonsan.\n", encoding="utf-8")
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()

    ids = ids_by_key(corpus)

    assert sorted(ids) == ["copy.txt", "kh001", "kh002", "seed.txt"]
    titles = {key: library.article(article_id).title for key, article_id in ids.items()}
    assert titles["kh001"] == "Alpha" and titles["kh002"] == "Beta"
    assert ids["copy.txt"] == ids["seed.txt"]
    assert {i.id for i in library.articles()} == set(ids.values())
