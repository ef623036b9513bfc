"""Why a row ranks where it does: the panel under the ranked quick wins and the root causes,
and the breakdown it shows (each pain reached, what it contributes, how many hops away)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ....core.explain import why_rows
from ....core.model import Session
from ....core.scoring import Reached, at_moment, moment_stages
from ....core.views import MOMENT_MARK
from ....core.vocab import fmt_number
from ...text import clip, plain


class WhyPanel(VerticalScroll):
    """A scrolling panel under a list: why its highlighted row is what it is."""

    def __init__(self, *, id: str, detail: str) -> None:
        super().__init__(id=id)
        self._detail = detail

    def compose(self) -> ComposeResult:
        yield Static("", id=self._detail, classes="detail")

    def say(self, text: Text) -> None:
        self.query_one(f"#{self._detail}", Static).update(text)


def breakdown(session: Session, reached: tuple[Reached, ...], head: Text, width: int) -> Text:
    """``head``, then each pain ``reached`` on a line of its own within ``width`` columns."""
    stages = {s.id: s.name for s in session.stages}
    pains = {p.id: p for p in session.pains}
    moments = moment_stages(session)
    out = head
    if not reached:
        out.append("\nReaches no pain yet: link it to the processes it changes (screen 5, l).", style="italic")
        return out
    shown, rest = why_rows(reached)
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
