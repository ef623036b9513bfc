"""The app's keys: every key that works on every screen, with an id and a tooltip.

Screens add their own (``BINDINGS`` on each screen class); the number keys come from the screen
registry (:data:`cjmtui.ui.screens.SCREENS`). The key bar, the help screen and the palette all
read the active bindings, so a key described here is described everywhere.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from .screens import SCREENS

SCREENS_GROUP = Binding.Group("Screens", compact=True)
TIMER_GROUP = Binding.Group("Timer", compact=True)
ROOM_GROUP = Binding.Group("Room", compact=True)

APP_BINDINGS: list[BindingType] = [
    *(
        Binding(s.key, f"switch_mode('{s.mode}')", s.label, id=f"screen.{s.mode}", group=SCREENS_GROUP, tooltip=s.title)
        for s in SCREENS.values()
    ),
    Binding(
        "t",
        "timer",
        "Start/pause",
        id="timer.toggle",
        group=TIMER_GROUP,
        tooltip="Start or pause the timebox of the current agenda step",
    ),
    Binding(
        "T",
        "extend",
        "+5 min",
        id="timer.extend",
        group=TIMER_GROUP,
        tooltip="Add 5 minutes to the timebox of the current agenda step",
    ),
    Binding(
        "N",
        "next_step",
        "Next step",
        id="timer.next",
        group=TIMER_GROUP,
        tooltip="Next agenda step: its screen and its timebox",
    ),
    Binding(
        "W",
        "room('silent')",
        "Silent writing",
        id="room.silent",
        group=ROOM_GROUP,
        show=False,
        tooltip="Silent writing: each person sees only their own new notes until the reveal (facilitator)",
    ),
    Binding(
        "V",
        "room('private')",
        "Private voting",
        id="room.private",
        group=ROOM_GROUP,
        show=False,
        tooltip="Private voting: each person sees only their own dots until the reveal (facilitator)",
    ),
    Binding(
        "R",
        "room('reveal')",
        "Reveal",
        id="room.reveal",
        group=ROOM_GROUP,
        show=False,
        tooltip="Reveal every note and every dot: ends silent writing and private voting (facilitator)",
    ),
    Binding("p", "park", "Park", id="app.park", tooltip="Park an off-topic point (with the current stage)"),
    Binding("L", "cycle_lens", "Lens", id="app.lens", tooltip="Persona lens: everyone → each persona"),
    Binding(
        "S",
        "settings",
        "Session details",
        id="app.settings",
        show=False,
        tooltip="Title, journey, date, dots per participant, ranking weights",
    ),
    Binding("u,ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last change (100 steps)"),
    Binding("U,ctrl+y", "redo", "Redo", id="app.redo", show=False, tooltip="Redo what was undone"),
    Binding(
        "f1",
        "help",
        "Help",
        id="app.help",
        priority=True,
        key_display="F1",
        tooltip="Every key, and the method in five questions",
    ),
    Binding("question_mark", "help", "Help", id="app.help_alt", show=False),
    Binding("f2,ctrl+s", "save", "Save", id="app.save", show=False, tooltip="It saves by itself; this saves now"),
    Binding("f10,ctrl+q", "quit", "Quit", id="app.quit", priority=True, key_display="F10", tooltip="Save and quit"),
]
