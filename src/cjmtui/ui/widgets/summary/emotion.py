"""The emotion curve per persona across the stages, drawn with characters (no colour needed)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ....core.model import Session
from ....core.safety import printable
from ....core.vocab import EMOTION_FACES, signed
from .view import Shown, SummaryView

ROWS = (2, 1, 0, -1, -2)
ROW_LABEL = {v: f"{signed(v):>2} {face:<2}" for v, face in EMOTION_FACES.items()}


def draw_emotion(session: Session, persona: str | None = None, width: int = 80) -> Text:
    stages = session.stages
    personas = [p for p in session.personas if persona is None or p.id == persona]
    out = Text()
    if not stages or not personas:
        return Text("Rate the emotion per persona on each stage (screen 2, e) to see the curve.", style="italic")
    col = max(3, min(12, (width - 8) // len(stages)))
    for p in personas:
        values = [s.emotion.get(p.id) for s in stages]
        out.append(f"{printable(p.name)}\n", style="bold")
        for row in ROWS:
            out.append(f"{ROW_LABEL[row]} │", style="dim")
            for value in values:
                cell = "●" if value == row else ("·" if row == 0 else " ")
                out.append(f"{cell:^{col}}", style="bold" if value == row else "dim")
            out.append("\n")
        out.append("      └" + "─" * (col * len(stages)) + "\n", style="dim")
        out.append("       ")
        for i in range(len(stages)):
            out.append(f"{i + 1:^{col}}", style="dim")
        out.append("\n")
        rated = [(v, i) for i, v in enumerate(values) if v is not None]
        if rated:
            low = min(v for v, _ in rated)
            where = ", ".join(f"{i + 1} {printable(stages[i].name)}" for v, i in rated if v == low)
            out.append(f"  lowest ({signed(low)}): {where}\n\n", style="bold")
        else:
            out.append("  not rated yet\n\n", style="italic")
    out.append("Stages: " + " · ".join(f"{i + 1} {printable(s.name)}" for i, s in enumerate(stages)), style="dim")
    return out


class EmotionCurve(VerticalScroll, SummaryView):
    def compose(self) -> ComposeResult:
        yield Static("", id="emotion-chart")

    def show(self, shown: Shown) -> None:
        self.query_one("#emotion-chart", Static).update(
            draw_emotion(shown.session, shown.lens, width=self.screen.size.width - 4)
        )
