"""The app builds corpora big enough for the build's process pool, on every start path.

Each run is a fresh Python process: the pool's helper processes (resource tracker, fork server)
are started once per process, and the failure this guards against happened when the app was the
first to start them (Textual's ``sys.stderr`` has no file number).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from index.build.builder import POOL_THRESHOLD
from tests.test_kill import generate_corpus

FIRST = POOL_THRESHOLD + 50
MORE = POOL_THRESHOLD + 10

APP_BUILDS = """
import asyncio
import sys
import time
from pathlib import Path

from index import paths
from tests.screen import main_screen, screen_text, settle
from tui.app import create_app
from tests.test_kill import generate_corpus

corpus, index_dir, notes, first, more = sys.argv[1:]


async def built(pilot, expected):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        await settle(pilot)
        screen = main_screen(pilot.app)
        text = screen_text(pilot.app)
        if "Indexing failed" in text:
            return "failed: " + " ".join(text.split())[-300:]
        if len(screen.infos) == expected and not screen.query_one("#status").has_class("-busy"):
            return "ok"
    return f"timed out with {len(main_screen(pilot.app).infos)} articles"


async def main():
    app = create_app(paths.resolve(Path(corpus), Path(index_dir), Path(notes)))
    async with app.run_test(size=(120, 40)) as pilot:
        print("first launch", await built(pilot, int(first)), flush=True)
        # More files, then the palette's Re-index: a second build in the same process.
        generate_corpus(Path(corpus) / "more", int(more), start=int(first))
        main_screen(app).update_index()
        print("re-index", await built(pilot, int(first) + int(more)), flush=True)


asyncio.run(main())
"""


def test_app_builds_a_pool_sized_corpus_on_first_launch_and_on_reindex(tmp_path: Path):
    corpus_dir = generate_corpus(tmp_path / "corpus", FIRST)
    argv = [str(corpus_dir), str(tmp_path / "ix"), str(tmp_path / "notes.md"), str(FIRST)]
    done = subprocess.run(
        [sys.executable, "-c", APP_BUILDS, *argv, str(MORE)],
        capture_output=True,
        text=True,
        timeout=400,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["first launch ok", "re-index ok"], done.stdout
