"""The next keystroke reuses the last one's work (issue 20: as-you-type p95 under 16 ms).

Counted, not timed: titles highlighted and snippets cut once for the same article and words,
and cut again once the article changed.
"""

from __future__ import annotations

from pathlib import Path

from index import paths
from index.library import Library, open_library
from index.search import highlight, searching


def _library(tmp_path: Path) -> tuple[Path, Library]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(30):
        (corpus / f"p{n:02}.txt").write_text(
            f"Harbour news {n}\n\nThe harbour crane {n} was busy.\n\nThe pier was quiet.\n"
        )
    library = open_library(paths.resolve(corpus, tmp_path / "ix", tmp_path / "notes.md"))
    library.update()
    library.articles()  # the app's case: the list is loaded
    return corpus, library


def test_the_next_keystroke_does_not_cut_the_same_snippets_again(
    tmp_path: Path, monkeypatch
) -> None:
    corpus, library = _library(tmp_path)
    cuts = 0
    best = searching.best_paragraph

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal cuts
        cuts += 1
        return best(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(searching, "best_paragraph", counted)
    first = library.fuzzy("harbour cran", limit=50, snippets=10)
    assert cuts == 10 and all("crane" in h.snippet for h in first[:10])
    again = library.fuzzy("harbour cran", limit=50, snippets=10)  # typed again, or advice
    assert again == first and cuts == 10
    # An edited article is cut again: its snippet says what it says now
    number = int(first[0].title.split()[-1])
    (corpus / f"p{number:02}.txt").write_text(
        f"Harbour news {number}\n\nThe harbour crane was sold to a museum.\n"
    )
    library.update()
    library.articles()
    found = {h.title: h for h in library.fuzzy("harbour cran", limit=50, snippets=50)}
    assert "museum" in found[first[0].title].snippet


def test_the_next_keystroke_does_not_highlight_the_same_titles_again(
    tmp_path: Path, monkeypatch
) -> None:
    _corpus, library = _library(tmp_path)
    analysed = 0
    spans = highlight.term_spans

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal analysed
        analysed += 1
        return spans(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(searching, "term_spans", counted)
    first = library.fuzzy("harbour new", limit=50, snippets=0)
    assert len(first) == 30 and analysed == 30
    assert all(h.title_spans[0] == (0, len("Harbour")) for h in first)
    assert library.fuzzy("harbour new", limit=50, snippets=0) == first
    assert analysed == 30  # each title was highlighted once
