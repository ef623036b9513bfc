"""Five people run one workshop in five real terminals (issue 12): the facilitator with
``cjmtui FILE`` and four participants with ``cjmtui join FILE --as NAME``, five app processes on
one file, each typing notes in bursts at once.

1. Silent writing (25 s): each pane shows its own notes and none of the others'; the
   facilitator reveals them and every pane then shows every note.
2. Open writing (30 s) at the next stage: every note shows in another person's pane; the time
   from a writer's Enter to the note on the other screen is measured.
3. Private voting: each participant votes with their own dots, the facilitator for the room;
   the reveal.
At the end every note and every dot of all five is on disk exactly once, with its writer's name.

The figures (95th percentile of Enter-to-other-screen, the idle CPU of a watching instance with
the room's timer running) are printed, and written as JSON to ``$CJMTUI_LIVE_FIGURES`` when set
(``bench/live.py``); they are never asserted: these machines are shared and noisy.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from pathlib import Path

import pytest

from cjmtui.core.model import Session
from cjmtui.core.store import load_session, save_session
from support.needs import need, needs
from support.soak import soak
from support.tmux import CAPTURE_HINT, TITLES, Pane, cjmtui_command

pytestmark = [pytest.mark.e2e, needs("tmux")]

PEOPLE = ("facilitator", "Ana", "Bo", "Cy", "Di")
SILENT_SECONDS = soak(8.0, 25.0)  # tests/support/soak.py
OPEN_SECONDS = soak(10.0, 30.0)
HEIGHT = 48


def workshop() -> Session:
    return Session.model_validate(
        {
            "session": {"title": "Live workshop", "facilitator": "Fay"},
            "departments": [{"id": "web", "name": "Web team"}, {"id": "ops", "name": "Operations"}],
            "stages": [
                {"id": "order", "name": "Order online", "owners": ["web"]},
                {"id": "delivery", "name": "Delivery", "owners": ["ops"]},
            ],
            "processes": [
                {"id": "checkout", "stage": "order", "name": "Checkout", "owner": "web", "feeds": ["dispatch"]},
                {"id": "dispatch", "stage": "delivery", "name": "Dispatch", "owner": "ops"},
            ],
            "solutions": [
                {"id": "slots", "text": "Show delivery slots at checkout", "targets": ["checkout"], "effort": 2},
                {"id": "sms", "text": "Text the delivery window", "targets": ["dispatch"], "effort": 1},
                {"id": "rewrite", "text": "Rewrite the checkout", "targets": ["checkout"], "effort": 5},
            ],
        }
    )


def bursts(rng: random.Random, start: float, end: float) -> list[float]:
    """Moments a person presses Enter: bursts of 1–3 notes a second or so apart, then a pause."""
    times, t = [], start + rng.uniform(0.2, 3.0)
    while t < end:
        for _ in range(rng.randint(1, 3)):
            if t < end:
                times.append(t)
            t += rng.uniform(0.8, 1.6)
        t += rng.uniform(4.0, 9.0)
    return times


def note_text(person: str, n: int) -> str:
    return f"{person[:3]}-{n:02d} my order went astray"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.fixture
def panes(tmp_path: Path):
    need("tmux")
    made = {}
    try:
        for person in PEOPLE:
            folder = tmp_path / person
            folder.mkdir()
            made[person] = Pane(folder, height=HEIGHT)
        yield made
    finally:
        for p in made.values():
            p.close()


def run_notes(panes: dict[str, Pane], plan: list[tuple[float, str]], counters: dict[str, int], watch: bool):
    """Type each planned note at its moment (``plan``: (monotonic time, person)); with ``watch``,
    also time each note until it shows in the next person's pane. Returns (notes by person,
    latencies in seconds)."""
    written: dict[str, list[str]] = {p: [] for p in PEOPLE}
    pending: dict[str, tuple[str, float]] = {}  # note -> (watching person, Enter time)
    latencies: list[float] = []
    plan = sorted(plan)
    deadline = plan[-1][0] + 15.0 if plan else time.monotonic()
    while plan or pending:
        now = time.monotonic()
        while plan and plan[0][0] <= now:
            _, person = plan.pop(0)
            counters[person] += 1
            text = note_text(person, counters[person])
            panes[person].type(text)
            panes[person].keys("Enter")
            written[person].append(text)
            if watch:
                watcher = PEOPLE[(PEOPLE.index(person) + 1) % len(PEOPLE)]
                pending[text] = (watcher, time.monotonic())
        for watcher in {w for w, _ in pending.values()}:
            screen = panes[watcher].screen()
            seen = time.monotonic()
            for text, (w, entered) in list(pending.items()):
                if w == watcher and text in screen:
                    latencies.append(seen - entered)
                    del pending[text]
        if time.monotonic() > deadline:
            pytest.fail(f"notes never showed on another screen: {sorted(pending)[:5]}")
        time.sleep(0.02)
    return written, latencies


def close_capture(pane: Pane, shown: str = CAPTURE_HINT) -> None:
    """Escape, and wait until ``shown`` (the quick-capture entry) has gone: a key sent right
    after Escape would reach the program as one Alt+key sequence."""
    pane.keys("Escape")
    deadline = time.monotonic() + 10
    while shown in pane.screen():
        if time.monotonic() > deadline:
            pytest.fail(f"{shown!r} did not go after Escape:\n{pane.screen()}")
        time.sleep(0.05)


def every_pane_shows(panes: dict[str, Pane], texts: list[str], timeout: float = 15.0) -> float:
    """Wait until every pane shows every one of ``texts``; returns how long that took."""
    start = time.monotonic()
    for p in panes.values():
        p.wait_for(*texts, timeout=timeout)
    return time.monotonic() - start


def test_five_people_run_one_workshop_with_silent_writing_and_private_voting(panes, tmp_path: Path) -> None:
    path = tmp_path / "live.toml"
    save_session(path, workshop())
    rng = random.Random(12)
    for person, pane in panes.items():
        join = [] if person == "facilitator" else ["join"]
        who = [] if person == "facilitator" else ["--as", person]
        pane.start([*cjmtui_command(), *join, str(path), *who])
    for pane in panes.values():
        pane.wait_for(TITLES["3"], "Order online")
    panes["facilitator"].keys("W")  # silent writing
    panes["facilitator"].wait_for("silent writing")
    for pane in panes.values():
        pane.wait_for("silent writing")  # every screen follows the facilitator's room
        pane.open_capture()

    # 1. Silent writing -----------------------------------------------------------------------
    counters = dict.fromkeys(PEOPLE, 0)
    start = time.monotonic()
    plan = [(t, p) for p in PEOPLE for t in bursts(rng, start, start + SILENT_SECONDS)]
    silent, _ = run_notes(panes, plan, counters, watch=False)
    time.sleep(2.0)  # every save has landed and been read by every screen
    for person, pane in panes.items():
        screen = pane.wait_for(*silent[person][-3:])
        others = [t for p, texts in silent.items() if p != person for t in texts]
        shown = [t for t in others if t in screen]
        assert not shown, f"{person} saw others' notes during silent writing: {shown[:3]}"
    facilitator = panes["facilitator"]
    close_capture(facilitator)
    facilitator.keys("R")
    everyone_silent = [t for texts in silent.values() for t in texts]
    reveal_seconds = every_pane_shows(panes, everyone_silent)

    # 2. Open writing at the next stage -------------------------------------------------------
    for pane in panes.values():
        close_capture(pane)
        pane.keys("]")
        pane.wait_for("Delivery")
        pane.open_capture()
    start = time.monotonic()
    plan = [(t, p) for p in PEOPLE for t in bursts(rng, start, start + OPEN_SECONDS)]
    open_notes, latencies = run_notes(panes, plan, counters, watch=True)
    every_pane_shows(panes, [t for texts in open_notes.values() for t in texts])

    # 3. Private voting, then the reveal -------------------------------------------------------
    for pane in panes.values():
        close_capture(pane)
    facilitator.keys("V")
    facilitator.wait_for("private voting")
    dots = {"Ana": (0, 2), "Bo": (1, 1), "Cy": (2, 3), "Di": (1, 2)}  # (solution row, dots)
    for person, (row, n) in dots.items():
        pane = panes[person]
        pane.keys("5")
        pane.wait_for(TITLES["5"], "private voting")
        pane.keys("v")
        pane.wait_for("3 dots left")
        pane.keys(*(["Down"] * row), *(["+"] * n))
        pane.wait_for(f"{3 - n} dots left")
    facilitator.keys("5")
    facilitator.wait_for(TITLES["5"])
    facilitator.keys("v")
    facilitator.wait_for("Who is voting?")
    facilitator.type("Room")
    facilitator.keys("Enter")
    facilitator.wait_for("voting: Room, 3 left")
    facilitator.keys("+")
    facilitator.wait_for("voting: Room, 2 left")
    close_capture(facilitator, "voting: Room")
    facilitator.keys("R")
    deadline = time.monotonic() + 10
    while any("private voting" in p.screen() for p in panes.values()) and time.monotonic() < deadline:
        time.sleep(0.1)

    # The idle CPU of a watching participant, with the room's timer running ---------------------
    facilitator.keys("t")
    panes["Ana"].wait_for("Persona 14:5")  # her clock runs down with the facilitator's
    time.sleep(2.0)
    pid = panes["Ana"].pid()
    before, started = cpu_seconds(pid), time.monotonic()
    time.sleep(10.0)
    idle_cpu = (cpu_seconds(pid) - before) / (time.monotonic() - started)

    for pane in panes.values():
        pane.keys("Escape", "F10")
    for person, pane in panes.items():
        assert pane.wait_exit() == 0, f"{person}'s cjmtui did not exit cleanly:\n{pane.screen()}"

    # Every note and every dot of all five, on disk exactly once --------------------------------
    saved = load_session(path).session
    on_disk = [(p.text, p.created_by) for p in saved.pains]
    for person in PEOPLE:
        for text in silent[person] + open_notes[person]:
            writer = None if person == "facilitator" else person
            times = on_disk.count((text, writer))
            assert times == 1, f"{text!r} by {person} is on disk {times}×"
    assert len(on_disk) == sum(counters.values())
    solutions = [s.id for s in saved.solutions]
    for person, (row, n) in dots.items():
        voter = next(p for p in saved.participants if p.name == person)
        assert voter.solution_votes == {solutions[row]: n} and voter.created_by == person
    room = next(p for p in saved.participants if p.name == "Room")
    assert room.solution_votes == {solutions[0]: 1}
    assert (saved.progress.silent, saved.progress.private_votes) == (False, False)

    figures = {
        "notes": len(on_disk),
        "latency_samples": len(latencies),
        "latency_p50_s": round(statistics.median(latencies), 3),
        "latency_p95_s": round(statistics.quantiles(latencies, n=20)[-1], 3),
        "latency_max_s": round(max(latencies), 3),
        "reveal_all_panes_s": round(reveal_seconds, 3),
        "idle_cpu_percent_of_a_core": round(100 * idle_cpu, 2),
    }
    print("live workshop figures:", json.dumps(figures))
    if os.environ.get("CJMTUI_LIVE_FIGURES"):
        Path(os.environ["CJMTUI_LIVE_FIGURES"]).write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    assert latencies and len(latencies) == sum(len(t) for t in open_notes.values())
