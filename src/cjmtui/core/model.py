"""The session model: one workshop, as stored in one TOML file.

Every item is an immutable pydantic model with ``extra="forbid"`` and bounds on every number,
string and list. Edits never mutate: they build a new :class:`Session` that shares the
unchanged items with the old one (see :mod:`cjmtui.core.edit`), which makes undo a matter of
keeping the previous object.

Reference checks (ids exist, no self-feeding process, unique ids) live in
:func:`reference_problems`, run by the loader (:mod:`cjmtui.core.store`) after the shape is
validated and by every edit function, so no code path builds a session with a dangling id.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

SCHEMA_VERSION = 1

# Bounds (documented in docs/session-format.md).
MAX_ID = 64
MAX_NAME = 200
MAX_TEXT = 2_000
MAX_LONG_TEXT = 10_000
MAX_LIST = 200  # items in a list of strings or ids inside one item
MAX_ITEMS = 50_000  # items in one table (pains, processes, ...)

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"  # also a bare TOML key

Journey = Literal["buying", "onboarding", "service", "other"]
State = Literal["current", "future"]
Phase = Literal["awareness", "consideration", "decision", "onboarding", "advocacy"]
Kind = Literal["pain", "gain"]
Evidence = Literal["x-data", "o-data", "anecdote", "assumption"]
Status = Literal["idea", "planned", "doing", "done", "dropped"]
Step = Literal["persona", "stages", "pains", "processes", "solutions", "prioritise"]
Parked = Literal["open", "closed", "converted"]

JOURNEYS: tuple[str, ...] = ("buying", "onboarding", "service", "other")
STATES: tuple[str, ...] = ("current", "future")
PHASES: tuple[str, ...] = ("awareness", "consideration", "decision", "onboarding", "advocacy")
KINDS: tuple[str, ...] = ("pain", "gain")
EVIDENCE: tuple[str, ...] = ("x-data", "o-data", "anecdote", "assumption")
STATUSES: tuple[str, ...] = ("idea", "planned", "doing", "done", "dropped")
STEPS: tuple[str, ...] = ("persona", "stages", "pains", "processes", "solutions", "prioritise")
PARKED: tuple[str, ...] = ("open", "closed", "converted")


def _no_surrogates(value: str) -> str:
    # A lone surrogate cannot be written as UTF-8: refuse it at the door, not at save time.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a character that cannot be stored (lone surrogate)") from None
    return value


Id = Annotated[str, Field(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN)]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME), AfterValidator(_no_surrogates)
]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT), AfterValidator(_no_surrogates)
]
OptText = Annotated[str, AfterValidator(_no_surrogates), Field(max_length=MAX_TEXT)]
LongText = Annotated[str, AfterValidator(_no_surrogates), Field(max_length=MAX_LONG_TEXT)]
Line = Annotated[str, AfterValidator(_no_surrogates), Field(max_length=MAX_NAME)]
Lines = Annotated[list[Line], Field(max_length=MAX_LIST)]
Ids = Annotated[list[Id], Field(max_length=MAX_LIST)]
Rating = Annotated[int, Field(ge=1, le=5)]
Emotion = Annotated[int, Field(ge=-2, le=2)]


def _date_or_iso(value: object) -> object:
    # A TOML date, or "YYYY-MM-DD" (JSON exports); never a number read as a Unix timestamp.
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("must be a date like 2026-11-22")


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, validate_default=False)


class SessionInfo(Item):
    title: Name = "Untitled session"
    journey: Journey = "other"
    state: State = "current"
    facilitator: Line = ""
    date: Annotated[dt.date | None, BeforeValidator(_date_or_iso)] = None  # TOML date or "YYYY-MM-DD"
    vote_budget: int = Field(default=3, ge=1, le=99)  # dots per participant, per kind (pains, solutions)
    origin: Line = ""  # a future-state session: the file name of the current state it came from


class Scoring(Item):
    """Weights of the ranking model (README, "How quick wins are ranked")."""

    hop_decay: float = Field(default=0.5, ge=0.0, le=1.0)
    stage_bonus: float = Field(default=0.5, ge=0.0, le=10.0)
    quick_win_max_effort: int = Field(default=2, ge=1, le=5)
    max_hops: int = Field(default=4, ge=0, le=50)
    vote_weight: float = Field(default=0.0, ge=0.0, le=10.0)  # score × (1 + vote_weight × votes)


class AgendaItem(Item):
    """One step of the workshop's agenda, with its timebox."""

    step: Step
    minutes: int = Field(default=15, ge=1, le=600)
    note: OptText = ""


class Department(Item):
    id: Id
    name: Name
    role: OptText = ""


class Persona(Item):
    id: Id
    name: Name
    description: LongText = ""
    goals: Lines = []
    needs: Lines = []
    frustrations: Lines = []


class Stage(Item):
    id: Id
    name: Name
    phase: Phase | None = None
    customer_goal: OptText = ""
    touchpoints: Lines = []
    channels: Lines = []
    owners: Ids = []
    emotion: Annotated[dict[Id, Emotion], Field(max_length=MAX_LIST)] = {}


class Pain(Item):
    id: Id
    stage: Id
    kind: Kind = "pain"
    text: Text
    severity: Rating = 3
    frequency: Rating = 3
    evidence: Evidence = "anecdote"
    personas: Ids = []
    caused_by: Ids = []

    @property
    def weight(self) -> int:
        return self.severity * self.frequency

    def affects(self, persona: str | None) -> bool:
        """Through a persona lens (``None``: everyone): a pain naming no persona affects them all."""
        return persona is None or not self.personas or persona in self.personas


class Process(Item):
    id: Id
    stage: Id
    name: Name
    owner: Id | None = None
    systems: Lines = []
    feeds: Ids = []


class Solution(Item):
    id: Id
    text: Text
    targets: Ids = []
    effort: Rating = 3
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    owner: Id | None = None
    status: Status = "idea"
    votes: int = Field(default=0, ge=0, le=10_000)


VoteMap = Annotated[dict[Id, Annotated[int, Field(ge=1, le=99)]], Field(max_length=MAX_LIST)]


class Participant(Item):
    """Someone in the room, with the dots they put on solutions and pains."""

    id: Id
    name: Name
    solution_votes: VoteMap = {}
    pain_votes: VoteMap = {}


class ParkingItem(Item):
    """An off-topic point parked for later, with the stage it came up in."""

    id: Id
    text: Text
    stage: Id | None = None
    status: Parked = "open"


# The tables of a session, in file order, with the model of their items.
TABLES: dict[str, type[Item]] = {
    "departments": Department,
    "personas": Persona,
    "stages": Stage,
    "pains": Pain,
    "processes": Process,
    "solutions": Solution,
    "participants": Participant,
    "parking": ParkingItem,
}


class Session(Item):
    schema_version: int = Field(default=SCHEMA_VERSION, ge=1)
    session: SessionInfo = SessionInfo()
    scoring: Scoring = Scoring()
    departments: Annotated[list[Department], Field(max_length=MAX_ITEMS)] = []
    personas: Annotated[list[Persona], Field(max_length=MAX_ITEMS)] = []
    stages: Annotated[list[Stage], Field(max_length=MAX_ITEMS)] = []
    pains: Annotated[list[Pain], Field(max_length=MAX_ITEMS)] = []
    processes: Annotated[list[Process], Field(max_length=MAX_ITEMS)] = []
    solutions: Annotated[list[Solution], Field(max_length=MAX_ITEMS)] = []
    participants: Annotated[list[Participant], Field(max_length=MAX_ITEMS)] = []
    parking: Annotated[list[ParkingItem], Field(max_length=MAX_ITEMS)] = []
    agenda: Annotated[list[AgendaItem], Field(max_length=len(STEPS) * 4)] = []

    def table(self, name: str) -> list[Item]:
        return getattr(self, name)


def reference_problems(session: Session) -> list[str]:
    """Every broken reference or duplicate id, as ``"table[id].field: what"`` strings."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for table in TABLES:
        seen: set[str] = set()
        for item in getattr(session, table):
            if item.id in seen:
                problems.append(f"{table}[{item.id}]: duplicate id {item.id!r}")
            seen.add(item.id)
        ids[table] = seen

    def check(table: str, item_id: str, field: str, values, target: str, what: str) -> None:
        for value in values:
            if value not in ids[target]:
                problems.append(f"{table}[{item_id}].{field}: unknown {what} {value!r}")

    for s in session.stages:
        check("stages", s.id, "owners", s.owners, "departments", "department")
        check("stages", s.id, "emotion", s.emotion.keys(), "personas", "persona")
    for p in session.pains:
        check("pains", p.id, "stage", [p.stage], "stages", "stage")
        check("pains", p.id, "personas", p.personas, "personas", "persona")
        check("pains", p.id, "caused_by", p.caused_by, "processes", "process")
    for pr in session.processes:
        check("processes", pr.id, "stage", [pr.stage], "stages", "stage")
        if pr.owner is not None:
            check("processes", pr.id, "owner", [pr.owner], "departments", "department")
        check("processes", pr.id, "feeds", pr.feeds, "processes", "process")
        if pr.id in pr.feeds:
            problems.append(f"processes[{pr.id}].feeds: a process cannot feed itself")
    for so in session.solutions:
        check("solutions", so.id, "targets", so.targets, "processes", "process")
        if so.owner is not None:
            check("solutions", so.id, "owner", [so.owner], "departments", "department")
    for pa in session.participants:
        check("participants", pa.id, "solution_votes", pa.solution_votes.keys(), "solutions", "solution")
        check("participants", pa.id, "pain_votes", pa.pain_votes.keys(), "pains", "pain")
        budget = session.session.vote_budget
        for field, votes in (("solution_votes", pa.solution_votes), ("pain_votes", pa.pain_votes)):
            if sum(votes.values()) > budget:
                problems.append(f"participants[{pa.id}].{field}: {sum(votes.values())} votes, over the budget of {budget}")
    for pk in session.parking:
        if pk.stage is not None:
            check("parking", pk.id, "stage", [pk.stage], "stages", "stage")
    seen_steps: set[str] = set()
    for ag in session.agenda:
        if ag.step in seen_steps:
            problems.append(f"agenda[{ag.step}]: the step {ag.step!r} is listed twice")
        seen_steps.add(ag.step)
    return problems


def find(session: Session, table: str, item_id: str) -> Item | None:
    for item in getattr(session, table):
        if item.id == item_id:
            return item
    return None


def item_label(item: Item) -> str:
    """The words people know an item by: its name, or its text."""
    return getattr(item, "name", None) or getattr(item, "text", "") or item.id  # type: ignore[attr-defined]
