"""7 Summary: the ranked upstream quick wins, why each ranks where it does, matrix, root causes."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Static

from ...core.export import ranking_markdown
from ...core.model import find
from ...core.scoring import Ranking, rank
from ..text import clip, plain
from ..widgets.itemtable import ItemTable
from ..widgets.matrix import draw_matrix
from .base import WorkshopScreen

VIEWS = ("ranking", "matrix", "causes")
VIEW_TITLES = {"ranking": "Ranked quick wins", "matrix": "Impact / effort matrix", "causes": "Root-cause processes"}


class SummaryScreen(WorkshopScreen):
    MODE = "summary"
    TITLE = "7 Summary"
    QUESTION = "Which changes remove the most pain downstream for the least effort? Upstream quick wins first."
    BINDINGS = [
        Binding("v", "next_view", "View", id="summary.view", tooltip="Ranking → matrix → root causes"),
        Binding("x", "export", "Export", id="summary.export", tooltip="Write the ranked list to a file (md, csv, json)"),
        Binding("y", "copy", "Copy list", id="summary.copy", tooltip="Copy the ranked list as Markdown (OSC 52)"),
    ]

    ranking: Ranking | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary-view-title", classes="stagebar")
        with ContentSwitcher(initial="ranking", id="summary-switcher"):
            with Vertical(id="ranking"):
                yield ItemTable(
                    [("#", 3), ("Solution", None), ("Score", 7), ("Impact", 7), ("Eff", 3), ("Stg", 3),
                     ("Quadrant", 13), ("Votes", 5)],
                    id="ranked",
                )
                with VerticalScroll(id="why-scroll"):
                    yield Static("", id="why", classes="detail")
            with VerticalScroll(id="matrix"):
                yield Static("", id="matrix-chart")
                yield Static("", id="matrix-legend")
            with Vertical(id="causes"):
                yield ItemTable(
                    [("#", 3), ("Internal process", None), ("Owner", 16), ("Score", 7), ("Pains", 5), ("Stg", 3)],
                    id="rootcauses",
                )
                with VerticalScroll(id="cause-why-scroll"):
                    yield Static("", id="cause-why", classes="detail")

    def focus_main(self) -> None:
        view = self.query_one(ContentSwitcher).current
        target = {"ranking": "#ranked", "causes": "#rootcauses", "matrix": "#matrix"}[view or "ranking"]
        self.query_one(target).focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.focus_main()

    def refresh_view(self) -> None:
        session = self.session
        self.ranking = rank(session, self.cjm.persona_lens)
        ranking = self.ranking
        lens = ""
        if self.cjm.persona_lens:
            persona = find(session, "personas", self.cjm.persona_lens)
            lens = f" · lens: {persona.name if persona else self.cjm.persona_lens}"
        view = self.query_one(ContentSwitcher).current or "ranking"
        self.query_one("#summary-view-title", Static).update(
            Text.assemble((VIEW_TITLES[view], "bold"), plain(lens), ("   v: next view · x: export · y: copy", "dim"))
        )
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
                    Text(s.quadrant, style="bold" if s.quadrant == "quick win" else ""),
                    str(s.votes),
                ],
            )
            for s in ranking.solutions
        )
        owners = {d.id: d.name for d in session.departments}
        self.query_one("#rootcauses", ItemTable).set_rows(
            (
                p.id,
                [
                    str(p.rank),
                    plain(p.name),
                    plain(owners.get(p.owner or "", "—")),
                    f"{p.score:.1f}",
                    str(len(p.reached)),
                    str(p.stages_reached),
                ],
            )
            for p in ranking.processes
        )
        width = max(40, self.size.width - 4)
        self.query_one("#matrix-chart", Static).update(
            draw_matrix(ranking, session.scoring.quick_win_max_effort, width=min(width, 100), height=16)
        )
        legend = Text()
        for s in ranking.solutions:
            legend.append(f"{s.rank:>3} ", style="bold")
            legend.append_text(plain(clip(s.text, width - 24)))
            legend.append(f"  ({s.quadrant})\n", style="dim")
        self.query_one("#matrix-legend", Static).update(legend)
        self._why()
        self._cause_why()

    def _breakdown(self, reached, head: Text) -> Text:  # noqa: ANN001
        session = self.session
        stages = {s.id: s.name for s in session.stages}
        pains = {p.id: p.text for p in session.pains}
        out = head
        if not reached:
            out.append("\nReaches no pain yet: link it to the processes it changes (screen 5, l).", style="italic")
            return out
        for r in reached:
            out.append("\n")
            out.append(f"{r.contribution:6.1f} ", style="bold")
            out.append(f"= {r.weight}×{session.scoring.hop_decay:g}^{r.hops} ", style="dim")
            out.append_text(plain(clip(pains.get(r.pain, r.pain), 48)))
            out.append("  @ ", style="dim")
            out.append_text(plain(clip(stages.get(r.stage, r.stage), 20)))
            out.append(f"  {r.hops} hop{'s' if r.hops != 1 else ''}", style="dim")
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
            ("Why #%d: " % row.rank, "bold"),
            f"impact {row.impact:.1f} × stage bonus (reaches {row.stages_reached} stages) × confidence "
            f"{row.confidence:.0%} ÷ effort {row.effort} = {row.score:.1f}",
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
        head = Text.assemble(("Fixing this process reaches: ", "bold"), f"impact {row.impact:.1f} in {row.stages_reached} stages")
        why.update(self._breakdown(row.reached, head))

    @on(DataTable.RowHighlighted, "#ranked")
    def _ranked_highlighted(self) -> None:
        self._why()

    @on(DataTable.RowHighlighted, "#rootcauses")
    def _cause_highlighted(self) -> None:
        self._cause_why()

    @on(DataTable.RowSelected, "#ranked")
    def _open_solution(self, event: DataTable.RowSelected) -> None:
        self.cjm.open_form("solutions", event.row_key.value)

    @on(DataTable.RowSelected, "#rootcauses")
    def _open_process(self, event: DataTable.RowSelected) -> None:
        self.cjm.open_form("processes", event.row_key.value)

    def action_next_view(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        current = switcher.current or "ranking"
        switcher.current = VIEWS[(VIEWS.index(current) + 1) % len(VIEWS)]
        self.refresh_view()
        self.focus_main()

    def action_export(self) -> None:
        self.cjm.open_export()

    def action_copy(self) -> None:
        ranking = self.ranking or rank(self.session, self.cjm.persona_lens)
        self.app.copy_to_clipboard(ranking_markdown(ranking, self.session))
        self.notify(f"Copied the ranked list ({len(ranking.solutions)} solutions) as Markdown.")
