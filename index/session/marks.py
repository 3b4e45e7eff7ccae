"""Starred and read articles, kept in a JSON file in the data folder.

Article ids come from the article's URL or text, so they stay the same across corpora and
re-indexing; one file serves every corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from index.ingest.fsnames import read_regular
from index.store.yamlfile import write_atomic

FILE_NAME = "marks.json"


@dataclass
class Marks:
    """The starred and the read article ids."""

    starred: set[str] = field(default_factory=set)
    read: set[str] = field(default_factory=set)

    def toggle_star(self, article_id: str) -> bool:
        """Star or unstar an article; True when it is starred now."""
        if article_id in self.starred:
            self.starred.discard(article_id)
            return False
        self.starred.add(article_id)
        return True


def marks_path(data_dir: Path) -> Path:
    """Where the marks file lives in the data folder."""
    return data_dir / FILE_NAME


def load_marks(path: Path) -> tuple[Marks, str | None]:
    """The marks, and a one-line problem when the file could not be used (then no marks)."""
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        return Marks(), None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Marks(), f"{path}: unreadable ({exc}); stars and read marks start empty"
    lists = [data.get(key) if isinstance(data, dict) else None for key in ("starred", "read")]
    if not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in lists):
        return Marks(), f"{path}: not a marks file; stars and read marks start empty"
    return Marks(set(lists[0] or ()), set(lists[1] or ())), None


def save_marks(path: Path, marks: Marks) -> None:
    """Write the marks atomically."""
    data = {"starred": sorted(marks.starred), "read": sorted(marks.read)}
    write_atomic(path, json.dumps(data, ensure_ascii=False) + "\n")
