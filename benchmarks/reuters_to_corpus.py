"""Convert Reuters-21578 SGML into a corpus folder thaad-tui ingests (a benchmark input).

Usage::

    python benchmarks/reuters_to_corpus.py SGML_DIR OUT_DIR [--per-file N] [--limit N]

Keeps the stories that have both a TITLE and a BODY (19,043 of 21,578) and writes them as JSON
Lines files of ``--per-file`` articles each (default 100, so about 190 files). The build's unit
of work is one file, so many medium files let both cores analyse in parallel while keeping the
per-file overhead (stat, hash, catalogue row) small. OUT_DIR must be outside the repository:
nothing from the data set is ever committed.

The SGML is not well-formed XML (many top-level elements, stray control entities), so stories
are cut out with regular expressions, which is what the collection's README suggests.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
_NEWID = re.compile(r'NEWID="(\d+)"')
_DATE = re.compile(r"<DATE>\s*(\d{1,2})-([A-Z]{3})-(\d{4})")
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.DOTALL)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.DOTALL)
_DATELINE = re.compile(r"<DATELINE>(.*?)</DATELINE>", re.DOTALL)
_CONTROL_ENTITY = re.compile(r"&#(?:[0-9]|[12][0-9]|3[01]);")
_SIGN_OFF = re.compile(r"\s*\bREUTER\b\s*$", re.IGNORECASE)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}


def _text(sgml: str) -> str:
    """SGML character data to plain text: control entities dropped, the rest decoded."""
    return html.unescape(_CONTROL_ENTITY.sub("", sgml))


def _paragraphs(body: str) -> list[str]:
    """Reuters bodies wrap at ~70 columns and indent each new paragraph: rejoin them."""
    paragraphs: list[list[str]] = []
    for line in body.split("\n"):
        if not line.strip():
            continue
        if not paragraphs or line.startswith((" ", "\t")):
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return [" ".join(p) for p in paragraphs if p]


def stories(sgml: str) -> Iterator[dict[str, str]]:
    """The usable stories of one SGML file as JSON Lines records (title, body, date, ids)."""
    for match in _STORY.finditer(sgml):
        attrs, inner = match.groups()
        title, body = _TITLE.search(inner), _BODY.search(inner)
        if not title or not body:
            continue
        text = _SIGN_OFF.sub("", _text(body.group(1)).rstrip())
        paragraphs = _paragraphs(text)
        title_text = " ".join(_text(title.group(1)).split())
        if not paragraphs or not title_text:
            continue
        newid = _NEWID.search(attrs)
        record = {
            "id": f"reuters-{newid.group(1) if newid else match.start()}",
            "title": title_text,
            "outlet": "Reuters",
            "text": "\n\n".join(paragraphs),
        }
        found = _DATE.search(inner)
        if found and found.group(2) in _MONTHS:
            day, month, year = int(found.group(1)), _MONTHS[found.group(2)], int(found.group(3))
            record["published"] = date(year, month, day).isoformat()
        dateline = _DATELINE.search(inner)
        if dateline:
            record["dateline"] = " ".join(_text(dateline.group(1)).split()).rstrip(" -")
        yield record


def convert(sgml_dir: Path, out_dir: Path, per_file: int = 100, limit: int | None = None) -> int:
    """Write the stories under ``sgml_dir`` to ``out_dir``; returns how many were written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written, chunk, part = 0, [], 0

    def flush() -> None:
        nonlocal chunk, part
        if chunk:
            target = out_dir / f"reuters-{part:04d}.jsonl"
            target.write_text("".join(chunk), encoding="utf-8")
            chunk, part = [], part + 1

    for path in sorted(sgml_dir.glob("reut2-*.sgm")):
        # latin-1: the files are ASCII except one stray 0xFC byte in reut2-017.sgm.
        for record in stories(path.read_text(encoding="latin-1")):
            if limit is not None and written >= limit:
                break
            chunk.append(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
            if len(chunk) >= per_file:
                flush()
    flush()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sgml_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--per-file", type=int, default=100, help="articles per JSONL file")
    parser.add_argument("--limit", type=int, default=None, help="stop after N articles")
    args = parser.parse_args(argv)
    if args.out_dir.exists() and any(args.out_dir.iterdir()):
        print(f"{args.out_dir} is not empty; choose a new folder", file=sys.stderr)
        return 2
    n = convert(args.sgml_dir, args.out_dir, args.per_file, args.limit)
    print(f"wrote {n} articles to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
