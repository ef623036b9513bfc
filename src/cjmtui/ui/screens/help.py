"""Help: every key of the app and of the screen you came from, and the method in five questions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

METHOD = """The method (Level 1 customer journey mapping):
 1 Who is the customer? (personas)                  — screen 1
 2 What is the first step of their journey? Next?   — screen 2
 3 What do they experience there, in their words?   — screen 3
 4 Which internal process runs alongside, and why
   does the customer feel that pain? (root causes)  — screen 4
 5 What changes to those processes would fix it?    — screen 5
 Then rank: upstream quick wins that remove pain
 in many downstream stages first                    — screen 7"""


TRIAGE = """Triage while capturing: after the note's words, before Enter:
 pain      !43 severity 4, frequency 3 · @f persona
           #or the process that causes it
 gain      +Kind agent @f  (a leading + makes it a gain)
 process   @w owner · >fu the process it hands work to
 solution  #or the process it changes · @m owner
           !28 effort 2, confidence 0.8
 stage     /c phase · @sa owner
           ~-10 the personas' emotions in their order: -1, 0
           ~f-2s1 persona "f…" -2, persona "s…" +1
           signs alone (~f-2) go on the highlighted stage
 A sign matches the start of a word of a name, never of
 "and", "the", "of", "to", "a"…; when several match, a message
 says which one was taken. A sign that matches nothing yet
 waits on the item and is taken when a match is added
 (a hand-off to a process not captured yet).
 ctrl+↓ ctrl+↑ (or alt+↓ alt+↑): next, previous stage while
 capturing. E.g. “The form forgot my address!43@f#or”."""


def serving_lines(serving: Any) -> list[str]:
    """What F1 says about the room served over SSH (``cjmtui serve``; ``serving`` is the app's,
    None when the room is not served): how to join, who is in."""
    if serving is None:
        return []
    lines = [
        f"Participants join with:  {serving.join_line}   (their own name for NAME)",
        f"Room code (at the password prompt):  {serving.code}",
        f"Host key fingerprint (ssh shows it the first time):  {serving.fingerprint}",
    ]
    people = serving.connected()
    if people:
        who = ", ".join(
            f"{name} since {dt.datetime.fromtimestamp(since).strftime('%H:%M')}" + (" (stalled)" if stalled else "")
            for name, since, stalled in people
        )
        lines.append(f"Connected ({len(people)}): {who}")
    else:
        lines.append("Connected: nobody yet")
    lines.append("F10 ends the workshop for everyone: each participant's notes are saved, then they are told.")
    return lines


def binding_rows(screen: Screen[Any]) -> list[tuple[str, str, str]]:
    """(keys, what it does, where) for every active binding with a description, one row per action."""
    app = screen.app
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description:
            continue
        node = active.node
        where = "everywhere" if node is app else ("this screen" if node is screen else type(node).__name__)
        display = app.get_key_display(Binding(key, binding.action))
        what = f"{binding.description} — {binding.tooltip}" if binding.tooltip else binding.description
        keys = grouped.setdefault((where, what, binding.action), [])
        if display not in keys:
            keys.append(display)
    order = {"this screen": 0, "everywhere": 2}
    rows = [(" / ".join(keys), desc, where) for (where, desc, _action), keys in grouped.items()]
    rows.sort(key=lambda r: (order.get(r[2], 1), r[2], r[1]))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]], room: list[str] | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.room = room or []  # cjmtui serve: how participants join and who is connected

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", expand=True, show_lines=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action")
        table.add_column("Where", style="dim")
        for key, desc, where in self.rows:
            table.add_row(Text(key), Text(desc), Text(where))
        with VerticalScroll(id="help"):
            if self.room:
                yield Static(Text("\n".join(self.room)), id="help-room")
            yield Static(Text(METHOD))
            yield Static(table)
            yield Static(Text(TRIAGE))
            yield Static(
                Text(
                    "ctrl+p opens the command palette: every action, screen and item by name "
                    "(e.g. “go to stage Place order”). Quit with F10 (or ctrl+q): it saves first. "
                    "F1 or ? opens this help; Esc or q closes this help.",
                    style="italic",
                )
            )

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)
