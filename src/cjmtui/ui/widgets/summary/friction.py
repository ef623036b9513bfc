"""Friction by stage: where complaints cluster, and where handoffs multiply."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from ....core.views import FRICTION_VIEW_COLUMNS, friction_view
from ...text import plain
from ..itemtable import ItemTable
from .view import Shown, SummaryView

# The stage's name gives way at 80 columns so the last column ("Reaches most") stays readable.
FRICTION_WIDTHS = {"#": 3, "Stage": 22, "Pains": 5, "Weight": 6, "Depts": 5, "Handoffs": 8}


class FrictionByStage(Vertical, SummaryView):
    FOCUS = "#friction-table"

    def compose(self) -> ComposeResult:
        yield ItemTable([(c.narrow, FRICTION_WIDTHS.get(c.narrow)) for c in FRICTION_VIEW_COLUMNS], id="friction-table")

    def show(self, shown: Shown) -> None:
        view = friction_view(shown.session, shown.lens)
        self.query_one("#friction-table", ItemTable).set_rows(
            (
                key,
                [
                    plain(cell, "bold reverse" if i in view.marked and col.title == "Pain weight" else "")
                    for cell, col in zip(row, view.columns, strict=True)
                ],
            )
            for i, (key, row) in enumerate(zip(view.keys, view.rows, strict=True))
        )
