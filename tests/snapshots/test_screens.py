"""Snapshots of every screen on a bundled example, at 80×24 and at 120×40.

Regenerate after an intended change with ``pytest tests/snapshots --snapshot-update`` and look at
the report (``snapshot_report.html``) before committing the new SVGs. Beside each SVG is its text
twin (``NAME.txt``, tests/snapshots/conftest.py): the diff of a changed screen, readable.
"""

from __future__ import annotations

import datetime

import pytest

from helpers import make_app

SCREENS = {
    "1": "personas",
    "2": "stages",
    "3": "pains",
    "4": "processes",
    "5": "solutions",
    "6": "map",
    "7": "summary",
    "8": "departments",
    "9": "agenda",
    "0": "parking",
}
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def steady_clock(monkeypatch):
    """Nothing in a snapshot may depend on when it was taken: autosave waits, the clock is fixed."""
    monkeypatch.setattr("cjmtui.ui.autosave.AUTOSAVE_DELAY", 3600)


FIXED_NOW = datetime.datetime(2026, 11, 22, 10, 0, 0)  # "saved 10:00:00" in every snapshot


LONG = (
    "I had to read out my whole order to someone on the phone because the web form lost it twice, "
    "and then the confirmation e-mail still showed the wrong delivery address and no date at all."
)


def long_texts(path):
    """The bundled example with the room's longest words: a 190-character pain, solution, stage
    name and process name, each the first of its table (issue 10: cut to 23 characters)."""
    from cjmtui.core.store import load_session, save_session

    session = load_session(path).session

    def first_longer(items, field, value):
        return [items[0].model_copy(update={field: value}), *items[1:]]

    session = session.model_copy(
        update={
            "pains": first_longer(session.pains, "text", LONG),
            "solutions": first_longer(session.solutions, "text", "Solution: " + LONG),
            "stages": first_longer(
                session.stages,
                "name",
                "Search for the part online, on a phone, in a van, between two jobs, with one bar of signal",
            ),
            "processes": first_longer(
                session.processes,
                "name",
                "Publish product feeds to search engines, shopping ads and every marketplace we sell on",
            ),
        }
    )
    save_session(path, session, overwrite=True)
    return path


@pytest.mark.parametrize("key", list(SCREENS), ids=lambda k: f"{k}-{SCREENS[k]}")
def test_screen_with_long_texts_at_80x24(snap_compare, example_copy, key):
    app = make_app(long_texts(example_copy("online-ordering")), now=FIXED_NOW)
    assert snap_compare(app, press=[key, "_"], terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("key", list(SCREENS), ids=lambda k: f"{k}-{SCREENS[k]}")
def test_screen(snap_compare, example_copy, key, size):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=[key, "_"], terminal_size=size)


def test_pains_of_the_next_stage_with_capture_open(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["3", "right_square_bracket", "a", "_"], terminal_size=(80, 24))


def test_map_highlights_the_cascade(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    # Down to the first process of stage 2: its downstream pains (▼) and upstream feeds (▲) light up.
    assert snap_compare(app, press=["6", "right", "down", "down", "down", "down", "down", "_"], terminal_size=(120, 40))


def test_summary_matrix_and_root_causes(snap_compare, example_copy):
    app = make_app(example_copy("professional-services-onboarding"), now=FIXED_NOW)
    assert snap_compare(app, press=["7", "v", "_"], terminal_size=(100, 32))


def test_edit_form(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["5", "e"], terminal_size=(80, 24))  # "_" would replace the selected text


def test_help(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["3", "question_mark", "_"], terminal_size=(100, 32))


def test_too_small(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["_"], terminal_size=(40, 10))


def test_summary_friction_and_emotion(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["7", "v", "v", "v", "_"], terminal_size=(80, 24))


def test_summary_emotion_curve(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["7", "v", "v", "v", "v", "_"], terminal_size=(80, 24))


def test_link_picker(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    # No "_" to settle here: in the picker a typed character filters the list.
    assert snap_compare(app, press=["3", "right_square_bracket", "l"], terminal_size=(80, 24))


def test_dot_voting_on_solutions(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(
        app, press=["5", "v", "A", "n", "a", "enter", "plus", "plus", "down", "plus", "_"], terminal_size=(80, 24)
    )


def test_future_state_comparison(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)

    async def run_before(pilot) -> None:
        app.action_derive_future()
        await pilot.pause()
        await pilot.press("3", "right_square_bracket", "d", "7", "v", "v", "v", "v", "v")

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_summary_review_meeting(snap_compare, example_copy):
    """As of the snapshots' day (2026-11-22), the bundled session's fixes: three overdue, two due
    for review, one done since the workshop with the pains it was meant to remove."""
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["7", "r", "_"], terminal_size=(80, 24))


async def _moments_and_outcomes(app, pilot) -> None:
    """Stage 2 a moment of truth, its first pain validated, its second refuted."""
    session = app.session
    first = session.stages[1].id
    app.update("stages", first, {"moment": True})
    pains = [p.id for p in session.pains if p.stage == first]
    app.update("pains", pains[1], {"validation": "refuted", "validated_on": datetime.date(2026, 11, 20)})
    app.update("pains", pains[0], {"validation": "validated", "validated_on": datetime.date(2026, 11, 20)})
    await pilot.pause()


@pytest.mark.parametrize("keys", [["3", "right_square_bracket", "down"], ["2"], ["6"]], ids=["pains", "stages", "map"])
def test_moments_of_truth_and_refuted_pains(snap_compare, example_copy, keys):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)

    async def run_before(pilot) -> None:
        await _moments_and_outcomes(app, pilot)
        await pilot.press(*keys, "_")

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_summary_validate_with_customers(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["7", "v", "v", "v", "v", "v", "v", "_"], terminal_size=(80, 24))


# Issue 23, at 80×24: the screens this work changed.


def test_help_at_80x24(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["3", "question_mark", "_"], terminal_size=(80, 24))


def test_stage_form_with_a_focused_dropdown_at_80x24(snap_compare, example_copy):
    """The focused emotion dropdown shows reversed; "-1" typed into it while closed reads -1."""

    async def focus_emotion(pilot):
        await pilot.press("2", "e")
        form = pilot.app.screen
        persona = pilot.app.session.personas[0].id
        field = form.query_one(f"#emo-{persona}")
        field.focus()
        field.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.press("minus", "1")
        await pilot.pause()

    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, run_before=focus_emotion, terminal_size=(80, 24))


def test_link_picker_no_match_at_80x24(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["3", "l", "z", "z", "z"], terminal_size=(80, 24))


def test_capture_with_a_waiting_sign_at_80x24(snap_compare, example_copy):
    """A hand-off to a process not captured yet waits on the item, said in the detail panel."""
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    keys = ["4", "a", *"Register the claim @w>book", "enter", "escape", "_"]
    assert snap_compare(app, press=keys, terminal_size=(80, 24))


def test_matrix_at_80x24(snap_compare, example_copy):
    app = make_app(example_copy("online-ordering"), now=FIXED_NOW)
    assert snap_compare(app, press=["7", "v", "_"], terminal_size=(80, 24))
