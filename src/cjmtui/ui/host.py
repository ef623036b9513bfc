"""What the app's controllers need from it: :class:`Host`.

The controllers (saving in :mod:`~cjmtui.ui.autosave`, running the room in
:mod:`~cjmtui.ui.room`, a big session's ranking in :mod:`~cjmtui.ui.rankings`, the forms in
:mod:`~cjmtui.ui.forms`, exports in :mod:`~cjmtui.ui.exports`, where this user was in
:mod:`~cjmtui.ui.place`) are handed the app as a ``Host``: who is at the keyboard, the open
session and the one edit path (:meth:`Host.apply`), the state the screens watch, and the few
calls into Textual they make. None of them imports the app (:class:`cjmtui.ui.app.CjmApp`), so
each can be read, and tested, with a stand-in; an import contract (pyproject.toml) keeps it so.
The screens see a little more of the app: :class:`cjmtui.ui.workshop.Workshop`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from textual.notifications import SeverityLevel
from textual.screen import Screen, ScreenResultCallbackType, ScreenResultType
from textual.timer import Timer, TimerCallback
from textual.worker import Worker, WorkType

from ..core.model import Record, Session
from ..core.workspace import Workspace


class Host(Protocol):
    """The app as its controllers see it (:class:`cjmtui.ui.app.CjmApp` is the one there is)."""

    # Who is at this keyboard: None for the facilitator, a participant's name after `join --as`.
    actor: str | None
    # A participant's app started by `cjmtui serve`: this session only (cjmtui.ui.restricted).
    restricted: bool
    # The facilitator's room served over SSH (cjmtui serve): the join line, the code, who is in.
    serving: Any

    # The open session ----------------------------------------------------------------------------

    workspace: Workspace | None
    sessions_dir: Path

    @property
    def session(self) -> Session:
        """The session as this person sees it (edits go to the whole one, by :meth:`apply`)."""
        ...

    @property
    def has_session(self) -> bool: ...

    # The state the screens and widgets watch (reactives on the app) -----------------------------

    version: int  # bumped by every change to the session
    stage_id: str | None
    persona_lens: str | None
    voter: str | None  # participant id while dot voting
    wanted: tuple[str, str] | None  # (table, id) the next screen to show it highlights
    save_state: str
    save_ok: bool
    status_extra: str  # timer, lens, voter: shown in the top bar
    now: Callable[[], dt.datetime]  # the wall clock shown in "saved HH:MM:SS"

    # The one edit path, and what follows a whole new session -------------------------------------

    def apply(self, label: str, fn: Callable[..., Any], *args: Any, show: str | None = None) -> Any:
        """Run a core edit on the session (one undo step, saved soon); its item, or None if refused."""
        ...

    def add(self, table: str, fields: dict[str, Any]) -> Record | None: ...

    def update(self, table: str, item_id: str, changes: dict[str, Any]) -> Record | None: ...

    def session_replaced(self) -> None:
        """The whole session changed (opened, reloaded, merged, undone): every view shows it again."""
        ...

    def show_session_name(self) -> None: ...

    def collect_typed(self) -> list[str]:
        """On the way out: a half-typed note and an open form's changes go into the session."""
        ...

    # Textual's app, as far as the controllers call it --------------------------------------------

    @property
    def is_running(self) -> bool: ...

    @property
    def current_mode(self) -> str: ...

    @property
    def screen_stack(self) -> list[Screen[Any]]: ...

    def notify(
        self,
        message: str,
        *,
        title: str = ...,
        severity: SeverityLevel = ...,
        timeout: float | None = ...,
        markup: bool = ...,
    ) -> None: ...

    def push_screen(
        self,
        screen: Screen[ScreenResultType],
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
    ) -> object: ...

    def switch_mode(self, mode: str) -> object: ...

    def set_timer(self, delay: float, callback: TimerCallback | None = None) -> Timer: ...

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> bool: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def run_worker(
        self,
        work: WorkType[Any],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[Any]: ...

    def copy_to_clipboard(self, text: str) -> None: ...

    def bell(self) -> None: ...

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None: ...
