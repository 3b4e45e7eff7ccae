"""A large generated corpus for the growth benchmarks (5,000 / 19,043 / 100,000 articles).

Usage::

    python benchmarks/make_big_corpus.py REUTERS_CORPUS NEWS2016_POSTS OUT_DIR --count N

How it is made: the Reuters JSON Lines corpus (``reuters_to_corpus.py``, 19,043 stories) and
the news2016 Markdown export (4,374 posts with front matter) are read in that order and
repeated until ``N`` articles are written. Pass ``k`` (0, 1, 2, ...) keeps each story's title
and text but gives it a new URL (``https://bench.invalid/<source>/<k>/<n>``), so a new id: the
index keeps stories with their own URLs and one text as separate publications, as it does for
wire copies. Its date moves ``k`` years later (29 February becomes the 28th), so the timeline
and date ranges spread as a longer archive would. Pass 0 keeps the original dates; Reuters
stories without a date get none in every pass. Output: JSON Lines files of 100 articles
(``big-00000.jsonl`` ...), the layout the Reuters corpus uses. The texts stay in OUT_DIR
(a scratch folder), never in the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import yaml

PER_FILE = 100


def _reuters(folder: Path) -> Iterator[dict]:
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def _news2016(folder: Path) -> Iterator[dict]:
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("---"):
            continue
        head, _sep, body = text[3:].partition("\n---")
        try:
            meta = yaml.safe_load(head) or {}
        except yaml.YAMLError:
            continue
        title = str(meta.get("post_title") or "").strip()
        if not title or not body.strip():
            continue
        posted = meta.get("post_date")
        yield {
            "id": path.stem,
            "title": " ".join(title.split()),
            "outlet": "news2016",
            "author": meta.get("author"),
            "published": posted.date().isoformat() if hasattr(posted, "date") else None,
            "text": body.strip(),
        }


def _later(published: str | None, years: int) -> str | None:
    if not published or not years:
        return published
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return published
    if day.month == 2 and day.day == 29:
        day = day.replace(day=28)
    return day.replace(year=day.year + years).isoformat()


def generate(reuters: Path, news: Path, out: Path, count: int) -> int:
    """Write ``count`` articles to ``out`` (see the module's docstring); returns the count."""
    sources = [("reuters", list(_reuters(reuters))), ("news2016", list(_news2016(news)))]
    if not any(records for _name, records in sources):
        raise SystemExit("no articles found in the two sources")
    out.mkdir(parents=True, exist_ok=True)
    written, batch, files, k = 0, [], 0, 0
    while written < count:
        for name, records in sources:
            for n, record in enumerate(records):
                if written >= count:
                    break
                copy = dict(record)
                copy["id"] = f"{record['id']}-p{k}"
                copy["url"] = f"https://bench.invalid/{name}/{k}/{n}"
                copy["published"] = _later(record.get("published") or record.get("date"), k)
                copy.pop("date", None)
                batch.append(json.dumps(copy, ensure_ascii=False))
                written += 1
                if len(batch) == PER_FILE:
                    (out / f"big-{files:05d}.jsonl").write_text("\n".join(batch) + "\n")
                    batch, files = [], files + 1
        k += 1
    if batch:
        (out / f"big-{files:05d}.jsonl").write_text("\n".join(batch) + "\n")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("reuters", type=Path, help="output folder of reuters_to_corpus.py")
    parser.add_argument("news2016", type=Path, help="the news2016 _posts folder")
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        raise SystemExit(f"{args.out} is not empty")
    written = generate(args.reuters, args.news2016, args.out, args.count)
    print(f"{written} articles in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
