"""Quick capture: `a`, type, Enter, repeat; every note reaches the file by itself."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Label

from cjmtui.core.store import save_session
from cjmtui.core.templates import new_session
from cjmtui.ui.widgets.capture import QuickCapture
from helpers import (
    SIZE,
    make_app,
    notifications,
    on_disk,
    send_keys,
    table_texts,
    type_text,
    wait_for,
    wait_saved,
)

# key, table, field holding the note, whether the note belongs to the current stage
SCREENS = [
    ("1", "personas", "name", False),
    ("2", "stages", "name", False),
    ("3", "pains", "text", True),
    ("4", "processes", "name", True),
    ("5", "solutions", "text", False),
    ("8", "departments", "name", False),
]


def _entry(app) -> tuple[QuickCapture, Input]:
    capture = app.screen.query_one(QuickCapture)
    return capture, capture.query_one("#capture-input", Input)


async def test_capture_on_each_screen(example_copy):
    """1 personas, 2 stages, 3 pains and 4 processes (of the stage shown), 5 solutions, 8 departments."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        for key, table, field, staged in SCREENS:
            note = f"captured {table} note"
            await pilot.press(key)
            stage = app.stage_id
            before = len(getattr(app.session, table))
            await pilot.press("a")
            capture, entry = _entry(app)
            assert capture.display, f"a did not open the quick capture entry on screen {key}"
            assert entry.has_focus
            await type_text(pilot, note)
            await pilot.press("enter")

            items = getattr(app.session, table)
            assert len(items) == before + 1, f"screen {key}: not exactly one {table} item added"
            added = [i for i in items if getattr(i, field) == note]
            assert len(added) == 1, f"screen {key}: the note is not a {table} item"
            if staged:
                assert added[0].stage == stage, f"screen {key}: the note went to another stage"
            shown = table_texts(app.screen.query_one("#items"))
            assert any(note in row for row in shown), f"screen {key}: the note is not in the table"
            assert capture.display and entry.value == "", f"screen {key}: entry closed or not cleared"
            await pilot.press("escape")
            assert not capture.display, f"screen {key}: Escape did not close the entry"

            await wait_saved(app, pilot, timeout=1.0)
            saved = getattr(on_disk(path), table)
            assert [getattr(i, field) for i in saved].count(note) == 1, f"{table} note not in the file"
            assert f'"{note}"' in path.read_text("utf-8")
        # Capturing a stage on screen 2 does not move the current stage: the room walks the
        # journey from where it was (here the first step), so the pain lands there.
        first = on_disk(path).stages[0]
        assert next(p for p in on_disk(path).pains if p.text == "captured pains note").stage == first.id


async def test_ten_notes_in_a_row_on_pains(example_copy):
    path = example_copy()
    app = make_app(path)
    notes = [f"room note {n:02d}" for n in range(1, 11)]
    async with app.run_test(size=SIZE) as pilot:
        assert type(app.screen).__name__ == "PainsScreen"
        stage = app.stage_id
        before = len(app.session.pains)
        await pilot.press("a")
        capture, entry = _entry(app)
        label = capture.query_one("#capture-label", Label)
        assert "New pain" in str(label.render())
        for note in notes:
            await type_text(pilot, note)
            await pilot.press("enter")
            # The entry stays open, empty and focused for the next note.
            assert capture.display, f"entry closed after {note!r}"
            assert entry.value == "", f"entry not cleared after {note!r}"
            assert entry.has_focus, f"entry lost focus after {note!r}"
        await pilot.pause()
        texts = [p.text for p in app.session.pains]
        assert len(app.session.pains) == before + 10
        assert all(texts.count(n) == 1 for n in notes)
        assert all(p.stage == stage for p in app.session.pains if p.text in notes)

        # Enter on an empty entry adds nothing.
        await pilot.press("enter")
        assert len(app.session.pains) == before + 10

        # Escape closes the entry; the table has the focus again.
        await pilot.press("escape")
        assert not capture.display
        assert app.screen.query_one("#items").has_focus

        await wait_saved(app, pilot, timeout=1.0)
        raw = path.read_text("utf-8")
        saved = [p.text for p in on_disk(path).pains]
        for note in notes:
            assert saved.count(note) == 1, f"{note!r} not in the saved file"
            assert f'"{note}"' in raw
        # In the order they were said.
        assert [t for t in saved if t in notes] == notes


async def test_capture_without_stages_warns_and_adds_nothing(tmp_path):
    path = tmp_path / "empty.toml"
    save_session(path, new_session("No stages yet", "blank", date=dt.date(2025, 1, 1)))
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.session.stages
        await pilot.press("3")
        assert type(app.screen).__name__ == "PainsScreen"
        await pilot.press("a")
        capture, _entry_widget = _entry(app)
        assert capture.display
        assert "add a stage first" in str(capture.query_one("#capture-label", Label).render())
        await type_text(pilot, "orphan pain")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.pains == []
        assert any("stage" in n.lower() for n in notifications(app, "warning")), notifications(app)
        assert not app.workspace.dirty
        await pilot.pause(0.5)  # past the autosave delay: nothing may be written
    assert path.read_bytes() == before


async def test_notes_typed_faster_than_the_app_keeps_up_stay_separate(example_copy):
    """A fast typist over SSH: ten notes and their Enters arrive in one burst of keys."""
    path = example_copy()
    app = make_app(path)
    notes = [f"burst note {n}" for n in range(1, 11)]
    async with app.run_test(size=SIZE) as pilot:
        before = len(app.session.pains)
        await pilot.press("a")
        keys = [key for note in notes for key in (*note, "enter")]
        await send_keys(pilot, *keys)
        await wait_for(pilot, lambda: len(app.session.pains) >= before + 10)
        texts = [p.text for p in app.session.pains[before:]]
        assert texts == notes, f"notes merged, split or lost: {texts}"
        assert _entry(app)[1].value == ""
        await wait_saved(app, pilot, timeout=1.0)
        assert [p.text for p in on_disk(path).pains[before:]] == notes


async def test_keys_typed_right_after_a_go_into_the_entry(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        before = list(app.session.pains)
        await send_keys(pilot, "a", *"dog", "enter")  # `a` and the note in one burst (SSH, fast typist)
        await wait_for(pilot, lambda: len(app.session.pains) != len(before), timeout=0.5)
        assert app.session.pains[: len(before)] == before, f"typing a note changed existing pains: {notifications(app)}"
        assert [p.text for p in app.session.pains[len(before) :]] == ["dog"]


# Key budgets (issue 10), counted beyond the note's own words and its Enter.
BUDGETS = [
    # screen keys, note, signs, budget, (table, expected fields)
    (
        ["3"],
        "The form forgot my address",
        "!43@f#or",
        8,
        ("pains", {"severity": 4, "frequency": 3, "personas": ["technician"], "caused_by": ["order-form"]}),
    ),
    (["4"], "Check stock levels", " @w>fu", 6, ("processes", {"owner": "warehouse", "feeds": ["fulfilment"]})),
    (
        ["5"],
        "Make the PO field required",
        " #or!28",
        8,
        ("solutions", {"targets": ["order-form"], "effort": 2, "confidence": 0.8}),
    ),
    (["2"], "Compare offers", " /c@sa", 6, ("stages", {"phase": "consideration", "owners": ["sales"]})),
]


async def test_triage_keys_stay_within_their_budgets(example_copy):
    """A pain with severity, frequency, a persona and a cause in at most 8 keys beyond its words;
    a process with owner and hand-off in 6; a solution with target, effort and confidence in 8;
    a stage with phase and owner in 6 (it used to take 13 to 30, through the form)."""
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        for screen, note, signs, budget, (table, expected) in BUDGETS:
            assert len(signs) <= budget, f"{table}: {len(signs)} keys over a budget of {budget}"
            await pilot.press(*screen, "a")
            await type_text(pilot, note + signs)
            await pilot.press("enter", "escape")
            added = next(x for x in getattr(app.session, table) if item_words(x) == note)
            got = {k: getattr(added, k) for k in expected}
            assert got == expected, f"{table}: {got}"


def item_words(item) -> str:
    return getattr(item, "text", None) or getattr(item, "name", "")


async def test_ten_pains_in_a_row_still_need_only_text_and_enter(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "a")
        before = len(app.session.pains)
        for i in range(10):
            await type_text(pilot, f"plain pain number {i}")
            await pilot.press("enter")
        assert [p.text for p in app.session.pains[before:]] == [f"plain pain number {i}" for i in range(10)]


async def test_a_new_process_is_owned_by_its_stages_owner(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "a")
        await type_text(pilot, "A process nobody named an owner for")
        await pilot.press("enter", "escape")
        added = app.session.processes[-1]
        stage = next(s for s in app.session.stages if s.id == added.stage)
        assert stage.owners and added.owner == stage.owners[0]


async def test_notices_never_cover_the_entry_being_typed(example_copy):
    """Issue 23: toasts sat over the right half of the capture entry for seconds."""
    from textual.widgets._toast import Toast

    app = make_app(example_copy())
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("4", "a")
        await type_text(pilot, "Register the claim @w>nothing")  # a sign waiting: said in a notice
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: bool(app.screen.query(Toast))), "no notice was shown"
        _capture, entry = _entry(app)
        toasts = list(app.screen.query(Toast))
        for toast in toasts:
            assert not toast.region.overlaps(entry.region), f"a notice covers the entry: {toast.region} {entry.region}"
        # A form's first field (top half) has the focus: notices go to the bottom.
        await pilot.press("escape", "e")
        await pilot.pause()
        app.notify("Something to say")
        assert await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
        focused = app.screen.focused
        for toast in app.screen.query(Toast):
            assert not toast.region.overlaps(focused.region), f"a notice covers {focused}"


async def test_change_stage_without_leaving_capture_and_go_to_stage_keeps_the_screen(example_copy):
    """Issue 23: moving between stages while capturing cost Esc ] a; "Go to stage" left screen 4."""
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "a")
        stages = [s.id for s in app.session.stages]
        first = app.stage_id
        await pilot.press("ctrl+down")
        capture, entry = _entry(app)
        assert app.stage_id == stages[stages.index(first) + 1]
        assert capture.display and entry.has_focus, "the entry closed"
        stage = next(s for s in app.session.stages if s.id == app.stage_id)
        assert stage.name[:10] in str(capture.query_one("#capture-label", Label).render())
        await type_text(pilot, "A process of the second stage")
        await pilot.press("enter", "alt+up")
        assert app.stage_id == first
        assert app.session.processes[-1].stage == stages[stages.index(first) + 1]
        await pilot.press("escape")
        app.go_to("stages", stages[-1])  # the palette's "Go to stage …"
        await pilot.pause()
        assert type(app.screen).__name__ == "ProcessesScreen" and app.stage_id == stages[-1]


async def test_a_waiting_sign_shows_on_the_item_and_is_taken_when_its_process_comes(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "a")
        await type_text(pilot, "Register the claim @w>assessor")
        await pilot.press("enter")
        first = app.session.processes[-1]
        assert first.name == "Register the claim", "signs went into the words"
        assert first.owner == "warehouse" and first.pending == [">assessor"]
        await pilot.press("escape")
        await pilot.pause()
        detail = str(app.screen.query_one("#detail").render())
        assert "Waiting for" in detail and ">assessor" in detail
        await pilot.press("a")
        await type_text(pilot, "Book and brief the assessor")
        await pilot.press("enter", "escape")
        again = next(p for p in app.session.processes if p.id == first.id)
        assert again.pending == [] and again.feeds == [app.session.processes[-1].id]


async def test_a_gain_by_sign_and_emotions_on_the_highlighted_stage(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "a")
        await type_text(pilot, "+The driver called ahead")
        await pilot.press("enter", "escape")
        gain = app.session.pains[-1]
        assert (gain.kind, gain.text) == ("gain", "The driver called ahead")
        await pilot.pause()
        detail = str(app.screen.query_one("#detail").render())
        assert "press l" not in detail and "×" not in detail
        row = next(r for r in table_texts(app.screen.query_one("#items")) if "The driver called ahead" in r)
        assert "| 3 | 3 |" not in row, row
        await pilot.press("2", "a")
        stage = app.screen.table.current_id
        await type_text(pilot, "~-12")
        await pilot.press("enter", "escape")
        personas = [p.id for p in app.session.personas]
        got = next(s for s in app.session.stages if s.id == stage).emotion
        assert got[personas[0]] == -1 and got[personas[1]] == 2, got
        assert [s.name for s in app.session.stages if s.name.startswith("~")] == [], "signs became a stage"


async def test_a_waiting_sign_is_shown_in_the_form_and_can_be_dropped(example_copy):
    from cjmtui.ui.screens.form import ItemForm
    from helpers import fill

    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "a")
        await type_text(pilot, "Register the claim >nowhere")
        await pilot.press("enter", "escape", "e")
        form = app.screen
        assert isinstance(form, ItemForm)
        field = form.query_one("#f-pending", Input)
        assert field.value == ">nowhere"
        await fill(pilot, field, "")
        await pilot.press("f2")
        assert app.session.processes[-1].pending == []
