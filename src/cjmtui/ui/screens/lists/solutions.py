"""5 Solutions: the changes to internal processes the room proposes, rated and voted on."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from ....core.model import Department, Session, Solution, get
from ....core.vocab import fmt_number, plural
from ...text import plain
from ...widgets.itemtable import Cell
from .shared import VotingScreen, field_line, names, status_history


class SolutionsScreen(VotingScreen[Solution]):
    MODE = "solutions"
    TABLE = "solutions"
    # At 80 columns the status makes way (the detail panel says it): effort and confidence are
    # what the room rates, and both stay in view.
    COLUMNS = [("Solution", None), ("Changes process", 20), ("Eff", 3), ("Conf", 4), ("Status", 8, 1), ("Votes", 5)]
    BINDINGS = [
        Binding("l", "links", "Targets", id="solution.targets", tooltip="Pick the processes this solution changes"),
        *VotingScreen.VOTE_BINDINGS,
    ]

    def row_cells(self, item: Solution, session: Session) -> list[Cell]:
        return [
            plain(item.text),
            plain(names(session, "processes", item.targets, 200)),
            str(item.effort),
            f"{item.confidence:.1f}",
            item.status,
            self.dots_cell(session, item.id),
        ]

    def detail(self, item: Solution, session: Session) -> Text:
        impact, stages, reached = self.cjm.rankings.graph(session, self.cjm.persona_lens).summary(item.targets)
        owner = get(session, Department, item.owner)
        due = item.due.isoformat() if item.due else "—"
        review = item.review.isoformat() if item.review else "—"
        return Text("\n").join(
            [
                field_line("Changes", names(session, "processes", item.targets, 200)),
                field_line("Owner", f"{owner.name if owner else '—'} · due {due} · review {review}"),
                Text(
                    f"Reaches {plural(reached, 'pain')} in {plural(stages, 'stage')} · "
                    f"impact {fmt_number(impact)} · effort {item.effort} · confidence {item.confidence:.0%}"
                ),
                field_line("Status", status_history(item)),
            ]
        )

    def capture_label(self) -> str:
        return "New solution:"

    def capture(self, text: str) -> None:
        words, fields = self.triaged("solutions", text)
        self.cjm.add("solutions", {**fields, "text": words})

    def action_links(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.open_links("targets", item.id)
