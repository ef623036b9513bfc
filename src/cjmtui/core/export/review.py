"""The review meeting as people read it: its three tables (terminal, Markdown), and JSON.

:mod:`cjmtui.core.review` works out what the meeting goes through; this module only lays it out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Session
from ..review import STILL_THERE, Review, ReviewRow, days_late
from ..safety import md_cell
from ..views import Column, TableView
from ..vocab import plural
from .markdown import view_table


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else "—"


def _pains_cell(row: ReviewRow, direct: bool = True) -> str:
    pains = [p for p in row.pains if p.direct == direct]
    if not pains:
        return "none linked to its target processes" if direct else "—"
    return "; ".join(p.text + (f" ({p.state})" if p.state else "") for p in pains)


def review_views(result: Review) -> tuple[tuple[str, TableView], ...]:
    """The three lists of a review as (title, table), in the order a meeting takes them."""
    overdue = TableView(
        columns=(Column("Solution"), Column("Owner"), Column("Status"), Column("Due"), Column("Late", numeric=True)),
        rows=tuple(
            (r.text, r.owner or "—", r.status, _day(r.due), plural(days_late(r, result.as_of), "day"))
            for r in result.overdue
        ),
        keys=tuple(r.id for r in result.overdue),
        empty="Nothing overdue.",
    )
    to_review = TableView(
        columns=(Column("Solution"), Column("Owner"), Column("Status"), Column("Review"), Column("Due")),
        rows=tuple((r.text, r.owner or "—", r.status, _day(r.review), _day(r.due)) for r in result.due_for_review),
        keys=tuple(r.id for r in result.due_for_review),
        empty="Nothing due for review.",
    )
    pains_title = "Pains it was meant to remove" + (" (in the later session)" if result.compared else "")
    done = TableView(
        columns=(
            Column("Solution"),
            Column("Owner"),
            Column("Done on"),
            Column(pains_title, "Pains"),
            Column("Also reached downstream", "Downstream"),
        ),
        rows=tuple(
            (
                r.text,
                r.owner or "—",
                r.done_on.isoformat() if r.done_on else "not recorded",
                _pains_cell(r),
                _pains_cell(r, direct=False),
            )
            for r in result.done_since
        ),
        keys=tuple(r.id for r in result.done_since),
        marked=frozenset(
            i for i, r in enumerate(result.done_since) if any(p.state == STILL_THERE and p.direct for p in r.pains)
        ),
        empty="Nothing done " + result.since_text + ".",
    )
    return (
        (f"Overdue ({len(result.overdue)})", overdue),
        (f"Due for review ({len(result.due_for_review)})", to_review),
        (f"Done {result.since_text} ({len(result.done_since)})", done),
    )


def review_heading(session: Session, result: Review) -> str:
    return f"Review as of {result.as_of.isoformat()} — {session.session.title}"


def review_markdown(session: Session, result: Review) -> str:
    """The review as Markdown (``cjmtui review --format md``), every user text escaped."""
    lines = [f"# Review as of {result.as_of.isoformat()} — {md_cell(session.session.title)}", ""]
    for title, view in review_views(result):
        lines += [f"## {md_cell(title)}", "", *view_table(view), ""]
    return "\n".join(lines)


def _row_json(row: ReviewRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "text": row.text,
        "status": row.status,
        "owner": row.owner or None,
        "due": row.due,
        "review": row.review,
        "reviewed": row.reviewed,
        "done_on": row.done_on,
    }


def review_json_data(result: Review) -> dict[str, Any]:
    """``{"as_of", "since", "overdue": [...], "due_for_review": [...], "done_since": [{...,
    "pains": [{"id", "text", "stage", "state", "direct"}]}]}`` (``direct``: caused by a target
    process itself; the others are reached downstream); dates as ``"YYYY-MM-DD"`` (or null)."""
    return {
        "as_of": result.as_of,
        "since": result.since,
        "overdue": [{**_row_json(r), "days_late": days_late(r, result.as_of)} for r in result.overdue],
        "due_for_review": [_row_json(r) for r in result.due_for_review],
        "done_since": [
            {
                **_row_json(r),
                "pains": [
                    {"id": p.id, "text": p.text, "stage": p.stage, "state": p.state, "direct": p.direct}
                    for p in r.pains
                ],
            }
            for r in result.done_since
        ],
    }
