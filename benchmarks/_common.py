"""Helpers shared by the benchmarks: their arguments, isolated user folders, settings, summary
statistics."""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import tempfile
from collections.abc import Sequence
from pathlib import Path

from index import paths
from index.paths import Settings


def corpus_arguments(doc: str | None, runs: int) -> argparse.ArgumentParser:
    """A parser described by the first line of ``doc`` that takes the corpus folder, the index
    folder and ``--runs`` (``runs`` by default); a benchmark adds its own options to it."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--runs", type=int, default=runs)
    return parser


def isolate_user_folders() -> Path:
    """Point every user folder at a fresh temp folder so a benchmark never touches real ones."""
    base = Path(tempfile.mkdtemp(prefix="thaad-bench-"))
    os.environ["THAAD_TUI_DATA_DIR"] = str(base / "data")
    os.environ["THAAD_TUI_CACHE_DIR"] = str(base / "cache")
    os.environ["THAAD_TUI_CONFIG"] = str(base / "config.yaml")
    return base


def settings_for(corpus: Path, index_dir: Path, extra: Path | None = None) -> Settings:
    """Settings for a corpus folder (plus an optional writable folder for added articles);
    the user folders are the ones :func:`isolate_user_folders` set."""
    roots = (corpus, extra) if extra is not None else (corpus,)
    base = paths.resolve(corpus, index_dir, index_dir.parent / "notes.md")
    return dataclasses.replace(base, corpus_roots=roots, writable_root=extra or corpus)


def summary(values: Sequence[float], unit: str = "", digits: int = 1) -> str:
    """``median X (min A, max B, n=N)`` for a list of measurements."""
    if not values:
        return "no measurements"
    fmt = f"{{:.{digits}f}}{unit}"
    return (
        f"median {fmt.format(statistics.median(values))} "
        f"(min {fmt.format(min(values))}, max {fmt.format(max(values))}, n={len(values)})"
    )


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
