"""Parse a news page saved as plain text: headline, byline, date, section, standfirst, body.

A page copied from a browser carries site chrome around the story: breadcrumbs, close buttons,
"MOST POPULAR", related-article headlines dropped between paragraphs, bylines and credit lines.
Each line is classified on its own (chrome, breadcrumb, date, byline, source credit, text); the
header is what comes before the first real sentence, and the body is the prose after it. The
rules describe news pages in general, never one particular file. Every step is one pass over
the lines, so a large file parses in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from index.ingest import dates
from index.ingest.records import Draft

_CHROME_PHRASES = (
    "most popular", "most read", "most viewed", "editor's picks", "editors' picks",
    "more articles by this writer", "back to list", "related articles", "related stories",
    "related", "read more", "advertisement", "share this article", "share", "print", "email",
    "comments", "recommended", "top stories", "trending", "you may also like", "follow us",
    "subscribe", "source", "x", "×", "✕", "close", "go back to top", "back to top",
    "skip to content", "skip to main content", "skip to", "start of article",
)  # fmt: skip
_CHROME = re.compile(
    r"^(?:(?:" + "|".join(re.escape(p) for p in _CHROME_PHRASES) + r")\s*[|·•/.:]?\s*)+$",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^(?:home|main|news)\s*(?:[/>»›|]\s*[^/>»›|]{1,40}){1,5}$", re.I)
_BYLINE = re.compile(r"^by\s+(?P<rest>\S.*)$", re.IGNORECASE)
_NAME = re.compile(
    r"^[A-Z][\w.'’-]*(?:(?:\s+|,\s*)(?:[A-Z][\w.'’-]*|and|de|van|von|der|bin|al|da|la|le))*$"
)
_SOURCE = re.compile(r"^sources?\s*[:：]\s*(?P<value>\S.{0,60})$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_WORD = re.compile(r"\S+")
_EMAIL = re.compile(r"\(?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*\)?")
# A wire credit closing the story, "(AFP)" or "[Reuters]", and a leading one, "SEOUL (Reuters) -".
_WIRES = ("Reuters", "Yonhap", "Xinhua", "Bernama", "Kyodo", "Antara", "Bloomberg", "dpa")
_CREDIT = rf"[A-Z]{{2,6}}|{'|'.join(_WIRES)}"
_TRAILING_CREDIT = re.compile(rf"\s*[(\[](?P<wire>{_CREDIT})(?:/\w+)?[)\]]\s*$")
_DATELINE_CREDIT = re.compile(rf"^[A-Z][A-Z .,'/-]{{1,40}}\((?P<wire>{_CREDIT})\)\s*[-–—:]")
_PHOTO_CREDIT = re.compile(r"\((?:photo|photograph|picture|image|file photo)\s*:[^)]{0,80}\)",
                           re.IGNORECASE)  # fmt: skip
_POSITION = re.compile(r"\((?:left|right|centre|center|top|bottom|[LR]|from left|"
                       r"second from (?:left|right))\)", re.IGNORECASE)  # fmt: skip
_OUTLET_WORDS = frozenset(
    (
        "herald", "times", "daily", "news", "post", "press", "agency", "journal", "tribune",
        "gazette", "telegraph", "guardian", "reuters", "afp", "ap", "yonhap", "xinhua", "kyodo",
        "bloomberg", "cnn", "bbc", "nhk", "kbs", "mbc", "sbs", "ytn", "wire", "network",
        "television", "tv", "radio", "broadcasting", "media", "online", "magazine", "review",
        "chronicle", "observer", "standard", "mail", "express", "star", "week", "weekly", "monitor",
        "insider", "today", "channel", "newsroom", "bureau",
    )
)  # fmt: skip
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_SHORT_LINE = 160  # classification patterns only look at lines this short
_PROSE_WORDS = 8
_HEADLINE_WORDS = 20
_LEAD = 5  # paragraphs searched for a yearless date ("Wednesday (Dec 4)")
_META = ("date", "byline", "breadcrumb", "source")


@dataclass(frozen=True)
class _Line:
    text: str
    kind: str  # "text", "chrome", "breadcrumb", "date", "byline", "source"
    info: object = None


def words(text: str) -> int:
    """How many whitespace-separated words ``text`` has."""
    return sum(1 for _ in _WORD.finditer(text))


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends in sentence punctuation (perhaps inside a closing quote)."""
    return bool(_SENTENCE_END.search(text[-8:]))


def is_prose(text: str) -> bool:
    """A sentence of running text: enough words, ending in sentence punctuation."""
    return ends_sentence(text) and words(text) >= _PROSE_WORDS


def is_chrome(text: str) -> bool:
    """Whether a short line is only site furniture ("MOST POPULAR", "Back to List", "X")."""
    return len(text) <= _SHORT_LINE and _CHROME.match(text.strip().replace("’", "'")) is not None


def split_blocks(text: str) -> list[str]:
    """The blocks of ``text`` between blank lines (any line ending), stripped, none empty."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return [b.strip() for b in _BLANK_LINE.split(text) if b.strip()] if text else []


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!?:;")


def is_outlet_name(name: str) -> bool:
    """Whether a byline name is an organisation ("Korea Herald") rather than a person."""
    tokens = {t.strip(".,'’()").casefold() for t in name.split()}
    return bool(tokens & _OUTLET_WORDS) or name.casefold().endswith((".com", ".net", ".org"))


def _byline(rest: str) -> dict[str, object] | None:
    """Read "Name (email) | Outlet | Updated: date"; ``None`` when it is not a byline."""
    parts = [p.strip() for p in rest.split("|") if p.strip()]
    if not parts:
        return None
    name = _EMAIL.sub("", parts[0]).strip(" ,;-")
    if not name or words(name) > 8 or not _NAME.match(name):
        return None
    info: dict[str, object] = {"outlet" if is_outlet_name(name) else "author": name}
    found_dates = []
    for part in parts[1:]:
        found = dates.date_line(part) or dates.date_line(f"Published: {part}")
        if found:
            found_dates.append(found)
        elif "outlet" not in info and words(part) <= 6:
            info["outlet"] = part
    info["dates"] = found_dates
    return info


def _classify(text: str) -> _Line:
    if len(text) > _SHORT_LINE:
        return _Line(text, "text")
    if is_chrome(text):
        return _Line(text, "chrome")
    if _BREADCRUMB.match(text):
        return _Line(text, "breadcrumb", re.split(r"\s*[/>»›|]\s*", text)[-1].strip())
    found = dates.date_line(text)
    if found:
        return _Line(text, "date", found)
    byline = _BYLINE.match(text)
    info = _byline(byline["rest"]) if byline else None
    if info:
        return _Line(text, "byline", info)
    source = _SOURCE.match(text)
    if source and words(source["value"]) <= 5:
        return _Line(text, "source", re.split(r"[/,;]", source["value"])[0].strip())
    return _Line(text, "text")


def unwrap(text: str) -> list[str]:
    """Lines of ``text``, with hard-wrapped paragraphs (blocks of 40-100 char lines) joined."""
    out: list[str] = []
    for block in _BLANK_LINE.split(text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        joined = " ".join(lines)
        wrapped = (
            len(lines) > 1
            and all(40 <= len(ln) <= 100 for ln in lines[:-1])
            and len(lines[-1]) <= 100
            and is_prose(joined)
            and all(_classify(ln).kind == "text" for ln in lines)
        )
        out.extend([joined] if wrapped else lines)
    return out


def _first_prose(lines: list[_Line], start: int) -> int | None:
    return next(
        (
            i
            for i in range(start, len(lines))
            if lines[i].kind == "text" and is_prose(lines[i].text)
        ),
        None,
    )


def _split_header(lines: list[_Line]) -> tuple[int, int | None]:
    """Index where the body starts, and of a standfirst sentence sitting above the dateline."""
    first = _first_prose(lines, 0)
    if first is not None and not any(ln.kind == "text" for ln in lines[:first]):
        first = _first_prose(lines, first + 1)  # a headline that reads as a sentence
    if first is None:
        titled = next((i for i, ln in enumerate(lines) if ln.kind == "text"), len(lines))
        return titled + 1, None
    after = first + 1
    while after < len(lines) and lines[after].kind in _META:
        after += 1
    if after > first + 1 and after < len(lines):
        return after, first
    return first, None


def _pick_header(candidates: list[str]) -> tuple[str, str | None, str | None]:
    """Title, section and standfirst from the header's plain lines."""
    unique: list[str] = []
    for text in candidates:
        if _key(text) not in {_key(u) for u in unique}:
            unique.append(text)
    if not unique:
        return "", None, None
    title_at = next((i for i, t in enumerate(unique) if words(t) >= 4), 0)
    title = unique[title_at]
    rest = [(i, t) for i, t in enumerate(unique) if i != title_at]
    section = next((t for _, t in rest if words(t) <= 3), None)
    standfirst = next((t for i, t in rest if i > title_at and words(t) > 3), None)
    return title, section, standfirst


def _body_text(text: str) -> str | None:
    """The prose of a body line, or ``None`` for a caption."""
    credit = _PHOTO_CREDIT.search(text)
    if credit:
        after = text[credit.end() :].lstrip(" ,;")
        return after if is_prose(after) else None
    if _POSITION.search(text) and words(text) <= 40:
        return None
    return text


def parse_raw_text(text: str) -> Draft:
    """Parse a plain-text news page into a :class:`Draft` (strings not yet cleaned)."""
    lines = [_classify(ln) for ln in unwrap(text.replace("\r\n", "\n").replace("\r", "\n"))]
    start, standfirst_at = _split_header(lines)
    header = [ln.text for ln in lines[:start] if ln.kind == "text"]
    if standfirst_at is not None:
        header.remove(lines[standfirst_at].text)
    title, section, standfirst = _pick_header(header)
    if standfirst_at is not None:
        standfirst = lines[standfirst_at].text
    draft = Draft(title=title, section=section, standfirst=standfirst)

    found: list[tuple[dates.DateKind, date]] = []
    outlets: dict[str, str] = {}
    title_key = _key(title)
    body: list[str] = []
    for index, ln in enumerate(lines):
        if ln.kind == "breadcrumb" and draft.section is None:
            draft.section = str(ln.info)
        elif ln.kind == "date":
            found.append(ln.info)  # type: ignore[arg-type]
        elif ln.kind == "byline":
            info: dict[str, Any] = ln.info  # type: ignore[assignment]
            draft.author = draft.author or info.get("author")
            if info.get("outlet"):
                outlets.setdefault("byline", info["outlet"])
            found.extend(info.get("dates", []))
        elif ln.kind == "source":
            outlets.setdefault("source", str(ln.info))
        elif ln.kind == "text" and index >= start and _key(ln.text) != title_key:
            kept = _body_text(ln.text)
            if kept:
                body.append(kept)
    if any(is_prose(p) for p in body):
        # Short lines without sentence punctuation are headlines of related articles.
        body = [p for p in body if ends_sentence(p) or words(p) > _HEADLINE_WORDS]
    if body:
        credit = _TRAILING_CREDIT.search(body[-1][-30:])
        if credit:
            outlets.setdefault("credit", credit["wire"])
            body[-1] = body[-1][: len(body[-1]) - len(credit[0])]
        leading = _DATELINE_CREDIT.match(body[0][:60])
        if leading:
            outlets.setdefault("dateline", leading["wire"])
    draft.paragraphs = [p for p in body if p.strip()]
    draft.outlet = next((o for k in ("byline", "source", "credit", "dateline")
                         if (o := outlets.get(k))), None)  # fmt: skip
    draft.published = dates.choose(found)
    if draft.published is None:
        draft.published = dates.infer_date(
            [draft.title, *draft.paragraphs[:_LEAD]], draft.paragraphs[_LEAD:]
        )
        draft.date_inferred = draft.published is not None
    return draft
