"""Getting findings out of the app: a passage with its citation, and exported lists.

Corpus text is untrusted, and exports are opened in spreadsheets: every text cell of a CSV file
that a spreadsheet would run as a formula gets a leading ``'`` (see :func:`csv_cell`), and
control characters are removed from everything written.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from index.ingest.textclean import strip_controls
from index.models import Article
from index.store.atomic import replace_atomically

# A spreadsheet runs a cell starting with one of these as a formula (the full-width forms too,
# which some spreadsheets fold to the ASCII ones); leading spaces do not stop it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

# The columns of an exported result list.
RESULT_FIELDS = ("id", "title", "outlet", "date", "url", "score", "snippet")

EXPORT_SUFFIXES = (".csv", ".jsonl")


class ExportError(Exception):
    """An export file cannot be written; the message is one line for a person."""


def csv_cell(value: object) -> object:
    """``value`` as a safe CSV cell: text a spreadsheet would run as a formula is prefixed
    with ``'`` (so ``=HYPERLINK(...)`` stays text); None is empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        risky = value.lstrip(" ").startswith(FORMULA_START)
        value = strip_controls(value)
        return "'" + value if risky else value
    return value


def paragraphs_cited(first: int, last: int) -> str:
    """Paragraphs as cited, 1-based: ``"¶3"`` or ``"¶3-4"`` for 0-based ``first``..``last``."""
    return f"¶{first + 1}" if last <= first else f"¶{first + 1}-{last + 1}"


def citation(article: Article, first: int, last: int) -> str:
    """One line naming where a passage is from: title, outlet, date, paragraph(s), URL."""
    parts = [f"“{_one_line(article.title)}”"]
    parts.append(_one_line(article.outlet) if article.outlet else "unknown outlet")
    parts.append(article.published.strftime("%-d %B %Y") if article.published else "undated")
    parts.append(paragraphs_cited(first, last))
    line = ", ".join(parts)
    if article.url:
        line += f". {_one_line(article.url)}"
    return line


def cited_passage(article: Article, first: int, last: int, text: str) -> str:
    """The passage in quotation marks, then its citation on a line of its own."""
    passage = strip_controls(text).replace("\r", "").strip()
    return f"“{passage}”\n— {citation(article, first, last)}"


def append_citation(path: Path, cited: str, now: datetime | None = None) -> None:
    """Append a cited passage to ``path`` (a Markdown file the user keeps), with the time.

    One ``O_APPEND`` write: an earlier entry is never rewritten. Raises :class:`ExportError`.
    """
    moment = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    entry = f"<!-- copied {moment} -->\n{cited}\n\n".encode("utf-8", "replace")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            view = memoryview(entry)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {(exc.strerror or str(exc)).lower()}") from exc


def export_records(
    records: Iterable[Mapping[str, object]], fields: Sequence[str], path: Path
) -> int:
    """Write ``records`` (their ``fields``, in that order) to ``path`` as CSV (``.csv``) or
    JSON Lines (``.jsonl``), atomically; returns how many were written.

    Any other suffix, or a path that cannot be written, raises :class:`ExportError`; an existing
    file at ``path`` is then left as it was.
    """
    suffix = path.suffix.lower()
    rows = [[record.get(name) for name in fields] for record in records]
    if suffix == ".csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(fields)
        writer.writerows([csv_cell(value) for value in row] for row in rows)
        text = buffer.getvalue()
    elif suffix == ".jsonl":
        text = "".join(
            json.dumps(dict(zip(fields, map(_json_value, row), strict=True)), ensure_ascii=False)
            + "\n"
            for row in rows
        )
    else:
        raise ExportError(f"cannot export to {path}: the file name must end in .csv or .jsonl")
    write_export(path, text)
    return len(rows)


def write_export(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, making its folder. Raises :class:`ExportError`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {path.parent}: {_reason(exc)}") from exc
    if path.is_dir():
        raise ExportError(f"cannot write export file {path}: is a directory")
    try:
        replace_atomically(path, text.encode("utf-8", "replace"), mode=0o644)
    except OSError as exc:
        raise ExportError(f"cannot write export file {path}: {_reason(exc)}") from exc


def default_export_path(folder: Path, stem: str, suffix: str, now: datetime | None = None) -> Path:
    """``folder/stem-YYYYMMDD-HHMMSS.suffix``: a new name for each export."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return folder / f"{stem}-{stamp}{suffix}"


def _json_value(value: object) -> object:
    return strip_controls(value) if isinstance(value, str) else value


def _one_line(text: str) -> str:
    return " ".join(strip_controls(text).split())


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
