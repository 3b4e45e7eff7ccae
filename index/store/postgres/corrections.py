"""Entity corrections shared through the database: what one user merges, renames, retypes or
hides, every user of the database sees (the notes file stays each user's own).

The table holds the corrections file's content, one row per correction, with who made it and
when. Recording one is a transaction under an advisory lock: load, apply (the same code as the
file, :func:`index.store.corrections.recorder`), write the rows that changed.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import psycopg

from index.store.corrections import (
    Change,
    CorrectionError,
    Corrections,
    recorder,
    reverter,
    snapshot,
)
from index.store.postgres.connect import PgConnections

CORRECTIONS_LOCK = "thaad-tui corrections"
_T = TypeVar("_T")


def user_name() -> str:
    """Who the corrections are recorded as when the settings name nobody: the OS login."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


@dataclass(frozen=True, slots=True)
class Recorded:
    """One correction in the database: ``section`` is merge/rename/retype/hide."""

    section: str
    name: str
    value: str
    who: str
    at: datetime


def load(conn: psycopg.Connection[Any]) -> Corrections:
    """The corrections the database holds."""
    out = Corrections()
    rows = conn.execute("SELECT section, name, value FROM entity_corrections").fetchall()
    for section, name, value in rows:
        if section == "merge":
            out.merges[name] = value
        elif section == "rename":
            out.renames[name] = value
        elif section == "retype":
            out.retypes[name] = value
        elif section == "hide":
            out.hidden.add(name)
    return out


class SharedCorrections:
    """The corrections of one database, recorded as ``who``."""

    def __init__(self, connections: PgConnections, who: str) -> None:
        self._db = connections
        self.who = who

    def load(self) -> Corrections:
        """Everyone's corrections, as they are now."""
        return self._db.run(load)

    def record_many(self, items: Sequence[tuple[str, str, str]]) -> Change:
        """Record corrections as one change (all or none), for :meth:`undo`."""
        return self._locked(recorder(items))

    def undo(self, change: Change) -> None:
        """Put back what ``change`` changed; corrections made since (by anyone) stay."""
        self._locked(reverter(change))

    def history(self) -> list[Recorded]:
        """Every correction with who made it and when, the latest first."""
        rows = self._db.run(
            lambda conn: conn.execute(
                "SELECT section, name, value, who, at FROM entity_corrections "
                'ORDER BY at DESC, section, name COLLATE "C"'
            ).fetchall()
        )
        return [Recorded(*row) for row in rows]

    def _locked(self, edit: Callable[[Corrections], _T]) -> _T:
        try:
            with self._db.transaction() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (CORRECTIONS_LOCK,))
                corrections = load(conn)
                before = snapshot(corrections)
                result = edit(corrections)
                after = snapshot(corrections)
                for section in after:
                    for name in {**before[section], **after[section]}:
                        old, new = before[section].get(name), after[section].get(name)
                        if new is None:
                            conn.execute(
                                "DELETE FROM entity_corrections WHERE section = %s AND name = %s",
                                (section, name),
                            )
                        elif new != old:
                            conn.execute(
                                "INSERT INTO entity_corrections VALUES (%s, %s, %s, %s, now()) "
                                "ON CONFLICT (section, name) DO UPDATE SET value = excluded.value, "
                                "who = excluded.who, at = excluded.at",
                                (section, name, new, self.who),
                            )
                return result
        except ValueError as exc:
            raise CorrectionError(str(exc)) from exc
