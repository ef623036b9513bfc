"""Running the room: the agenda's timer, dot voting and the persona lens.

:class:`Room` is a controller the app owns: it keeps the agenda step, the timer and who is
voting, and says what the top bar shows about them (``app.status_extra``). The screens and the
app's actions call it; it changes the session only through ``app.apply`` (undo, autosave). It
sees the app as a :class:`~cjmtui.ui.host.Host`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import presence
from ..core.agenda import Timer, agenda_of, format_clock, set_progress, timer_state
from ..core.live import reveal, room_state, start_private_voting, start_silent_writing
from ..core.model import Participant, Persona, Session, get
from ..core.safety import printable
from ..core.vocab import STEP_TITLES
from ..core.voting import cast_vote, ensure_participant, votes_left
from .screens import mode_of_step

LIVE = {
    "silent": (
        start_silent_writing,
        "silent writing",
        "Each person sees only their own new notes until you reveal them (R).",
    ),
    "private": (
        start_private_voting,
        "private voting",
        "Each person sees only their own dots until you reveal the result (R).",
    ),
    "reveal": (reveal, "reveal", "Everyone now sees every note and every dot."),
}

if TYPE_CHECKING:
    from .host import Host


class Room:
    def __init__(self, app: Host, clock: Callable[[], float]) -> None:
        self.app = app
        self.timer = Timer(0.0, clock=clock)
        self.wall: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)  # the deadline's clock
        self.step_index = 0
        self.vote_table = "solutions"  # what the current voter's dots go on
        self._bell_rung = False
        self.present: list[str] = []  # who has the session open now (core.presence)
        self._here_path: Path | None = None
        self._here_problem: str | None = None  # why this person's heartbeat cannot be written (said once)
        self._room_state: tuple[Session | None, list[str]] = (None, [])  # (session, what the bar says)
        # The room's clock as this window last read or wrote it ([progress]): another facilitator
        # window's t, N or T shows as a change, and this window follows it.
        self._clock: tuple[object, ...] | None = None
        # This window last started, paused or moved the clock (or opened the session): leaving
        # pauses it. A window that follows another's clock leaves it running.
        self.runs_clock = True

    # The agenda and its timer -------------------------------------------------------------------

    @property
    def step(self) -> str:
        return agenda_of(self.app.session)[self.step_index].step

    def load_step(self, index: int, spent: float = 0.0) -> None:
        agenda = agenda_of(self.app.session)
        self.step_index = max(0, min(index, len(agenda) - 1))
        self.timer.reset(agenda[self.step_index].minutes * 60)
        self.timer.spend(spent)
        self._bell_rung = self.timer.remaining() <= 0
        self.tick()

    def follow(self) -> None:
        """Someone else's save taken in (or an undo, a reload): a participant's screen always
        follows the room; a facilitator's window follows the room's clock when another window
        changed it. Two windows used to keep a timer each, and the one that had not been used
        wrote its own back on leaving: the room's time spent went back to what it had seen."""
        if self.app.actor is not None:
            self.resume()
        elif self._clock is not None and _clock_of(self.app.session) != self._clock:
            self.resume()
            self.runs_clock = False

    def resume(self) -> None:
        """Where the room is (the session's ``[progress]``): its step, the time spent, the time
        added, and the timer running towards the same deadline as on every other screen, or paused."""
        session = self.app.session
        self._clock = _clock_of(session)
        step, seconds, spent, running = timer_state(session, self.wall())
        steps = [a.step for a in agenda_of(session)]
        self.load_step(steps.index(step) if step in steps else 0, spent)
        self.timer.seconds = seconds
        if running:
            self.timer.start()
        self._bell_rung = self.timer.remaining() <= 0
        self.tick()

    def record_progress(self, *, leaving: bool = False) -> None:
        """Keep the step, the time spent, the time added and whether the timer runs in the
        session (no undo step), so the participants' screens follow. Leaving pauses the timer:
        the room's clock is the facilitator's."""
        ws = self.app.workspace
        if ws is None or self.app.actor is not None:  # the facilitator's progress is the room's
            return
        if leaving and not self.runs_clock:  # another window runs the room's clock: it goes on
            return
        if leaving:
            self.timer.pause()
        agenda = agenda_of(ws.history.session)
        extra = self.timer.seconds - agenda[min(self.step_index, len(agenda) - 1)].minutes * 60
        since = self.wall() if self.timer.running else None
        with ws.history.lock:  # read and write together: a save thread may merge meanwhile
            ws.history.amend(
                set_progress(
                    ws.history.session,
                    self.step,
                    self.timer.elapsed(),
                    running_since=since,
                    extra=extra,
                    actor=self.app.actor,
                )
            )
            self._clock = _clock_of(ws.history.session)
        self.runs_clock = True
        if self.app.is_running and self.app.version != ws.history.version:
            self.app.version = ws.history.version  # saved soon, like any change

    def not_started(self) -> bool:
        """Whether the agenda has never run in this session: no step recorded, the clock untouched."""
        return self.app.session.progress.step is None and not self.timer.running and self.timer.elapsed() == 0

    def facilitating(self) -> bool:
        """The agenda and its timer are the facilitator's; a participant pressing their keys is told."""
        if self.app.actor is None:
            return True
        self.app.notify("Only the facilitator runs the agenda and its timer.", title="Not changed")
        return False

    def go_to_step(self, index: int, *, start: bool = True) -> None:
        """Make agenda step ``index`` current: its screen, its timebox (running if ``start``)."""
        if not self.facilitating():
            return
        self.load_step(index)
        if start:
            self.timer.start()
        self.record_progress()
        self.app.switch_mode(mode_of_step(self.step))
        self.tick()

    def run_step(self, index: int) -> None:
        """Enter on an agenda step: its screen, its timer running. The step already current keeps
        the time it has used (Enter takes the room back to it, never restarts its clock); another
        step starts its own timebox. Said with what ``t`` does next, so the two always agree."""
        if not self.facilitating():
            return
        if index != self.step_index:
            self.go_to_step(index)
        else:
            if not self.timer.running:
                self.timer.start()
                self.record_progress()
            self.app.switch_mode(mode_of_step(self.step))
            self.tick()
        self.app.notify(f"{STEP_TITLES[self.step]}: the timer runs. t pauses it, N goes to the next step.", timeout=3)

    def toggle_timer(self) -> None:
        if not self.facilitating():
            return
        self.timer.toggle()
        self.record_progress()
        self.tick()

    def extend(self, minutes: int = 5) -> None:
        if not self.facilitating():
            return
        self.timer.extend(minutes)
        if self.timer.remaining() > 0:
            self._bell_rung = False
        self.record_progress()
        self.app.notify(
            f"{STEP_TITLES[self.step]}: {minutes} more minutes ({format_clock(self.timer.remaining())} left)."
        )
        self.tick()

    def next_step(self) -> None:
        if not self.facilitating():
            return
        if self.step_index + 1 >= len(agenda_of(self.app.session)):
            self.app.notify("That was the last step of the agenda.")
            return
        self.go_to_step(self.step_index + 1)

    def set_timebox(self, step: str, minutes: int) -> None:
        """After the current step's timebox changed: the new length, keeping the time spent."""
        if step == self.step:
            self.timer.seconds = minutes * 60  # the time already spent, and running or not, stay
            if self.timer.remaining() > 0:
                self._bell_rung = False
            self.record_progress()
            self.tick()

    def tick(self) -> None:
        """Once a second: the timer in the top bar; a bell (once) when the timebox runs out."""
        if self.app.workspace is None:
            return
        remaining = self.timer.remaining()
        if self.timer.running and remaining <= 0 and not self._bell_rung:
            self._bell_rung = True
            self.app.bell()
            self.app.notify(
                f"Time is up for {STEP_TITLES[self.step]}. N: next step · T: 5 more minutes.",
                title="Timebox",
                severity="warning",
                timeout=10,
            )
        self.show_status()

    # Silent writing, private voting, the reveal --------------------------------------------------

    def change(self, change: str) -> None:
        """Start silent writing or private voting, or reveal: the facilitator's (the core refuses
        a participant); every screen follows through the file."""
        fn, label, message = LIVE[change]
        if self.app.apply(label, partial(fn, actor=self.app.actor)) is not None:
            self.app.notify(message, title=label.capitalize())
            self.show_status()

    # Who is here ---------------------------------------------------------------------------------

    def beat(self) -> None:
        """Every few seconds: say this person is in the session, and read who else is."""
        ws = self.app.workspace
        path = ws.path if ws is not None else None
        if self._here_path is not None and self._here_path != path:
            presence.leave(self._here_path, self.app.actor)
        self._here_path = path
        if path is None:
            self.present = []
            return
        problem = presence.beat(path, self.app.actor)
        if problem is not None and problem != self._here_problem:
            self.app.notify(problem, title="Others cannot see you are here", severity="warning", timeout=12)
        self._here_problem = problem
        self.present = presence.here(path)
        self.show_status()

    def leave(self) -> None:
        if self._here_path is not None:
            presence.leave(self._here_path, self.app.actor)
            self._here_path = None

    def status(self) -> str:
        """The top bar's room status, most needed first (a narrow terminal cuts the end): who you
        are (a participant), silent writing or private voting, step and clock, the room code
        (cjmtui serve), the persona lens, who is voting, who is here."""
        app = self.app
        session = app.session
        remaining = self.timer.remaining()
        clock = format_clock(remaining) if remaining >= 0 else "+" + format_clock(-remaining) + " over"
        parts = []
        if app.actor is not None:
            parts.append(f"as {app.actor}")
        whole = app.workspace.session if app.workspace else session  # private dots count too
        person = get(whole, Participant, app.voter)
        mine = person is not None and app.actor is not None and person.name.casefold() == app.actor.casefold()
        if person is not None and mine:  # a participant's own dots, first: a narrow bar cuts the end
            parts.append(f"{votes_left(whole, person.id, self.vote_table)} dots left")
        if self._room_state[0] is not whole:  # once per version: the status shows every second
            self._room_state = (whole, room_state(whole, app.actor))
        # Silent writing and private voting before the clock: a narrow bar cuts the end.
        parts.extend(self._room_state[1])
        clock_at = len(parts)
        title = STEP_TITLES[self.step]
        if self.not_started() and app.current_mode != mode_of_step(self.step):
            # The agenda has not started and another screen is shown (a mapped session opens on
            # its pains): the bar says which step comes first, not that the room is in it.
            parts.append(f"next: {title} {clock}")
        else:
            parts.append(f"{title} {clock}{'' if self.timer.running else ' (paused)'}")
        if app.persona_lens:
            persona = get(session, Persona, app.persona_lens)
            parts.append(f"lens: {persona.name if persona else app.persona_lens}")
        if person is not None and not mine:
            parts.append(f"voting: {person.name}, {votes_left(whole, person.id, self.vote_table)} left")
        serving = app.serving
        if serving is not None:  # cjmtui serve: who is connected (the server's own), the code to type
            people = [name + (" (stalled)" if stalled else "") for name, _since, stalled in serving.connected()]
            # "here: N" and the code right after the clock (an 80-column bar keeps them); the names last.
            parts[clock_at + 1 : clock_at + 1] = [f"here: {len(people)}", f"code {serving.code}"]
            if people:
                parts.append(", ".join(people[:3]) + (f" +{len(people) - 3}" if len(people) > 3 else ""))
        # Last, the first part a narrow terminal cuts: who else has the session open right now.
        elif len(self.present) > 1:
            shown = ", ".join(self.present[:3]) + (f" +{len(self.present) - 3}" if len(self.present) > 3 else "")
            parts.append(f"here: {shown}")
        return printable(" · ".join(parts))

    def show_status(self) -> None:
        if self.app.workspace is not None:
            self.app.status_extra = self.status()

    # Dot voting ---------------------------------------------------------------------------------

    def start_voting(self, table: str) -> None:
        """Ask who is voting (typed once); then + and - put and take back that person's dots."""
        from .screens.dialogs import AskName

        app = self.app
        names = ", ".join(p.name for p in app.session.participants[:8])
        hint = f" (so far: {names})" if names else ""

        def chosen(name: str | None) -> None:
            if not name:
                return
            person = app.apply(f"add participant {name}", partial(ensure_participant, actor=app.actor), name)
            if not isinstance(person, Participant):
                return
            self.vote_table = table
            app.voter = person.id
            budget = app.session.session.vote_budget
            app.notify(
                f"{name} is voting ({budget} dots each on {table}): + adds, - takes back, v changes voter, "
                "Esc ends voting."
            )

        if app.actor is not None:  # a participant who joined votes with their own dots
            chosen(app.actor)
            return
        app.push_screen(AskName(f"Who is voting?{hint}", ""), chosen)

    def stop_voting(self) -> None:
        self.app.voter = None

    def vote(self, item_id: str, delta: int) -> None:
        app = self.app
        if app.voter is not None:
            app.apply(
                "vote" if delta > 0 else "take back a vote",
                partial(cast_vote, actor=app.actor),
                app.voter,
                self.vote_table,
                item_id,
                delta,
            )

    # The persona lens ---------------------------------------------------------------------------

    def set_lens(self, persona_id: str | None) -> None:
        app = self.app
        app.persona_lens = persona_id
        persona = get(app.session, Persona, persona_id)
        app.notify(f"Persona lens: {persona.name if persona else 'everyone'}")

    def cycle_lens(self) -> None:
        ids = [None, *(p.id for p in self.app.session.personas)]
        current = ids.index(self.app.persona_lens) if self.app.persona_lens in ids else 0
        self.set_lens(ids[(current + 1) % len(ids)])


def _clock_of(session: Session) -> tuple[object, ...]:
    """What of ``[progress]`` is the room's clock: the step, the time spent and added, since when it runs."""
    progress = session.progress
    return (progress.step, progress.spent, progress.running_since, progress.extra)
