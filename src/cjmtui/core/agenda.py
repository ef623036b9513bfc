"""The workshop's agenda and its timer, headless and with an injectable clock (tests never sleep)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from .model import AgendaItem, Progress, Session, Step

DEFAULT_AGENDA: tuple[tuple[Step, int], ...] = (
    ("persona", 15),
    ("stages", 20),
    ("pains", 30),
    ("processes", 30),
    ("solutions", 30),
    ("prioritise", 20),
)


def agenda_of(session: Session) -> list[AgendaItem]:
    """The session's agenda, or the default one when the file has none."""
    if session.agenda:
        return list(session.agenda)
    return [AgendaItem(step=step, minutes=minutes) for step, minutes in DEFAULT_AGENDA]


def format_clock(seconds: float) -> str:
    """``MM:SS`` (minutes past 99 keep counting), ``-MM:SS`` in overtime; rounded to the second."""
    whole = round(seconds)
    sign = "-" if whole < 0 else ""  # -0.4 s is "00:00", not "-00:00"
    whole = abs(whole)
    return f"{sign}{whole // 60:02d}:{whole % 60:02d}"


@dataclass
class Timer:
    """A timebox that counts down while running, and into overtime past zero (nothing stops)."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    _started: float | None = None
    _spent: float = 0.0

    @property
    def running(self) -> bool:
        return self._started is not None

    def elapsed(self) -> float:
        extra = self.clock() - self._started if self._started is not None else 0.0
        return self._spent + extra

    def remaining(self) -> float:
        """Seconds left; negative in overtime."""
        return self.seconds - self.elapsed()

    @property
    def overtime(self) -> bool:
        return self.remaining() < 0

    def start(self) -> None:
        if self._started is None:
            self._started = self.clock()

    def pause(self) -> None:
        if self._started is not None:
            self._spent += self.clock() - self._started
            self._started = None

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def extend(self, minutes: float) -> None:
        self.seconds += minutes * 60

    def reset(self, seconds: float) -> None:
        self.seconds = seconds
        self._spent = 0.0
        self._started = None

    def spend(self, seconds: float) -> None:
        """Count ``seconds`` as already spent (a step resumed after the app was reopened)."""
        self._spent += max(0.0, seconds)


def set_timebox(session: Session, step: str, minutes: int, note: str | None = None, *, actor: str | None) -> Session:
    """Change one step's timebox (the default agenda becomes the session's own on first change).
    The facilitator's only."""
    from .edit import ItemError, field_errors, require_facilitator

    require_facilitator(actor, "sets the agenda's timeboxes")

    items = agenda_of(session)
    if step not in {a.step for a in items}:
        try:  # a bad step or minutes is an ItemError here too, never a bare ValidationError
            items.append(AgendaItem.model_validate({"step": step, "minutes": minutes}))
        except ValidationError as exc:
            raise ItemError(field_errors(exc)) from None
    out = []
    for item in items:
        if item.step == step:
            data = item.model_dump()
            data["minutes"] = minutes
            if note is not None:
                data["note"] = note
            try:
                item = AgendaItem.model_validate(data)
            except ValidationError as exc:
                raise ItemError(field_errors(exc)) from None
        out.append(item)
    return session.model_copy(update={"agenda": out})


def set_progress(
    session: Session,
    step: str,
    spent: float,
    *,
    running_since: dt.datetime | None = None,
    extra: float = 0,
    actor: str | None,
) -> Session:
    """Record the agenda step being run and the seconds spent on it, rounded as the clock shows
    them (so a reopened timer reads what it read); with ``running_since`` (UTC) the timer runs
    on from that moment, so every screen reading the file counts down to the same deadline;
    ``extra``: seconds added to the step's timebox. A workshop still at the start of its first
    step has no progress (its file does not change). The facilitator's only."""
    from .edit import ItemError, field_errors, require_facilitator

    require_facilitator(actor, "runs the agenda and its timer")

    room = {
        k: v for k, v in session.progress.model_dump().items() if k not in ("step", "spent", "running_since", "extra")
    }
    spent, extra = max(0, round(spent)), max(0, round(extra))
    data: dict[str, object] = {"step": step, "spent": spent, "running_since": running_since, "extra": extra}
    if step == agenda_of(session)[0].step and spent <= 0 and running_since is None and extra <= 0:
        data = {}
    try:
        progress = Progress.model_validate({**room, **data})
    except ValidationError as exc:
        raise ItemError(field_errors(exc)) from None
    return session if progress == session.progress else session.model_copy(update={"progress": progress})


def timer_state(session: Session, now: dt.datetime) -> tuple[str, float, float, bool]:
    """The room's timer as the file says at wall-clock ``now`` (UTC): the step, its timebox in
    seconds (with the time added), the seconds spent, and whether it runs. Every screen computes
    the same from the same file, so the facilitator's and the participants' clocks agree."""
    agenda = agenda_of(session)
    progress = session.progress
    item = next((a for a in agenda if a.step == progress.step), agenda[0])
    spent = float(progress.spent)
    if progress.running_since is not None:
        spent += max(0.0, (now - progress.running_since).total_seconds())
    return item.step, item.minutes * 60 + progress.extra, spent, progress.running_since is not None
