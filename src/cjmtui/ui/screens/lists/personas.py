"""1 Persona: who the customer is, their goals, needs and frustrations."""

from __future__ import annotations

from rich.text import Text

from ....core.model import Persona, Session
from ...text import plain
from ...widgets.itemtable import Cell
from ..base import ItemsScreen
from .shared import field_line


class PersonasScreen(ItemsScreen[Persona]):
    MODE = "personas"
    TABLE = "personas"
    COLUMNS = [("Persona", 24), ("Description", None), ("Goals", 5), ("Needs", 5), ("Frust.", 6)]

    def row_cells(self, item: Persona, session: Session) -> list[Cell]:
        return [
            plain(item.name),
            plain(item.description),
            str(len(item.goals)),
            str(len(item.needs)),
            str(len(item.frustrations)),
        ]

    def detail(self, item: Persona, session: Session) -> Text:
        return Text("\n").join(
            [
                field_line("Description", item.description or "—"),
                field_line("Goals", "; ".join(item.goals) or "—"),
                field_line("Needs", "; ".join(item.needs) or "—"),
                field_line("Frustrations", "; ".join(item.frustrations) or "—"),
            ]
        )

    def capture_label(self) -> str:
        return "New persona:"

    def capture(self, text: str) -> None:
        self.cjm.add("personas", {"name": text})
