"""Running the TUI: the app on a session (or the picker), saving however it ends. The terminal
it runs on (one that hangs up without telling anyone, its modes put back) is :mod:`cjmtui.ui.terminal`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.safety import printable
from ..core.workspace import Workspace
from . import textual_fixes
from .terminal import terminal_modes

if TYPE_CHECKING:
    from .app import CjmApp


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
    from .app import CjmApp  # when running (the only module that imports the app; see pyproject.toml)

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
