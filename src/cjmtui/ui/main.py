"""Running the TUI: the app on a session (or the picker), saving however it ends, and a terminal
that hangs up without telling anyone."""

from __future__ import annotations

import asyncio
import os
import select
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from ..core.safety import printable
from ..core.workspace import Workspace
from . import textual_fixes

if TYPE_CHECKING:
    from .app import CjmApp


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


def terminal_modes(fd: int = 0) -> list[object] | None:
    """The terminal's modes (``termios``) as they are before the app takes it over."""
    try:
        import termios

        return list(termios.tcgetattr(fd)) if os.isatty(fd) else None
    except (ImportError, OSError, ValueError):
        return None


def restore_terminal(modes: list[object] | None, fd: int = 0) -> None:
    """Put a live terminal back as :func:`terminal_modes` found it, without Textual (the
    watchdog's last step, from a thread): leave the alternate screen, mouse and paste modes off,
    cursor shown, the old modes. A terminal that hung up is left alone."""
    if modes is None or terminal_lost(fd):
        return
    try:
        import termios

        os.write(fd, b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1049l\x1b[?25h")
        termios.tcsetattr(fd, termios.TCSANOW, modes)  # type: ignore[arg-type]
    except (ImportError, OSError, ValueError, TypeError):
        pass


def run(
    session: Workspace | Path | None,
    sessions_dir: Path,
    *,
    actor: str | None = None,
    restricted: bool = False,
    serving: Any = None,
    exit_process: bool = False,
) -> int:
    """Open the TUI on an open session (or a path to one), or on the session picker.
    ``restricted``: a participant's app as ``cjmtui serve`` starts it (:attr:`CjmApp.restricted`);
    ``serving``: the facilitator's room served over SSH (what the top bar and F1 say about it).

    With ``exit_process`` (the ``cjmtui`` command), the process ends here once everything is
    saved, the terminal restored and the last message printed, without the interpreter's
    teardown: freeing a 20,000-pain session object by object took over a second after SIGTERM
    (``bench/signals.py``), and nothing is left to do by then (exports run in daemon threads
    and write atomically)."""
    workspace = Workspace.open(session) if isinstance(session, Path) else session
    textual_fixes.install()  # pasted text stays text (see ui/textual_fixes/paste_parser.py)
    # A thread (a save, ranking a big session) gives the interpreter back within 1 ms, not 5:
    # the event loop takes it back after each write to the terminal, so keys show sooner.
    sys.setswitchinterval(0.001)
    from .app import CjmApp  # the app imports this module: import it only when running

    app = CjmApp(workspace, sessions_dir, actor=actor, restricted=restricted, serving=serving)
    app.autosave.tty_attrs = terminal_modes()
    code: Any = 1
    try:
        code = app.run()
    finally:
        code = leave(app, code)
    if exit_process:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(int(code))
    return int(code)


def leave(app: CjmApp, code: object) -> int:
    """After the app has ended (the terminal back from the alternate screen), however it ended:
    no note stays unsaved; what went wrong is said once; notes nothing would take are printed
    for the person to copy, and the exit status is then non-zero."""
    saved, message = app.autosave.save_before_exit()
    app.room.leave()  # no longer "here" for the others
    if app.workspace is not None:
        app.workspace.release()
    if message and message not in app.autosave.told:  # the app said it as it left: once is enough
        print(printable(message, single_line=False), file=sys.stderr)
    if not saved and app.autosave.nowhere and app.workspace is not None:
        print(app.workspace.notes_text(), flush=True)
    if not saved:
        return 1
    return code if isinstance(code, int) else 0
