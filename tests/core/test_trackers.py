"""The fixes the room chose, for Jira's CSV importer and for GitHub issues (issue 14, item 6)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from cjmtui.core import edit, scoring
from cjmtui.core.export import FORMATS, export_text
from cjmtui.core.export.trackers import JIRA_COLUMNS, chosen_solutions, github_issues
from cjmtui.core.safety import FORMULA_START
from cjmtui.core.store import load_session

from .test_export import hostile_session

EXAMPLE = Path(__file__).resolve().parents[2] / "sessions" / "online-ordering.toml"
# The columns Jira's CSV importer maps by name (Jira Cloud, "Import data from a CSV file").
JIRA_KNOWN = {"Summary", "Issue Type", "Priority", "Description", "Labels", "Component", "Assignee", "Due Date"}


def _rows(text: str) -> list[dict[str, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    out = []
    for row in reader:
        cells: dict[str, list[str]] = {}
        for name, value in zip(header, row, strict=True):
            cells.setdefault(name, []).append(value)
        out.append(cells)
    return out


def test_the_chosen_fixes_are_planned_or_doing_in_rank_order() -> None:
    session = load_session(EXAMPLE).session
    ranking = scoring.rank(session)
    chosen = chosen_solutions(ranking)
    assert chosen and all(s.status in ("planned", "doing") for s in chosen)
    assert [s.rank for s in chosen] == sorted(s.rank for s in chosen)
    assert {s.id for s in chosen} == {s.id for s in session.solutions if s.status in ("planned", "doing")}


def test_without_a_choice_the_ten_best_that_reach_pain() -> None:
    session = hostile_session()  # every solution is "idea" or "done"
    ranking = scoring.rank(session)
    assert not [s for s in session.solutions if s.status in ("planned", "doing")]
    chosen = chosen_solutions(ranking)
    assert chosen == [s for s in ranking.solutions if s.pains_reached][:10]


def test_jira_csv_has_the_importers_columns_and_one_row_per_fix() -> None:
    session = load_session(EXAMPLE).session
    ranking = scoring.rank(session)
    text = export_text("jira", session, ranking)
    header = next(csv.reader(io.StringIO(text, newline="")))
    assert tuple(header) == JIRA_COLUMNS and set(header) <= JIRA_KNOWN
    rows = _rows(text)
    chosen = chosen_solutions(ranking)
    assert [r["Summary"][0] for r in rows] == [s.text for s in chosen]
    top = rows[0]
    assert top["Issue Type"] == ["Task"] and top["Priority"] == ["High"]  # a quick win
    assert top["Labels"] == ["cjmtui", "quick-win"]
    assert top["Component"] == ["Marketing / e-commerce"]
    description = top["Description"][0]
    assert description.startswith("Rank 1 of 8 in the customer journey mapping workshop")
    assert "stage bonus ×4 (reaches 7 stages)" in description
    assert "- I can't tell whether this part fits my machine. (Find the right part)" in description
    assert FORMATS["jira"].suffix == ".csv"


def test_jira_csv_never_starts_a_cell_with_a_formula() -> None:
    session = hostile_session()
    for row in _rows(export_text("jira", session, scoring.rank(session))):
        for values in row.values():
            for value in values:
                assert not value.lstrip(" ").startswith(FORMULA_START), value


def test_github_issues_have_a_title_a_markdown_body_and_labels() -> None:
    session = load_session(EXAMPLE).session
    ranking = scoring.rank(session)
    issues = json.loads(export_text("github", session, ranking))
    assert issues == github_issues(session, ranking)
    assert [i["title"] for i in issues] == [s.text for s in chosen_solutions(ranking)]
    first = issues[0]
    assert set(first) == {"title", "body", "labels"} and first["labels"] == ["cjmtui", "quick-win"]
    assert "**Why:** impact 119.875" in first["body"]
    assert "\n- I can't tell whether this part fits my machine. (Find the right part)\n" in first["body"]


def test_a_chosen_fix_with_a_long_text_keeps_jiras_summary_limit() -> None:
    session = load_session(EXAMPLE).session
    top = scoring.rank(session).solutions[0]
    session, _ = edit.update_item(session, "solutions", top.id, {"text": "word " * 100}, actor=None)
    row = _rows(export_text("jira", session, scoring.rank(session)))[0]
    assert len(row["Summary"][0]) <= 255 and row["Summary"][0].endswith("…")
