"""Saved searches: a name for a query, its filters and its sort, in ``searches.yaml``.

The file is a YAML list the user may edit::

    - name: lotte boycott
      query: lotte AND boycott
      entity: Lotte Group
      period: "2017-03"
      sort: date
      descending: true

A damaged file is reported and never rewritten; a damaged entry is skipped with its reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from index.session.state import SORTS
from index.store.yamlfile import load_yaml, write_atomic

FILE_NAME = "searches.yaml"


class SavedSearchError(Exception):
    """The saved searches cannot be read or written; the message says why."""


@dataclass(frozen=True)
class SavedSearch:
    """One named search: the query (may be empty), the filters and the sort."""

    name: str
    query: str = ""
    entity: str | None = None
    period: str | None = None
    sort: str = "date"
    descending: bool = False


def saved_path(data_dir: Path) -> Path:
    """Where the saved searches live in the data folder."""
    return data_dir / FILE_NAME


def _entry(raw: Any, number: int) -> SavedSearch:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"]:
        raise SavedSearchError(f"entry {number}: needs a name")
    unknown = sorted(set(raw) - {"name", "query", "entity", "period", "sort", "descending"})
    if unknown:
        raise SavedSearchError(f"entry {number}: unknown key {unknown[0]!r}")
    text = {k: raw.get(k) for k in ("query", "entity", "period")}
    if not all(v is None or isinstance(v, (str, int)) for v in text.values()):
        raise SavedSearchError(f"entry {number}: query, entity and period must be text")
    sort = raw.get("sort", "date")
    if sort not in SORTS:
        raise SavedSearchError(f"entry {number}: sort must be one of {', '.join(SORTS)}")
    descending = raw.get("descending", False)
    if not isinstance(descending, bool):
        raise SavedSearchError(f"entry {number}: descending must be true or false")
    period = text["period"]
    return SavedSearch(
        raw["name"],
        str(text["query"] or ""),
        str(text["entity"]) if text["entity"] else None,
        str(period) if period else None,  # YAML reads a bare 2017 as a number
        sort,
        descending,
    )


def load_saved(path: Path) -> tuple[list[SavedSearch], list[str]]:
    """The saved searches, and one line per problem (a damaged file gives none and a line)."""
    data, problem = load_yaml(path, expect=list)
    if problem:
        return [], [str(problem)]
    searches: list[SavedSearch] = []
    problems = []
    for number, raw in enumerate(data, 1):
        try:
            searches.append(_entry(raw, number))
        except SavedSearchError as exc:
            problems.append(f"{path}: {exc} (entry skipped)")
    return searches, problems


def find_saved(path: Path, name: str) -> SavedSearch:
    """The saved search called ``name`` (case-insensitive); SavedSearchError if there is none."""
    searches, problems = load_saved(path)
    for search in searches:
        if search.name.casefold() == name.casefold():
            return search
    known = ", ".join(s.name for s in searches) or "none"
    extra = f"; {problems[0]}" if problems else ""
    raise SavedSearchError(f"no saved search named {name!r} (saved: {known}){extra}")


def save_search(path: Path, search: SavedSearch) -> None:
    """Add ``search`` to the file, replacing one of the same name; the file stays a list.

    Raises SavedSearchError when the file is damaged (it is left as it is for the user to fix).
    """
    data, problem = load_yaml(path, expect=list)
    if problem:
        raise SavedSearchError(f"{problem}; not saved")
    kept = [e for e in data if not (isinstance(e, dict) and str(e.get("name")) == search.name)]
    entry = {k: v for k, v in asdict(search).items() if v not in (None, "")}
    kept.append(entry)
    import yaml  # only when writing: off the app's start

    write_atomic(path, yaml.safe_dump(kept, allow_unicode=True, sort_keys=False))
