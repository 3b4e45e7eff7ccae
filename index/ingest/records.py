"""The record each file parser fills in before :mod:`index.ingest.corpus` cleans it into an
Article."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Draft:
    """An article as a parser found it: raw strings, not yet cleaned or given an id.

    ``line`` is where one begins in a file of several (JSON Lines).
    """

    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    date_inferred: bool = False
    section: str | None = None
    standfirst: str | None = None
    url: str | None = None
    line: int | None = None


class ParseProblem(Exception):
    """Raised by a file parser for input it cannot use; ingest turns it into a warning."""
