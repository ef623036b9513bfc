"""Every core edit carries its actor (issue 22): ``actor`` is a required keyword of each edit
function, so no caller can forget it, and the core refuses each change a participant may not
make: others' notes and links, the facilitator's stages and their order, others' dots, the
room's state, the agenda, the details and the weights, the parking lot's conversions."""

from __future__ import annotations

import inspect

import pytest

from cjmtui.core import agenda, details, edit, links, live, merge, voting
from cjmtui.core.edit import add_item
from cjmtui.core.errors import EditError
from factories import workshop

EDITS = [
    edit.add_item,
    edit.update_item,
    edit.delete_item,
    edit.move_item,
    edit.move_to,
    links.link_cause,
    links.link_feed,
    links.link_target,
    edit.set_emotion,
    details.update_info,
    details.update_scoring,
    details.update_settings,
    edit.convert_parked,
    edit.restore_item,
    merge.bring_back,
    links.set_links,
    live.start_silent_writing,
    live.start_private_voting,
    live.reveal,
    live.propose,
    voting.ensure_participant,
    voting.cast_vote,
    agenda.set_timebox,
    agenda.set_progress,
]


@pytest.mark.parametrize("fn", EDITS, ids=lambda fn: fn.__name__)
def test_every_edit_takes_its_actor_as_a_required_keyword(fn) -> None:
    actor = inspect.signature(fn).parameters["actor"]
    assert actor.kind is inspect.Parameter.KEYWORD_ONLY
    assert actor.default is inspect.Parameter.empty


def _room():
    """The facilitator's workshop, Ana's own pain, and Ben's dots on a solution."""
    s = workshop()
    s, mine = add_item(s, "pains", {"stage": "find", "text": "Ana's pain"}, actor="Ana")
    s, _ben = voting.ensure_participant(s, "Ben", actor="Ben")
    s = voting.cast_vote(s, _ben.id, "solutions", s.solutions[0].id, 1, actor="Ben")
    s, parked = add_item(s, "parking", {"text": "later"}, actor=None)
    return s, mine, _ben, parked


REFUSED = {
    "link a cause to the facilitator's pain": lambda s, r: links.link_cause(s, "cant-tell", "order-entry", actor="Ana"),
    "unlink a cause of the facilitator's pain": lambda s, r: links.link_cause(
        s, "cant-tell", "catalogue", False, actor="Ana"
    ),
    "link the facilitator's process": lambda s, r: links.link_feed(s, "catalogue", "call-handling", actor="Ana"),
    "target with the facilitator's solution": lambda s, r: links.link_target(
        s, s.solutions[0].id, "catalogue", actor="Ana"
    ),
    "tick the pains a process causes": lambda s, r: links.set_links(s, "caused", "catalogue", set(), actor="Ana"),
    "reorder the stages (J/K)": lambda s, r: edit.move_item(s, "stages", "order", -1, actor="Ana"),
    "move a stage onto another": lambda s, r: edit.move_to(s, "stages", "support", "find", actor="Ana"),
    "set a stage's emotion": lambda s, r: edit.set_emotion(s, "find", "buyer", 2, actor="Ana"),
    "change the facilitator's stage": lambda s, r: edit.update_item(s, "stages", "find", {"name": "x"}, actor="Ana"),
    "delete the facilitator's pain": lambda s, r: edit.delete_item(s, "pains", "cant-tell", actor="Ana"),
    "take back Ben's dot": lambda s, r: voting.cast_vote(s, r[1].id, "solutions", s.solutions[0].id, -1, actor="Ana"),
    "vote as Ben": lambda s, r: voting.ensure_participant(s, "Ben", actor="Ana"),
    "add a participant called Cleo": lambda s, r: edit.add_item(s, "participants", {"name": "Cleo"}, actor="Ana"),
    "change Ben's dots directly": lambda s, r: edit.update_item(
        s, "participants", r[1].id, {"solution_votes": {}}, actor="Ana"
    ),
    "start silent writing": lambda s, r: live.start_silent_writing(s, actor="Ana"),
    "start private voting": lambda s, r: live.start_private_voting(s, actor="Ana"),
    "reveal": lambda s, r: live.reveal(s, actor="Ana"),
    "move the agenda on or run the timer": lambda s, r: agenda.set_progress(s, "pains", 60, actor="Ana"),
    "set a timebox": lambda s, r: agenda.set_timebox(s, "pains", 5, actor="Ana"),
    "change the details": lambda s, r: details.update_info(s, {"title": "Mine now"}, actor="Ana"),
    "change the weights": lambda s, r: details.update_scoring(s, {"vote_weight": 9.0}, actor="Ana"),
    "change details and weights": lambda s, r: details.update_settings(s, {"title": "Mine"}, actor="Ana"),
    "convert a parked point": lambda s, r: edit.convert_parked(s, r[2].id, "pains", "find", actor="Ana"),
    "bring back the facilitator's deleted pain": lambda s, r: edit.restore_item(
        *_deleted(s, "pains", "cant-tell"), actor="Ana"
    ),
    "bring back a stage for no note of theirs": lambda s, r: edit.restore_item(
        *_deleted(s, "stages", "support"), actor="Ana"
    ),
    "bring back what another save removed": lambda s, r: merge.bring_back(
        _deleted(s, "pains", "cant-tell")[0], ((("pains", edit.find(s, "pains", "cant-tell"), 0)),), actor="Ana"
    ),
}


def _deleted(s, table, item_id):
    """``s`` without the item, and what restoring it takes: the session, table, item, index."""
    item = edit.find(s, table, item_id)
    return edit.delete_item(s, table, item_id, actor=None), table, item, 0


@pytest.mark.parametrize("what", sorted(REFUSED))
def test_a_participant_is_refused_each_facilitator_only_change(what) -> None:
    s, _mine, ben, parked = _room()
    with pytest.raises(EditError):
        REFUSED[what](s, (None, ben, parked))


def test_a_participant_still_links_and_moves_their_own_notes_and_the_facilitator_does_anything() -> None:
    s, mine, ben, parked = _room()
    s2 = links.link_cause(s, mine.id, "catalogue", actor="Ana")
    assert "catalogue" in next(p for p in s2.pains if p.id == mine.id).caused_by
    assert edit.move_item(s2, "pains", mine.id, -1, actor="Ana") != s2
    assert edit.move_item(s, "stages", "order", -1, actor=None).stages[0].id == "order"
    assert links.link_cause(s, "cant-tell", "order-entry", actor=None) != s
    assert voting.cast_vote(s, ben.id, "solutions", s.solutions[0].id, -1, actor=None) != s
    assert edit.convert_parked(s, parked.id, "pains", "find", actor=None)[1].text == "later"
    # Ana's own deleted note comes back, and a stage comes back to keep the note she was typing there
    gone = edit.delete_item(s, "pains", mine.id, actor="Ana")
    assert edit.find(edit.restore_item(gone, "pains", mine, 0, actor="Ana")[0], "pains", mine.id) is not None
    gone, *args = _deleted(s, "stages", "support")
    assert edit.find(edit.restore_item(gone, *args, actor="Ana", for_note=True)[0], "stages", "support")
