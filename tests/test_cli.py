"""The thaad-tui command line, run in-process (main()) and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main

EXPECTED = {
    "China, South Korea defence ministers hold first meeting in two years": (
        "South China Morning Post",
        "2017-10-25",
    ),
    "China raises concerns over missile defense": ("Korea Herald", "2015-02-04"),
    "South Korea, China agree to step up exchanges to re-set ties after missile defence row": (
        "Reuters",
        "2019-12-04",
    ),
    "South Korea, China Seek to Warm Frozen Ties": ("AFP", "2017-10-31"),
    "Door open to defense dialogue with ROK, gov't says": ("China Daily", "2016-11-08"),
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture
def cli_env(seed_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THAAD_TUI_CORPUS", str(seed_corpus))
    monkeypatch.setenv("THAAD_TUI_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("THAAD_TUI_NOTES", str(tmp_path / "notes.md"))
    return tmp_path


def test_articles_json_lists_the_seeds_by_date(capsys, cli_env) -> None:
    code, out, _ = run(capsys, "articles", "--json")
    assert code == 0
    rows = lines(out)
    assert {r["title"]: (r["outlet"], r["published"]) for r in rows} == EXPECTED
    assert [r["published"] for r in rows] == sorted(r["published"] for r in rows)
    for row in rows:
        assert set(row) >= {"id", "title", "outlet", "published", "author", "words", "path"}
        assert Path(row["path"]).is_file() and row["words"] > 100


def test_default_corpus_from_another_folder(tmp_path: Path) -> None:
    """The installed command, with no --corpus, lists the shipped seeds from any folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THAAD_TUI_")}
    env.update(THAAD_TUI_DATA_DIR=str(tmp_path / "d"), THAAD_TUI_CACHE_DIR=str(tmp_path / "c"))
    result = subprocess.run(
        [sys.executable, "-m", "tui", "articles", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = lines(result.stdout)
    assert {r["title"]: (r["outlet"], r["published"]) for r in rows} == EXPECTED


def test_show_numbers_paragraphs_from_one(capsys, cli_env) -> None:
    _, out, _ = run(capsys, "articles", "--json")
    herald = next(r for r in lines(out) if r["outlet"] == "Korea Herald")
    code, out, _ = run(capsys, "show", herald["id"][:6])
    assert code == 0
    assert out.startswith("China raises concerns over missile defense\n")
    assert "Author:  Song Sang-ho" in out
    assert "[1] China’s defense minister expressed concerns" in out
    assert "MOST POPULAR" not in out and "Back to List" not in out


def test_show_labels_editorial_metadata(capsys, cli_env) -> None:
    _, out, _ = run(capsys, "articles", "--json")
    scmp = next(r for r in lines(out) if r["outlet"] == "South China Morning Post")
    _, out, _ = run(capsys, "show", scmp["id"])
    assert "Outlet:  South China Morning Post (editorial metadata)" in out


def test_unknown_article_id(capsys, cli_env) -> None:
    code, _, err = run(capsys, "show", "nope")
    assert code == 2 and "no article with id 'nope'" in err
    assert err.count("\n") == 1


def test_ambiguous_id_prefix_lists_the_candidates(capsys, cli_env) -> None:
    _, out, _ = run(capsys, "articles", "--json")
    ids = sorted(r["id"] for r in lines(out))
    first = {i[0] for i in ids}
    prefix = next(c for c in sorted(first) if sum(i.startswith(c) for i in ids) > 1)
    wanted = [i for i in ids if i.startswith(prefix)]
    code, out, err = run(capsys, "show", prefix)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "ambiguous" in err and all(i in err for i in wanted)


def usage(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run a command line argparse refuses: its exit status and stderr."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    return int(info.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_limit_below_one_is_a_usage_error(capsys, cli_env, limit: str) -> None:
    code, err = usage(capsys, "search", "thaad", "--limit", limit)
    assert code == 2 and err.count("\n") == 1
    assert "--limit" in err and "damaged" not in err
    assert "thaad-tui search --help" in err


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("search",), "thaad-tui search --help"),
        (("bookmark", "abc"), "thaad-tui bookmark --help"),
        (("frobnicate",), "thaad-tui --help"),
        (("articles", "--nope"), "thaad-tui --help"),
    ],
)
def test_usage_errors_are_one_line_with_the_commands_hint(capsys, args, hint: str) -> None:
    code, err = usage(capsys, *args)
    assert code == 2 and err.count("\n") == 1 and hint in err


def test_search_json_keys_and_order(capsys, cli_env) -> None:
    code, out, _ = run(capsys, "search", '"defense-strategic dialogue"', "--json")
    assert code == 0
    rows = lines(out)
    assert rows[0]["title"] == "Door open to defense dialogue with ROK, gov't says"
    assert set(rows[0]) >= {"id", "title", "score", "snippet"}
    assert "defense-strategic dialogue" in rows[0]["snippet"]


def test_search_fuzzy(capsys, cli_env) -> None:
    code, out, _ = run(capsys, "search", "chang wanqan", "--fuzzy", "--json")
    assert code == 0
    assert len(lines(out)) == 3


def test_malformed_query_exits_2_with_one_line(capsys, cli_env) -> None:
    code, out, err = run(capsys, "search", '"unclosed')
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "unclosed quote" in err


def test_index_summary_and_rebuild(capsys, cli_env) -> None:
    code, out, _ = run(capsys, "index")
    assert code == 0 and "5 added" in out
    code, out, _ = run(capsys, "index", "--rebuild")
    assert code == 0 and "index rebuilt (requested)" in out and "5 added" in out


def test_add_indexes_the_new_file(capsys, cli_env, tmp_path: Path) -> None:
    new = tmp_path / "new.jsonl"
    new.write_text(
        json.dumps(
            {
                "title": "Seongju residents protest",
                "text": "Residents rallied.",
                "published": "2016-07-15",
                "outlet": "Yonhap",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    run(capsys, "index")
    code, out, _ = run(capsys, "add", str(new))
    assert code == 0 and "1 added" in out and "5 unchanged" in out
    _, out, _ = run(capsys, "articles", "--json")
    assert "Seongju residents protest" in {r["title"] for r in lines(out)}


def test_bookmark_then_notes_json(capsys, cli_env) -> None:
    _, out, _ = run(capsys, "articles", "--json")
    aid = next(r["id"] for r in lines(out) if r["outlet"] == "AFP")
    code, out, _ = run(capsys, "bookmark", aid, "--paragraph", "4", "--comment", "Lotte")
    assert code == 0
    code, out, _ = run(capsys, "notes", "--json")
    (row,) = lines(out)
    assert (row["article"], row["paragraph"], row["comment"]) == (aid, 4, "Lotte")
    assert "retail conglomerate Lotte" in row["text"]
    assert set(row) >= {"id", "article", "paragraph", "text", "comment", "created"}


def test_bookmark_paragraph_out_of_range(capsys, cli_env) -> None:
    _, out, _ = run(capsys, "articles", "--json")
    aid = lines(out)[0]["id"]
    code, _, err = run(capsys, "bookmark", aid, "--paragraph", "999")
    assert code == 2 and "out of range" in err


def test_notes_path(capsys, cli_env) -> None:
    code, out, _ = run(capsys, "notes", "--path")
    assert code == 0 and out.strip() == str(cli_env / "notes.md")


def test_notes_export_csv_and_json(capsys, cli_env) -> None:
    _, out, _ = run(capsys, "articles", "--json")
    aid = lines(out)[0]["id"]
    run(capsys, "bookmark", aid, "--paragraph", "1")
    for name in ("out.csv", "out.json"):
        code, _, _ = run(capsys, "notes", "--export", str(cli_env / name))
        assert code == 0 and (cli_env / name).stat().st_size > 0
    assert json.loads((cli_env / "out.json").read_text("utf-8"))[0]["article"] == aid


def test_entities_and_timeline_json(capsys, cli_env) -> None:
    code, out, _ = run(capsys, "entities", "--json")
    assert code == 0
    chang = next(e for e in lines(out) if e["name"] == "Chang Wanquan")
    assert chang["type"] == "person" and len(chang["articles"]) == 3
    assert set(chang) >= {"name", "type", "aliases", "articles", "mentions"}
    code, out, _ = run(capsys, "timeline", "--json")
    rows = lines(out)
    assert code == 0 and sum(r["kind"] == "published" for r in rows) == 5
    assert all(set(r) >= {"date", "precision", "kind", "article", "text"} for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_app_without_a_terminal_points_to_the_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "THAAD_TUI_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "thaad-tui articles" in result.stderr
    assert "Traceback" not in result.stderr


PROBE = "import sys, {module}; {call}; print('textual' in sys.modules)"


@pytest.mark.parametrize(
    ("module", "call"),
    [
        ("index.library", "index.library"),
        ("index.notes.notebook", "index.notes.notebook"),
        ("tui.cli", "tui.cli.main(['notes', '--path'])"),
    ],
)
def test_cli_and_index_never_load_textual(module: str, call: str, tmp_path: Path) -> None:
    code = PROBE.format(module=module, call=call)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "THAAD_TUI_DATA_DIR": str(tmp_path)},
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_location_options_work_before_and_after_the_command(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--notes", str(tmp_path / "a.md"), "notes", "--path")
    assert code == 0 and out.strip() == str(tmp_path / "a.md")
    code, out, _ = run(capsys, "notes", "--path", "--notes", str(tmp_path / "b.md"))
    assert code == 0 and out.strip() == str(tmp_path / "b.md")
