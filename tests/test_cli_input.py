"""Bad input to the command line: wrong config values, files `add` cannot or need not copy."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index import paths
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- config values of the wrong type ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "kind"),
    [
        ("corpus: 5", "corpus", "int 5"),
        ("corpus: true", "corpus", "bool True"),
        ("index_dir: [1, 2]", "index_dir", "list [1, 2]"),
        ("notes: {a: 1}", "notes", "dict {'a': 1}"),
    ],
)
def test_a_config_value_of_the_wrong_type_is_named_and_ignored(
    capsys: pytest.CaptureFixture[str], line: str, key: str, kind: str
) -> None:
    config = paths.config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"{line}\n", encoding="utf-8")
    code, out, err = run(capsys, "notes", "--path")
    assert code == 0
    assert out == f"{paths.default_notes_path()}\n"
    what = "a file" if key == "notes" else "a folder"
    assert err == (
        f"warning: {config}: '{key}' must be the path of {what} (text), not {kind}; value ignored\n"
    )


def test_the_good_values_of_a_config_with_a_bad_one_are_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = paths.config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f"corpus: 5\nnotes: {tmp_path / 'mine.md'}\n", encoding="utf-8")
    code, out, err = run(capsys, "notes", "--path")
    assert (code, out) == (0, f"{tmp_path / 'mine.md'}\n")
    assert "'corpus' must be the path of a folder" in err and "notes" not in err


def test_bad_config_values_stop_no_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = paths.config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("corpus: 5\nindex_dir: 7\n", encoding="utf-8")
    where = ["--corpus", str(tmp_path / "c"), "--index-dir", str(tmp_path / "ix")]
    os.mkdir(tmp_path / "c")
    for command in (["index"], ["articles"], ["timeline"], ["entities"], ["notes"]):
        code, _out, err = run(capsys, *command, *where)
        assert code == 0, (command, err)
        assert err.count("value ignored") == 2, (command, err)
