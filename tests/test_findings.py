"""Getting findings out: y copies the passage with its citation, o opens the source, ctrl+e
exports the list; exported cells are safe in a spreadsheet (issue 18)."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from index import paths
from index.models import Article
from index.notes.findings import (
    RESULT_FIELDS,
    ExportError,
    cited_passage,
    csv_cell,
    export_records,
)
from tests.screen import main_screen, notices, pause_until, settle
from tui.app import ThaadApp, create_app
from tui.screens.export_dialog import ExportDialog
from tui.screens.findings import citations_path
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader

FIXTURE = Path(__file__).parent / "fixtures" / "findings"
RADAR = "Seoul and Beijing agree to talk about the radar"


@pytest.fixture
def app(tmp_path: Path) -> ThaadApp:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(FIXTURE / "articles.jsonl", folder)
    return create_app(paths.resolve(folder, tmp_path / "index", tmp_path / "notes.md"))


async def open_titled(pilot, app: ThaadApp, title: str) -> Reader:
    screen = main_screen(app)
    article_list = screen.query_one(ArticleList)
    article_list.cursor = next(k for k, r in enumerate(article_list.rows) if r.info.title == title)
    await settle(pilot)
    await pilot.press("enter")
    reader = screen.query_one(Reader)
    await pause_until(pilot, lambda: app.focused is reader, "the Reader focused")
    return reader


# -- without the app -------------------------------------------------------------------------
def test_csv_cells_that_a_spreadsheet_would_run_are_text() -> None:
    for risky in ("=1+1", "+1", "-2+3", "@SUM(A1)", "  =cmd", "\t=x", "＝1"):
        cell = csv_cell(risky)
        assert isinstance(cell, str) and cell.startswith("'"), risky
    assert csv_cell("Seoul") == "Seoul"
    assert csv_cell(None) == ""
    assert csv_cell(3.5) == 3.5
    assert csv_cell("a\x1b[31mb") == "ab"  # no escape sequence reaches a file


def test_export_writes_csv_or_json_lines_by_ending(tmp_path: Path) -> None:
    records = [
        {"id": "a1", "title": "=HYPERLINK(1)", "outlet": None, "score": 2.5, "snippet": "x"},
        {"id": "a2", "title": "Plain, with a comma", "outlet": "AFP", "date": "2017-01-02"},
    ]
    out = tmp_path / "list.csv"
    assert export_records(records, RESULT_FIELDS, out) == 2
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(RESULT_FIELDS)
    assert rows[1][1] == "'=HYPERLINK(1)" and rows[2][1] == "Plain, with a comma"
    export_records(records, RESULT_FIELDS, tmp_path / "list.jsonl")
    parsed = [json.loads(line) for line in (tmp_path / "list.jsonl").read_text().splitlines()]
    assert [p["id"] for p in parsed] == ["a1", "a2"] and parsed[0]["score"] == 2.5
    assert list(parsed[0]) == list(RESULT_FIELDS)
    keep = tmp_path / "keep.txt"
    keep.write_text("mine")
    with pytest.raises(ExportError, match=r"must end in \.csv or \.jsonl"):
        export_records(records, RESULT_FIELDS, keep)
    assert keep.read_text() == "mine"


def test_the_citation_names_title_outlet_date_paragraph_and_url() -> None:
    article = Article(
        id="x",
        title="Talks\x1b[2J resume",
        paragraphs=("one", "two", "three"),
        outlet="Example Wire",
        published=date(2017, 3, 2),
        url="https://news.example.org/a",
    )
    cited = cited_passage(article, 1, 2, "two\n\nthree")
    assert cited == (
        "“two\n\nthree”\n— “Talks resume”, Example Wire, 2 March 2017, ¶2-3. "
        "https://news.example.org/a"
    )


# -- in the app ----------------------------------------------------------------------------------
async def test_y_copies_the_passage_with_its_citation_and_keeps_it_in_a_file(
    app: ThaadApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("TERM_PROGRAM", raising=False)
    seen: list = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await settle(pilot)
        reader = await open_titled(pilot, app, RADAR)
        await pilot.press("j", "y")
        await pause_until(pilot, lambda: "Beijing" in app.clipboard, "the copy")
        assert app.clipboard.startswith("“A spokesman in Beijing said the radar still worried")
        assert f"— “{RADAR}”, Example Wire, 2 March 2017, ¶2." in app.clipboard
        assert app.clipboard.endswith("https://news.example.org/radar-talks")
        await pause_until(
            pilot, lambda: citations_path(paths.resolve()).exists(), "the citations file"
        )
        assert app.clipboard in citations_path(paths.resolve()).read_text(encoding="utf-8")
        await pause_until(
            pilot, lambda: any("Copied" in n for n in notices(seen)), "a confirmation"
        )
        assert any(str(citations_path(paths.resolve())) in n for n in notices(seen))
        assert reader.passage.first == 1


async def test_y_where_the_terminal_has_no_clipboard_says_where_the_citation_is(
    app: ThaadApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TERM", "linux")
    seen: list = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await settle(pilot)
        await open_titled(pilot, app, RADAR)
        await pilot.press("y")
        await pause_until(
            pilot, lambda: any("Cannot copy" in n for n in notices(seen)), "the warning"
        )
        warning = next(n for n in notices(seen) if "Cannot copy" in n)
        assert str(citations_path(paths.resolve())) in warning
        assert app.clipboard == ""
        assert "talks about the radar" in citations_path(paths.resolve()).read_text(
            encoding="utf-8"
        )


async def test_o_opens_only_a_web_address_in_the_browser(
    app: ThaadApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url) or True)
    monkeypatch.setenv("DISPLAY", ":0")
    seen: list = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await settle(pilot)
        await open_titled(pilot, app, RADAR)
        await pilot.press("o")
        await pause_until(pilot, lambda: opened, "the browser")
        assert opened == ["https://news.example.org/radar-talks"]
        await open_titled(pilot, app, "An article with no address")
        await pilot.press("o")
        await pause_until(
            pilot, lambda: any("no source URL" in n for n in notices(seen)), "message"
        )
        await open_titled(pilot, app, '=HYPERLINK("http://evil.example","click")')
        await pilot.press("o")
        await pause_until(
            pilot, lambda: any("Not a web address" in n for n in notices(seen)), "refusal"
        )
        assert opened == ["https://news.example.org/radar-talks"]


async def test_ctrl_e_exports_the_list_as_shown(app: ThaadApp, tmp_path: Path) -> None:
    seen: list = []
    target = tmp_path / "out" / "radar.jsonl"
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"radar", "enter")
        await settle(pilot)
        screen = main_screen(app)
        shown = [r.info.id for r in screen.query_one(ArticleList).rows]
        assert len(shown) == 3 and screen.results is not None
        await pilot.press("ctrl+e")
        await pause_until(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")
        field = app.screen.query_one("#export-path")
        field.value = str(tmp_path / "radar.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)  # a wrong ending is refused, said so
        field.value = str(target)
        await pilot.press("enter")
        await pause_until(pilot, target.exists, "the export file")
        await pause_until(
            pilot, lambda: any(str(target) in n for n in notices(seen)), "the path shown"
        )
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == shown
    radar = next(r for r in records if r["title"] == RADAR)
    assert radar["outlet"] == "Example Wire" and radar["date"] == "2017-03-02"
    assert radar["url"] == "https://news.example.org/radar-talks"
    assert radar["score"] is not None and "radar" in radar["snippet"]


async def test_o_without_a_display_copies_the_url_rather_than_start_a_console_browser(
    app: ThaadApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url) or True)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    seen: list = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await settle(pilot)
        await open_titled(pilot, app, RADAR)
        await pilot.press("o")
        await pause_until(
            pilot, lambda: any("URL is copied" in n for n in notices(seen)), "message"
        )
        assert app.clipboard == "https://news.example.org/radar-talks"
        assert opened == []


async def test_an_unexpected_failure_while_exporting_is_said_and_the_app_runs_on(
    app: ThaadApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr("tui.screens.findings.export_records", broken)
    seen: list = []
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pause_until(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")
        app.screen.query_one("#export-path").value = str(tmp_path / "x.csv")
        await pilot.press("enter")
        await pause_until(
            pilot,
            lambda: any(
                "Exporting the list failed: RuntimeError: boom" in n for n in notices(seen)
            ),
            "the failure said",
        )
        assert app.is_running and not (tmp_path / "x.csv").exists()
