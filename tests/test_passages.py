"""Very long paragraphs and articles: cut into bounded passages, text beyond a cap dropped
with a warning naming the file."""

from __future__ import annotations

from pathlib import Path

from index import paths
from index.ingest.passages import MAX_ARTICLE, MAX_PASSAGE, split_paragraph
from index.library import open_library

SENTENCE = "Officials in Seongju met on July 13, 2016 to discuss the THAAD battery with Lotte. "


def test_split_paragraph_cuts_at_sentence_ends_within_the_limit():
    text = (SENTENCE * 100).strip()
    passages = split_paragraph(text, limit=500)
    assert all(len(p) <= 500 for p in passages)
    assert all(p.endswith("Lotte.") for p in passages)
    assert " ".join(passages) == text


def test_split_paragraph_falls_back_to_spaces_then_to_the_limit():
    words = "word " * 400
    passages = split_paragraph(words.strip(), limit=100)
    assert all(len(p) <= 100 and not p.startswith(" ") for p in passages)
    assert " ".join(passages).split() == words.split()
    unbroken = "x" * 250
    assert split_paragraph(unbroken, limit=100) == ["x" * 100, "x" * 100, "x" * 50]


def test_a_huge_single_line_article_is_bounded_and_said(tmp_path: Path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    big = corpus_dir / "huge.txt"
    repeats = (MAX_ARTICLE + 200_000) // len(SENTENCE) + 1
    big.write_text("A very long report\n\nBy Test Writer\n\n" + SENTENCE * repeats + "\n")
    library = open_library(paths.resolve(corpus_dir, tmp_path / "ix", tmp_path / "notes.md"))
    report = library.update()
    cut = [w for w in report.warnings if "article text cut" in w]
    assert len(cut) == 1 and cut[0].startswith(f"{big}: ")
    (info,) = library.articles()
    article = library.article(info.id)
    assert article is not None
    assert max(len(p) for p in article.paragraphs) <= MAX_PASSAGE
    assert MAX_ARTICLE - MAX_PASSAGE <= sum(len(p) for p in article.paragraphs) <= MAX_ARTICLE
    (hit,) = library.search("seongju lotte")
    assert hit.id == info.id and 0 < len(hit.snippet) <= MAX_PASSAGE


def test_a_huge_file_is_read_only_up_to_what_one_article_can_use(tmp_path: Path):
    from index.ingest import corpus as ingest

    path = tmp_path / "huge.txt"
    body = "Séoul et Pékin discutent du THAAD à Seongju. " * (ingest.MAX_ARTICLE_BYTES // 40)
    path.write_text("Un très long article\n\n" + body + "\n", encoding="utf-8")
    assert path.stat().st_size > ingest.MAX_ARTICLE_BYTES
    (article,), warnings = ingest.parse_file(path, tmp_path)
    assert warnings == []
    text = article.text
    assert len(text.encode("utf-8")) <= ingest.MAX_ARTICLE_BYTES
    assert "Pékin" in text and "PÃ©kin" not in text  # cut between characters, still UTF-8


class _Counted(list):
    """A list that counts how many items were read by iterating it."""

    read = 0

    def __iter__(self):
        for item in super().__iter__():
            _Counted.read += 1
            yield item


async def test_drawing_a_paragraph_reads_only_its_own_mentions_and_hits(tmp_path: Path):
    """Drawing every paragraph of an article reads each mention and hit about once, not once
    per paragraph (which froze the app on a 1,000,000-character article)."""
    from index.models import Article, Mention
    from tests.screen import settle
    from tui.widgets.reader import Reader

    paragraphs = tuple(SENTENCE.strip() for _ in range(200))
    article = Article("a1", "Many paragraphs", paragraphs)
    starts = article.paragraph_starts()
    mentions = [Mention(s + 13, s + 20, "place", "Seongju") for s in starts]
    app = _ReaderApp()
    async with app.run_test(size=(100, 40)) as pilot:
        reader = app.query_one(Reader)
        reader.show(article, mentions, terms=("lotte",))
        await settle(pilot)
        reader.mentions = _Counted(reader.mentions)
        reader.hits = _Counted(reader.hits)
        _Counted.read = 0
        reader.set_active_entity("Seongju")  # redraws every paragraph
        await settle(pilot)
    assert _Counted.read <= 2 * (len(mentions) + len(paragraphs))


def _reader_app_class():
    from textual.app import App

    from index.search.whoosh.analysis import analyze
    from tui.widgets.reader import Reader

    class ReaderApp(App):
        def compose(self):
            yield Reader(analyze, id="reader")

    return ReaderApp


_ReaderApp = _reader_app_class()
