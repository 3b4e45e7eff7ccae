"""The Markdown form of a bookmark in the notes file, and a scanner that reads it back.

One entry looks like this (the comment and the citation's outlet and date are optional)::

    <!-- thaad-tui:bookmark id=20170307T101500-1a2b3c4d article=000_x paragraph=3 hash=... -->
    > The quoted passage, one `> ` line per line of text.
    >
    > A second paragraph of the passage.

    — *Article title*, Outlet, 2017-03-07 (article 000\\_x, paragraph 3)
    Source: <https://example.com/story>
    Saved 2017-03-07 10:15 +00:00

    The reader's comment.
    <!-- thaad-tui:end id=20170307T101500-1a2b3c4d -->

The anchor on the first line carries what a program needs (id, article, paragraph, passage hash,
creation time, and ``sep=N`` when N line endings were written before the entry to set it apart
from the user's text, so that a delete removes them too); the body carries what a person reads,
and the quote, title, outlet and comment are read back from it, so a comment edited by hand is
honoured. Untrusted text is backslash-escaped (CommonMark escapes, undone on reading), so
neither a passage nor a comment can forge a marker, close the HTML comment or turn into markup.
Everything outside entries belongs to the user and is never parsed beyond finding the markers.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, unquote

from index.ingest.textclean import strip_controls
from index.models import Bookmark

MARKER = "<!-- thaad-tui:"
_ANCHOR = re.compile(r"^<!-- thaad-tui:bookmark((?: +\S+)*) *-->\s*$")
_END = re.compile(r"^<!-- thaad-tui:end id=(\S+) *-->\s*$")
_ATTR = re.compile(r"^([a-z_]+)=(\S+)$")
# Attribute values are percent-encoded outside this set, so no value holds a space or `>`.
_SAFE = "._:+-"
_REQUIRED = ("id", "article", "paragraph")
_KNOWN = ("id", "article", "paragraph", "hash", "created", "sep")

# CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that matter.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# Line starts that would make a heading, list item or setext underline: `#`, `-`, `1.`, ...
_BLOCK_START = re.compile(r"^(\s*)([#+=\-])|^(\s*\d+)([.)])")
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CITATION = re.compile(
    r"^— (?:\*(?P<title>(?:\\.|[^\\*])*)\*)?(?P<rest>(?:\\.|[^\\])*?) ?"
    r"\(article .*, paragraph \d+\)\s*$"
)
_CITE_PART = re.compile(r"(?:\\.|[^\\,])+")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_SAVED = re.compile(r"^Saved \S")
_SOURCE = re.compile(r"^Source: (?:<(?P<link>https?://[^\s<>]+)>|(?P<text>\S.*))$")
_LINK = re.compile(r"^https?://[^\s<>]+$")
_SPACE_RUN = re.compile(r"\s+")


def normalise_passage(text: str) -> str:
    """The form of a passage that its hash is taken of: no controls, NFC, spaces folded."""
    text = unicodedata.normalize("NFC", strip_controls(text))
    return _SPACE_RUN.sub(" ", text).strip()


def passage_hash(text: str) -> str:
    """A short stable hash (12 hex digits) of the normalised passage text."""
    digest = hashlib.sha256(normalise_passage(text).encode("utf-8"))
    return digest.hexdigest()[:12]


def md_escape(text: str) -> str:
    """Backslash-escape Markdown and HTML syntax so ``text`` renders (and parses) literally."""
    lines = []
    for line in text.split("\n"):
        line = _INLINE_SPECIAL.sub(r"\\\1", line)
        lines.append(_BLOCK_START.sub(_escape_block_start, line, count=1))
    return "\n".join(lines)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return match.group(1) + "\\" + match.group(2)
    return match.group(3) + "\\" + match.group(4)


def md_unescape(text: str) -> str:
    """Undo :func:`md_escape` (and any other CommonMark backslash escape)."""
    return _UNESCAPE.sub(r"\1", text) if "\\" in text else text


def _attr(value: str) -> str:
    return quote(value, safe=_SAFE)


def _readable_time(created: str) -> str:
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        return created
    return moment.strftime("%Y-%m-%d %H:%M %z").replace("+0000", "UTC")


def render(bookmark: Bookmark, eol: str = "\n", sep: int = 0) -> str:
    """The entry for ``bookmark``, ending with its end marker and one blank line.

    ``sep`` is how many line endings the writer puts before the entry to start it on a fresh
    line after a blank one; the anchor records it (``sep=N``, last) so that deleting the entry
    removes them too. Text fields are cleaned of control characters here, whatever the caller
    did.
    """
    text = strip_controls(bookmark.text).replace("\r", "")
    comment = strip_controls(bookmark.comment).replace("\r", "").strip()
    attrs = {
        "id": bookmark.id,
        "article": bookmark.article,
        "paragraph": str(bookmark.paragraph),
        "hash": bookmark.passage_hash or passage_hash(text),
    }
    if bookmark.created:
        attrs["created"] = bookmark.created
    for key, value in sorted(bookmark.extra.items()):
        if _ATTR.match(f"{key}=x") and key not in attrs:
            attrs[key] = strip_controls(value)
    anchor = " ".join(f"{k}={_attr(v)}" for k, v in attrs.items())
    lines = [f"<!-- thaad-tui:bookmark {anchor}{_sep_attr(sep)} -->"]
    lines += [f"> {line}" if line else ">" for line in md_escape(text).split("\n")]
    lines.append("")
    cite = [f"*{md_escape(_one_line(bookmark.title))}*"] if bookmark.title else []
    for part in (bookmark.outlet, bookmark.published):
        if part:
            cite.append(re.sub(r"([,()])", r"\\\1", md_escape(_one_line(part))))
    where = f"(article {md_escape(bookmark.article)}, paragraph {bookmark.paragraph})"
    lines.append("— " + ", ".join(cite) + (" " if cite else "") + where)
    if bookmark.url:
        url = _one_line(bookmark.url)
        # An http(s) URL as an autolink (taken literally by Markdown); anything else escaped.
        lines.append(f"Source: <{url}>" if _LINK.match(url) else f"Source: {md_escape(url)}")
    if bookmark.created:
        lines.append(f"Saved {_readable_time(bookmark.created)}")
    if comment:
        lines += ["", md_escape(comment)]
    lines += [f"<!-- thaad-tui:end id={_attr(bookmark.id)} -->", "", ""]
    return eol.join(lines)


_SEP_ATTR = re.compile(rb" +sep=\S*")


def _sep_attr(sep: int) -> str:
    return f" sep={sep}" if sep else ""


def with_separator(anchor: bytes, sep: int) -> bytes:
    """An anchor line as written by :func:`render` (with its line ending), now recording
    ``sep`` line endings before it (replacing a ``sep`` it had, which the file's text no
    longer matched)."""
    head, close, rest = anchor.rpartition(b" -->")
    if not close:
        return anchor
    return _SEP_ATTR.sub(b"", head) + _sep_attr(sep).encode() + close + rest


def _one_line(text: str) -> str:
    return _SPACE_RUN.sub(" ", strip_controls(text)).strip()


@dataclass(frozen=True, slots=True)
class Line:
    """A marker line: 1-based number, byte span (with its line ending) and text."""

    number: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A complete, valid entry: the bookmark, its byte span (anchor to the blank line after
    the end marker), the span of its anchor line, and how many bytes before ``start`` are the
    line endings written to separate it from what came before (``sep`` of them)."""

    bookmark: Bookmark
    line: int
    start: int
    end: int
    anchor_end: int = 0
    sep_bytes: int = 0
    sep: int = 0


# Only marker lines are looked at one by one; the text between them is decoded in one go.
_MARKER_LINE = re.compile(rb"^<!-- thaad-tui:[^\n]*(?:\n|\Z)", re.MULTILINE)


def _markers(data: bytes) -> list[Line]:
    found: list[Line] = []
    number, counted = 1, 0
    for match in _MARKER_LINE.finditer(data):
        number += data.count(b"\n", counted, match.start())
        counted = match.start()
        text = match.group().decode("utf-8", errors="replace").rstrip("\r\n")
        found.append(Line(number, match.start(), match.end(), text))
    return found


def scan(data: bytes) -> tuple[list[Entry], list[str]]:
    """Find every entry in ``data``: valid ones in file order, and one problem line per skip.

    Duplicated ids keep the first entry. Text outside entries is ignored.
    """
    entries: list[Entry] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    markers = _markers(data)
    i = 0
    while i < len(markers):
        line = markers[i]
        if _END.match(line.text):
            problems.append(f"line {line.number}: end marker without a bookmark anchor; ignored")
            i += 1
            continue
        if not line.text.startswith(MARKER + "bookmark"):
            problems.append(f"line {line.number}: unknown thaad-tui marker; ignored")
            i += 1
            continue
        i, entry, problem = _read_entry(data, markers, i)
        if problem:
            problems.append(problem)
        elif entry is not None:
            bid = entry.bookmark.id
            if bid in seen:
                problems.append(
                    f"line {entry.line}: bookmark id {bid} already used at line {seen[bid]}; "
                    "skipped"
                )
            else:
                seen[bid] = entry.line
                entries.append(entry)
    return entries, problems


def _read_entry(data: bytes, markers: list[Line], i: int) -> tuple[int, Entry | None, str | None]:
    """Read the entry whose anchor is ``markers[i]``; return the marker index after it."""
    first = markers[i]
    j = i + 1
    if j == len(markers) or not markers[j].text.startswith(MARKER + "end"):
        # Stop before the next anchor (it starts an entry of its own) or at the end of the file.
        reason = "has no end marker (interrupted write?)"
        if j < len(markers) and not markers[j].text.startswith(MARKER + "bookmark"):
            reason, j = "is broken by an unexpected thaad-tui marker", j + 1
        return j, None, f"line {first.number}: bookmark entry {reason}; skipped"
    end_line = markers[j]
    attrs, problem = _parse_anchor(first.text)
    if problem:
        return j + 1, None, f"line {first.number}: {problem}; entry skipped"
    end_match = _END.match(end_line.text)
    if not end_match or unquote(end_match.group(1)) != attrs["id"]:
        return (
            j + 1,
            None,
            f"line {end_line.number}: end marker does not match bookmark {attrs['id']} "
            f"(line {first.number}); entry skipped",
        )
    chunk = data[first.end : end_line.start].decode("utf-8", errors="replace")
    body = [line.rstrip("\r") for line in chunk.split("\n")]
    if chunk.endswith("\n"):
        body.pop()
    bookmark, problem = _parse_body(attrs, body)
    if bookmark is None:
        return j + 1, None, f"line {first.number}: {problem}; entry skipped"
    end = end_line.end
    # The blank line written after the end marker belongs to the entry.
    for blank in (b"\n", b"\r\n"):
        if data.startswith(blank, end):
            end += len(blank)
            break
    sep = int(attrs["sep"]) if attrs.get("sep") in ("1", "2") else 0
    eol = b"\r\n" if data[first.end - 2 : first.end] == b"\r\n" else b"\n"
    if sep and not _separator_fits(data, first.start, eol, sep):
        sep = 0
    entry = Entry(bookmark, first.number, first.start, end, first.end, len(eol) * sep, sep)
    return j + 1, entry, None


def _separator_fits(data: bytes, start: int, eol: bytes, sep: int) -> bool:
    """Whether the ``sep`` line endings before ``start`` are still the ones the writer put
    there: the user may have edited the blank lines since, and a line ending of theirs must
    never go with a deleted entry. The writer adds two after text without a final newline,
    one after a line that ends with one, none after a blank line."""
    cut = start - len(eol) * sep
    if cut <= 0 or data[cut:start] != eol * sep:
        return False
    tail = data[max(0, cut - 4) : cut]
    if sep == 2:
        return not tail.endswith(b"\n")
    return tail.endswith(b"\n") and not tail.endswith((b"\n\n", b"\n\r\n")) and cut != len(eol)


def _parse_anchor(text: str) -> tuple[dict[str, str], str | None]:
    match = _ANCHOR.match(text)
    if not match:
        return {}, "damaged bookmark anchor"
    attrs: dict[str, str] = {}
    for token in match.group(1).split():
        pair = _ATTR.match(token)
        if not pair:
            return {}, f"bad attribute {token[:40]!r} in bookmark anchor"
        value = pair.group(2)
        attrs[pair.group(1)] = unquote(value) if "%" in value else value
    missing = [key for key in _REQUIRED if not attrs.get(key)]
    if missing:
        return {}, f"bookmark anchor lacks {', '.join(missing)}"
    if not attrs["paragraph"].isdigit() or int(attrs["paragraph"]) < 1:
        return {}, f"bad paragraph {attrs['paragraph'][:20]!r} in bookmark anchor"
    return attrs, None


def _parse_body(attrs: dict[str, str], body: list[str]) -> tuple[Bookmark | None, str]:
    k = 0
    while k < len(body) and body[k].strip() == "":
        k += 1
    quoted: list[str] = []
    while k < len(body) and body[k].startswith(">"):
        line = body[k][1:]
        quoted.append(line[1:] if line.startswith(" ") else line)
        k += 1
    if not quoted:
        return None, "no quoted passage"
    rest = body[k:]
    while rest and rest[0].strip() == "":
        rest = rest[1:]
    title, outlet, published, url = "", None, None, None
    if rest and (cite := _CITATION.match(rest[0])):
        title = md_unescape(cite.group("title") or "")
        for part in _CITE_PART.findall(cite.group("rest")):
            value = md_unescape(part.strip())
            if not value:
                continue
            if _DATE.match(value):
                published = value
            else:
                outlet = value
        rest = rest[1:]
        if rest and (source := _SOURCE.match(rest[0])):
            url = source.group("link") or md_unescape(source.group("text"))
            rest = rest[1:]
        if rest and _SAVED.match(rest[0]):
            rest = rest[1:]
    comment = md_unescape("\n".join(rest).strip("\n")).strip()
    text = md_unescape("\n".join(quoted))
    extra = {key: value for key, value in attrs.items() if key not in _KNOWN}
    bookmark = Bookmark(
        id=attrs["id"],
        article=attrs["article"],
        paragraph=int(attrs["paragraph"]),
        text=text,
        comment=comment,
        created=attrs.get("created", ""),
        title=title,
        outlet=outlet,
        published=published,
        passage_hash=attrs.get("hash") or passage_hash(text),
        extra=extra,
        url=url,
    )
    return bookmark, ""
