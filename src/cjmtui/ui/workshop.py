"""The app as the workshop's screens and the palette see it: :class:`Workshop`.

A :class:`~cjmtui.ui.host.Host` (the session, the one edit path, the state to watch) and the
app's controllers (saving, the room, the ranking), the rest of the edit path the screens use
(parking, the current stage, the item to highlight) and the forms they open. The screens reach
the app through this type (``WorkshopScreen.cjm``), never through :class:`cjmtui.ui.app.CjmApp`,
which imports them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from .host import Host

if TYPE_CHECKING:
    from textual.binding import Binding

    from ..core.model import Record
    from ..core.workspace import Workspace
    from .autosave import Autosave
    from .rankings import Rankings
    from .room import Room


class Workshop(Host, Protocol):
    """The app as the screens see it (:class:`cjmtui.ui.app.CjmApp` is the one there is)."""

    # The controllers the app owns ----------------------------------------------------------------

    @property
    def autosave(self) -> Autosave: ...

    @property
    def room(self) -> Room: ...

    @property
    def rankings(self) -> Rankings: ...

    # The edit path, as the screens use it ------------------------------------------------------------

    def add_parked(self, text: str) -> Record | None:
        """Park an off-topic point at the current stage."""
        ...

    def take_wanted(self, table: str) -> str | None:
        """The item an edit or the palette asked a ``table`` screen to highlight, once."""
        ...

    def ensure_stage(self) -> None: ...

    def step_stage(self, delta: int) -> None: ...

    def go_to(self, table: str, item_id: str) -> None:
        """Show an item where it lives (the palette's "go to …")."""
        ...

    def open_workspace(self, workspace: Workspace) -> None:
        """Show ``workspace`` (the session picker opens one)."""
        ...

    # Forms and exports (ui/forms.py, ui/exports.py) ---------------------------------------------

    def open_form(self, table: str, item_id: str | None, defaults: dict[str, Any] | None = None) -> None: ...

    def open_links(self, kind: str, item_id: str) -> None: ...

    def action_export(self) -> None: ...

    def action_copy_ranking(self) -> None: ...

    # Textual's app, as far as the palette calls it -------------------------------------------------

    def get_key_display(self, binding: Binding) -> str: ...

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None: ...

    async def run_action(self, action: str | Any, default_namespace: Any = None) -> bool: ...
