"""Untrusted corpus text: markup shows literally and no control sequence reaches the terminal.

The fixtures in ``tests/fixtures/hostile`` carry Rich markup (``[bold red]X[/bold red]``,
``[link=file:///etc/passwd]``), CSI colours, an OSC 52 clipboard write, an OSC 0 title change,
BEL, C1 controls (U+009B), NUL, a form feed and bidi overrides, in titles, bodies and outlets.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from test_kill import LEAVE_ALT_SCREEN, TmuxApp, needs_tmux, wait_for

from index import paths
from index.ingest import corpus as ingest
from index.library import open_library
from tests.screen import palette_offers, screen_text, settle, wait_until
from tui import cli

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
MARKUP = "[bold red]X[/bold red]"
LINK = "[link=file:///etc/passwd]"
CLIPBOARD_PAYLOAD = "SE9TVElMRV9DTElQQk9BUkQ="  # base64 after ESC ] 52 ; c ;
TITLE_PAYLOAD = "PWNED_TITLE"
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_clean(text: str) -> None:
    """No control character, no escape payload from the corpus."""
    found = FORBIDDEN.search(text)
    assert found is None, f"control character {found.group()!r} in output"
    assert CLIPBOARD_PAYLOAD not in text
    assert TITLE_PAYLOAD not in text


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    shutil.copytree(HOSTILE, folder)
    return folder


def test_fixtures_really_are_hostile():
    """Guard against someone 'cleaning' the fixtures: the raw bytes hold every attack."""
    raw = (HOSTILE / "hostile.txt").read_text(encoding="utf-8")
    for needle in ("\x1b[31m", "\x1b]52;c;", "\x1b]0;", "\x07", "\u009b", "\u202e", MARKUP, LINK):
        assert needle in raw
    jsonl = (HOSTILE / "hostile.jsonl").read_text(encoding="utf-8")
    assert "\\u0000" in jsonl and "\\u001b]52;c;" in jsonl


@pytest.mark.parametrize("name", ["hostile.txt", "hostile.jsonl"])
def test_ingest_strips_controls_and_keeps_markup_as_text(name: str):
    articles, warnings = ingest.parse_file(HOSTILE / name, HOSTILE)
    assert not warnings
    assert articles
    for article in articles:
        for value in (article.title, article.outlet or "", article.author or "", article.text):
            assert_clean(value)
        assert MARKUP in article.title
        assert MARKUP in article.text
        assert LINK in article.text


def test_jsonl_outlet_keeps_markup_and_drops_clipboard_write():
    (article,), _ = ingest.parse_file(HOSTILE / "hostile.jsonl", HOSTILE)
    assert article.outlet == "[link=file:///etc/passwd]Evil Outlet[/link]"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert_clean(captured.err)
    return captured.out


def test_every_cli_command_shows_markup_literally_without_controls(
    hostile_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    where = ["--corpus", str(hostile_corpus), "--notes", str(tmp_path / "notes.md")]
    listing = run_cli(capsys, "articles", *where)
    assert listing.count(MARKUP) == 2
    ids = [line.split()[0] for line in listing.splitlines()]
    outputs = {"articles": listing}
    for aid in ids:
        outputs[f"show {aid}"] = run_cli(capsys, "show", aid, *where)
        outputs[f"entities {aid}"] = run_cli(capsys, "entities", "--article", aid, *where)
        comment = f"{MARKUP} mine \x1b]52;c;{CLIPBOARD_PAYLOAD}\x07"
        run_cli(capsys, "bookmark", aid, "--paragraph", "1", "--comment", comment, *where)
    outputs["search"] = run_cli(capsys, "search", "zanzibar", *where)
    outputs["fuzzy"] = run_cli(capsys, "search", "zanzibr", "--fuzzy", *where)
    outputs["entities"] = run_cli(capsys, "entities", *where)
    outputs["timeline"] = run_cli(capsys, "timeline", *where)
    outputs["notes"] = run_cli(capsys, "notes", *where)
    for label, out in outputs.items():
        assert out.strip(), label
        assert_clean(out)
    for label in ("search", "fuzzy", "timeline", "notes", *(f"show {a}" for a in ids)):
        assert MARKUP in outputs[label], label
    assert LINK in outputs["timeline"]
    assert f"— {MARKUP} mine" in outputs["notes"]


def test_json_output_is_escaped_json_without_raw_controls(
    hostile_corpus: Path, capsys: pytest.CaptureFixture[str]
):
    out = run_cli(capsys, "articles", "--json", "--corpus", str(hostile_corpus))
    assert "\x1b" not in out and "\x07" not in out
    assert MARKUP in out


async def test_app_shows_markup_literally_in_list_and_reader(hostile_corpus: Path, tmp_path: Path):
    from tui.app import create_app

    settings = paths.resolve(hostile_corpus, tmp_path / "index", tmp_path / "notes.md")
    app = create_app(settings)
    screens: dict[str, str] = {}

    async def drive() -> None:
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            screens["list"] = screen_text(app)
            await pilot.press("enter")
            await settle(pilot)
            screens["reader"] = screen_text(app)

    await drive()
    assert "[bold red]X[/bold red] JSON hostile" in screens["list"]
    assert "[bold red]X[/bold red] Hostile head" in screens["list"]
    reading = screens["reader"]
    assert_clean(reading)
    # The reader shows the article's title and body with the markup as characters.
    assert reading.count(MARKUP) >= 3, reading
    assert LINK in reading


async def test_palette_shows_corpus_markup_literally(hostile_corpus: Path, tmp_path: Path):
    """ctrl+p lists titles, outlets and entity names: none of them may be read as markup."""
    from tui.app import create_app

    settings = paths.resolve(hostile_corpus, tmp_path / "index", tmp_path / "notes.md")
    app = create_app(settings)
    screens: dict[str, str] = {}

    async def drive() -> None:
        async with app.run_test(size=(160, 50)) as pilot:
            await settle(pilot)
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press(*"Open")
            await wait_until(pilot, lambda: palette_offers(app, "Open:"), "the palette's hits")
            screens["open"] = screen_text(app)
            await pilot.press("escape")

    await drive()  # a MarkupError here used to crash the app
    assert_clean(screens["open"])
    assert "Open: [bold red]X[/bold red]" in screens["open"]
    assert LINK in screens["open"]  # the outlet, in the help line


def test_library_search_snippets_are_clean(hostile_corpus: Path, tmp_path: Path):
    library = open_library(paths.resolve(hostile_corpus, tmp_path / "ix", tmp_path / "n.md"))
    library.update()
    hits = library.search("zanzibar") + library.fuzzy("zanzibr")
    assert hits
    for hit in hits:
        assert_clean(hit.title + hit.snippet)
    for entity in library.entities():
        assert_clean(entity.name)


@needs_tmux
def test_real_terminal_shows_markup_and_receives_no_corpus_escapes(hostile_corpus: Path, tmp_path):
    """The real ``thaad-tui`` in tmux: read the screen, and every byte it wrote to the terminal."""
    argv = ["--corpus", str(hostile_corpus), "--index-dir", str(tmp_path / "ix")]
    term = TmuxApp(tmp_path, [*argv, "--notes", str(tmp_path / "notes.md")], size=(160, 50))
    try:
        wait_for(lambda: "Hostile head" in term.screen(), 30, "the article list")
        term.keys("j", "Enter")
        wait_for(lambda: "Mallory Markup" in term.screen(), 10, "the reader")
        screen = term.screen()
        term.keys("q")
        wait_for(term.dead, 10, "the app to exit")
        raw = term.raw()
    finally:
        term.close()
    assert MARKUP in screen
    assert LINK in screen
    assert raw.endswith(LEAVE_ALT_SCREEN) or LEAVE_ALT_SCREEN in raw[-200:]
    for payload in (CLIPBOARD_PAYLOAD.encode(), TITLE_PAYLOAD.encode(), b"\x1b]52", b"\x1b]0;"):
        assert payload not in raw, payload
    # Textual itself ends its OSC 22 (mouse pointer shape) with BEL; any other BEL came from us.
    assert b"\x07" not in re.sub(rb"\x1b\]22;[\w-]*\x07", b"", raw)
    assert "\u009b".encode() not in raw and "\u202e".encode() not in raw


def test_text_after_a_mis_decoded_c1_control_is_searchable_and_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """``â€\\x9d`` (a garbled ”) once started an "escape string" that swallowed the paragraph."""
    folder = tmp_path / "garbled"
    folder.mkdir()
    body = (
        "The minister said \u00e2\u20ac\u0153no deployment yet\u00e2\u20ac\u009d and the "
        "opposition answered with zymurgical objections.\n\n"
        "A second paragraph\u009e follows the first.\n"
    )
    (folder / "garbled.txt").write_text("Garbled quote\n\n" + body, encoding="utf-8")
    where = ["--corpus", str(folder), "--index-dir", str(tmp_path / "ix")]
    found = run_cli(capsys, "search", "zymurgical", "--json", *where)
    (hit,) = [json.loads(line) for line in found.splitlines()]
    shown = run_cli(capsys, "show", hit["id"], *where)
    assert_clean(shown)
    assert "yet\u00e2\u20ac and the opposition answered with zymurgical objections." in shown
    assert "A second paragraph follows the first." in shown


INVISIBLE_MARKS = re.compile("[\u00ad\u061c\u200b\u200c\u200e\u200f\u2060\ufeff]")


def test_zero_width_and_bidi_marks_do_not_reach_the_output_nor_split_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "invisible"
    folder.mkdir()
    (folder / "marks.txt").write_text(
        "Hidden\u200b marks\u200f title\n\n"
        "The qua\u200bsi\u00adstellar launcher moved to Seong\u2060ju\ufeff on \u202eTuesday\u202c "
        "with \u200eno\u200f warning\u2066.\u2069\n",
        encoding="utf-8",
    )
    where = ["--corpus", str(folder), "--index-dir", str(tmp_path / "ix")]
    found = run_cli(capsys, "search", "quasistellar", "--json", *where)
    (hit,) = [json.loads(line) for line in found.splitlines()]
    outputs = [
        found,
        run_cli(capsys, "articles", *where),
        shown := run_cli(capsys, "show", hit["id"], *where),
    ]
    for out in outputs:
        assert_clean(out)
        assert INVISIBLE_MARKS.search(out) is None, repr(out)
    assert "Hidden marks title" in shown
    assert "The quasistellar launcher moved to Seongju on Tuesday with no warning." in shown


def test_json_lines_with_lone_surrogates_are_indexed_and_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """``"\\udcff"`` in a JSON string used to stop every command (SQLite refused the text)."""
    folder = tmp_path / "surrogates"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        '{"title": "Sur\\udcffrogate title", "outlet": "X\\ud800", '
        '"text": "Body with a lone \\udcfe surrogate and zymurgical words."}\n',
        encoding="utf-8",
    )
    where = ["--corpus", str(folder), "--index-dir", str(tmp_path / "ix")]
    listing = run_cli(capsys, "articles", *where)
    assert "Sur\ufffdrogate title" in listing
    found = run_cli(capsys, "search", "zymurgical", *where)
    assert "Sur\ufffdrogate title" in found


async def test_app_reader_shows_the_text_after_a_c1_control_and_no_invisible_marks(tmp_path: Path):
    """The Reader, after items 8 and 14: nothing after ``â€\\x9d`` is lost, no mark is drawn."""
    from tui.app import create_app

    folder = tmp_path / "marks"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Garbled\u200b quote\u200f title\n\n"
        "The minister said \u00e2\u20ac\u0153no deployment\u00e2\u20ac\u009d and the "
        "opposition answered at Seong\u2060ju\ufeff.\n",
        encoding="utf-8",
    )
    app = create_app(paths.resolve(folder, tmp_path / "index", tmp_path / "notes.md"))
    screens: list[str] = []

    async def drive() -> None:
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            screens.append(screen_text(app))

    await drive()
    (reading,) = screens
    assert_clean(reading)
    assert INVISIBLE_MARKS.search(reading) is None
    assert "Garbled quote title" in reading
    assert "deployment\u00e2\u20ac and the opposition answered at Seongju." in reading
