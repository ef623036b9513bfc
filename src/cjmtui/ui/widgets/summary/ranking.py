"""The ranked quick wins: the solutions by score, and why the highlighted one ranks there."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from ....core.explain import explain_quadrant, explain_solution
from ....core.scoring import QUICK_WIN
from ...text import plain
from ..itemtable import Column, ItemTable
from .view import RANK_ROWS, Shown, SummaryView
from .why import WhyPanel, breakdown

COLUMNS: list[Column] = [
    ("#", 3),
    ("Solution", None),
    ("Score", 7),
    ("Impact", 7, 2),
    ("Eff", 3),
    ("Stg", 3, 1),
    ("Quadrant", 13),
    ("Votes", 5),
    ("Unverif.", 8, 3),
]


class RankedQuickWins(Vertical, SummaryView):
    FOCUS = "#ranked"

    def compose(self) -> ComposeResult:
        yield ItemTable(COLUMNS, id="ranked")
        yield WhyPanel(id="why-scroll", detail="why")

    def show(self, shown: Shown) -> None:
        self.query_one("#ranked", ItemTable).set_rows(
            (
                s.id,
                [
                    str(s.rank),
                    plain(s.text),
                    f"{s.score:.1f}",
                    f"{s.impact:.1f}",
                    str(s.effort),
                    str(s.stages_reached),
                    Text(s.quadrant, style="bold" if s.quadrant == QUICK_WIN else ""),
                    str(s.votes),
                    f"{s.unverified:.0%}",
                ],
            )
            for s in shown.ranking.solutions[:RANK_ROWS]
        )
        self._why()

    @on(DataTable.RowHighlighted, "#ranked")
    def _highlighted(self) -> None:
        self._why()

    def _why(self) -> None:
        shown = self.shown
        if shown is None:
            return
        ranking, scoring = shown.ranking, shown.session.scoring
        item_id = self.query_one("#ranked", ItemTable).current_id
        row = next((s for s in ranking.solutions if s.id == item_id), None)
        why = self.query_one(WhyPanel)
        if row is None:
            why.say(Text("No solutions yet: press 5 and capture what the room suggests.", style="italic"))
            return
        head = Text.assemble(
            (f"#{row.rank} ", "bold"),
            plain(row.text, "bold"),
            ("\nWhy: ", "bold"),
            explain_solution(row, scoring).text(),
            ("\nQuadrant: ", "bold"),
            explain_quadrant(row, ranking.median_impact, scoring.quick_win_max_effort),
            ("\nUnverified: ", "bold"),
            f"{row.unverified:.0%} of the impact rests on unchecked anecdotes and assumptions",
        )
        width = (self.screen.size.width or self.app.size.width) - 4  # the detail's padding and scrollbar
        why.say(breakdown(shown.session, row.reached, head, width))
