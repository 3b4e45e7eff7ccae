"""Articles keep who they are, checked on a real JSON Lines file (the korea_news set).

Usage::

    python benchmarks/check_identity.py FILE.jsonl [--runs N]

In a scratch folder: index FILE, count its articles and paragraphs, bookmark the first
paragraph of every article, rename the file, index again, and report how many ids stayed and
where every bookmark is found; then add FILE again (adds nothing, says so) and print what
``thaad-tui show`` prints for the first article's URL. Timings are medians over ``--runs``.
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import isolate_user_folders, summary

from index import paths
from index.library import open_library
from index.notes.notebook import NotesFile, new_bookmark


def run_once(source: Path, base: Path) -> dict:
    corpus = base / "corpus"
    corpus.mkdir()
    shutil.copy(source, corpus / source.name)
    settings = paths.resolve(corpus, base / "index", base / "notes.md")
    library = open_library(settings)
    started = time.perf_counter()
    first = library.update()
    build = time.perf_counter() - started
    ids = {info.id for info in library.articles()}
    paragraphs = sum(len(library.article(i).paragraphs) for i in ids)  # type: ignore[union-attr]
    notes = NotesFile(settings.notes_path)
    for article_id in sorted(ids):
        article = library.article(article_id)
        assert article is not None
        notes.add(new_bookmark(article, 1))
    (corpus / source.name).rename(corpus / f"renamed-{source.name}")
    started = time.perf_counter()
    renamed = library.update()
    rename = time.perf_counter() - started
    after = {info.id for info in library.articles()}
    found = collections.Counter(library.locate_bookmark(b)[0] for b in notes.load().bookmarks)
    again = library.add([source])
    notices = list(again.notices)
    return {
        "records": sum(1 for line in source.read_text("utf-8").splitlines() if line.strip()),
        "first": first,
        "ids": ids,
        "paragraphs": paragraphs,
        "renamed": renamed,
        "kept": len(ids & after),
        "found": found,
        "again": again,
        "notices": notices,
        "build": build,
        "rename": rename,
        "settings": settings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    isolate_user_folders()
    results = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="thaad-identity-") as scratch:
            result = run_once(args.file.resolve(), Path(scratch))
            if not results:
                settings = result["settings"]
                first_id = sorted(result["ids"])[0]
                shown = subprocess.run(
                    [sys.executable, "-m", "tui", "show", first_id, "--corpus",
                     str(settings.corpus_roots[0]), "--index-dir", str(settings.index_dir)],
                    capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip
                result["show_url"] = next(
                    (ln for ln in shown.splitlines() if ln.startswith("URL:")), "(no URL line)"
                )
            results.append(result)
    r = results[0]
    print(f"file: {args.file} ({r['records']} records)")
    print(f"first index:   {r['first'].summary()}")
    for duplicate in r["first"].duplicates:
        print(f"  skipped duplicate {duplicate}")
    print(f"articles indexed: {len(r['ids'])}, paragraphs: {r['paragraphs']}")
    print(f"after rename:  {r['renamed'].summary()}")
    print(f"ids kept after rename: {r['kept']} of {len(r['ids'])}")
    print(f"bookmarks ({sum(r['found'].values())}) after rename: {dict(r['found'])}")
    print(f"add the same file again: {r['again'].summary()}")
    for notice in r["notices"]:
        print(f"  {notice}")
    print(f"show {sorted(r['ids'])[0]}: {r['show_url']}")
    print(f"build time:   {summary([x['build'] for x in results], ' s', 2)}")
    print(f"rename update: {summary([x['rename'] for x in results], ' s', 2)}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
