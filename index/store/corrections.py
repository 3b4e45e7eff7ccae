"""The user's entity corrections: merge, rename, retype, hide. Kept in a YAML file they own.

The file (``Settings.corrections_path``) survives re-indexing because corrections are
applied to freshly extracted entities every time (:meth:`Corrections.apply`), never baked into
the index. Its shape::

    merge:  {Moon Jae-In: Moon Jae-in}      # name -> the entity it belongs to
    rename: {Chang: Chang Wanquan}          # name -> new name
    retype: {Lotte: organisation}           # name -> person | organisation | place | other
    hide:   [Editor, Now]                   # names never shown
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from index.models import ENTITY_TYPES, Entity, EntityType
from index.store.yamlfile import YamlProblem, load_yaml, write_atomic

_HEADER = "# thaad-tui entity corrections: edit freely, or use the Entities pane's actions.\n"


@dataclass
class Corrections:
    """What the user changed. Names refer to entity names as shown (before or after merges)."""

    merges: dict[str, str] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)
    retypes: dict[str, EntityType] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path) -> tuple[Corrections, YamlProblem | None]:
        """Read corrections; a missing file is empty, a broken one is reported and left alone."""
        data, problem = load_yaml(path)
        if problem is not None:
            return cls(), problem
        out = cls()
        for key, target in (("merge", out.merges), ("rename", out.renames)):
            section = data.get(key) or {}
            if not isinstance(section, dict):
                return cls(), YamlProblem(path, None, f"'{key}' must be a mapping")
            target.update({str(k): str(v) for k, v in section.items()})
        retype = data.get("retype") or {}
        if not isinstance(retype, dict):
            return cls(), YamlProblem(path, None, "'retype' must be a mapping")
        for name, kind in retype.items():
            if kind not in ENTITY_TYPES:
                return cls(), YamlProblem(path, None, f"unknown type {kind!r} for {name!r}")
            out.retypes[str(name)] = kind
        hide = data.get("hide") or []
        if not isinstance(hide, list):
            return cls(), YamlProblem(path, None, "'hide' must be a list")
        out.hidden = {str(h) for h in hide}
        return out, None

    def merge(self, name: str, into: str) -> None:
        """Make ``name`` part of the entity ``into`` (its aliases and mentions join it)."""
        if self.canonical(into) == name:
            raise ValueError(f"{into!r} is already merged into {name!r}")
        if name != into:
            self.merges[name] = into

    def rename(self, name: str, new_name: str) -> None:
        """Show the entity ``name`` as ``new_name`` from now on."""
        if name != new_name:
            self.renames[name] = new_name
            self.renames.pop(new_name, None)  # renaming back must not loop

    def retype(self, name: str, new_type: EntityType) -> None:
        """Give the entity ``name`` the type ``new_type``."""
        if new_type not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {new_type!r}")
        self.retypes[name] = new_type

    def hide(self, name: str) -> None:
        """Never show the entity ``name`` (junk such as "Editor")."""
        self.hidden.add(name)

    def save(self, path: Path) -> None:
        """Write the corrections atomically (temp file, fsync, replace)."""
        data = {
            "merge": dict(sorted(self.merges.items())),
            "rename": dict(sorted(self.renames.items())),
            "retype": dict(sorted(self.retypes.items())),
            "hide": sorted(self.hidden),
        }
        import yaml  # only when writing: off the app's start

        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
        write_atomic(path, _HEADER + body)

    def canonical(self, name: str) -> str:
        """The name ``name`` ends up under after merges and renames (cycles stop safely)."""
        seen = {name}
        while True:
            nxt = self.merges.get(name) or self.renames.get(name)
            if nxt is None or nxt in seen:
                return name
            seen.add(nxt)
            name = nxt

    def apply(self, entities: Sequence[Entity]) -> list[Entity]:
        """The entities with the corrections applied: merged, renamed, retyped, hidden ones gone.

        A merged entity keeps the type of the entity it was merged into (or, if that is not in
        ``entities``, the type with the most mentions), unless a retype says otherwise. The
        order of ``entities`` is kept, by each group's first member.
        """
        groups: dict[str, list[Entity]] = {}
        for entity in entities:
            groups.setdefault(self.canonical(entity.name), []).append(entity)
        out: list[Entity] = []
        for name, members in groups.items():
            if name in self.hidden or any(m.name in self.hidden for m in members):
                continue
            out.append(self._combine(name, members))
        return out

    def _combine(self, name: str, members: list[Entity]) -> Entity:
        head = next((m for m in members if m.name == name), None)
        if head is None:
            weights: Counter[EntityType] = Counter()
            for m in members:
                weights[m.type] += m.mentions
            kind = weights.most_common(1)[0][0]
        else:
            kind = head.type
        retyped = self.retypes.get(name) or next(
            (self.retypes[m.name] for m in members if m.name in self.retypes), None
        )
        kind = retyped or kind
        aliases = dict.fromkeys(a for m in members for a in (*m.aliases, m.name) if a != name)
        articles = dict.fromkeys(a for m in members for a in m.articles)
        return Entity(
            name=name,
            type=kind,
            aliases=tuple(aliases),
            articles=tuple(sorted(articles)),
            mentions=sum(m.mentions for m in members),
        )


class CorrectionError(Exception):
    """A correction could not be recorded; the message is one line and the file is unchanged."""


_T = TypeVar("_T")
Edit = tuple[str, str, str | None]  # (section, key, the value before; None: absent)


@dataclass(frozen=True)
class Change:
    """What one :func:`record` call changed in the file: enough for :func:`undo` to put it back.

    ``edits`` hold each touched key's value from before (None when the key was absent).
    """

    edits: tuple[Edit, ...]


def snapshot(corrections: Corrections) -> dict[str, dict[str, str]]:
    """The corrections as ``{section: {name: value}}`` (``hide`` maps each name to "")."""
    return _snapshot(corrections)


def _snapshot(corrections: Corrections) -> dict[str, dict[str, str]]:
    return {
        "merge": dict(corrections.merges),
        "rename": dict(corrections.renames),
        "retype": {k: str(v) for k, v in corrections.retypes.items()},
        "hide": dict.fromkeys(corrections.hidden, ""),
    }


def _apply_one(corrections: Corrections, action: str, name: str, value: str) -> None:
    if action == "rename":
        corrections.rename(name, value)
    elif action == "merge":
        corrections.merge(name, value)
    elif action == "retype":
        corrections.retype(name, value)  # type: ignore[arg-type]
    elif action == "hide":
        corrections.hide(name)
    else:
        raise CorrectionError(f"unknown correction {action!r}")


def record(path: Path, action: str, name: str, value: str = "") -> Change:
    """Add one correction to the user's file: load, modify and save atomically under a file lock.

    ``action`` is ``rename``/``merge`` (``value`` is the new name or the target entity),
    ``retype`` (``value`` is the type) or ``hide``. The lock keeps two instances of the app from
    losing each other's corrections. A file that cannot be parsed is left untouched. Returns
    the :class:`Change`, for :func:`undo`.
    """
    return record_many(path, [(action, name, value)])


def record_many(path: Path, items: Sequence[tuple[str, str, str]]) -> Change:
    """Record several corrections as one change (one save, one undo): a multi-select merge.

    Either all of them are saved or none (the first refused one raises).
    """

    return _locked(path, recorder(items))


def recorder(items: Sequence[tuple[str, str, str]]) -> Callable[[Corrections], Change]:
    """The edit that records ``items`` in loaded corrections and says what it changed (for the
    file here, and for a shared database's table in index.store.postgres.corrections)."""

    def change(corrections: Corrections) -> Change:
        before = _snapshot(corrections)
        for action, name, value in items:
            _apply_one(corrections, action, name, value)
        after = _snapshot(corrections)
        edits = tuple(
            (section, key, before[section].get(key))
            for section in before
            for key in {**before[section], **after[section]}
            if before[section].get(key) != after[section].get(key)
        )
        return Change(edits)

    return change


def undo(path: Path, change: Change) -> None:
    """Put back what ``change`` changed, leaving every other correction in the file alone."""
    _locked(path, reverter(change))


def reverter(change: Change) -> Callable[[Corrections], None]:
    """The edit that puts back what ``change`` changed in loaded corrections."""

    def revert(corrections: Corrections) -> None:
        sections: dict[str, dict[str, Any]] = {
            "merge": corrections.merges,
            "rename": corrections.renames,
            "retype": corrections.retypes,
        }
        for section, key, old in change.edits:
            if section == "hide":
                if old is None:
                    corrections.hidden.discard(key)
                else:
                    corrections.hidden.add(key)
            elif old is None:
                sections[section].pop(key, None)
            else:
                sections[section][key] = old

    return revert


def _locked(path: Path, edit: Callable[[Corrections], _T]) -> _T:
    """Load the file under its lock, let ``edit`` change it, save it; errors are one line."""
    from filelock import FileLock, Timeout  # only when editing: off the app's start

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(f"{path}.lock", timeout=10)
        with lock:
            corrections, problem = Corrections.load(path)
            if problem is not None:
                raise CorrectionError(f"{problem}; fix or remove it to save corrections")
            result = edit(corrections)
            corrections.save(path)
            return result
    except ValueError as exc:
        raise CorrectionError(str(exc)) from exc
    except Timeout as exc:
        raise CorrectionError(f"{path} is locked by another thaad-tui; try again") from exc
    except OSError as exc:
        raise CorrectionError(f"cannot write {path}: {exc.strerror or exc}") from exc
