"""Moments of truth and validating pains with customers, by keyboard (issue 15)."""

from __future__ import annotations

import datetime as dt

from textual.widgets import ContentSwitcher, Input, Static

from cjmtui.core.model import find
from cjmtui.core.scoring import rank
from cjmtui.core.validation import to_validate
from cjmtui.ui.screens.form import ItemForm
from cjmtui.ui.widgets.choice import TypeSelect
from helpers import SIZE, fill, make_app, notifications, on_disk, static_text, table_texts, wait_for, wait_saved


async def test_m_marks_a_pain_and_a_stage_as_moments_of_truth(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        assert not any("★" in r for r in table_texts(app.screen.query_one("#items")))
        await pilot.press("m")
        assert find(app.session, "pains", pain_id).moment is True
        await pilot.pause()
        assert "★ At a moment of truth" in static_text(app.screen.query_one("#detail", Static))
        rows = table_texts(app.screen.query_one("#items"))
        assert any("★" in r and "I searched the part number" in r for r in rows), rows
        await pilot.press("m")
        assert find(app.session, "pains", pain_id).moment is False

        await pilot.press("2")  # stages
        stage_id = app.screen.table.current_id
        await pilot.press("m")
        assert find(app.session, "stages", stage_id).moment is True
        assert any("★" in r for r in table_texts(app.screen.query_one("#items")))
        await pilot.press("3")  # the stage's pains now all count as at a moment of truth
        rows = table_texts(app.screen.query_one("#items"))
        assert rows and all("★" in r for r in rows), rows
        await wait_saved(app, pilot)
        assert find(on_disk(path), "stages", stage_id).moment is True


async def test_c_records_what_customers_said_and_refuted_pains_stop_counting(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        assert pain_id in {r.pain for s in rank(app.session).solutions for r in s.reached}
        await pilot.press("c")
        pain = find(app.session, "pains", pain_id)
        assert pain.validation == "validated" and pain.validated_on == dt.date.today()
        assert any("Validated with customers." in n for n in notifications(app))
        await pilot.press("c")
        assert find(app.session, "pains", pain_id).validation == "refuted"
        rows = table_texts(app.screen.query_one("#items"))
        assert any(r.startswith("✗") and "I searched the part number" in r for r in rows), rows
        assert any("no longer counts in the ranking" in n for n in notifications(app))
        reached = {r.pain for s in rank(app.session).solutions for r in s.reached}
        assert pain_id not in reached
        await pilot.pause()
        detail = static_text(app.screen.query_one("#detail", Static))
        assert "Refuted on" in detail and "(refuted: not scored)" in detail, detail
        await pilot.press("c")
        pain = find(app.session, "pains", pain_id)
        assert pain.validation == "" and pain.validated_on is None
        await pilot.press("c", "c")
        await wait_saved(app, pilot)
        assert find(on_disk(path), "pains", pain_id).validation == "refuted"


async def test_the_form_edits_the_moment_and_the_validation(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        form.query_one("#f-moment", TypeSelect).value = True
        form.query_one("#f-validation", TypeSelect).value = "validated"
        await fill(pilot, form.query_one("#f-validated_on", Input), "2026-11-20")
        await fill(pilot, form.query_one("#f-validation_note", Input), "6 of 8 buyers said so")
        await pilot.press("f2")
        assert not isinstance(app.screen, ItemForm)
        pain = find(app.session, "pains", pain_id)
        assert pain.moment and pain.validation == "validated"
        assert pain.validated_on == dt.date(2026, 11, 20) and pain.validation_note == "6 of 8 buyers said so"

        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        assert form.query_one("#f-moment", TypeSelect).value is True
        await fill(pilot, form.query_one("#f-validated_on", Input), "last week")
        await pilot.press("f2")
        assert app.screen is form, "a bad date closed the form"
        form.query_one("#f-validation", TypeSelect).clear()
        await fill(pilot, form.query_one("#f-validated_on", Input), "")
        await pilot.press("f2")
        assert not isinstance(app.screen, ItemForm)
        pain = find(app.session, "pains", pain_id)
        assert pain.validation == "" and pain.validated_on is None


async def test_summary_shows_the_unverified_share_and_what_to_validate(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("7")
        ranking = rank(app.session)
        first = table_texts(app.screen.query_one("#ranked"))[0]
        assert first.endswith(f"{ranking.solutions[0].unverified:.0%}"), first
        why = static_text(app.screen.query_one("#why", Static))
        assert f"Unverified: {ranking.solutions[0].unverified:.0%} of the impact" in why
        assert "anecdote, unchecked" in why
        switcher = app.screen.query_one(ContentSwitcher)
        while switcher.current != "validate":
            await pilot.press("v")
        items = to_validate(app.session, ranking)
        table = app.screen.query_one("#validate-table")
        assert [row.key.value for row in table.ordered_rows] == [t.pain.id for t in items]
        detail = static_text(app.screen.query_one("#validate-why", Static))
        stake = items[0].stakes[0]
        assert f"solution #{stake.rank} «{stake.text}» loses {stake.share:.0%} of its score" in detail
        # Enter opens the pain's form to record the outcome; refuting it takes it off the list
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, ItemForm)
        form.query_one("#f-validation", TypeSelect).value = "refuted"
        await pilot.press("f2")
        assert not isinstance(app.screen, ItemForm)
        await pilot.pause()
        keys = [row.key.value for row in app.screen.query_one("#validate-table").ordered_rows]
        assert keys == [t.pain.id for t in items[1:]]


async def test_a_big_session_works_out_the_checklist_in_a_thread(example_copy, monkeypatch):
    from cjmtui.ui import rankings

    monkeypatch.setattr(rankings, "RANK_IN_BACKGROUND", 0)  # every session counts as big
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        switcher = app.screen.query_one(ContentSwitcher)
        while switcher.current != "validate":
            await pilot.press("v")
        expected = [t.pain.id for t in to_validate(app.session, rank(app.session))]
        table = app.screen.query_one("#validate-table")
        assert await wait_for(pilot, lambda: [row.key.value for row in table.ordered_rows] == expected)
        assert "If this pain is not real" in static_text(app.screen.query_one("#validate-why", Static))


async def test_the_settings_form_sets_the_moment_weight_and_the_severity_floor(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        before = rank(app.session).solutions[0].score
        await pilot.press("2", "m")  # the first stage: a moment of truth
        await pilot.press("S")
        form = app.screen
        assert isinstance(form, ItemForm)
        assert form.query_one("#f-moment_weight", Input).value == "1.0"
        assert form.query_one("#f-severity_floor", TypeSelect).value is False
        await fill(pilot, form.query_one("#f-moment_weight", Input), "0")
        await pilot.press("f2")
        assert app.screen is form, "a moment weight of 0 closed the form"
        await fill(pilot, form.query_one("#f-moment_weight", Input), "3")
        form.query_one("#f-severity_floor", TypeSelect).value = True
        await pilot.press("f2")
        assert not isinstance(app.screen, ItemForm)
        assert app.session.scoring.moment_weight == 3.0 and app.session.scoring.severity_floor is True
        assert rank(app.session).solutions[0].score > before  # the catalogue fix reaches stage 1's pain
        await wait_saved(app, pilot)
        text = path.read_text("utf-8")
        assert "moment_weight = 3.0" in text and "severity_floor = true" in text
