"""The impact/effort matrix: each solution's rank placed in its quadrant, drawn with characters,
and a legend saying why each is in its quadrant."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ....core.explain import explain_quadrant
from ....core.scoring import FILL_IN, MAJOR_PROJECT, QUICK_WIN, THANKLESS, Ranking
from ...text import clip, plain
from .view import RANK_ROWS, Shown, SummaryView


def draw_matrix(ranking: Ranking, max_effort: int, width: int = 60, height: int = 14) -> Text:
    """Effort 1–5 runs left to right, impact bottom to top; the lines split the quadrants."""
    width = max(30, width)
    height = max(8, height)
    inner_w, inner_h = width - 18, height - 3
    top = max((s.impact for s in ranking.solutions), default=0.0) or 1.0
    grid = [[" "] * inner_w for _ in range(inner_h)]
    split_x = round((max_effort + 0.5 - 1) / 4 * (inner_w - 1))
    split_y = inner_h - 1 - round(min(ranking.median_impact / top, 1.0) * (inner_h - 1))
    for y in range(inner_h):
        grid[y][split_x] = "│"
    for x in range(inner_w):
        grid[split_y][x] = "┼" if x == split_x else "─"
    placed: dict[tuple[int, int], list[str]] = {}
    for sol in ranking.solutions:
        x = round((sol.effort - 1) / 4 * (inner_w - 1))
        y = inner_h - 1 - round(sol.impact / top * (inner_h - 1))
        placed.setdefault((x, y), []).append(str(sol.rank))
    taken: set[tuple[int, int]] = set()  # cells holding a label, and the gap after each
    for (x, y), ranks in sorted(placed.items(), key=lambda kv: int(kv[1][0])):
        label = ",".join(ranks[:3]) + ("+" if len(ranks) > 3 else "")
        start, at_row = _free_spot(taken, x, y, len(label), inner_w, inner_h)
        for i, ch in enumerate(label):
            grid[at_row][start + i] = ch
        taken.update((start + i, at_row) for i in range(-1, len(label) + 1))
    out = Text()
    corner = {0: QUICK_WIN.upper(), 1: MAJOR_PROJECT.upper()}
    out.append(f"impact ▲   {corner[0]:<{max(1, split_x - 3)}}  {corner[1]}\n", style="bold")
    for y, row in enumerate(grid):
        axis = "high" if y == 0 else ("low" if y == inner_h - 1 else "")
        line = "".join(row)
        out.append(f"{axis:>6} ┃", style="dim")
        for ch in line:
            if ch.isdigit() or ch in ",+":
                out.append(ch, style="bold reverse")
            else:
                out.append(ch, style="dim")
        out.append("\n")
    out.append(f"{'':>6} ┗" + "━" * inner_w + "▶ effort\n", style="dim")
    out.append(f"{'':>8}1 (low)" + " " * max(1, inner_w - 15) + "5 (high)\n", style="dim")
    out.append(
        f"        {FILL_IN.upper()} below the line on the left, {THANKLESS.upper()} below on the right", style="italic"
    )
    return out


def _free_spot(taken: set[tuple[int, int]], x: int, y: int, size: int, width: int, height: int) -> tuple[int, int]:
    """Where a label of ``size`` cells goes: at ``(x, y)`` when free, else the nearest free place
    on its row, then on the rows above and below, so no two labels ever overlap (they used to be
    drawn on top of each other)."""
    home = max(0, min(x, width - size))
    for dy in (0, -1, 1, -2, 2, -3, 3):
        row = y + dy
        if not 0 <= row < height:
            continue
        for dx in sorted(range(-width, width + 1), key=abs):
            start = home + dx
            if 0 <= start <= width - size and not any((start + i, row) in taken for i in range(size)):
                return start, row
    return home, y


class ImpactEffortMatrix(VerticalScroll, SummaryView):
    def compose(self) -> ComposeResult:
        yield Static("", id="matrix-chart")
        yield Static("", id="matrix-legend")

    def show(self, shown: Shown) -> None:
        ranking, max_effort = shown.ranking, shown.session.scoring.quick_win_max_effort
        width = max(40, self.screen.size.width - 4)
        self.query_one("#matrix-chart", Static).update(
            draw_matrix(ranking, max_effort, width=min(width, 100), height=16)
        )
        legend = Text()
        for s in ranking.solutions[:RANK_ROWS]:
            legend.append(f"{s.rank:>3} ", style="bold")
            legend.append_text(plain(clip(s.text, width - 24)))
            legend.append(f"\n    {explain_quadrant(s, ranking.median_impact, max_effort)}\n", style="dim")
        self.query_one("#matrix-legend", Static).update(legend)
