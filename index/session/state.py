"""The session file: the last article, query, filters and sort of each corpus.

A JSON file in the data folder, rewritten atomically. A file that is damaged or from an unknown
version is reported and ignored (the app starts clean); it is overwritten by the next save.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from index.ingest.fsnames import read_regular
from index.store.yamlfile import write_atomic

VERSION = 1
FILE_NAME = "session.json"
HISTORY_SIZE = 50  # queries kept for up/down in the search box
SORTS = ("date", "outlet", "title", "relevance")


class SessionError(Exception):
    """The session file cannot be used; the message names the file and says why."""


@dataclass
class SessionState:
    """Where the user was in one corpus. ``paragraph`` is 0-based."""

    article: str | None = None
    paragraph: int | None = None
    query: str = ""
    entity: str | None = None
    period: str | None = None
    sort: str = "date"
    descending: bool = False
    searches: list[str] = field(default_factory=list)

    def remember_query(self, query: str) -> None:
        """Put ``query`` last in the search history (once), keeping the newest few."""
        query = query.strip()
        if not query:
            return
        if query in self.searches:
            self.searches.remove(query)
        self.searches.append(query)
        del self.searches[:-HISTORY_SIZE]


def session_path(data_dir: Path) -> Path:
    """Where the session file lives in the data folder."""
    return data_dir / FILE_NAME


def _checked(raw: Any, where: str) -> SessionState:
    """A SessionState from one corpus's JSON object; any wrong type is a SessionError."""
    if not isinstance(raw, dict):
        raise SessionError(f"{where}: expected an object")
    known = {f.name for f in fields(SessionState)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SessionError(f"{where}: unknown key {unknown[0]!r}")
    state = SessionState(**raw)
    optional_text = (state.article, state.entity, state.period)
    if not all(v is None or isinstance(v, str) for v in optional_text):
        raise SessionError(f"{where}: article, entity and period must be text")
    if state.paragraph is not None and (
        not isinstance(state.paragraph, int)
        or isinstance(state.paragraph, bool)
        or state.paragraph < 0
    ):
        raise SessionError(f"{where}: paragraph must be a number from 0")
    if not isinstance(state.query, str) or state.sort not in SORTS:
        raise SessionError(f"{where}: bad query or sort {state.sort!r}")
    if not isinstance(state.descending, bool):
        raise SessionError(f"{where}: descending must be true or false")
    if not isinstance(state.searches, list) or not all(isinstance(q, str) for q in state.searches):
        raise SessionError(f"{where}: searches must be a list of text")
    return state


def _read_all(path: Path) -> dict[str, Any]:
    try:
        raw = read_regular(path)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SessionError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SessionError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("version") != VERSION:
        found = data.get("version") if isinstance(data, dict) else None
        raise SessionError(f"{path}: unknown session format (version {found!r})")
    corpora = data.get("corpora")
    if not isinstance(corpora, dict):
        raise SessionError(f"{path}: no 'corpora' object")
    return corpora


def load_session(path: Path, corpus: str) -> SessionState:
    """The saved state for ``corpus`` (a fresh one if none was saved).

    Raises :class:`SessionError` when the file is damaged or of an unknown version.
    """
    raw = _read_all(path).get(corpus)
    return SessionState() if raw is None else _checked(raw, f"{path}: corpus {corpus!r}")


def save_session(path: Path, corpus: str, state: SessionState) -> None:
    """Write ``state`` for ``corpus`` atomically, keeping the other corpora's states.

    A damaged file is replaced (its problem was reported when it was loaded).
    """
    try:
        corpora = _read_all(path)
    except SessionError:
        corpora = {}
    corpora[corpus] = asdict(state)
    text = json.dumps({"version": VERSION, "corpora": corpora}, ensure_ascii=False, indent=1)
    write_atomic(path, text + "\n")
