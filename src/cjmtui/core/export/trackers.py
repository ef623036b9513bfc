"""The workshop's chosen fixes, sent to where work is tracked: Jira's CSV import and GitHub issues.

Which solutions: those the room chose, status ``planned`` or ``doing``, in rank order; when the
room has chosen none yet, the ten best-ranked that reach any pain. Each becomes one issue whose
description says why it ranks where it does (:mod:`cjmtui.core.explain`, the same words as
everywhere else) and which of the customer's pains it removes, nearest first.

- ``jira`` (CSV): the columns Jira's CSV importer maps by name: Summary, Issue Type, Priority,
  Description, Labels (twice: Jira reads repeated columns as several labels), Component. The
  priority comes from the quadrant: quick win High, major project Medium, the others Low. Every
  cell goes through the spreadsheet formula guard (:func:`cjmtui.core.safety.csv_cell`).
- ``github`` (JSON): ``[{"title", "body", "labels"}]``, one per issue, the body in GitHub
  Markdown with user text escaped (:func:`cjmtui.core.safety.md_text`: no link, image, emphasis
  or HTML is ever rendered from it). ``gh issue create --title T --body-file F --label L`` takes
  each; README shows the loop.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..explain import explain_solution
from ..model import Session
from ..safety import csv_cell, md_text, printable
from ..scoring import MAJOR_PROJECT, QUICK_WIN, RankedSolution, Ranking
from ..views import Names
from .tabular import dumps_json

CHOSEN = ("planned", "doing")
FALLBACK_TOP = 10
SUMMARY_MAX = 255  # Jira's limit for a summary
PAINS_LISTED = 10
JIRA_COLUMNS = ("Summary", "Issue Type", "Priority", "Description", "Labels", "Labels", "Component")
PRIORITY = {QUICK_WIN: "High", MAJOR_PROJECT: "Medium"}


def chosen_solutions(ranking: Ranking) -> list[RankedSolution]:
    """The solutions to track: planned or doing, in rank order; else the best ten that reach pain."""
    chosen = [s for s in ranking.solutions if s.status in CHOSEN]
    return chosen or [s for s in ranking.solutions if s.pains_reached][:FALLBACK_TOP]


def _label(quadrant: str) -> str:
    return quadrant.replace(" ", "-")


def _pains(names: Names, row: RankedSolution) -> list[tuple[str, str]]:
    """(pain text, stage name) of the pains a fix removes, biggest contribution first."""
    return [(names.pain(r.pain), names.stage(r.stage)) for r in row.reached[:PAINS_LISTED]]


def _origin(session: Session, row: RankedSolution, total: int) -> str:
    info = session.session
    when = f" on {info.date.isoformat()}" if info.date else ""
    return f"Rank {row.rank} of {total} in the customer journey mapping workshop “{info.title}”{when}."


def _title(text: str) -> str:
    """One line of the fix's words for an issue title: whitespace runs become one space, control
    characters become visible (``␛``, ``␇``) and bidi overrides are removed, as in every output
    (:func:`~cjmtui.core.safety.printable`); never a raw escape code for a terminal or ``gh``."""
    return " ".join(printable(text).split())


def export_jira_csv(session: Session, ranking: Ranking) -> str:
    """The chosen solutions as a CSV for Jira's importer (see the module's description)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(JIRA_COLUMNS)
    names = Names(session)
    total = len(ranking.solutions)
    owners = {s.id: s.owner for s in session.solutions}
    for row in chosen_solutions(ranking):
        lines = [
            _origin(session, row, total),
            "Why: " + explain_solution(row, session.scoring).text(),
            f"Quadrant: {row.quadrant}. Status: {row.status}.",
            "Pains it removes:",
            *(f"- {text} ({stage})" for text, stage in _pains(names, row)),
        ]
        owner = owners.get(row.id)
        summary = _title(row.text)
        writer.writerow(
            [
                csv_cell(summary[: SUMMARY_MAX - 1] + "…" if len(summary) > SUMMARY_MAX else summary),
                "Task",
                PRIORITY.get(row.quadrant, "Low"),
                csv_cell("\n".join(lines)),
                "cjmtui",
                _label(row.quadrant),
                csv_cell(names.department(owner) if owner else ""),
            ]
        )
    return out.getvalue()


def github_issues(session: Session, ranking: Ranking) -> list[dict[str, Any]]:
    """The chosen solutions as GitHub issues: ``{"title", "body", "labels"}`` each."""
    total = len(ranking.solutions)
    owners = {s.id: s.owner for s in session.solutions}
    names = Names(session)
    issues = []
    for row in chosen_solutions(ranking):
        owner = owners.get(row.id)
        body = [
            md_text(_origin(session, row, total)),
            "",
            "**Why:** " + md_text(explain_solution(row, session.scoring).text()),
            "",
            f"**Quadrant:** {md_text(row.quadrant)} · **Status:** {md_text(row.status)}"
            + (f" · **Owner:** {md_text(names.department(owner))}" if owner else ""),
            "",
            "**Pains it removes** (in the customer's words):",
            "",
            *(f"- {md_text(text)} ({md_text(stage)})" for text, stage in _pains(names, row)),
        ]
        issues.append(
            {
                "title": _title(row.text)[:SUMMARY_MAX],
                "body": "\n".join(body) + "\n",
                "labels": ["cjmtui", _label(row.quadrant)],
            }
        )
    return issues


def export_github(session: Session, ranking: Ranking) -> str:
    return dumps_json(github_issues(session, ranking), indent=2)
