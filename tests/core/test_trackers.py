"""The fixes the room chose, for Jira's CSV importer and for GitHub issues (issue 14, item 6)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from cjmtui.core import edit, scoring
from cjmtui.core.export import FORMATS, export_text
from cjmtui.core.export.trackers import JIRA_COLUMNS, JIRA_STATUS, chosen_solutions, github_issues, jira_wiki
from cjmtui.core.safety import FORMULA_START
from cjmtui.core.store import load_session

from .test_export import hostile_session

EXAMPLE = Path(__file__).resolve().parents[2] / "sessions" / "online-ordering.toml"
RULES = json.loads((Path(__file__).parent / "fixtures" / "jira_csv_rules.json").read_text("utf-8"))


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
    assert tuple(header) == JIRA_COLUMNS and set(header) <= set(RULES["known_columns"])
    epic, *rows = _rows(text)
    chosen = chosen_solutions(ranking)
    assert epic["Issue Type"] == ["Epic"] and epic["Summary"][0].startswith("Journey workshop: Online ordering")
    assert [r["Summary"][0] for r in rows] == [s.text for s in chosen]
    top = rows[0]
    assert top["Issue Type"] == ["Task"] and top["Priority"] == ["High"]  # a quick win
    assert top["Labels"][:2] == ["cjmtui", "quick-win"] and top["Labels"][2] == f"cjmtui-{top['Issue ID'][0]}"
    assert top["Component"] == ["Marketing / e-commerce"]
    assert top["Parent"] == epic["Issue ID"] and top["Status"] == ["To Do"] and top["Due Date"] == ["2025-05-30"]
    description = top["Description"][0]
    assert description.startswith("Rank 1 of 8 in the customer journey mapping workshop")
    assert "stage bonus ×4 (reaches 7 stages)" in description
    assert "\n* I can't tell whether this part fits my machine. (Find the right part)" in description
    assert FORMATS["jira"].suffix == ".csv"


def test_jira_csv_never_starts_a_cell_with_a_formula() -> None:
    session = hostile_session()
    for row in _rows(export_text("jira", session, scoring.rank(session))):
        for values in row.values():
            for value in values:
                assert not value.lstrip(" ").startswith(FORMULA_START), value
        assert not row["Summary"][0].startswith("'"), "a visible formula guard in a summary"


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
    row = _rows(export_text("jira", session, scoring.rank(session)))[1]
    assert len(row["Summary"][0]) <= 255 and row["Summary"][0].endswith("…")


# ---------------------------------------------------------------------------------------------
# Jira's documented column rules (issue 24, item 5)


def _check_rules(text: str) -> list[dict[str, list[str]]]:
    """``text`` against :data:`RULES`, the documented rules of Jira's CSV importer."""
    table = list(csv.reader(io.StringIO(text, newline="")))
    header, body = table[0], table[1:]
    for name in RULES["header_must_contain"]:
        assert name in header
    assert all(re.fullmatch(r"[A-Za-z0-9 ]+", name) for name in header), header
    assert set(header) <= set(RULES["known_columns"])
    assert all(header.count(n) == 1 for n in header if n not in RULES["repeatable_columns"])
    assert all(len(row) == len(header) for row in body), "a row without every column"
    rows = _rows(text)
    ids = [r["Issue ID"][0] for r in rows]
    assert len(set(ids)) == len(ids), "an Issue ID twice"
    order = RULES["hierarchy_order"]
    for i, r in enumerate(rows):
        if r["Parent"][0]:
            assert r["Parent"][0] in ids[:i], "a Parent that is not an earlier row's Issue ID"
        assert r["Issue Type"][0] in RULES["issue_types"]
        assert r["Priority"][0] in RULES["priorities"] and r["Status"][0] in RULES["statuses_in_the_default_workflow"]
        if r["Due Date"][0]:
            assert re.fullmatch(RULES["date_pattern"], r["Due Date"][0]), r["Due Date"]
        assert all(re.fullmatch(RULES["label_pattern"], label) for label in r["Labels"] if label), r["Labels"]
        summary = r["Summary"][0]
        assert summary and len(summary) <= RULES["summary_max"] and "\n" not in summary
    types = [order.index(r["Issue Type"][0]) for r in rows]
    assert types == sorted(types), "children before their parents"
    return rows


def test_jira_csv_follows_the_documented_column_rules() -> None:
    for session in (load_session(EXAMPLE).session, hostile_session()):
        rows = _check_rules(str(export_text("jira", session, scoring.rank(session))))
        epic, *fixes = rows
        assert epic["Issue Type"] == ["Epic"] and fixes
        assert all(f["Parent"] == epic["Issue ID"] and f["Issue Type"] == ["Task"] for f in fixes)


def test_jira_ids_are_stable_so_a_second_import_names_the_same_issues() -> None:
    session = load_session(EXAMPLE).session
    first = _rows(str(export_text("jira", session, scoring.rank(session))))
    moved, _ = edit.update_item(
        session, "solutions", session.solutions[0].id, {"effort": 5}, actor=None
    )  # the ranking changes
    second = _rows(str(export_text("jira", moved, scoring.rank(moved))))
    ids = {r["Summary"][0]: (r["Issue ID"][0], r["Labels"][-1]) for r in first}
    assert all(ids[r["Summary"][0]] == (r["Issue ID"][0], r["Labels"][-1]) for r in second if r["Summary"][0] in ids)
    other = session.model_copy(update={"session": session.session.model_copy(update={"title": "Another workshop"})})
    third = _rows(str(export_text("jira", other, scoring.rank(other))))
    assert not {r["Issue ID"][0] for r in third} & {r["Issue ID"][0] for r in first}, "two workshops share an id"
    assert JIRA_STATUS["doing"] == "In Progress" and JIRA_STATUS["done"] == "Done"


def test_jira_descriptions_escape_wiki_markup_and_summaries_show_no_guard() -> None:
    session = load_session(EXAMPLE).session
    top = scoring.rank(session).solutions[0]
    session, _ = edit.update_item(
        session, "solutions", top.id, {"text": "=SUM(A1) {code} [link|http://x] *b* _i_"}, actor=None
    )
    pain = session.pains[0]
    session, _ = edit.update_item(
        session, "pains", pain.id, {"text": "{color:red}x{color} [a|b] *bold* _it_ |t|"}, actor=None
    )
    rows = _rows(str(export_text("jira", session, scoring.rank(session))))
    fix = next(r for r in rows if "SUM" in r["Summary"][0])
    assert fix["Summary"][0] == "\u2060=SUM(A1) {code} [link|http://x] *b* _i_"  # invisible guard, no '
    assert jira_wiki("{color:red}x{color} [a|b] *bold* _it_ |t|") in "".join(r["Description"][0] for r in rows)
    assert jira_wiki("{a} [b|c] *d* _e_") == "\\{a\\} \\[b\\|c\\] \\*d\\* \\_e\\_"
