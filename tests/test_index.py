"""Building, updating and recovering the index (catalogue + Whoosh) over the seed corpus."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from index import paths
from index.library import Library, open_library

TITLE_OF = {
    "001_3c399b3eb91c5a9d.txt": "China raises concerns over missile defense",
}


def test_first_use_builds_every_seed(library: Library) -> None:
    infos = library.articles()
    assert len(infos) == 5
    assert [i.published.isoformat() for i in infos if i.published] == [
        "2015-02-04",
        "2016-11-08",
        "2017-10-25",
        "2017-10-31",
        "2019-12-04",
    ]
    assert library.fulltext.doc_count() == 5


def test_ids_are_stable_across_rebuilds(settings: paths.Settings, tmp_path: Path) -> None:
    first = open_library(settings)
    first.update()
    other = open_library(paths.resolve(settings.corpus_roots[0], tmp_path / "other-index"))
    other.update(rebuild=True)
    assert sorted(i.id for i in first.articles()) == sorted(i.id for i in other.articles())


def test_second_update_reindexes_nothing(library: Library) -> None:
    report = library.update()
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 5)


def test_changing_one_file_reindexes_only_it(library: Library, seed_corpus: Path) -> None:
    target = seed_corpus / "001_3c399b3eb91c5a9d.txt"
    target.write_text(target.read_text("utf-8").replace("Chang is to leave", "Chang will leave"))
    report = library.update()
    assert (report.added, report.updated, report.unchanged) == (0, 1, 4)
    article = next(i for i in library.articles() if i.title == TITLE_OF[target.name])
    assert any("Chang will leave" in p for p in library.article(article.id).paragraphs)
    assert library.search('"will leave"')[0].id == article.id


def test_touching_without_change_reindexes_nothing(library: Library, seed_corpus: Path) -> None:
    target = seed_corpus / "000_308bac643ac8d815.txt"
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))
    report = library.update()
    assert (report.added, report.updated, report.unchanged) == (0, 0, 5)
    assert library.update().unchanged == 5  # the new mtime was recorded: no re-hash next time


def test_new_and_removed_files(library: Library, seed_corpus: Path) -> None:
    (seed_corpus / "extra.md").write_text(
        "---\ntitle: Lotte store closures\noutlet: Yonhap\npublished: 2017-03-07\n---\n\n"
        "Lotte Mart closed more stores in China.\n",
        encoding="utf-8",
    )
    (seed_corpus / "002_f8c35fc1e1ea05f0.txt").unlink()
    report = library.update()
    assert (report.added, report.removed) == (1, 1)
    titles = {i.title for i in library.articles()}
    assert "Lotte store closures" in titles and len(titles) == 5
    assert [h.title for h in library.search("Stockholm")] == []


def test_bad_files_are_skipped_with_one_warning_each(library: Library, seed_corpus: Path) -> None:
    (seed_corpus / "empty.txt").write_bytes(b"")
    (seed_corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (seed_corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    report = library.update()
    assert len(report.warnings) == 3
    for name in ("empty.txt", "binary.txt", "notes.docx"):
        assert sum(name in w for w in report.warnings) == 1
    assert len(library.articles()) == 5


def test_add_copies_into_the_writable_corpus(library: Library, tmp_path: Path) -> None:
    outside = tmp_path / "mine.md"
    outside.write_text("---\ntitle: My own article\n---\n\nAbout THAAD.\n", encoding="utf-8")
    report = library.add([outside])
    assert report.added == 1
    assert (library.settings.writable_root / "mine.md").read_bytes() == outside.read_bytes()
    assert "My own article" in {i.title for i in library.articles()}


def test_default_corpus_never_writes_into_the_package(tmp_path: Path) -> None:
    settings = paths.resolve(index_dir=tmp_path / "ix")
    assert settings.writable_root == paths.user_corpus_dir()
    assert paths.user_corpus_dir() not in settings.corpus_roots[:1]
    lib = open_library(settings)
    assert lib.update().added == 5


def test_truncated_segment_is_detected_and_rebuilt(library: Library) -> None:
    segments = [p for p in library.fulltext.folder.iterdir() if p.suffix == ".seg"]
    assert segments
    for seg in segments:
        seg.write_bytes(seg.read_bytes()[: seg.stat().st_size // 3])
    fresh = open_library(library.settings)
    report = fresh.update()
    assert report.rebuilt and "rebuilt" in report.summary()
    assert any("damaged" in n for n in fresh.notices)
    assert len(fresh.articles()) == 5
    assert fresh.search("Lotte")[0].title == "South Korea, China Seek to Warm Frozen Ties"


def test_deleted_whoosh_folder_is_rebuilt(library: Library) -> None:
    shutil.rmtree(library.fulltext.folder)
    fresh = open_library(library.settings)
    assert fresh.update().rebuilt
    assert fresh.fulltext.doc_count() == 5


def test_older_schema_is_rebuilt(library: Library) -> None:
    library.catalogue.set_meta("schema", "0")
    library.catalogue.close()
    fresh = open_library(library.settings)
    report = fresh.update()
    assert report.rebuilt and "schema 0" in report.rebuilt
    assert len(fresh.articles()) == 5


def test_index_lives_in_the_cache_keyed_by_corpus(seed_corpus: Path, tmp_path: Path) -> None:
    a = paths.resolve(seed_corpus)
    b = paths.resolve(tmp_path)
    assert a.index_dir != b.index_dir
    assert a.index_dir.is_relative_to(paths.cache_dir())
    assert f"index-v{paths.SCHEMA_VERSION}" in str(a.index_dir)


def _segments(library: Library) -> list[tuple[str, int]]:
    with library.fulltext.index().reader() as reader:
        return [(r.segment().segment_id(), r.doc_count_all()) for r, _ in reader.leaf_readers()]


def test_adding_articles_never_rewrites_a_big_segment(
    library: Library, tmp_path: Path, monkeypatch
) -> None:
    from index.search.whoosh import backend as fulltext

    monkeypatch.setattr(fulltext, "SMALL_SEGMENT", 3)  # the five seeds make one "big" segment
    [(seeds, five)] = _segments(library)
    sizes = []
    for n in range(4):
        path = tmp_path / f"added-{n}.md"
        path.write_text(
            f"---\ntitle: Added {n}\n---\n\nAbout THAAD and quokkas ({n}).\n", encoding="utf-8"
        )
        library.add([path])
        segments = _segments(library)
        assert (seeds, five) in segments  # untouched, never merged into the small one
        sizes.append(sorted(n for _, n in segments if _ != seeds))
    # Small segments are folded into the next commit until one reaches SMALL_SEGMENT.
    assert sizes == [[1], [2], [3], [1, 3]]
    assert len(library.search("quokkas")) == 4


def test_entity_lookups_without_loading_every_article_list(library: Library) -> None:
    full = library.catalogue.entities()
    assert library.catalogue.has_entities() and full
    assert library.catalogue.entity_aliases() == [(e.name, e.aliases) for e in full]
    some = {e.name: e for e in full[:3]}
    assert library.catalogue.entities_named([*some, "No Such Entity"]) == some
    library.catalogue.replace_entities([], {})
    assert not library.catalogue.has_entities()
