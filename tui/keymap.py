"""The user's keys and theme: a keymap file in the config folder, the theme kept between runs.

Textual rebinds keys by binding id (``App.set_keymap``). :class:`KeyIds` gives every binding of
a class an id, ``Class.action`` (``Reader.bookmark``, ``MainScreen.focus_pane.articles``), when
the class declares none; the help screen shows the ids. ``keymap.yaml`` beside the config file
maps ids to keys::

    Reader.bookmark: m            # m bookmarks instead of b
    MainScreen.focus_search: ctrl+s,slash

An id that no binding has is a warning naming it and the file; the rest still applies.
The theme chosen (ctrl+p, "Change theme") is saved in the data folder and applied at start.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.binding import Binding

from index.paths import Settings
from index.store.yamlfile import load_yaml, write_atomic

KEYMAP_FILE = "keymap.yaml"
THEME_FILE = "theme.yaml"
_ARGUMENT = re.compile(r"[^\w+-]+")


def binding_id(owner: str, action: str) -> str:
    """``Owner.action``, its arguments appended by dots: ``MainScreen.focus_pane.articles``."""
    name, _, arguments = action.partition("(")
    parts = [name, *(p for p in _ARGUMENT.split(arguments) if p)]
    return f"{owner}." + ".".join(parts)


class KeyIds:
    """Mixin: the class's own bindings get ids (see the module docstring) before Textual
    reads them."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        own = cls.__dict__.get("BINDINGS")
        if own:
            cls.BINDINGS = [  # type: ignore[attr-defined]
                b if b.id else replace(b, id=binding_id(cls.__name__, b.action))
                for b in Binding.make_bindings(own)
            ]
        super().__init_subclass__(**kwargs)


def keymap_path(settings: Settings) -> Path:
    """``keymap.yaml`` in the config folder (beside ``config.yaml``)."""
    return settings.config_path.parent / KEYMAP_FILE


def load_keymap(path: Path, known: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """The keymap in ``path`` (binding id -> keys) and one line per problem found.

    A missing file is an empty keymap. An id not in ``known``, or keys that are not text, is
    a problem naming the file and the id, and is left out; the other entries are kept.
    """
    data, problem = load_yaml(path)
    problems = [str(problem)] if problem else []
    known = set(known)
    keymap: dict[str, str] = {}
    for key, value in data.items():
        name = str(key)
        if name not in known:
            problems.append(f"{path}: no key binding has the id '{name}' (see ? for the ids)")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f'{path}: \'{name}\' must be keys as text, like "ctrl+f" or "f,/"')
        else:
            keymap[name] = ",".join(k.strip() for k in value.split(",") if k.strip())
    return keymap, problems


def theme_path(settings: Settings) -> Path:
    """The theme last chosen, kept in the data folder."""
    return settings.data_dir / THEME_FILE


def load_theme(path: Path) -> tuple[str | None, str | None]:
    """The theme saved in ``path`` and the problem reading it, if any."""
    data, problem = load_yaml(path)
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        return None, f"{path}: 'theme' must be a theme's name (file ignored)"
    return theme, str(problem) if problem else None


def save_theme(path: Path, theme: str) -> None:
    """Keep ``theme`` for the next run (written atomically). Raises OSError."""
    write_atomic(
        path, f"# The theme last chosen in thaad-tui (ctrl+p, Change theme).\ntheme: {theme}\n"
    )
