"""9 Agenda: the workshop's steps with their timeboxes; Enter runs a step (its screen and its timer)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...core.agenda import agenda_of, format_clock, set_timebox
from ...core.vocab import STEP_TITLES
from ..text import plain
from ..widgets.itemtable import Cell, ItemTable
from .base import WorkshopScreen


class AgendaScreen(WorkshopScreen):
    MODE = "agenda"
    BINDINGS = [
        Binding("e", "edit", "Timebox", id="agenda.edit", tooltip="Change the minutes of the highlighted step"),
    ]

    def compose_body(self) -> ComposeResult:
        yield ItemTable([("", 2), ("Step", None), ("Minutes", 8), ("Left", 10), ("Note", None)], id="agenda")
        yield Static("", id="agenda-detail", classes="detail")

    @property
    def table(self) -> ItemTable:
        return self.query_one("#agenda", ItemTable)

    def focus_main(self) -> None:
        self.table.focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.table.focus()

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "status_extra", self._clock_moved, init=False)

    def _clock_moved(self) -> None:
        if self.is_current:
            self.refresh_view()  # the timer's "Left" column follows the clock

    def refresh_view(self) -> None:
        rows: list[tuple[str, list[Cell]]] = []
        for index, item in enumerate(agenda_of(self.session)):
            current = index == self.cjm.room.step_index
            left = format_clock(self.cjm.room.timer.remaining()) if current else ""
            rows.append(
                (
                    item.step,
                    [
                        Text("►" if current else ("✓" if index < self.cjm.room.step_index else ""), style="bold"),
                        Text(STEP_TITLES[item.step], style="bold" if current else ""),
                        str(item.minutes),
                        left,
                        plain(item.note),
                    ],
                )
            )
        self.table.set_rows(rows)
        total = sum(item.minutes for item in agenda_of(self.session))
        self.query_one("#agenda-detail", Static).update(
            Text.assemble(
                (f"Total {total // 60} h {total % 60:02d} min. ", "bold"),
                "t starts or pauses the timer · T adds 5 minutes · N goes to the next step · "
                "at zero a bell rings and the timer runs on in overtime.",
            )
        )

    @on(DataTable.RowSelected, "#agenda")
    def _run(self) -> None:
        step = self.table.current_id
        steps = [item.step for item in agenda_of(self.session)]
        if step in steps:
            self.cjm.room.run_step(steps.index(step))

    def action_edit(self) -> None:
        from .dialogs import AskName

        item = next((a for a in agenda_of(self.session) if a.step == self.table.current_id), None)
        if item is None:
            return
        step = item.step

        def chosen(value: str | None) -> None:
            if value is None:
                return
            try:
                minutes = int(value)
            except ValueError:
                self.notify(f"{value!r} is not a whole number of minutes.", severity="error")
                return
            if self.cjm.apply(f"timebox {step}", partial(set_timebox, actor=self.cjm.actor), step, minutes):
                self.cjm.room.set_timebox(step, minutes)

        self.app.push_screen(AskName(f"Minutes for {STEP_TITLES[step]}", str(item.minutes)), chosen)
