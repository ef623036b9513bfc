"""The live room in the TUI (issue 12): silent writing with a reveal, private voting with a
reveal, and a participant's timer that follows the facilitator's deadline from the file. Each
person is an app on the same file, one after the other (the tmux test runs them together)."""

from __future__ import annotations

import datetime as dt
import re

from cjmtui.core.store import load_session
from helpers import make_app, screen_text, type_text, wait_saved


async def _note(path, actor, text):
    """``actor`` (None: the facilitator) opens the session, writes one pain, saves and leaves;
    returns what their screen listed and their top bar."""
    app = make_app(path, actor=actor)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "a")
        await type_text(pilot, text)
        await pilot.press("enter", "escape")
        await wait_saved(app, pilot)
        return {p.text for p in app.session.pains}, app.status_extra


async def _facilitator(path, *keys):
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*keys)
        await wait_saved(app, pilot)
        return [n[2] for n in app.shown_notifications]


async def test_silent_writing_hides_the_others_notes_until_the_reveal(example_copy):
    path = example_copy()
    await _facilitator(path, "W")
    assert load_session(path).session.progress.silent
    ana_sees, _ = await _note(path, "Ana", "Ana: nobody told me the delivery slot")
    assert "Ana: nobody told me the delivery slot" in ana_sees
    bo_sees, bo_bar = await _note(path, "Bo", "Bo: the invoice has the wrong VAT")
    assert "Ana: nobody told me the delivery slot" not in bo_sees
    assert "silent writing (1 hidden)" in bo_bar
    shown = await _facilitator(path, "R")
    assert any("Everyone now sees every note" in m for m in shown)
    app = make_app(path, actor="Bo")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        texts = {p.text for p in app.session.pains}
        assert {"Ana: nobody told me the delivery slot", "Bo: the invoice has the wrong VAT"} <= texts
        assert "silent" not in app.status_extra


async def test_a_participant_cannot_start_or_reveal_silent_writing(example_copy):
    path = example_copy()
    app = make_app(path, actor="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("W", "V", "R")
        await pilot.pause()
        refused = [n[2] for n in app.shown_notifications if n[0] == "error"]
        assert len(refused) == 3 and all("only the facilitator" in m for m in refused), refused
    progress = load_session(path).session.progress
    assert (progress.silent, progress.private_votes) == (False, False)


async def test_private_voting_each_votes_with_their_own_dots_and_sees_only_them(example_copy):
    path = example_copy()
    await _facilitator(path, "V")
    for name, presses in (("Ana", ("plus", "plus")), ("Bo", ("down", "plus"))):
        app = make_app(path, actor=name)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("5", "v")  # no "who is voting?": a participant votes as themself
            await pilot.pause()
            assert "3 dots left" in app.status_extra
            await pilot.press(*presses)
            await wait_saved(app, pilot)
            mine = next(p for p in app.session.participants if p.name == name)
            others = [p for p in app.session.participants if p.name != name]
            assert sum(mine.solution_votes.values()) == len([k for k in presses if k == "plus"])
            assert all(not p.solution_votes for p in others), "another participant's dots showed"
    saved = load_session(path).session
    dots = {p.name: sum(p.solution_votes.values()) for p in saved.participants}
    assert (dots["Ana"], dots["Bo"]) == (2, 1)
    assert {p.name: p.created_by for p in saved.participants if p.name in dots} == {"Ana": "Ana", "Bo": "Bo"}
    await _facilitator(path, "R")
    app = make_app(path, actor="Ana")
    async with app.run_test(size=(100, 30)):
        assert sum(sum(p.solution_votes.values()) for p in app.session.participants) >= 3


async def test_a_participants_timer_counts_down_to_the_facilitators_deadline(example_copy):
    path = example_copy()
    await _facilitator(path, "9", "down", "enter")  # run the agenda's second step, timer running
    progress = load_session(path).session.progress
    assert progress.running_since is not None and progress.step == "stages"
    app = make_app(path, actor="Ana")
    since = progress.running_since
    app.room.wall = lambda: since + dt.timedelta(minutes=3)  # she opens it 3 minutes into the step
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.room.timer.running and app.room.step == "stages"
        # 20 minutes, 3 gone: her clock shows the facilitator's deadline, running down (however
        # slowly a busy machine brings the app up, it never shows more than the 17 minutes left)
        assert 16 * 60 <= app.room.timer.remaining() <= 17 * 60 + 0.5
        top = screen_text(app).splitlines()[0]
        assert re.search(r"as Ana · Stages 1[67]:\d\d +saved", top), top  # running: no "(paused)"


async def test_joining_from_the_picker_opens_the_session_as_that_participant(tmp_path):
    import shutil

    from textual.widgets import Input

    from cjmtui.ui.app import CjmApp
    from helpers import EXAMPLES, fill

    folder = tmp_path / "sessions"
    folder.mkdir()
    shutil.copyfile(EXAMPLES / "online-ordering.toml", folder / "online-ordering.toml")
    app = CjmApp(None, folder, watch_disk=False, handle_signals=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        await fill(pilot, app.screen.query_one(Input), "  Ana   Lima ")
        await pilot.press("enter")
        await pilot.pause()
        assert app.workspace is not None and app.actor == "Ana Lima"
        assert "as Ana Lima" in screen_text(app).splitlines()[0]
        await pilot.press("3", "a")
        await type_text(pilot, "Ana: the basket emptied itself")
        await pilot.press("enter", "escape")
        await wait_saved(app, pilot)
    added = next(p for p in load_session(folder / "online-ordering.toml").session.pains if "basket emptied" in p.text)
    assert added.created_by == "Ana Lima"


async def test_a_participant_proposes_a_change_to_anothers_note_for_the_parking_lot(example_copy):
    path = example_copy()
    app = make_app(path, actor="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        first = app.screen.current_item()
        await pilot.press("e")  # not hers: no form, a proposal
        await type_text(pilot, "say which form lost it")
        await pilot.press("enter")
        await wait_saved(app, pilot)
        assert any("parking lot" in n[2] for n in app.shown_notifications)
    saved = load_session(path).session
    assert next(p for p in saved.pains if p.id == first.id) == first, "another's note was rewritten"
    (proposal,) = [p for p in saved.parking if p.created_by == "Ana"]
    assert proposal.text.startswith("Ana proposes for “") and proposal.text.endswith(": say which form lost it")
    assert proposal.stage == first.stage


async def test_at_80_columns_the_top_bar_keeps_the_dots_left_and_whether_it_is_saved(example_copy):
    path = example_copy()
    await _facilitator(path, "W", "V")
    app = make_app(path, actor="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5", "v")
        await wait_saved(app, pilot)
        top = screen_text(app).splitlines()[0]
        assert app.save_state.startswith("saved ")
        assert "3 dots left" in top and top.rstrip().endswith("saved"), top
