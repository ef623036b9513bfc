"""Validate with customers: the unverified pains the ranking leans on most, and what each one
carries (the solutions that would lose score if it is not real)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import DataTable

from ....core.model import Session
from ....core.scoring import Ranking
from ....core.validation import ToValidate, stake_sentence, to_validate, top_stakes
from ....core.views import VALIDATION_EMPTY, VALIDATION_VIEW_COLUMNS, TableView, validation_view
from ...text import plain
from ..itemtable import ItemTable
from .view import Shown, SummaryView
from .why import WhyPanel

VALIDATE_WIDTHS = {"#": 3, "Stage": 16, "Evidence": 10, "At stake": 8, "If not real": 24}
VALIDATE_DROP = {"Stage": 2, "Evidence": 1}
WORKING = "   working out what each pain carries…"


class ValidateWithCustomers(Vertical, SummaryView):
    FOCUS = "#validate-table"

    # What the view's title says besides its hints while it works ("": the hints); said again
    # each time it is set, so the screen's title hears of it.
    note: var[str] = var("", init=False, always_update=True)

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._to_validate: dict[str, ToValidate] = {}

    def compose(self) -> ComposeResult:
        yield ItemTable(
            [
                (c.narrow, VALIDATE_WIDTHS.get(c.narrow), VALIDATE_DROP.get(c.narrow, 0))
                for c in VALIDATION_VIEW_COLUMNS
            ],
            id="validate-table",
        )
        yield WhyPanel(id="validate-why-scroll", detail="validate-why")

    def show(self, shown: Shown) -> None:
        session, ranking = shown.session, shown.ranking
        if not shown.big:
            items = to_validate(session, ranking)
            self._show_validate(session, ranking, validation_view(session, ranking, items), items)
        else:  # every solution's breakdown is read: a big session works it out in a thread
            self.note = WORKING
            self._validate_in_background(session, ranking)

    @work(thread=True, exclusive=True, group="summary-validate")
    def _validate_in_background(self, session: Session, ranking: Ranking) -> None:
        items = to_validate(session, ranking)
        self.app.call_from_thread(
            self._show_validate, session, ranking, validation_view(session, ranking, items), items
        )

    def _show_validate(self, session: Session, ranking: Ranking, view: TableView, items: list[ToValidate]) -> None:
        shown = self.shown
        if shown is None or session is not shown.session or ranking is not shown.ranking or not self.is_attached:
            return  # worked out for a version the room has moved past
        if self.display:
            self.note = ""
        self._to_validate = {t.pain.id: t for t in items}
        self.query_one("#validate-table", ItemTable).set_rows(
            (key, [plain(cell) for cell in row]) for key, row in zip(view.keys, view.rows, strict=True)
        )
        self._why()

    @on(DataTable.RowHighlighted, "#validate-table")
    def _highlighted(self) -> None:
        self._why()

    def _why(self) -> None:
        why = self.query_one(WhyPanel)
        item_id = self.query_one("#validate-table", ItemTable).current_id
        item = self._to_validate.get(item_id or "")
        if item is None:
            why.say(Text(VALIDATION_EMPTY, style="italic"))
            return
        out = Text.assemble(("If this pain is not real: ", "bold"), plain(item.pain.text, "bold"))
        shown, rest = top_stakes(item.stakes)
        for stake in shown:
            out.append("\n  ")
            out.append_text(plain(stake_sentence(stake)))
        if rest:
            out.append(f"\n  {rest}", style="dim")
        if not item.stakes:
            out.append("\n  no ranked solution loses score", style="dim")
        out.append("\nEnter: record what customers said (the pain's form) · c on the pains screen", style="dim")
        why.say(out)
