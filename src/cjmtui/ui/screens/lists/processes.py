"""4 Internal processes: what runs in parallel to each stage, and which pains it causes."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual.binding import Binding

from ....core.model import Process, Session
from ....core.vocab import fmt_number, plural
from ...text import clip, plain
from ...widgets.itemtable import Cell
from .shared import StagedScreen, field_line, memo, names


class ProcessesScreen(StagedScreen[Process]):
    MODE = "processes"
    TABLE = "processes"
    CAPTURE_AT_STAGE = True
    COLUMNS = [("Internal process", None), ("Owner", 16), ("Systems", 12, 1), ("Hands off to", None), ("Causes", 6)]
    BINDINGS = [
        Binding(
            "f", "feeds", "Handoffs", id="process.feeds", tooltip="Pick the downstream processes this one hands work to"
        ),
    ]

    def row_cells(self, item: Process, session: Session) -> list[Cell]:
        pains = session.pains
        counts = memo((pains,), "causes", lambda: Counter(c for p in pains for c in set(p.caused_by)))
        causes = counts.get(item.id, 0)
        return [
            plain(item.name),
            plain(names(session, "departments", [item.owner] if item.owner else [], 16)),
            plain(clip(", ".join(item.systems), 12) or "—"),
            plain(names(session, "processes", item.feeds, 200)),
            str(causes),
        ]

    def detail(self, item: Process, session: Session) -> Text:
        causes = [p.text for p in session.pains if item.id in p.caused_by]
        fed_by = [p.name for p in session.processes if item.id in p.feeds]
        impact, stages, reached = self.cjm.rankings.graph(session, None).summary([item.id])
        return Text("\n").join(
            [
                field_line("Causes", "; ".join(causes) or "— press l to link the pains it causes"),
                field_line("Systems", ", ".join(item.systems) or "—"),
                field_line("Receives work from", ", ".join(fed_by) or "—"),
                field_line("Hands work to", names(session, "processes", item.feeds)),
                Text(
                    f"Fixing it would reach {plural(reached, 'pain')} in {plural(stages, 'stage')} "
                    f"(impact {fmt_number(impact)})"
                ),
            ]
        )

    def capture_label(self) -> str | None:
        stage = self.stage()
        return f"New process @ {clip(stage.name, 24)}:" if stage else "New process (add a stage first):"

    def capture(self, text: str) -> None:
        if self.stage() is None:
            self.notify("Add a stage first (press 2).", severity="warning")
            return
        name, fields = self.triaged("processes", text)
        if "owner" not in fields:  # a new process is owned by its stage's owner, until said otherwise
            stage = self.stage()
            if stage is not None and stage.owners:
                fields["owner"] = stage.owners[0]
        self.cjm.add("processes", {**fields, "stage": self.cjm.stage_id, "name": name})

    def action_feeds(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.open_links("feeds", item.id)
