"""The workshop's chosen fixes, sent to where work is tracked: Jira's CSV import and GitHub issues.

Which solutions: those the room chose, status ``planned`` or ``doing``, in rank order; when the
room has chosen none yet, the ten best-ranked that reach any pain. Each becomes one issue whose
description says why it ranks where it does (:mod:`cjmtui.core.explain`, the same words as
everywhere else) and which of the customer's pains it removes, nearest first.

- ``jira`` (CSV): the columns Jira's CSV importer maps by name (Atlassian, "Import data from a
  CSV file" and "CSV import: parent-child mapping"): Issue ID, Parent, Issue Type, Summary,
  Priority, Status, Due Date, Description, Labels (repeated: Jira reads repeated columns as
  several labels), Component. The first row is an epic for the workshop; each fix is a Task
  whose Parent is the epic's Issue ID (parents before children, as the importer needs). Issue
  IDs are stable numbers made from the workshop's title and the solution's id, and each issue
  carries a stable label (``cjmtui-<number>``), so a second export names the same issues the same
  way. The priority comes from the quadrant (quick win High, major project Medium, the others
  Low); the status maps idea/planned to "To Do", doing to "In Progress", done to "Done",
  dropped to "Won't Do"; the due date is ``yyyy-MM-dd`` (the date format to give the importer).
  Descriptions are Jira wiki markup with the room's words escaped (``{ } [ ] | * _ - + ^ ~ ! #``
  cannot make a macro, link, table or emphasis); a summary that a spreadsheet would run as a
  formula starts with an invisible word joiner instead of a visible ``'``.
- ``github`` (JSON): ``[{"title", "body", "labels"}]``, one per issue, the body in GitHub
  Markdown with user text escaped (:func:`cjmtui.core.safety.md_text`: no link, image, emphasis
  or HTML is ever rendered from it). ``gh issue create --title T --body-file F --label L`` takes
  each; README shows the loop.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from typing import Any

from ..explain import explain_solution
from ..model import Session
from ..safety import FORMULA_START, WORD_JOINER, csv_cell, md_text, printable
from ..scoring import MAJOR_PROJECT, QUICK_WIN, RankedSolution, Ranking
from ..views import Names
from .tabular import dumps_json

CHOSEN = ("planned", "doing")
FALLBACK_TOP = 10
SUMMARY_MAX = 255  # Jira's limit for a summary
PAINS_LISTED = 10
JIRA_COLUMNS = (
    "Issue ID",
    "Parent",
    "Issue Type",
    "Summary",
    "Priority",
    "Status",
    "Due Date",
    "Description",
    "Labels",
    "Labels",
    "Labels",
    "Component",
)
PRIORITY = {QUICK_WIN: "High", MAJOR_PROJECT: "Medium"}
JIRA_STATUS = {"idea": "To Do", "planned": "To Do", "doing": "In Progress", "done": "Done", "dropped": "Won't Do"}
JIRA_DATE_FORMAT = "yyyy-MM-dd"  # what to type as the date format in Jira's import wizard
_WIKI_SPECIAL = re.compile(r"([{}\[\]|*_\-+^~!#\\])")


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


def jira_id(session: Session, what: str) -> str:
    """A stable Issue ID: a number made from the workshop's title and ``what`` (a solution's id,
    or ``"epic"``), the same in every export of this workshop."""
    key = f"{' '.join(session.session.title.split()).casefold()}\n{what}".encode()
    return str(int.from_bytes(hashlib.sha256(key).digest()[:6], "big") % 10**12 + 10**12)


def jira_wiki(text: str) -> str:
    """The room's words for a Jira wiki-markup field: every character that starts markup
    (``{`` macros, ``[`` links, ``|`` tables, ``*`` ``_`` ``-`` ``+`` ``^`` ``~`` effects, ``!``
    images, ``#`` lists, and the backslash itself) is escaped with a backslash."""
    return _WIKI_SPECIAL.sub(r"\\\1", printable(text))


def _summary(text: str) -> str:
    summary = _title(text)
    if len(summary) > SUMMARY_MAX:
        summary = summary[: SUMMARY_MAX - 1] + "…"
    if summary.lstrip(" ").startswith(FORMULA_START):  # no spreadsheet runs it; Jira shows no mark
        summary = WORD_JOINER + summary[: SUMMARY_MAX - 1]
    return summary


def _jira_epic(session: Session, epic: str, chosen: list[RankedSolution], total: int) -> list[str]:
    """The epic's row of the Jira CSV: the workshop, with the chosen fixes under it."""
    info = session.session
    when = f" ({info.date.isoformat()})" if info.date else ""
    return [
        epic,
        "",
        "Epic",
        _summary(f"Journey workshop: {info.title}{when}"),
        "Medium",
        "Done" if chosen and all(r.status in ("done", "dropped") for r in chosen) else "To Do",
        "",
        "\n".join(
            [
                jira_wiki(f"The fixes chosen in the customer journey mapping workshop “{info.title}”{when}."),
                jira_wiki(f"{len(chosen)} of {total} ranked solutions, in rank order, under this epic."),
            ]
        ),
        "cjmtui",
        f"cjmtui-{epic}",
        "",
        "",
    ]


def export_jira_csv(session: Session, ranking: Ranking) -> str:
    """The chosen solutions as a CSV for Jira's importer (see the module's description)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(JIRA_COLUMNS)
    names = Names(session)
    total = len(ranking.solutions)
    solutions = {s.id: s for s in session.solutions}
    chosen = chosen_solutions(ranking)
    epic = jira_id(session, "epic")
    writer.writerow(_jira_epic(session, epic, chosen, total))
    for row in chosen:
        sol = solutions.get(row.id)
        owner = sol.owner if sol else None
        lines = [
            jira_wiki(_origin(session, row, total)),
            "*Why:* " + jira_wiki(explain_solution(row, session.scoring).text()),
            f"*Quadrant:* {jira_wiki(row.quadrant)}. *Status in the workshop:* {jira_wiki(row.status)}.",
            "*Pains it removes* (in the customer's words):",
            *(f"* {jira_wiki(text)} ({jira_wiki(stage)})" for text, stage in _pains(names, row)),
        ]
        issue = jira_id(session, row.id)
        writer.writerow(
            [
                issue,
                epic,
                "Task",
                _summary(row.text),
                PRIORITY.get(row.quadrant, "Low"),
                JIRA_STATUS.get(row.status, "To Do"),
                sol.due.isoformat() if sol and sol.due else "",
                "\n".join(lines),
                "cjmtui",
                _label(row.quadrant),
                f"cjmtui-{issue}",
                csv_cell(names.department(owner)) if owner else "",
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
