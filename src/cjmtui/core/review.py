"""The review meeting: weeks after the workshop, are the fixes the room chose getting done, and
are the pains they were meant to remove gone?

:func:`review` reads a session as of a day (``as_of``, usually today) and lists:

- **overdue**: solutions with a ``due`` date before that day that are neither done nor dropped;
- **due for review**: solutions whose ``review`` date is that day or earlier (any status) and
  that no review has looked at since (``reviewed`` before ``review``, or not set);
  ``cjmtui review --record`` sets ``reviewed`` to the meeting's day for each of them, so a
  fix reviewed once stops being due until someone gives it a later ``review`` date;
- **done since the last review**: solutions marked done after ``since`` and up to that day,
  by the dates in their status history. ``since`` is the day of the last review meeting
  (``cjmtui review --since``); without one, the workshop's date (``[session] date``); without
  that either, every done solution counts (the first review meeting). A solution marked done
  with no recorded day (a file from before the history) is listed in the first review only;
- for each of those done solutions, the pains it was meant to remove (the pains its target
  processes cause directly: its own links), apart from the pains it also reaches downstream
  (the ranking's reach through handoffs, :mod:`cjmtui.core.scoring`), and, given a later
  session of the same journey, whether each is gone from it or still there
  (the current/future comparison of :mod:`cjmtui.core.future`: a pain is gone when the later
  session no longer has it as a pain, matched by id).

Pure functions; the command line (``cjmtui review``) and the TUI's review view print them
(:mod:`cjmtui.core.export.review` renders the tables, Markdown and JSON).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import CjmError
from .future import changed_pains
from .model import Session, Solution
from .scoring import Graph
from .values import FIRST_YEAR, LAST_YEAR
from .views import Names

GONE = "gone"
STILL_THERE = "still there"
CLOSED = ("done", "dropped")  # statuses that are never overdue


def parse_day(text: str, option: str) -> dt.date:
    """A day typed on the command line (``YYYY-MM-DD``), or :class:`CjmError` naming ``option``."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CjmError(f"{option} {text!r}: not a date; write it like 2026-11-22") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CjmError(f"{option} {text!r}: a date from the year {FIRST_YEAR} to {LAST_YEAR}, please")
    return day


@dataclass(frozen=True)
class PainCheck:
    """A pain a done solution was meant to remove; ``state`` is :data:`GONE` or
    :data:`STILL_THERE` in the later session, or ``None`` when there is none to compare with."""

    id: str
    text: str
    stage: str  # the stage's name
    state: str | None = None
    direct: bool = True  # caused by a target process itself (False: reached downstream, through handoffs)


@dataclass(frozen=True)
class ReviewRow:
    id: str
    text: str
    status: str
    owner: str  # the owning department's name, or ""
    due: dt.date | None
    review: dt.date | None
    done_on: dt.date | None  # the day it was last marked done (None: not recorded)
    reviewed: dt.date | None = None  # the day a review meeting last looked at it
    pains: tuple[PainCheck, ...] = ()  # for a done solution: the pains it was meant to remove


@dataclass(frozen=True)
class Review:
    as_of: dt.date
    since: dt.date | None
    since_from: str  # where ``since`` came from: "--since", "the workshop's date" or ""
    overdue: tuple[ReviewRow, ...]
    due_for_review: tuple[ReviewRow, ...]
    done_since: tuple[ReviewRow, ...]
    compared: bool  # a later session was compared (each pain says gone or still there)

    @property
    def since_text(self) -> str:
        """``"since 2026-11-22 (the workshop's date)"``, or ``"so far"`` for a first review."""
        if self.since is None:
            return "so far"
        return f"since {self.since.isoformat()} ({self.since_from})"


def _row(solution: Solution, names: Names, pains: tuple[PainCheck, ...] = ()) -> ReviewRow:
    return ReviewRow(
        id=solution.id,
        text=solution.text,
        status=solution.status,
        owner=names.department(solution.owner) if solution.owner else "",
        due=solution.due,
        review=solution.review,
        done_on=solution.done_on(),
        reviewed=solution.reviewed,
        pains=pains,
    )


def _done_since(solution: Solution, since: dt.date | None, first: bool, as_of: dt.date) -> bool:
    """Marked done after ``since`` (if any), up to ``as_of``. A done solution whose day was not
    recorded (a file older than the history) counts in the first review only (``first``)."""
    if solution.status != "done":
        return False
    day = solution.done_on()
    if day is None:
        return first
    return (since is None or since < day) and day <= as_of


def is_due_for_review(solution: Solution, as_of: dt.date) -> bool:
    """Its review date has come (``as_of`` or earlier) and no review has looked at it since."""
    if solution.review is None or solution.review > as_of:
        return False
    return solution.reviewed is None or solution.reviewed < solution.review


def record_review(session: Session, result: Review) -> Session:
    """``session`` with ``reviewed`` set to the meeting's day on every solution due for review."""
    due = {r.id for r in result.due_for_review}
    solutions = [s.model_copy(update={"reviewed": result.as_of}) if s.id in due else s for s in session.solutions]
    return session.model_copy(update={"solutions": solutions})


def review(session: Session, as_of: dt.date, since: dt.date | None = None, later: Session | None = None) -> Review:
    """What a review meeting on ``as_of`` goes through (see the module's text). ``since``: the
    last review's day (default: the workshop's date); ``later``: a later session to check the
    pains against."""
    since_from = "--since" if since is not None else ""
    if since is None and session.session.date is not None:
        since, since_from = session.session.date, "the workshop's date"
    names = Names(session)
    overdue = sorted(
        (s for s in session.solutions if s.due is not None and s.due < as_of and s.status not in CLOSED),
        key=lambda s: s.due or as_of,
    )
    to_review = sorted((s for s in session.solutions if is_due_for_review(s, as_of)), key=lambda s: s.review or as_of)
    first = since_from != "--since"
    done = [s for s in session.solutions if _done_since(s, since, first, as_of)]
    gone = set(changed_pains(session, later)[0]) if later is not None else set()
    graph = Graph(session)
    checked: dict[frozenset[str], tuple[PainCheck, ...]] = {}  # many fixes target the same processes
    done_rows = []
    for sol in done:
        key = frozenset(sol.targets)
        if key not in checked:
            checked[key] = tuple(
                PainCheck(
                    r.pain,
                    names.pain(r.pain),
                    names.stage(r.stage),
                    None if later is None else GONE if r.pain in gone else STILL_THERE,
                    direct=r.hops == 0,
                )
                for r in sorted(graph.reach(sol.targets)[2], key=lambda r: r.hops != 0)
            )
        done_rows.append(_row(sol, names, checked[key]))
    return Review(
        as_of=as_of,
        since=since,
        since_from=since_from,
        overdue=tuple(_row(s, names) for s in overdue),
        due_for_review=tuple(_row(s, names) for s in to_review),
        done_since=tuple(done_rows),
        compared=later is not None,
    )


def days_late(row: ReviewRow, as_of: dt.date) -> int:
    """How many days past its due date ``row`` is on ``as_of`` (0 without a due date)."""
    return (as_of - row.due).days if row.due is not None else 0
