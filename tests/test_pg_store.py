"""The PostgreSQL catalogue answers every read as the SQLite one does (issue 19).

One fixture corpus (the seeds, wire copies, quotes, hostile text) is built into both stores;
each read is then compared. The SQLite catalogue is the reference: it is what the app has
always shown.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corpus
from index import paths
from index.analysis import copies
from index.compare.similar import copy_groups
from index.library import CorpusUnavailable, Library, open_library

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mixed") / "corpus"
    shutil.copytree(corpus.default_corpus_dir(), folder)
    shutil.copy(FIXTURES / "copies" / "wire.jsonl", folder / "wire.jsonl")
    shutil.copy(FIXTURES / "quotes" / "articles.jsonl", folder / "quotes.jsonl")
    shutil.copy(FIXTURES / "hostile" / "hostile.txt", folder / "hostile.txt")
    return folder


def _build(folder: Path, base: Path, backend: str | None) -> Library:
    settings, _problems = paths.load_settings(
        folder, base / "index", base / "notes.md", backend=backend
    )
    library = open_library(settings)
    library.update(build_shared=True, workers=1)
    return library


@pytest.fixture
def both(mixed_corpus: Path, tmp_path: Path, postgresql_url: str) -> tuple[Library, Library]:
    """The embedded and the PostgreSQL library of one copy of the corpus (tmp_path/corpus)."""
    folder = tmp_path / "corpus"
    shutil.copytree(mixed_corpus, folder)
    return _build(folder, tmp_path / "a", None), _build(folder, tmp_path / "b", postgresql_url)


def test_the_postgresql_store_is_chosen_by_the_url(both: tuple[Library, Library]) -> None:
    embedded, shared = both
    assert embedded.shared is None and type(embedded.catalogue).__name__ == "Catalogue"
    assert shared.shared is not None and type(shared.catalogue).__name__ == "PgCatalogue"


def test_article_reads_are_the_same(both: tuple[Library, Library]) -> None:
    a, b = (lib.catalogue for lib in both)
    assert a.count() == b.count() > 10
    assert sorted(a.ids()) == sorted(b.ids())
    assert a.infos() == b.infos()
    assert both[0].articles() == both[1].articles()
    for article_id in a.ids():
        assert a.article(article_id) == b.article(article_id)
        assert a.mentions(article_id) == b.mentions(article_id)
        assert both[0].mentions(article_id) == both[1].mentions(article_id)
    assert b.article("no-such-id") is None
    assert a.sources() == b.sources()
    assert a.file_states() == b.file_states()
    assert sorted(a.iter_mentions()) == sorted(b.iter_mentions())
    key = sorted(a.events(), key=repr)
    assert key == sorted(b.events(), key=repr) and key
    assert both[0].timeline() == both[1].timeline()


def test_the_first_page_is_the_same(both: tuple[Library, Library]) -> None:
    """The article list's first page (issue 20): the start of the whole list, in both."""
    a, b = (lib.catalogue for lib in both)
    infos = a.infos()
    for limit in (0, 1, 7, len(infos) - 1, len(infos), len(infos) + 3):
        assert a.first_infos(limit) == b.first_infos(limit) == infos[:limit], limit


def test_entity_reads_are_the_same(both: tuple[Library, Library]) -> None:
    a, b = (lib.catalogue for lib in both)
    assert a.has_entities() and b.has_entities()
    assert a.entities() == b.entities()
    assert a.entities(3) == b.entities(3)
    assert a.entity_aliases() == b.entity_aliases()
    names = [e.name for e in a.entities()] + [alias for e in a.entities() for alias in e.aliases]
    assert a.canonical_for(names) == b.canonical_for(names)
    assert a.entities_named(names[:7]) == b.entities_named(names[:7])
    ids = a.ids()
    for article_id in ids:
        assert a.article_entities(article_id) == b.article_entities(article_id)
    assert a.entity_counts_among(ids[:6]) == b.entity_counts_among(ids[:6])
    assert a.entity_counts_among(ids, 5) == b.entity_counts_among(ids, 5)
    for entity in a.entities(10):
        assert sorted(a.articles_with_entity(entity.name)) == sorted(
            b.articles_with_entity(entity.name)
        )
        assert both[0].timeline(entity.name) == both[1].timeline(entity.name)
    assert both[0].entities(ids[0]) == both[1].entities(ids[0])
    assert both[0].entities_among(ids[:4]) == both[1].entities_among(ids[:4])


def test_quote_reads_are_the_same(both: tuple[Library, Library]) -> None:
    a, b = (lib.catalogue for lib in both)
    assert a.quotes() == b.quotes() and a.quotes()
    assert sorted(a.quote_speakers()) == sorted(b.quote_speakers())
    speakers = [name for name, _n in a.quote_speakers()][:3]
    assert a.quotes(speakers=speakers) == b.quotes(speakers=speakers)
    first = a.quotes()[0][0].article
    assert a.quotes(article=first) == b.quotes(article=first)
    assert both[0].quotes() == both[1].quotes()
    assert both[0].quote_counts() == both[1].quote_counts()


def test_copies_and_duplicates_are_the_same(both: tuple[Library, Library]) -> None:
    a, b = (lib.catalogue for lib in both)
    pairs = copies.all_pairs(a.connection())
    assert pairs and pairs == copies.all_pairs(b.connection())
    assert copies.pairs_of(a.connection(), pairs[0].a) == copies.pairs_of(
        b.connection(), pairs[0].a
    )
    assert copy_groups(both[0]) == copy_groups(both[1])
    assert a.orphaned_duplicates() == b.orphaned_duplicates()
    infos = a.infos()
    keys = [info.id for info in infos]
    assert a.holders(keys, []) == b.holders(keys, [])


def test_an_update_after_a_change_is_the_same(
    both: tuple[Library, Library], tmp_path: Path
) -> None:
    """Removing a file and adding one: the same articles, entities and copies after."""
    changed = tmp_path / "corpus"
    (changed / "hostile.txt").unlink()
    shutil.copy(FIXTURES / "copies" / "wire.jsonl", changed / "wire-again.jsonl")
    (a, ra), (b, rb) = [(library, library.update(build_shared=True, workers=1)) for library in both]
    assert ra.removed == rb.removed > 0
    assert a.articles() == b.articles()
    assert a.catalogue.entities() == b.catalogue.entities()
    assert sorted(map(str, ra.duplicates)) == sorted(map(str, rb.duplicates))
    assert copy_groups(a) == copy_groups(b)


def test_a_build_from_another_corpus_folder_is_refused(
    both: tuple[Library, Library], tmp_path: Path
) -> None:
    """Building a shared database from another folder would remove every article it holds."""
    shared = both[1]
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(FIXTURES / "quotes" / "articles.jsonl", other / "a.jsonl")
    settings, _problems = paths.load_settings(
        other, tmp_path / "x", tmp_path / "n.md", backend=shared.settings.backend
    )
    before = shared.catalogue.count()
    with pytest.raises(CorpusUnavailable, match=r"holds the corpus of .*--rebuild"):
        open_library(settings).update(build_shared=True, workers=1)
    assert shared.catalogue.count() == before
    report = open_library(settings).update(rebuild=True, build_shared=True, workers=1)
    assert shared.catalogue.count() == report.articles < before


def test_readers_do_not_build(both: tuple[Library, Library], tmp_path: Path) -> None:
    """The app and the reading commands open the database as its builder left it: a new file
    in the corpus folder is not indexed by a reader (only by ``thaad-tui index``)."""
    shared = both[1]
    shutil.copy(FIXTURES / "copies" / "wire.jsonl", tmp_path / "corpus" / "new.jsonl")
    reader = open_library(shared.settings)
    before = reader.catalogue.count()
    assert reader.update().added == 0
    assert reader.catalogue.count() == before


def test_the_schema_is_migrated_by_version_on_open(
    postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database at version 1 gets the later steps only (its rows kept); one newer than this
    thaad-tui is refused in one line, its tables untouched."""
    import psycopg

    from index.store.postgres import schema
    from index.store.postgres.catalogue import PgCatalogue
    from index.store.postgres.connect import BackendUnavailable, PgConnections

    first = PgCatalogue(PgConnections(postgresql_url))
    first.set_meta("kept", "yes")
    step = "CREATE TABLE later_step (x INTEGER); INSERT INTO later_step VALUES (2);"
    monkeypatch.setattr(schema, "STEPS", (*schema.STEPS, step))
    second = PgCatalogue(PgConnections(postgresql_url))
    assert second.get_meta("kept") == "yes"
    with psycopg.connect(postgresql_url) as conn:
        assert conn.execute("SELECT x FROM later_step").fetchall() == [(2,)]
        assert schema.stored_version(conn) == 2
    monkeypatch.setattr(schema, "STEPS", schema.STEPS[:1])
    with pytest.raises(BackendUnavailable, match=r"holds schema 2, this thaad-tui knows up to 1"):
        PgCatalogue(PgConnections(postgresql_url)).count()
