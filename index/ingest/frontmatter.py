"""Markdown or text files with YAML front matter; their bodies may be Markdown, text or HTML.

The front matter is read with ``yaml.safe_load`` only. Blog exports name their keys in many
ways (``post_title``, ``date``, ``publisher``, ``authors: [...]``), so each field has aliases,
tried in order; values of the wrong type (``published: true``) are passed over.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import yaml

from index.ingest import dates
from index.ingest.htmltext import html_paragraphs, looks_like_html
from index.ingest.rawtext import ends_sentence, is_chrome, parse_raw_text, split_blocks
from index.ingest.records import Draft, ParseProblem

# The C build of PyYAML's *safe* loader when present (same rules as yaml.safe_load, ~10x faster
# on a folder of blog posts).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = re.compile(r"\A\ufeff?[ \t]*---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

TITLE_KEYS = ("title", "headline", "post_title", "original_title", "name")
OUTLET_KEYS = ("outlet", "publisher", "source", "publication", "site_name", "site")
DATE_KEYS = ("published", "date", "published_at", "publish_date", "pubdate", "post_date",
             "created", "updated")  # fmt: skip
AUTHOR_KEYS = ("author", "authors", "byline", "creator", "creators")
URL_KEYS = ("url", "canonical_url", "original_link", "link", "source_url", "permalink")
SECTION_KEYS = ("section",)
STANDFIRST_KEYS = ("standfirst", "description", "summary", "subtitle", "excerpt", "post_excerpt")
# Placeholder bylines that name nobody.
_NOBODY = frozenset({"staff", "staff writer", "admin", "administrator", "editor", "anonymous",
                     "unknown", "none", "n/a"})  # fmt: skip

_SHORTCODE = re.compile(r"^\[/?[a-z_][\w-]*\]$", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s+")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)
_URL = re.compile(r"^https?://\S+$")
_WRAP_WIDTH = 100  # no hard-wrapped text has longer lines


def split_front_matter(text: str) -> tuple[str, str] | None:
    """``(yaml, body)`` when ``text`` opens with ``---``; ``None`` when it has no front matter.

    Raises :class:`ParseProblem` when the front matter is never closed.
    """
    opening = _OPEN.match(text)
    if not opening:
        return None
    closing = _CLOSE.search(text, opening.end())
    if not closing:
        raise ParseProblem("front matter opened with '---' is never closed")
    return text[opening.end() : closing.start()], text[closing.end() :]


def _string(value: Any) -> str | None:
    """A scalar (or the first usable item of a list) as text; ``None`` for anything else."""
    if isinstance(value, list):
        return next((s for item in value if (s := _string(item))), None)
    if isinstance(value, bool) or value is None or isinstance(value, Mapping):
        return None
    text = str(value).strip()
    if _ENTITY.search(text):
        text = html.unescape(text)
    return text or None


def first_value(meta: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first usable text among ``keys`` of ``meta`` (keys already case-folded)."""
    return next((s for k in keys if (s := _string(meta.get(k)))), None)


def author_value(meta: Mapping[str, Any]) -> str | None:
    """The author(s) named by ``meta``, a list joined by commas; placeholders are no one."""
    for key in AUTHOR_KEYS:
        value = meta.get(key)
        names = [s for v in value if (s := _string(v))] if isinstance(value, list) else []
        name = ", ".join(names) if names else _string(value)
        if name and name.casefold() not in _NOBODY:
            return name
    return None


def _inline(line: str) -> str:
    """One line of Markdown reduced to its text (links, images, emphasis, heading marks)."""
    line = _HEADING.sub("", line.strip().removeprefix(">").strip())
    return _EMPHASIS.sub(r"\2", _LINK.sub(r"\1", _IMAGE.sub("", line)))


def line_breaks_are_paragraphs(blocks: list[list[str]]) -> bool:
    """Whether single newlines inside ``blocks`` end paragraphs rather than wrap lines.

    Exports such as JSON Lines news sets put one paragraph per line. Hard-wrapped text has short
    lines that mostly stop mid-sentence; a line longer than any wrap width, or lines that mostly
    end a sentence (or are short subheads), mean each line is a paragraph of its own.
    """
    inner = [ln for lines in blocks for ln in lines[:-1]]
    if not inner:
        return False
    if max(len(ln) for lines in blocks for ln in lines) > _WRAP_WIDTH:
        return True
    ended = sum(1 for ln in inner if ends_sentence(ln) or is_subhead(ln))
    return ended * 2 >= len(inner)


def is_subhead(line: str) -> bool:
    """A short all-capitals line inside a story ("U.S. SANCTIONS VOTE"): its own paragraph."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and len(line) <= 60 and all(c.isupper() for c in letters)


def markdown_paragraphs(body: str) -> list[str]:
    """Paragraphs of a Markdown or plain-text body, markup reduced to its text.

    Blank lines end paragraphs; so do single newlines when the body uses them that way (see
    :func:`line_breaks_are_paragraphs`), and a subhead line always stands alone.
    """
    blocks = []
    for block in split_blocks(body):
        lines = [_inline(ln) for ln in block.split("\n")]
        blocks.append([ln for ln in lines if ln and not _SHORTCODE.match(ln)])
    per_line = line_breaks_are_paragraphs(blocks)
    out: list[str] = []
    for lines in blocks:
        if per_line:
            out.extend(lines)
            continue
        while len(lines) > 1 and is_subhead(lines[0]):
            out.append(lines.pop(0))
        if lines:
            out.append(" ".join(lines))
    return [p for p in out if p.strip()]


def body_paragraphs(body: str) -> list[str]:
    """Paragraphs of a body in any of the accepted forms, without shortcodes and site chrome."""
    paragraphs = html_paragraphs(body) if looks_like_html(body) else markdown_paragraphs(body)
    return [p for p in paragraphs if not _SHORTCODE.match(p.strip()) and not is_chrome(p)]


def parse_front_matter(text: str) -> Draft | None:
    """Parse a file with YAML front matter; ``None`` when it has none.

    Raises :class:`ParseProblem` for broken front matter.
    """
    parts = split_front_matter(text)
    if parts is None:
        return None
    raw, body = parts
    try:
        meta = yaml.load(raw, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        # +2: the mark counts from 0 inside the front matter, which starts after the '---' line.
        where = f" at line {mark.line + 2}" if mark is not None else ""
        raise ParseProblem(
            f"invalid YAML front matter{where}: {getattr(exc, 'problem', exc)}"
        ) from exc
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. "date: 2016-02-30"
        raise ParseProblem(f"invalid value in front matter: {exc}") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, Mapping):
        raise ParseProblem("front matter is not a mapping of keys to values")
    meta = {str(k).strip().casefold(): v for k, v in meta.items()}
    draft = Draft(paragraphs=body_paragraphs(body))
    draft.title = first_value(meta, TITLE_KEYS) or _heading_title(body, draft)
    outlet = first_value(meta, OUTLET_KEYS)
    draft.outlet = None if outlet and _URL.match(outlet) else outlet
    draft.url = first_value(meta, URL_KEYS) or (outlet if outlet and _URL.match(outlet) else None)
    draft.author = author_value(meta)
    draft.section = first_value(meta, SECTION_KEYS)
    draft.standfirst = first_value(meta, STANDFIRST_KEYS)
    draft.published = next((d for k in DATE_KEYS if (d := dates.coerce_date(meta.get(k)))), None)
    return draft


def _heading_title(body: str, draft: Draft) -> str:
    """With no title key, a leading ``# Heading`` is the title (and leaves the body)."""
    first = body.lstrip().split("\n", 1)[0]
    if _HEADING.match(first) and draft.paragraphs:
        return draft.paragraphs.pop(0)
    return ""


def parse_markdown(text: str) -> Draft:
    """A Markdown or text file: front matter when it has some, else read as a news page."""
    draft = parse_front_matter(text)
    if draft is not None:
        return draft
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    if _HEADING.match(first):
        paragraphs = body_paragraphs(text) or [""]
        return Draft(title=paragraphs[0], paragraphs=paragraphs[1:])
    return parse_raw_text(text)
