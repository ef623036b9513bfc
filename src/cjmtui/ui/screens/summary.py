"""7 Summary: the ranked upstream quick wins, why each ranks where it does, matrix, root causes."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Static

from ...core.explain import explain_process, explain_quadrant, explain_solution, why_rows
from ...core.export import FORMATS
from ...core.model import Session
from ...core.scoring import QUICK_WIN, Ranking, Reached, at_moment, moment_stages
from ...core.validation import ToValidate, stake_sentence, to_validate, top_stakes
from ...core.views import (
    FRICTION_VIEW_COLUMNS,
    MOMENT_MARK,
    VALIDATION_EMPTY,
    VALIDATION_VIEW_COLUMNS,
    Names,
    TableView,
    friction_view,
    validation_view,
)
from ...core.vocab import emotion_value, fmt_number
from ..rankings import is_big
from ..text import clip, plain
from ..widgets.emotion import draw_emotion
from ..widgets.itemtable import ItemTable
from ..widgets.matrix import draw_matrix
from ..widgets.review import review_text
from .base import WorkshopScreen

# The summary lists the top of the ranking; exports (x) and `cjmtui rank` have every row.
RANK_ROWS = 300  # a screen of quick wins; exports and `cjmtui rank` have every row
# The stage's name gives way at 80 columns so the last column ("Reaches most") stays readable.
FRICTION_WIDTHS = {"#": 3, "Stage": 22, "Pains": 5, "Weight": 6, "Depts": 5, "Handoffs": 8}
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
VALIDATE_WIDTHS = {"#": 3, "Stage": 16, "Evidence": 10, "At stake": 8, "If not real": 24}
VALIDATE_DROP = {"Stage": 2, "Evidence": 1}


class SummaryScreen(WorkshopScreen):
    MODE = "summary"
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
    _to_validate: dict[str, ToValidate] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary-view-title", classes="stagebar")
        with ContentSwitcher(initial="ranking", id="summary-switcher"):
            with Vertical(id="ranking"):
                yield ItemTable(
                    [
                        ("#", 3),
                        ("Solution", None),
                        ("Score", 7),
                        ("Impact", 7, 2),
                        ("Eff", 3),
                        ("Stg", 3, 1),
                        ("Quadrant", 13),
                        ("Votes", 5),
                        ("Unverif.", 8, 3),
                    ],
                    id="ranked",
                )
                with VerticalScroll(id="why-scroll"):
                    yield Static("", id="why", classes="detail")
            with VerticalScroll(id="matrix"):
                yield Static("", id="matrix-chart")
                yield Static("", id="matrix-legend")
            with Vertical(id="friction"):
                yield ItemTable(
                    [(c.narrow, FRICTION_WIDTHS.get(c.narrow)) for c in FRICTION_VIEW_COLUMNS], id="friction-table"
                )
            with VerticalScroll(id="emotion"):
                yield Static("", id="emotion-chart")
            with VerticalScroll(id="compare"):
                yield Static("", id="compare-text")
            with Vertical(id="validate"):
                yield ItemTable(
                    [
                        (c.narrow, VALIDATE_WIDTHS.get(c.narrow), VALIDATE_DROP.get(c.narrow, 0))
                        for c in VALIDATION_VIEW_COLUMNS
                    ],
                    id="validate-table",
                )
                with VerticalScroll(id="validate-why-scroll"):
                    yield Static("", id="validate-why", classes="detail")
            with VerticalScroll(id="review"):
                yield Static("", id="review-text")
            with Vertical(id="causes"):
                yield ItemTable(
                    [("#", 3), ("Internal process", None), ("Owner", 16), ("Score", 7), ("Pains", 5), ("Stg", 3)],
                    id="rootcauses",
                )
                with VerticalScroll(id="cause-why-scroll"):
                    yield Static("", id="cause-why", classes="detail")

    def focus_main(self) -> None:
        view = self.query_one(ContentSwitcher).current
        target = {
            "ranking": "#ranked",
            "causes": "#rootcauses",
            "matrix": "#matrix",
            "friction": "#friction-table",
            "emotion": "#emotion",
            "compare": "#compare",
            "validate": "#validate-table",
            "review": "#review",
        }[view or "ranking"]
        self.query_one(target).focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.focus_main()

    def refresh_view(self) -> None:
        session, lens = self.session, self.cjm.persona_lens
        view = self.query_one(ContentSwitcher).current or "ranking"
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
        view = self.query_one(ContentSwitcher).current or "ranking"
        shown = len(ranking.solutions) if view != "causes" else len(ranking.processes)
        note = f"   top {RANK_ROWS:,} of {shown:,} shown · x exports all" if shown > RANK_ROWS else ""
        self._title(view, note)
        if view == "ranking":
            self._ranked(ranking)
            self._why()
        elif view == "causes":
            self._root_causes(ranking)
            self._cause_why()
        elif view == "matrix":
            self._matrix(ranking)
        elif view == "friction":
            self._friction()
        elif view == "emotion":
            self.query_one("#emotion-chart", Static).update(
                draw_emotion(session, self.cjm.persona_lens, width=self.size.width - 4)
            )
        elif view == "compare":
            self.query_one("#compare-text", Static).update(self._comparison())
        elif view == "validate":
            self._validate(ranking)
        elif view == "review":
            self.query_one("#review-text", Static).update(review_text(session, self.cjm.now().date()))

    def _ranked(self, ranking: Ranking) -> None:
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
            for s in ranking.solutions[:RANK_ROWS]
        )

    def _root_causes(self, ranking: Ranking) -> None:
        names = Names(self.session)
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
            for p in ranking.processes[:RANK_ROWS]
        )

    def _matrix(self, ranking: Ranking) -> None:
        width = max(40, self.size.width - 4)
        self.query_one("#matrix-chart", Static).update(
            draw_matrix(ranking, self.session.scoring.quick_win_max_effort, width=min(width, 100), height=16)
        )
        legend = Text()
        max_effort = self.session.scoring.quick_win_max_effort
        for s in ranking.solutions[:RANK_ROWS]:
            legend.append(f"{s.rank:>3} ", style="bold")
            legend.append_text(plain(clip(s.text, width - 24)))
            legend.append(f"\n    {explain_quadrant(s, ranking.median_impact, max_effort)}\n", style="dim")
        self.query_one("#matrix-legend", Static).update(legend)

    def _breakdown(self, reached: tuple[Reached, ...], head: Text) -> Text:
        session = self.session
        stages = {s.id: s.name for s in session.stages}
        pains = {p.id: p for p in session.pains}
        moments = moment_stages(session)
        out = head
        if not reached:
            out.append("\nReaches no pain yet: link it to the processes it changes (screen 5, l).", style="italic")
            return out
        shown, rest = why_rows(reached)
        width = (self.size.width or self.app.size.width) - 4  # the detail's padding and scrollbar
        for r in shown:
            out.append("\n")
            pain = pains.get(r.pain)
            start = Text.assemble(
                (f"{r.contribution:6.1f} ", "bold"),
                (f"= {fmt_number(r.weight)}×{session.scoring.hop_decay:g}^{r.hops} ", "dim"),
                (f"{MOMENT_MARK} " if pain is not None and at_moment(pain, moments) else "", "bold"),
            )
            end = Text.assemble(
                ("  @ ", "dim"),
                plain(clip(stages.get(r.stage, r.stage), 20)),
                (f"  {r.hops} hop{'s' if r.hops != 1 else ''}", "dim"),
                (f" · {pain.evidence}, unchecked" if pain is not None and pain.unverified else "", "dim"),
            )
            # Each row on one line: the pain's words give way at 80 columns (they used to wrap
            # mid-phrase and push the rows below out of the panel).
            room = max(12, min(48, width - start.cell_len - end.cell_len))
            out.append_text(start)
            out.append_text(plain(clip(pain.text if pain is not None else r.pain, room)))
            out.append_text(end)
        if rest:
            out.append(f"\n{rest}: cjmtui rank --format json --why lists every one", style="italic")
        return out

    def _why(self) -> None:
        if self.ranking is None:
            return
        item_id = self.query_one("#ranked", ItemTable).current_id
        row = next((s for s in self.ranking.solutions if s.id == item_id), None)
        why = self.query_one("#why", Static)
        if row is None:
            why.update(Text("No solutions yet: press 5 and capture what the room suggests.", style="italic"))
            return
        head = Text.assemble(
            (f"#{row.rank} ", "bold"),
            plain(row.text, "bold"),
            ("\nWhy: ", "bold"),
            explain_solution(row, self.session.scoring).text(),
            ("\nQuadrant: ", "bold"),
            explain_quadrant(row, self.ranking.median_impact, self.session.scoring.quick_win_max_effort),
            ("\nUnverified: ", "bold"),
            f"{row.unverified:.0%} of the impact rests on unchecked anecdotes and assumptions",
        )
        why.update(self._breakdown(row.reached, head))

    def _cause_why(self) -> None:
        if self.ranking is None:
            return
        item_id = self.query_one("#rootcauses", ItemTable).current_id
        row = next((p for p in self.ranking.processes if p.id == item_id), None)
        why = self.query_one("#cause-why", Static)
        if row is None:
            why.update(Text("No internal processes yet: press 4.", style="italic"))
            return
        head = Text.assemble(
            (f"#{row.rank} ", "bold"),
            plain(row.name, "bold"),
            ("\nFixing it: ", "bold"),
            explain_process(row, self.session.scoring).text(),
        )
        why.update(self._breakdown(row.reached, head))

    @on(DataTable.RowHighlighted, "#ranked")
    def _ranked_highlighted(self) -> None:
        self._why()

    @on(DataTable.RowHighlighted, "#validate-table")
    def _validate_highlighted(self) -> None:
        self._validate_why()

    @on(DataTable.RowSelected, "#validate-table")
    def _open_pain(self, event: DataTable.RowSelected) -> None:
        self.cjm.open_form("pains", event.row_key.value)

    def _validate(self, ranking: Ranking) -> None:
        session = self.session
        if not is_big(session):
            items = to_validate(session, ranking)
            self._show_validate(session, ranking, validation_view(session, ranking, items), items)
        else:  # every solution's breakdown is read: a big session works it out in a thread
            self._title("validate", "   working out what each pain carries…")
            self._validate_in_background(session, ranking)

    @work(thread=True, exclusive=True, group="summary-validate")
    def _validate_in_background(self, session: Session, ranking: Ranking) -> None:
        items = to_validate(session, ranking)
        self.app.call_from_thread(
            self._show_validate, session, ranking, validation_view(session, ranking, items), items
        )

    def _show_validate(self, session: Session, ranking: Ranking, view: TableView, items: list[ToValidate]) -> None:
        if session is not self.session or ranking is not self.ranking or not self.is_attached:
            return  # worked out for a version the room has moved past
        if self.query_one(ContentSwitcher).current == "validate":
            self._title("validate", "")
        self._to_validate = {t.pain.id: t for t in items}
        self.query_one("#validate-table", ItemTable).set_rows(
            (key, [plain(cell) for cell in row]) for key, row in zip(view.keys, view.rows, strict=True)
        )
        self._validate_why()

    def _validate_why(self) -> None:
        why = self.query_one("#validate-why", Static)
        item_id = self.query_one("#validate-table", ItemTable).current_id
        item = self._to_validate.get(item_id or "")
        if item is None:
            why.update(Text(VALIDATION_EMPTY, style="italic"))
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
        why.update(out)

    @on(DataTable.RowHighlighted, "#rootcauses")
    def _cause_highlighted(self) -> None:
        self._cause_why()

    @on(DataTable.RowSelected, "#ranked")
    def _open_solution(self, event: DataTable.RowSelected) -> None:
        self.cjm.open_form("solutions", event.row_key.value)

    @on(DataTable.RowSelected, "#rootcauses")
    def _open_process(self, event: DataTable.RowSelected) -> None:
        self.cjm.open_form("processes", event.row_key.value)

    def _friction(self) -> None:
        view = friction_view(self.session, self.cjm.persona_lens)
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

    def _comparison(self) -> Text:
        from ...core.errors import CjmError
        from ...core.future import compare
        from ...core.store import load_session

        session = self.session
        origin = session.session.origin
        if session.session.state != "future" or not origin:
            return Text(
                "This is a current-state session. Derive a future state from the command palette "
                "(ctrl+p → “Derive future-state session”), change it, then compare here.",
                style="italic",
            )
        workspace = self.cjm.workspace
        if workspace is None:
            return Text("")
        path = workspace.path.parent / origin
        try:
            current = load_session(path).session
        except CjmError as exc:
            return plain(f"Cannot read the current state to compare with: {exc}")
        result = compare(current, session)
        pains_now = {p.id: p for p in current.pains}
        pains_later = {p.id: p for p in session.pains}
        stages = {s.id: s.name for s in [*current.stages, *session.stages]}
        out = Text()
        out.append(f"Compared with {origin}\n\n", style="bold")
        out.append(f"Pains removed ({len(result.removed)})\n", style="bold")
        for pid in result.removed:
            out.append("  − ")
            out.append_text(plain(f"{pains_now[pid].text}  @ {stages.get(pains_now[pid].stage, '')}"))
            out.append("\n")
        out.append(f"\nPains added ({len(result.added)})\n", style="bold")
        for pid in result.added:
            out.append("  + ")
            out.append_text(plain(f"{pains_later[pid].text}  @ {stages.get(pains_later[pid].stage, '')}"))
            out.append("\n")
        out.append(f"\nEmotion changes ({len(result.emotion)})\n", style="bold")
        for ch in result.emotion:
            out.append_text(
                plain(f"  {ch.stage_name} · {ch.persona_name}: {emotion_value(ch.before)} → {emotion_value(ch.after)}")
            )
            out.append("\n")
        sols = {s.id: s.text for s in session.solutions}
        out.append("\nSolutions done or under way, and the removed pains they were meant to remove\n", style="bold")
        for sol_id, removed in result.meant_to_remove:
            out.append_text(plain(f"  {sols.get(sol_id, sol_id)}: "))
            out.append_text(plain("; ".join(pains_now[p].text for p in removed) or "none of the removed pains"))
            out.append("\n")
        return out

    def action_next_view(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        current = switcher.current or "ranking"
        switcher.current = VIEWS[(VIEWS.index(current) + 1) % len(VIEWS)]
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
