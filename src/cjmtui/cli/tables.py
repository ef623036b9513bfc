"""The command line's tables: the ranking with why, a comparison, friction by stage.

User text goes in as ``Text`` (never markup), made printable: a note cannot style, move or
clear the terminal it is printed in.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from ..core.explain import explain_solution
from ..core.model import Session
from ..core.safety import printable
from ..core.scoring import QUICK_WIN, Ranking
from ..core.views import Names, TableView, friction_view
from ..core.vocab import emotion_value, fmt_number, plural
from .textgrid import Console, Table, Text

if TYPE_CHECKING:  # the review's and the rollup's modules are imported by their commands only
    from ..core.review import Review, ReviewRow
    from ..core.rollup import Rollup


def plain(value: object, style: str = "") -> Text:
    return Text(printable(str(value)), style=style)


def _console() -> Console:
    return Console(sys.stdout)


def _table(title: Text | str | None = None, caption: Text | None = None) -> Table:
    if isinstance(title, str):
        title = Text(title, style="bold")
    return Table(title=title, caption=caption)


def _titled(words: str, user_text: str) -> Text:
    return Text(words, style="bold") + plain(user_text, "bold")


def _solutions(session: Session, ranking: Ranking, title: Text, caption: Text | None, wide: bool) -> Table:
    table = _table(title, caption)
    table.add_column("#", justify="right")
    table.add_column("Solution", ratio=1, min_width=16)
    for name in ["Score", "Impact", "Effort"] + (["Conf."] if wide else []) + ["Stages"]:
        table.add_column(name, justify="right")
    table.add_column("Quadrant")
    table.add_column("Unverified", justify="right")
    if wide:
        table.add_column("Status")
    for s in ranking.solutions:
        cells = [
            Text(str(s.rank)),
            plain(s.text),
            Text(fmt_number(s.score)),
            Text(fmt_number(s.impact)),
            Text(str(s.effort)),
        ]
        if wide:
            cells.append(Text(fmt_number(s.confidence)))
        cells.append(Text(str(s.stages_reached)))
        cells.append(Text(s.quadrant, style="bold green" if s.quadrant == QUICK_WIN else ""))
        cells.append(Text(f"{s.unverified:.0%}"))
        if wide:
            cells.append(Text(s.status))
        table.add_row(*cells)
    return table


def _processes(ranking: Ranking, names: Names, wide: bool) -> Table:
    table = _table("Root-cause processes")
    table.add_column("#", justify="right")
    table.add_column("Process", ratio=2, min_width=16)
    if wide:
        table.add_column("Owner", ratio=1)
    table.add_column("Stage", ratio=1)
    for name in ("Score", "Impact", "Stages"):
        table.add_column(name, justify="right")
    for p in ranking.processes:
        cells = [Text(str(p.rank)), plain(p.name)]
        if wide:
            cells.append(plain(names.department(p.owner) if p.owner else ""))
        cells += [
            plain(names.stage(p.stage)),
            Text(fmt_number(p.score)),
            Text(fmt_number(p.impact)),
            Text(str(p.stages_reached)),
        ]
        table.add_row(*cells)
    return table


def print_ranking(session: Session, ranking: Ranking) -> None:
    """The ranked solutions, why each ranks where it does, then the root-cause processes."""
    console = _console()
    names = Names(session)
    title = _titled("Quick wins — ", session.session.title)
    caption = Text("for persona ") + plain(names.persona(ranking.persona)) if ranking.persona is not None else None
    wide = console.width >= 110  # room for the confidence, status and owner columns
    if not ranking.solutions:
        console.print(title)
        console.print(Text("No solutions yet."))
    else:
        console.print(_solutions(session, ranking, title, caption, wide))
        console.print()
        console.print(Text("Why this rank", style="bold"))
        for s in ranking.solutions:
            console.print(Text(f"{s.rank:>3}. ") + plain(explain_solution(s, session.scoring).text()))
    if ranking.processes:
        console.print()
        console.print(_processes(ranking, names, wide))


def print_view(view: TableView, title: Text, caption: Text | None = None) -> None:
    """A :class:`~cjmtui.core.views.TableView`: numbers right-aligned, marked rows in bold."""
    console = _console()
    if not view.rows:
        console.print(title)
        console.print(Text(view.empty))
        return
    table = _table(title, caption)
    for column in view.columns:
        if column.numeric:
            table.add_column(column.narrow, justify="right")
        else:
            table.add_column(column.narrow, ratio=1, min_width=12)
    for i, row in enumerate(view.rows):
        table.add_row(*(plain(cell, "bold" if i in view.marked else "") for cell in row))
    console.print(table)


def print_friction(session: Session, persona: str | None) -> None:
    caption = Text("for persona ") + plain(Names(session).persona(persona)) if persona is not None else None
    print_view(friction_view(session, persona), _titled("Friction by stage — ", session.session.title), caption)


def print_comparison(future: Session, data: dict[str, Any]) -> None:
    """A comparison (:func:`cjmtui.core.export.comparison_json_data`) as tables."""
    console = _console()
    console.print(_titled("Current vs future state — ", future.session.title))
    for key, title in (("removed", "Pains removed"), ("added", "Pains added")):
        console.print()
        pains = data[key]
        if not pains:
            console.print(Text(f"{title}: none"))
            continue
        table = _table(f"{title} ({len(pains)})")
        table.add_column("Pain", ratio=2, min_width=16)
        table.add_column("Stage", ratio=1)
        for p in pains:
            table.add_row(plain(p["text"]), plain(p["stage_name"]))
        console.print(table)
    console.print()
    if not data["emotion"]:
        console.print(Text("Emotion changes: none"))
    else:
        table = _table(f"Emotion changes ({len(data['emotion'])})")
        table.add_column("Stage", ratio=1)
        table.add_column("Persona", ratio=1)
        table.add_column("Before", justify="right")
        table.add_column("After", justify="right")
        for c in data["emotion"]:
            table.add_row(
                plain(c["stage_name"]),
                plain(c["persona_name"]),
                Text(emotion_value(c["before"])),
                Text(emotion_value(c["after"])),
            )
        console.print(table)
    console.print()
    if not data["meant_to_remove"]:
        console.print(Text("No solution is done or under way."))
        return
    table = _table("Solutions done or under way, and the removed pains they were meant to remove")
    table.add_column("Solution", ratio=1, min_width=16)
    table.add_column("Status")
    table.add_column("Removed pains it reaches", ratio=1)
    for item in data["meant_to_remove"]:
        reached = "; ".join(p["text"] for p in item["pains"]) or "none of the removed pains"
        table.add_row(plain(item["text"]), Text(item["status"]), plain(reached))
    console.print(table)


def _review_list(title: str, rows: tuple[ReviewRow, ...], empty: str, date: str, as_of: dt.date) -> Table | Text:
    from ..core.review import days_late

    if not rows:
        return Text(f"{title}: {empty}")
    table = _table(title)
    table.add_column("Solution", ratio=1, min_width=16)
    table.add_column("Owner", max_width=18)
    table.add_column("Status")
    table.add_column("Review" if date == "review" else "Due")
    if date == "due":
        table.add_column("Late", justify="right")
    for r in rows:
        day = r.review if date == "review" else r.due
        cells = [plain(r.text), plain(r.owner or "—"), Text(r.status), Text(day.isoformat() if day else "—")]
        if date == "due":
            cells.append(Text(plural(days_late(r, as_of), "day")))
        table.add_row(*cells)
    return table


def _done_list(title: str, result: Review) -> Table | Text:
    from ..core.review import STILL_THERE

    if not result.done_since:
        return Text(f"{title}: none")
    table = _table(title)
    table.add_column("Solution, and each pain it was meant to remove", ratio=1, min_width=16)
    table.add_column("Stage", max_width=20)
    table.add_column("Later session" if result.compared else "Done on")
    for r in result.done_since:
        done = f"done {r.done_on.isoformat()}" if r.done_on else "done (day not recorded)"
        owner = f" ({r.owner})" if r.owner else ""
        table.add_row(plain(r.text + owner, "bold"), Text(""), Text(done, style="bold"))
        if not any(p.direct for p in r.pains):
            table.add_row(Text("  no pain linked to its target processes", style="italic"), Text(""), Text(""))
        for p in r.pains:
            if p.direct:
                style = "bold" if p.state == STILL_THERE else ""
                table.add_row(Text("  − ") + plain(p.text), plain(p.stage), Text(p.state or "", style=style))
        downstream = [p for p in r.pains if not p.direct]
        if downstream:  # what the ranking reaches through handoffs: not what the fix was aimed at
            table.add_row(Text(f"  also reaches downstream ({len(downstream)}):", style="italic"), Text(""), Text(""))
            for p in downstream:
                table.add_row(Text("    · ") + plain(p.text, "dim"), plain(p.stage, "dim"), Text(p.state or ""))
    return table


def print_review(session: Session, result: Review) -> None:
    """The review meeting's three lists (the same as :func:`cjmtui.core.export.review.review_views`)."""
    from ..core.export.review import review_heading, review_views

    console = _console()
    console.print(plain(review_heading(session, result), "bold"))
    (overdue, _), (to_review, _), (done, _) = review_views(result)
    console.print()
    console.print(_review_list(overdue, result.overdue, "none", "due", result.as_of))
    console.print()
    console.print(_review_list(to_review, result.due_for_review, "none", "review", result.as_of))
    console.print()
    console.print(_done_list(done, result))


def print_rollup(result: Rollup) -> None:
    """Root causes across workshops: the workshops, the ranked root causes (those found in two
    workshops or more in bold), and which process matched which and why."""
    from ..core.export.rollup import matches_view, note, root_causes_view, workshops_view
    from ..core.export.rollup import title as rollup_title

    console = _console()
    console.print(plain(rollup_title(result), "bold"))
    console.print(plain(note(result)))
    console.print()
    print_view(workshops_view(result, short=True), Text("Workshops", style="bold"))
    console.print()
    print_view(root_causes_view(result, short=True), Text("Root causes", style="bold"))
    console.print()
    print_view(matches_view(result, short=True), Text("Matches", style="bold"))
