"""Where this user was: the screen, the stage and the highlighted item, kept outside the session
file (:mod:`cjmtui.core.viewstate`) and restored when the session opens again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from ..core.model import find
from ..core.viewstate import View, load_view, save_view
from ..core.workspace import Workspace
from .screens import SCREENS, mode_of_step

if TYPE_CHECKING:
    from .host import Host
    from .room import Room


@runtime_checkable
class Highlighting(Protocol):
    """A screen that lists items (:class:`cjmtui.ui.screens.base.ItemsScreen`): which one is
    highlighted there. (A protocol, not that class: the screens import what imports this.)"""

    def highlighted_item(self) -> tuple[str, str] | None:
        """(table, item id) of the highlighted item, or None when nothing is."""
        ...


def restore_view(app: Host, room: Room, workspace: Workspace) -> None:
    """Back where this user was in this session (screen, stage, highlighted item), if anywhere."""
    view = load_view(workspace.path)
    mode = "stages" if not app.session.stages else "pains"
    session = app.session
    if session.progress.step is not None or not (session.personas or session.stages or session.pains):
        # The agenda started (or nothing is mapped yet): the screen of the step the top bar names,
        # so a new session opens on "Who is the customer?" while the bar says "Persona".
        mode = mode_of_step(room.step)
    if view is not None and view.mode in SCREENS:
        mode = view.mode
        if view.stage and find(app.session, "stages", view.stage):
            app.stage_id = view.stage
        if view.table and view.item and find(app.session, view.table, view.item):
            app.wanted = (view.table, view.item)
    app.switch_mode(mode)


def remember_view(app: Host) -> None:
    """Keep where this user is, for the next time this session is opened (outside the file)."""
    if app.workspace is None or app.current_mode not in SCREENS:
        return
    screens = [s for s in app.screen_stack if isinstance(s, Highlighting)]
    highlighted = screens[-1].highlighted_item() if screens else None
    table, item = highlighted if highlighted is not None else (None, None)
    save_view(app.workspace.path, View(app.current_mode, app.stage_id, table, item))
