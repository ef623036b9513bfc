"""The live room (issue 12): a timer every screen reads from the file, silent writing with a
reveal, and private voting with a reveal, each enforced in the core and surviving a merge."""

from __future__ import annotations

import datetime as dt

import pytest

from cjmtui.core.agenda import set_progress, timer_state
from cjmtui.core.edit import add_item, update_item
from cjmtui.core.errors import EditError
from cjmtui.core.links import link_cause
from cjmtui.core.live import reveal, room_state, start_private_voting, start_silent_writing, view_for
from cjmtui.core.merge import merge
from cjmtui.core.store import dumps_session, parse_session
from cjmtui.core.voting import cast_vote, ensure_participant, votes_left
from factories import workshop

T0 = dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.UTC)


def _texts(session, table="pains"):
    return {item.text for item in session.table(table)}


def _silent_round():
    s = start_silent_writing(workshop(), actor=None)
    s, ana = add_item(s, "pains", {"stage": "find", "text": "Ana: the search finds nothing"}, actor="Ana")
    s, bo = add_item(s, "pains", {"stage": "order", "text": "Bo: the form forgets my cart"}, actor="Bo")
    s, mine = add_item(s, "pains", {"stage": "order", "text": "Facilitator: no order number"}, actor=None)
    return s, ana, bo, mine


def test_during_silent_writing_each_person_sees_only_their_own_new_notes() -> None:
    s, ana, bo, mine = _silent_round()
    before = _texts(workshop())
    assert _texts(view_for(s, "Ana")) == before | {ana.text}
    assert _texts(view_for(s, "Bo")) == before | {bo.text}
    assert _texts(view_for(s, None)) == before | {mine.text}  # the facilitator's screen may be projected
    assert room_state(s, "Ana") == ["silent writing (2 hidden)"]
    revealed = reveal(s, actor=None)
    for viewer in ("Ana", "Bo", None):
        assert _texts(view_for(revealed, viewer)) == before | {ana.text, bo.text, mine.text}
    assert room_state(revealed, "Ana") == []


def test_hidden_notes_are_in_the_file_and_round_trip() -> None:
    s, ana, _bo, _mine = _silent_round()
    text = dumps_session(s)
    assert "silent = true\nsilent_round = 1\n" in text
    assert f'id = "{ana.id}"\ncreated_by = "Ana"\n' in text and "silent_round = 1\n" in text
    assert parse_session(text) == s
    # Nothing of the live room is written when it is not used: older files stay as they were.
    plain = dumps_session(workshop())
    assert "silent" not in plain and "private_votes" not in plain and "extra" not in plain


def test_a_later_round_does_not_hide_an_earlier_rounds_revealed_notes() -> None:
    s, ana, _bo, _mine = _silent_round()
    s = start_silent_writing(reveal(s, actor=None), actor=None)
    assert s.progress.silent_round == 2
    assert ana.text in _texts(view_for(s, "Bo"))
    s, late = add_item(s, "pains", {"stage": "find", "text": "Ana again"}, actor="Ana")
    assert late.text not in _texts(view_for(s, "Bo"))


def test_links_to_a_hidden_note_are_not_shown_and_the_whole_session_keeps_them() -> None:
    s = start_silent_writing(workshop(), actor=None)
    s, proc = add_item(s, "processes", {"stage": "order", "name": "Ana's manual re-keying"}, actor="Ana")
    s = link_cause(s, "wrong-part", proc.id, actor=None)  # the facilitator links a visible pain to it
    bo_view = view_for(s, "Bo")
    assert proc.id not in {p.id for p in bo_view.processes}
    assert proc.id not in next(p for p in bo_view.pains if p.id == "wrong-part").caused_by
    assert proc.id in next(p for p in s.pains if p.id == "wrong-part").caused_by


def test_only_the_facilitator_starts_and_reveals_and_a_round_cannot_be_edited_away() -> None:
    s, ana, _bo, _mine = _silent_round()
    for change in (start_silent_writing, start_private_voting, reveal):
        with pytest.raises(EditError, match="only the facilitator"):
            change(s, actor="Ana")
    with pytest.raises(EditError, match="silent-writing round"):
        update_item(s, "pains", ana.id, {"silent_round": None}, actor="Ana")


def test_a_note_written_while_the_reveal_is_saved_is_not_hidden_after_it() -> None:
    base = start_silent_writing(workshop(), actor=None)
    theirs = reveal(base, actor=None)  # the facilitator revealed and saved
    ours, late = add_item(base, "pains", {"stage": "find", "text": "Ana, just in time"}, actor="Ana")
    merged = merge(base, ours, theirs).session
    assert merged.progress.silent is False
    assert late.text in _texts(view_for(merged, "Bo"))


def _voting():
    s = start_private_voting(workshop(), actor=None)
    s, ana = ensure_participant(s, "Ana", actor="Ana")
    s, bo = ensure_participant(s, "Bo", actor="Bo")
    s, room = ensure_participant(s, "Room", actor=None)  # the facilitator votes for the room (proxy)
    s = cast_vote(s, ana.id, "solutions", "fix-catalogue", 2, actor="Ana")
    s = cast_vote(s, bo.id, "solutions", "hire-csrs", 1, actor="Bo")
    s = cast_vote(s, room.id, "solutions", "hire-csrs", 1, actor=None)
    return s, ana, bo, room


def _dots(session):
    return {p.name: dict(p.solution_votes) for p in session.participants}


def test_during_private_voting_each_person_sees_only_their_own_dots() -> None:
    s, *_ = _voting()
    assert _dots(view_for(s, "Ana")) == {"Ana": {"fix-catalogue": 2}, "Bo": {}, "Room": {}}
    assert _dots(view_for(s, "bo")) == {"Ana": {}, "Bo": {"hire-csrs": 1}, "Room": {}}
    assert _dots(view_for(s, None)) == {"Ana": {}, "Bo": {}, "Room": {"hire-csrs": 1}}
    assert room_state(s, "Ana") == ["private voting"]
    everyone = {"Ana": {"fix-catalogue": 2}, "Bo": {"hire-csrs": 1}, "Room": {"hire-csrs": 1}}
    assert _dots(view_for(reveal(s, actor=None), "Ana")) == everyone


def test_private_dots_still_count_against_the_budget_and_only_their_owner_casts_them() -> None:
    s, ana, bo, _room = _voting()
    assert votes_left(s, ana.id, "solutions") == 1
    s = cast_vote(s, ana.id, "solutions", "hire-csrs", 1, actor="Ana")
    with pytest.raises(EditError, match="used all 3 votes"):
        cast_vote(s, ana.id, "solutions", "hire-csrs", 1, actor="Ana")
    with pytest.raises(EditError, match="Bo's dots: you joined as Ana"):
        cast_vote(s, bo.id, "solutions", "hire-csrs", 1, actor="Ana")
    with pytest.raises(EditError, match="your own dots"):
        ensure_participant(s, "Bo", actor="Ana")


def test_the_timer_is_a_deadline_in_the_file_that_every_screen_reads_alike() -> None:
    s = set_progress(workshop(), "pains", 120, running_since=T0, extra=300, actor=None)
    text = dumps_session(s)
    assert "running_since = 2026-11-29T09:30:00+00:00\n" in text and "extra = 300\n" in text
    back = parse_session(text)
    # Two screens, each reading the file at its own moment, count down to the same deadline.
    step, seconds, spent, running = timer_state(back, T0 + dt.timedelta(seconds=90))
    assert (step, seconds, spent, running) == ("pains", 30 * 60 + 300, 210, True)
    assert seconds - timer_state(back, T0 + dt.timedelta(seconds=100))[2] == seconds - spent - 10
    paused = set_progress(back, "pains", 210, actor=None)
    assert timer_state(paused, T0 + dt.timedelta(hours=2))[2:] == (210, False)


def test_the_room_state_survives_the_timer_being_recorded() -> None:
    s = start_private_voting(start_silent_writing(workshop(), actor=None), actor=None)
    s = set_progress(s, "pains", 0, actor=None)
    s = set_progress(s, "persona", 0, actor=None)  # back at the start: no step, but the room stays as it is
    assert (s.progress.step, s.progress.silent, s.progress.private_votes) == (None, True, True)


def test_a_time_without_its_offset_is_refused_with_where() -> None:
    with pytest.raises(Exception, match=r"progress\.running_since.*offset"):
        parse_session('[progress]\nstep = "pains"\nrunning_since = 2026-11-29T09:30:00\n', "x.toml")


def test_a_proposal_goes_to_the_parking_lot_in_the_proposers_name() -> None:
    from cjmtui.core.live import propose

    s, proposal = propose(workshop(), "pains", "on-hold", "  say  how long ", actor="Ana")
    assert proposal.text.endswith("”: say how long") and proposal.created_by == "Ana"
    assert proposal.stage == next(p for p in s.pains if p.id == "on-hold").stage
    with pytest.raises(EditError, match="needs some words"):
        propose(workshop(), "pains", "on-hold", "   ", actor="Ana")
    with pytest.raises(EditError, match="no pain with id"):
        propose(workshop(), "pains", "nope", "x", actor="Ana")


@pytest.mark.parametrize("raw", ["", "   ", "x" * 201, "Ana\x1b[31m", "Bo\x07"])
def test_a_participant_name_must_be_printable_and_short(raw) -> None:
    from cjmtui.core.live import participant_name

    with pytest.raises(EditError, match="printable characters"):
        participant_name(raw)
    assert participant_name("  Ana   Lima ") == "Ana Lima"
