"""A 20,000-pain session in a real terminal (issue 13): SIGTERM while the map or the summary is
being built still saves the room's last note and ends cjmtui through its normal signal path.
How fast it ends is measured in ``bench/signals.py`` against a same-run anchor, never timed
here: a busy machine must not fail this test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from support.files import leftovers, texts
from support.needs import need, needs
from support.tmux import CAPTURE_HINT, ROOT, TITLES, Pane, cjmtui_command

pytestmark = [pytest.mark.e2e, needs("tmux")]


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``bench/gen.py --scale 10``: 200 stages, 20,000 pains, 5,000 processes, 10,000 solutions."""
    need("tmux")
    path = tmp_path_factory.mktemp("big") / "big.toml"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen.py"), "--scale", "10", "-o", str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


@pytest.mark.parametrize("screen", ["6", "7"], ids=["map", "summary"])
def test_sigterm_while_a_big_screen_builds_saves_and_exits(pane: Pane, big_file: Path, screen: str) -> None:
    path = big_file.parent / f"big-{screen}.toml"
    path.write_bytes(big_file.read_bytes())
    pane.start([*cjmtui_command(), str(path)])
    pane.wait_for(TITLES["3"], timeout=60)
    pane.open_capture()
    note = f"Last words before screen {screen}"
    pane.type(note)
    pane.wait_for(note)
    pane.keys("Enter")
    pane.wait_for(CAPTURE_HINT)
    pane.keys("Escape", screen)  # and at once, while that screen is still being built:
    pid = pane.pid()
    os.kill(pid, signal.SIGTERM)
    status = pane.wait_exit(timeout=60.0)  # a hang guard only, not a speed figure
    assert status == 128 + signal.SIGTERM  # the normal signal path (the watchdog exits 0 or 1)
    assert note in texts(path)
    assert leftovers(path) == []
