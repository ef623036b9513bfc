"""2 Stages: the steps of the customer journey, in order; moments of truth."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from ....core.model import Session, Stage
from ....core.triage import merge
from ....core.views import MOMENT_MARK
from ....core.vocab import EMOTION_FACES, initials, signed
from ...text import plain
from ...widgets.capture import QuickCapture
from ...widgets.itemtable import Cell
from ..base import ItemsScreen
from .shared import field_line, marked, names


class StagesScreen(ItemsScreen[Stage]):
    MODE = "stages"
    TABLE = "stages"
    COLUMNS = [("#", 2), ("Stage", None), ("Phase", 13), ("Customer goal", None, 1), ("Owners", 16), ("Emotion", 14)]
    BINDINGS = [
        Binding("K,shift+up", "move(-1)", "Move up", id="stage.move_up", key_display="K"),
        Binding("J,shift+down", "move(1)", "Move down", id="stage.move_down", key_display="J"),
        Binding(
            "m",
            "toggle_moment",
            "Moment ★",
            id="stage.moment",
            tooltip="Mark the stage as a moment of truth, or unmark it",
            show=False,
        ),
    ]

    def row_cells(self, item: Stage, session: Session) -> list[Cell]:
        index = session.stages.index(item) + 1
        tags = dict(zip((p.id for p in session.personas), initials([p.name for p in session.personas]), strict=True))
        # Which face is whose: "S· P☹ F☹☹" (the detail panel names each persona in full).
        faces = " ".join(
            tags[p.id] + EMOTION_FACES[item.emotion[p.id]] for p in session.personas if p.id in item.emotion
        )
        return [
            str(index),
            marked(item.moment, item.name),
            item.phase or "—",
            plain(item.customer_goal),
            plain(names(session, "departments", item.owners, 18)),
            faces or "—",
        ]

    def detail(self, item: Stage, session: Session) -> Text:
        tags = dict(zip((p.id for p in session.personas), initials([p.name for p in session.personas]), strict=True))
        emotions = ", ".join(
            f"{tags[p.id]} {p.name} {signed(item.emotion[p.id])}" for p in session.personas if p.id in item.emotion
        )
        pains = sum(1 for p in session.pains if p.stage == item.id and p.kind == "pain")
        gains = sum(1 for p in session.pains if p.stage == item.id and p.kind == "gain")
        procs = sum(1 for p in session.processes if p.stage == item.id)
        return Text("\n").join(
            [
                *(
                    [Text(f"{MOMENT_MARK} A moment of truth: its pains weigh more (ranking weights, S)")]
                    if item.moment
                    else []
                ),
                field_line("Customer goal", item.customer_goal or "—"),
                field_line("Touchpoints", ", ".join(item.touchpoints) or "—"),
                field_line("Channels", ", ".join(item.channels) or "—"),
                field_line("Emotion", emotions or "—"),
                Text(f"{pains} pains, {gains} gains, {procs} internal processes"),
            ]
        )

    def capture_label(self) -> str:
        return "New stage:"

    def capture(self, text: str) -> None:
        name, fields = self.triaged("stages", text, signs_only=True)
        if not name:  # only signs ("~t-1b2"): they go on the highlighted stage
            stage = self.current_item()
            if stage is None:
                self.notify("Add a stage first: its name, then its signs.", severity="warning")
            elif fields:
                self.cjm.update("stages", stage.id, merge(stage, fields))
            return
        item = self.cjm.add("stages", {**fields, "name": name})
        if isinstance(item, Stage) and self.cjm.stage_id is None:
            self.cjm.stage_id = item.id

    def action_toggle_moment(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.update("stages", item.id, {"moment": not item.moment})

    def on_data_table_row_highlighted(self) -> None:
        # Moving the highlight picks the current stage; capturing new stages does not (the room
        # then walks the journey from where it was, usually the first step).
        if self.query_one(QuickCapture).is_open:
            return
        item = self.current_item()
        if item is not None:
            self.cjm.stage_id = item.id
