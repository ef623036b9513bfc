"""7 Summary: the ranked upstream quick wins, why each ranks where it does, matrix, root causes.

Each view is a widget of its own (:mod:`cjmtui.ui.widgets.summary`), bound to what the screen
shows (:attr:`SummaryScreen.shown`); the screen ranks the session, titles the view, switches
between the views and opens the item a row names."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.widgets import ContentSwitcher, DataTable, Static

from ...core.export import FORMATS
from ...core.model import Session
from ...core.scoring import Ranking
from ..rankings import is_big
from ..text import plain
from ..widgets.summary import SUMMARY_CSS
from ..widgets.summary.causes import RootCauses
from ..widgets.summary.compare import FutureComparison
from ..widgets.summary.emotion import EmotionCurve
from ..widgets.summary.friction import FrictionByStage
from ..widgets.summary.matrix import ImpactEffortMatrix
from ..widgets.summary.ranking import RankedQuickWins
from ..widgets.summary.review import ReviewMeeting
from ..widgets.summary.validate import ValidateWithCustomers
from ..widgets.summary.view import RANK_ROWS, Shown, SummaryView
from .base import WorkshopScreen

VIEWS = ("ranking", "matrix", "causes", "friction", "emotion", "compare", "validate", "review")
HINT = "   v: next view · x: export · y: copy"
HINTS = {"review": "   v: next view · e on screen 5: dates"}
VIEW_TITLES = {
    "ranking": "Ranked quick wins",
    "matrix": "Impact / effort matrix",
    "causes": "Root-cause processes",
    "friction": "Friction by stage: where complaints cluster, where handoffs multiply",
    "emotion": "Emotion curve per persona",
    "compare": "Future state compared with its current state",
    "validate": "Validate with customers: the unverified pains the ranking leans on most",
    "review": "Review meeting: tracking the fixes",
}


class SummaryScreen(WorkshopScreen):
    MODE = "summary"
    CSS_PATH = SUMMARY_CSS
    BINDINGS = [
        Binding("v", "next_view", "View", id="summary.view", tooltip="Ranking → matrix → root causes"),
        Binding(
            "x",
            "export",
            "Export",
            id="summary.export",
            tooltip=f"Write the ranked list and the map to a file: {', '.join(FORMATS)}",
        ),
        Binding("y", "copy", "Copy list", id="summary.copy", tooltip="Copy the ranked list as Markdown (OSC 52)"),
        Binding(
            "r",
            "view('review')",
            "Review",
            id="summary.review",
            show=False,
            tooltip="Review meeting: solutions overdue, due for review, done since the workshop",
        ),
    ]

    ranking: Ranking | None = None
    shown: var[Shown | None] = var(None, init=False)  # what every view is bound to

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary-view-title", classes="stagebar")
        with ContentSwitcher(initial="ranking", id="summary-switcher"):
            yield RankedQuickWins(id="ranking").data_bind(SummaryScreen.shown)
            yield ImpactEffortMatrix(id="matrix").data_bind(SummaryScreen.shown)
            yield FrictionByStage(id="friction").data_bind(SummaryScreen.shown)
            yield EmotionCurve(id="emotion").data_bind(SummaryScreen.shown)
            yield FutureComparison(id="compare").data_bind(SummaryScreen.shown)
            yield ValidateWithCustomers(id="validate").data_bind(SummaryScreen.shown)
            yield ReviewMeeting(id="review").data_bind(SummaryScreen.shown)
            yield RootCauses(id="causes").data_bind(SummaryScreen.shown)

    def on_mount(self) -> None:  # WorkshopScreen's runs too (Textual calls each class's handler)
        self.watch(self.query_one(ValidateWithCustomers), "note", self._validate_note, init=False)

    def _current(self) -> str:
        return self.query_one(ContentSwitcher).current or "ranking"

    def focus_main(self) -> None:
        self.query_one(f"#{self._current()}", SummaryView).focus_main()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.focus_main()

    def refresh_view(self) -> None:
        session, lens = self.session, self.cjm.persona_lens
        view = self._current()
        self._title(view, "")
        ranking = self.cjm.rankings.get(session, lens)  # a big session's is worked out ahead
        if ranking is not None:
            self._show(session, lens, ranking)
        elif not is_big(session):
            self._show(session, lens, self.cjm.rankings.of(session, lens))
        else:  # a big session ranks in a thread: the screen (and quitting, and signals) stay live
            self._title(view, "   ranking…")
            self.cjm.rankings.when_ranked(session, lens, lambda ranking: self._show(session, lens, ranking))

    def _title(self, view: str, note: str) -> None:
        lens = self.cjm.persona_lens
        who = f" · lens: {next((p.name for p in self.session.personas if p.id == lens), lens)}" if lens else ""
        self.query_one("#summary-view-title", Static).update(
            Text.assemble((VIEW_TITLES[view], "bold"), plain(who), (note or HINTS.get(view, HINT), "dim"))
        )

    def _validate_note(self, note: str) -> None:
        self._title("validate", note)

    def _show(self, session: Session, lens: str | None, ranking: Ranking) -> None:
        """Show ``ranking`` in the current view only (the others are built when shown)."""
        if (
            session is not self.session
            or lens != self.cjm.persona_lens
            or not self.is_attached
            or self.cjm.autosave.exiting
        ):
            return  # ranked for a version the room has moved past: its successor is coming
        self.ranking = ranking
        view = self._current()
        shown = len(ranking.solutions) if view != "causes" else len(ranking.processes)
        note = f"   top {RANK_ROWS:,} of {shown:,} shown · x exports all" if shown > RANK_ROWS else ""
        self._title(view, note)
        workspace = self.cjm.workspace
        self.shown = Shown(
            session,
            lens,
            ranking,
            folder=workspace.path.parent if workspace is not None else None,
            today=self.cjm.now().date(),
            big=is_big(session),
        )

    @on(DataTable.RowSelected, "#ranked")
    def _open_solution(self, event: DataTable.RowSelected) -> None:
        self.cjm.open_form("solutions", event.row_key.value)

    @on(DataTable.RowSelected, "#rootcauses")
    def _open_process(self, event: DataTable.RowSelected) -> None:
        self.cjm.open_form("processes", event.row_key.value)

    @on(DataTable.RowSelected, "#validate-table")
    def _open_pain(self, event: DataTable.RowSelected) -> None:
        self.cjm.open_form("pains", event.row_key.value)

    def action_next_view(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        switcher.current = VIEWS[(VIEWS.index(self._current()) + 1) % len(VIEWS)]
        self.refresh_view()
        self.focus_main()

    def action_view(self, view: str) -> None:
        self.query_one(ContentSwitcher).current = view
        self.refresh_view()
        self.focus_main()

    def action_export(self) -> None:
        self.cjm.action_export()

    def action_copy(self) -> None:
        self.cjm.action_copy_ranking()
