"""Which session is open: another one (the session picker), a new one, or the future state
derived from this one. This session is saved first each time.

:class:`Sessions` is a controller the app owns; it sees the app as a
:class:`~cjmtui.ui.workshop.Workshop` (it saves through its autosave and opens the next session
with ``open_workspace``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.errors import CjmError
from ..core.workspace import Workspace

if TYPE_CHECKING:
    from .workshop import Workshop


class Sessions:
    def __init__(self, app: Workshop) -> None:
        self.app = app

    def open_picker(self, new: bool = False) -> None:
        """The session picker (this session saved first); ``new`` goes on to ask for a new one."""
        from .screens.picker import PickerScreen

        app = self.app
        app.autosave.save_now()
        picker = PickerScreen(app.sessions_dir)
        app.push_screen(picker)
        if new:
            app.call_after_refresh(picker.action_new)

    def derive_future(self) -> None:
        """A copy of this session marked future state, remembering this one, opened in its place."""
        from ..core.files import derive_future_file

        app = self.app
        ws = app.workspace
        if ws is None:
            return
        if app.session.session.state == "future":
            app.notify("This is already a future-state session.")
            return
        app.autosave.save_now()
        try:
            target = derive_future_file(ws.path, app.session)
            new = Workspace.open(target)
        except CjmError as exc:
            app.notify(str(exc), title="Not derived", severity="error")
            return
        ws.release()
        app.open_workspace(new)
        app.notify(f"Now editing the future state {target.name}. Summary (7, v) compares it with the current state.")
