"""What the TUI, the command line, the exports and the report all show: ids turned into the
words people know, and tables worked out once (rows of plain text) for every medium to render.

A renderer only escapes and lays out: the Markdown export wraps each cell in ``md_cell``, the
report in HTML, the TUI and the command line in a plain Rich ``Text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .friction import stage_friction
from .model import Pain, ParkingItem, Session
from .scoring import Ranking, moment_stages
from .validation import ToValidate, to_validate
from .vocab import fmt_number, plural


class Names:
    """Ids to the words people know them by (an unknown id stands for itself)."""

    def __init__(self, session: Session) -> None:
        self.stages = {s.id: s.name for s in session.stages}
        self.stage_no = {s.id: i for i, s in enumerate(session.stages, 1)}
        self.pains = {p.id: p.text for p in session.pains}
        self.processes = {p.id: p.name for p in session.processes}
        self.departments = {d.id: d.name for d in session.departments}
        self.personas = {p.id: p.name for p in session.personas}
        self.solutions = {s.id: s.text for s in session.solutions}

    def stage(self, stage_id: str | None) -> str:
        return self.stages.get(stage_id or "", stage_id or "")

    def department(self, dept_id: str | None) -> str:
        return self.departments.get(dept_id or "", dept_id or "")

    def process(self, proc_id: str) -> str:
        return self.processes.get(proc_id, proc_id)

    def persona(self, persona_id: str | None) -> str:
        return self.personas.get(persona_id or "", persona_id or "")

    def pain(self, pain_id: str) -> str:
        return self.pains.get(pain_id, pain_id)


def open_parking(session: Session) -> list[ParkingItem]:
    """The parked items still to deal with (status ``"open"``), in file order."""
    return [p for p in session.parking if p.status == "open"]


def pains_in_stage_order(session: Session) -> list[Pain]:
    """Every pain and gain, stage by stage in journey order (file order within a stage)."""
    order = {s.id: i for i, s in enumerate(session.stages)}
    return sorted(session.pains, key=lambda p: order.get(p.stage, len(order)))


@dataclass(frozen=True)
class Column:
    title: str
    short: str = ""  # the heading where space is short (a terminal); ``title`` if empty
    numeric: bool = False

    @property
    def narrow(self) -> str:
        return self.short or self.title


@dataclass(frozen=True)
class TableView:
    """A table as plain text: one home for what a table says, whatever draws it."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    keys: tuple[str, ...]  # the id of each row's item
    marked: frozenset[int] = field(default_factory=frozenset)  # rows to emphasise
    empty: str = ""  # what to say when there is no row

    @property
    def align(self) -> str:
        """One letter per column, ``r`` for numbers, ``l`` for words."""
        return "".join("r" if c.numeric else "l" for c in self.columns)


FRICTION_NOTE = (
    "Pains and their weight (severity × frequency) at each stage, the departments involved (the "
    "stage's owners and its processes' owners), the handoffs from its processes to a process of "
    "another department, and its process whose fix reaches the most pains downstream."
)


FRICTION_VIEW_COLUMNS = (
    Column("#", numeric=True),
    Column("Stage"),
    Column("Pains", numeric=True),
    Column("Pain weight", "Weight", numeric=True),
    Column("Departments", "Depts", numeric=True),
    Column("Handoffs", numeric=True),
    Column("Most downstream reach", "Reaches most"),
)


def friction_view(session: Session, persona: str | None = None) -> TableView:
    """Friction by stage (:func:`cjmtui.core.friction.stage_friction`), one row per stage; the
    stage with the heaviest pains is marked."""
    names = Names(session)
    rows = stage_friction(session, persona)
    heaviest = max((r.pain_weight for r in rows), default=0)
    return TableView(
        columns=FRICTION_VIEW_COLUMNS,
        rows=tuple(
            (
                str(i),
                r.name,
                str(r.pains),
                str(r.pain_weight),
                str(r.departments),
                str(r.handoffs),
                f"{names.process(r.top_process)} ({plural(r.top_reach, 'pain')})" if r.top_process else "—",
            )
            for i, r in enumerate(rows, 1)
        ),
        keys=tuple(r.stage for r in rows),
        marked=frozenset(i for i, r in enumerate(rows) if heaviest and r.pain_weight == heaviest),
        empty="No stages yet.",
    )


MOMENT_MARK = "★"  # a moment of truth, on every screen and in every export


def at_stake_text(item: ToValidate) -> str:
    """``#1 −40%, #3 −100%`` (at most three): what the solutions lose if the pain is not real."""
    if not item.stakes:
        return "no ranked solution rests on it"
    shown = [f"#{s.rank} −{s.share:.0%}" for s in item.stakes[:3]]
    more = len(item.stakes) - 3
    return ", ".join(shown) + (f", +{more} more" if more > 0 else "")


VALIDATION_NOTE = (
    "Pains resting on an anecdote or an assumption nobody has checked with customers yet, the one "
    "the ranking leans on most first: what each ranked solution would lose if the pain is not real."
)

VALIDATION_EMPTY = "Nothing to validate: every pain rests on data or has been checked with customers."

VALIDATION_VIEW_COLUMNS = (
    Column("#", numeric=True),
    Column("In the customer's words", "Pain"),
    Column("Stage"),
    Column("Evidence"),
    Column("Score at stake", "At stake", numeric=True),
    Column("If not real"),
)


def validation_view(session: Session, ranking: Ranking, items: list[ToValidate] | None = None) -> TableView:
    """The pains to check with customers (:func:`cjmtui.core.validation.to_validate`, or
    ``items`` when already worked out), one row each; a pain at a moment of truth is marked ★
    after its stage."""
    names = Names(session)
    moments = moment_stages(session)
    if items is None:
        items = to_validate(session, ranking)
    return TableView(
        columns=VALIDATION_VIEW_COLUMNS,
        rows=tuple(
            (
                str(i),
                t.pain.text,
                names.stage(t.pain.stage) + (f" {MOMENT_MARK}" if t.pain.moment or t.pain.stage in moments else ""),
                t.pain.evidence,
                fmt_number(t.at_stake),
                at_stake_text(t),
            )
            for i, t in enumerate(items, 1)
        ),
        keys=tuple(t.pain.id for t in items),
        empty=VALIDATION_EMPTY,
    )
