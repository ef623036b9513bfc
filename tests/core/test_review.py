"""The review meeting (issue 15, part 3): overdue, due for review, done since the last review,
the pains a done fix was meant to remove, and the status history the core keeps for it."""

from __future__ import annotations

import datetime as dt

import pytest

from cjmtui.core import details, edit
from cjmtui.core.errors import CjmError, EditError
from cjmtui.core.export.review import review_json_data, review_markdown, review_views
from cjmtui.core.model import MAX_HISTORY, Solution, get
from cjmtui.core.review import GONE, STILL_THERE, parse_day, record_review, review
from cjmtui.core.store import dumps_session, parse_session
from factories import workshop

D = dt.date


def on(monkeypatch, day: str) -> None:
    monkeypatch.setattr(edit, "today", lambda: D.fromisoformat(day))


def planned(**solutions: dict) -> object:
    """The factory workshop (facilitator Ana, held 2026-11-02) with these fields on its solutions."""
    session = details.update_info(workshop(), {"facilitator": "Ana", "date": D(2026, 11, 2)}, actor=None)
    for sol_id, fields in solutions.items():
        session = session.model_copy(
            update={"solutions": [s.model_copy(update=fields) if s.id == sol_id else s for s in session.solutions]}
        )
    return session


def sol(session, sol_id: str) -> Solution:
    found = get(session, Solution, sol_id)
    assert found is not None
    return found


# History ---------------------------------------------------------------------------------------


def test_a_status_change_is_recorded_with_its_day_and_the_facilitators_name(monkeypatch):
    session = planned()
    on(monkeypatch, "2026-11-20")
    session = edit.update_item(session, "solutions", "fix-catalogue", {"status": "doing"}, actor=None)[0]
    on(monkeypatch, "2026-12-04")
    session = edit.update_item(session, "solutions", "fix-catalogue", {"status": "done", "effort": 1}, actor=None)[0]
    history = sol(session, "fix-catalogue").history
    assert [(h.status, h.on, h.by) for h in history] == [
        ("doing", D(2026, 11, 20), "Ana"),
        ("done", D(2026, 12, 4), "Ana"),
    ]
    assert sol(session, "fix-catalogue").done_on() == D(2026, 12, 4)
    # It is written to the file and read back.
    text = dumps_session(session)
    assert 'history = [{ status = "doing", on = 2026-11-20, by = "Ana" }' in text
    assert parse_session(text) == session


def test_a_participant_changing_the_status_is_named_in_the_history(monkeypatch):
    on(monkeypatch, "2026-11-20")
    session, item = edit.add_item(planned(), "solutions", {"text": "Call back within the hour"}, actor="Raj")
    session = edit.update_item(session, "solutions", item.id, {"status": "planned"}, actor="Raj")[0]
    assert [(h.status, h.by) for h in sol(session, item.id).history] == [("planned", "Raj")]


def test_a_solution_added_already_under_way_starts_its_history(monkeypatch):
    on(monkeypatch, "2026-11-21")
    session, item = edit.add_item(planned(), "solutions", {"text": "Ship the fix", "status": "doing"}, actor="Raj")
    assert [(h.status, h.on, h.by) for h in sol(session, item.id).history] == [("doing", D(2026, 11, 21), "Raj")]
    session, idea = edit.add_item(session, "solutions", {"text": "Just an idea"}, actor=None)
    assert sol(session, idea.id).history == []


def test_no_history_entry_when_the_status_does_not_change(monkeypatch):
    on(monkeypatch, "2026-11-20")
    session = edit.update_item(
        planned(), "solutions", "fix-catalogue", {"text": "Fix it", "status": "idea"}, actor=None
    )[0]
    assert sol(session, "fix-catalogue").history == []
    assert "history" not in dumps_session(session)  # files without a history stay as they were


def test_the_history_keeps_the_latest_changes_when_it_is_full(monkeypatch):
    on(monkeypatch, "2026-11-20")
    session = planned()
    statuses = ["planned", "doing"] * (MAX_HISTORY // 2 + 3)
    for status in statuses:
        session = edit.update_item(session, "solutions", "fix-catalogue", {"status": status}, actor=None)[0]
    history = sol(session, "fix-catalogue").history
    assert len(history) == MAX_HISTORY and history[-1].status == "doing"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"due": "2026-02-30"}, "due"),
        ({"review": "next week"}, "review"),
        ({"due": "3026-01-01"}, "due"),
        ({"due": "1890-01-01"}, "due"),
        ({"due": 1767225600}, "due"),  # a number is not read as a timestamp
    ],
)
def test_bad_due_and_review_dates_are_refused_naming_the_field(fields, field):
    with pytest.raises(EditError) as exc:
        edit.update_item(planned(), "solutions", "fix-catalogue", fields, actor=None)
    assert exc.value.field == field and "date" in exc.value.message


def test_dates_are_taken_as_text_or_dates_and_cleared_with_none():
    session = edit.update_item(
        planned(), "solutions", "fix-catalogue", {"due": "2026-12-01", "review": D(2026, 12, 8)}, actor=None
    )[0]
    assert (sol(session, "fix-catalogue").due, sol(session, "fix-catalogue").review) == (D(2026, 12, 1), D(2026, 12, 8))
    assert "due = 2026-12-01\nreview = 2026-12-08\n" in dumps_session(session)
    session = edit.update_item(session, "solutions", "fix-catalogue", {"due": None}, actor=None)[0]
    assert sol(session, "fix-catalogue").due is None


# The review -------------------------------------------------------------------------------------


def test_overdue_is_due_before_the_day_and_neither_done_nor_dropped():
    session = planned(
        **{"fix-catalogue": {"due": D(2026, 12, 1), "status": "doing"}, "hire-csrs": {"due": D(2026, 11, 15)}}
    )
    assert [r.id for r in review(session, D(2026, 12, 1)).overdue] == ["hire-csrs"]  # due today is not late
    result = review(session, D(2026, 12, 2))
    assert [r.id for r in result.overdue] == ["hire-csrs", "fix-catalogue"]  # the latest first
    assert review_views(result)[0][1].rows[0][-1] == "17 days"
    for closed in ("done", "dropped"):
        again = planned(**{"hire-csrs": {"due": D(2026, 11, 15), "status": closed}})
        assert review(again, D(2026, 12, 2)).overdue == ()


def test_due_for_review_is_a_review_date_on_or_before_the_day():
    session = planned(
        **{"fix-catalogue": {"review": D(2026, 12, 1), "status": "done"}, "hire-csrs": {"review": D(2026, 12, 2)}}
    )
    assert review(session, D(2026, 11, 30)).due_for_review == ()
    assert [r.id for r in review(session, D(2026, 12, 1)).due_for_review] == ["fix-catalogue"]
    assert [r.id for r in review(session, D(2026, 12, 9)).due_for_review] == ["fix-catalogue", "hire-csrs"]


def _done_on(monkeypatch, session, sol_id: str, day: str):
    on(monkeypatch, day)
    return edit.update_item(session, "solutions", sol_id, {"status": "done"}, actor=None)[0]


def test_done_since_the_last_review_by_the_day_it_was_marked_done(monkeypatch):
    session = _done_on(monkeypatch, planned(), "fix-catalogue", "2026-11-20")
    session = _done_on(monkeypatch, session, "hire-csrs", "2026-12-03")
    # Since the workshop's date (no --since): both, as of a day after both.
    result = review(session, D(2026, 12, 10))
    assert result.since == D(2026, 11, 2) and "workshop" in result.since_text
    assert [r.id for r in result.done_since] == ["hire-csrs", "fix-catalogue"]
    # Since the last review on 2026-11-20: what was done on that day was reviewed then.
    assert [r.id for r in review(session, D(2026, 12, 10), since=D(2026, 11, 20)).done_since] == ["hire-csrs"]
    assert [r.id for r in review(session, D(2026, 12, 10), since=D(2026, 11, 19)).done_since] == [
        "hire-csrs",
        "fix-catalogue",
    ]
    # As of a day before the second was done: only the first; as of its very day: both.
    assert [r.id for r in review(session, D(2026, 12, 2)).done_since] == ["fix-catalogue"]
    assert len(review(session, D(2026, 12, 3)).done_since) == 2


def test_a_done_solution_with_no_recorded_day_counts_in_the_first_review_only():
    session = planned(**{"fix-catalogue": {"status": "done"}})
    assert [r.id for r in review(session, D(2026, 12, 10)).done_since] == ["fix-catalogue"]
    assert review(session, D(2026, 12, 10), since=D(2026, 12, 1)).done_since == ()
    row = review(session, D(2026, 12, 10)).done_since[0]
    assert row.done_on is None and review_views(review(session, D(2026, 12, 10)))[2][1].rows[0][2] == "not recorded"


def test_a_done_fix_lists_the_pains_it_was_meant_to_remove_downstream_too(monkeypatch):
    session = _done_on(monkeypatch, planned(), "fix-catalogue", "2026-11-20")
    row = review(session, D(2026, 12, 1)).done_since[0]
    # The catalogue feeds order entry, which feeds call handling: three pains (not the gain).
    assert [p.id for p in row.pains] == ["cant-tell", "wrong-part", "on-hold"]
    assert all(p.state is None for p in row.pains)
    # Its own links apart from what the ranking reaches downstream (issue 24, item 9).
    assert [p.id for p in row.pains if p.direct] == ["cant-tell"]
    cells = review_views(review(session, D(2026, 12, 1)))[2][1].rows[0]
    assert "On hold" not in cells[3] and "On hold" in cells[4]


def test_a_reviewed_fix_is_no_longer_due_for_review():
    session = planned(**{"fix-catalogue": {"status": "done", "review": D(2026, 12, 1)}})
    assert [r.id for r in review(session, D(2026, 12, 5)).due_for_review] == ["fix-catalogue"]
    result = review(session, D(2026, 12, 5))
    recorded = record_review(session, result)
    solution = next(s for s in recorded.solutions if s.id == "fix-catalogue")
    assert solution.reviewed == D(2026, 12, 5)
    assert review(recorded, D(2026, 12, 20)).due_for_review == ()  # reviewed: not due forever
    again, _ = edit.update_item(recorded, "solutions", "fix-catalogue", {"review": D(2027, 1, 10)}, actor=None)
    assert [r.id for r in review(again, D(2027, 1, 10)).due_for_review] == ["fix-catalogue"]  # a new date
    assert review_json_data(review(recorded, D(2026, 12, 20)))["due_for_review"] == []
    reloaded = parse_session(dumps_session(recorded))
    assert next(s for s in reloaded.solutions if s.id == "fix-catalogue").reviewed == D(2026, 12, 5)


def test_a_later_session_says_which_pains_are_gone_and_which_are_still_there(monkeypatch):
    session = _done_on(monkeypatch, planned(), "fix-catalogue", "2026-11-20")
    later = edit.delete_item(
        edit.delete_item(session, "pains", "cant-tell", actor=None), "pains", "wrong-part", actor=None
    )
    result = review(session, D(2026, 12, 1), later=later)
    states = {p.id: p.state for p in result.done_since[0].pains}
    assert states == {"cant-tell": GONE, "wrong-part": GONE, "on-hold": STILL_THERE}
    view = review_views(result)[2][1]
    # On hold is reached downstream, not one of the fix's own links: listed apart, and it does
    # not make the fix stand out (issue 24, item 9).
    assert view.marked == frozenset()
    assert "On hold for 40 minutes (still there)" in view.rows[0][4]
    assert "On hold" not in view.rows[0][3]
    kept = edit.delete_item(session, "pains", "wrong-part", actor=None)  # cant-tell, a direct link, still there
    view = review_views(review(session, D(2026, 12, 1), later=kept))[2][1]
    assert view.marked == frozenset({0})  # a done fix whose own pain is still there stands out


def test_the_markdown_escapes_the_rooms_words():
    session = planned(**{"fix-catalogue": {"text": "[click](http://x) | *now*", "due": D(2026, 11, 3)}})
    md = review_markdown(session, review(session, D(2026, 12, 1)))
    assert "## Overdue (1)" in md and "\\[click\\]" in md and "\\|" in md and "](http://x)" not in md


@pytest.mark.parametrize("text", ["2026-13-01", "tomorrow", "", "0999-01-01", "3000-01-01"])
def test_a_bad_day_on_the_command_line_is_one_clear_error(text):
    with pytest.raises(CjmError) as exc:
        parse_day(text, "--as-of")
    assert str(exc.value).startswith("--as-of")


def test_without_a_workshop_date_or_since_every_done_solution_is_listed(monkeypatch):
    session = details.update_info(
        _done_on(monkeypatch, planned(), "fix-catalogue", "2026-11-20"), {"date": None}, actor=None
    )
    session = edit.update_item(session, "solutions", "hire-csrs", {"status": "idea"}, actor=None)[0]
    result = review(session, D(2026, 12, 1))
    assert result.since is None and result.since_text == "so far"
    assert [r.id for r in result.done_since] == ["fix-catalogue"]
    assert review_views(result)[2][0] == "Done so far (1)"
