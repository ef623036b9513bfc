"""Core benchmarks: load, save and rank a large session, as ratios against an anchor.

Run: ``python bench/core.py [--repeat N] [--big-scale S] [--dir DIR]``

Every figure is the median of several interleaved rounds (each round runs the measured call
and its anchor back to back, after a ``gc.collect()``), so a noisy, shared machine moves both
sides together. Only ratios are judged; absolute milliseconds are printed for reading, never
compared with a fixed number. This is a report, not a test: it always exits 0.

Measures (scale 1 = 20 stages, 2,000 pains, 500 processes, 1,000 solutions; see gen.py):

- load: ``store.parse_session(text)`` (parse + validate + reference check), and the same plus
  ``scoring.Graph`` (indexing), against the standard library's ``tomllib.loads(text)``; plus
  parse only with the parser cjmtui uses (``tomlio.loads``) against ``tomllib``.
- save: ``store.save_session`` (atomic, fsync, .bak) against ``tomli_w.dumps`` of
  ``store.session_document`` plus a plain ``open().write()``; and serialisation alone
  (``store.dumps_session`` against ``tomli_w.dumps(session_document(...))``).
- cli: ``cjmtui rank`` as json, md and a ``--top 10`` table, each a whole new process (start,
  load, rank, print to a pipe), against a whole ``python -c`` that ``tomllib.load``s the file.
- rank: ``scoring.rank`` against the load, and linearity: rank and load at ``--big-scale``
  (default 10) against scale 1. Each session is loaded and ranked with only itself alive (the
  garbage collector's cost depends on everything in memory). The generator's graph has fewer
  journey-end effects at scale 10, so the reach work itself grows about 10.8x, not 10x.

The scale-10 group is time-boxed (about 60-90 s); its ``n`` column says how many rounds ran.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen
from cjmtui.core import atomic, model, scoring, store, tomlio

try:
    import tomli_w
except ImportError:  # pragma: no cover - a test extra
    tomli_w = None


def measure(
    fns: dict[str, Callable[[], object]], repeat: int, *, min_rounds: int = 3, budget_s: float = 60.0
) -> tuple[dict[str, float], int]:
    """Median seconds of each function over interleaved rounds.

    Runs ``repeat`` rounds, or stops earlier (after at least ``min_rounds``) once the group has
    used ``budget_s`` seconds. Returns (medians, rounds run).
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    start = time.perf_counter()
    rounds = 0
    while rounds < repeat:
        for name, fn in fns.items():
            gc.collect()
            t0 = time.perf_counter()
            result = fn()
            times[name].append(time.perf_counter() - t0)
            del result
        rounds += 1
        if rounds >= min_rounds and time.perf_counter() - start > budget_s:
            break
    return {name: statistics.median(ts) for name, ts in times.items()}, rounds


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, name: str, value: float, anchor_name: str, anchor: float, target: float | None, n: int) -> None:
        ratio = value / anchor if anchor > 0 else float("inf")
        if target is None:
            verdict, tgt = "info", "-"
        else:
            verdict, tgt = ("PASS" if ratio <= target else "MISS"), f"≤{target:g}×"
        self.rows.append(
            (name, f"{value * 1000:.1f}", anchor_name, f"{anchor * 1000:.1f}", f"{ratio:.2f}×", tgt, verdict, str(n))
        )

    def print(self) -> None:
        head = ("measure", "median ms", "anchor", "anchor ms", "ratio", "target", "result", "n")
        rows = [head, *self.rows]
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        right = {1, 3, 4, 7}
        for j, r in enumerate(rows):
            cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=False))]
            print("  ".join(cells).rstrip())
            if j == 0:
                print("  ".join("-" * w for w in widths))


def parser_note() -> str:
    name = tomlio.PARSER
    if name == "tomli":
        import tomli._parser as p

        kind = "compiled" if not p.__file__.endswith(".py") else "pure Python"
        return f"tomli {getattr(sys.modules['tomli'], '__version__', '?')} ({kind})"
    return name


def measure_load(session: model.Session, text: str, table: Table, repeat: int) -> None:
    data = tomlio.loads(text)
    med, n = measure(
        {
            "tomllib": lambda: tomllib.loads(text),
            "tomlio": lambda: tomlio.loads(text),
            "parse_session": lambda: store.parse_session(text),
            "load+graph": lambda: scoring.Graph(store.parse_session(text)),
            "validate": lambda: model.Session.model_validate(data),
            "refs": lambda: model.reference_problems(session),
            "graph": lambda: scoring.Graph(session),
        },
        repeat,
    )
    anchor = med["tomllib"]
    table.add("load: parse_session", med["parse_session"], "tomllib.loads", anchor, 0.5, n)
    table.add("load + Graph index", med["load+graph"], "tomllib.loads", anchor, 0.5, n)
    table.add("  parse only: tomlio.loads", med["tomlio"], "tomllib.loads", anchor, 1.0, n)
    table.add("  Session.model_validate", med["validate"], "tomllib.loads", anchor, None, n)
    table.add("  reference_problems", med["refs"], "tomllib.loads", anchor, None, n)
    table.add("  scoring.Graph(session)", med["graph"], "tomllib.loads", anchor, None, n)


def measure_save(session: model.Session, table: Table, repeat: int, folder: str | None) -> None:
    if tomli_w is None:
        print("tomli_w is not installed (pip install -e '.[test]'): save measures skipped")
        return
    doc = store.session_document(session)
    with tempfile.TemporaryDirectory(prefix="cjmtui-bench-", dir=folder) as tmp:
        target = Path(tmp) / "bench.toml"
        plain = Path(tmp) / "plain.toml"
        fp = [store.save_session(target, session, None)]
        raw = target.read_bytes()

        def save() -> object:
            fp[0] = store.save_session(target, session, fp[0])
            return fp[0]

        def anchor_save() -> object:
            out = tomli_w.dumps(store.session_document(session))
            with open(plain, "w", encoding="utf-8") as fh:
                fh.write(out)
            return out

        med, n = measure(
            {
                "anchor": anchor_save,
                "save": save,
                "dumps_session": lambda: store.dumps_session(session),
                "tomli_w+doc": lambda: tomli_w.dumps(store.session_document(session)),
                "session_document": lambda: store.session_document(session),
                "tomli_w": lambda: tomli_w.dumps(doc),
                # Same bytes as save_session writes, so its fingerprint check still passes.
                "write_atomic": lambda: atomic.write_atomic(target, raw),
                "plain_write": lambda: plain.write_bytes(raw),
            },
            repeat,
        )
        print(f"save folder: {tmp} (fsync cost depends on its filesystem)")
    table.add("save: save_session", med["save"], "tomli_w + write", med["anchor"], 1.5, n)
    table.add("  serialise: dumps_session", med["dumps_session"], "tomli_w(session_doc)", med["tomli_w+doc"], 1.5, n)
    table.add("  session_document (dump)", med["session_document"], "tomli_w(session_doc)", med["tomli_w+doc"], None, n)
    table.add("  tomli_w.dumps(doc) alone", med["tomli_w"], "tomli_w(session_doc)", med["tomli_w+doc"], None, n)
    table.add("  write_atomic (fsync, .bak)", med["write_atomic"], "plain file write", med["plain_write"], None, n)


def reach_work(session: model.Session) -> int | None:
    """(solution or process, pain) pairs that ranking visits: the work rank does, untimed."""
    try:
        g = scoring.Graph(session)
        sets = {k: frozenset(p.id for p in v) for k, v in g.causes.items()}
        sources = [s.targets for s in session.solutions] + [[p.id] for p in session.processes]
        return sum(len(frozenset().union(*map(sets.__getitem__, g.distances(src)))) for src in sources)
    except Exception:  # the Graph API changed: the note is optional
        return None


BUDGET_S = 60.0  # seconds for the scale-10 group (rank at scale 10 dominates the run)


def measure_rank(text: str, big_text: str, big: float, table: Table, repeat: int) -> None:
    """Rank vs load at scale 1, and rank and load at scale ``big`` vs scale 1.

    Only the session being measured is alive while it is ranked: the garbage collector's full
    passes cost in proportion to every tracked object in the process, so ranking the small
    session while the big one sits in memory would be slower than in the app, and would
    flatter the linearity ratio. Each round therefore loads (timed) and ranks (timed) one
    session from its text, drops it, then does the same for the big one (a str is not tracked).
    """
    times: dict[str, list[float]] = {"load1": [], "rank1": [], "loadN": [], "rankN": []}

    def timed(name: str, fn: Callable[[], object]) -> object:
        gc.collect()
        t = time.perf_counter()
        result = fn()
        times[name].append(time.perf_counter() - t)
        return result

    # Up to ``repeat`` rounds; past BUDGET_S stop after 3 rounds, and stop sooner (even at 1
    # round, flagged in the n column) when another round would not end by 1.5 × BUDGET_S.
    start, n = time.perf_counter(), 0
    while n < repeat:
        for suffix, src in (("1", text), ("N", big_text)):
            s = timed("load" + suffix, lambda src=src: store.parse_session(src))
            timed("rank" + suffix, lambda s=s: scoring.rank(s))
            del s
        n += 1
        elapsed = time.perf_counter() - start
        if n >= 3 and elapsed > BUDGET_S:
            break
        if n < 3 and elapsed + elapsed / n > 1.5 * BUDGET_S:
            print(f"note: the scale-{big:g} group is slow ({elapsed / n:.0f} s a round): stopped after {n} round(s)")
            break
    med = {k: statistics.median(v) for k, v in times.items()}
    table.add("rank: scoring.rank", med["rank1"], "load (parse_session)", med["load1"], 0.5, n)
    table.add(f"rank at scale {big:g}", med["rankN"], "rank at scale 1", med["rank1"], 1.2 * big, n)
    table.add(f"load at scale {big:g}", med["loadN"], "load at scale 1", med["load1"], 1.2 * big, n)


# The command line, whole process (start, load, rank, print) against a whole ``python -c`` that
# parses the same file with ``tomllib``: (label, arguments after ``cjmtui``, target ratio).
CLI_COMMANDS = (
    ("cli: rank --format json", ["rank", "{file}", "--format", "json"], 4.0),
    ("cli: rank --format md", ["rank", "{file}", "--format", "md"], 2.0),
    ("cli: rank --top 10 (table)", ["rank", "{file}", "--top", "10"], 2.0),
)


def measure_cli(text: str, table: Table, repeat: int) -> None:
    """Each CLI command as a new process, interleaved with the ``tomllib`` anchor process."""
    with tempfile.TemporaryDirectory(prefix="cjmtui-bench-cli-") as tmp:
        path = Path(tmp) / "bench.toml"
        path.write_text(text, encoding="utf-8")
        anchor = [sys.executable, "-c", f"import tomllib; tomllib.load(open({str(path)!r}, 'rb'))"]
        commands = {
            label: [sys.executable, "-m", "cjmtui", *(a.format(file=path) for a in args)]
            for label, args, _ in CLI_COMMANDS
        }
        env = {**os.environ, "COLUMNS": "120"}

        def run(cmd: list[str]) -> Callable[[], object]:
            return lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True, env=env)

        fns = {"anchor": run(anchor)} | {label: run(cmd) for label, cmd in commands.items()}
        fns["anchor"]()  # warm the disk cache and the .pyc files
        for label in commands:
            fns[label]()
        med, n = measure(fns, repeat)
    for label, _, target in CLI_COMMANDS:
        table.add(label, med[label], "python -c tomllib.load", med["anchor"], target, n)


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # "≤" and "×" on an ASCII terminal
    try:
        return run(argv)
    except Exception:  # a report, not a test: say what broke, still exit 0
        traceback.print_exc()
        print("bench/core.py: stopped by the error above")
        return 0


def run(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="cjmtui core benchmarks (ratios, not absolute times)")
    ap.add_argument(
        "--repeat",
        type=int,
        default=7,
        help="rounds per measure, median taken (default 7; the scale-10 group is time-boxed to about 60-90 s)",
    )
    ap.add_argument("--big-scale", type=float, default=10.0, help="scale for the linearity check (default 10)")
    ap.add_argument("--dir", default=None, help="folder for the save measures (default: a temp folder)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    repeat = max(1, args.repeat)
    big = args.big_scale
    t_start = time.perf_counter()

    import pydantic

    session = gen.generate(1.0, args.seed)
    text = store.dumps_session(session)
    if store.parse_session(text) != session:
        print("warning: the session did not survive a save/load round trip")
    print(f"python {sys.version.split()[0]}, pydantic {pydantic.VERSION}, parser {parser_note()}")
    print(f"scale 1: {gen.describe(session)}; {len(text.encode('utf-8')):,} bytes of TOML")
    print(f"medians of up to {repeat} interleaved rounds (n = rounds run); targets are ratios\n")

    table = Table()
    measure_load(session, text, table, repeat)
    measure_save(session, table, repeat, args.dir)
    measure_cli(text, table, repeat)

    t0 = time.perf_counter()
    big_session = gen.generate(big, args.seed)
    big_desc = gen.describe(big_session)
    big_text = store.dumps_session(big_session)
    print(
        f"scale {big:g}: {big_desc}; {len(big_text.encode('utf-8')):,} bytes "
        f"(generated and written in {time.perf_counter() - t0:.1f} s)"
    )
    w1, wn = reach_work(session), reach_work(big_session)
    if w1 and wn:
        print(f"reach work (pairs ranking visits): {w1:,} at scale 1, {wn:,} at scale {big:g} = {wn / w1:.2f}x")
    del big_session, session
    measure_rank(text, big_text, big, table, repeat)

    print()
    table.print()
    print("\nparse only < 1× means the compiled tomli dependency pays for itself.")
    print(f"total {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
