"""8 Departments: the internal functions that touch the journey."""

from __future__ import annotations

from rich.text import Text

from ....core.model import Department, Session
from ...text import plain
from ...widgets.itemtable import Cell
from ..base import ItemsScreen
from .shared import field_line


class DepartmentsScreen(ItemsScreen[Department]):
    MODE = "departments"
    TABLE = "departments"
    COLUMNS = [("Department", 26), ("Role", None)]

    def row_cells(self, item: Department, session: Session) -> list[Cell]:
        return [plain(item.name), plain(item.role)]

    def detail(self, item: Department, session: Session) -> Text:
        stages = [s.name for s in session.stages if item.id in s.owners]
        procs = [p.name for p in session.processes if p.owner == item.id]
        return Text("\n").join(
            [field_line("Owns stages", ", ".join(stages) or "—"), field_line("Owns processes", ", ".join(procs) or "—")]
        )

    def capture_label(self) -> str:
        return "New department:"

    def capture(self, text: str) -> None:
        self.cjm.add("departments", {"name": text})
