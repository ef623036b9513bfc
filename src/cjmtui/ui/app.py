"""The cjmtui application: screens per step of the method, autosave, signals, themes, palette."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import importlib
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from ..core.agenda import Timer
from ..core.edit import SINGULAR, add_item, update_item
from ..core.errors import CjmError, EditError, ExportError
from ..core.model import Item, Session, SessionInfo, find, item_label
from ..core.safety import printable, safe_filename, safe_output_path
from ..core.scoring import rank
from ..core.settings import load_settings, save_setting
from ..core.workspace import Workspace
from .commands import CjmCommands
from .room import RoomMixin
from .saving import SavingMixin
from .text import clip, plain
from .themes import DEFAULT_THEME, load_themes

# Screens and dialogs are imported when first shown: start-up only pays for the first screen.

DISK_CHECK_INTERVAL = 2.0

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


class CjmApp(SavingMixin, RoomMixin, App[int]):
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
            from ..core.export.html import export_html

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


__all__ = ["CjmApp", "run"]
