"""The edit form, delete with undo, undo/redo depth, reordering stages."""

from __future__ import annotations

from textual.widgets import Input, Static

from cjmtui.core.model import find
from cjmtui.ui.screens.form import ItemForm
from cjmtui.ui.widgets.choice import TypeSelect
from helpers import (
    SIZE,
    fill,
    make_app,
    notifications,
    on_disk,
    screen_text,
    send_keys,
    static_text,
    table_texts,
    type_text,
    wait_for,
    wait_saved,
)


async def test_edit_form_saves_change_to_table_and_file(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        pain_id = app.screen.table.current_id
        assert pain_id == "search-no-results"
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm), "e did not open the edit form"
        text = form.query_one("#f-text", Input)
        assert text.value.startswith("I searched the part number")
        await fill(pilot, text, "Search finds nothing for my part number")
        await pilot.press("f2")
        assert not isinstance(app.screen, ItemForm), "F2 did not close the form"
        assert find(app.session, "pains", pain_id).text == "Search finds nothing for my part number"
        rows = table_texts(app.screen.query_one("#items"))
        assert any("Search finds nothing for my part number" in r for r in rows), rows
        await wait_saved(app, pilot)
        assert find(on_disk(path), "pains", pain_id).text == "Search finds nothing for my part number"
        assert "Search finds nothing for my part number" in path.read_text("utf-8")


async def test_invalid_values_show_errors_beside_fields_and_escape_cancels(example_copy):
    path = example_copy()
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        original = app.session
        await pilot.press("5")
        assert app.screen.table.current_id == "fix-catalogue"
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)

        await fill(pilot, form.query_one("#f-confidence", Input), "7")
        await pilot.press("f2")
        assert app.screen is form, "an invalid confidence closed the form"
        assert static_text(form.query_one("#err-confidence", Static)).strip(), "no error beside confidence"
        assert not static_text(form.query_one("#err-text", Static)).strip()

        await fill(pilot, form.query_one("#f-confidence", Input), "0.7")
        await fill(pilot, form.query_one("#f-text", Input), "")
        await pilot.press("f2")
        assert app.screen is form, "an empty text closed the form"
        assert static_text(form.query_one("#err-text", Static)).strip(), "no error beside the text"
        assert not static_text(form.query_one("#err-confidence", Static)).strip(), "stale confidence error"

        await pilot.press("escape")
        assert not isinstance(app.screen, ItemForm), "Escape did not close the form"
        assert app.is_running
        assert app.session == original, "cancelling the form changed the session"
        assert not app.workspace.dirty
        assert any("Fix the online catalogue" in r for r in table_texts(app.screen.query_one("#items")))
        await pilot.pause(0.5)
    assert path.read_bytes() == before


async def test_delete_process_then_undo_restores_it_and_its_links(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        original = app.session
        causing = [p.id for p in original.pains if "catalogue" in p.caused_by]
        assert len(causing) == 4
        await pilot.press("4", "right_square_bracket")  # stage 2: Find the right part
        assert app.stage_id == "find-product"
        await pilot.press("down")
        assert app.screen.table.current_id == "catalogue"

        await pilot.press("d")
        session = app.session
        assert find(session, "processes", "catalogue") is None
        assert all("catalogue" not in p.caused_by for p in session.pains)
        assert "catalogue" not in find(session, "solutions", "fix-catalogue").targets
        assert not any("Maintain the online catalogue" in r for r in table_texts(app.screen.table))
        await wait_saved(app, pilot)
        assert find(on_disk(path), "processes", "catalogue") is None

        await pilot.press("u")
        session = app.session
        assert find(session, "processes", "catalogue") == find(original, "processes", "catalogue")
        for pain_id in causing:
            assert find(session, "pains", pain_id).caused_by == find(original, "pains", pain_id).caused_by
        assert find(session, "solutions", "fix-catalogue").targets == ["catalogue", "order-form"]
        assert session == original
        assert any("Maintain the online catalogue" in r for r in table_texts(app.screen.table))
        assert any("Undid" in n for n in notifications(app))
        await wait_saved(app, pilot)
        assert on_disk(path) == original


async def test_undo_twenty_steps_and_redo(example_copy):
    path = example_copy()
    app = make_app(path)
    notes = [f"step {n:02d}" for n in range(1, 23)]
    async with app.run_test(size=SIZE) as pilot:
        original = app.session
        await pilot.press("a")
        for note in notes:
            await type_text(pilot, note)
            await pilot.press("enter")
        await pilot.press("escape")
        assert [p.text for p in app.session.pains[-22:]] == notes
        after_all = app.session

        await send_keys(pilot, *["u"] * 22)  # key repeat
        await wait_for(pilot, lambda: app.session == original)
        assert app.session == original, "22 undos did not bring back the opening session"
        assert not any(p.text in notes for p in app.session.pains)
        await pilot.press("u")
        assert any("Nothing to undo" in n for n in notifications(app))
        await wait_saved(app, pilot)
        assert on_disk(path) == original

        await send_keys(pilot, *["U"] * 21)
        await wait_for(pilot, lambda: len(app.session.pains) == len(after_all.pains) - 1)
        assert [p.text for p in app.session.pains if p.text in notes] == notes[:21]
        await pilot.press("ctrl+y")  # the other redo key
        assert app.session == after_all
        await wait_saved(app, pilot)
        assert [p.text for p in on_disk(path).pains if p.text in notes] == notes


async def test_reorder_stages_with_shift_keys(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        ids = [s.id for s in app.session.stages]
        assert ids[:3] == ["search", "find-product", "place-order"]
        await pilot.press("2")
        assert app.screen.table.current_id == "search"
        await pilot.press("down")
        assert app.screen.table.current_id == "find-product"

        await pilot.press("J")
        expected = ["search", "place-order", "find-product", *ids[3:]]
        assert [s.id for s in app.session.stages] == expected
        assert app.screen.table.current_id == "find-product", "the cursor did not follow the moved stage"
        rows = table_texts(app.screen.table)
        assert rows[2].startswith("3 | Find the right part"), rows[:3]
        await wait_saved(app, pilot)
        assert [s.id for s in on_disk(path).stages] == expected

        await pilot.press("shift+up", "K")
        expected = ["find-product", "search", "place-order", *ids[3:]]
        assert [s.id for s in app.session.stages] == expected
        await wait_saved(app, pilot)
        assert [s.id for s in on_disk(path).stages] == expected

        await pilot.press("K")  # already first: nothing moves
        assert [s.id for s in app.session.stages] == expected


async def test_end_then_delete_acts_on_the_last_row(example_copy):
    """Issue 10: End left the highlight on the first pain, and d then deleted the first pain."""
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "right_square_bracket")  # stage 2 has several pains
        table = app.screen.table
        rows = [r.key.value for r in table.ordered_rows]
        assert len(rows) >= 3
        await pilot.press("end")
        assert table.current_id == rows[-1]
        await pilot.press("d")
        assert rows[-1] not in {p.id for p in app.session.pains}
        assert rows[0] in {p.id for p in app.session.pains}
        await pilot.press("home")
        assert table.current_id == rows[0]


async def test_deleting_a_linked_process_says_what_it_unlinked(example_copy):
    """Issue 10: deleting a process with pains, solutions and handoffs said nothing about them."""
    from cjmtui.core.links import count_links
    from cjmtui.core.vocab import plural

    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "right_square_bracket")
        process = app.screen.current_item()
        links = count_links(app.session, "processes", process.id)
        assert links >= 2
        await pilot.press("d")
        assert any(f"its {links} links" in n and "u undoes it" in n for n in notifications(app)), notifications(app)
        await pilot.press("2")
        stage = app.screen.current_item()
        pains = sum(p.stage == stage.id for p in app.session.pains)
        await pilot.press("d")
        assert any(f"its {plural(pains, 'pain')}, " in n for n in notifications(app)), notifications(app)


async def test_typing_into_a_field_replaces_its_value(example_copy):
    """Issue 10: typing into the form's first field inserted before the old text ("Report the
    leakNotice a problem"). Reaching any text field selects it whole; typing replaces it."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "e")
        assert isinstance(app.screen, ItemForm)
        await type_text(pilot, "Report the leak")
        await pilot.press("tab", "c")  # the phase dropdown takes a typed letter: consideration
        await pilot.press("tab")  # the customer goal
        await type_text(pilot, "Get it fixed")
        await pilot.press("f2")
        await wait_saved(app, pilot)
        stage = on_disk(path).stages[0]
        assert (stage.name, stage.phase, stage.customer_goal) == ("Report the leak", "consideration", "Get it fixed")

        await pilot.press("5", "e")
        await pilot.press("tab", "tab")  # past the processes list to effort, a 1–5 dropdown
        assert isinstance(app.focused, TypeSelect)
        await pilot.press("4", "tab", "tab", "tab", "d")  # confidence, owner, status: "d" → doing, again → done
        await pilot.press("d", "f2")
        await wait_saved(app, pilot)
        solution = on_disk(path).solutions[0]
        assert (solution.effort, solution.status) == (4, "done")


async def test_rapid_deletes_show_one_toast_not_a_pile(example_copy):
    """Issue 10: five quick deletes stacked five toasts over half of an 80×24 screen."""
    app = make_app(example_copy())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "d", "d", "d", "d", "d")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert len(shown) == 1 and shown[0].startswith("Deleted"), shown
        assert sum("Deleted" in n for n in notifications(app)) == 5, "each delete is still announced"
        for i in range(5):
            app.notify(f"notice {i}")
        await pilot.pause()
        assert len(app._notifications) <= 3


async def test_a_participant_adds_their_own_notes_and_cannot_delete_the_facilitators(example_copy):
    """Issue 12: `cjmtui join FILE --as Ana`: Ana's notes carry her name; others' stay as they are."""
    from cjmtui.core.workspace import Workspace
    from cjmtui.ui.app import CjmApp

    path = example_copy()
    app = CjmApp(Workspace.open(path), path.parent, watch_disk=False, handle_signals=False, actor="Ana")
    async with app.run_test(size=SIZE) as pilot:
        assert "as Ana" in screen_text(app).splitlines()[0]
        before = [p.id for p in app.session.pains]
        await pilot.press("3", "d")  # the facilitator's first pain
        await pilot.pause()
        assert [p.id for p in app.session.pains] == before, "a participant deleted the facilitator's pain"
        shown = [n.message for n in app._notifications]
        assert any("participants delete only their own notes" in m for m in shown), shown
        await pilot.press("a")
        await type_text(pilot, "Ana saw the form lose her order")
        await pilot.press("enter", "escape")
        await wait_saved(app, pilot)
        added = next(p for p in on_disk(path).pains if p.text == "Ana saw the form lose her order")
        assert added.created_by == "Ana"
        step, mode = app.room.step, app.current_mode
        await pilot.press("N", "t")  # the agenda and its timer are the facilitator's
        await pilot.pause()
        assert (app.room.step, app.current_mode, app.room.timer.running) == (step, mode, False)
        assert any("Only the facilitator runs the agenda" in n.message for n in app._notifications)


async def test_e_on_the_parking_screen_edits_the_parked_point(example_copy):
    """e on the parking screen crashed the app (KeyError: FORMS had no parking form)."""
    app = make_app(example_copy())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "p")
        await pilot.press(*"Ask finance abot invoices", "enter", "escape")
        await pilot.press("0")
        await pilot.pause()
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm), "e did not open the edit form"
        await fill(pilot, form.query_one("#f-text", Input), "Ask finance about invoices")
        await pilot.press("f2")
        assert not isinstance(app.screen, ItemForm)
        assert [p.text for p in app.session.parking] == ["Ask finance about invoices"]
