"""0 Parking lot: off-topic points parked so the room can move on."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.binding import Binding

from ....core.edit import convert_parked
from ....core.model import ParkingItem, Session, Stage, get
from ....core.vocab import SINGULAR
from ...text import plain
from ...widgets.itemtable import Cell
from ..base import ItemsScreen


class ParkingScreen(ItemsScreen[ParkingItem]):
    MODE = "parking"
    FULL_TEXT_IN_DETAIL = False  # its detail is the parked point's text already
    TABLE = "parking"
    COLUMNS = [("Status", 9), ("Parked point", None), ("Came up at stage", 22)]
    BINDINGS = [
        Binding(
            "c", "convert", "Convert", id="parking.convert", tooltip="Turn it into a pain, a process or a solution"
        ),
        Binding("x", "close", "Close/reopen", id="parking.close"),
    ]

    def row_cells(self, item: ParkingItem, session: Session) -> list[Cell]:
        stage = get(session, Stage, item.stage)
        return [
            Text(item.status, style="bold" if item.status == "open" else "dim"),
            plain(item.text),
            plain(stage.name if stage else "—"),
        ]

    def detail(self, item: ParkingItem, session: Session) -> Text:
        return Text.assemble(plain(item.text), ("\nc: convert · x: close or reopen · d: delete", "dim"))

    def empty_hint(self) -> str:
        return "Nothing parked. Press p on any screen to park an off-topic point."

    def capture_label(self) -> str:
        return self.park_label()

    def capture(self, text: str) -> None:
        self.cjm.add_parked(text)

    def action_close(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.update("parking", item.id, {"status": "open" if item.status != "open" else "closed"})

    def action_convert(self) -> None:
        from ..dialogs import Choice

        item = self.current_item()
        if item is None:
            return
        if item.status == "converted":
            self.notify("Already converted.")
            return

        def chosen(table: str | None) -> None:
            if not table:
                return
            result = self.cjm.apply(
                f"convert parked point to {table}",
                partial(convert_parked, actor=self.cjm.actor),
                item.id,
                table,
                self.cjm.stage_id,
            )
            if result is not None:
                self.notify(f"Converted to a {SINGULAR[table]}.")

        self.app.push_screen(
            Choice(
                "Turn this parked point into…",
                item.text,
                [("1", "a pain", "pains"), ("2", "a process", "processes"), ("3", "a solution", "solutions")],
            ),
            chosen,
        )
