"""6 Map: the journey map as people know it, with the cause cascade for the highlighted item."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..widgets.mapview import MapView, describe
from .base import WorkshopScreen


class MapScreen(WorkshopScreen):
    MODE = "map"
    BINDINGS = [
        Binding("e", "edit", "Edit", id="map.edit", tooltip="Edit the highlighted item"),
        Binding(
            "enter", "cascade", "Cascade", id="map.cascade", tooltip="The highlighted item's whole cascade, to read"
        ),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="map-window", classes="stagebar")
        with VerticalScroll(id="map-scroll"):
            yield MapView(id="map")
        yield Static("", id="map-detail", classes="detail")

    @property
    def map(self) -> MapView:
        return self.query_one(MapView)

    def focus_main(self) -> None:
        self.map.focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.map.focus()

    def refresh_view(self) -> None:
        self.map.show(self.session, self.cjm.persona_lens)

    @on(MapView.Moved)
    def _moved(self, event: MapView.Moved) -> None:
        if self.cjm.autosave.exiting:
            return  # leaving: the cascade of a big session is no longer worth working out
        self.query_one("#map-detail", Static).update(describe(self.session, event.ref))
        first, last, total = event.window
        more = ("◀ " if first > 1 else "  ") + ("▶" if last < total else " ")
        self.query_one("#map-window", Static).update(
            Text.assemble(
                (f"Stages {first}–{last} of {total} {more}", "bold"),
                ("   ←→ stage · ↑↓ item · Enter the whole cascade · e edit · ► here ▲ causes it ▼ it causes", "dim"),
            )
        )
        scroll = self.query_one("#map-scroll", VerticalScroll)
        height = scroll.size.height or 10
        if not scroll.scroll_y <= event.line < scroll.scroll_y + height - 1:
            scroll.scroll_to(y=max(0, event.line - height // 3), animate=False)
        if event.ref and event.ref[0] == "stages":
            self.cjm.stage_id = event.ref[1]

    def action_cascade(self) -> None:
        from .dialogs import Reading

        ref = self.map.current
        if ref is not None:
            self.app.push_screen(Reading("What causes it and what it causes", describe(self.session, ref)))

    def action_edit(self) -> None:
        ref = self.map.current
        if ref is not None:
            self.cjm.open_form(ref[0], ref[1])

    def capture_label(self) -> str | None:
        return None
