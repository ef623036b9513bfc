"""Shared helpers for the core tests: a worked example session and Hypothesis strategies.

The strategies build *valid* sessions: every id referenced exists, no process feeds itself
(cycles through several processes are allowed and generated), every bound is respected, and
the tables for running the room are filled too: participants whose dots stay within the
session's vote budget, parked points (with or without a stage) and a custom agenda (any
subset of the steps, in any order, each at most once). Text
is arbitrary Unicode minus lone surrogates, with the characters most likely to break a TOML
writer mixed in on purpose (control characters, quotes, backslashes, newlines, emoji, RTL).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cjmtui.core import model as m
from cjmtui.core import values

# One profile for every property test of the core: moderate, so the whole core suite stays
# well under a minute. ``CJMTUI_CORE_EXAMPLES=2000 pytest ...`` for a deep run.
settings.register_profile(
    "cjmtui-core",
    max_examples=int(os.environ.get("CJMTUI_CORE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
CORE = settings(settings.get_profile("cjmtui-core"))

# Characters that break naive writers, mixed into every generated text.
NASTY = [
    "\x00",
    "\x01",
    "\x08",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1b[2J",
    "\x1f",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\U0010ffff",
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "\\u0041",
    '\\"',
    "#",
    "=",
    "[[pains]]",
    "{",
    "}",
    "😀",
    "👩‍👩‍👧",
    "🇫🇷",
    "\u202e",
    "\u200f",
    "שלום",
    "مرحبا",
    "e\u0301",
    "ß",
    "İ",
    "∞",
]

# Runs of arbitrary characters (st.text excludes lone surrogates) and nasty pieces, joined.
_piece = st.one_of(st.text(max_size=6), st.sampled_from(NASTY))


def raw_text(max_pieces: int = 4) -> st.SearchStrategy[str]:
    """Any text without lone surrogates (what a ``Line`` field stores as is)."""
    return st.lists(_piece, max_size=max_pieces).map("".join)


def stripped_text(max_len: int, max_pieces: int = 4) -> st.SearchStrategy[str]:
    """Non-empty, already stripped text (what a ``Name`` or ``Text`` field keeps)."""
    return raw_text(max_pieces).map(str.strip).filter(lambda s: 0 < len(s) <= max_len)


def lines(max_len: int = m.MAX_NAME) -> st.SearchStrategy[str]:
    return raw_text().filter(lambda s: len(s) <= max_len)


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def ids() -> st.SearchStrategy[str]:
    """Any valid id (``model.ID_PATTERN``), short."""
    return st.builds(str.__add__, st.sampled_from(_ALNUM), st.text(alphabet=_ALNUM + "_-", max_size=12))


PLAIN = st.sampled_from(["x", "Fix it", "on hold", "A"])

# Weights for scoring properties: no subnormal floats, so "strictly more" stays visible.
NICE_FRACTION = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 1.0]), st.floats(0.05, 1.0))
NICE_BONUS = st.one_of(st.sampled_from([0.0, 0.5, 1.0, 10.0]), st.floats(0.05, 10.0))


# Strategies are built once and cached: building one inside a composite on every draw costs
# more than the draw itself (Hypothesis validates each new strategy).
@functools.cache
def _indices(n: int, max_size: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, n - 1), max_size=max_size, unique=True)


@functools.cache
def _index(n: int, optional: bool) -> st.SearchStrategy[int | None]:
    return (st.none() | st.integers(0, n - 1)) if optional else st.integers(0, n - 1)


def _subset(draw: Any, pool: list[str], max_size: int = 3) -> list[str]:
    return [pool[i] for i in draw(_indices(len(pool), max_size))] if pool else []


def _one(draw: Any, pool: list[str]) -> str:
    return pool[draw(_index(len(pool), False))]


def _maybe(draw: Any, pool: list[str]) -> str | None:
    if not pool:
        return None
    i = draw(_index(len(pool), True))
    return None if i is None else pool[i]


RATING = st.integers(1, 5)
EMOTION = st.integers(-2, 2)
VOTES = st.integers(0, 10_000)
PHASE = st.none() | st.sampled_from(m.PHASES)
KIND = st.sampled_from(m.KINDS)
EVIDENCE = st.sampled_from(m.EVIDENCE)
STATUS = st.sampled_from(m.STATUSES)
JOURNEY = st.sampled_from(m.JOURNEYS)
STATE = st.sampled_from(m.STATES)
DATE = st.none() | st.dates(
    dt.date(values.FIRST_YEAR, 1, 1), dt.date(values.LAST_YEAR, 12, 31)
)  # every date: 1900-2999
PLAN_DATE = st.none() | st.dates(dt.date(1900, 1, 1), dt.date(values.LAST_YEAR, 12, 31))
HISTORY_DAYS = st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), max_size=2)
ID_LISTS = {n: st.lists(ids(), max_size=n, unique=True) for n in range(0, 9)}
_NAME, _TEXT, _LINE, _OPT = stripped_text(m.MAX_NAME), stripped_text(m.MAX_TEXT), lines(), raw_text()
_LINE_LIST = st.lists(lines(), max_size=2)
_HOPS = st.integers(0, 50)
_PLAIN_HOPS = st.integers(0, 6)
_FRACTION = st.floats(0.0, 1.0)
_BONUS = st.floats(0.0, 10.0)
_EMPTY_LIST: st.SearchStrategy[list[str]] = st.just([])
_EMPTY = st.just("")
VOTE_BUDGET = st.one_of(st.integers(1, 5), st.sampled_from([1, 99]), st.integers(1, 99))
_PLAIN_BUDGET = st.integers(1, 5)
PARKED = st.sampled_from(m.PARKED)
VALIDATION = st.sampled_from(m.VALIDATIONS)
MOMENT = st.booleans()
_MOMENT_WEIGHT = st.floats(0.1, 10.0)
_NICE_MOMENT_WEIGHT = st.sampled_from([1.0, 1.0, 1.5, 2.0])
MINUTES = st.one_of(st.integers(1, 60), st.sampled_from([1, 600]), st.integers(1, 600))
_STEP_ORDER = st.permutations(m.STEPS)
_STEP_COUNT = st.integers(0, len(m.STEPS))
_VOTE_WEIGHT = st.floats(0.0, 10.0)
_NICE_VOTE_WEIGHT = st.one_of(st.just(0.0), st.sampled_from([0.1, 0.5, 1.0]))


@functools.cache
def _dots(most: int) -> st.SearchStrategy[int]:
    return st.integers(1, min(99, most))


def _votes(draw: Any, pool: list[str], budget: int) -> dict[str, int]:
    """Dots on a few items of ``pool``, adding up to at most ``budget`` (the budget rule)."""
    votes: dict[str, int] = {}
    left = budget
    for item in _subset(draw, pool, max_size=4):
        if left <= 0:
            break
        n = draw(_dots(left))
        votes[item] = n
        left -= n
    return votes


@st.composite
def sessions(
    draw: Any,
    *,
    plain: bool = False,
    min_stages: int = 0,
    max_stages: int = 4,
    max_processes: int = 6,
    max_pains: int = 8,
    max_solutions: int = 5,
    max_participants: int = 3,
    max_parked: int = 3,
) -> m.Session:
    """A valid random session. ``plain`` uses short fixed texts and nice weights (scoring)."""
    name = PLAIN if plain else _NAME
    text = PLAIN if plain else _TEXT
    line = _EMPTY if plain else _LINE
    opt = _EMPTY if plain else _OPT
    line_list = _EMPTY_LIST if plain else _LINE_LIST
    fraction = NICE_FRACTION if plain else _FRACTION
    bonus = NICE_BONUS if plain else _BONUS

    def id_list(n: int, min_size: int = 0) -> list[str]:
        got = draw(ID_LISTS[n])
        n_extra = 0
        while len(got) < min_size:  # top up with fresh ids
            n_extra += 1
            if f"zz{n_extra}-" not in got:
                got.append(f"zz{n_extra}-")
        return got

    dept_ids = id_list(3)
    persona_ids = id_list(3)
    stage_ids = id_list(max_stages, min_stages)
    proc_ids = id_list(max_processes) if stage_ids else []
    pain_ids = id_list(max_pains) if stage_ids else []
    sol_ids = id_list(max_solutions)
    participant_ids = id_list(max_participants)
    parked_ids = id_list(max_parked)
    budget = draw(_PLAIN_BUDGET if plain else VOTE_BUDGET)

    departments = [m.Department(id=i, name=draw(name), role=draw(opt)) for i in dept_ids]
    personas = [
        m.Persona(
            id=i,
            name=draw(name),
            description=draw(opt),
            goals=draw(line_list),
            needs=draw(line_list),
            frustrations=draw(line_list),
        )
        for i in persona_ids
    ]
    stages = [
        m.Stage(
            id=i,
            name=draw(name),
            phase=draw(PHASE),
            customer_goal=draw(opt),
            touchpoints=draw(line_list),
            channels=draw(line_list),
            owners=_subset(draw, dept_ids),
            emotion={p: draw(EMOTION) for p in _subset(draw, persona_ids)},
            moment=draw(MOMENT),
        )
        for i in stage_ids
    ]
    processes = [
        m.Process(
            id=i,
            stage=_one(draw, stage_ids),
            name=draw(name),
            owner=_maybe(draw, dept_ids),
            systems=draw(line_list),
            feeds=_subset(draw, [p for p in proc_ids if p != i]),  # cycles yes, self-feeds no
        )
        for i in proc_ids
    ]
    pains = [
        m.Pain(
            id=i,
            stage=_one(draw, stage_ids),
            kind=draw(KIND),
            text=draw(text),
            severity=draw(RATING),
            frequency=draw(RATING),
            evidence=draw(EVIDENCE),
            personas=_subset(draw, persona_ids),
            caused_by=_subset(draw, proc_ids),
            moment=draw(MOMENT),
            validation=draw(VALIDATION),
            validated_on=draw(DATE),
            validation_note=draw(opt),
        )
        for i in pain_ids
    ]
    solutions = [
        m.Solution(
            id=i,
            text=draw(text),
            targets=_subset(draw, proc_ids),
            effort=draw(RATING),
            confidence=draw(fraction),
            owner=_maybe(draw, dept_ids),
            status=draw(STATUS),
            votes=draw(VOTES),
            due=draw(PLAN_DATE),
            review=draw(PLAN_DATE),
            history=[m.StatusChange(status=draw(STATUS), on=day, by=draw(line)) for day in draw(HISTORY_DAYS)],
        )
        for i in sol_ids
    ]
    participants = [
        m.Participant(
            id=i,
            name=draw(name),
            solution_votes=_votes(draw, sol_ids, budget),
            pain_votes=_votes(draw, pain_ids, budget),
        )
        for i in participant_ids
    ]
    parking = [
        m.ParkingItem(id=i, text=draw(text), stage=_maybe(draw, stage_ids), status=draw(PARKED)) for i in parked_ids
    ]
    steps = draw(_STEP_ORDER)[: draw(_STEP_COUNT)]
    agenda = [m.AgendaItem(step=step, minutes=draw(MINUTES), note=draw(opt)) for step in steps]
    state = draw(STATE)
    session = m.Session(
        session=m.SessionInfo(
            title=draw(name),
            journey=draw(JOURNEY),
            state=state,
            facilitator=draw(line),
            date=draw(DATE),
            vote_budget=budget,
            origin=draw(line) if state == "future" else "",
        ),
        scoring=m.Scoring(
            hop_decay=draw(fraction),
            stage_bonus=draw(bonus),
            quick_win_max_effort=draw(RATING),
            max_hops=draw(_PLAIN_HOPS if plain else _HOPS),
            vote_weight=draw(_NICE_VOTE_WEIGHT if plain else _VOTE_WEIGHT),
            moment_weight=draw(_NICE_MOMENT_WEIGHT if plain else _MOMENT_WEIGHT),
            severity_floor=draw(st.booleans()),
        ),
        departments=departments,
        personas=personas,
        stages=stages,
        pains=pains,
        processes=processes,
        solutions=solutions,
        participants=participants,
        parking=parking,
        agenda=agenda,
    )
    assert m.reference_problems(session) == [], m.reference_problems(session)
    return session


# ---------------------------------------------------------------------------------------------
# The worked example of the method: a parts supplier whose customers wait on hold.


def workshop(**scoring: Any) -> m.Session:
    """catalogue → order-entry → call-handling, each causing one customer pain downstream."""
    return m.Session(
        session=m.SessionInfo(title="Parts supplier: service journey", journey="service"),
        scoring=m.Scoring(**scoring),
        departments=[
            m.Department(id="web", name="Web team"),
            m.Department(id="sales", name="Sales ops"),
            m.Department(id="service", name="Customer service"),
        ],
        personas=[
            m.Persona(id="buyer", name="Purchasing agent"),
            m.Persona(id="tech", name="Field technician"),
        ],
        stages=[
            m.Stage(id="find", name="Find the part", owners=["web"], emotion={"buyer": -1}),
            m.Stage(id="order", name="Order it", owners=["sales"]),
            m.Stage(id="support", name="Get help", owners=["service"], emotion={"tech": -2}),
        ],
        pains=[
            m.Pain(
                id="cant-tell",
                stage="find",
                text="I can't tell which part fits",
                severity=3,
                frequency=4,
                caused_by=["catalogue"],
            ),
            m.Pain(
                id="wrong-part",
                stage="order",
                text="Wrong part delivered",
                severity=5,
                frequency=3,
                caused_by=["order-entry"],
            ),
            m.Pain(
                id="on-hold",
                stage="support",
                text="On hold for 40 minutes",
                severity=4,
                frequency=5,
                caused_by=["call-handling"],
            ),
            m.Pain(
                id="friendly",
                stage="support",
                kind="gain",
                text="Friendly agents",
                severity=5,
                frequency=5,
                caused_by=["call-handling"],
            ),
        ],
        processes=[
            m.Process(id="catalogue", stage="find", name="Online catalogue", owner="web", feeds=["order-entry"]),
            m.Process(
                id="order-entry", stage="order", name="Order form and entry", owner="sales", feeds=["call-handling"]
            ),
            m.Process(id="call-handling", stage="support", name="Call handling", owner="service"),
        ],
        solutions=[
            m.Solution(
                id="hire-csrs",
                text="Hire more CSRs",
                targets=["call-handling"],
                effort=4,
                confidence=0.6,
                owner="service",
            ),
            m.Solution(
                id="fix-catalogue",
                text="Fix the catalogue",
                targets=["catalogue"],
                effort=2,
                confidence=0.8,
                owner="web",
            ),
        ],
    )


ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "sessions"


class FakeClock:
    """A monotonic clock the test moves by hand (timers and timeboxes; no test sleeps)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def online() -> m.Session:
    """The bundled online-ordering example."""
    from cjmtui.core.store import load_session

    return load_session(EXAMPLES / "online-ordering.toml").session


def future_of_online() -> tuple[m.Session, m.Session]:
    """The example and a future state: two pains gone, one new, one emotion better, a fix done."""
    from cjmtui.core import edit
    from cjmtui.core.future import derive_future

    current = online()
    future = derive_future(current, EXAMPLES / "online-ordering.toml")
    future = edit.delete_item(future, "pains", "on-hold", actor=None)
    future = edit.delete_item(future, "pains", "cant-tell-fit", actor=None)
    future = edit.set_emotion(future, "get-help", "technician", 1, actor=None)
    future = edit.update_item(future, "solutions", "fix-catalogue", {"status": "done"}, actor=None)[0]
    future, _ = edit.add_item(
        future,
        "pains",
        {"id": "new-login", "stage": "place-order", "text": "Now I have to log in to see my price."},
        actor=None,
    )
    return current, future


def run_main(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """Run the ``cjmtui`` command in-process; returns (exit code, stdout, stderr)."""
    from cjmtui import cli

    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def two_instances(tmp_path: Path) -> tuple[Path, Any, Any]:
    """The workshop saved at ``tmp_path/room.toml`` and two instances (Workspaces) of it, as two
    people's apps hold it."""
    from cjmtui.core.store import save_session
    from cjmtui.core.workspace import Workspace

    path = tmp_path / "room.toml"
    save_session(path, workshop(), None)
    return path, Workspace.open(path), Workspace.open(path)


def write_note(ws: Any, text: str, actor: str) -> None:
    """``actor`` writes a pain at the first stage of :func:`workshop` in ``ws`` (unsaved)."""
    from cjmtui.core.edit import add_item

    ws.history.apply("note", add_item(ws.session, "pains", {"stage": "find", "text": text}, actor=actor)[0])
