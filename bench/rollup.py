"""Rollup benchmark: root causes across ten big workshops, as ratios against anchors.

Run: ``python bench/rollup.py [--sessions N] [--scale S] [--repeat R]``

Generates ``--sessions`` (default 10) sessions with ``gen.py`` (scale 1: 2,000 pains, 500
processes each; seeds 1…N, so every file has processes proc-001…proc-500 and each root cause
joins one process from every file by id: the most matching there can be) and writes them to a
temporary folder. Each round, after a ``gc.collect()``, measures back to back:

- ``rollup N``: ``rollup.rollup_files`` of the N files (load, match, rank);
- anchor ``alone N``: the same N files each loaded and ranked alone (``store.load_session`` +
  ``scoring.rank``), summed: what a facilitator pays to rank each workshop separately;
- ``rollup 1`` and ``alone 1``: the same for the first file only.

Prints the medians and the ratios rollup N / alone N (target about 1x: the rollup costs no
more than ranking each workshop) and rollup N / rollup 1 (target about N: linear in the total
size), next to alone N / alone 1: holding more in memory costs every program more per item
(the garbage collector's full passes, CPU caches), so that ratio is above N too; the last row
measures the rollup with the garbage collector off, the work alone. A report, not a test: it
always exits 0.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen
from cjmtui.core import rollup, scoring, store


def without_gc(fn: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def alone(files: list[str]) -> None:
    for file in files:
        scoring.rank(store.load_session(file).session)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for seed in range(1, args.sessions + 1):
            path = Path(tmp) / f"workshop-{seed:02d}.toml"
            path.write_text(store.dumps_session(gen.generate(args.scale, seed)), "utf-8")
            files.append(str(path))
        print(f"{args.sessions} sessions, each: {gen.describe(store.load_session(files[0]).session)}")
        result = rollup.rollup_files(files)
        shared = sum(c.workshops == args.sessions for c in result.root_causes)
        print(f"root causes: {len(result.root_causes)} ({shared} found in all {args.sessions} workshops)")

        fns: dict[str, Callable[[], object]] = {
            f"rollup {args.sessions}": lambda: rollup.rollup_files(files),
            f"alone {args.sessions}": lambda: alone(files),
            "rollup 1": lambda: rollup.rollup_files(files[:1]),
            "alone 1": lambda: alone(files[:1]),
            f"rollup {args.sessions} no gc": without_gc(lambda: rollup.rollup_files(files)),
            "rollup 1 no gc": without_gc(lambda: rollup.rollup_files(files[:1])),
        }
        times: dict[str, list[float]] = {name: [] for name in fns}
        for _ in range(args.repeat):
            for name, fn in fns.items():
                gc.collect()
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
        med = {name: statistics.median(ts) for name, ts in times.items()}

    n = args.sessions
    rows = [
        (
            f"rollup of {n} sessions",
            med[f"rollup {n}"],
            "each loaded and ranked alone, summed",
            med[f"alone {n}"],
            "≈ 1×",
        ),
        (f"rollup of {n} sessions", med[f"rollup {n}"], "rollup of 1 session", med["rollup 1"], f"≈ {n}×"),
        ("rollup of 1 session", med["rollup 1"], "loaded and ranked alone", med["alone 1"], "≈ 1×"),
        (f"alone, {n} sessions", med[f"alone {n}"], "alone, 1 session", med["alone 1"], f"(the anchor's own {n}:1)"),
        (
            f"rollup {n}, gc off",
            med[f"rollup {n} no gc"],
            "rollup 1, gc off",
            med["rollup 1 no gc"],
            f"≈ {n}× (the work)",
        ),
    ]
    print(f"\nmedians of {args.repeat} interleaved rounds")
    print(f"{'measure':<24} {'ms':>8}  {'anchor':<38} {'ms':>8}  {'ratio':>7}  target")
    for name, value, anchor_name, anchor, target in rows:
        print(
            f"{name:<24} {value * 1000:8.0f}  {anchor_name:<38} {anchor * 1000:8.0f}  {value / anchor:6.2f}×  {target}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
