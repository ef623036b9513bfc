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
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from .values import NOT_BLANK, at_most, date_or_iso, no_surrogates, plan_date, text_of_date, utc_time_or_iso

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
Validation = Literal["", "validated", "refuted"]

JOURNEYS: tuple[str, ...] = ("buying", "onboarding", "service", "other")
STATES: tuple[str, ...] = ("current", "future")
PHASES: tuple[str, ...] = ("awareness", "consideration", "decision", "onboarding", "advocacy")
KINDS: tuple[str, ...] = ("pain", "gain")
EVIDENCE: tuple[str, ...] = ("x-data", "o-data", "anecdote", "assumption")
STATUSES: tuple[str, ...] = ("idea", "planned", "doing", "done", "dropped")
STEPS: tuple[str, ...] = ("persona", "stages", "pains", "processes", "solutions", "prioritise")
PARKED: tuple[str, ...] = ("open", "closed", "converted")
VALIDATIONS: tuple[str, ...] = ("", "validated", "refuted")
UNVERIFIED_EVIDENCE: tuple[str, ...] = ("anecdote", "assumption")  # what needs checking with customers


Id = Annotated[str, Field(min_length=1, max_length=MAX_ID, pattern=ID_PATTERN)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME),
    BeforeValidator(at_most(MAX_NAME)),
    BeforeValidator(text_of_date),
    AfterValidator(no_surrogates),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_NAME, "pattern": NOT_BLANK}),
]
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    BeforeValidator(at_most(MAX_TEXT)),
    BeforeValidator(text_of_date),
    AfterValidator(no_surrogates),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_TEXT, "pattern": NOT_BLANK}),
]
OptText = Annotated[str, BeforeValidator(text_of_date), AfterValidator(no_surrogates), Field(max_length=MAX_TEXT)]
LongText = Annotated[str, BeforeValidator(text_of_date), AfterValidator(no_surrogates), Field(max_length=MAX_LONG_TEXT)]
Line = Annotated[str, BeforeValidator(text_of_date), AfterValidator(no_surrogates), Field(max_length=MAX_NAME)]
Lines = Annotated[list[Line], Field(max_length=MAX_LIST)]
Ids = Annotated[list[Id], Field(max_length=MAX_LIST)]
Rating = Annotated[int, Field(ge=1, le=5)]
Emotion = Annotated[int, Field(ge=-2, le=2)]
Round = Annotated[int, Field(ge=1, le=100_000)]  # a silent-writing round


MAX_HISTORY = MAX_LIST  # status changes kept per solution (the oldest go first)


class Quiet:
    """The mark of a field written to the file only when set: left out while at its default, so a
    file from before the field existed saves byte for byte as it was. Declared on the field
    itself, ``moment: Annotated[bool, QUIET] = False``; the store reads it (:func:`quiet_fields`)."""

    def __repr__(self) -> str:
        return "QUIET"


QUIET = Quiet()


@cache
def quiet_fields(model: type[BaseModel]) -> dict[str, object]:
    """The fields of ``model`` marked :data:`QUIET`, with their defaults (what the file leaves out)."""
    return {name: f.default for name, f in model.model_fields.items() if any(m is QUIET for m in f.metadata)}


PlanDate = Annotated[dt.date | None, BeforeValidator(plan_date)]


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, validate_default=False)


class Record(Item):
    """An item of one of the session's tables: it has an id, unique in its table, and, when a
    participant who joined the session added it, that participant's name (``created_by``; the
    facilitator's own items have none). Participants change and delete only their own items."""

    id: Id
    created_by: Name | None = None


class SessionInfo(Item):
    title: Name = "Untitled session"
    journey: Journey = "other"
    state: State = "current"
    facilitator: Line = ""
    date: Annotated[dt.date | None, BeforeValidator(date_or_iso)] = None  # TOML date or "YYYY-MM-DD"
    vote_budget: int = Field(default=3, ge=1, le=99)  # dots per participant, per kind (pains, solutions)
    origin: Annotated[Line, QUIET] = ""  # a future-state session: the file name of the current state it came from


class Scoring(Item):
    """Weights of the ranking model (README, "How quick wins are ranked")."""

    hop_decay: float = Field(default=0.5, ge=0.0, le=1.0)
    stage_bonus: float = Field(default=0.5, ge=0.0, le=10.0)
    quick_win_max_effort: int = Field(default=2, ge=1, le=5)
    max_hops: int = Field(default=4, ge=0, le=50)
    vote_weight: float = Field(default=0.0, ge=0.0, le=10.0)  # score × (1 + vote_weight × votes)
    moment_weight: Annotated[float, QUIET] = Field(
        default=1.0, ge=0.1, le=10.0
    )  # × a pain's weight at a moment of truth
    severity_floor: Annotated[bool, QUIET] = (
        False  # severity 5 never outweighed by severity ≤ 2 (4 by 1): see severity_floor()
    )


class Progress(Item):
    """Where the workshop is: the agenda step being run and the time already spent on it
    (workshop data, so it survives a quit, a dropped link or a lunch break), and the room's
    state that every participant's screen follows (docs/session-format.md, "Running the room")."""

    step: Step | None = None
    spent: int = Field(default=0, ge=0, le=7 * 24 * 3600)  # seconds of the step's timebox used
    # The timer runs since this moment (UTC), counting on from ``spent``: every screen reads the
    # same deadline from the file, so clocks agree. None: paused.
    running_since: Annotated[dt.datetime | None, BeforeValidator(utc_time_or_iso)] = None
    extra: Annotated[int, QUIET] = Field(default=0, ge=0, le=24 * 3600)  # seconds added to the step's timebox (T)
    silent: Annotated[bool, QUIET] = False  # silent writing: each participant sees only their own new notes
    silent_round: Annotated[int, QUIET] = Field(default=0, ge=0, le=100_000)  # the current (or last) round's number
    private_votes: Annotated[bool, QUIET] = False  # each participant sees only their own dots until the reveal


class AgendaItem(Item):
    """One step of the workshop's agenda, with its timebox."""

    step: Step
    minutes: int = Field(default=15, ge=1, le=600)
    note: OptText = ""


class Department(Record):
    id: Id
    name: Name
    role: OptText = ""


class Persona(Record):
    id: Id
    name: Name
    description: LongText = ""
    goals: Lines = []
    needs: Lines = []
    frustrations: Lines = []


class Stage(Record):
    id: Id
    name: Name
    phase: Phase | None = None
    customer_goal: OptText = ""
    touchpoints: Lines = []
    channels: Lines = []
    owners: Ids = []
    emotion: Annotated[dict[Id, Emotion], Field(max_length=MAX_LIST)] = {}
    moment: Annotated[bool, QUIET] = False  # a moment of truth: every pain here counts as at one
    pending: Annotated[
        Lines, QUIET
    ] = []  # capture signs not taken yet (">book" before Book exists): docs/session-format.md


class Pain(Record):
    id: Id
    stage: Id
    kind: Kind = "pain"
    text: Text
    severity: Rating = 3
    frequency: Rating = 3
    evidence: Evidence = "anecdote"
    personas: Ids = []
    caused_by: Ids = []
    moment: Annotated[bool, QUIET] = False  # at a moment of truth (also when its stage is one)
    validation: Annotated[Validation, QUIET] = (
        ""  # checked with customers: "validated", "refuted" (not scored) or not yet
    )
    validated_on: Annotated[dt.date | None, BeforeValidator(date_or_iso)] = None
    validation_note: Annotated[OptText, QUIET] = ""
    silent_round: Round | None = None  # written in that silent-writing round (hidden from others until the reveal)
    pending: Annotated[
        Lines, QUIET
    ] = []  # capture signs not taken yet (">book" before Book exists): docs/session-format.md

    @property
    def weight(self) -> int:
        return self.severity * self.frequency

    @property
    def unverified(self) -> bool:
        """Resting on an anecdote or an assumption nobody has checked with customers yet."""
        return self.evidence in UNVERIFIED_EVIDENCE and not self.validation

    def affects(self, persona: str | None) -> bool:
        """Through a persona lens (``None``: everyone): a pain naming no persona affects them all."""
        return persona is None or not self.personas or persona in self.personas


class Process(Record):
    id: Id
    stage: Id
    name: Name
    owner: Id | None = None
    systems: Lines = []
    feeds: Ids = []
    silent_round: Round | None = None  # written in that silent-writing round (hidden from others until the reveal)
    pending: Annotated[
        Lines, QUIET
    ] = []  # capture signs not taken yet (">book" before Book exists): docs/session-format.md


class StatusChange(Item):
    """One change of a solution's status: to what, on which day, by whom (the facilitator's name,
    or the participant's who changed it; empty when the facilitator has not given a name)."""

    status: Status
    on: Annotated[dt.date, BeforeValidator(plan_date)]
    by: Line = ""


class Solution(Record):
    id: Id
    text: Text
    targets: Ids = []
    effort: Rating = 3
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)
    owner: Id | None = None
    status: Status = "idea"
    votes: int = Field(default=0, ge=0, le=10_000)
    silent_round: Round | None = None  # written in that silent-writing round (hidden from others until the reveal)
    due: PlanDate = None  # when the fix should be done (TOML date or "YYYY-MM-DD")
    review: PlanDate = None  # when to look at it again in a review meeting
    reviewed: PlanDate = None  # the day a review meeting last looked at it (it is then no longer due)
    history: Annotated[list[StatusChange], Field(max_length=MAX_HISTORY), QUIET] = []  # oldest first
    pending: Annotated[
        Lines, QUIET
    ] = []  # capture signs not taken yet ("#book" before Book exists): docs/session-format.md

    def done_on(self) -> dt.date | None:
        """The day it was last marked done (from its history), or None when no one recorded it."""
        return next((h.on for h in reversed(self.history) if h.status == "done"), None)


VoteMap = Annotated[dict[Id, Annotated[int, Field(ge=1, le=99)]], Field(max_length=MAX_LIST)]


class Participant(Record):
    """Someone in the room, with the dots they put on solutions and pains."""

    id: Id
    name: Name
    solution_votes: VoteMap = {}
    pain_votes: VoteMap = {}


class ParkingItem(Record):
    """An off-topic point parked for later, with the stage it came up in."""

    id: Id
    text: Text
    stage: Id | None = None
    status: Parked = "open"
    silent_round: Round | None = None  # written in that silent-writing round (hidden from others until the reveal)


# The tables of a session, in file order, with the model of their items.
TABLES: dict[str, type[Record]] = {
    "departments": Department,
    "personas": Persona,
    "stages": Stage,
    "pains": Pain,
    "processes": Process,
    "solutions": Solution,
    "participants": Participant,
    "parking": ParkingItem,
}
# The notes people write, which silent writing hides from the others until the reveal.
SILENT_TABLES: tuple[str, ...] = ("pains", "processes", "solutions", "parking")
TABLE_OF_ITEM: dict[type[Record], str] = {kind: table for table, kind in TABLES.items()}
R = TypeVar("R", bound=Record)


class Session(Item):
    schema_version: int = Field(default=SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    session: SessionInfo = SessionInfo()
    scoring: Scoring = Scoring()
    progress: Progress = Progress()
    departments: Annotated[list[Department], Field(max_length=MAX_ITEMS)] = []
    personas: Annotated[list[Persona], Field(max_length=MAX_ITEMS)] = []
    stages: Annotated[list[Stage], Field(max_length=MAX_ITEMS)] = []
    pains: Annotated[list[Pain], Field(max_length=MAX_ITEMS)] = []
    processes: Annotated[list[Process], Field(max_length=MAX_ITEMS)] = []
    solutions: Annotated[list[Solution], Field(max_length=MAX_ITEMS)] = []
    participants: Annotated[list[Participant], Field(max_length=MAX_ITEMS)] = []
    parking: Annotated[list[ParkingItem], Field(max_length=MAX_ITEMS)] = []
    agenda: Annotated[list[AgendaItem], Field(max_length=len(STEPS) * 4)] = []

    def table(self, name: str) -> list[Record]:
        items: list[Record] = getattr(self, name)
        return items


@dataclass(frozen=True)
class Reference:
    """A field of an item of ``table`` that names items of ``target`` by id."""

    table: str
    field: str
    target: str
    shape: Literal["one", "list", "keys"]  # an optional id, a list of ids, or a dict keyed by id
    what: str  # how a problem names the target ("department")

    def ids(self, item: Record) -> list[str]:
        value = getattr(item, self.field)
        if self.shape == "one":
            return [] if value is None else [value]
        return list(value)


# Every reference between tables, in the order problems are reported (and fixed on delete).
REFERENCES: tuple[Reference, ...] = (
    Reference("stages", "owners", "departments", "list", "department"),
    Reference("stages", "emotion", "personas", "keys", "persona"),
    Reference("pains", "stage", "stages", "one", "stage"),
    Reference("pains", "personas", "personas", "list", "persona"),
    Reference("pains", "caused_by", "processes", "list", "process"),
    Reference("processes", "stage", "stages", "one", "stage"),
    Reference("processes", "owner", "departments", "one", "department"),
    Reference("processes", "feeds", "processes", "list", "process"),
    Reference("solutions", "targets", "processes", "list", "process"),
    Reference("solutions", "owner", "departments", "one", "department"),
    Reference("participants", "solution_votes", "solutions", "keys", "solution"),
    Reference("participants", "pain_votes", "pains", "keys", "pain"),
    Reference("parking", "stage", "stages", "one", "stage"),
)


def _item_problems(session: Session, table: str, item: Record, ids: dict[str, set[str]]) -> list[str]:
    problems = []
    for ref in REFERENCES:
        if ref.table == table:
            problems += [
                f"{table}[{item.id}].{ref.field}: unknown {ref.what} {value!r}"
                for value in ref.ids(item)
                if value not in ids[ref.target]
            ]
    if isinstance(item, Process) and item.id in item.feeds:
        problems.append(f"processes[{item.id}].feeds: a process cannot feed itself")
    if isinstance(item, Participant):
        budget = session.session.vote_budget
        for field, votes in (("solution_votes", item.solution_votes), ("pain_votes", item.pain_votes)):
            if sum(votes.values()) > budget:
                problems.append(
                    f"participants[{item.id}].{field}: {sum(votes.values())} votes, over the budget of {budget}"
                )
    return problems


def item_reference_problems_in(session: Session, table: str, item: Record, ids: dict[str, set[str]]) -> list[str]:
    """:func:`item_reference_problems` with the ids of the tables it points at already read
    (``{table: ids}``), for checking many items at once."""
    return _item_problems(session, table, item, ids)


def item_reference_problems(session: Session, table: str, item: Record) -> list[str]:
    """The broken references of one item of ``table`` (what :func:`reference_problems` would say
    of it), reading only the tables it points at: an edit of one item in a valid session is
    checked in time proportional to those tables, not to the whole session."""
    targets = {ref.target for ref in REFERENCES if ref.table == table}
    ids = {t: {x.id for x in session.table(t)} for t in targets}
    return _item_problems(session, table, item, ids)


def reference_problems(session: Session) -> list[str]:
    """Every broken reference or duplicate id, as ``"table[id].field: what"`` strings."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for table in TABLES:
        seen: set[str] = set()
        for item in session.table(table):
            if item.id in seen:
                problems.append(f"{table}[{item.id}]: duplicate id {item.id!r}")
            seen.add(item.id)
        ids[table] = seen
    for table in TABLES:
        for item in session.table(table):
            problems += _item_problems(session, table, item, ids)
    seen_steps: set[str] = set()
    for ag in session.agenda:
        if ag.step in seen_steps:
            problems.append(f"agenda[{ag.step}]: the step {ag.step!r} is listed twice")
        seen_steps.add(ag.step)
    return problems


def find(session: Session, table: str, item_id: str) -> Record | None:
    for item in session.table(table):
        if item.id == item_id:
            return item
    return None


def get(session: Session, kind: type[R], item_id: str | None) -> R | None:
    """The item of type ``kind`` (``Stage``, ``Pain``…) with id ``item_id``, or None."""
    if item_id is None:
        return None
    for item in session.table(TABLE_OF_ITEM[kind]):
        if item.id == item_id and isinstance(item, kind):
            return item
    return None


def item_label(item: Record) -> str:
    """The words people know an item by: its name, or its text."""
    label = getattr(item, "name", None) or getattr(item, "text", None)
    return label if isinstance(label, str) and label else item.id
