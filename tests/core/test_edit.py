"""Editing: readable ids, refused edits change nothing, deletes clean up, undo restores exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjmtui.core import edit, voting
from cjmtui.core.details import update_info, update_scoring
from cjmtui.core.edit import ItemError, add_item, delete_item, move_item, set_emotion, slugify, update_item
from cjmtui.core.errors import EditError
from cjmtui.core.links import link_cause, link_feed, link_target
from cjmtui.core.model import MAX_ID, Session, find, reference_problems
from cjmtui.core.store import dumps_session, parse_session
from cjmtui.core.undo import History
from factories import CORE, sessions, workshop


def ids(session: Session, table: str) -> list[str]:
    return [item.id for item in getattr(session, table)]


# ---------------------------------------------------------------------------------------------
# Adding


def test_add_makes_a_readable_unique_id():
    s = workshop()
    s, first = add_item(s, "pains", {"stage": "find", "text": "I can't find the part!"}, actor=None)
    assert first.id == "i-cant-find-the-part"
    s, second = add_item(s, "pain", {"stage": "find", "text": "I can’t find the part?"}, actor=None)
    assert second.id == "i-cant-find-the-part-2"
    s, third = add_item(s, "pains", {"stage": "find", "text": "I CAN'T find the part"}, actor=None)
    assert third.id == "i-cant-find-the-part-3"
    assert ids(s, "pains")[-3:] == [first.id, second.id, third.id]
    assert parse_session(dumps_session(s)) == s


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Online catalogue", "online-catalogue"),
        ("Café  Crème — déjà vu", "cafe-creme-deja-vu"),
        ("  ...  ", ""),
        ("日本語", ""),
        ("one two three four five six seven", "one-two-three-four-five"),
    ],
)
def test_slugify(label, expected):
    assert slugify(label) == expected


def test_add_with_no_usable_words_falls_back_to_the_kind():
    s, item = add_item(workshop(), "processes", {"stage": "find", "name": "日本語"}, actor=None)
    assert item.id == "process"
    s, item = add_item(s, "processes", {"stage": "find", "name": "😀"}, actor=None)
    assert item.id == "process-2"


def test_generated_ids_stay_valid_when_long():
    s = workshop()
    label = "x" * 500
    for _ in range(12):
        s, item = add_item(s, "departments", {"name": label[:200]}, actor=None)
        assert len(item.id) <= MAX_ID
    assert len(set(ids(s, "departments"))) == len(s.departments)


def test_add_at_index_and_explicit_id():
    s, _item = add_item(workshop(), "stages", {"id": "Pay", "name": "Pay the invoice"}, index=1, actor=None)
    assert ids(s, "stages") == ["find", "Pay", "order", "support"]
    with pytest.raises(EditError) as info:
        add_item(s, "stages", {"id": "Pay", "name": "Again"}, actor=None)
    assert info.value.field == "id"


@pytest.mark.parametrize(
    "table, fields, bad",
    [
        ("pains", {"stage": "find", "text": "t", "severity": 9}, "severity"),
        ("pains", {"stage": "find", "text": "   "}, "text"),
        ("pains", {"stage": "find"}, "text"),
        ("pains", {"stage": "find", "text": "t", "colour": "red"}, "colour"),
        ("solutions", {"text": "t", "confidence": 2}, "confidence"),
        ("stages", {"id": "has space", "name": "x"}, "id"),
        ("stages", {"name": "x", "emotion": {"buyer": 7}}, "emotion"),
    ],
)
def test_add_with_bad_values_names_the_field_and_changes_nothing(table, fields, bad):
    s = workshop()
    with pytest.raises(ItemError) as info:
        add_item(s, table, fields, actor=None)
    assert bad in info.value.errors
    assert info.value.field in info.value.errors
    assert s == workshop()


@pytest.mark.parametrize(
    "table, fields, field",
    [
        ("pains", {"stage": "nowhere", "text": "t"}, "stage"),
        ("pains", {"stage": "find", "text": "t", "caused_by": ["ghost"]}, "caused_by"),
        ("processes", {"stage": "find", "name": "n", "owner": "mars"}, "owner"),
        ("solutions", {"text": "t", "targets": ["ghost"]}, "targets"),
    ],
)
def test_add_with_dangling_reference_is_refused(table, fields, field):
    with pytest.raises(EditError) as info:
        add_item(workshop(), table, fields, actor=None)
    assert info.value.field == field
    assert "ghost" in str(info.value) or "nowhere" in str(info.value) or "mars" in str(info.value)


def test_unknown_table_is_refused():
    with pytest.raises(EditError, match="no such kind"):
        add_item(workshop(), "widgets", {"name": "x"}, actor=None)


# ---------------------------------------------------------------------------------------------
# Updating, moving, linking


def test_update_item_changes_only_that_item_and_keeps_the_rest_shared():
    s = workshop()
    new, item = update_item(s, "pains", "on-hold", {"severity": 5, "text": "  On hold 1h "}, actor=None)
    assert item.severity == 5 and item.text == "On hold 1h"
    assert find(new, "pains", "on-hold") == item
    assert new.pains[0] is s.pains[0]  # unchanged items are shared, not copied
    assert s == workshop()  # the old session is untouched


def test_update_refuses_bad_values_id_change_and_unknown_item():
    s = workshop()
    with pytest.raises(ItemError) as info:
        update_item(s, "pains", "on-hold", {"frequency": 0}, actor=None)
    assert list(info.value.errors) == ["frequency"]
    with pytest.raises(EditError) as info:
        update_item(s, "pains", "on-hold", {"id": "renamed"}, actor=None)
    assert info.value.field == "id"
    with pytest.raises(EditError, match="no pain with id 'nope'"):
        update_item(s, "pains", "nope", {"severity": 1}, actor=None)
    with pytest.raises(EditError) as info:
        update_item(s, "processes", "catalogue", {"feeds": ["catalogue"]}, actor=None)
    assert info.value.field == "feeds"
    assert s == workshop()


def test_move_item():
    s = workshop()
    moved = move_item(s, "stages", "support", -2, actor=None)
    assert ids(moved, "stages") == ["support", "find", "order"]
    assert ids(move_item(moved, "stages", "support", 99, actor=None), "stages") == ["find", "order", "support"]
    assert move_item(s, "stages", "find", -1, actor=None) is s  # nothing to do: no undo step
    with pytest.raises(EditError):
        move_item(s, "stages", "nope", 1, actor=None)


def test_link_toggles():
    s = workshop()
    s1 = link_cause(s, "on-hold", "order-entry", actor=None)
    assert find(s1, "pains", "on-hold").caused_by == ["call-handling", "order-entry"]
    s2 = link_cause(s1, "on-hold", "order-entry", actor=None)
    assert s2 == s
    assert link_cause(s, "on-hold", "call-handling", on=True, actor=None) is s

    s3 = link_feed(s, "call-handling", "catalogue", actor=None)  # a cycle is allowed
    assert find(s3, "processes", "call-handling").feeds == ["catalogue"]
    assert link_feed(s3, "call-handling", "catalogue", on=False, actor=None) == s
    with pytest.raises(EditError) as info:
        link_feed(s, "catalogue", "catalogue", actor=None)
    assert info.value.field == "feeds"

    s4 = link_target(s, "hire-csrs", "order-entry", actor=None)
    assert find(s4, "solutions", "hire-csrs").targets == ["call-handling", "order-entry"]
    assert link_target(s4, "hire-csrs", "order-entry", actor=None) == s
    with pytest.raises(EditError) as info:
        link_target(s, "hire-csrs", "ghost", actor=None)
    assert info.value.field == "targets"
    with pytest.raises(EditError):
        link_cause(s, "no-such-pain", "catalogue", actor=None)


def test_set_emotion_and_info_and_scoring():
    s = set_emotion(workshop(), "order", "buyer", -2, actor=None)
    assert find(s, "stages", "order").emotion == {"buyer": -2}
    assert find(set_emotion(s, "order", "buyer", None, actor=None), "stages", "order").emotion == {}
    with pytest.raises(EditError):
        set_emotion(s, "order", "buyer", 3, actor=None)
    with pytest.raises(EditError):
        set_emotion(s, "order", "ghost", 1, actor=None)
    assert update_info(s, {"title": " Workshop 2 "}, actor=None).session.title == "Workshop 2"
    with pytest.raises(ItemError) as info:
        update_info(s, {"journey": "holiday"}, actor=None)
    assert "journey" in info.value.errors
    assert update_scoring(s, {"hop_decay": 0.25}, actor=None).scoring.hop_decay == 0.25
    with pytest.raises(ItemError) as info:
        update_scoring(s, {"hop_decay": 2}, actor=None)
    assert "hop_decay" in info.value.errors


# ---------------------------------------------------------------------------------------------
# Deleting and undo


def test_delete_process_removes_every_reference_and_undo_restores_them():
    s = workshop()
    s = link_feed(s, "call-handling", "order-entry", actor=None)  # order-entry is also fed
    s = link_target(s, "hire-csrs", "order-entry", actor=None)
    history = History(s)
    history.apply("delete order entry", delete_item(s, "processes", "order-entry", actor=None))
    after = history.session
    assert "order-entry" not in ids(after, "processes")
    assert find(after, "pains", "wrong-part").caused_by == []
    assert find(after, "processes", "catalogue").feeds == []
    assert find(after, "processes", "call-handling").feeds == []
    assert find(after, "solutions", "hire-csrs").targets == ["call-handling"]
    assert reference_problems(after) == []
    assert history.undo() == "delete order entry"
    assert history.session == s
    assert dumps_session(history.session) == dumps_session(s)


def test_delete_stage_removes_its_pains_and_processes():
    s = delete_item(workshop(), "stages", "order", actor=None)
    assert ids(s, "stages") == ["find", "support"]
    assert "wrong-part" not in ids(s, "pains")
    assert "order-entry" not in ids(s, "processes")
    assert find(s, "processes", "catalogue").feeds == []
    assert reference_problems(s) == []


def test_delete_department_and_persona_clear_references():
    s = delete_item(workshop(), "department", "web", actor=None)
    assert find(s, "stages", "find").owners == []
    assert find(s, "processes", "catalogue").owner is None
    assert find(s, "solutions", "fix-catalogue").owner is None
    s = delete_item(s, "personas", "buyer", actor=None)
    assert find(s, "stages", "find").emotion == {}
    assert reference_problems(s) == []
    assert parse_session(dumps_session(s)) == s


def test_delete_unknown_item_is_refused():
    with pytest.raises(EditError, match="no solution with id 'x'"):
        delete_item(workshop(), "solutions", "x", actor=None)


@given(sessions(plain=True), st.data())
@CORE
def test_any_delete_leaves_a_valid_session_and_undo_is_exact(session, data):
    tables = [t for t in edit.TABLES if getattr(session, t)]
    if not tables:
        return
    table = data.draw(st.sampled_from(tables))
    item_id = data.draw(st.sampled_from(ids(session, table)))
    history = History(session)
    history.apply("delete", delete_item(session, table, item_id, actor=None))
    assert find(history.session, table, item_id) is None
    assert reference_problems(history.session) == []
    assert parse_session(dumps_session(history.session)) == history.session
    history.undo()
    assert history.session == session


def test_history_keeps_many_steps_and_redo_works():
    s0 = workshop()
    history = History(s0)
    states = [s0]
    for i in range(25):
        history.apply(
            f"severity {i}",
            update_item(
                history.session, "pains", "on-hold", {"frequency": 1 + i % 5, "text": f"On hold {i}"}, actor=None
            )[0],
        )
        states.append(history.session)
    assert history.version == 25
    for i in reversed(range(25)):
        assert history.undo() == f"severity {i}"
        assert history.session == states[i]
    assert history.session == s0 and not history.can_undo
    assert history.undo() is None
    for i in range(25):
        assert history.redo() == f"severity {i}"
    assert history.session == states[-1] and not history.can_redo
    # A new edit after undo drops the redo steps.
    history.undo()
    history.apply("other", delete_item(history.session, "solutions", "hire-csrs", actor=None))
    assert not history.can_redo


def test_history_limit_drops_oldest():
    history = History(workshop(), limit=20)
    for i in range(30):
        history.apply(str(i), update_item(history.session, "pains", "on-hold", {"text": f"t{i}"}, actor=None)[0])
    steps = 0
    while history.undo() is not None:
        steps += 1
    assert steps == 20
    assert find(history.session, "pains", "on-hold").text == "t9"


def test_no_op_edit_is_not_an_undo_step():
    s = workshop()
    history = History(s)
    history.apply("nothing", link_cause(s, "on-hold", "call-handling", on=True, actor=None))
    assert not history.can_undo and history.version == 0


def test_failed_edit_leaves_session_and_history_unchanged():
    history = History(workshop())
    with pytest.raises(EditError):
        history.apply("bad", update_item(history.session, "pains", "on-hold", {"stage": "ghost"}, actor=None)[0])
    assert history.session == workshop()
    assert not history.can_undo and history.version == 0


def test_reset_clears_undo():
    history = History(workshop())
    history.apply("x", delete_item(history.session, "solutions", "hire-csrs", actor=None))
    history.reset(workshop())
    assert not history.can_undo and not history.can_redo


# ---------------------------------------------------------------------------------------------
# Votes and the parking lot keep their references too


def _voted() -> Session:
    s = update_info(workshop(), {"vote_budget": 5}, actor=None)
    s, ann = add_item(s, "participants", {"name": "Ann"}, actor=None)
    s = voting.cast_vote(s, ann.id, "solutions", "fix-catalogue", 3, actor=None)
    s = voting.cast_vote(s, ann.id, "pains", "wrong-part", 2, actor=None)
    s, _ = add_item(s, "parking", {"text": "Invoices need the PO number", "stage": "order"}, actor=None)
    return s


def test_lowering_the_vote_budget_below_cast_dots_is_refused():
    # Accepting it would save a file that the loader refuses ("over the budget").
    s = _voted()
    with pytest.raises(EditError) as info:
        update_info(s, {"vote_budget": 2}, actor=None)
    assert "budget" in str(info.value)
    assert update_info(s, {"vote_budget": 3}, actor=None).session.vote_budget == 3
    assert s.session.vote_budget == 5


def test_deleting_voted_items_takes_their_dots_back_and_undo_restores_them():
    s = _voted()
    history = History(s)
    history.apply("delete", delete_item(s, "solutions", "fix-catalogue", actor=None))
    history.apply("delete stage", delete_item(history.session, "stages", "order", actor=None))
    ann = find(history.session, "participants", "ann")
    assert ann.solution_votes == {} and ann.pain_votes == {}
    assert find(history.session, "parking", "invoices-need-the-po-number").stage is None
    assert reference_problems(history.session) == []
    assert parse_session(dumps_session(history.session)) == history.session
    history.undo()
    history.undo()
    assert history.session == s


def test_a_table_cannot_grow_past_what_the_loader_accepts():
    from cjmtui.core.model import MAX_ITEMS, Department

    full = Session(departments=[Department(id=f"d{i}", name="D") for i in range(MAX_ITEMS)])
    with pytest.raises(EditError, match=f"at most {MAX_ITEMS}"):
        add_item(full, "departments", {"name": "One more"}, actor=None)
    # up to the limit is fine
    s, _ = add_item(Session(departments=full.departments[:-1]), "departments", {"name": "Last"}, actor=None)
    assert len(s.departments) == MAX_ITEMS


def test_renaming_an_item_nothing_points_at_renames_its_id_and_a_linked_one_keeps_it():
    """Issue 10: a template's stage renamed "Drying and repairs" stayed ``contact-support``."""
    from cjmtui.core.templates import new_session

    s = new_session("Insurer", "service")
    s, stage = update_item(s, "stages", "contact-support", {"name": "Drying and repairs"}, actor=None)
    assert stage.id == "drying-and-repairs" and [x.id for x in s.stages][2] == "drying-and-repairs"
    s, _ = add_item(s, "pains", {"stage": "drying-and-repairs", "text": "Nobody came"}, actor=None)
    s, kept = update_item(s, "stages", "drying-and-repairs", {"name": "Repairs"}, actor=None)
    assert kept.id == "drying-and-repairs", "a stage with pains kept its id (they point at it)"
    s, hand = update_item(s, "stages", "resolution", {"phase": "advocacy"}, actor=None)
    assert hand.id == "resolution", "a change that is not a rename keeps the id"
