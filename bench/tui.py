"""TUI benchmarks in real tmux panes, each judged as a ratio to an anchor measured in the same run.

Run: ``python bench/tui.py [-n RUNS] [--keys K] [--size 120x40] [--scale S] [--profile]
[--screens | --screens-only]``

Measures (medians over ``-n`` runs, default 5; the runs of a figure and its anchor alternate,
so a busy machine slows both sides alike):

1. time to first screen, the bundled example (``cjmtui sessions/online-ordering.toml`` until
   the pains screen shows its stage bar and first pain) vs a bare Textual app (Header, Static,
   Footer: ``bench/bare_app.py``, until its text shows): target <= 1.3x;
2. the same with the generated session (``gen.generate(scale, seed)``: 2,000 pains at scale 1):
   target <= 2x;
3. key-to-screen latency while typing into quick capture (``a`` on the pains screen) with the
   large session open, vs typing into a bare Textual Input (``bench/bare_input.py``): every key
   of every run, median; target <= 1.5x;
4. peak memory (VmHWM once the first screen is up and the app has gone idle) with the large
   session vs the bare app: target <= 2x.

Only ratios are judged; absolute figures are printed for reading, with the CPU time each
program had used when its first screen showed (a figure a busy, shared machine moves much less
than the wall clock). ``--profile`` adds where the
start-up time goes: ``python -X importtime`` (per package) and cProfile of a real start-up on
the large session. This is a report: it exits 0 whatever the figures (1 if tmux is missing).
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))  # support.tmux: the one tmux driver, shared with the tests

import gen  # noqa: E402
from cjmtui.core.model import Session  # noqa: E402
from cjmtui.core.safety import printable  # noqa: E402
from cjmtui.core.store import dumps_session, load_session  # noqa: E402
from cjmtui.ui.widgets.capture import PLACEHOLDER as CAPTURE_HINT  # noqa: E402
from support.tmux import Tmux, TmuxError, key_latencies, time_to_first_screen  # noqa: E402

EXAMPLE = ROOT / "sessions" / "online-ordering.toml"
BARE_APP = HERE / "bare_app.py"
BARE_INPUT = HERE / "bare_input.py"
BARE_APP_MARKER = "bare textual app ready"
BARE_INPUT_MARKER = "bare input ready"

TARGETS = {"ttfs_example": 1.3, "ttfs_large": 2.0, "keylat": 1.5, "memory": 2.0}


def cjmtui_command() -> list[str]:
    script = Path(sys.executable).parent / "cjmtui"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "cjmtui"]


def first_screen_markers(session: Session) -> list[str]:
    """What the pains screen shows once it is really up: its title, the stage bar, the first pain."""
    markers = [re.escape("3 Pain points"), re.escape(f"Stage 1/{len(session.stages)}: ")]
    first = next((p for p in session.pains if p.stage == session.stages[0].id), None)
    if first is not None:
        prefix = printable(first.text)[:16]
        if prefix.isascii():
            markers.append(re.escape(prefix))
    return markers


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p90(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Profile


def _importtime(code: str, runs: int = 3) -> tuple[dict[str, int], dict[str, int]]:
    """``python -X importtime -c code``: (self µs per top-level package, cumulative µs per
    module for cjmtui modules and first-level imports), from the run with the median total."""
    results = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
        per_package: dict[str, int] = defaultdict(int)
        cumulative: dict[str, int] = {}
        for line in done.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if not m:
                continue
            self_us, cum_us, indent, name = int(m[1]), int(m[2]), len(m[3]), m[4]
            per_package[name.split(".")[0]] += self_us
            if name.startswith("cjmtui") or indent <= 1:
                cumulative[name] = max(cumulative.get(name, 0), cum_us)
        results.append((per_package, cumulative))
    results.sort(key=lambda r: sum(r[0].values()))
    return results[len(results) // 2]


def profile_imports() -> None:
    """What ``cjmtui FILE`` imports before its first screen, against what the bare app imports."""
    ours, cumulative = _importtime("import cjmtui.cli, cjmtui.core.model, cjmtui.ui.app")
    bare, _ = _importtime("import textual.app, textual.widgets; from textual.widgets import Footer, Header, Static")
    total, bare_total = sum(ours.values()), sum(bare.values())
    print(
        f"\nImport time (python -X importtime, median of 3): cjmtui {total / 1000:.0f} ms, "
        f"bare app {bare_total / 1000:.0f} ms, difference {(total - bare_total) / 1000:.0f} ms"
    )
    print(f"    {'package (self time summed)':<30} {'cjmtui':>9} {'bare':>9} {'extra':>9}")
    for name, us in sorted(ours.items(), key=lambda kv: -(kv[1] - bare.get(kv[0], 0)))[:12]:
        extra = us - bare.get(name, 0)
        print(f"    {name:<30} {us / 1000:6.1f} ms {bare.get(name, 0) / 1000:6.1f} ms {extra / 1000:6.1f} ms")
    print("  cumulative import time, cjmtui modules and first-level imports:")
    for name, us in sorted(cumulative.items(), key=lambda kv: -kv[1])[:14]:
        print(f"    {name:<40} {us / 1000:7.1f} ms")


HOT_SPOTS = (  # Textual internals seen to dominate cjmtui's start-up and screen switches
    ("textual/widgets/_footer.py", "compose"),
    ("textual/widgets/_footer.py", "_watch_compact"),
    ("textual/widgets/_footer.py", "__init__"),
    ("textual/css/stylesheet.py", "apply"),
    ("textual/css/stylesheet.py", "update_nodes"),
    ("textual/app.py", "refresh_css"),
    ("textual/app.py", "_init_mode"),
    ("textual/app.py", "switch_mode"),
    ("textual/widget.py", "recompose"),
    ("textual/screen.py", "_refresh_layout"),
    ("textual/widgets/_data_table.py", "add_row"),
)


def profile_startup(tmux: Tmux, label: str, session_file: Path, markers: list[str], scratch: Path) -> None:
    """cProfile of a real start-up in a pane; F10 as soon as the first screen shows."""
    out = scratch / f"startup-{label}.prof"
    argv = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "cjmtui", str(session_file)]
    pane = tmux.start(argv)
    try:
        try:
            seconds = pane.wait(markers, timeout=120)
        except TmuxError as exc:
            print(f"\ncProfile ({label}): no first screen: {exc}")
            return
        pane.keys("F10")
        deadline = time.perf_counter() + 60
        while pane.alive() and time.perf_counter() < deadline:
            time.sleep(0.05)
    finally:
        pane.close()
    if not out.exists():
        print(f"\ncProfile ({label}): no profile written")
        return
    stats = pstats.Stats(str(out))
    entries = stats.stats.items()  # type: ignore[attr-defined]
    total = max(ct for _k, (_cc, _nc, _tt, ct, _c) in entries)
    print(
        f"\ncProfile of start-up, {label} (first screen after {seconds * 1000:.0f} ms under the profiler, "
        f"{total * 1000:.0f} ms profiled in all, F10 at once; figures are inflated by the profiler):"
    )
    print(f"    {'cjmtui function':<52} {'cumulative':>10} {'own':>8} {'calls':>6}")
    rows = sorted(
        (
            (ct, nc, tt, f"{Path(f).parent.name}/{Path(f).name}:{fn}")
            for (f, _l, fn), (_cc, nc, tt, ct, _c) in entries
            if "/cjmtui/" in f and fn not in ("<module>", "main")
        ),
        reverse=True,
    )
    for ct, nc, tt, name in rows[:16]:
        print(f"    {name:<52} {ct * 1000:8.0f} ms {tt * 1000:5.0f} ms {nc:6d}")
    print(f"    {'Textual hot spot':<52} {'cumulative':>10} {'own':>8} {'calls':>6}")
    for (f, _l, fn), (_cc, nc, tt, ct, _c) in sorted(entries, key=lambda kv: -kv[1][3]):
        if any(f.endswith(path) and fn == func for path, func in HOT_SPOTS):
            name = f"{f.split('site-packages/')[-1]}:{fn}"
            print(f"    {name:<52} {ct * 1000:8.0f} ms {tt * 1000:5.0f} ms {nc:6d}")


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=5, help="runs per figure (default 5)")
    ap.add_argument("--keys", type=int, default=30, help="letters typed per latency run (default 30)")
    ap.add_argument("--size", default="120x40", help="pane size (default 120x40)")
    ap.add_argument("--scale", type=float, default=1.0, help="size of the generated session (default 1)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", action="store_true", help="also profile the start-up (importtime, cProfile)")
    ap.add_argument(
        "--screens",
        action="store_true",
        help="also time the first visit of the map, summary and solutions screens and the longest "
        "key stall while an autosave runs (large session)",
    )
    ap.add_argument(
        "--screens-only",
        action="store_true",
        help="only the --screens figures (skip the first screen, key latency and memory)",
    )
    args = ap.parse_args(argv)
    args.screens = args.screens or args.screens_only
    size = tuple(int(x) for x in args.size.lower().split("x"))
    assert len(size) == 2

    scratch = Path(tempfile.mkdtemp(prefix="cjmtui-bench-"))
    try:
        example = scratch / "online-ordering.toml"
        shutil.copyfile(EXAMPLE, example)
        big = scratch / "large.toml"
        t = time.perf_counter()
        big_session = gen.generate(args.scale, args.seed)
        big.write_text(dumps_session(big_session), encoding="utf-8")
        say(
            f"large session: {gen.describe(big_session)}; {big.stat().st_size:,} bytes "
            f"(made in {time.perf_counter() - t:.1f} s)"
        )
        ex_markers = first_screen_markers(load_session(example).session)
        big_markers = first_screen_markers(big_session)

        try:
            tmux = Tmux(scratch, control=True)
        except (TmuxError, subprocess.CalledProcessError) as exc:
            say(f"cannot run: {exc}")
            return 1
        with tmux:
            try:
                report(args, tmux, size, example, big, ex_markers, big_markers, scratch)
            except TmuxError as exc:
                say(f"a measurement failed: {exc}")
                return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def report(
    args: argparse.Namespace,
    tmux: Tmux,
    size: tuple[int, ...],
    example: Path,
    big: Path,
    ex_markers: list[str],
    big_markers: list[str],
    scratch: Path,
) -> None:
    """Measure, print the table (and the profile with --profile)."""
    cmd = cjmtui_command()
    opts = {"size": size}
    bare = ([sys.executable, str(BARE_APP)], [re.escape(BARE_APP_MARKER)])
    ours_ex = ([*cmd, str(example)], ex_markers)
    ours_big = ([*cmd, str(big)], big_markers)
    big_bytes = big.read_bytes()
    if args.screens_only:
        screens_report(args, tmux, size, big, big_bytes, big_markers)
        return
    say("warm-up (page cache, bytecode)…")
    for prog, markers in (bare, ours_ex, ours_big):
        time_to_first_screen(tmux, prog, markers, **opts)

    ttfs: dict[str, list] = {"bare": [], "example": [], "large": []}
    for i in range(args.n):
        for key, (prog, markers) in (("bare", bare), ("example", ours_ex), ("large", ours_big)):
            ttfs[key].append(time_to_first_screen(tmux, prog, markers, **opts))
        say(f"first screen, round {i + 1}/{args.n}: " + ", ".join(f"{k} {v[-1].ms:.0f} ms" for k, v in ttfs.items()))

    lat: dict[str, list[float]] = {"bare": [], "large": []}
    for i in range(args.n):
        lat["bare"] += key_latencies(
            tmux,
            [sys.executable, str(BARE_INPUT)],
            [re.escape(BARE_INPUT_MARKER), "type here"],
            n=args.keys,
            seed=i,
            **opts,
        )
        # Every run starts as the first did: the same file, and no remembered place to reopen at.
        big.write_bytes(big_bytes)
        shutil.rmtree(tmux.home / "state", ignore_errors=True)
        lat["large"] += key_latencies(
            tmux, ours_big[0], big_markers, [("a", [re.escape(CAPTURE_HINT)])], n=args.keys, seed=i, **opts
        )
        say(
            f"key latency, round {i + 1}/{args.n}: bare {median(lat['bare'][-args.keys :]):.1f} ms, "
            f"large {median(lat['large'][-args.keys :]):.1f} ms (medians)"
        )

    rows = [
        (
            "first screen, example (ms)",
            median([r.ms for r in ttfs["example"]]),
            median([r.ms for r in ttfs["bare"]]),
            TARGETS["ttfs_example"],
        ),
        (
            "first screen, 2,000 pains (ms)" if args.scale == 1 else f"first screen, scale {args.scale:g} (ms)",
            median([r.ms for r in ttfs["large"]]),
            median([r.ms for r in ttfs["bare"]]),
            TARGETS["ttfs_large"],
        ),
        ("key to screen, capture (ms)", median(lat["large"]), median(lat["bare"]), TARGETS["keylat"]),
        (
            "peak RSS, large session (MiB)",
            median([r.memory.hwm_mib for r in ttfs["large"]]),
            median([r.memory.hwm_mib for r in ttfs["bare"]]),
            TARGETS["memory"],
        ),
    ]
    print(
        f"\ncjmtui TUI benchmark — {args.n} runs each, pane {size[0]}x{size[1]}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    header = f"{'metric':<32} {'ours':>9} {'anchor':>9} {'ratio':>7} {'target':>7}  result"
    print(header)
    print("-" * len(header))
    for name, ours, anchor, target in rows:
        ratio = ours / anchor if anchor else float("inf")
        verdict = "PASS" if ratio <= target else "MISS"
        print(f"{name:<32} {ours:9.1f} {anchor:9.1f} {ratio:6.2f}x {target:6.1f}x  {verdict}")
    print("\nfor reading (not judged):")
    print(
        f"  first screen ms, min/max: bare {min(r.ms for r in ttfs['bare']):.0f}/"
        f"{max(r.ms for r in ttfs['bare']):.0f}, example {min(r.ms for r in ttfs['example']):.0f}/"
        f"{max(r.ms for r in ttfs['example']):.0f}, large {min(r.ms for r in ttfs['large']):.0f}/"
        f"{max(r.ms for r in ttfs['large']):.0f}"
    )
    cpu = {k: median([r.cpu_ms for r in v]) for k, v in ttfs.items()}
    print(
        f"  CPU ms used by the first screen (load-robust): bare {cpu['bare']:.0f}, "
        f"example {cpu['example']:.0f} ({cpu['example'] / cpu['bare']:.2f}x), "
        f"large {cpu['large']:.0f} ({cpu['large'] / cpu['bare']:.2f}x)"
    )
    print(
        f"  key to screen ms, p90/max: bare {p90(lat['bare']):.1f}/{max(lat['bare']):.1f}, "
        f"large {p90(lat['large']):.1f}/{max(lat['large']):.1f} ({len(lat['large'])} keys each)"
    )
    print(
        f"  peak RSS MiB: bare {median([r.memory.hwm_mib for r in ttfs['bare']]):.1f}, "
        f"example {median([r.memory.hwm_mib for r in ttfs['example']]):.1f}, "
        f"large {median([r.memory.hwm_mib for r in ttfs['large']]):.1f}"
    )

    if args.screens:
        screens_report(args, tmux, size, big, big_bytes, big_markers)

    if args.profile:
        profile_imports()
        profile_startup(tmux, "bundled example", example, ex_markers, scratch)
        profile_startup(tmux, "large session", big, big_markers, scratch)


# ---------------------------------------------------------------------------------------------
# Screens and the autosave stall (--screens)


def screen_markers(session: Session) -> dict[str, list[str]]:
    """What each screen shows once its content is really there (not only its title)."""
    from cjmtui.core.scoring import rank

    top = rank(session).solutions[0].text if session.solutions else ""
    first_solution = session.solutions[0].text if session.solutions else ""
    return {
        "6": [re.escape("6 Map"), r"Stages 1–\d+ of"],
        "7": [re.escape("7 Summary"), re.escape(printable(top)[:16])],
        "5": [re.escape("5 Solutions"), re.escape(printable(first_solution)[:16])],
    }


def screen_visit_ms(
    tmux: Tmux, argv: list[str], ready: list[str], key: str, markers: list[str], **start: object
) -> float:
    pane = tmux.start(argv, **start)  # type: ignore[arg-type]
    try:
        pane.wait(ready)
        pane.settle()
        t = time.perf_counter()
        pane.keys(key)
        pane.wait(markers, timeout=120, since=t)
        return (time.perf_counter() - t) * 1000
    finally:
        pane.close()


def autosave_stall_ms(
    tmux: Tmux, argv: list[str], ready: list[str], seconds: float = 3.0, **start: object
) -> tuple[float, float]:
    """Quick capture open: a note and Enter; once the note is listed (its autosave follows
    0.3 s later), letters typed one at a time for ``seconds``. Returns the longest any key took
    to show among the keys typed in the first 0.25 s (the screen still drawing the new row) and
    among the later ones (the autosave runs among them)."""
    from support.tmux import letters

    pane = tmux.start(argv, **start)  # type: ignore[arg-type]
    try:
        pane.wait(ready)
        pane.keys("a")
        pane.wait([re.escape(CAPTURE_HINT)])
        pane.settle()
        pane.type("bench note")
        t = time.perf_counter()
        pane.keys("Enter")
        # The note is listed and the entry empty again; its autosave starts 0.3 s after it.
        pane.wait([re.escape(CAPTURE_HINT), "bench note"], since=t)
        listed = time.perf_counter()
        word = letters(60, 7)
        first, later, typed, end = 0.0, 0.0, "", time.perf_counter() + seconds
        while time.perf_counter() < end and len(typed) < len(word):
            typed += word[len(typed)]
            t = time.perf_counter()
            pane.type(typed[-1])
            pane.wait([r"(?<![a-z])" + re.escape(typed) + r"(?![a-z])"], timeout=30, since=t)
            took = (time.perf_counter() - t) * 1000
            if t - listed < 0.25:
                first = max(first, took)
            else:
                later = max(later, took)
        return first, later
    finally:
        pane.close()


def screens_report(
    args: argparse.Namespace, tmux: Tmux, size: tuple[int, ...], big: Path, big_bytes: bytes, ready: list[str]
) -> None:
    cmd = [*cjmtui_command(), str(big)]
    opts = {"size": size}
    markers = screen_markers(load_session(big).session)
    names = {"6": "map", "7": "summary", "5": "solutions"}
    print(f"\nfirst visit of a screen, {args.n} runs each (ms, median; anchor: a bare app's first screen)")
    bare = median(
        [
            time_to_first_screen(tmux, [sys.executable, str(BARE_APP)], [re.escape(BARE_APP_MARKER)], **opts).ms
            for _ in range(args.n)
        ]
    )
    for key, wanted in markers.items():
        runs = []
        for _ in range(args.n):
            big.write_bytes(big_bytes)
            shutil.rmtree(tmux.home / "state", ignore_errors=True)
            runs.append(screen_visit_ms(tmux, cmd, ready, key, wanted, **opts))
        ms = median(runs)
        print(f"  {names[key]:<10} {ms:8.0f} ms  ({ms / bare:.2f}x a bare first screen of {bare:.0f} ms)")
    firsts, stalls, bare_stalls = [], [], []
    for _ in range(args.n):
        big.write_bytes(big_bytes)
        shutil.rmtree(tmux.home / "state", ignore_errors=True)
        first, later = autosave_stall_ms(tmux, cmd, ready, **opts)
        firsts.append(first)
        stalls.append(later)
        bare_stalls.append(
            max(
                key_latencies(
                    tmux, [sys.executable, str(BARE_INPUT)], [re.escape(BARE_INPUT_MARKER), "type here"], n=30, **opts
                )
            )
        )
    print(
        f"  longest key stall while an autosave runs: {median(stalls):.0f} ms; in the first 0.25 s after "
        f"Enter, while the new row is drawn: {median(firsts):.0f} ms (bare input's longest key: "
        f"{median(bare_stalls):.0f} ms)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
