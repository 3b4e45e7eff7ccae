"""The session's files in the data folder: state per corpus, marks, saved searches, history."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.session.history import History, Place
from index.session.marks import Marks, load_marks, save_marks
from index.session.saved import (
    SavedSearch,
    SavedSearchError,
    find_saved,
    load_saved,
    save_search,
)
from index.session.state import (
    HISTORY_SIZE,
    SessionError,
    SessionState,
    load_session,
    save_session,
)


def test_session_state_round_trips_per_corpus(tmp_path: Path) -> None:
    path = tmp_path / "data" / "session.json"
    one = SessionState("abc", 3, "lotte", "Lotte Group", "2017-03", "title", True, ["thaad"])
    save_session(path, "corpus-one", one)
    save_session(path, "corpus-two", SessionState(query="seongju"))
    assert load_session(path, "corpus-one") == one
    assert load_session(path, "corpus-two").query == "seongju"
    assert load_session(path, "never-seen") == SessionState()


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"version": 99, "corpora": {}}',
        '{"version": 1, "corpora": {"c": {"sort": "colour"}}}',
        '{"version": 1, "corpora": {"c": {"paragraph": "two"}}}',
        '{"version": 1, "corpora": {"c": {"paragraph": -1}}}',
        '{"version": 1, "corpora": {"c": {"mystery": 1}}}',
        "[1, 2]",
    ],
)
def test_a_damaged_or_unknown_session_file_is_an_error_that_names_it(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "session.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SessionError, match=r"session\.json"):
        load_session(path, "c")
    # the next save replaces it with a good file
    save_session(path, "c", SessionState(query="q"))
    assert load_session(path, "c").query == "q"


def test_search_history_keeps_each_query_once_newest_last() -> None:
    state = SessionState()
    for query in ["a", "b", "a", " ", *[f"q{n}" for n in range(HISTORY_SIZE)]]:
        state.remember_query(query)
    assert len(state.searches) == HISTORY_SIZE and state.searches[-1] == f"q{HISTORY_SIZE - 1}"
    state.remember_query("q5")
    assert state.searches[-1] == "q5" and state.searches.count("q5") == 1


def test_marks_round_trip_and_a_damaged_file_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "marks.json"
    marks = Marks()
    assert marks.toggle_star("a") is True and marks.toggle_star("b") is True
    assert marks.toggle_star("b") is False
    marks.read.add("c")
    save_marks(path, marks)
    assert load_marks(path) == (Marks({"a"}, {"c"}), None)
    path.write_text('{"starred": "a"}', encoding="utf-8")
    loaded, problem = load_marks(path)
    assert loaded == Marks() and problem is not None and "marks.json" in problem


def test_saved_searches_are_a_yaml_list_replaced_by_name(tmp_path: Path) -> None:
    path = tmp_path / "searches.yaml"
    save_search(path, SavedSearch("lotte", "lotte AND boycott", "Lotte Group", "2017", "date"))
    save_search(path, SavedSearch("seongju", "seongju", sort="title", descending=True))
    save_search(path, SavedSearch("lotte", "lotte"))
    searches, problems = load_saved(path)
    assert problems == []
    assert [s.name for s in searches] == ["seongju", "lotte"]
    assert find_saved(path, "LOTTE") == SavedSearch("lotte", "lotte")
    assert find_saved(path, "seongju").descending is True
    with pytest.raises(SavedSearchError, match=r"no saved search named 'nope'.*seongju, lotte"):
        find_saved(path, "nope")


def test_a_hand_edited_saved_search_file_is_read_leniently_and_never_overwritten(
    tmp_path: Path,
) -> None:
    path = tmp_path / "searches.yaml"
    path.write_text(
        "- name: year\n  period: 2017\n- {name: bad, sort: colour}\n- just text\n",
        encoding="utf-8",
    )
    searches, problems = load_saved(path)
    assert searches == [SavedSearch("year", period="2017")]
    assert len(problems) == 2 and "entry 2" in problems[0] and "entry 3" in problems[1]
    path.write_text("- name: [unclosed\n", encoding="utf-8")
    with pytest.raises(SavedSearchError, match="invalid YAML"):
        save_search(path, SavedSearch("new"))
    assert path.read_text(encoding="utf-8") == "- name: [unclosed\n"


def test_history_goes_back_and_forward_and_a_new_visit_drops_what_was_ahead() -> None:
    history = History()
    a, b, c = Place("a"), Place("b", query="x"), Place("c")
    for place in (a, b, c):
        history.visit(place)
    assert history.back() == b and history.back() == a and history.back() is None
    assert history.forward() == b
    history.visit(Place("d"))
    assert history.forward() is None
    assert history.back() == b
    history.visit(Place("b", paragraph=4, query="x"))  # the same place: updated, not added
    assert history.current == Place("b", 4, "x") and history.forward() == Place("d")
