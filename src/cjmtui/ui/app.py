"""The cjmtui application: screens per step of the method, autosave, signals, themes, palette."""

from __future__ import annotations

import asyncio
import importlib
import contextlib
import gc
import datetime as dt
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from ..core.agenda import STEP_TITLES, Timer, agenda_of, format_clock
from ..core.edit import SINGULAR, ItemError, add_item, update_item
from ..core.errors import CjmError, EditError, ExportError
from ..core.model import Item, Session, SessionInfo, find, item_label
from ..core.safety import printable, safe_filename, safe_output_path
from ..core.scoring import rank
from ..core.settings import load_settings, save_setting
from ..core.store import Fingerprint, current_fingerprint
from ..core.workspace import SaveResult, Workspace
from .commands import CjmCommands
from .text import clip, plain
from .themes import DEFAULT_THEME, load_themes

# Screens and dialogs are imported when first shown: start-up only pays for the first screen.

AUTOSAVE_DELAY = 0.3  # seconds after the last change; well within the one-second promise
DISK_CHECK_INTERVAL = 2.0
HARD_EXIT_AFTER = 4.0  # after SIGHUP/SIGTERM, never linger on a dead terminal longer than this
SIGNAL_GRACE = 0.2  # after SIGHUP/SIGTERM, let keys already typed land before saving

SCREENS_GROUP = Binding.Group("Screens", compact=True)

SCREENS: dict[str, tuple[str, str, str]] = {
    # mode: (module, class, title)
    "personas": ("lists", "PersonasScreen", "1 Persona"),
    "stages": ("lists", "StagesScreen", "2 Stages"),
    "pains": ("lists", "PainsScreen", "3 Pain points"),
    "processes": ("lists", "ProcessesScreen", "4 Internal processes"),
    "solutions": ("lists", "SolutionsScreen", "5 Solutions"),
    "map": ("map", "MapScreen", "6 Map"),
    "summary": ("summary", "SummaryScreen", "7 Summary"),
    "departments": ("lists", "DepartmentsScreen", "8 Departments"),
    "agenda": ("agenda", "AgendaScreen", "9 Agenda"),
    "parking": ("lists", "ParkingScreen", "0 Parking lot"),
}
# Which screen each agenda step is run on.
STEP_MODE = {
    "persona": "personas",
    "stages": "stages",
    "pains": "pains",
    "processes": "processes",
    "solutions": "solutions",
    "prioritise": "summary",
}
TIMER_GROUP = Binding.Group("Timer", compact=True)


def _screen_factory(mode: str):  # noqa: ANN202
    module_name, class_name, _title = SCREENS[mode]

    def make():  # noqa: ANN202
        module = importlib.import_module(f"cjmtui.ui.screens.{module_name}")
        return getattr(module, class_name)()

    return make


MODE_OF_TABLE = {
    "personas": "personas",
    "stages": "stages",
    "pains": "pains",
    "processes": "processes",
    "solutions": "solutions",
    "departments": "departments",
    "participants": "solutions",
    "parking": "parking",
}


class CjmApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "cjmtui"
    MODES: ClassVar[dict[str, Any]] = {mode: _screen_factory(mode) for mode in SCREENS}
    COMMANDS = App.COMMANDS | {CjmCommands}
    SCREEN_TITLES: ClassVar[dict[str, str]] = {mode: title for mode, (_m, _c, title) in SCREENS.items()}
    PALETTE_ACTIONS: ClassVar[list[tuple[str, str, str]]] = [
        ("Undo", "undo", "Undo the last change"),
        ("Redo", "redo", "Redo what was undone"),
        ("Save now", "save", "Write the session file now (it also saves by itself)"),
        ("Save as…", "save_as", "Save to a new file and continue there"),
        ("Export ranked quick wins…", "export", "Write md, html (a one-file report), csv or json"),
        ("Copy ranked list as Markdown", "copy_ranking", "To the clipboard (OSC 52 works over SSH)"),
        ("Session details and ranking weights…", "settings", "Title, journey, date, dots per participant, weights"),
        ("Quick capture", "capture", "Add notes on this screen, one per Enter"),
        ("Park an off-topic point", "park", "To the parking lot, with the current stage"),
        ("Start or pause the timer", "timer", "The timebox of the current agenda step"),
        ("Add 5 minutes to the timebox", "extend", "The current agenda step runs longer"),
        ("Next agenda step", "next_step", "Its screen and its timebox"),
        ("Dot voting", "voting", "On the solutions or pains screen: who votes, then + and -"),
        ("Derive future-state session", "derive_future", "A copy marked future state that remembers this one"),
        ("Edit the highlighted item", "on_screen('edit')", "Every field, validated"),
        ("Delete the highlighted item", "on_screen('delete')", "u undoes it"),
        ("Link causes of the highlighted item", "on_screen('links')", "On the pains, processes or solutions screen"),
        ("Handoffs of the highlighted process", "on_screen('feeds')", "On the processes screen"),
        ("Previous stage", "on_screen('stage', -1)", "On the pains and processes screens"),
        ("Next stage", "on_screen('stage', 1)", "On the pains and processes screens"),
        ("Next summary view", "on_screen('next_view')", "Ranking, matrix, root causes, friction, emotion, compare"),
        ("Change persona lens", "cycle_lens", "Everyone → each persona"),
        ("Keys and help", "help", "Every key, and the method in five questions"),
        ("Open another session", "open_picker", "The session picker"),
        ("Quit (saves first)", "quit", "Save and leave"),
    ]

    BINDINGS = [
        Binding("1", "switch_mode('personas')", "Persona", id="screen.personas", group=SCREENS_GROUP),
        Binding("2", "switch_mode('stages')", "Stages", id="screen.stages", group=SCREENS_GROUP),
        Binding("3", "switch_mode('pains')", "Pains", id="screen.pains", group=SCREENS_GROUP),
        Binding("4", "switch_mode('processes')", "Processes", id="screen.processes", group=SCREENS_GROUP),
        Binding("5", "switch_mode('solutions')", "Solutions", id="screen.solutions", group=SCREENS_GROUP),
        Binding("6", "switch_mode('map')", "Map", id="screen.map", group=SCREENS_GROUP),
        Binding("7", "switch_mode('summary')", "Summary", id="screen.summary", group=SCREENS_GROUP),
        Binding("8", "switch_mode('departments')", "Departments", id="screen.departments", group=SCREENS_GROUP),
        Binding("9", "switch_mode('agenda')", "Agenda", id="screen.agenda", group=SCREENS_GROUP),
        Binding("0", "switch_mode('parking')", "Parking lot", id="screen.parking", group=SCREENS_GROUP),
        Binding("t", "timer", "Start/pause", id="timer.toggle", group=TIMER_GROUP,
                tooltip="Start or pause the timebox of the current agenda step"),
        Binding("T", "extend", "+5 min", id="timer.extend", group=TIMER_GROUP),
        Binding("N", "next_step", "Next step", id="timer.next", group=TIMER_GROUP,
                tooltip="Next agenda step: its screen and its timebox"),
        Binding("p", "park", "Park", id="app.park", tooltip="Park an off-topic point (with the current stage)"),
        Binding("L", "cycle_lens", "Lens", id="app.lens", tooltip="Persona lens: everyone → each persona"),
        Binding("S", "settings", "Session details", id="app.settings", show=False,
                tooltip="Title, journey, date, dots per participant, ranking weights"),
        Binding("u,ctrl+z", "undo", "Undo", id="app.undo", tooltip="Undo the last change (100 steps)"),
        Binding("U,ctrl+y", "redo", "Redo", id="app.redo", show=False),
        Binding("f1", "help", "Help", id="app.help", priority=True, key_display="F1"),
        Binding("question_mark", "help", "Help", id="app.help_alt", show=False),
        Binding("f2,ctrl+s", "save", "Save", id="app.save", show=False, tooltip="It saves by itself; this saves now"),
        Binding("f10,ctrl+q", "quit", "Quit", id="app.quit", priority=True, key_display="F10",
                tooltip="Save and quit"),
    ]

    version: reactive[int] = reactive(0, init=False)
    stage_id: reactive[str | None] = reactive(None, init=False)
    persona_lens: reactive[str | None] = reactive(None, init=False)
    save_state: reactive[str] = reactive("", init=False)
    save_ok: reactive[bool] = reactive(True, init=False)
    status_extra: reactive[str] = reactive("", init=False)  # timer, lens, voter: shown in the top bar
    voter: reactive[str | None] = reactive(None, init=False)  # participant id while dot voting

    def __init__(self, workspace: Workspace | None, sessions_dir: Path, *, watch_disk: bool = True,
                 handle_signals: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.clock = clock
        self.now = dt.datetime.now  # the wall clock shown in "saved HH:MM:SS" (tests fix it)
        self.step_index = 0
        self.timer = Timer(0.0, clock=clock)
        self._bell_rung = False
        self.workspace = workspace
        self.sessions_dir = Path(sessions_dir)
        self.watch_disk = watch_disk
        self.handle_signals = handle_signals
        self._save_timer = None
        self._saving = False
        self._paused_reason: str | None = None  # autosave held back until the user decides
        self._disk_stat: tuple[int, int] | None = None
        self._conflict_open = False
        self._exiting = False
        self.pending_select: tuple[str, str] | None = None  # (table, id) the palette asked to show
        self._rescued: tuple[int, Path] | None = None  # (version, where) of the last rescue copy
        self._theme_errors: list[str] = []
        themes, self._theme_errors = load_themes()
        for theme in themes:
            self.register_theme(theme)
        wanted = load_settings().get("theme", DEFAULT_THEME)
        for name in (wanted, DEFAULT_THEME, "textual-dark"):
            if name in self.available_themes:
                self.theme = name
                break

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None, markup=False):  # noqa: ANN001, ANN201
        """Every notification shows its text literally: paths and notes may hold markup or escapes."""
        return super().notify(
            printable(str(message), single_line=False), title=printable(title), severity=severity,
            timeout=timeout, markup=False,
        )

    # Session access -------------------------------------------------------------------------

    @property
    def session(self) -> Session:
        assert self.workspace is not None
        return self.workspace.session

    def on_mount(self) -> None:
        for message in self._theme_errors:
            self.notify(message, title="Theme not loaded", severity="warning", markup=False, timeout=8)
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, self._on_signal, sig)
        if self.workspace is None:
            from .screens.picker import PickerScreen

            self.push_screen(PickerScreen(self.sessions_dir))
        else:
            self._start_workspace()
        if self.watch_disk:
            self.set_interval(DISK_CHECK_INTERVAL, self._check_disk)
        self.set_interval(1.0, self.tick)

    def _start_workspace(self) -> None:
        ws = self.workspace
        assert ws is not None
        other = ws.acquire()
        if other is not None:
            self.notify(
                f"This session is also open in {other.describe()}. cjmtui never overwrites their "
                "saved changes silently: if both edit, the second save is stopped and you choose.",
                title="Open elsewhere too",
                severity="warning",
                markup=False,
                timeout=12,
            )
        self._remember_disk()
        self.save_state = "saved" if not ws.dirty else "unsaved"
        self.title = f"cjmtui — {ws.path.name}"
        self.ensure_stage()
        self.version = ws.history.version
        self._load_step(0)
        self.switch_mode("stages" if not self.session.stages else "pains")

    def open_workspace(self, workspace: Workspace) -> None:
        """Called by the session picker."""
        self.workspace = workspace
        self._start_workspace()

    # Agenda and timer -----------------------------------------------------------------------

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
            from ..core.edit import votes_left

            person = find(self.session, "participants", self.voter)
            if person is not None:
                table = "pains" if getattr(self.screen, "TABLE", "") == "pains" else "solutions"
                parts.append(f"voting: {person.name}, {votes_left(self.session, self.voter, table)} left")
        self.status_extra = printable(" · ".join(parts))

    def watch_voter(self) -> None:
        self._update_extra()

    def watch_persona_lens(self) -> None:
        self._update_extra()

    def watch_theme(self, theme: str) -> None:
        if self.is_running:
            save_setting("theme", theme)

    # Editing --------------------------------------------------------------------------------

    def apply(self, label: str, fn, *args: Any) -> Any:  # noqa: ANN001
        """Run a core edit on the session; on success record it (undo) and save soon."""
        assert self.workspace is not None
        try:
            result = fn(self.session, *args)
        except EditError as exc:
            self.notify(str(exc), title="Not changed", severity="error", markup=False)
            return None
        session, item = result if isinstance(result, tuple) else (result, True)
        self.workspace.history.apply(label, session)
        self.version = self.workspace.history.version
        return item

    def add(self, table: str, fields: dict[str, Any]) -> Item | None:
        item = self.apply(f"add {SINGULAR[table]}", add_item, table, fields)
        if isinstance(item, Item):
            with contextlib.suppress(Exception):
                self.screen.select(item.id)  # type: ignore[attr-defined]
            return item
        return None

    def add_parked(self, text: str) -> Item | None:
        fields: dict[str, Any] = {"text": text}
        if self.stage_id and find(self.session, "stages", self.stage_id):
            fields["stage"] = self.stage_id
        item = self.apply("park a point", add_item, "parking", fields)
        if isinstance(item, Item):
            self.notify("Parked. Review it on the parking lot (0).", timeout=2)
            if getattr(self.screen, "TABLE", "") == "parking":
                self.screen.select(item.id)  # type: ignore[attr-defined]
            return item
        return None

    def update(self, table: str, item_id: str, changes: dict[str, Any]) -> Item | None:
        return self.apply(f"edit {SINGULAR[table]}", update_item, table, item_id, changes)

    def ensure_stage(self) -> None:
        if self.workspace is None:
            return
        stages = self.session.stages
        if self.stage_id is None or not any(s.id == self.stage_id for s in stages):
            self.stage_id = stages[0].id if stages else None

    def step_stage(self, delta: int) -> None:
        stages = self.session.stages
        if not stages:
            return
        ids = [s.id for s in stages]
        index = ids.index(self.stage_id) if self.stage_id in ids else 0
        self.stage_id = ids[max(0, min(len(ids) - 1, index + delta))]

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
        from ..core.edit import ensure_participant
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
        from ..core.edit import cast_vote

        if self.voter is None:
            return
        self.apply("vote" if delta > 0 else "take back a vote", cast_vote, self.voter, table, item_id, delta)

    def set_lens(self, persona_id: str | None) -> None:
        self.persona_lens = persona_id
        persona = find(self.session, "personas", persona_id) if persona_id else None
        self.notify(f"Persona lens: {persona.name if persona else 'everyone'}", markup=False)

    def action_undo(self) -> None:
        if self.workspace is None:
            return
        label = self.workspace.history.undo()
        if label is None:
            self.notify("Nothing to undo.")
            return
        self.version = self.workspace.history.version
        self.ensure_stage()
        self.notify(f"Undid: {label}", markup=False)

    def action_redo(self) -> None:
        if self.workspace is None:
            return
        label = self.workspace.history.redo()
        if label is None:
            self.notify("Nothing to redo.")
            return
        self.version = self.workspace.history.version
        self.ensure_stage()
        self.notify(f"Redid: {label}", markup=False)

    def action_voting(self) -> None:
        if getattr(self.screen, "TABLE", "") not in ("pains", "solutions"):
            self.switch_mode("solutions")
            self.call_after_refresh(lambda: self.start_voting("solutions"))
            return
        self.start_voting(self.screen.TABLE)  # type: ignore[attr-defined]

    def action_derive_future(self) -> None:
        from ..core.future import derive_future
        from ..core.store import save_session

        ws = self.workspace
        if ws is None:
            return
        if self.session.session.state == "future":
            self.notify("This is already a future-state session.")
            return
        self.action_save()
        stem = ws.path.stem
        for n in range(1, 100):
            target = ws.path.with_name(f"{stem}-future{'' if n == 1 else f'-{n}'}.toml")
            if not target.exists():
                break
        try:
            save_session(target, derive_future(self.session, ws.path))
            new = Workspace.open(target)
        except CjmError as exc:
            self.notify(str(exc), title="Not derived", severity="error")
            return
        ws.release()
        self.workspace = new
        self._start_workspace()
        self.notify(f"Now editing the future state {target.name}. Summary (7, v) compares it with the current state.")

    def action_on_screen(self, name: str, *args: Any) -> None:
        """Run a screen's own action from the palette; say so when this screen has none."""
        method = getattr(self.screen, f"action_{name}", None)
        if method is None:
            self.notify("That does not apply to this screen.")
            return
        method(*args)

    def action_capture(self) -> None:
        action = getattr(self.screen, "action_capture", None)
        if action:
            action()

    def go_to(self, table: str, item_id: str) -> None:
        """Show an item where it lives (the palette's "go to …")."""
        item = find(self.session, table, item_id)
        if item is None:
            return
        stage = getattr(item, "stage", None)
        if table == "stages":
            stage = item_id
        if stage:
            self.stage_id = stage
        mode = MODE_OF_TABLE[table]
        # A screen shown for the first time highlights its first row: it takes this instead.
        self.pending_select = (table, item_id)
        self.switch_mode(mode)

        def _select() -> None:
            if self.pending_select == (table, item_id):
                self.pending_select = None
                with contextlib.suppress(Exception):
                    self.screen.select(item_id)  # type: ignore[attr-defined]

        self.call_after_refresh(_select)

    def take_pending_select(self, table: str) -> str | None:
        """The item the palette asked a ``table`` screen to highlight, once."""
        if self.pending_select is not None and self.pending_select[0] == table:
            item_id = self.pending_select[1]
            self.pending_select = None
            return item_id
        return None

    # Forms and pickers ------------------------------------------------------------------------

    def open_form(self, table: str, item_id: str | None, defaults: dict[str, Any] | None = None) -> None:
        from .screens.form import ItemForm, form_title

        session = self.session
        if table == "stages" and item_id is None and defaults is None:
            defaults = {}
        item = find(session, table, item_id) if item_id else None
        if item_id is not None and item is None:
            return
        values = item.model_dump() if item is not None else dict(defaults or {})

        def validate(new: dict[str, Any]) -> None:
            if item_id is None:
                add_item(self.session, table, new)
            else:
                update_item(self.session, table, item_id, new)

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            if item_id is None:
                self.add(table, result)
            else:
                self.update(table, item_id, result)

        title = form_title(table, item_id, item_label(item) if item else "")
        self.push_screen(ItemForm(table, values, session, title, validate), done)

    def action_settings(self) -> None:
        """The session's details (title, journey, date, vote budget) and the ranking's weights."""
        from ..core.edit import update_info, update_scoring
        from .screens.form import FORMS, ItemForm

        if self.workspace is None:
            return
        info_fields = set(SessionInfo.model_fields) - {"origin"}
        values = {**self.session.session.model_dump(), **self.session.scoring.model_dump()}
        if values.get("date") is None:
            values["date"] = ""

        def split(new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
            if new.get("date") == "":
                new = {**new, "date": None}
            info = {k: v for k, v in new.items() if k in info_fields}
            weights = {k: v for k, v in new.items() if k not in info_fields}
            return info, weights

        def change(session: Session, new: dict[str, Any]) -> Session:
            info, weights = split(new)
            return update_scoring(update_info(session, info), weights)

        def done(result: dict[str, Any] | None) -> None:
            if result is not None and self.apply("edit session details", change, result):
                self.title = f"cjmtui — {self.workspace.path.name}"

        assert "settings" in FORMS
        form = ItemForm("settings", values, self.session, "Session details and ranking weights",
                        lambda new: change(self.session, new))
        self.push_screen(form, done)

    def open_links(self, kind: str, item_id: str) -> None:
        """Link picker. ``kind``: pains (its causes), processes (pains it causes), feeds, solutions."""
        from .screens.links import LinkPicker

        session = self.session
        stages = {s.id: s.name for s in session.stages}

        def proc_label(p) -> Any:  # noqa: ANN001
            return plain(f"{clip(p.name, 36)}  @ {clip(stages.get(p.stage, p.stage), 14)}")

        def pain_label(p) -> Any:  # noqa: ANN001
            return plain(f"{clip(p.text, 36)}  @ {clip(stages.get(p.stage, p.stage), 14)}")

        if kind == "pains":
            pain = find(session, "pains", item_id)
            title = f"Why does the customer feel “{clip(pain.text, 40)}”? Tick the processes that cause it"
            candidates = [(p.id, proc_label(p)) for p in session.processes]
            selected = set(pain.caused_by)
            field_table, field = "pains", "caused_by"
        elif kind == "processes":
            proc = find(session, "processes", item_id)
            title = f"Which pains does “{clip(proc.name, 40)}” cause? Tick them"
            candidates = [(p.id, pain_label(p)) for p in session.pains]
            selected = {p.id for p in session.pains if item_id in p.caused_by}
            field_table, field = "", ""
        elif kind == "feeds":
            proc = find(session, "processes", item_id)
            title = f"Which processes does “{clip(proc.name, 40)}” hand work to?"
            candidates = [(p.id, proc_label(p)) for p in session.processes if p.id != item_id]
            selected = set(proc.feeds)
            field_table, field = "processes", "feeds"
        else:
            sol = find(session, "solutions", item_id)
            title = f"Which processes does “{clip(sol.text, 40)}” change?"
            candidates = [(p.id, proc_label(p)) for p in session.processes]
            selected = set(sol.targets)
            field_table, field = "solutions", "targets"
        if not candidates:
            self.notify("Nothing to link yet: add internal processes on screen 4.", severity="warning")
            return

        def done(result: set[str] | None) -> None:
            if result is None or result == selected:
                return
            if field_table:
                order = [cid for cid, _ in candidates if cid in result]
                self.apply(f"link {field.replace('_', ' ')}", _set_field, field_table, item_id, field, order)
            else:
                self.apply("link causes", _set_causes, item_id, result)

        self.push_screen(LinkPicker(title, candidates, selected), done)

    # Saving ---------------------------------------------------------------------------------

    def watch_version(self) -> None:
        if self.workspace is None:
            return
        self._update_extra()
        if self._paused_reason:
            self.save_state = f"not saved: {self._paused_reason}"
            self.save_ok = False
            return
        if self.save_ok:
            self.save_state = "unsaved…"
        # After a failed save the warning stays until a save succeeds: typing goes on meanwhile.
        if self._save_timer is None:
            self._save_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)

    def _autosave(self) -> None:
        self._save_timer = None
        if self.workspace is None or self._saving or self._paused_reason:
            return
        if not self.workspace.dirty:
            return
        self._saving = True
        self.save_state = "saving…"
        ws = self.workspace

        def work() -> None:
            result = ws.save()
            if self.is_running:
                with contextlib.suppress(RuntimeError):  # the app ended while this save ran
                    self.call_from_thread(self._after_save, result)

        threading.Thread(target=work, name="cjmtui-save", daemon=True).start()

    def _after_save(self, result: SaveResult) -> None:
        self._saving = False
        self._show_save(result)
        if result.ok:
            self._remember_disk()
            if self.workspace is not None and self.workspace.dirty and self._save_timer is None:
                self._save_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)
        elif result.conflict:
            self._conflict()
        else:
            # Keep every edit in memory and retry: a full disk or a read-only folder may recover.
            if self._save_timer is None:
                self._save_timer = self.set_timer(3.0, self._autosave)

    def _show_save(self, result: SaveResult) -> None:
        if result.ok:
            self.save_state = f"saved {self.now():%H:%M:%S}"
            self.save_ok = True
        else:
            self.save_state = "⚠ NOT SAVED — " + ("file changed on disk" if result.conflict else "see message")
            self.save_ok = False
            if not result.conflict:
                self.notify(result.message, title="Could not save (your notes are kept; retrying)",
                            severity="error", markup=False, timeout=10)

    def action_save(self) -> None:
        if self.workspace is None:
            return
        if self._paused_reason:
            self._conflict()
            return
        result = self.workspace.save(force=False)
        self._show_save(result)
        if result.ok:
            self._remember_disk()
        elif result.conflict:
            self._conflict()

    def _remember_disk(self) -> None:
        if self.workspace is None:
            return
        try:
            st = self.workspace.path.stat()
            self._disk_stat = (st.st_mtime_ns, st.st_size)
        except OSError:
            self._disk_stat = None

    def _check_disk(self) -> None:
        """Notice when someone else changed the file, before we would save over it."""
        ws = self.workspace
        if ws is None or self._saving or self._conflict_open or self._paused_reason:
            return
        try:
            st = ws.path.stat()
        except OSError:
            return
        if (st.st_mtime_ns, st.st_size) == self._disk_stat:
            return
        try:
            now: Fingerprint | None = current_fingerprint(ws.path)
        except OSError:
            return
        if now == ws.fingerprint:
            self._disk_stat = (st.st_mtime_ns, st.st_size)
            return
        self._conflict()

    def _conflict(self) -> None:
        from .screens.dialogs import Choice

        if self._conflict_open or self.workspace is None:
            return
        self._conflict_open = True
        self._paused_reason = "file changed on disk"
        self.save_state = "⚠ NOT SAVED — file changed on disk"
        self.save_ok = False

        def answer(choice: str | None) -> None:
            self._conflict_open = False
            if choice == "reload":
                try:
                    self.workspace.reload()
                except CjmError as exc:
                    self.notify(str(exc), title="Could not reload", severity="error", markup=False)
                    return
                self._paused_reason = None
                self._remember_disk()
                self.ensure_stage()
                self.version = self.workspace.history.version
                self.save_state = "reloaded from disk"
                self.save_ok = True
            elif choice == "saveas":
                self.action_save_as()
            else:
                self.notify("Autosave is paused until you reload or save as (F2 asks again).",
                            severity="warning")

        self.push_screen(
            Choice(
                "The session file changed on disk",
                f"{self.workspace.path} was changed by someone else since cjmtui opened it. "
                "cjmtui will not overwrite it. Reload it (your unsaved edits here are dropped) "
                "or save your version as a new file?",
                [("r", "Reload", "reload"), ("s", "Save as…", "saveas"), ("k", "Keep editing, don't save", "keep")],
            ),
            answer,
        )

    def action_save_as(self) -> None:
        from .screens.dialogs import AskName

        if self.workspace is None:
            return
        ws = self.workspace
        suggestion = f"{ws.path.stem}-copy.toml"

        def chosen(name: str | None) -> None:
            if not name:
                return
            try:
                target = safe_output_path(ws.path.parent, safe_filename(name, suffix=".toml", strict=True))
            except ExportError as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            result = ws.save_as(target)
            if result.ok:
                self._paused_reason = None
                self._remember_disk()
                self._show_save(result)
                self.title = f"cjmtui — {ws.path.name}"
                self.notify(f"Saved as {target}; editing continues there.", markup=False)
            else:
                self.notify(result.message, title="Not saved", severity="error", markup=False)

        self.push_screen(AskName("Save as (a new file in the same folder)", suggestion), chosen)

    # Export -----------------------------------------------------------------------------------

    def open_export(self) -> None:
        from ..core.export import write_export
        from .screens.dialogs import ExportDialog

        if self.workspace is None:
            return
        ws = self.workspace

        def chosen(result: tuple[str, str] | None) -> None:
            if result is None:
                return
            fmt, name = result
            try:
                path = safe_output_path(ws.path.parent, safe_filename(name, suffix=f".{fmt}", strict=True))
                text = self.export_text(fmt)
                written = write_export(text, path)
            except (CjmError, OSError) as exc:
                self.notify(str(exc), title="Not exported", severity="error", markup=False)
                return
            self.notify(f"Wrote {written}", title="Exported", markup=False, timeout=10)

        self.push_screen(ExportDialog(ws.path.parent, f"{ws.path.stem}-quick-wins"), chosen)

    def export_text(self, fmt: str) -> str:
        from ..core.export import export_csv, export_json, export_markdown

        ranking = rank(self.session, self.persona_lens)
        if fmt == "md":
            return export_markdown(self.session, ranking)
        if fmt == "csv":
            return export_csv(self.session, ranking)
        if fmt == "json":
            return export_json(self.session, ranking)
        if fmt == "html":
            from ..core.report import export_html

            return export_html(self.session, ranking)
        raise ExportError(f"unknown format {fmt!r}")

    def action_export(self) -> None:
        self.open_export()

    def action_copy_ranking(self) -> None:
        from ..core.export import ranking_markdown

        self.copy_to_clipboard(ranking_markdown(rank(self.session, self.persona_lens), self.session))
        self.notify("Copied the ranked list as Markdown.")

    # Help, picker, quitting --------------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen, binding_rows

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(binding_rows(self.screen)))

    def action_open_picker(self) -> None:
        from .screens.picker import PickerScreen

        self.action_save()
        self.push_screen(PickerScreen(self.sessions_dir))

    def save_before_exit(self) -> tuple[bool, str]:
        """Save synchronously; on failure write a rescue copy. Returns (saved, message)."""
        ws = self.workspace
        if ws is None or (not ws.dirty and not self._paused_reason):
            return True, ""
        if not self._paused_reason:
            result = ws.save()
            if result.ok:
                return True, ""
        if self._rescued is not None and self._rescued[0] == ws.history.version:
            return False, f"The session file could not be saved; your notes are in {self._rescued[1]}"
        rescue = ws.rescue()
        if rescue is not None:
            self._rescued = (ws.history.version, rescue)
            return False, f"The session file could not be saved; your notes are in {rescue}"
        return False, "The session file could not be saved and no rescue copy could be written."

    async def action_quit(self) -> None:
        from .screens.dialogs import Choice

        ws = self.workspace
        if ws is not None and ws.dirty and not self._paused_reason:
            result = ws.save()
            if not result.ok:
                self._show_save(result)

                def answer(choice: str | None) -> None:
                    if choice == "quit":
                        saved, message = self.save_before_exit()
                        self._finish(message)
                    elif choice == "saveas":
                        self.action_save_as()

                self.push_screen(
                    Choice(
                        "Your latest notes are not saved",
                        f"{result.message}\nQuit anyway (a rescue copy is written next to the file or in "
                        "your data folder), save as a new file, or stay?",
                        [("q", "Quit, write rescue copy", "quit"), ("s", "Save as…", "saveas"), ("c", "Stay", "stay")],
                    ),
                    answer,
                )
                return
        if self._paused_reason:
            _saved, message = self.save_before_exit()
            self._finish(message)
            return
        self._finish("")

    def _finish(self, message: str) -> None:
        if self.workspace is not None:
            self.workspace.release()
        self._exiting = True
        self.exit(0, message=message or None)

    def _on_signal(self, signum: int) -> None:
        """SIGHUP (the SSH link dropped) or SIGTERM: save, then leave promptly."""
        if self._exiting:
            return
        self._exiting = True
        # Whatever happens next, never linger on a dead terminal: a last save from this thread.
        timer = threading.Timer(HARD_EXIT_AFTER, self._hard_exit)
        timer.daemon = True
        timer.start()
        # Keys already typed (a note and its Enter) are still in the queue: let them land first.
        self.set_timer(SIGNAL_GRACE, lambda: self._exit_after_signal(signum))

    def _exit_after_signal(self, signum: int) -> None:
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_capture", None)
            if flush is not None:
                with contextlib.suppress(Exception):
                    flush()
        saved, _message = self.save_before_exit()
        if self.workspace is not None:
            self.workspace.release()
        self.exit(128 + signum)

    def _hard_exit(self) -> None:
        ok = True
        if self.workspace is not None:
            if self.workspace.dirty:
                ok = self.workspace.save().ok or self.workspace.rescue() is not None
            self.workspace.release()
        os._exit(0 if ok else 1)


def _set_field(session: Session, table: str, item_id: str, field: str, values: list[str]) -> Session:
    return update_item(session, table, item_id, {field: values})[0]


def _set_causes(session: Session, process_id: str, pains: set[str]) -> Session:
    """Make ``process_id`` the cause of exactly ``pains`` (one undo step)."""
    from ..core.edit import link_cause

    for pain in session.pains:
        want = pain.id in pains
        if want != (process_id in pain.caused_by):
            session = link_cause(session, pain.id, process_id, want)
    return session


def run(session: Workspace | Path | None, sessions_dir: Path) -> int:
    """Open the TUI on an open session (or a path to one), or on the session picker."""
    workspace = Workspace.open(session) if isinstance(session, Path) else session
    # Everything loaded so far lives as long as the app: keep the collector from re-scanning it.
    gc.freeze()
    app = CjmApp(workspace, sessions_dir)
    try:
        code = app.run()
    finally:
        # However the app ended (quit, signal, a lost terminal, a crash), no note stays unsaved.
        saved, message = app.save_before_exit()
        if app.workspace is not None:
            app.workspace.release()
    if message:
        print(printable(message, single_line=False), file=sys.stderr)
    if not saved:
        return 1
    return code if isinstance(code, int) else 0


__all__ = ["CjmApp", "ItemError", "run"]
