"""Running the room in the TUI: timer, agenda, dot voting, parking lot, persona lens, future state."""

from __future__ import annotations

import datetime as dt

from cjmtui.core.agenda import set_progress
from cjmtui.core.scoring import rank
from cjmtui.core.store import load_session
from cjmtui.core.voting import total_votes
from cjmtui.core.workspace import Workspace
from cjmtui.ui.app import CjmApp
from factories import FakeClock, two_instances
from helpers import make_app, notifications


async def settle(pilot, app: CjmApp) -> None:
    for _ in range(40):
        await pilot.pause(0.05)
        if not app.workspace.dirty and not app.autosave.saving:
            return


async def test_timer_counts_down_rings_once_and_runs_into_overtime(example_copy):
    clock = FakeClock()
    app = make_app(example_copy(), clock=clock)
    bells = []
    app.bell = lambda: bells.append(clock.now)  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9")
        assert "next: Persona 15:00" in app.status_extra  # the agenda has not started
        await pilot.press("t")
        clock.now += 61
        app.room.tick()
        assert "Persona 13:59" in app.status_extra
        clock.now += 14 * 60
        app.room.tick()
        app.room.tick()
        assert len(bells) == 1, "the bell rings once when the timebox runs out"
        assert "+00:01 over" in app.status_extra, "the timer shows overtime, nothing is interrupted"
        await pilot.press("T")  # five more minutes
        assert "Persona 04:59" in app.status_extra
        await pilot.press("t")  # pause
        clock.now += 600
        app.room.tick()
        assert "Persona 04:59 (paused)" in app.status_extra


async def test_next_step_switches_screen_and_timebox(example_copy):
    clock = FakeClock()
    app = make_app(example_copy(), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N")
        await pilot.pause()
        assert type(app.screen).__name__ == "StagesScreen"
        assert "Stages 20:00" in app.status_extra and "paused" not in app.status_extra
        await pilot.press("N", "N", "N", "N")
        await pilot.pause()
        assert type(app.screen).__name__ == "SummaryScreen", "the prioritise step runs on the summary"


async def test_agenda_timebox_edit_is_saved(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9", "down", "down", "e")
        await pilot.pause()
        await pilot.press(*"45", "enter")  # the old value is selected: typing replaces it
        await settle(pilot, app)
    agenda = {a.step: a.minutes for a in load_session(path).session.agenda}
    assert agenda["pains"] == 45 and agenda["persona"] == 15


async def test_changing_the_running_steps_timebox_keeps_the_time_spent(example_copy):
    """Issue 10: editing the running step's timebox reset its elapsed time and paused it."""
    clock = FakeClock()
    app = make_app(example_copy(), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9", "t")  # persona, 15 minutes, running
        clock.now += 5 * 60
        app.room.tick()
        assert "Persona 10:00" in app.status_extra
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*"20", "enter")
        await pilot.pause()
        app.room.tick()
        assert "Persona 15:00" in app.status_extra and "paused" not in app.status_extra, app.status_extra


async def test_dot_voting_with_a_budget(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("5", "v")
        await pilot.pause()
        await pilot.press(*"Ana", "enter")
        await pilot.pause()
        assert app.voter == "ana"
        first = app.screen.current_item().id
        before = total_votes(app.session, "solutions", first)
        await pilot.press("plus", "plus", "down", "plus", "plus")  # the fourth dot is over the budget of 3
        await pilot.pause()
        ana = next(p for p in app.session.participants if p.id == "ana")
        assert sum(ana.solution_votes.values()) == 3
        assert total_votes(app.session, "solutions", first) == before + 2
        assert "0 left" in app.status_extra
        await pilot.press("minus")
        assert "1 left" in app.status_extra
        await pilot.press("escape")
        assert app.voter is None
        await settle(pilot, app)
    saved = load_session(path).session
    assert sum(next(p for p in saved.participants if p.name == "Ana").solution_votes.values()) == 2


async def test_parking_from_any_screen_then_convert(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6", "p")
        await pilot.press(*"Is legal OK with storing machine serials", "enter", "escape")
        await pilot.press("3", "p")
        await pilot.press(*"Ask finance about invoices", "enter", "escape")
        await pilot.press("0")
        await pilot.pause()
        assert [p.text for p in app.session.parking] == [
            "Is legal OK with storing machine serials",
            "Ask finance about invoices",
        ]
        await pilot.press("down", "c")
        await pilot.pause()
        await pilot.press("1")  # a pain
        await pilot.pause()
        converted = app.session.parking[1]
        assert converted.status == "converted"
        assert any(p.text == "Ask finance about invoices" and p.stage == converted.stage for p in app.session.pains)
        await pilot.press("up", "x")
        assert app.session.parking[0].status == "closed"
        await settle(pilot, app)
    assert [p.status for p in load_session(path).session.parking] == ["closed", "converted"]


async def test_persona_lens_ranks_like_the_core(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("7", "L")
        await pilot.pause()
        persona = app.session.personas[0].id
        assert app.persona_lens == persona
        table = app.screen.query_one("#ranked")
        shown = [table.coordinate_to_cell_key((row, 0)).row_key.value for row in range(table.row_count)]
        assert shown == [s.id for s in rank(app.session, persona).solutions]
        assert "lens:" in app.status_extra


async def test_summary_views_friction_emotion(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("7", "v", "v", "v")
        await pilot.pause()
        assert app.screen.query_one("#friction-table").row_count == len(app.session.stages)
        await pilot.press("v")
        await pilot.pause()
        chart = str(app.screen.query_one("#emotion-chart").render())
        assert "lowest (-2)" in chart or "lowest (−2)" in chart or "lowest" in chart


async def test_derive_future_and_compare(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(110, 32)) as pilot:
        app.action_derive_future()
        await pilot.pause()
        assert app.workspace.path.name == "online-ordering-future.toml"
        assert app.session.session.state == "future" and app.session.session.origin == "online-ordering.toml"
        # In the future state the catalogue pain is gone.
        await pilot.press("3", "right_square_bracket", "d")
        await settle(pilot, app)
        await pilot.press("7", "v", "v", "v", "v", "v")
        await pilot.pause()
        text = str(app.screen.query_one("#compare-text").render())
        assert "Pains removed (1)" in text
    assert path.exists() and load_session(path).session.session.state == "current"


async def test_session_details_and_weights_are_edited_in_one_form(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("S")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-title").value = "Online ordering — workshop 2"
        form.query_one("#f-vote_budget").value = "5"
        form.query_one("#f-vote_weight").value = "0.25"
        await pilot.press("f2")
        await pilot.pause()
        assert app.session.session.title == "Online ordering — workshop 2"
        assert app.session.session.vote_budget == 5 and app.session.scoring.vote_weight == 0.25
        await pilot.press("S")
        await pilot.pause()
        app.screen.query_one("#f-hop_decay").value = "7"  # out of range: the form says so and stays
        await pilot.press("f2")
        await pilot.pause()
        assert (
            "hop_decay" in str(app.screen.query_one("#err-hop_decay").render())
            or str(app.screen.query_one("#err-hop_decay").render()).strip()
        )
        await pilot.press("escape")
        await settle(pilot, app)
    saved = load_session(path).session
    assert saved.session.title == "Online ordering — workshop 2" and saved.scoring.vote_weight == 0.25
    assert saved.scoring.hop_decay == 0.5


async def test_reopening_returns_to_the_same_place_and_agenda_step(example_copy):
    """Issue 10: quitting on the map during the agenda's second step and reopening landed on the
    pains screen, stage 1, agenda step 1, the timer reset."""
    from cjmtui.core.viewstate import load_view

    path = example_copy()
    clock = FakeClock()
    app = make_app(path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("N")  # the agenda's second step (stages), its timer running
        assert app.room.step == "stages"
        clock.now += 7 * 60
        await pilot.press("t")  # pause: 13:00 left of 20:00
        await pilot.press("3", "right_square_bracket", "right_square_bracket", "down")
        stage, pain = app.stage_id, app.screen.table.current_id
        await pilot.press("6")
        await pilot.press("3")
        await pilot.press("f10")
    assert load_session(path).session.progress.step == "stages"
    assert load_view(path) is not None

    again = make_app(path, clock=FakeClock())
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.current_mode == "pains"
        assert again.stage_id == stage and again.screen.table.current_id == pain
        assert again.room.step == "stages" and "Stages 13:00 (paused)" in again.status_extra


async def test_a_session_never_run_keeps_its_file_unchanged(example_copy):
    path = example_copy()
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("6", "f10")
    assert path.read_bytes() == before


async def test_enter_on_an_agenda_step_and_t_agree_with_the_top_bar(example_copy):
    """Issue 23: Enter on the current step restarted its clock; the t that followed paused it."""
    clock = FakeClock()
    app = make_app(example_copy(), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("9", "t")  # the first step, running
        clock.now += 120
        app.room.tick()
        assert "Persona 13:00" in app.status_extra
        await pilot.press("9", "enter")  # back to the step being run: its clock goes on
        await pilot.pause()
        app.room.tick()
        assert type(app.screen).__name__ == "PersonasScreen"
        assert "Persona 13:00" in app.status_extra and "paused" not in app.status_extra
        assert any("t pauses" in n for n in notifications(app))
        await pilot.press("t")
        assert "Persona 13:00 (paused)" in app.status_extra
        await pilot.press("9", "enter")  # Enter on the paused current step: running again, same clock
        await pilot.pause()
        clock.now += 60
        app.room.tick()
        assert "Persona 12:00" in app.status_extra and "paused" not in app.status_extra
        await pilot.press("9", "down", "enter")  # another step: its own timebox, running
        await pilot.pause()
        app.room.tick()
        assert "Stages 20:00" in app.status_extra and "paused" not in app.status_extra


async def test_before_the_agenda_starts_the_bar_names_the_first_step_as_next(example_copy):
    """Issue 23, item 11: the bundled example (mapped, its agenda never run) opened on Pain points
    while the top bar said the step was "Persona". The bar now says which step comes first; on
    that step's own screen, and once the agenda runs, it names the step the room is in."""
    clock = FakeClock()
    app = make_app(example_copy(), clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "PainsScreen"
        assert "next: Persona 15:00" in app.status_extra and "(paused)" not in app.status_extra
        await pilot.press("1")
        await pilot.pause()
        assert "Persona 15:00 (paused)" in app.status_extra and "next:" not in app.status_extra
        await pilot.press("3", "9", "t")  # the agenda starts: its step and running clock, on any screen
        clock.now += 60
        await pilot.press("3")
        await pilot.pause()
        app.room.tick()
        assert "Persona 14:00" in app.status_extra and "next:" not in app.status_extra


async def other_window_runs_the_clock(pilot, app: CjmApp, other_window) -> dt.datetime:
    """Another facilitator window on the file runs the first step (5 minutes spent, running since a
    minute ago) and saves; ``app`` takes the save in. Returns when the clock started running."""
    since = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=60)
    other_window.history.apply("t", set_progress(other_window.session, "persona", 300, running_since=since, actor=None))
    assert other_window.save().ok
    app.autosave.check_disk()
    for _ in range(40):
        await pilot.pause(0.05)
        if app.session.progress.running_since is not None:
            break
    return since


async def test_two_facilitator_windows_show_one_timer_and_closing_one_leaves_it_running(tmp_path):
    """Issue 22: a second facilitator window on the file kept a timer of its own: it ignored the
    other window's t, and on closing wrote its own back, pausing the room and resetting the time
    spent. Now it follows the room's clock, and leaves it running when another window runs it."""
    path, other_window, _ = two_instances(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "paused" in app.status_extra or "next:" in app.status_extra
        since = await other_window_runs_the_clock(pilot, app, other_window)
        app.room.tick()
        shown = app.status_extra  # 15 minutes, 6 spent (within a second: the start was cut to it)
        assert ("Persona 09:00" in shown or "Persona 08:59" in shown) and "paused" not in shown, shown
        await pilot.press("f10")
    progress = Workspace.open(path).session.progress
    assert progress.running_since == since and progress.spent == 300, "closing this window paused the room"


async def test_the_window_that_follows_can_take_the_clock_and_then_pauses_it_on_leaving(tmp_path):
    path, other_window, _ = two_instances(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await other_window_runs_the_clock(pilot, app, other_window)
        await pilot.press("t")  # this window pauses the room: now it runs the clock
        assert "paused" in app.status_extra
        await pilot.press("f10")
    progress = Workspace.open(path).session.progress
    assert progress.running_since is None and 355 <= progress.spent <= 400, progress
