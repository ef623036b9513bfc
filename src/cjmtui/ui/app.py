"""The cjmtui application: one screen per step of the method, bindings, and the state they share.

State flows down: the app holds the open :class:`Workspace` and a few reactives (``version``,
bumped by every edit; the current ``stage_id``; the ``persona_lens``; who is voting; the save
state). Screens and widgets watch the reactives they show. Edits flow up through :meth:`apply`,
the one path by which the session changes, so undo, autosave and every visible widget follow.

The rest lives in controllers the app owns, each handed the app as a :class:`~cjmtui.ui.host.Host`
(none imports this module; pyproject.toml's import contracts keep it so): saving in
:class:`~cjmtui.ui.autosave.Autosave`, running the room in :class:`~cjmtui.ui.room.Room`, a big
session's ranking in :class:`~cjmtui.ui.rankings.Rankings`, the full forms in
:class:`~cjmtui.ui.forms.Forms`, exports in :class:`~cjmtui.ui.exports.Exports`. Quick capture's
keys and what is kept of what was typed: :class:`~cjmtui.ui.typed.WhatIsTyped`. The screens see
the app as a :class:`~cjmtui.ui.workshop.Workshop`. Only :mod:`cjmtui.ui.main` imports this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import importlib
import os
import signal
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.reactive import var
from textual.screen import Screen

from ..core.edit import add_item, update_item
from ..core.errors import EditError
from ..core.live import view_for
from ..core.merge import bring_back
from ..core.model import Record, Session, find
from ..core.presence import BEAT_EVERY
from ..core.settings import load_settings, save_setting
from ..core.triage import add_resolving
from ..core.vocab import SINGULAR
from ..core.workspace import Workspace
from .autosave import Autosave
from .commands import CjmCommands, action_commands
from .exports import Exports
from .forms import Forms
from .keys import APP_BINDINGS
from .notices import Notices
from .place import restore_view
from .rankings import Rankings
from .restricted import RESTRICTED_ACTIONS, RESTRICTED_COMMANDS
from .room import Room
from .screens import SCREENS, ScreenSpec, mode_of_table
from .sessions import Sessions
from .terminal import settle, terminal_lost
from .textual_fixes.stylesheet import SharedParseStylesheet
from .themes import DEFAULT_THEME, load_themes
from .typed import WhatIsTyped

if TYPE_CHECKING:
    from .workshop import Workshop

# Screens and dialogs are imported when first shown: start-up only pays for the first screen.

DISK_CHECK_INTERVAL = 0.5  # what others save shows here within a second (one stat: no CPU when idle)


def _screen_factory(spec: ScreenSpec) -> Callable[[], Screen[Any]]:
    def make() -> Screen[Any]:
        module = importlib.import_module(f"cjmtui.ui.screens.{spec.module}")
        screen: Screen[Any] = getattr(module, spec.cls)()
        return screen

    return make


class CjmApp(Notices, WhatIsTyped):
    CSS_PATH = "app.tcss"
    TITLE = "cjmtui"
    MODES: ClassVar[dict[str, Any]] = {mode: _screen_factory(spec) for mode, spec in SCREENS.items()}
    COMMANDS = App.COMMANDS | {CjmCommands}

    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    # The app's state, not something it draws: the widgets bound to it (data_bind) redraw
    # themselves. A plain ``reactive`` on the App repaints the whole screen at every change, and a
    # participant's app took in each of the room's notes with two full-screen redraws.
    version: var[int] = var(0, init=False)  # bumped by every change to the session
    stage_id: var[str | None] = var(None, init=False)
    persona_lens: var[str | None] = var(None, init=False)
    session_name: var[str] = var("", init=False)  # the session's title, for the top bar
    save_state: var[str] = var("", init=False)
    save_ok: var[bool] = var(True, init=False)
    status_extra: var[str] = var("", init=False)  # timer, lens, voter: shown in the top bar
    voter: var[str | None] = var(None, init=False)  # participant id while dot voting

    def __init__(
        self,
        workspace: Workspace | None,
        sessions_dir: Path,
        *,
        watch_disk: bool = True,
        handle_signals: bool = True,
        clock: Callable[[], float] = time.monotonic,
        actor: str | None = None,
        restricted: bool = False,
        serving: Any = None,
    ) -> None:
        super().__init__()
        # Parsed CSS is kept across the re-parse each screen's first visit makes (ui/stylesheet.py).
        self.stylesheet = SharedParseStylesheet(variables=self.get_css_variables())
        # Who is at this keyboard: None for the facilitator; a participant's name after
        # `cjmtui join FILE --as NAME` (their items carry it, and they change only those).
        self.actor = actor
        # A participant's app started by `cjmtui serve`: this session only (RESTRICTED_ACTIONS).
        self.restricted = restricted and actor is not None
        # The facilitator's room served over SSH (cjmtui serve): the join line, the code, who is in.
        self.serving = serving
        self._view: tuple[Session | None, Session] = (None, Session())  # (whole session, as seen here)
        self.now: Callable[[], dt.datetime] = dt.datetime.now  # shown in "saved HH:MM:SS" (tests fix it)
        self.workspace = workspace
        self.sessions_dir = Path(sessions_dir)
        self.watch_disk = watch_disk
        self.handle_signals = handle_signals
        self.room = Room(self, clock)
        self.autosave = Autosave(self, self.room)
        self.rankings = Rankings(self)
        self.forms = Forms(self)
        self.exports = Exports(self, self.rankings)
        self.sessions = Sessions(self)
        self.wanted: tuple[str, str] | None = None  # (table, id) the next screen to show it highlights
        themes, self.theme_errors = load_themes()
        for theme in themes:
            self.register_theme(theme)
        wanted = load_settings().get("theme", DEFAULT_THEME)
        self.theme = next(n for n in (wanted, DEFAULT_THEME, "textual-dark") if n in self.available_themes)

    # The open session -------------------------------------------------------------------------

    @property
    def session(self) -> Session:
        """The session as this person sees it: during silent writing or private voting, without
        what is not theirs to see yet (:func:`cjmtui.core.live.view_for`). Edits go to the whole
        session (:meth:`apply`)."""
        if self.workspace is None:
            raise RuntimeError("no session is open")  # every caller is behind has_session
        session = self.workspace.session
        if self._view[0] is not session:
            self._view = (session, view_for(session, self.actor))
        return self._view[1]

    @property
    def has_session(self) -> bool:
        return self.workspace is not None

    def on_mount(self) -> None:
        for message in self.theme_errors:
            self.notify(message, title="Theme not loaded", severity="warning", timeout=8)
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, self.autosave.on_signal, sig)
            if self.restricted and self.watch_disk:
                # cjmtui serve pokes a participant's app (SIGUSR1) the moment the session file
                # changes, so a note reaches every screen without waiting for the next look.
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(signal.SIGUSR1, self.autosave.check_disk)
        if self.workspace is None:
            from .screens.picker import PickerScreen

            self.push_screen(PickerScreen(self.sessions_dir))
        else:
            self.open_workspace(self.workspace)
        # After a suspend (SIGTSTP, then fg or SIGCONT) draw everything again: the terminal was
        # used by something else meanwhile, and the screen would stay blank until a key.
        self.app_resume_signal.subscribe(self, self._redraw)
        if self.watch_disk:
            self.set_interval(DISK_CHECK_INTERVAL, self.autosave.check_disk)
        self.set_interval(1.0, self.room.tick)
        self.set_interval(BEAT_EVERY, self.room.beat)
        self.room.beat()
        if not self.is_headless and os.isatty(0):
            self.set_interval(1.0, self._check_terminal)
        # The command started without the garbage collector (cjmtui/__main__.py): on again once
        # the first screen is drawn (after the session and that screen are frozen, above).
        self.call_after_refresh(gc.enable)

    def on_unmount(self) -> None:
        self.room.leave()  # no longer "here" for the others (run() also does, after a crash)

    def _check_terminal(self) -> None:
        """A terminal that hung up without a SIGHUP (a process without a controlling terminal
        whose pane closed) is treated like one: save and leave, rather than spin on its EOF."""
        if terminal_lost():
            self.autosave.on_signal(signal.SIGHUP)

    def _redraw(self, _app: App[int]) -> None:
        self.screen.refresh(layout=True, repaint=True)
        self.refresh(repaint=True)

    def open_workspace(self, workspace: Workspace) -> None:
        """Show ``workspace``: from the command line, the session picker, or a derived future state."""
        self.workspace = workspace
        other = workspace.acquire()
        if other is not None and not self.restricted:  # cjmtui serve: the facilitator has it open
            self.notify(
                f"This session is also open in {other.describe()}. Both save, and each save merges "
                "in the other's edits. Where both change the same field, the later save's value is "
                "kept and the other value is one undo step back for whoever saved later; both are told.",
                title="Open elsewhere too",
                severity="warning",
                timeout=12,
            )
        self.autosave.started()
        self.show_session_name()
        self.session_replaced()
        if self.serving is not None:
            self.notify(
                f"{self.serving.join_line} · code {self.serving.code}\nHost key {self.serving.fingerprint}. F1 shows "
                "this again and who is connected.",
                title="Participants join with",
                timeout=30,
            )
        self.room.resume()
        self.rankings.opened()
        restore_view(self, self.room, workspace)
        if not self.is_headless:
            # The session and its first screen live as long as the app: once it is drawn, the
            # cyclic garbage collector stops walking them. Its full passes walked every item of a
            # big session: 70-80 ms without the interpreter at 20,000 pains, felt as a key that
            # waited while the session was ranked or saved in a thread (13-15 ms frozen).
            # Refcounting still frees every item an edit replaces. (Not in Pilot tests, which
            # open hundreds of apps in one process.)
            self.call_after_refresh(gc.freeze)

    def show_session_name(self) -> None:
        if self.workspace is not None:
            self.title = f"cjmtui — {self.workspace.path.name}"
            self.session_name = self.session.session.title

    def session_replaced(self) -> None:
        """The whole session changed (opened, reloaded, undone): every view shows it again."""
        self.ensure_stage()
        self.room.follow()  # the room's step and time, as the facilitator (or another window) set them
        self.version = self.workspace.history.version if self.workspace is not None else 0

    def watch_version(self) -> None:
        self.session_name = self.session.session.title if self.workspace is not None else ""
        self.room.show_status()
        self.autosave.changed()
        self.rankings.changed()

    def watch_voter(self) -> None:
        self.room.show_status()

    def watch_persona_lens(self) -> None:
        self.room.show_status()
        self.rankings.changed()

    def watch_theme(self, theme: str) -> None:
        if self.is_running and not self.restricted:
            save_setting("theme", theme)

    # Editing: the one path by which the session changes ----------------------------------------

    def apply(self, label: str, fn: Callable[..., Any], *args: Any, show: str | None = None) -> Any:
        """Run a core edit on the session; on success record it (undo), save soon, return its item.

        ``fn(session, *args)`` returns the new session, or ``(session, item)``. Returns the item
        (``True`` for an edit without one), or ``None`` when the core refused the edit (it says
        why in a notification, and nothing changed). With ``show`` (a table), the screen that
        lists that table highlights the new item.
        """
        if self.workspace is None:
            return None
        history = self.workspace.history
        with history.lock:  # a save thread may merge others' edits in: edit the session it leaves
            try:
                result = fn(history.session, *args)
            except EditError as exc:
                self.notify(str(exc), title="Not changed", severity="error")
                return None
            session, item = result if isinstance(result, tuple) else (result, True)
            history.apply(label, session)
        if show is not None and isinstance(item, Record):
            self.wanted = (show, item.id)
        self.version = self.workspace.history.version
        return item

    def add(self, table: str, fields: dict[str, Any]) -> Record | None:
        """Add an item; the screen that lists ``table`` highlights it."""
        said: list[str] = []
        add = partial(add_resolving, actor=self.actor, said=said)
        item = self.apply(f"add {SINGULAR[table]}", add, table, fields, show=table)
        if said:  # signs typed before this item existed (">book") now name it
            self.notify("\n".join(said))
        return item if isinstance(item, Record) else None

    def add_parked(self, text: str) -> Record | None:
        fields: dict[str, Any] = {"text": text}
        if self.stage_id and find(self.session, "stages", self.stage_id):
            fields["stage"] = self.stage_id
        item = self.apply("park a point", partial(add_item, actor=self.actor), "parking", fields, show="parking")
        if not isinstance(item, Record):
            return None
        self.notify("Parked. Review it on the parking lot (0).", timeout=2)
        return item

    def update(self, table: str, item_id: str, changes: dict[str, Any]) -> Record | None:
        item = self.apply(
            f"edit {SINGULAR[table]}", partial(update_item, actor=self.actor), table, item_id, changes, show=table
        )
        return item if isinstance(item, Record) else None

    def take_wanted(self, table: str) -> str | None:
        """The item an edit or the palette asked a ``table`` screen to highlight, once."""
        if self.wanted is not None and self.wanted[0] == table:
            item_id = self.wanted[1]
            self.wanted = None
            return item_id
        return None

    def ensure_stage(self) -> None:
        if self.workspace is None:
            return
        stages = self.session.stages
        if self.stage_id is None or not any(s.id == self.stage_id for s in stages):
            self.stage_id = stages[0].id if stages else None

    def step_stage(self, delta: int) -> None:
        ids = [s.id for s in self.session.stages]
        if ids:
            index = ids.index(self.stage_id) if self.stage_id in ids else 0
            self.stage_id = ids[max(0, min(len(ids) - 1, index + delta))]

    def go_to(self, table: str, item_id: str) -> None:
        """Show an item where it lives (the palette's "go to …")."""
        item = find(self.session, table, item_id)
        if item is None:
            return
        stage = item_id if table == "stages" else getattr(item, "stage", None)
        if stage:
            self.stage_id = stage
        if table == "stages" and getattr(self.screen, "MODE", None) in ("pains", "processes"):
            return  # a stage's pains or processes stay on screen: only the stage changes
        self.wanted = (table, item_id)  # its screen highlights it when it shows
        self.switch_mode(mode_of_table(table))

    # Key actions: on a session --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Without a session (the picker) only help and quit work; the key bar shows only those.
        A restricted participant's app has none of :data:`RESTRICTED_ACTIONS`."""
        if self.restricted and action in RESTRICTED_ACTIONS:
            return False
        return not (self.workspace is None and action not in ("help", "quit", "command_palette"))

    def deliver_screenshot(self, *args: Any, **kwargs: Any) -> str | None:
        if self.restricted:  # a participant's app writes no file but the session's
            return None
        return super().deliver_screenshot(*args, **kwargs)

    def save_screenshot(self, *args: Any, **kwargs: Any) -> str:
        if self.restricted:
            raise PermissionError("a participant's app writes no screenshot")
        return super().save_screenshot(*args, **kwargs)

    def action_bring_back(self) -> None:
        """The items someone else's save removed (the last merge said so), back where they were,
        as this person's own edit (one undo step)."""
        removed = self.autosave.removed
        if not removed:
            self.notify("No save by someone else has removed anything since this session was opened.")
            return
        if (
            self.apply("bring back what another save removed", partial(bring_back, actor=self.actor), removed)
            is not None
        ):
            self.autosave.removed = ()
            self.notify(f"Brought back {len(removed)} item{'s' if len(removed) != 1 else ''}.")

    def action_undo(self) -> None:
        self._history_step("undo")

    def action_redo(self) -> None:
        self._history_step("redo")

    def _history_step(self, which: str) -> None:
        if self.workspace is None:
            return
        history = self.workspace.history
        try:
            label = history.undo() if which == "undo" else history.redo()
        except EditError as exc:
            self.notify(str(exc), title=f"Could not {which}", severity="error")
            return
        if label is None:
            self.notify(f"Nothing to {which}.")
            return
        self.session_replaced()
        self.notify(f"{'Undid' if which == 'undo' else 'Redid'}: {label}")

    def action_timer(self) -> None:
        self.room.toggle_timer()

    def action_extend(self) -> None:
        self.room.extend(5)

    def action_next_step(self) -> None:
        self.room.next_step()

    def action_cycle_lens(self) -> None:
        self.room.cycle_lens()

    def action_room(self, change: str) -> None:
        self.room.change(change)

    async def action_park(self) -> None:
        await self.run_action("park", self.screen)

    async def action_capture(self) -> None:
        await self.run_action("capture", self.screen)

    def action_voting(self) -> None:
        spec = SCREENS.get(self.current_mode)
        if spec is None or not spec.votes:
            self.switch_mode("solutions")
            self.call_after_refresh(self.room.start_voting, "solutions")
            return
        self.room.start_voting(spec.tables[0])

    def action_save(self) -> None:
        self.autosave.save_now()

    def action_save_as(self) -> None:
        self.autosave.save_as()

    async def action_quit(self) -> None:
        await settle(self)
        self.autosave.quit()

    # Forms, exports, sessions (ui/forms.py, ui/exports.py, ui/sessions.py): keys and screens call
    # them here ---------------------------------------------------------------------------------

    def open_form(self, table: str, item_id: str | None, defaults: dict[str, Any] | None = None) -> None:
        self.forms.open_form(table, item_id, defaults)

    def open_links(self, kind: str, item_id: str) -> None:
        self.forms.open_links(kind, item_id)

    def action_settings(self) -> None:
        self.forms.settings()

    def action_export(self) -> None:
        self.exports.export()

    def action_copy_ranking(self) -> None:
        self.exports.copy_ranking()

    def action_derive_future(self) -> None:
        self.sessions.derive_future()

    def action_open_picker(self, new: bool = False) -> None:
        self.sessions.open_picker(new)

    def action_new_session(self) -> None:
        self.sessions.open_picker(new=True)

    # Help, palette ------------------------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen, binding_rows, serving_lines

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(binding_rows(self.screen), serving_lines(self.serving)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette's actions: Textual's own, then every key here (:func:`action_commands`).
        A restricted participant's app lists none that writes a file or is the facilitator's."""
        commands = [*super().get_system_commands(screen)]
        if self.workspace is not None:
            commands.extend(action_commands(self, screen))
        for command in commands:
            if not (self.restricted and command.title in RESTRICTED_COMMANDS):
                yield command


if TYPE_CHECKING:  # mypy checks that the app is what the screens and the controllers take it for

    def _seen_by_the_screens(app: CjmApp) -> Workshop:
        return app


__all__ = ["CjmApp"]
