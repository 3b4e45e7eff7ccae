"""Reading YAML files the user may edit: safe_load only, errors named by file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.ingest.fsnames import read_regular
from index.store.atomic import replace_atomically


@dataclass(frozen=True)
class YamlProblem:
    """Why a YAML file was ignored, phrased for a person: ``path:line: reason``."""

    path: Path
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.reason} (file ignored)"


def load_yaml(path: Path, expect: type = dict) -> tuple[Any, YamlProblem | None]:
    """Load a YAML file. A missing file is empty; a broken one is reported, never rewritten.

    Returns ``(data, problem)``: on any problem ``data`` is an empty ``expect()``.
    """
    try:
        raw = read_regular(path)  # a FIFO there must not hang every command
    except FileNotFoundError:
        return expect(), None
    except OSError as exc:
        return expect(), YamlProblem(path, None, f"cannot read: {exc.strerror or exc}")
    import yaml  # here, not at the top: off the app's start when there is no file to read

    try:
        data = yaml.safe_load(raw.decode("utf-8", errors="replace"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return expect(), YamlProblem(path, line, f"invalid YAML: {reason}")
    if data is None:
        return expect(), None
    if not isinstance(data, expect):
        kind = "a mapping" if expect is dict else "a list"
        return expect(), YamlProblem(path, 1, f"expected {kind} at the top level")
    return data, None


def write_atomic(path: Path, text: str) -> None:
    """Write a file the app owns atomically (see :mod:`index.store.atomic`), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, text.encode("utf-8"), mode=0o644)
