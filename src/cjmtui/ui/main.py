"""Running the TUI: the app on a session (or the picker), saving however it ends, and a terminal
that hangs up without telling anyone."""

from __future__ import annotations

import asyncio
import os
import select
import sys
import time
from pathlib import Path
from typing import Any

from textual.app import App

from ..core.safety import printable
from ..core.workspace import Workspace
from . import paste


async def settle(app: App[int], longest: float = 2.0) -> None:
    """Let every message already on its way land (a note whose Enter came just before F10 or
    a signal is still travelling from the entry to the session): wait until no screen or
    widget has one queued, at most ``longest`` seconds."""
    deadline = time.monotonic() + longest
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
        nodes = [node for screen in app.screen_stack for node in (screen, *screen.walk_children())]
        quiet = quiet + 1 if all(node.message_queue_size == 0 for node in nodes) else 0


def terminal_lost(fd: int = 0) -> bool:
    """Whether the terminal on ``fd`` hung up: it is no longer a terminal, or it reports
    ``POLLHUP``/``POLLERR`` (its other side is gone)."""
    try:
        if not os.isatty(fd):
            return True
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return any(events & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _fd, events in poller.poll(0))
    except (OSError, ValueError):
        return True


def run(
    session: Workspace | Path | None,
    sessions_dir: Path,
    *,
    actor: str | None = None,
    restricted: bool = False,
    serving: Any = None,
) -> int:
    """Open the TUI on an open session (or a path to one), or on the session picker.
    ``restricted``: a participant's app as ``cjmtui serve`` starts it (:attr:`CjmApp.restricted`);
    ``serving``: the facilitator's room served over SSH (what the top bar and F1 say about it)."""
    workspace = Workspace.open(session) if isinstance(session, Path) else session
    paste.install()  # pasted text stays text (see ui/paste.py)
    # A thread (a save, ranking a big session) gives the interpreter back within 1 ms, not 5:
    # the event loop takes it back after each write to the terminal, so keys show sooner.
    sys.setswitchinterval(0.001)
    from .app import CjmApp  # the app imports this module: import it only when running

    app = CjmApp(workspace, sessions_dir, actor=actor, restricted=restricted, serving=serving)
    try:
        code = app.run()
    finally:
        # However the app ended (quit, signal, a lost terminal, a crash), no note stays unsaved.
        saved, message = app.autosave.save_before_exit()
        app.room.leave()  # no longer "here" for the others
        if app.workspace is not None:
            app.workspace.release()
    if message and message != app.autosave.told:  # the app said it as it left: once is enough
        print(printable(message, single_line=False), file=sys.stderr)
    if not saved:
        return 1
    return code if isinstance(code, int) else 0
