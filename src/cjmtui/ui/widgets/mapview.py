"""The journey map: stages as columns, lanes as rows, the cause cascade lit for the highlighted item.

Marks work without colour: ``►`` the highlighted item, ``▲`` what causes it upstream, ``▼`` what
it causes downstream; ``★`` a moment of truth (a stage, or a pain marked on its own), ``✗`` a pain
customers refuted (not scored). The map shows as many stage columns as fit and pages sideways.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from ...core.causes import Ref, Related, related
from ...core.model import Session, item_label
from ...core.safety import printable
from ...core.views import MOMENT_MARK
from ...core.vocab import EMOTION_FACES, signed

LABEL_W = 12
MIN_COL = 20
MAX_COL = 34
FACE = {v: f"{face} {signed(v)}" for v, face in EMOTION_FACES.items()}


@dataclass(frozen=True)
class Cell:
    ref: Ref
    text: str
    prefix: str


def _columns(session: Session, persona: str | None) -> list[list[Cell]]:
    """Each stage's cells in one pass over the session (linear in its size): its pains (those of
    ``persona`` when given), its internal processes, then the solutions whose first target runs
    there."""
    where = {stage.id: i for i, stage in enumerate(session.stages)}
    pains: list[list[Cell]] = [[] for _ in session.stages]
    procs: list[list[Cell]] = [[] for _ in session.stages]
    sols: list[list[Cell]] = [[] for _ in session.stages]
    for pain in session.pains:
        i = where.get(pain.stage)
        if i is not None and pain.affects(persona):
            mark = "✗" if pain.validation == "refuted" else "−" if pain.kind == "pain" else "+"
            star = MOMENT_MARK if pain.moment else ""
            pains[i].append(Cell(("pains", pain.id), pain.text, f"{mark}{pain.severity * pain.frequency:>2}{star} "))
    stage_of: dict[str, int] = {}
    for proc in session.processes:
        i = where.get(proc.stage)
        if i is not None:
            stage_of.setdefault(proc.id, i)
            procs[i].append(Cell(("processes", proc.id), proc.name, "⚙ "))
    for sol in session.solutions:
        i = stage_of.get(sol.targets[0]) if sol.targets else None
        if i is not None:
            sols[i].append(Cell(("solutions", sol.id), sol.text, "✚ "))
    return [a + b + c for a, b, c in zip(pains, procs, sols, strict=True)]


class MapView(Widget, can_focus=True):
    BINDINGS = [
        Binding("left,h", "move(-1, 0)", "◀ Stage", id="map.left", show=False),
        Binding("right,l", "move(1, 0)", "Stage ▶", id="map.right", show=False),
        Binding("up,k", "move(0, -1)", "Up", id="map.up", show=False),
        Binding("down,j", "move(0, 1)", "Down", id="map.down", show=False),
        Binding("less_than_sign,shift+left", "page(-1)", "Page ◀", id="map.page_left", key_display="<"),
        Binding("greater_than_sign,shift+right", "page(1)", "Page ▶", id="map.page_right", key_display=">"),
        Binding("home", "edge(-1)", "First stage", id="map.first", show=False),
        Binding("end", "edge(1)", "Last stage", id="map.last", show=False),
    ]

    col = reactive(0)
    row = reactive(0)
    first = reactive(0)

    class Moved(Message):
        def __init__(self, ref: Ref | None, line: int, window: tuple[int, int, int]) -> None:
            self.ref = ref
            self.line = line
            self.window = window  # (first shown stage, last shown stage, number of stages), 1-based
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self.persona: str | None = None
        self._columns: list[list[Cell]] = []
        self._cursor_line = 0
        self._lines: list[Text] = []

    # Data -------------------------------------------------------------------------------------

    def show(self, session: Session, persona: str | None = None) -> None:
        self.session = session
        self.persona = persona
        self._columns = _columns(session, persona)
        self.col = min(self.col, max(0, len(self._columns) - 1))
        self._clamp_row()
        self._rebuild()

    @property
    def current(self) -> Ref | None:
        if not self._columns or not self._columns[self.col]:
            if self.session and self.session.stages:
                return ("stages", self.session.stages[self.col].id)
            return None
        return self._columns[self.col][self.row].ref

    def _clamp_row(self) -> None:
        if not self._columns:
            self.row = 0
            return
        self.row = max(0, min(self.row, len(self._columns[self.col]) - 1))

    # Layout -------------------------------------------------------------------------------------

    def col_width(self) -> int:
        width = max(MIN_COL + LABEL_W, self.size.width or 80)
        n = max(1, min(len(self._columns) or 1, (width - LABEL_W) // MIN_COL))
        return max(MIN_COL, min(MAX_COL, (width - LABEL_W) // n))

    def visible_count(self) -> int:
        width = max(MIN_COL + LABEL_W, self.size.width or 80)
        return max(1, (width - LABEL_W) // self.col_width())

    def _fit_window(self) -> None:
        n = self.visible_count()
        if self.col < self.first:
            self.first = self.col
        elif self.col >= self.first + n:
            self.first = self.col - n + 1
        self.first = max(0, min(self.first, max(0, len(self._columns) - n)))

    def _rebuild(self) -> None:
        if self.session is None or getattr(getattr(self.app, "autosave", None), "exiting", False):
            return  # nothing to show, or the app is leaving (a signal must not wait for a map)
        self._fit_window()
        session = self.session
        ref = self.current
        cols = list(range(self.first, min(len(session.stages), self.first + self.visible_count())))
        grid = _Grid(self.col_width(), len(cols))
        grid.row(
            "Stage",
            [
                [
                    grid.fit(
                        f"{i + 1}. {MOMENT_MARK + ' ' if session.stages[i].moment else ''}{session.stages[i].name}",
                        "bold",
                    )
                ]
                for i in cols
            ],
        )
        grid.row("Phase", [[grid.fit(session.stages[i].phase or "", "italic")] for i in cols])
        grid.sep()
        personas = [p for p in session.personas if not self.persona or p.id == self.persona]
        for persona in personas:
            faces = [session.stages[i].emotion.get(persona.id) for i in cols]
            grid.row(
                printable(persona.name)[: LABEL_W - 1], [[grid.fit(FACE[v] if v is not None else "")] for v in faces]
            )
        if personas:
            grid.sep()
        grid.row("Touchpoints", [[grid.fit(", ".join(session.stages[i].touchpoints))] for i in cols])
        grid.sep()
        cursor_line = self._lanes(grid, cols, related(session, ref[0], ref[1]) if ref else None)
        lines = (
            grid.lines
            if session.stages
            else [Text("No stages yet: press 2 and add the first step of the journey.", style="italic")]
        )
        self._lines = lines
        self._cursor_line = cursor_line
        self.styles.height = len(lines)
        self.refresh(layout=True)
        shown = (cols[0] + 1, cols[-1] + 1, len(session.stages)) if cols else (0, 0, 0)
        self.post_message(self.Moved(ref, cursor_line, shown))

    def _lanes(self, grid: _Grid, cols: list[int], rel: Related | None) -> int:
        """The pains, processes and solutions lanes; returns the highlighted item's line."""
        cursor_line = len(grid.lines)
        w = grid.width
        for lane, table in (("Pains/gains", "pains"), ("Processes", "processes"), ("Solutions", "solutions")):
            lane_cells: list[list[Text]] = []
            lane_start = len(grid.lines)
            for i in cols:
                col_lines: list[Text] = []
                for r, cell in enumerate(self._columns[i]):
                    if cell.ref[0] != table:
                        continue
                    here = i == self.col and r == self.row
                    mark, style = _mark(here, cell.ref, rel)
                    body = textwrap.wrap(printable(cell.prefix + cell.text), w - 3) or [""]
                    if len(body) > 3:
                        body = body[:3]
                        body[-1] = body[-1][: w - 4] + "…"
                    if here:
                        cursor_line = lane_start + len(col_lines)
                    for k, part in enumerate(body):
                        col_lines.append(Text(f"{mark if k == 0 else '  '}{part:<{w - 3}}", style=style))
                lane_cells.append(col_lines)
            grid.row(lane, lane_cells)
            grid.sep()
        return cursor_line

    def render_line(self, y: int) -> Strip:
        """One line of the map: only the lines on screen are ever drawn (a map of thousands of
        lines costs what a screenful does)."""
        width = self.size.width
        base = self.rich_style
        if not 0 <= y < len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[y].copy()
        line.no_wrap = True
        line.stylize_before(base)
        return Strip(line.render(self.app.console), line.cell_len).crop_extend(0, width, base)

    def on_resize(self) -> None:
        self._rebuild()

    # Actions ----------------------------------------------------------------------------------

    def action_move(self, dcol: int, drow: int) -> None:
        if not self._columns:
            return
        if dcol:
            self.col = max(0, min(len(self._columns) - 1, self.col + dcol))
            self._clamp_row()
        if drow:
            self.row = max(0, min(len(self._columns[self.col]) - 1, self.row + drow))
        self._rebuild()

    def action_page(self, direction: int) -> None:
        if not self._columns:
            return
        n = self.visible_count()
        self.col = max(0, min(len(self._columns) - 1, self.col + direction * n))
        self.first = max(0, self.first + direction * n)
        self._clamp_row()
        self._rebuild()

    def action_edge(self, direction: int) -> None:
        if self._columns:
            self.col = 0 if direction < 0 else len(self._columns) - 1
            self._clamp_row()
            self._rebuild()


def describe(session: Session, ref: Ref | None) -> Text:
    """The details line under the map for the highlighted item."""
    if ref is None:
        return Text("")
    table, item_id = ref
    item = next((i for i in getattr(session, table) if i.id == item_id), None)
    if item is None:
        return Text("")
    rel = related(session, table, item_id)

    def labels(refs: set[Ref], kind: str) -> str:
        out = [item_label(i) for i in getattr(session, kind) if (kind, i.id) in refs]
        return printable("; ".join(out)) or "—"

    what = {"pains": "Pain", "processes": "Process", "solutions": "Solution", "stages": "Stage"}[table]
    text = Text.assemble(("► ", "bold"), (f"{what}: ", "bold"), printable(item_label(item)), "\n")
    if table == "pains":
        text.append_text(Text.assemble(("▲ caused upstream by: ", "bold"), labels(rel.upstream, "processes"), "\n"))
        text.append_text(Text.assemble(("▲ fixed by: ", "bold"), labels(rel.upstream, "solutions")))
    elif table == "processes":
        text.append_text(Text.assemble(("▼ causes downstream: ", "bold"), labels(rel.downstream, "pains"), "\n"))
        text.append_text(Text.assemble(("▲ receives work from: ", "bold"), labels(rel.upstream, "processes")))
    elif table == "solutions":
        text.append_text(Text.assemble(("▼ changes: ", "bold"), labels(rel.downstream, "processes"), "\n"))
        text.append_text(Text.assemble(("▼ removes pain: ", "bold"), labels(rel.downstream, "pains")))
    return text


def _mark(here: bool, ref: Ref, rel: Related | None) -> tuple[str, str]:
    """The highlighted item ►, what causes it ▲, what it causes ▼ (readable without colour)."""
    if here:
        return "► ", "reverse bold"
    if rel and ref in rel.upstream:
        return "▲ ", "bold underline"
    if rel and ref in rel.downstream:
        return "▼ ", "bold"
    return "  ", ""


class _Grid:
    """The map's lines: a label column, then one column of ``width`` per stage shown."""

    def __init__(self, width: int, columns: int) -> None:
        self.width = width
        self.columns = columns
        self.lines: list[Text] = []

    def fit(self, text: str, style: str = "") -> Text:
        clean = printable(text)
        return Text(f"{clean[: self.width - 1]:<{self.width - 1}}", style=style)

    def row(self, label: str, cells: list[list[Text]]) -> None:
        height = max((len(c) for c in cells), default=0) or 1
        for i in range(height):
            line = Text(f"{label if i == 0 else '':<{LABEL_W - 1}}"[: LABEL_W - 1] + "│", style="bold")
            for c in cells:
                line.append_text(c[i] if i < len(c) else Text(" " * (self.width - 1)))
                line.append("│", style="dim")
            self.lines.append(line)

    def sep(self) -> None:
        self.lines.append(Text("─" * (LABEL_W - 1) + "┼" + ("─" * (self.width - 1) + "┼") * self.columns, style="dim"))
