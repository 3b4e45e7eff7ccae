"""The benchmarks' event-loop stall detector (tui/stall.py): asked for by an environment
variable, it reports a loop blocked on purpose, and stays off otherwise."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from index import paths
from tests.screen import settle
from tui.app import create_app
from tui.stall import ENV


async def test_a_blocked_event_loop_is_reported(
    settings: paths.Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "stall.log"
    monkeypatch.setenv(ENV, str(log))
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        # the stall being measured: the UI thread held for 300 ms (not a wait)
        app.call_later(lambda: time.sleep(0.3))
        for _ in range(500):
            await pilot.pause(0.01)
            if any(float(g) >= 300 for g in re.findall(r"gap ([\d.]+)", log.read_text())):
                break
    gaps = [float(g) for g in re.findall(r"gap ([\d.]+)", log.read_text())]
    longest = max(float(m) for m in re.findall(r"max ([\d.]+)", log.read_text()))
    assert any(300 <= g < 2000 for g in gaps)
    assert longest >= 300


async def test_no_log_unless_asked(settings: paths.Settings, tmp_path: Path) -> None:
    app = create_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.stall_watch is None
