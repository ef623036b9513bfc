"""How fast SIGTERM ends cjmtui while a big screen is being built, against a same-run anchor.

Run: ``python bench/signals.py [-n RUNS] [--scale S]``

For each run, in a real tmux pane:

- **anchor**: cjmtui on the bundled example, idle on the pains screen; SIGTERM; time until the
  process is gone (the floor: settle the queue, save, restore the terminal, exit);
- **figures**: cjmtui on the generated session (``bench/gen.py --scale S``: 20,000 pains at
  scale 10), as soon as its first screen shows: ``6`` (the map) or ``7`` (the summary) and
  SIGTERM at once, while that screen is still being built; time until the process is gone.
  Once with nothing unsaved (the issue's case), once after capturing a note (the exit then
  makes the session's first save, which serialises every item it has not yet remembered).

The promise (issue 21, item 19) is one second at any size: the figure's median, and its excess
over the anchor, are printed. The exit status says which path ended it: 128+15 is the app's own
signal path, 0 or 1 the 4-second watchdog (which should never be needed). A report: exits 0
whatever the figures (1 if tmux is missing).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # support.tmux: the one tmux driver

from support.tmux import Pane, Tmux, TmuxError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "sessions" / "online-ordering.toml"
PAINS_TITLE = "What is the customer experiencing"


def cjmtui() -> list[str]:
    exe = Path(sys.executable).with_name("cjmtui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "cjmtui"]


def wait_gone(pane: Pane, since: float, timeout: float = 30.0) -> float:
    while pane.alive():
        if time.perf_counter() - since > timeout:
            raise TmuxError("cjmtui still running after SIGTERM")
        time.sleep(0.002)
    return time.perf_counter() - since


def cjmtui_pid(pane: Pane) -> int:
    """The cjmtui process itself (the pane runs it through ``env``, which execs)."""
    return pane.shell_pid


def one(tmux: Tmux, path: Path, screen: str | None, note: bool) -> float:
    pane = tmux.start([*cjmtui(), str(path)])
    pane.wait([PAINS_TITLE], timeout=120)
    if screen is None:
        pane.settle()
    if note:
        pane.keys("a")
        pane.wait(["type, Enter; Esc closes"], since=time.perf_counter())
        pane.type("Last words")
        pane.keys("Enter")
        time.sleep(0.2)
        pane.keys("Escape")
        time.sleep(0.1)
    if screen is not None:
        pane.keys(screen)
    t0 = time.perf_counter()
    os.kill(cjmtui_pid(pane), signal.SIGTERM)
    took = wait_gone(pane, t0)
    pane.close()
    return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        big = scratch / "big.toml"
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gen.py"), "--scale", str(args.scale), "-o", str(big)], check=True
        )
        try:
            tmux = Tmux(scratch, control=True)
        except TmuxError as exc:
            print(exc, file=sys.stderr)
            return 1
        with tmux:
            cases = [
                ("anchor: example, idle", None, EXAMPLE, False),
                ("map (6) while it builds", "6", big, False),
                ("summary (7) while it builds", "7", big, False),
                ("map (6), after a note", "6", big, True),
                ("summary (7), after a note", "7", big, True),
            ]
            rows: dict[str, list[float]] = {label: [] for label, *_ in cases}
            for i in range(args.n):
                for k, (label, screen, source, note) in enumerate(cases):
                    path = scratch / f"run{i}-{k}.toml"
                    path.write_bytes(source.read_bytes())
                    rows[label].append(one(tmux, path, screen, note))
        anchor = statistics.median(rows["anchor: example, idle"])
        print(f"SIGTERM to exit, median of {args.n} (scale {args.scale}):")
        for label, values in rows.items():
            median = statistics.median(values)
            print(
                f"  {label:30} {median * 1000:7.0f} ms  (max {max(values) * 1000:5.0f} ms)"
                f"  {median / anchor:4.2f}x anchor  {'✔' if median <= 1.0 else '✘'} <= 1 s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
