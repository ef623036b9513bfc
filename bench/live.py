"""The live workshop's figures: five cjmtui processes on one file in five tmux panes.

Run: ``python bench/live.py [-n RUNS]``

Runs the end-to-end test ``tests/e2e/test_live_workshop.py`` (a facilitator and four
participants typing notes in bursts, silent writing and its reveal, private voting and its
reveal) ``-n`` times and prints, per run and as medians: the time from a writer's Enter to
the note on another person's screen (median, 95th percentile, worst; target p95 <= 1.5 s), the
time for a reveal to reach every screen, and the CPU a watching participant uses while the
room's timer runs (target <= 1% of a core). The anchor is the wall clock of the panes
themselves: tmux's capture-pane is polled every 20 ms, so figures are within about 30 ms.
This is a report: it exits 0 whatever the figures (1 if the scenario itself failed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1, help="runs (default 1; each takes about 90 s)")
    args = parser.parse_args()
    runs = []
    for i in range(args.n):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "figures.json"
            env = {**os.environ, "CJMTUI_LIVE_FIGURES": str(out)}
            test = "tests/e2e/test_live_workshop.py"
            command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test]
            done = subprocess.run(command, cwd=ROOT, env=env)
            if done.returncode != 0 or not out.exists():
                print(f"run {i + 1}: the scenario failed", file=sys.stderr)
                return 1
            figures = json.loads(out.read_text("utf-8"))
        runs.append(figures)
        print(f"run {i + 1}: {json.dumps(figures)}")
    keys = ("latency_p50_s", "latency_p95_s", "latency_max_s", "reveal_all_panes_s", "idle_cpu_percent_of_a_core")
    print("median over runs:", {k: round(statistics.median(r[k] for r in runs), 3) for k in keys})
    return 0


if __name__ == "__main__":
    sys.exit(main())
