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


def test_a_rare_word_asks_how_common_only_its_closest_neighbours_are() -> None:
    from index.search import fuzzysearch
    from index.search.fuzzy import Vocabulary

    rng = __import__("random").Random(23)
    stems = {"merkl", "merkel", "merl", "markl", "merkle"}
    while len(stems) < 400:  # two or more edits from "merkl", most of them rare
        stems.add("me" + "".join(rng.choice("rklnaeo") for _ in range(rng.randint(3, 5))))
    frequencies = {w: rng.choice((1, 1, 2, 40)) for w in sorted(stems)}
    frequencies.update({"merkl": 1, "merkel": 40, "merl": 30, "markl": 1})
    vocabularies = {
        "title": Vocabulary(stems),
        "body": Vocabulary(stems),
        "joined": Vocabulary(()),
        fuzzysearch.SURFACE: Vocabulary(()),
    }
    asked = 0

    def frequency(field: str, word: str) -> int:
        nonlocal asked
        asked += 1
        return frequencies.get(word, 0)

    best = {("title", "merkl"): 0.0, ("body", "merkl"): 0.0}
    found = fuzzysearch._common_neighbours(
        "merkle", "merkl", best, vocabularies.__getitem__, frequency
    )
    # what keeping every common neighbour and then the closest of them gives
    every = {
        (f, w): c
        for f in fuzzysearch.TEXT_FIELDS
        for w, c in vocabularies[f].typos("merkle", "merkl", even_if_present=True).items()
        if frequencies.get(w, 0) >= 10
    }
    neighbours = sum(
        len(vocabularies[f].typos("merkle", "merkl", even_if_present=True))
        for f in fuzzysearch.TEXT_FIELDS
    )
    assert neighbours > 20 and len(every) > 4  # the case says something
    assert found == fuzzysearch.closest(every) and found
    assert asked < 2 + neighbours // 3  # was one question per neighbour
