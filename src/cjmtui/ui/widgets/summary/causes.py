"""The root-cause processes: the internal processes whose fixing reaches the most pain."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from ....core.explain import explain_process
from ....core.views import Names
from ...text import plain
from ..itemtable import ItemTable
from .view import RANK_ROWS, Shown, SummaryView
from .why import WhyPanel, breakdown

COLUMNS = [("#", 3), ("Internal process", None), ("Owner", 16), ("Score", 7), ("Pains", 5), ("Stg", 3)]


class RootCauses(Vertical, SummaryView):
    FOCUS = "#rootcauses"

    def compose(self) -> ComposeResult:
        yield ItemTable(COLUMNS, id="rootcauses")
        yield WhyPanel(id="cause-why-scroll", detail="cause-why")

    def show(self, shown: Shown) -> None:
        names = Names(shown.session)
        self.query_one("#rootcauses", ItemTable).set_rows(
            (
                p.id,
                [
                    str(p.rank),
                    plain(p.name),
                    plain(names.department(p.owner) if p.owner else "—"),
                    f"{p.score:.1f}",
                    str(p.pains_reached),
                    str(p.stages_reached),
                ],
            )
            for p in shown.ranking.processes[:RANK_ROWS]
        )
        self._why()

    @on(DataTable.RowHighlighted, "#rootcauses")
    def _highlighted(self) -> None:
        self._why()

    def _why(self) -> None:
        shown = self.shown
        if shown is None:
            return
        item_id = self.query_one("#rootcauses", ItemTable).current_id
        row = next((p for p in shown.ranking.processes if p.id == item_id), None)
        why = self.query_one(WhyPanel)
        if row is None:
            why.say(Text("No internal processes yet: press 4.", style="italic"))
            return
        head = Text.assemble(
            (f"#{row.rank} ", "bold"),
            plain(row.name, "bold"),
            ("\nFixing it: ", "bold"),
            explain_process(row, shown.session.scoring).text(),
        )
        width = (self.screen.size.width or self.app.size.width) - 4  # the detail's padding and scrollbar
        why.say(breakdown(shown.session, row.reached, head, width))
