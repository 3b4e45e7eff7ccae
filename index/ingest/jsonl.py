"""JSON Lines bulk import: one article object per line.

Keys are those of the front matter (``title``, ``outlet``, ``published``/``date``, ``author``,
``url`` and their aliases) plus ``text`` (or ``body``/``content``). A line that is not a usable
article is skipped with a problem naming its line; the other lines are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from index.ingest import dates
from index.ingest.frontmatter import (
    AUTHOR_KEYS,
    DATE_KEYS,
    OUTLET_KEYS,
    SECTION_KEYS,
    STANDFIRST_KEYS,
    TITLE_KEYS,
    URL_KEYS,
    author_value,
    body_paragraphs,
    first_value,
)
from index.ingest.records import Draft

TEXT_KEYS = ("text", "body", "content", "article")


def _draft(obj: Mapping[str, Any], number: int) -> Draft | str:
    """The article on line ``number``, or the reason it cannot be used."""
    meta = {str(k).strip().casefold(): v for k, v in obj.items()}
    title = first_value(meta, TITLE_KEYS)
    if not title:
        return "no title"
    body = next((v for k in TEXT_KEYS if isinstance(v := meta.get(k), str) and v.strip()), None)
    if body is None:
        return "no text"
    return Draft(
        title=title,
        paragraphs=body_paragraphs(body),
        outlet=first_value(meta, OUTLET_KEYS),
        author=author_value({k: meta.get(k) for k in AUTHOR_KEYS}),
        published=next((d for k in DATE_KEYS if (d := dates.coerce_date(meta.get(k)))), None),
        section=first_value(meta, SECTION_KEYS),
        standfirst=first_value(meta, STANDFIRST_KEYS),
        url=first_value(meta, URL_KEYS),
        line=number,
    )


def parse_jsonl(text: str, first_line: int = 1) -> Iterator[tuple[int, Draft | str]]:
    """``(line number, draft or reason)`` for every non-blank line of a JSON Lines file (or of
    a part of one that starts on line ``first_line``)."""
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        except (ValueError, RecursionError) as exc:  # huge integers, absurd nesting
            yield number, f"not valid JSON ({type(exc).__name__})"
            continue
        if not isinstance(obj, dict):
            yield number, f"expected a JSON object, found {type(obj).__name__}"
            continue
        yield number, _draft(obj, number)
