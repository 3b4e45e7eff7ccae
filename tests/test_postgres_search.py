"""The PostgreSQL search backend against a real server (tests/pgserver.py): the same answers
as the Whoosh index on the same articles, hostile words, consistent writes, readers that never
wait for a writer, typo candidates from the trigram index, lost connections."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

import corpus
from index.analysis import entities
from index.ingest import corpus as ingest
from index.search import query
from index.search import querytree as qt
from index.search.fuzzy import Vocabulary
from index.search.highlight import best_paragraph, cut_snippet
from index.search.postgres import PostgresBackend, open_fulltext
from index.search.postgres import backend as pg_backend
from index.search.postgres.documents import analyze_text
from index.search.whoosh.analysis import ANALYZER
from index.search.whoosh.backend import WhooshBackend
from index.store.catalogue import Analysed
from index.store.postgres.connect import BackendUnavailable, PgConnections, redact

FIXTURES = Path(__file__).parent / "fixtures" / "search"


def _analysed(paths: list[Path], root: Path) -> list[Analysed]:
    items = []
    for path in paths:
        articles, _warnings = ingest.parse_file(path, root, None)
        for article in articles:
            items.append(Analysed("t", article, tuple(entities.extract(article.text)), ()))
    return items


@pytest.fixture(scope="module")
def articles() -> list[Analysed]:
    seeds = corpus.default_corpus_dir()
    return _analysed(sorted(seeds.glob("*.txt")), seeds) + _analysed(
        [FIXTURES / "articles.jsonl"], FIXTURES
    )


@pytest.fixture
def pg(postgresql_url: str, articles: list[Analysed]) -> Iterator[PostgresBackend]:
    backend = open_fulltext(postgresql_url)
    backend.write_batch([], articles)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def whoosh(articles: list[Analysed], tmp_path_factory: pytest.TempPathFactory) -> WhooshBackend:
    index = WhooshBackend(tmp_path_factory.mktemp("whoosh") / "ix")
    index.write_batch([], articles)
    return index


def _whoosh(whoosh: WhooshBackend, text: str, limit: int | None) -> list[tuple[str, frozenset]]:
    return [(h.id, h.terms) for h in whoosh.search(query.parse(text), limit=limit).hits]


# Search box texts of every kind, parsed by the project's parser into one tree for both.
SAME = [
    "thaad",
    "missiles AND china",
    "lotte OR beijing",
    "china NOT seoul",
    "NOT thaad",
    "-thaad radar",
    '"defence minister"',
    '"minister defence"',
    '"kim jong"~3',
    "deploy*",
    "se*",
    "thad~",
    "seongjo~2",
    "te?t*",
    "title:moon",
    "body:radar",
    "outlet:fixture",
    "entity:Seoul",
    'entity:"Kim Jong Un"',
    "Jae-in",
    "사드",
    "萨德",
    "Pokémon OR pokemon",
    "beijing date:[2017-01-01 TO 2017-12-31]",
    "date:2017-03",
    "(moon OR kim) AND NOT title:sister",
    "title:[a TO c]",
]


@pytest.mark.parametrize("text", SAME)
def test_finds_the_same_articles_as_whoosh(pg, whoosh, text) -> None:
    tree = query.parse(text)
    expected = {aid for aid, _terms in _whoosh(whoosh, text, None)}
    found = pg.search(tree, limit=None)
    assert {hit.id for hit in found.hits} == expected
    assert found.total == len(expected)
    assert set(pg.ids(tree)) == expected
    assert pg.count(tree) == len(expected)


@pytest.mark.parametrize("text", ["thaad", '"defence minister"', "missiles AND china", "lotte"])
def test_snippets_are_cut_as_for_whoosh(pg, whoosh, articles, text) -> None:
    paragraphs = {item.article.id: item.article.paragraphs for item in articles}
    expected = dict(_whoosh(whoosh, text, None))
    hits = pg.search(query.parse(text), limit=None).hits
    assert hits
    for hit in hits:
        assert hit.terms == expected[hit.id]
        mine = best_paragraph(paragraphs[hit.id], hit.terms, pg.analyze)
        theirs = best_paragraph(paragraphs[hit.id], expected[hit.id], whoosh.analyze)
        assert mine == theirs
        assert cut_snippet(paragraphs[hit.id][mine[0]], mine[1]) == cut_snippet(
            paragraphs[hit.id][theirs[0]], theirs[1]
        )


def _id(articles: list[Analysed], title_start: str) -> str:
    return next(i.article.id for i in articles if i.article.title.startswith(title_start))


@pytest.mark.parametrize("word", ["moon", "beijing", "thaad", "radar", "kim"])
def test_the_best_hit_is_one_of_whoosh_s_best_two(pg, whoosh, word) -> None:
    # ts_rank is not BM25: near ties ("kim": 8.2 against 8.0 in Whoosh) may swap
    expected = {aid for aid, _t in _whoosh(whoosh, word, 2)}
    assert pg.search(qt.Term(word), limit=1).hits[0].id in expected


def test_a_title_match_ranks_above_a_body_match(pg, articles) -> None:
    # "capital" is in the title of one fixture article and in the body of another
    hits = [h.id for h in pg.search(qt.Term("capital"), limit=None).hits]
    assert hits.index(_id(articles, "Markets open higher in the capital")) < hits.index(
        _id(articles, "Conglomerate hands over")
    )


def test_sort_by_date_and_filters(pg, articles) -> None:
    moon, duterte = _id(articles, "Moon Jae-in meets"), _id(articles, "Rodrigo Duterte")
    newest = [h.id for h in pg.search(qt.Term("beijing"), limit=None, sort="newest").hits]
    assert newest.index(moon) < newest.index(duterte)  # 2017-12 before 2016-10
    oldest = [h.id for h in pg.search(qt.Term("beijing"), limit=None, sort="oldest").hits]
    assert oldest.index(duterte) < oldest.index(moon)
    ranked = {h.id: h.score for h in pg.search(qt.Term("beijing"), limit=None).hits}
    only = pg.search(qt.Term("beijing"), limit=None, filters=qt.Term("duterte", "title"))
    assert [h.id for h in only.hits] == [duterte]
    assert only.hits[0].score == ranked[duterte]  # a filter restricts, never ranks


HOSTILE = [
    "o'neil",
    "back\\slash",
    "a:b",
    "'); DROP TABLE search_docs; --",
    "!&|<->():*",
    "' | 'thaad",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_words_are_only_words(pg, text) -> None:
    for node in (
        qt.Term(text),
        qt.Phrase(text),
        qt.Prefix(text),
        qt.Term(text, "entity"),
        qt.IndexTerm("body", text),
    ):
        found = pg.search(node, limit=None)
        # "' | 'thaad" is the words "thaad" at most: never "every article with thaad or ..."
        assert found.total <= pg.count(qt.Term("thaad"))
    assert pg.doc_count() > 0  # the table is still there


def test_replacing_and_removing_keeps_the_vocabulary_exact(pg, articles) -> None:
    lotte = next(i for i in articles if i.article.title.startswith("Conglomerate"))
    golf = pg.doc_frequency("body", "golf")
    assert golf == pg.search(qt.Term("golf", "body"), limit=None).total > 0
    assert "swap" in pg.vocabulary("body")  # in this article only
    pg.write_batch([], [lotte])  # replaced by id: counted once, not twice
    assert pg.doc_frequency("body", "golf") == golf
    assert pg.doc_frequency("body", "swap") == 1
    assert pg.doc_count() == len(articles)
    pg.write_batch([lotte.article.id], [])
    assert pg.doc_frequency("body", "golf") == golf - 1
    assert pg.doc_frequency("body", "swap") == 0
    assert "swap" not in pg.vocabulary("body")
    assert pg.search(qt.Term("swap"), limit=None).total == 0
    assert pg.doc_count() == len(articles) - 1


def test_a_failed_batch_leaves_the_previous_state(pg, articles, monkeypatch) -> None:
    before, golf = pg.doc_count(), pg.doc_frequency("body", "golf")

    def broken(*_args):
        raise RuntimeError("killed mid-batch")

    monkeypatch.setattr(pg_backend, "vocabulary_delta", broken)
    with pytest.raises(RuntimeError, match="killed"):
        pg.write_batch([a.article.id for a in articles[:3]], [])
    monkeypatch.undo()
    assert pg.doc_count() == before
    assert pg.doc_frequency("body", "golf") == golf


def test_readers_do_not_wait_for_a_running_write(pg, postgresql_url) -> None:
    before = {h.id for h in pg.search(qt.Term("thaad"), limit=None).hits}
    writer = psycopg.connect(postgresql_url)
    try:
        # A build's batch in progress: rows deleted, the write lock held, nothing committed.
        writer.execute("SELECT pg_advisory_xact_lock(hashtext('thaad-tui search write'))")
        writer.execute("DELETE FROM search_docs")
        writer.execute("LOCK TABLE search_vocab IN ROW EXCLUSIVE MODE")
        found: list[set[str]] = []
        reader = threading.Thread(
            target=lambda: found.append(
                {h.id for h in pg.search(qt.Term("thaad"), limit=None).hits}
            )
        )
        reader.start()
        reader.join(timeout=30)
        assert not reader.is_alive(), "the reader waited for the writer"
        assert found == [before]
    finally:
        writer.rollback()
        writer.close()


TYPED = ["thad", "thaad", "seongjoo", "chinna", "deploymnt", "lote", "missle", "beijng", "dutert"]


@pytest.mark.parametrize("local_words", [0, pg_backend.LOCAL_WORDS])  # word by word; read whole
@pytest.mark.parametrize("word", TYPED)
def test_typo_candidates_from_the_trigram_index_are_the_in_memory_ones(
    pg, word, local_words, monkeypatch
) -> None:
    monkeypatch.setattr(pg_backend, "LOCAL_WORDS", local_words)
    for field in ("body", "title", "joined"):
        in_db = pg.vocabulary(field)
        in_memory = Vocabulary(in_db.sorted)
        assert in_db.typos(word) == in_memory.typos(word)
        stem = pg.analyze(word)[0].text
        assert in_db.typos(word, stem) == in_memory.typos(word, stem)
        assert in_db.within(word, 1, 0) == in_memory.within(word, 1, 0)
        assert in_db.completions(word[:3]) == in_memory.completions(word[:3])
        assert (word in in_db) == (word in in_memory)
        assert (
            in_db.frequency(word[:4]) == pg.search(qt.IndexTerm(field, word[:4]), limit=None).total
        )


def test_more_like_leaves_the_article_out(pg, articles) -> None:
    kim = next(i.article for i in articles if i.article.title.startswith("Kim Jong Un"))
    similar = pg.more_like(kim.id, kim.text, 3)
    assert similar
    assert kim.id not in {aid for aid, _s in similar}
    assert similar[0][0] == _id(articles, "Kim Jong-un's sister")


def test_a_lost_connection_is_made_again(pg, postgresql_url) -> None:
    assert pg.count(qt.Term("thaad")) > 0
    pid = pg.db.run(lambda conn: conn.info.backend_pid)
    with psycopg.connect(postgresql_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert pg.count(qt.Term("thaad")) > 0


def test_an_unreachable_server_is_one_line_without_the_password(tmp_path) -> None:
    url = f"postgresql://ana:s3cret@/nothing?host={tmp_path}&port=1"
    backend = PostgresBackend(PgConnections(url))
    with pytest.raises(BackendUnavailable) as caught:
        backend.doc_count()
    message = str(caught.value)
    assert "s3cret" not in message
    assert "\n" not in message
    assert message.startswith("cannot reach the database postgresql://ana@")
    assert "s3cret" not in redact(url)


def test_the_analysis_is_whoosh_s(articles) -> None:
    texts = [i.article.title for i in articles] + [i.article.text for i in articles]
    texts += ["Pokémon U.S. 3.5% İstanbul straße ﬁle 사드를 배치 萨德系统 abcsd사드 x_y*z"]
    for text in texts:
        theirs = [
            (t.text, t.pos, t.startchar, t.endchar)
            for t in ANALYZER(text, positions=True, chars=True)
        ]
        assert analyze_text(text) == theirs


def test_a_new_database_has_an_empty_index(postgresql_url) -> None:
    backend = open_fulltext(postgresql_url)
    assert not backend.exists()
    assert backend.doc_count() == 0
    assert backend.exists()
    assert backend.search(qt.Term("thaad")).total == 0
    backend.reset()
    assert backend.doc_count() == 0
    backend.close()


def _edits(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = {word[:i] + word[i + 1 :] for i in range(len(word))}  # deletions
    out |= {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in letters}
    out |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters}
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return out - {word, ""}


@pytest.mark.parametrize("word", ["cooper", "seongju", "missile", "aaaaaa", "indonesia", "thaad"])
def test_the_trigram_bound_never_drops_a_word_one_edit_away(postgresql_url, word) -> None:
    bound = pg_backend.trigram_bound(word, 1, 4)
    others = sorted(_edits(word))
    with psycopg.connect(postgresql_url) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        rows = conn.execute(
            "SELECT min(similarity(%s, w)) FROM unnest(%s::text[]) w", (word, others)
        ).fetchone()
    assert rows is not None
    assert rows[0] >= bound
    assert pg_backend.trigram_bound("u.s", 1, 4) == 0.0  # pg_trgm splits it: no bound
