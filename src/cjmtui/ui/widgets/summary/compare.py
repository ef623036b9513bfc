"""A future state compared with the current state it was derived from: pains removed and added,
emotion changes, and what the solutions done or under way were meant to remove."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ....core.vocab import emotion_value
from ...text import plain
from .view import Shown, SummaryView


class FutureComparison(VerticalScroll, SummaryView):
    def compose(self) -> ComposeResult:
        yield Static("", id="compare-text")

    def show(self, shown: Shown) -> None:
        self.query_one("#compare-text", Static).update(comparison(shown))


def comparison(shown: Shown) -> Text:
    from ....core.errors import CjmError
    from ....core.future import compare
    from ....core.store import load_session

    session = shown.session
    origin = session.session.origin
    if session.session.state != "future" or not origin:
        return Text(
            "This is a current-state session. Derive a future state from the command palette "
            "(ctrl+p → “Derive future-state session”), change it, then compare here.",
            style="italic",
        )
    if shown.folder is None:
        return Text("")
    path = shown.folder / origin
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
