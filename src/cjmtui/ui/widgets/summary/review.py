"""The review meeting: the lists of :func:`cjmtui.core.review.review` (overdue, due for review,
done since the workshop), as of today."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ....core.model import Session
from ....core.review import STILL_THERE, ReviewRow, days_late, review
from ....core.vocab import plural
from ...text import plain
from .view import Shown, SummaryView

ROWS = 200  # solutions shown per list (cjmtui review lists every one)
PAINS = 8  # pains shown per done solution


def _head(out: Text, title: str, rows: tuple[ReviewRow, ...], empty: str) -> tuple[ReviewRow, ...]:
    """The list's heading; the rows to show (the first :data:`ROWS`)."""
    out.append(f"\n{title} ({len(rows)})\n", style="bold")
    if not rows:
        out.append(f"  {empty}\n", style="italic")
    elif len(rows) > ROWS:
        out.append(f"  the first {ROWS}: cjmtui review FILE lists all {len(rows)}\n", style="dim")
    return rows[:ROWS]


def _owner(row: ReviewRow) -> str:
    return f" — {row.owner}" if row.owner else ""


def review_text(session: Session, as_of: dt.date) -> Text:
    """Overdue, due for review, and done since the workshop (or every done one when the session
    has no date), each done fix with the pains it was meant to remove."""
    result = review(session, as_of)
    out = Text()
    out.append(f"As of {as_of.isoformat()}\n", style="dim")
    for r in _head(out, "Overdue", result.overdue, "Nothing overdue."):
        out.append("  ! ", style="bold")
        out.append_text(plain(r.text + _owner(r)))
        late = plural(days_late(r, as_of), "day")
        out.append(f"\n      due {r.due.isoformat() if r.due else ''} · {late} late · {r.status}\n", style="dim")
    for r in _head(out, "Due for review", result.due_for_review, "Nothing due for review."):
        out.append("  ○ ", style="bold")
        out.append_text(plain(r.text + _owner(r)))
        out.append(f"\n      review {r.review.isoformat() if r.review else ''} · {r.status}\n", style="dim")
    for r in _head(out, f"Done {result.since_text}", result.done_since, "Nothing done."):
        out.append("  ✓ ", style="bold")
        out.append_text(plain(r.text + _owner(r)))
        done = f"done {r.done_on.isoformat()}" if r.done_on else "done (day not recorded)"
        out.append(f"\n      {done} · the pains it was meant to remove (its own links):\n", style="dim")
        direct = [p for p in r.pains if p.direct]
        if not direct:
            out.append("      no pain linked to its target processes\n", style="italic")
        for p in direct[:PAINS]:
            out.append("      − ")
            out.append_text(plain(f"{p.text}  @ {p.stage}"))
            if p.state:
                out.append(f"  {p.state}", style="bold" if p.state == STILL_THERE else "")
            out.append("\n")
        if len(direct) > PAINS:
            out.append(f"      … and {len(direct) - PAINS} more\n", style="dim")
        downstream = len(r.pains) - len(direct)
        if downstream:
            out.append(
                f"      also reaches {plural(downstream, 'pain')} downstream (cjmtui review lists them)\n", style="dim"
            )
    out.append(
        "\nDue and review dates: e on a solution (screen 5). Every status change is dated in its history. "
        "cjmtui review FILE --future LATER.toml says which pains are gone.",
        style="dim",
    )
    return out


class ReviewMeeting(VerticalScroll, SummaryView):
    def compose(self) -> ComposeResult:
        yield Static("", id="review-text")

    def show(self, shown: Shown) -> None:
        self.query_one("#review-text", Static).update(review_text(shown.session, shown.today))
