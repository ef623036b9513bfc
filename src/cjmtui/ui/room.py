"""Running the room: the agenda's timer, dot voting, the persona lens and the parking lot."""

from __future__ import annotations

import contextlib

from ..core.agenda import agenda_of, format_clock
from ..core.vocab import STEP_TITLES
from ..core.model import find
from ..core.safety import printable

# Which screen each agenda step is run on.
STEP_MODE = {
    "persona": "personas",
    "stages": "stages",
    "pains": "pains",
    "processes": "processes",
    "solutions": "solutions",
    "prioritise": "summary",
}


class RoomMixin:
    """Part of :class:`CjmApp`: keeps time, takes votes, parks points, applies the persona lens."""

    def _load_step(self, index: int) -> None:
        agenda = agenda_of(self.session)
        self.step_index = max(0, min(index, len(agenda) - 1))
        self.timer.reset(agenda[self.step_index].minutes * 60)
        self._bell_rung = False
        self.tick()

    @property
    def step(self) -> str:
        return agenda_of(self.session)[self.step_index].step

    def go_to_step(self, index: int, *, start: bool = True) -> None:
        """Make agenda step ``index`` current: its screen, its timebox (running if ``start``)."""
        self._load_step(index)
        if start:
            self.timer.start()
        self.switch_mode(STEP_MODE[self.step])
        self.tick()

    def action_timer(self) -> None:
        if self.workspace is None:
            return
        self.timer.toggle()
        self.tick()

    def action_extend(self) -> None:
        if self.workspace is None:
            return
        self.timer.extend(5)
        if self.timer.remaining() > 0:
            self._bell_rung = False
        self.notify(f"{STEP_TITLES[self.step]}: 5 more minutes ({format_clock(self.timer.remaining())} left).")
        self.tick()

    def action_next_step(self) -> None:
        if self.workspace is None:
            return
        agenda = agenda_of(self.session)
        if self.step_index + 1 >= len(agenda):
            self.notify("That was the last step of the agenda.")
            return
        self.go_to_step(self.step_index + 1)

    def tick(self) -> None:
        """Once a second: the timer in the top bar; a bell (once) when the timebox runs out."""
        if self.workspace is None:
            return
        remaining = self.timer.remaining()
        if self.timer.running and remaining <= 0 and not self._bell_rung:
            self._bell_rung = True
            self.bell()
            self.notify(f"Time is up for {STEP_TITLES[self.step]}. N: next step · T: 5 more minutes.",
                        title="Timebox", severity="warning", timeout=10)
        self._update_extra()

    def _update_extra(self) -> None:
        if self.workspace is None:
            return
        parts = []
        remaining = self.timer.remaining()
        clock = format_clock(remaining) if remaining >= 0 else "+" + format_clock(-remaining) + " over"
        state = "" if self.timer.running else " (paused)"
        parts.append(f"{STEP_TITLES[self.step]} {clock}{state}")
        if self.persona_lens:
            persona = find(self.session, "personas", self.persona_lens)
            parts.append(f"lens: {persona.name if persona else self.persona_lens}")
        if self.voter:
            from ..core.voting import votes_left

            person = find(self.session, "participants", self.voter)
            if person is not None:
                table = "pains" if getattr(self.screen, "TABLE", "") == "pains" else "solutions"
                parts.append(f"voting: {person.name}, {votes_left(self.session, self.voter, table)} left")
        self.status_extra = printable(" · ".join(parts))

    def watch_voter(self) -> None:
        self._update_extra()

    def watch_persona_lens(self) -> None:
        self._update_extra()


    def action_cycle_lens(self) -> None:
        if self.workspace is None:
            return
        ids = [None, *(p.id for p in self.session.personas)]
        current = ids.index(self.persona_lens) if self.persona_lens in ids else 0
        self.set_lens(ids[(current + 1) % len(ids)])

    def action_park(self) -> None:
        action = getattr(self.screen, "action_park", None)
        if action:
            action()

    def start_voting(self, table: str) -> None:
        """Ask who is voting (typed once); then + and - put and take back that person's dots."""
        from ..core.voting import ensure_participant
        from .screens.dialogs import AskName

        names = ", ".join(p.name for p in self.session.participants[:8])
        hint = f" (so far: {names})" if names else ""

        def chosen(name: str | None) -> None:
            if not name:
                return
            item = self.apply(f"add participant {name}", ensure_participant, name)
            if item is None:
                return
            self.voter = item.id if hasattr(item, "id") else None
            budget = self.session.session.vote_budget
            self.notify(f"{name} is voting ({budget} dots each on {table}): + adds, - takes back, v changes voter, "
                        "Esc ends voting.")
            with contextlib.suppress(Exception):
                self.screen.refresh_bindings()

        self.push_screen(AskName(f"Who is voting?{hint}", ""), chosen)

    def stop_voting(self) -> None:
        self.voter = None
        with contextlib.suppress(Exception):
            self.screen.refresh_bindings()

    def vote(self, table: str, item_id: str, delta: int) -> None:
        from ..core.voting import cast_vote

        if self.voter is None:
            return
        self.apply("vote" if delta > 0 else "take back a vote", cast_vote, self.voter, table, item_id, delta)

    def set_lens(self, persona_id: str | None) -> None:
        self.persona_lens = persona_id
        persona = find(self.session, "personas", persona_id) if persona_id else None
        self.notify(f"Persona lens: {persona.name if persona else 'everyone'}", markup=False)

    def action_voting(self) -> None:
        if getattr(self.screen, "TABLE", "") not in ("pains", "solutions"):
            self.switch_mode("solutions")
            self.call_after_refresh(lambda: self.start_voting("solutions"))
            return
        self.start_voting(self.screen.TABLE)  # type: ignore[attr-defined]

