"""The session picker: sessions in the sessions folder, most recent first, or a new one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...core.errors import CjmError
from ...core.files import create_session_file, list_sessions
from ...core.model import JOURNEYS
from ...core.templates import DESCRIPTIONS, JOURNEY_WORDS, TEMPLATES
from ...core.workspace import Workspace
from ..text import plain
from ..widgets.itemtable import Cell, ItemTable
from ..widgets.keybar import KeyBar
from .dialogs import AskName, Choice

if TYPE_CHECKING:
    from ..workshop import Workshop


class PickerScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "open", "Open", id="picker.open", show=False),
        Binding("n", "new", "New session", id="picker.new", tooltip="Create a session from a template"),
        Binding(
            "j",
            "join",
            "Join as…",
            id="picker.join",
            tooltip="Open the highlighted session as a participant: your notes carry your name",
        ),
        Binding("r", "reload", "Refresh", id="picker.refresh", show=False),
    ]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Static(Text(" cjmtui — customer journey mapping ", style="bold reverse"), id="topbar")
        yield Static(
            plain(f"Sessions in {self.folder}  (most recent first) · Enter opens · n creates a new one"),
            classes="question",
        )
        yield ItemTable([("Session file", None), ("Changed", 17), ("Size", 8)], id="sessions")
        yield Static("", id="picker-error", classes="field-error")
        yield KeyBar(id="keybar")

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one(ItemTable).focus()

    def action_reload(self) -> None:
        rows: list[tuple[str, list[Cell]]] = []
        for path in list_sessions(self.folder):
            try:
                st = path.stat()
            except OSError:
                continue
            when = dt.datetime.fromtimestamp(st.st_mtime).strftime("%Y-%m-%d %H:%M")
            rows.append((str(path), [plain(path.name), when, f"{st.st_size // 1024 + 1} KB"]))
        table = self.query_one(ItemTable)
        table.set_rows(rows)
        if not rows:
            self.query_one("#picker-error", Static).update(
                Text("No sessions here yet: press n to create one from a template.", style="italic")
            )

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        path = self.query_one(ItemTable).current_id
        if path:
            self.open_path(Path(path))

    def action_join(self) -> None:
        """Open the highlighted session as a participant (like ``cjmtui join FILE --as NAME``)."""
        from ...core.live import participant_name
        from .dialogs import AskName

        path = self.query_one(ItemTable).current_id
        if not path:
            return

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                actor = participant_name(name)
            except CjmError as exc:
                self.query_one("#picker-error", Static).update(plain(f"⚠ {exc}"))
                return
            app = cast("Workshop", self.app)
            before, app.actor = app.actor, actor
            if not self.open_path(Path(path)):
                app.actor = before

        self.app.push_screen(AskName("Join as (your name, as the room knows you)", ""), named)

    def open_path(self, path: Path) -> bool:
        try:
            workspace = Workspace.open(path)
        except CjmError as exc:
            self.query_one("#picker-error", Static).update(plain(f"⚠ {exc}"))
            return False
        app = cast("Workshop", self.app)
        if app.workspace is not None:
            app.workspace.release()
        self.dismiss()
        app.open_workspace(workspace)
        return True

    def action_new(self) -> None:
        """Title, then a template (each says what it prefills), then for "empty" the journey type."""

        def named(title: str | None) -> None:
            if not title:
                return
            answers = [(str(i + 1), name, name) for i, name in enumerate(TEMPLATES)]

            def templated(template: str | None) -> None:
                if template == "empty":
                    self.ask_journey(title)
                elif template:
                    self.create(title, template)

            self.app.push_screen(
                Choice("Start from a template", "", answers, described=DESCRIPTIONS),
                templated,
            )

        self.app.push_screen(AskName("Title of the new session", "New session"), named)

    def ask_journey(self, title: str) -> None:
        answers = [(str(i + 1), name, name) for i, name in enumerate(JOURNEYS)]

        def chosen(journey: str | None) -> None:
            if journey:
                self.create(title, "empty", journey)

        self.app.push_screen(Choice("What kind of journey?", "", answers, described=JOURNEY_WORDS), chosen)

    def create(self, title: str, template: str, journey: str | None = None) -> None:
        try:
            path = create_session_file(self.folder, title, template, journey=journey)
        except (CjmError, OSError) as exc:
            self.query_one("#picker-error", Static).update(plain(f"⚠ {exc}"))
            return
        self.open_path(path)
