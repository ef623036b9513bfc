"""Tracking the fixes in the app: a solution's dates in its form, its status history in the
detail panel, and the review meeting view of the summary (issue 15, part 3)."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Static

from cjmtui.core import edit
from cjmtui.core.model import Solution, get
from cjmtui.ui.screens.form import ItemForm
from cjmtui.ui.widgets.choice import TypeSelect
from helpers import SIZE, fill, make_app, on_disk, static_text, wait_saved


async def test_dates_and_a_status_change_from_the_form_are_saved_with_a_dated_history(example_copy, monkeypatch):
    monkeypatch.setattr(edit, "today", lambda: dt.date(2025, 4, 20))
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        assert app.screen.table.current_id == "fix-catalogue"
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        due = form.query_one("#f-due", Input)
        assert due.value == "2025-05-30" and form.query_one("#f-review", Input).value == "2025-04-15"
        await fill(pilot, due, "2025-02-30")  # no such day: the form says so beside the field and stays open
        await pilot.press("f2")
        assert isinstance(app.screen, ItemForm)
        assert "date" in static_text(form.query_one("#err-due", Static))
        await fill(pilot, due, "2025-06-13")
        await fill(pilot, form.query_one("#f-review", Input), "")  # empty: no review date
        form.query_one("#f-status", TypeSelect).value = "doing"
        await pilot.press("f2")
        assert not isinstance(app.screen, ItemForm), "F2 did not close the form"
        await wait_saved(app, pilot)
        saved = get(on_disk(path), Solution, "fix-catalogue")
        assert saved is not None and saved.status == "doing"
        assert (saved.due, saved.review) == (dt.date(2025, 6, 13), None)
        assert [(h.status, h.on, h.by) for h in saved.history][-1] == ("doing", dt.date(2025, 4, 20), "Le Hua")
        detail = static_text(app.screen.query_one("#detail", Static))
        assert "due 2025-06-13 · review —" in detail
        assert "planned 2025-03-12 (Le Hua) → doing 2025-04-20 (Le Hua)" in detail


async def test_r_on_the_summary_shows_the_review_meeting_as_of_today(example_copy):
    app = make_app(example_copy(), now=dt.datetime(2025, 4, 15, 9, 0))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7", "r")
        await pilot.pause()
        text = static_text(app.screen.query_one("#review-text", Static))
        assert "As of 2025-04-15" in text
        overdue = text[text.index("Overdue (1)") : text.index("Due for review")]
        assert "Put the ship date and a tracking link" in overdue and "11 days late" in overdue
        assert "Due for review (2)" in text
        done = text[text.index("Done since 2025-03-12 (the workshop's date) (1)") :]
        assert "Print the customer's PO number" in done and "The invoice doesn't show our PO number" in done
        assert app.focused is app.screen.query_one("#review")  # arrows scroll it
        await pilot.press("v")  # v goes on round the views, back to the ranking
        await pilot.pause()
        assert app.screen.query_one("#summary-switcher").current == "ranking"


def test_a_long_review_shows_the_first_pains_and_says_how_many_more(monkeypatch):
    from cjmtui.core.store import load_session
    from cjmtui.ui.widgets.summary import review as view
    from helpers import EXAMPLES

    session = load_session(EXAMPLES / "online-ordering.toml").session
    monkeypatch.setattr(view, "PAINS", 2)
    monkeypatch.setattr(view, "ROWS", 1)
    text = view.review_text(session, dt.date(2025, 4, 15)).plain
    done = text[text.index("Done since") :]
    # Its own link (one pain) is listed; the four it reaches downstream are counted apart.
    assert done.count("      − ") == 1 and "also reaches 4 pains downstream" in done
    assert "Due for review (2)\n  the first 1: cjmtui review FILE lists all 2" in text
