"""Deciding what ``thaad-tui add`` copies into the corpus, before anything is copied.

Every file given is checked first: one that cannot be indexed (not a regular file, an
unsupported type, empty or too large) refuses the whole command, so nothing is left in the
corpus that the index would skip. A file that is already in the corpus is not copied again, and
a hidden file (whose name starts with a dot, which the corpus scan skips) is copied under its
name without the dot: the user named it explicitly, so they want it indexed, and a copy the scan
ignores would be "added" yet never appear.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.corpus import MAX_FILE_BYTES, SUPPORTED_SUFFIXES
from index.ingest.fsnames import shown


class AddRefused(ValueError):
    """A file given to ``add`` cannot be added; nothing was copied. One line per file."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class AddPlan:
    """The copies to make (source, destination) and what to tell the user about the rest."""

    copies: list[tuple[Path, Path]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _kind(mode: int) -> str | None:
    """Why a file of this mode cannot be added, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder (give the files in it)"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def _size_problem(size: int) -> str | None:
    """Why a file of this size would only be skipped by the index, or None."""
    if size == 0:
        return "is empty"
    if size > MAX_FILE_BYTES:
        return f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
    return None


def _inside(path: Path, roots: Sequence[Path]) -> tuple[Path, Path] | None:
    """(root, relative path) if ``path`` is a file the corpus scan of ``roots`` indexes."""
    for root in roots:
        try:
            relative = path.relative_to(root.resolve())
        except ValueError:
            continue
        if not any(part.startswith(".") for part in relative.parts):
            return root, relative
    return None


def plan_add(paths: Sequence[Path], roots: Sequence[Path], target: Path) -> AddPlan:
    """Check every file and choose where each is copied in ``target``.

    Raises :class:`AddRefused` naming each file that cannot be added, before any copy.
    """
    plan = AddPlan()
    problems: list[str] = []
    planned: dict[Path, Path] = {}
    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    for given in paths:
        name = shown(given)
        try:
            st = os.stat(given)
            kind = _kind(st.st_mode) or _size_problem(st.st_size)
        except FileNotFoundError:
            kind = "no such file" if not os.path.islink(given) else "is a link to nothing"
        except OSError as exc:
            kind = f"cannot read ({(exc.strerror or str(exc)).lower()})"
        if kind:
            problems.append(f"cannot add {name}: {kind}")
            continue
        visible_name = given.name.lstrip(".")
        suffix = Path(visible_name).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            what = f"'{shown(suffix)}'" if suffix else "without an extension"
            problems.append(f"cannot add {name}: unsupported file type {what} (expected {kinds})")
            continue
        real = given.resolve()
        found = _inside(real, roots)
        if found is not None:
            plan.notes.append(
                f"{name} is already in the corpus ({shown(found[1])} in {shown(found[0])}); "
                "not copied"
            )
            continue
        destination, new = _destination(real, target / visible_name, planned)
        if not new:
            plan.notes.append(
                f"{name} is already in the corpus as {shown(destination.name)} "
                "(same content); not copied"
            )
            continue
        planned[destination] = real
        if visible_name != given.name:
            plan.notes.append(
                f"{name} copied as {shown(destination.name)}: files whose name starts with "
                "a dot are not indexed"
            )
        plan.copies.append((given, destination))
    if problems:
        raise AddRefused(problems)
    return plan


def _destination(real: Path, wanted: Path, planned: dict[Path, Path]) -> tuple[Path, bool]:
    """``(path, True)``: a free name in the target folder (``name-1.txt``...); or
    ``(path, False)``: a file with the same content is already there, or planned."""
    content = real.read_bytes()
    candidate, n = wanted, 1
    while True:
        earlier = planned.get(candidate)
        if earlier is not None:
            if earlier == real or earlier.read_bytes() == content:
                return candidate, False
        elif not os.path.lexists(candidate):
            return candidate, True
        elif candidate.is_file() and candidate.read_bytes() == content:
            return candidate, False
        candidate = wanted.with_name(f"{wanted.stem}-{n}{wanted.suffix}")
        n += 1


def copy_planned(plan: AddPlan) -> None:
    """Make the planned copies (the target folder is created if needed)."""
    for source, destination in plan.copies:
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
